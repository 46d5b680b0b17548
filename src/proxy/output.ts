/**
 * What the policy means for model output (the response direction).
 *
 * The request direction is the protector's job. On the way back the same scanner runs
 * again as a second line of defense, but the actions read differently, because the
 * reader is now the caller:
 *
 * - `allow`, `tokenize` and `encrypt` → **allowed for the caller**. Tokenizing output
 *   would only hand the caller a token that restores to the value it replaced; the
 *   caller's own tokens are restored anyway.
 * - `mask` and `redact` → applied, as on requests.
 * - `block` → applied as **redact**: a stream's status line and earlier text are already
 *   on the wire, and non-stream replies behave the same so the two never disagree.
 *
 * Findings are reported with the action actually taken. In dry-run nothing changes but
 * findings are still reported. Scanning happens before tokens are restored, so values
 * the caller sent (and gets back) are not reported again.
 *
 * @module
 */
import type { Action } from "../config/mod.ts";
import {
  type AppliedFinding,
  collectSites,
  isRawNumber,
  joinSplitTextParts,
  maskValue,
  type Protector,
  redactionMarker,
} from "../protect/mod.ts";
import type { Finding } from "../detect/mod.ts";
import { TOKEN_PATTERN, type TokenRestorer } from "../vault/mod.ts";
import { isJsonTextField, jsonStringRestorer } from "./json_restorer.ts";

/**
 * The response-direction action for a configured action.
 *
 * @example
 * ```ts
 * import { outputAction } from "./output.ts";
 * if (outputAction("tokenize") !== "allow" || outputAction("block") !== "redact") throw new Error();
 * ```
 */
export function outputAction(action: Action): Action {
  switch (action) {
    case "tokenize":
    case "encrypt":
      return "allow";
    case "block":
      return "redact";
    default:
      return action;
  }
}

/** Counts of token restorations, for audit. */
export interface RestoreTally {
  /** Tokens restored for this caller. */
  restored: number;
  /** Tokens seen that belong to another scope, or are unknown, expired or corrupt. */
  refused: number;
}

/** Response-direction protection for one caller. */
export interface OutputPolicy {
  /** Protect a piece of text (the text guard's `protect`). */
  protectText(
    text: string,
  ): Promise<{ output: string; findings: AppliedFinding[]; blocked: false }>;
  /** Locate findings (the text guard's `scan`). */
  scan(text: string): readonly Finding[];
  /** Protect every string of a JSON value in place and restore the caller's tokens. */
  protectValue(value: unknown, path: string): Promise<unknown>;
  /** Findings so far (JSON values only; guards report theirs separately). */
  readonly findings: AppliedFinding[];
  /** Restoration counts so far. */
  readonly restores: RestoreTally;
  /** Whether output is changed (enforce mode). */
  readonly enforcing: boolean;
}

/** Options for {@linkcode createOutputPolicy}. */
export interface OutputPolicyOptions {
  /** Token source; without one, tokens stay as they are. */
  readonly restorer?: TokenRestorer;
  /** The caller's scope. */
  readonly scope: string;
  /** Deepest JSON nesting (limits.maxDepth). */
  readonly maxDepth: number;
  /** Scan object keys too. */
  readonly scanKeys: boolean;
  /** Characters kept by `mask`. */
  readonly maskKeep: number;
}

/**
 * Build the response-direction policy for one caller.
 *
 * @param protector The configured protector (its scanner and policy are reused).
 * @param options Scope, restorer and limits.
 * @returns The policy.
 *
 * @example
 * ```ts
 * import { createOutputPolicy } from "./output.ts";
 * import { createProtector } from "../protect/mod.ts";
 * import { DEFAULT_CONFIG } from "../config/defaults.ts";
 * const out = createOutputPolicy(createProtector(DEFAULT_CONFIG), {
 *   scope: "default", maxDepth: 64, scanKeys: false, maskKeep: 4 });
 * const r = await out.protectText("key ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8");
 * if (r.output.includes("ghp_")) throw new Error(r.output);
 * ```
 */
