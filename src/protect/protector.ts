/**
 * The protect pipeline: scan text or JSON, decide an action per finding, and (in enforce
 * mode) apply it without breaking JSON validity.
 *
 * @module
 */
import type { Action, HaechiConfig, Mode } from "../config/mod.ts";
import { HaechiError } from "../errors.ts";
import {
  BUILTIN_RULES,
  type Category,
  compileCustomRule,
  createScanner,
  type Finding,
  type Rule,
  type Scanner,
} from "../detect/mod.ts";
import { compilePolicy, type Policy } from "../policy/mod.ts";
import { maskValue, redactionMarker, spliceFindings } from "./replacement.ts";
import type { ReversibleActions } from "./reversible.ts";
import { collectSites, type Site, type WalkOptions } from "./walk.ts";
import { pathAllowlistFilter } from "./path_allowlist.ts";
import { checkSize, parseJsonText } from "./json_text.ts";
import { splitReplaced } from "./join_parts.ts";

/** A finding with the action the policy gave it and where it sits. */
export interface AppliedFinding {
  /** Finding type. */
  readonly type: string;
  /** Rule that matched. */
  readonly ruleId: string;
  /** Credential or personal data. */
  readonly category: Category;
  /** Action decided by the policy (applied only in enforce mode). */
  readonly action: Action;
  /** 0..1. */
  readonly confidence: number;
  /** JSONPath-style location (`$` for plain text). */
  readonly path: string;
  /** Offsets inside the string at `path`. */
  readonly start: number;
  /** End offset (exclusive). */
  readonly end: number;
  /** Set when found inside decoded content. */
  readonly encoding?: Finding["encoding"];
}

/** What protecting one payload did. */
export interface ProtectOutcome<T> {
  /** Protected payload; the original in dry-run; `null` when blocked. */
  readonly output: T | null;
  /** True when enforce mode blocked the payload. */
  readonly blocked: boolean;
  /** True when a finding's action is `block` (in dry-run too). */
  readonly wouldBlock: boolean;
  /** Effective mode. */
  readonly mode: Mode;
  /** Every finding with its action. */
  readonly findings: readonly AppliedFinding[];
}

/** Per-call options. */
export interface ProtectCallOptions {
  /** Scope for tokens (tenant, caller or session); default `"default"`. */
  readonly scope?: string;
  /**
   * Which way the payload travels (default `"request"`). Requests (what leaves toward a
   * model or tool) always have their JSON numbers scanned; responses only with
   * `detect.scanNumbers`, since their numbers are mostly counts, durations and timestamps.
   */
  readonly direction?: "request" | "response";
  /**
   * Receives every token this call issues (`[TOKEN:…]`, as it appears in the output), so
   * the caller can later restore exactly what its own payload minted (see docs/vault.md).
   */
  readonly issued?: { add(token: string): unknown };
}

/** A configured protector. */
export interface Protector {
  /** The compiled policy (mode and per-type actions). */
  readonly policy: Policy;
  /** The scanner in use. */
  readonly scanner: Scanner;
  /** Protect plain text. */
  protectText(text: string, options?: ProtectCallOptions): Promise<ProtectOutcome<string>>;
  /**
   * Protect a parsed JSON value. The value is changed in place in enforce mode; pass a copy
   * when the original is still needed.
   */
  protectJson(value: unknown, options?: ProtectCallOptions): Promise<ProtectOutcome<unknown>>;
  /**
   * Parse, protect and serialize JSON text, enforcing the size and depth limits. The output
   * is always re-serialized from the parsed value, never the input bytes, so what was
   * scanned is exactly what goes out (a duplicate key's shadowed value is dropped).
   */
  protectJsonText(text: string, options?: ProtectCallOptions): Promise<ProtectOutcome<string>>;
  /** Parse JSON text and report findings without changing anything. */
  scanJsonText(text: string): AppliedFinding[];
}

