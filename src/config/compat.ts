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
import { expandActionMap, expandTypeList } from "../policy/type_aliases.ts";
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

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** A tiny editor over the copied file that records notes and issues as it goes. */
class Mapper {
  readonly notes: CompatNote[] = [];
  readonly issues: ConfigIssue[] = [];
  constructor(readonly root: Obj) {}

  section(name: string, parent: Obj = this.root): Obj | undefined {
    const v = parent[name];
    return isObj(v) ? v : undefined;
  }

  /** Remove `key` from `obj` and return its value (`undefined` when absent). */
  take(obj: Obj | undefined, key: string): unknown {
    if (obj === undefined || !Object.hasOwn(obj, key)) return undefined;
    const v = obj[key];
    delete obj[key];
    return v;
  }

  /** Set our dotted path, unless the file already sets it to a different value. */
  put(path: string, value: unknown, from: string): void {
    const parts = path.split(".");
    let node = this.root;
    for (const part of parts.slice(0, -1)) {
      if (!isObj(node[part])) {
        if (node[part] !== undefined) return; // the validator reports the wrong shape
        node[part] = {};
      }
      node = node[part] as Obj;
    }
    const last = parts[parts.length - 1];
    if (Object.hasOwn(node, last) && JSON.stringify(node[last]) !== JSON.stringify(value)) {
      this.fail(
        from,
        `${q(from)} and ${q(path)} name the same setting with different values; keep one`,
      );
      return;
    }
    node[last] = value;
  }

  note(key: string, note: string): void {
    this.notes.push({ key, note });
  }

  fail(path: string, message: string): void {
    this.issues.push({ path, message });
  }

  /**
   * Drop a 1.4-only section once its keys are mapped; any key left over is unknown, and is
   * reported by its full path (this project's schema has no such section to name it).
   */
  dropSection(name: string, known: readonly string[]): void {
    const s = this.root[name];
    if (!isObj(s)) return;
    for (const key of Object.keys(s)) {
      this.fail(
        `${name}.${key}`,
        `Unknown key ${q(`${name}.${key}`)}; expected one of ${list(known)}`,
      );
    }
    delete this.root[name];
  }
}

function q(path: string): string {
  return JSON.stringify(path);
}

/** `report-only` is 1.4's second name for detect-and-audit-only. */
function modeValue(m: Mapper, key: string, v: unknown): unknown {
  if (v === "report-only") {
    m.note(key, "report-only is read as dry-run: findings are reported, payloads left as is");
    return "dry-run";
  }
  return v;
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
  mapPolicy(m);
  mapFilters(m);
  mapKeys(m);
  mapAudit(m);
  mapTokenVault(m);
  mapPrivacy(m);
  mapMcp(m);
  mapAuth(m);
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
 * 1.4 forwards an allowlist and lets a config add names; haechi forwards every header that
 * is not a credential or hop-by-hop header, so the extra names are already forwarded and
 * only the 1.4 checks apply.
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
  } else if (headers.length > 0) {
    m.note(
      "target.forwardHeaders",
      "already forwarded: haechi forwards every non-credential, non-hop-by-hop header",
    );
  }
}

