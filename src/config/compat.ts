/**
 * haechi 1.4 config files, read as they are: the one place where 1.4's key names and values
 * are mapped onto this project's schema, before validation.
 *
 * Each 1.4 key falls in one of four groups (docs/compat.md lists every key):
 * - **renamed**: the same meaning under another name here (`target.upstream` →
 *   `proxy.upstream`, `limits.maxRequestBytes` → `limits.maxBytes`, ...). Naming both
 *   with different values is an error, never a silent choice.
 * - **translated**: same meaning, other value form (`revealPolicy: "disabled"` → `"deny"`,
 *   `retentionDays` → `ttlSeconds`, `policy.presets` → per-type actions).
 * - **kept stricter**: the key asks for less checking than haechi does (replies not scanned,
 *   params not protected). It is accepted, haechi keeps checking, and a note says so in
 *   `haechi status`.
 * - **not built**: a value that needs something this build does not have (bearer auth, an
 *   injected crypto provider, TLS termination). It fails closed with a message that says
 *   what to use instead, so nobody believes a control is on when it is not.
 *
 * Anything else stays where it is, so an unknown key still fails validation.
 *
 * @module
 */
import type { Action } from "./types.ts";
import { ACTIONS } from "./types.ts";
import type { ConfigIssue } from "./_check.ts";
import { describeGot } from "./_check.ts";
import { expandActionMap } from "./type_aliases.ts";
import { isObj, list, Mapper, modeValue, type Obj, q } from "./_compat_mapper.ts";
import {
  mapAudit,
  mapAuth,
  mapFilters,
  mapKeys,
  mapMcp,
  mapPrivacy,
  mapTokenVault,
} from "./_compat_sections.ts";
import { SPEC_PRESETS, specPresetActions } from "./compat_presets.ts";
import { CONFIG_SCHEMA } from "./schema.ts";

const SCHEMA_PATHS = new Set(CONFIG_SCHEMA.map((k) => k.path));

/** A 1.4 key that was accepted but behaves differently here. */
export interface CompatNote {
  /** Dotted 1.4 path, e.g. `responseProtection.enabled`. */
  readonly key: string;
  /** What haechi does instead, in one sentence. */
  readonly note: string;
}

/** What {@linkcode fromSpecConfig} returns. */
export interface CompatResult {
  /** The file in this project's shape (a copy; the input is not changed). */
  readonly raw: unknown;
  /** Accepted keys whose effect differs from 1.4. */
  readonly notes: readonly CompatNote[];
  /** Values that cannot be honoured, or conflicts between a 1.4 key and ours. */
  readonly issues: readonly ConfigIssue[];
}

/**
 * Map a parsed 1.4-style (or mixed) config file onto this project's schema.
 *
 * @param raw The value `JSON.parse` produced.
 * @returns The mapped copy, notes for `status`, and issues for what cannot be honoured.
 *
 * @example
 * ```ts
 * import { fromSpecConfig } from "./compat.ts";
 * const r = fromSpecConfig({ mode: "enforce", policy: { mode: "enforce" } });
 * const raw = r.raw as { configVersion: number; mode: string };
 * if (raw.configVersion !== 1 || raw.mode !== "enforce") throw new Error("minimal 1.4 config");
 * ```
 */
export function fromSpecConfig(raw: unknown): CompatResult {
  if (!isObj(raw)) return { raw, notes: [], issues: [] };
  const m = new Mapper(structuredClone(raw));
  const root = m.root;
  // 1.4: an absent configVersion means the current one.
  if (!Object.hasOwn(root, "configVersion")) root.configVersion = 1;
  if (Object.hasOwn(root, "mode")) root.mode = modeValue(m, "mode", root.mode);
  mapTarget(m);
  mapProxy(m);
  mapResponseProtection(m);
  mapStreaming(m);
  mapLimits(m);
  // Auth first: a bearer config's first error should name the missing auth, not its profiles.
  mapAuth(m);
  mapPolicy(m);
  mapFilters(m);
  mapKeys(m);
  mapAudit(m);
  mapTokenVault(m);
  mapPrivacy(m);
  mapMcp(m);
  return { raw: root, notes: m.notes, issues: m.issues };
}

const TARGET_TYPES = [
  "llm-http",
  "openai-compatible",
  "vllm-openai",
  "ollama",
  "llama-cpp",
  "anthropic",
  "gemini",
];