/** Dependencies a protector may be given. */
export interface ProtectorDeps {
  /** Rule table (default: the built-in rules minus `detect.disabledRules`). */
  readonly rules?: readonly Rule[];
  /** Tokenize/encrypt provider; without one those actions fail closed. */
  readonly reversible?: ReversibleActions;
}

/**
 * Build a protector from validated config. Rules and policy compile once here.
 *
 * @param config Validated configuration.
 * @param deps Optional rule table and reversible-action provider.
 * @returns The protector.
 *
 * @example
 * ```ts
 * import { createProtector } from "./protector.ts";
 * import { DEFAULT_CONFIG } from "../config/defaults.ts";
 * const p = createProtector({ ...DEFAULT_CONFIG, policy: { ...DEFAULT_CONFIG.policy,
 *   actions: { email: "redact" } } });
 * const r = await p.protectJsonText('{"q":"mail bob@acme-corp.com now"}');
 * if (r.output !== '{"q":"mail [REDACTED:email] now"}') throw new Error(String(r.output));
 * ```
 */
export function createProtector(config: HaechiConfig, deps: ProtectorDeps = {}): Protector {
  const disabled = new Set(config.detect.disabledRules);
  const rules = [...(deps.rules ?? BUILTIN_RULES), ...customRules(config)].filter((r) =>
    !disabled.has(r.id)
  );
  const scanner = createScanner(rules, {
    minConfidence: config.filters.minConfidence,
    allowlist: config.filters.allowlist.filter((e): e is string => typeof e === "string"),
    decode: config.detect.decode ? { maxDepth: config.detect.decodeMaxDepth } : false,
  });
  const policy = compilePolicy(config, rules);
  const allowedAtPath = pathAllowlistFilter(config.filters.allowlist);
  const sitesOf = (root: { value: unknown }, options: WalkOptions) => {
    const sites = collectSites(root, options);
    return allowedAtPath === null ? sites : allowedAtPath(sites);
  };
  const scan = (t: string) => scanner.scan(t);
  const walkOptions = {
    maxDepth: config.limits.maxDepth,
    maxFindings: config.limits.maxFindings,
    scanKeys: config.detect.scanKeys,
    scanNumbers: true,
    joinTextParts: true,
    scan,
  };
  const responseWalk = { ...walkOptions, scanNumbers: config.detect.scanNumbers };
  const walkFor = (o: ProtectCallOptions) =>
    o.direction === "response" ? responseWalk : walkOptions;
  const maxBytes = config.limits.maxBytes;
  const maskKeep = config.policy.maskKeep;
  const reversible = deps.reversible;

  function describe(sites: readonly Site[]): AppliedFinding[] {
    const out: AppliedFinding[] = [];
    for (const site of sites) {
      for (const f of site.findings) {
        const action = policy.actionFor(f.type);
        // A joined run's finding is reported in the part where it starts.
        const part = site.parts?.findLast((p) => p.start <= f.start);
        const shift = part?.start ?? 0;
        const applied: AppliedFinding = {
          type: f.type,
          ruleId: f.ruleId,
          category: f.category,
          action,
          confidence: f.confidence,
          path: part?.path ?? site.path,
          start: f.start - shift,
          end: f.end - shift,
        };
        out.push(f.encoding === undefined ? applied : { ...applied, encoding: f.encoding });
      }
    }
    return out;
  }

  /** The site's new text; for a joined run, each part's new text. */
  async function replaceIn(
    site: Site,
    options: ProtectCallOptions,
  ): Promise<string | string[]> {
    const replacements: string[] = [];
    for (const f of site.findings) {
      replacements.push(await replacementFor(site.text.slice(f.start, f.end), f.type, options));
    }
    if (site.parts !== undefined) {
      return splitReplaced(site.text, site.findings, replacements, site.parts);
    }
    return spliceFindings(site.text, site.findings, replacements);
  }

  async function replacementFor(
    value: string,
    type: string,
    options: ProtectCallOptions,
  ): Promise<string> {
    const action = policy.actionFor(type);
    switch (action) {
      case "allow":
        return value;
      case "mask":
        return maskValue(value, maskKeep);
      case "redact":
      case "block":
        return redactionMarker(type);
      case "tokenize":
      case "encrypt": {
        if (reversible === undefined) {
          throw new HaechiError(
            "action.unavailable",
            `The "${action}" action for "${type}" needs the token vault, which is not configured`,
            { action, type },
          );
        }
        const ctx = { type, scope: options.scope ?? "default" };
        if (action === "encrypt") return reversible.encrypt(value, ctx);
        const token = await reversible.tokenize(value, ctx);
        options.issued?.add(token);
        return token;
      }
    }
  }

  async function run(
    root: { value: unknown },
    options: ProtectCallOptions,
  ): Promise<ProtectOutcome<unknown>> {
    const sites = sitesOf(root, walkFor(options));
    const findings = describe(sites);
    const wouldBlock = findings.some((f) => f.action === "block");
    if (!policy.enforcing || findings.length === 0) {
      return { output: root.value, blocked: false, wouldBlock, mode: policy.mode, findings };
    }
    if (wouldBlock) {
      return { output: null, blocked: true, wouldBlock, mode: policy.mode, findings };
    }
    const replaced: (string | string[])[] = [];
    for (const site of sites) replaced.push(await replaceIn(site, options));
    applyReplacements(sites, replaced);
    return { output: root.value, blocked: false, wouldBlock, mode: policy.mode, findings };
  }

  return {
    policy,
    scanner,
    async protectText(text, options = {}) {
      checkSize(text, maxBytes);
      const r = await run({ value: text }, options);
      return r as ProtectOutcome<string>;
    },
    protectJson(value, options = {}) {
      return run({ value }, options);
    },
    async protectJsonText(text, options = {}) {
      const value = parseJsonText(text, maxBytes);
      const r = await run({ value }, options);
      if (r.output === null) return { ...r, output: null };
      return { ...r, output: JSON.stringify(r.output) };
    },
    scanJsonText(text) {
      return describe(sitesOf({ value: parseJsonText(text, maxBytes) }, walkOptions));
    },
  };
}

