/**
 * Walk a parsed JSON value and collect every string (and, when asked, key and number)
 * that holds a finding, enforcing the depth limit on the way.
 *
 * Collection is synchronous and separate from replacement, so reversible actions that
 * need `await` run once per site, after the walk, and a clean payload never awaits.
 *
 * @module
 */
import { HaechiError } from "../errors.ts";
import type { Finding } from "../detect/mod.ts";
import { isRawNumber } from "./json_text.ts";
import { type JoinedPart, joinFindings, textRuns } from "./join_parts.ts";

/** A place in the JSON value whose text holds findings. */
export interface Site {
  /** Object or array that holds the text. */
  readonly holder: Record<string, unknown> | unknown[];
  /** Key or index within `holder`. */
  readonly key: string | number;
  /**
   * `value`: the text is `holder[key]`; `key`: the text is the key itself; `number`: a
   * number's text; `joined`: sibling text parts scanned as one text (see `parts`).
   */
  readonly kind: "value" | "key" | "number" | "joined";
  /** The text that was scanned. */
  readonly text: string;
  /** Findings inside `text`. */
  readonly findings: readonly Finding[];
  /** JSONPath-style location, e.g. `$.messages[0].content`. */
  readonly path: string;
  /**
   * For `joined`: the parts whose `text` make up `text` (the first is `holder[key]`);
   * finding offsets are in the joined text.
   */
  readonly parts?: readonly JoinedPart[];
}

/** Walk settings. */
export interface WalkOptions {
  /** Deepest nesting accepted. */
  readonly maxDepth: number;
  /** Scan object keys. */
  readonly scanKeys: boolean;
  /** Scan numbers (as their JSON text); a rewritten number becomes a string. */
  readonly scanNumbers: boolean;
  /** The scanner. */
  readonly scan: (text: string) => Finding[];
  /** Most findings accepted in one walk (default: no limit). */
  readonly maxFindings?: number;
  /**
   * Scan runs of sibling text parts joined (see join_parts.ts), so a value split over two
   * parts is found; off, each part is scanned alone.
   */
  readonly joinTextParts?: boolean;
}

/** Shorter strings cannot hold any detector's value (the shortest, an IPv4 like 8.8.8.8, has 7). */
const MIN_SCAN_LENGTH = 6;

/**
 * Collect the sites of `root.value`.
 *
 * @param root A wrapper `{ value }` so the top-level value has a holder too.
 * @param options Limits and scanner.
 * @returns Sites in document order.
 * @throws {HaechiError} `payload.too_deep` when nesting exceeds `maxDepth`;
 *   `payload.too_many_findings` as soon as the findings exceed `maxFindings`, so a hostile
 *   document stops costing scan time there and never reaches the (per-value) actions.
 *
 * @example
 * ```ts
 * import { collectSites } from "./walk.ts";
 * const sites = collectSites({ value: { a: ["x@y.example"] } }, {
 *   maxDepth: 8, scanKeys: false, scanNumbers: false,
 *   scan: (t) => t.includes("@") ? [{ ruleId: "x-y", type: "email", category: "pii",
 *     start: 0, end: t.length, confidence: 1, hardBlock: false }] : [],
 * });
 * if (sites[0].path !== "$.a[0]") throw new Error(sites[0].path);
 * ```
 */
