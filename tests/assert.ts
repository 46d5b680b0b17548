/**
 * The few assertions the suite uses, named as in `@std/assert` and built on
 * `node:assert/strict`, so moving to `jsr:@std/assert` is a one-line import change.
 *
 * @module
 */
import nodeAssert from "node:assert/strict";

type ErrorClass = abstract new (...args: never[]) => Error;

/** Assert `actual` deep-equals `expected`. */
export function assertEquals<T>(actual: T, expected: T, msg?: string): void {
  nodeAssert.deepStrictEqual(actual, expected, msg);
}

/** Assert `actual` does not deep-equal `expected`. */
export function assertNotEquals<T>(actual: T, expected: T, msg?: string): void {
  nodeAssert.notDeepStrictEqual(actual, expected, msg);
}

/** Assert `expr` is truthy. */
export function assert(expr: unknown, msg?: string): asserts expr {
  nodeAssert.ok(expr, msg);
}

/** Assert `actual` is strictly equal to `expected`. */
export function assertStrictEquals<T>(actual: unknown, expected: T, msg?: string): void {
  nodeAssert.strictEqual(actual, expected, msg);
}

/** Assert `actual` contains `expected` as a substring. */
export function assertStringIncludes(actual: string, expected: string, msg?: string): void {
  nodeAssert.ok(
    actual.includes(expected),
    msg ??
      `Expected ${JSON.stringify(actual.slice(0, 500))} to include ${JSON.stringify(expected)}`,
  );
}

/** Assert `actual` matches `expected`. */
export function assertMatch(actual: string, expected: RegExp, msg?: string): void {
  nodeAssert.match(actual, expected, msg);
}

/** Assert `actual` does not match `expected`. */
export function assertNotMatch(actual: string, expected: RegExp, msg?: string): void {
  nodeAssert.doesNotMatch(actual, expected, msg);
}

/** Assert `fn` throws, optionally an instance of `errorClass` whose message includes `msgIncludes`. */
export function assertThrows(
  fn: () => unknown,
  errorClass?: ErrorClass,
  msgIncludes?: string,
): Error {
  try {
    fn();
  } catch (e) {
    checkError(e, errorClass, msgIncludes);
    return e as Error;
  }
  throw new nodeAssert.AssertionError({ message: "Expected function to throw" });
}

/** Assert the promise from `fn` rejects, optionally with `errorClass` and `msgIncludes`. */
export async function assertRejects(
  fn: () => PromiseLike<unknown>,
  errorClass?: ErrorClass,
  msgIncludes?: string,
): Promise<Error> {
  try {
    await fn();
  } catch (e) {
    checkError(e, errorClass, msgIncludes);
    return e as Error;
  }
  throw new nodeAssert.AssertionError({ message: "Expected promise to reject" });
}

/** Assert `actual` is greater than `expected`. */
export function assertGreater(actual: number, expected: number, msg?: string): void {
  nodeAssert.ok(actual > expected, msg ?? `Expected ${actual} > ${expected}`);
}

/** Assert `actual` is less than `expected`. */
export function assertLess(actual: number, expected: number, msg?: string): void {
  nodeAssert.ok(actual < expected, msg ?? `Expected ${actual} < ${expected}`);
}

function checkError(e: unknown, errorClass?: ErrorClass, msgIncludes?: string): void {
  if (errorClass !== undefined && !(e instanceof errorClass)) {
    throw new nodeAssert.AssertionError({
      message: `Expected error to be instance of ${errorClass.name}, got ${String(e)}`,
    });
  }
  if (msgIncludes !== undefined && !(e instanceof Error && e.message.includes(msgIncludes))) {
    const got = e instanceof Error ? e.message : String(e);
    throw new nodeAssert.AssertionError({
      message: `Expected error message to include ${JSON.stringify(msgIncludes)}, got ${
        JSON.stringify(got)
      }`,
    });
  }
}