function mapTarget(m: Mapper): void {
  const t = m.section("target");
  if (t === undefined) return;
  const upstream = m.take(t, "upstream");
  if (upstream !== undefined) m.put("proxy.upstream", upstream, "target.upstream");
  for (const key of ["type", "adapter"]) {
    const v = m.take(t, key);
    if (v === undefined) continue;
    if (typeof v !== "string" || !TARGET_TYPES.includes(v)) {
      m.fail(
        `target.${key}`,
        `"target.${key}" must be one of ${list(TARGET_TYPES)}, got ${describeGot(v)}`,
      );
      continue;
    }
    if (v !== "llm-http" && v !== "openai-compatible") {
      m.note(
        `target.${key}`,
        `${v}: haechi picks the protocol of each request by its path, so every adapter is served`,
      );
    }
  }
  const headers = m.take(t, "forwardHeaders");
  if (headers !== undefined) checkForwardHeaders(m, headers);
  m.dropSection("target", ["type", "adapter", "upstream", "forwardHeaders"]);
}

/** Headers haechi never forwards, whatever a config says. */
const NEVER_FORWARDED = [
  "authorization",
  "cookie",
  "set-cookie",
  "proxy-authorization",
  "connection",
  "keep-alive",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "host",
];

/**
 * 1.4 and haechi both forward an explicit header list that a config may extend; 1.4's
 * extension is `proxy.forwardHeaders` here. 1.4's checks apply first: lowercase names, and
 * never a credential or hop-by-hop header.
 */
function checkForwardHeaders(m: Mapper, headers: unknown): void {
  const ok = Array.isArray(headers) &&
    headers.every((h) => typeof h === "string" && h !== "" && h === h.toLowerCase());
  if (!ok) {
    m.fail(
      "target.forwardHeaders",
      `"target.forwardHeaders" must be an array of lowercase header names, got ${
        describeGot(headers)
      }`,
    );
    return;
  }
  const bad = (headers as string[]).find((h) => NEVER_FORWARDED.includes(h));
  if (bad !== undefined) {
    m.fail(
      "target.forwardHeaders",
      `"target.forwardHeaders" names ${q(bad)}, which is never forwarded`,
    );
  } else {
    m.put("proxy.forwardHeaders", headers, "target.forwardHeaders");
  }
}

function mapProxy(m: Mapper): void {
  const p = m.section("proxy");
  if (p === undefined) return;
  mapTls(m, p);
  // proxy.trustForwardedProto is a key of this schema too; it passes through as it is.
}

/**
 * `proxy.tls` is this schema's key too, in both of 1.4's forms (`{certFile, keyFile}` or
 * `{pfxFile, passphrase?}`); here `null` means none and the forms are checked not to mix.
 */
function mapTls(m: Mapper, p: Obj): void {
  if (!Object.hasOwn(p, "tls")) return;
  const tls = p.tls;
  if (tls === null) {
    delete p.tls;
    return;
  }
  if (!isObj(tls)) return; // the validator names the wrong shape
  const given = (k: string) => typeof tls[k] === "string" && tls[k] !== "";
  if (given("pfxFile") && (given("certFile") || given("keyFile"))) {
    m.fail("proxy.tls.pfxFile", '"proxy.tls" mixes pfxFile with certFile/keyFile; give one form');
  } else if (given("passphrase") && !given("pfxFile")) {
    m.fail(
      "proxy.tls.passphrase",
      '"proxy.tls.passphrase" is the password of pfxFile; set pfxFile',
    );
  } else if (given("certFile") !== given("keyFile")) {
    m.fail(
      "proxy.tls",
      '"proxy.tls" needs both certFile and keyFile (PEM files), or a pfxFile, or neither',
    );
  }
}

