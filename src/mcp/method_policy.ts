/**
 * Allow/deny lists for MCP method names, compiled once.
 *
 * A pattern is an exact name (`tools/call`), a prefix glob ending in `*`
 * (`notifications/*`, `resources/*`) or `*` alone. Deny wins over allow.
 *
 * @module
 */

/** A compiled method policy. */
export interface MethodPolicy {
  /** Whether `method` may pass. */
  allows(method: string): boolean;
}

/**
 * Whether `name` matches `pattern` (exact, or prefix when the pattern ends in `*`).
 *
 * @example
 * ```ts
 * import { matchesPattern } from "./method_policy.ts";
 * if (!matchesPattern("notifications/*", "notifications/progress")) throw new Error("glob");
 * if (matchesPattern("tools/call", "tools/list")) throw new Error("exact");
 * ```
 */
export function matchesPattern(pattern: string, name: string): boolean {
  if (pattern.endsWith("*")) return name.startsWith(pattern.slice(0, -1));
  return pattern === name;
}

/**
 * Compile allow and deny lists.
 *
 * @param lists `allow` (default `["*"]`) and `deny` (default none).
 * @returns The policy.
 *
 * @example
 * ```ts
 * import { compileMethodPolicy } from "./method_policy.ts";
 * const p = compileMethodPolicy({ allow: ["*"], deny: ["sampling/*"] });
 * if (p.allows("sampling/createMessage") || !p.allows("tools/call")) throw new Error("policy");
 * ```
 */
export function compileMethodPolicy(
  lists: { readonly allow?: readonly string[]; readonly deny?: readonly string[] },
): MethodPolicy {
  const allow = [...(lists.allow ?? ["*"])];
  const deny = [...(lists.deny ?? [])];
  return {
    allows(method: string): boolean {
      if (deny.some((p) => matchesPattern(p, method))) return false;
      return allow.some((p) => matchesPattern(p, method));
    },
  };
}
