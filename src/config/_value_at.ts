/**
 * Dotted-path lookup shared by the schema table and its readers.
 *
 * @module
 */

/**
 * Read the value at a dotted path, or `undefined` when any step is missing.
 *
 * @example
 * ```ts
 * import { valueAt } from "./schema.ts";
 * if (valueAt({ a: { b: 2 } }, "a.b") !== 2) throw new Error("bad lookup");
 * ```
 */
export function valueAt(root: unknown, path: string): unknown {
  let node: unknown = root;
  for (const part of path.split(".")) {
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, part)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}