export function createOutputPolicy(
  protector: Protector,
  options: OutputPolicyOptions,
): OutputPolicy {
  const { policy, scanner } = protector;
  const enforcing = policy.enforcing;
  const findings: AppliedFinding[] = [];
  // Tokens the gateway issued are not secrets in the output: their random part would
  // otherwise read as a high-entropy credential.
  const scan = (text: string): Finding[] => {
    const found = scanner.scan(text);
    if (found.length === 0 || !text.includes("[TOKEN:")) return found;
    const spans = [...text.matchAll(TOKEN_PATTERN)].map((m) => [m.index, m.index + m[0].length]);
    return found.filter((f) => !spans.some(([a, b]) => f.start < b && f.end > a));
  };
  const restores: RestoreTally = { restored: 0, refused: 0 };

  function describe(f: Finding, path: string): AppliedFinding {
    return {
      type: f.type,
      ruleId: f.ruleId,
      category: f.category,
      action: outputAction(policy.actionFor(f.type)),
      confidence: f.confidence,
      path,
      start: f.start,
      end: f.end,
    };
  }

  function apply(text: string, found: readonly Finding[]): string {
    if (!enforcing || found.length === 0) return text;
    let out = "";
    let pos = 0;
    for (const f of found) {
      if (f.start < pos) continue;
      const action = outputAction(policy.actionFor(f.type));
      const value = text.slice(f.start, f.end);
      const replacement = action === "mask"
        ? maskValue(value, options.maskKeep)
        : action === "redact"
        ? redactionMarker(f.type)
        : value;
      out += text.slice(pos, f.start) + replacement;
      pos = f.end;
    }
    return out + text.slice(pos);
  }

  const jsonRestorer = options.restorer === undefined
    ? undefined
    : jsonStringRestorer(options.restorer);

  /** Restore tokens in `text`; `json` when it is JSON source (tool-call arguments). */
  async function restore(text: string, json: boolean): Promise<string> {
    const source = json ? jsonRestorer : options.restorer;
    if (source === undefined || !text.includes("[TOKEN:")) return text;
    const r = await source.restoreTokens(text, options.scope);
    restores.restored += r.counts.restored;
    restores.refused += r.counts.foreignScope + r.counts.unknown + r.counts.expired +
      r.counts.corrupt;
    return r.text;
  }

  return {
    enforcing,
    findings,
    restores,
    scan,
    protectText(text) {
      const found = scan(text);
      return Promise.resolve({
        output: apply(text, found),
        findings: found.map((f) => describe(f, "$")),
        blocked: false,
      });
    },
    async protectValue(value, path) {
      const root = { value: joinParts(value, scan, options.maxDepth) };
      const sites = collectSites(root, {
        maxDepth: options.maxDepth,
        scanKeys: options.scanKeys,
        scanNumbers: false,
        scan,
      });
      for (const site of sites) {
        const where = site.path === "$" ? path : path + site.path.slice(1);
        for (const f of site.findings) findings.push(describe(f, where));
        if (!enforcing) continue;
        const replaced = apply(site.text, site.findings);
        const holder = site.holder as Record<string | number, unknown>;
        if (site.kind === "key") {
          const v = holder[site.key];
          delete holder[site.key];
          holder[replaced] = v;
        } else if (site.kind === "value") {
          holder[site.key] = replaced;
        }
      }
      if (options.restorer !== undefined) await restoreStrings(root, restore);
      return root.value;
    },
  };
}

/**
 * Restore tokens in every string of `root.value` that holds one, in place. Strings under a
 * JSON-text key (tool-call `arguments`) get JSON-escaped values.
 */
async function restoreStrings(
  root: { value: unknown },
  restore: (t: string, json: boolean) => Promise<string>,
): Promise<void> {
  const stack: Array<Record<string | number, unknown>> = [root as Record<string, unknown>];
  while (stack.length > 0) {
    const holder = stack.pop()!;
    for (const k of Object.keys(holder)) {
      const v = holder[k];
      if (typeof v === "string") {
        if (v.includes("[TOKEN:")) holder[k] = await restore(v, isJsonTextField(k));
      } else if (v !== null && typeof v === "object" && !isRawNumber(v)) {
        stack.push(v as Record<string, unknown>);
      }
    }
  }
}

/**
 * `value` with every array's sibling text parts joined where a finding spans them (a reader
 * shows a message's text blocks or parts as one text). Arrays are replaced in place; nesting
 * past `maxDepth` is left to the walk, which refuses it.
 */
function joinParts(
  value: unknown,
  scan: (text: string) => readonly Finding[],
  maxDepth: number,
): unknown {
  const visit = (v: unknown, depth: number): unknown => {
    if (v === null || typeof v !== "object" || isRawNumber(v) || depth > maxDepth) return v;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) v[i] = visit(v[i], depth + 1);
      return v.length > 1 ? joinSplitTextParts(v, scan) as unknown[] : v;
    }
    const o = v as Record<string, unknown>;
    for (const k in o) {
      const x = o[k];
      if (x !== null && typeof x === "object" && !isRawNumber(x)) o[k] = visit(x, depth + 1);
    }
    return o;
  };
  return visit(value, 0);
}