function mapProxy(m: Mapper): void {
  const p = m.section("proxy");
  if (p === undefined) return;
  const tls = m.take(p, "tls");
  if (tls !== undefined && tls !== null) {
    m.fail(
      "proxy.tls",
      '"proxy.tls" is not built into this haechi; terminate TLS in front of it and keep it on loopback',
    );
  }
  const forwarded = m.take(p, "trustForwardedProto");
  if (forwarded !== undefined && forwarded !== false) {
    m.fail(
      "proxy.trustForwardedProto",
      forwarded === true
        ? '"proxy.trustForwardedProto": true is not built into this haechi; keep it false'
        : `"proxy.trustForwardedProto" must be true or false, got ${describeGot(forwarded)}`,
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
  const mode = m.take(p, "mode");
  if (mode !== undefined) {
    // 1.4: the effective mode is policy.mode, then mode.
    m.root.mode = modeValue(m, "policy.mode", mode);
  }
  const unsafe = m.take(p, "allowUnsafeOverrides");
  if (unsafe !== undefined && typeof unsafe !== "boolean") {
    m.fail(
      "policy.allowUnsafeOverrides",
      `"policy.allowUnsafeOverrides" must be true or false, got ${describeGot(unsafe)}`,
    );
  }
  for (const key of ["profiles", "profileBinding", "modelAllowlist"]) {
    if (m.take(p, key) !== undefined) {
      m.fail(`policy.${key}`, `"policy.${key}" is not built into this haechi`);
    }
  }
  const presets = m.take(p, "presets");
  if (presets !== undefined) mapPresets(m, p, presets, unsafe === true);
  else if (isObj(p.actions)) p.actions = expandActionMap(p.actions as Record<string, Action>);
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

function mapFilters(m: Mapper): void {
  const f = m.section("filters");
  if (f === undefined) return;
  const decode = m.take(f, "decodeAndRescan");
  if (decode !== undefined) m.put("detect.decode", decode, "filters.decodeAndRescan");
  if (Array.isArray(f.allowlist)) {
    const values: unknown[] = [];
    f.allowlist.forEach((entry, i) => {
      if (!isObj(entry)) return void values.push(entry);
      const at = `filters.allowlist[${i}]`;
      const extra = Object.keys(entry).filter((k) => k !== "value" && k !== "path");
      if (extra.length > 0) {
        return m.fail(at, `${q(at)} has unknown key ${q(extra[0])}; expected "value" or "path"`);
      }
      if (entry.path !== undefined) {
        return m.fail(at, `${q(at)}: path entries are not built into this haechi; use "value"`);
      }
      if (typeof entry.value !== "string") {
        return m.fail(at, `${q(at)}.value must be a string, got ${describeGot(entry.value)}`);
      }
      values.push(entry.value);
    });
    f.allowlist = values;
  }
}

function mapKeys(m: Mapper): void {
  const k = m.section("keys");
  if (k === undefined) return;
  const provider = m.take(k, "provider");
  if (provider !== undefined && provider !== "local") {
    m.fail(
      "keys.provider",
      provider === "external"
        ? '"keys.provider": "external" needs an injected crypto provider, which this haechi has not; use "local"'
        : `"keys.provider" must be "local" or "external", got ${describeGot(provider)}`,
    );
  }
  const file = m.take(k, "keyFile");
  if (file !== undefined) m.put("keys.path", file, "keys.keyFile");
}

function mapAudit(m: Mapper): void {
  const a = m.section("audit");
  if (a === undefined) return;
  const sink = m.take(a, "sink");
  if (sink !== undefined && sink !== "jsonl") {
    m.fail("audit.sink", `"audit.sink" must be "jsonl", got ${describeGot(sink)}`);
  }
  const anchor = m.take(a, "anchor");
  if (anchor === undefined) return;
  if (!isObj(anchor)) {
    m.fail("audit.anchor", `"audit.anchor" must be an object, got ${describeGot(anchor)}`);
    return;
  }
  for (const key of Object.keys(anchor)) {
    if (!["mode", "path", "everyRecords"].includes(key)) {
      m.fail(
        `audit.anchor.${key}`,
        `Unknown key "audit.anchor.${key}"; expected one of "mode", "path", "everyRecords"`,
      );
    }
  }
  if (anchor.mode === "none") {
    m.put("audit.anchorPath", "", "audit.anchor.mode");
  } else if (anchor.mode !== undefined && anchor.mode !== "file") {
    m.fail(
      "audit.anchor.mode",
      `"audit.anchor.mode" must be "none" or "file", got ${describeGot(anchor.mode)}`,
    );
  } else if (anchor.path !== undefined) {
    m.put("audit.anchorPath", anchor.path, "audit.anchor.path");
  }
  if (anchor.everyRecords !== undefined) {
    m.put("audit.anchorEvery", anchor.everyRecords, "audit.anchor.everyRecords");
  }
}

function mapTokenVault(m: Mapper): void {
  const v = m.section("tokenVault");
  if (v === undefined) return;
  const provider = m.take(v, "provider");
  if (provider !== undefined && provider !== "local") {
    m.fail(
      "tokenVault.provider",
      `"tokenVault.provider" must be "local", got ${describeGot(provider)}`,
    );
  }
  if (v.revealPolicy === "disabled") v.revealPolicy = "deny";
  else if (v.revealPolicy === "local-dev") v.revealPolicy = "allow";
  const days = m.take(v, "retentionDays");
  if (days !== undefined) {
    if (typeof days !== "number" || !(days > 0)) {
      m.fail(
        "tokenVault.retentionDays",
        `"tokenVault.retentionDays" must be a positive number, got ${describeGot(days)}`,
      );
    } else m.put("tokenVault.ttlSeconds", Math.round(days * 86_400), "tokenVault.retentionDays");
  }
  const deterministic = m.take(v, "deterministic");
  const types = v.deterministicTypes;
  if (types === null) delete v.deterministicTypes;
  else if (Array.isArray(types)) {
    v.deterministicTypes = expandTypeList(types.filter((t) => typeof t === "string"));
  }
  if (deterministic === false) {
    m.put("tokenVault.deterministicTypes", [], "tokenVault.deterministic");
  } else if (deterministic === true && types === null) {
    m.note(
      "tokenVault.deterministicTypes",
      "null is read as haechi's default list: email, phone, ip_address",
    );
  } else if (deterministic !== undefined && typeof deterministic !== "boolean") {
    m.fail(
      "tokenVault.deterministic",
      `"tokenVault.deterministic" must be true or false, got ${describeGot(deterministic)}`,
    );
  }
  const detokenize = m.take(v, "detokenizeResponses");
  if (detokenize !== undefined) {
    if (typeof detokenize !== "boolean") {
      m.fail(
        "tokenVault.detokenizeResponses",
        `"tokenVault.detokenizeResponses" must be true or false, got ${describeGot(detokenize)}`,
      );
    } else {
      m.put("proxy.restoreTokens", detokenize, "tokenVault.detokenizeResponses");
      if (!detokenize) {
        m.note(
          "tokenVault.detokenizeResponses",
          "false honoured: replies keep tokens (haechi's default restores a request's own tokens, " +
            "and an authenticated caller's own scope)",
        );
      }
    }
  }
  if (v.path === ".haechi/token-vault.json") {
    m.note(
      "tokenVault.path",
      "1.4's default JSON vault path: haechi keeps a SQLite database under that name",
    );
  }
}

function mapPrivacy(m: Mapper): void {
  const p = m.section("privacy");
  if (p === undefined) return;
  const profile = m.take(p, "profile");
  if (profile !== undefined) {
    m.put("policy.profile", profile === null ? "none" : profile, "privacy.profile");
  }
  m.dropSection("privacy", ["profile"]);
}

function mapMcp(m: Mapper): void {
  const s = m.section("mcp");
  if (s === undefined) return;
  const allowed = m.take(s, "allowedMethods");
  if (allowed !== undefined) {
    if (!Array.isArray(allowed) || allowed.length === 0) {
      m.fail(
        "mcp.allowedMethods",
        `"mcp.allowedMethods" must be a non-empty array of strings, got ${describeGot(allowed)}`,
      );
    } else m.put("mcp.methods.allow", allowed, "mcp.allowedMethods");
  }
  for (const key of ["protectParams", "protectResults", "requireJsonRpc"]) {
    const v = m.take(s, key);
    if (v === undefined) continue;
    if (typeof v !== "boolean") {
      m.fail(`mcp.${key}`, `"mcp.${key}" must be true or false, got ${describeGot(v)}`);
    } else if (!v) {
      m.note(
        `mcp.${key}`,
        "false is kept stricter: every JSON-RPC message is checked and protected",
      );
    }
  }
}

function mapAuth(m: Mapper): void {
  const a = m.section("auth");
  if (a === undefined) return;
  if (a.provider === "external") {
    m.fail(
      "auth.provider",
      '"auth.provider": "external" needs an injected provider; use "bearer" or "plugin"',
    );
  }
  const plugin = m.section("plugin", a);
  if (plugin !== undefined) mapAuthPlugin(m, plugin);
}

function mapAuthPlugin(m: Mapper, p: Obj): void {
  const pin = p.pin;
  if (isObj(pin)) {
    if (pin.version !== undefined || pin.manifestSha256 !== undefined) {
      m.fail("auth.plugin.pin", '"auth.plugin.pin" supports "entrySha256" only in this haechi');
    }
    p.pin = pin.entrySha256 ?? "";
  }
  const revoked = p.revoked;
  if (isObj(revoked)) {
    const ids = revoked.signerKeyIds ?? [];
    const digests = revoked.entrySha256 ?? [];
    p.revoked = Array.isArray(ids) && Array.isArray(digests) ? [...ids, ...digests] : revoked;
  }
  const floor = p.versionFloor;
  if (isObj(floor)) {
    const versions = Object.values(floor);
    if (versions.length > 1) {
      m.note(
        "auth.plugin.versionFloor",
        "one auth plugin is loaded: the highest floor applies to it",
      );
    }
    p.versionFloor = versions.length === 0 ? "" : versions.sort(compareLoose).at(-1);
  }
  const isolation = m.take(p, "isolation");
  if (isolation !== undefined && isolation !== "worker" && isolation !== "process") {
    m.fail(
      "auth.plugin.isolation",
      `"auth.plugin.isolation" must be "worker" or "process", got ${describeGot(isolation)}`,
    );
  } else if (isolation === "worker") {
    m.note(
      "auth.plugin.isolation",
      "worker is kept stricter: plugins always run in a zero-permission process",
    );
  }
  const net = m.take(p, "netEnforcement");
  if (net !== undefined && net !== "require-permission") {
    m.fail(
      "auth.plugin.netEnforcement",
      `"auth.plugin.netEnforcement" must be "require-permission", got ${describeGot(net)}`,
    );
  }
  if (p.keyMaterial !== undefined) {
    m.take(p, "keyMaterial");
    m.fail("auth.plugin.keyMaterial", '"auth.plugin.keyMaterial" is not built into this haechi');
  }
  const rename = (from: string, to: string) => {
    const v = m.take(p, from);
    if (v !== undefined) m.put(to, v, `auth.plugin.${from}`);
  };
  rename("timeoutMs", "plugins.timeoutMs");
  rename("maxMessageBytes", "plugins.maxReplyBytes");
  const limits = m.take(p, "resourceLimits");
  if (isObj(limits) && limits.maxOldGenerationSizeMb !== undefined) {
    m.put("plugins.maxHeapMb", limits.maxOldGenerationSizeMb, "auth.plugin.resourceLimits");
  }
  const pending = m.take(p, "maxPendingCalls");
  if (pending !== undefined) {
    m.note("auth.plugin.maxPendingCalls", "each call runs in its own bounded plugin process");
  }
}

/** Numeric dotted compare, good enough to pick the highest floor. */
function compareLoose(a: unknown, b: unknown): number {
  const pa = String(a).split(".").map(Number);
  const pb = String(b).split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function list(values: readonly string[]): string {
  return values.map((v) => JSON.stringify(v)).join(", ");
}
