/**
 * What happens to a reply: the one place that decides it, for the proxy, MCP and the CLI.
 *
 * A reply's treatment depends on who reads it next.
 *
 * **The caller reads it** (a model's answer on its way back through the proxy):
 * {@linkcode createReplyProtection}. The same scanner runs again as a second line of
 * defense, but the actions read differently, because the reader is now the caller:
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
 * **A model reads it** (a tool's result on its way into a model's context, through the MCP
 * filter, `haechi mcp-wrap` or `haechi mcp-stdio`): {@linkcode protectToolReply}. The value
 * is leaving toward a model, so the request-direction policy applies in full (tokenize,
 * encrypt, block), and tokens are not restored.
 *
 * @module
 */
import type { Action } from "../config/mod.ts";
import type { Finding } from "../detect/mod.ts";
import type { AppliedFinding, ProtectCallOptions, Protector, ProtectOutcome } from "./protector.ts";
import { collectSites } from "./walk.ts";
import { isRawNumber } from "./json_text.ts";
import { joinSplitTextParts } from "./join_parts.ts";
import { maskValue, redactionMarker, spliceFindings } from "./replacement.ts";
import { TOKEN_PATTERN, type TokenRestorer } from "./reversible.ts";
import { isJsonTextField, jsonStringRestorer } from "./json_restorer.ts";

/**
 * Protect a tool's reply on its way to a model: the request-direction policy, with the
 * reply's JSON numbers scanned only under `detect.scanNumbers`.
 *
 * @param protector The configured protector.
 * @param value The reply's payload; changed in place in enforce mode.
 * @param options Scope and the set that records minted tokens.
 * @returns What protecting it did.
 *
 * @example
 * ```ts
 * import { protectToolReply } from "./reply.ts";
 * import { createProtector } from "./protector.ts";
 * import { DEFAULT_CONFIG } from "../config/defaults.ts";
 * const p = createProtector({ ...DEFAULT_CONFIG, policy: { ...DEFAULT_CONFIG.policy,
 *   actions: { email: "redact" } } });
 * const r = await protectToolReply(p, { text: "bob@acme-corp.com" });
 * if ((r.output as { text: string }).text !== "[REDACTED:email]") throw new Error();
 * ```
 */
export function protectToolReply(
  protector: Protector,
  value: unknown,
  options: Omit<ProtectCallOptions, "direction"> = {},
): Promise<ProtectOutcome<unknown>> {
  return protector.protectJson(value, { ...options, direction: "response" });
}

/**
 * The action taken on a reply the caller reads, for a configured action.
 *
 * @example
 * ```ts
 * import { replyAction } from "./reply.ts";
 * if (replyAction("tokenize") !== "allow" || replyAction("block") !== "redact") throw new Error();
 * ```
 */
export function replyAction(action: Action): Action {
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

/** Protection of the replies one caller reads. */
export interface ReplyProtection {
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

/** Options for {@linkcode createReplyProtection}. */
export interface ReplyProtectionOptions {
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
 * Build the protection of the replies one caller reads.
 *
 * @param protector The configured protector (its scanner and policy are reused).
 * @param options Scope, restorer and limits.
 * @returns The reply protection.
 *
 * @example
 * ```ts
 * import { createReplyProtection } from "./reply.ts";
 * import { createProtector } from "./protector.ts";
 * import { DEFAULT_CONFIG } from "../config/defaults.ts";
 * const out = createReplyProtection(createProtector(DEFAULT_CONFIG), {
 *   scope: "default", maxDepth: 64, scanKeys: false, maskKeep: 4 });
 * const r = await out.protectText("key ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8");
 * if (r.output.includes("ghp_")) throw new Error(r.output);
 * ```
 */
export function createReplyProtection(
  protector: Protector,
  options: ReplyProtectionOptions,
): ReplyProtection {
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
      action: replyAction(policy.actionFor(f.type)),
      confidence: f.confidence,
      path,
      start: f.start,
      end: f.end,
    };
  }

  function apply(text: string, found: readonly Finding[]): string {
    if (!enforcing || found.length === 0) return text;
    const replacements = found.map((f) => {
      const action = replyAction(policy.actionFor(f.type));
      const value = text.slice(f.start, f.end);
      return action === "mask"
        ? maskValue(value, options.maskKeep)
        : action === "redact"
        ? redactionMarker(f.type)
        : value;
    });
    return spliceFindings(text, found, replacements);
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
