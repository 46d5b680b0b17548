/**
 * Path-scoped allowlist entries (haechi 1.4's `filters.allowlist` `{path, value?}`): the
 * scanner sees text without knowing where it sits, so entries tied to a JSON path are
 * applied here, to the sites the walk collected, before the policy decides.
 *
 * Hard-block findings are never suppressed, and an entry with a `value` does not match a
 * value found only after decoding (what was decoded is not what the operator allowed).
 *
 * @module
 */
import type { AllowlistEntry } from "../config/mod.ts";
import type { Site } from "./walk.ts";

/** Drops allowed findings from sites; identity when no path entry is configured. */
export type SiteFilter = (sites: Site[]) => Site[];

/**
 * Build the filter for the path entries of `entries` (plain strings are the scanner's).
 *
 * @param entries `filters.allowlist`.
 * @returns A filter, or `null` when no entry names a path.
 *
 * @example
 * ```ts
 * import { pathAllowlistFilter } from "./path_allowlist.ts";
 * if (pathAllowlistFilter(["x@y.example"]) !== null) throw new Error("strings are the scanner's");
 * ```
 */
export function pathAllowlistFilter(entries: readonly AllowlistEntry[]): SiteFilter | null {
  const byPath = new Map<string, { any: boolean; values: RegExp[] }>();
  for (const e of entries) {
    if (typeof e === "string") continue;
    let at = byPath.get(e.path);
    if (at === undefined) byPath.set(e.path, at = { any: false, values: [] });
    if (e.value === undefined) at.any = true;
    else at.values.push(globPattern(e.value));
  }
  if (byPath.size === 0) return null;
  return (sites) => {
    const out: Site[] = [];
    for (const site of sites) {
      const findings = site.findings.filter((f) => {
        if (f.hardBlock) return true;
        const part = site.parts?.findLast((p) => p.start <= f.start);
        const at = byPath.get(part?.path ?? site.path);
        if (at === undefined) return true;
        if (at.any) return false;
        if (f.encoding !== undefined) return true;
        const value = site.text.slice(f.start, f.end);
        return !at.values.some((re) => re.test(value));
      });
      if (findings.length === site.findings.length) out.push(site);
      else if (findings.length > 0) out.push({ ...site, findings });
    }
    return out;
  };
}

/** An exact value or `*` glob, matched case-insensitively like the scanner's allowlist. */
function globPattern(entry: string): RegExp {
  const body = entry.split("*").map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"))
    .join("[^]*?");
  return new RegExp(`^(?:${body})$`, "i");
}
