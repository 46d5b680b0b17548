/**
 * Canonical JSON: one byte-exact text per JSON value, so a hash or signature over it is
 * stable no matter how the value was built or re-parsed.
 *
 * The rules are those of RFC 8785 (JSON Canonicalization Scheme) for the values haechi
 * produces:
 *
 * - object keys sorted by UTF-16 code units (JavaScript's default string order);
 * - no whitespace anywhere;
 * - strings escaped as `JSON.stringify` does (which emits lone surrogates as `\uXXXX`);
 * - numbers in ECMAScript shortest round-trip form (`JSON.stringify`), `-0` as `0`;
 * - object properties whose value is `undefined` are omitted, as `JSON.stringify` omits
 *   them, so a value and its `JSON.parse(JSON.stringify(...))` round trip agree.
 *
 * Anything JSON cannot represent losslessly (non-finite numbers, `bigint`, functions,
 * symbols, `undefined` in arrays, class instances such as `Date`) is rejected instead of
 * being coerced, because a silent coercion would make two different values hash alike.
 *
 * @module
 */

/** Deepest nesting accepted; deeper input (or a cycle) is rejected rather than overflowing. */
export const CANONICAL_JSON_MAX_DEPTH = 64;

/**
 * Serialize `value` as canonical JSON.
 *
 * @param value A JSON-compatible value: `null`, boolean, finite number, string, array or
 *   plain object.
 * @returns The canonical text.
 * @throws {TypeError} When `value` holds something JSON cannot represent losslessly.
 * @throws {RangeError} When nesting exceeds {@linkcode CANONICAL_JSON_MAX_DEPTH}.
 *
 * @example
 * ```ts
 * import { canonicalJson } from "./canonical_json.ts";
 * const text = canonicalJson({ b: [1, "x"], a: { d: true, c: null } });
 * if (text !== '{"a":{"c":null,"d":true},"b":[1,"x"]}') throw new Error(text);
 * ```
 */
export function canonicalJson(value: unknown): string {
  const parts: string[] = [];
  write(value, parts, 0, "$");
  return parts.join("");
}

function write(value: unknown, out: string[], depth: number, where: string): void {
  if (depth > CANONICAL_JSON_MAX_DEPTH) {
    throw new RangeError(
      `Cannot canonicalize: nesting exceeds ${CANONICAL_JSON_MAX_DEPTH} at ${where}`,
    );
  }
  if (value === null) {
    out.push("null");
    return;
  }
  switch (typeof value) {
    case "boolean":
      out.push(value ? "true" : "false");
      return;
    case "number":
      if (!Number.isFinite(value)) {
        throw new TypeError(`Cannot canonicalize: non-finite number at ${where}`);
      }
      // JSON.stringify already yields the ECMAScript shortest form and turns -0 into "0".
      out.push(JSON.stringify(value));
      return;
    case "string":
      out.push(JSON.stringify(value));
      return;
    case "object":
      break;
    default:
      throw new TypeError(`Cannot canonicalize: unsupported ${typeof value} at ${where}`);
  }
  if (Array.isArray(value)) {
    out.push("[");
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(",");
      const item = value[i];
      if (item === undefined) {
        throw new TypeError(`Cannot canonicalize: undefined array item at ${where}[${i}]`);
      }
      write(item, out, depth + 1, `${where}[${i}]`);
    }
    out.push("]");
    return;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    throw new TypeError(`Cannot canonicalize: non-plain object at ${where}`);
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).filter((k) => record[k] !== undefined).sort();
  out.push("{");
  for (let i = 0; i < keys.length; i++) {
    if (i > 0) out.push(",");
    const key = keys[i];
    out.push(JSON.stringify(key), ":");
    write(record[key], out, depth + 1, `${where}.${key}`);
  }
  out.push("}");
}