/** Write replacements back: values first, then key renames (which rebuild their object). */
function applyReplacements(
  sites: readonly Site[],
  replaced: readonly (string | string[])[],
): void {
  const renames = new Map<Record<string, unknown>, Map<string, string>>();
  sites.forEach((site, i) => {
    const r = replaced[i];
    if (Array.isArray(r)) {
      site.parts!.forEach((p, n) => p.holder.text = r[n]);
    } else if (site.kind === "key") {
      const holder = site.holder as Record<string, unknown>;
      let m = renames.get(holder);
      if (m === undefined) renames.set(holder, m = new Map());
      m.set(site.key as string, r);
    } else if (site.kind === "value" || r !== site.text) {
      // A number is rewritten as a string; one left as it was keeps its type.
      (site.holder as Record<string | number, unknown>)[site.key] = r;
    }
  });
  for (const [obj, m] of renames) {
    const entries = Object.entries(obj);
    for (const k of Object.keys(obj)) delete obj[k];
    for (const [k, v] of entries) {
      let name = m.get(k) ?? k;
      // Two keys redacted to the same marker must not overwrite each other.
      for (let n = 2; Object.hasOwn(obj, name); n++) name = `${m.get(k) ?? k}#${n}`;
      obj[name] = v;
    }
  }
}

/** Rows for `filters.customRules`; the config loader already refused any that fail. */
function customRules(config: HaechiConfig): Rule[] {
  return config.filters.customRules.map((spec) => {
    const rule = compileCustomRule(spec);
    if (typeof rule === "string") {
      throw new HaechiError("config.invalid", `Custom rule ${JSON.stringify(spec.id)}: ${rule}`);
    }
    return rule;
  });
}