function mapResponseProtection(m: Mapper): void {
  const r = m.section("responseProtection");
  if (r === undefined) return;
  const bool = (key: string, stricter: boolean | undefined, note: string) => {
    const v = m.take(r, key);
    if (v === undefined) return;
    if (typeof v !== "boolean") {
      m.fail(
        `responseProtection.${key}`,
        `"responseProtection.${key}" must be true or false, got ${describeGot(v)}`,
      );
    } else if (stricter === undefined || v !== stricter) m.note(`responseProtection.${key}`, note);
  };
  bool("enabled", true, "false is kept stricter: haechi scans every reply and stream");
  bool("allowNonJson", false, "true is kept stricter: a reply haechi cannot read is refused");
  bool(
    "allowCompressed",
    false,
    "true is kept stricter: compressed replies are decoded and scanned, or refused",
  );
  bool("scanNumbers", undefined, "reply numbers follow detect.scanNumbers");
  const mode = m.take(r, "mode");
  if (mode !== undefined) {
    if (!["dry-run", "report-only", "enforce"].includes(mode as string)) {
      m.fail(
        "responseProtection.mode",
        `"responseProtection.mode" must be one of "dry-run", "report-only", "enforce", got ${
          describeGot(mode)
        }`,
      );
    } else if (mode !== "enforce") {
      m.note("responseProtection.mode", "replies follow the global mode");
    }
  }
  const failure = m.take(r, "failureMode");
  if (failure !== undefined) {
    if (failure !== "fail-closed" && failure !== "allow") {
      m.fail(
        "responseProtection.failureMode",
        `"responseProtection.failureMode" must be "fail-closed" or "allow", got ${
          describeGot(failure)
        }`,
      );
    } else if (failure === "allow") {
      m.note("responseProtection.failureMode", "allow is kept stricter: haechi fails closed");
    }
  }
  const max = m.take(r, "maxBytes");
  if (max !== undefined) {
    if (!Number.isInteger(max) || (max as number) < 1) {
      m.fail(
        "responseProtection.maxBytes",
        `"responseProtection.maxBytes" must be a positive integer, got ${describeGot(max)}`,
      );
    } else {
      m.note(
        "responseProtection.maxBytes",
        "reply bodies are scanned as they stream; single events are capped by proxy.stream.maxEventBytes",
      );
    }
  }
  m.dropSection("responseProtection", [
    "enabled",
    "mode",
    "failureMode",
    "allowNonJson",
    "allowCompressed",
    "maxBytes",
    "scanNumbers",
  ]);
}

function mapStreaming(m: Mapper): void {
  const s = m.section("streaming");
  if (s === undefined) return;
  const request = m.take(s, "requestMode");
  if (request !== undefined) {
    if (!["block", "pass-through", "inspect"].includes(request as string)) {
      m.fail(
        "streaming.requestMode",
        `"streaming.requestMode" must be one of "block", "pass-through", "inspect", got ${
          describeGot(request)
        }`,
      );
    } else if (request === "pass-through") {
      m.note("streaming.requestMode", "pass-through is kept stricter: streams are inspected");
    } else if (request === "block") {
      // Stricter than haechi's default, so honoured: streaming requests get 501.
      m.put("proxy.stream.requests", "block", "streaming.requestMode");
      m.note(
        "streaming.requestMode",
        "block honoured: streaming requests get 501 (haechi's default inspects them)",
      );
    } else {
      m.put("proxy.stream.requests", "inspect", "streaming.requestMode");
    }
  }
  const response = m.take(s, "responseMode");
  if (response !== undefined) {
    if (!["dry-run", "report-only", "enforce"].includes(response as string)) {
      m.fail(
        "streaming.responseMode",
        `"streaming.responseMode" must be one of "dry-run", "report-only", "enforce", got ${
          describeGot(response)
        }`,
      );
    } else if (response !== "enforce") {
      m.note("streaming.responseMode", "streams follow the global mode");
    }
  }
  const window = m.take(s, "maxMatchBytes");
  if (window !== undefined) m.put("proxy.stream.holdbackChars", window, "streaming.maxMatchBytes");
  m.dropSection("streaming", ["requestMode", "responseMode", "maxMatchBytes"]);
}

function mapLimits(m: Mapper): void {
  const l = m.section("limits");
  if (l === undefined) return;
  const rename = (from: string, to: string) => {
    const v = m.take(l, from);
    if (v !== undefined) m.put(to, v, `limits.${from}`);
  };
  rename("maxRequestBytes", "limits.maxBytes");
  rename("maxNestingDepth", "limits.maxDepth");
  rename("upstreamTimeoutMs", "proxy.upstreamTimeoutMs");
  const inFlight = m.take(l, "maxInFlight");
  if (inFlight === 0) {
    m.note("limits.maxInFlight", "0 (no ceiling) is read as the largest ceiling, 100000");
    m.put("proxy.maxInFlight", 100_000, "limits.maxInFlight");
  } else if (inFlight !== undefined) m.put("proxy.maxInFlight", inFlight, "limits.maxInFlight");
  // 1.4 writes null for "leave the server default"; the default is ours.
  for (const key of ["requestTimeoutMs", "headersTimeoutMs"]) {
    if (Object.hasOwn(l, key) && l[key] === null) delete l[key];
  }
  // Server timeouts arrive in this schema separately; until a key exists here, a 1.4 value
  // is accepted and noted rather than refused, so 1.4 files keep loading.
  for (const key of ["shutdownGraceMs", "requestTimeoutMs", "headersTimeoutMs"]) {
    if (!Object.hasOwn(l, key) || SCHEMA_PATHS.has(`limits.${key}`)) continue;
    const v = m.take(l, key);
    if (!Number.isInteger(v) || (v as number) < 0) {
      m.fail(
        `limits.${key}`,
        `"limits.${key}" must be a non-negative integer, got ${describeGot(v)}`,
      );
    } else m.note(`limits.${key}`, "not used by this build yet; haechi's own timeouts apply");
  }
}