export function collectSites(root: { value: unknown }, options: WalkOptions): Site[] {
  const sites: Site[] = [];
  const maxFindings = options.maxFindings ?? Infinity;
  let found = 0;
  // Counted as sites are kept (a joined run's parts are scanned twice, but kept once), and
  // checked at once, so a hostile document stops costing scan time where it passes the cap.
  const keep = (site: Site): void => {
    found += site.findings.length;
    if (found > maxFindings) {
      throw new HaechiError(
        "payload.too_many_findings",
        `The payload holds more than ${maxFindings} findings (limits.maxFindings); ` +
          "send it in smaller parts or raise the limit",
        { maxFindings },
      );
    }
    sites.push(site);
  };
  const segments: (string | number)[] = [];
  const { maxDepth, scanKeys, scanNumbers, scan } = options;
  const join = options.joinTextParts === true;
  // `text` members already scanned as part of a joined run.
  const joined = new Set<unknown>();

  /** Scan the runs of sibling text parts of `arr` joined; mark their texts as scanned. */
  const scanRuns = (arr: unknown[]): void => {
    for (const run of textRuns(arr)) {
      for (const i of run.indexes) joined.add(arr[i]);
      if (run.text.length < MIN_SCAN_LENGTH) continue;
      const parts: JoinedPart[] = run.indexes.map((i, n) => {
        segments.push(i, "text");
        const path = renderPath(segments);
        segments.length -= 2;
        const end = n + 1 < run.starts.length ? run.starts[n + 1] : run.text.length;
        return { holder: arr[i] as Record<string, unknown>, start: run.starts[n], end, path };
      });
      const own = parts.map((p) => {
        const text = run.text.slice(p.start, p.end);
        return text.length >= MIN_SCAN_LENGTH ? scan(text) : [];
      });
      const merged = joinFindings(scan(run.text), own, run.starts);
      if (merged !== null) {
        keep({
          holder: parts[0].holder,
          key: "text",
          kind: "joined",
          text: run.text,
          findings: merged,
          path: parts[0].path,
          parts,
        });
        continue;
      }
      // No value crosses a boundary: each part's findings are its own.
      parts.forEach((p, n) => {
        if (own[n].length === 0) return;
        const text = run.text.slice(p.start, p.end);
        keep({
          holder: p.holder,
          key: "text",
          kind: "value",
          text,
          findings: own[n],
          path: p.path,
        });
      });
    }
  };

  const visit = (
    holder: Record<string, unknown> | unknown[],
    key: string | number,
    depth: number,
  ): void => {
    const v = (holder as Record<string | number, unknown>)[key];
    if (typeof v === "string") {
      if (v.length >= MIN_SCAN_LENGTH && !(key === "text" && joined.has(holder))) {
        const findings = scan(v);
        if (findings.length > 0) {
          keep({ holder, key, kind: "value", text: v, findings, path: renderPath(segments) });
        }
      }
      return;
    }
    // A number kept as its lexeme (see json_text.ts) is a frozen object; it is a leaf.
    const raw = isRawNumber(v);
    if (v === null || typeof v !== "object" || raw) {
      if (scanNumbers && (raw || typeof v === "number")) {
        const text = raw ? v.rawJSON : String(v);
        const findings = text.length >= MIN_SCAN_LENGTH ? scan(text) : [];
        if (findings.length > 0) {
          keep({ holder, key, kind: "number", text, findings, path: renderPath(segments) });
        }
      }
      return;
    }
    if (depth >= maxDepth) {
      throw new HaechiError(
        "payload.too_deep",
        `JSON nesting exceeds the limit of ${maxDepth} levels`,
        { maxDepth },
      );
    }
    if (Array.isArray(v)) {
      if (join) scanRuns(v);
      for (let i = 0; i < v.length; i++) {
        segments.push(i);
        visit(v, i, depth + 1);
        segments.pop();
      }
      return;
    }
    const obj = v as Record<string, unknown>;
    for (const k of Object.keys(obj)) {
      segments.push(k);
      if (scanKeys && k.length >= MIN_SCAN_LENGTH) {
        const findings = scan(k);
        if (findings.length > 0) {
          keep({
            holder: obj,
            key: k,
            kind: "key",
            text: k,
            findings,
            path: renderPath(segments) + "#key",
          });
        }
      }
      visit(obj, k, depth + 1);
      segments.pop();
    }
  };
  visit(root as unknown as Record<string, unknown>, "value", 0);
  return sites;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function renderPath(segments: readonly (string | number)[]): string {
  let out = "$";
  for (const s of segments) {
    if (typeof s === "number") out += `[${s}]`;
    else if (IDENTIFIER.test(s)) out += `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}
