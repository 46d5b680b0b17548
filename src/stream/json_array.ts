/**
 * Split a streamed JSON array (`[{…},\r\n{…}]`, Gemini's `streamGenerateContent`
 * without `alt=sse`) into its elements as they complete, without buffering the array.
 *
 * A body that is a single object instead (an error, or a non-stream reply) comes out as
 * one element with `single` set. Only nesting, strings and escapes are tracked; each
 * element is validated later by `JSON.parse`. Memory is bounded by `maxElementBytes`.
 *
 * @module
 */
import { HaechiError } from "../errors.ts";

/** An incremental array splitter. */
export interface JsonArraySplitter {
  /** Add text; returns the elements it completed. */
  push(chunk: string): string[];
  /** End of input: throws when the array was not closed. */
  flush(): string[];
  /** True when the body was one object rather than an array. */
  readonly single: boolean;
}

/**
 * Create a splitter.
 *
 * @param options Element size bound in UTF-16 units (default 1 MiB).
 * @returns The splitter.
 *
 * @example
 * ```ts
 * import { createJsonArraySplitter } from "./json_array.ts";
 * const s = createJsonArraySplitter();
 * const a = s.push('[{"a":"x,]"}\r\n,{"b"');
 * const b = s.push(":2}]");
 * if (a.length !== 1 || b[0] !== '{"b":2}') throw new Error(JSON.stringify([a, b]));
 * ```
 */
export function createJsonArraySplitter(
  options: { maxElementBytes?: number } = {},
): JsonArraySplitter {
  const max = options.maxElementBytes ?? 1024 * 1024;
  let state: "start" | "between" | "element" | "closed" = "start";
  let single = false;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let current = "";

  const invalid = (why: string) => new HaechiError("stream.invalid", `Upstream JSON stream ${why}`);

  return {
    get single() {
      return single;
    },
    push(chunk) {
      const out: string[] = [];
      let from = state === "element" ? 0 : -1;
      for (let i = 0; i < chunk.length; i++) {
        const c = chunk[i];
        if (state === "element") {
          if (inString) {
            if (escaped) escaped = false;
            else if (c === "\\") escaped = true;
            else if (c === '"') inString = false;
          } else if (c === '"') inString = true;
          else if (c === "{" || c === "[") depth++;
          else if (c === "}" || c === "]") {
            depth--;
            if (depth === 0) {
              out.push(current + chunk.slice(from, i + 1));
              current = "";
              from = -1;
              state = single ? "closed" : "between";
            }
          }
          continue;
        }
        if (c === " " || c === "\n" || c === "\r" || c === "\t") continue;
        if (state === "start") {
          if (c === "[") state = "between";
          else if (c === "{") {
            single = true;
            state = "element";
            depth = 1;
            from = i;
          } else throw invalid("does not start with [ or {");
        } else if (state === "between") {
          if (c === ",") continue;
          if (c === "]") state = "closed";
          else if (c === "{") {
            state = "element";
            depth = 1;
            from = i;
          } else throw invalid("holds something other than objects");
        } else throw invalid("has content after its end");
      }
      if (state === "element") current += chunk.slice(from);
      if (current.length > max) throw invalid(`element exceeds ${max} characters`);
      return out;
    },
    flush() {
      if (state !== "closed" && state !== "start") throw invalid("ended before its end");
      return [];
    },
  };
}