function mapPolicy(m: Mapper): void {
  const p = m.section("policy");
  if (p === undefined) return;
  mapProfiles(m, p);
  const mode = m.take(p, "mode");
  if (mode !== undefined) {
    // 1.4: the effective mode is policy.mode, then mode.
    m.root.mode = modeValue(m, "policy.mode", mode);
  }
  // Kept in place: profiles (policy.profiles) are checked against it at start-up too.
  const unsafe = p.allowUnsafeOverrides;
  const presets = m.take(p, "presets");
  if (presets !== undefined) mapPresets(m, p, presets, unsafe === true);
  else if (isObj(p.actions)) p.actions = expandActionMap(p.actions as Record<string, Action>);
}

/**
 * 1.4's per-client profiles: each profile's presets and 1.4 type names become per-type
 * actions, as for the base policy. A per-profile `rate` keeps its 1.4 shape and meaning.
 */
function mapProfiles(m: Mapper, p: Obj): void {
  if (!isObj(p.profiles)) return; // absent, or the validator reports the shape
  for (const [name, profile] of Object.entries(p.profiles)) {
    if (!isObj(profile)) continue;
    const presets = m.take(profile, "presets");
    const explicit = isObj(profile.actions)
      ? expandActionMap(profile.actions as Record<string, Action>)
      : profile.actions;
    if (presets === undefined) {
      if (explicit !== undefined) profile.actions = explicit;
      continue;
    }
    if (!Array.isArray(presets) || presets.some((n) => !SPEC_PRESETS.includes(n))) {
      m.fail(
        `policy.profiles.${name}.presets`,
        `"policy.profiles.${name}.presets" must be an array of ${list(SPEC_PRESETS)}, got ${
          describeGot(presets)
        }`,
      );
      continue;
    }
    const merged = expandActionMap(specPresetActions(presets as string[]).actions);
    profile.actions = { ...merged, ...(isObj(explicit) ? explicit : {}) };
  }
}

function mapPresets(m: Mapper, p: Obj, presets: unknown, allowUnsafe: boolean): void {
  if (!Array.isArray(presets) || presets.some((n) => !SPEC_PRESETS.includes(n))) {
    m.fail(
      "policy.presets",
      `"policy.presets" must be an array of ${list(SPEC_PRESETS)}, got ${describeGot(presets)}`,
    );
    return;
  }
  const merged = specPresetActions(presets as string[]);
  const explicit = isObj(p.actions) ? p.actions as Record<string, Action> : {};
  for (const [name, action] of Object.entries(explicit)) {
    const preset = merged.actions[name];
    if (
      preset !== undefined && ACTIONS.includes(action) &&
      ACTIONS.indexOf(action) < ACTIONS.indexOf(preset) && !allowUnsafe
    ) {
      m.fail(
        `policy.actions.${name}`,
        `"policy.actions.${name}": ${action} would weaken the presets' ${preset}; set "policy.allowUnsafeOverrides": true to allow it`,
      );
    }
  }
  if (!isObj(p.actions) && p.actions !== undefined) return; // the validator reports it
  p.actions = expandActionMap({ ...merged.actions, ...explicit });
  if (!Object.hasOwn(p, "defaultAction")) p.defaultAction = merged.defaultAction;
  // Types no preset names take policy.defaultAction, as in 1.4.
  if (!Object.hasOwn(p, "preset")) p.preset = "none";
  if (presets.includes("local-only")) {
    m.note(
      "policy.presets",
      "local-only marks transfers as local in 1.4's metadata; it changes no action",
    );
  }
}
