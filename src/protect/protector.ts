/**
 * The protect pipeline: scan text or JSON, decide an action per finding, and (in enforce
 * mode) apply it without breaking JSON validity.
 *
 * @module
 */
import type { Action, HaechiConfig, Mode } from "../config/types.ts";
import { HaechiError } from "../errors.ts";
import type { Category, Finding, Rule } from "../detect/rule.ts";
import { createScanner, type Scanner } from "../detect/scanner.ts";
import { BUILTIN_RULES } from "../detect/rules/mod.ts";
import { compileCustomRule } from "../detect/custom_rules.ts";
import { compilePolicy, type Policy } from "../policy/policy.ts";
import { maskValue, redactionMarker } from "./replacement.ts";
import type { ReversibleActions } from "./reversible.ts";
import { collectSites, type Site } from "./walk.ts";

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
  /** Parse, protect and serialize JSON text, enforcing the size and depth limits. */
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
    allowlist: config.filters.allowlist,
    decode: config.detect.decode ? { maxDepth: config.detect.decodeMaxDepth } : false,
  });
  const policy = compilePolicy(config, rules);
  const scan = (t: string) => scanner.scan(t);
  const walkOptions = {
    maxDepth: config.limits.maxDepth,
    scanKeys: config.detect.scanKeys,
    scanNumbers: config.detect.scanNumbers,
    scan,
  };
  const maxBytes = config.limits.maxBytes;
  const maskKeep = config.policy.maskKeep;
  const reversible = deps.reversible;

  function describe(sites: readonly Site[]): AppliedFinding[] {
    const out: AppliedFinding[] = [];
    for (const site of sites) {
      for (const f of site.findings) {
        const action = policy.actionFor(f.type);
        const applied: AppliedFinding = {
          type: f.type,
          ruleId: f.ruleId,
          category: f.category,
          action,
          confidence: f.confidence,
          path: site.path,
          start: f.start,
          end: f.end,
        };
        out.push(f.encoding === undefined ? applied : { ...applied, encoding: f.encoding });
      }
    }
    return out;
  }

  async function replaceIn(site: Site, scope: string): Promise<string> {
    let out = "";
    let pos = 0;
    for (const f of site.findings) {
      const value = site.text.slice(f.start, f.end);
      out += site.text.slice(pos, f.start) + await replacementFor(value, f.type, scope);
      pos = f.end;
    }
    return out + site.text.slice(pos);
  }

  function replacementFor(value: string, type: string, scope: string): Promise<string> | string {
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
        const ctx = { type, scope };
        return action === "tokenize"
          ? reversible.tokenize(value, ctx)
          : reversible.encrypt(value, ctx);
      }
    }
  }

  async function run(
    root: { value: unknown },
    scope: string,
  ): Promise<ProtectOutcome<unknown>> {
    const sites = collectSites(root, walkOptions);
    const findings = describe(sites);
    const wouldBlock = findings.some((f) => f.action === "block");
    if (!policy.enforcing || findings.length === 0) {
      return { output: root.value, blocked: false, wouldBlock, mode: policy.mode, findings };
    }
    if (wouldBlock) {
      return { output: null, blocked: true, wouldBlock, mode: policy.mode, findings };
    }
    const replaced: string[] = [];
    for (const site of sites) replaced.push(await replaceIn(site, scope));
    applyReplacements(sites, replaced);
    return { output: root.value, blocked: false, wouldBlock, mode: policy.mode, findings };
  }

  return {
    policy,
    scanner,
    async protectText(text, options = {}) {
      checkSize(text, maxBytes);
      const r = await run({ value: text }, options.scope ?? "default");
      return r as ProtectOutcome<string>;
    },
    protectJson(value, options = {}) {
      return run({ value }, options.scope ?? "default");
    },
    async protectJsonText(text, options = {}) {
      const value = parseJsonText(text, maxBytes);
      const r = await run({ value }, options.scope ?? "default");
      if (r.output === null) return { ...r, output: null };
      // Unchanged payloads go out byte for byte, without a serialize round trip.
      const changed = policy.enforcing && r.findings.length > 0;
      return { ...r, output: changed ? JSON.stringify(r.output) : text };
    },
    scanJsonText(text) {
      return describe(collectSites({ value: parseJsonText(text, maxBytes) }, walkOptions));
    },
  };
}

/** Reject input over the byte limit before any work. Counts UTF-8 bytes without encoding. */
function checkSize(text: string, maxBytes: number): void {
  // A UTF-16 unit encodes to at most 3 UTF-8 bytes; only measure exactly near the limit.
  if (text.length * 3 <= maxBytes) return;
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > maxBytes) {
    throw new HaechiError(
      "payload.too_large",
      `Payload of ${bytes} bytes exceeds the limit of ${maxBytes} bytes`,
      { bytes, maxBytes },
    );
  }
}

/**
 * Parse JSON text under the size limit, turning syntax errors into `input.invalid_json`.
 * The parser's message names the position but not the surrounding text.
 */
export function parseJsonText(text: string, maxBytes: number): unknown {
  checkSize(text, maxBytes);
  try {
    return JSON.parse(text);
  } catch (e) {
    const where = /position \d+(?: \(line \d+ column \d+\))?/.exec((e as Error).message);
    throw new HaechiError(
      "input.invalid_json",
      `Input is not valid JSON${where ? ` (at ${where[0]})` : ""}`,
    );
  }
}

/** Write replacements back: values first, then key renames (which rebuild their object). */
function applyReplacements(sites: readonly Site[], replaced: readonly string[]): void {
  const renames = new Map<Record<string, unknown>, Map<string, string>>();
  sites.forEach((site, i) => {
    if (site.kind === "key") {
      const holder = site.holder as Record<string, unknown>;
      let m = renames.get(holder);
      if (m === undefined) renames.set(holder, m = new Map());
      m.set(site.key as string, replaced[i]);
    } else {
      (site.holder as Record<string | number, unknown>)[site.key] = replaced[i];
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
