/**
 * haechi 1.4 key mappers for the sections about data at rest and trust: filters, keys,
 * audit, token vault, privacy, MCP and auth (src/config/compat.ts runs them).
 *
 * @module
 */
import { describeGot } from "./_check.ts";
import { expandActionMap, expandTypeList } from "./type_aliases.ts";
import { strongerAction } from "./actions.ts";
import { type Action, ACTIONS } from "./types.ts";
import { isObj, type Mapper, type Obj } from "./_compat_mapper.ts";

/** Map 1.4 keys of this section. */
export function mapFilters(m: Mapper): void {
  const f = m.section("filters");
  if (f === undefined) return;
  const decode = m.take(f, "decodeAndRescan");
  if (decode !== undefined) m.put("detect.decode", decode, "filters.decodeAndRescan");
  // filters.allowlist takes 1.4's {value?, path?} entries as they are (src/config/_check.ts).
}

/** Map 1.4 keys of this section. */
export function mapKeys(m: Mapper): void {
  const k = m.section("keys");
  if (k === undefined) return;
  // keys.provider is a key of this schema too ("local" | "external").
  const file = m.take(k, "keyFile");
  if (file !== undefined) m.put("keys.path", file, "keys.keyFile");
}

/** Map 1.4 keys of this section. */
export function mapAudit(m: Mapper): void {
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

/** Map 1.4 keys of this section. */
export function mapTokenVault(m: Mapper): void {
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

/** Checksummed national ids 1.4's `asia-pdpa` also blocks, for mixed-region payloads. */
const CHECKSUMMED_IDS = [
  "kr_rrn",
  "jp_mynumber",
  "fr_nir",
  "es_dni",
  "it_codice_fiscale",
  "de_steuer_id",
  "nl_bsn",
];

/**
 * What 1.4's profiles block (1.4 type names). `privacy.profile`, the 1.4 key, gets these on
 * top of this project's profile of the same name; `policy.profile` keeps this project's
 * tables alone. Every 1.4 profile blocks `jp_mynumber`.
 */
const SPEC_PROFILE_BLOCKS: Readonly<Record<string, readonly string[]>> = {
  "kr-pipa": ["kr_rrn", "jp_mynumber"],
  "eu-gdpr": [
    "fr_nir",
    "es_dni",
    "uk_nino",
    "it_codice_fiscale",
    "de_steuer_id",
    "nl_bsn",
    "jp_mynumber",
  ],
  "asia-pdpa": ["sg_nric", "in_aadhaar", ...CHECKSUMMED_IDS],
  "us-general": ["jp_mynumber"],
  "jp-appi": ["jp_mynumber"],
};

/** Merge `block` for each type into policy.actions, strengthen-only (as 1.4's profiles). */
function addProfileBlocks(m: Mapper, types: readonly string[]): void {
  const policy = isObj(m.root.policy) ? m.root.policy : (m.root.policy = {}) as Obj;
  if (policy.actions !== undefined && !isObj(policy.actions)) return; // validator reports it
  const actions = (policy.actions ?? {}) as Record<string, Action>;
  const blocks = expandActionMap(Object.fromEntries(types.map((t) => [t, "block" as Action])));
  for (const [type, action] of Object.entries(blocks)) {
    const before = actions[type];
    if (before === undefined) actions[type] = action;
    else if (ACTIONS.includes(before)) actions[type] = strongerAction(before, action);
    // Anything else is left for the validator to report.
  }
  policy.actions = actions;
}

/** Map 1.4 keys of this section. */
export function mapPrivacy(m: Mapper): void {
  const p = m.section("privacy");
  if (p === undefined) return;
  const profile = m.take(p, "profile");
  if (profile !== undefined) {
    m.put("policy.profile", profile === null ? "none" : profile, "privacy.profile");
    const blocks = typeof profile === "string" ? SPEC_PROFILE_BLOCKS[profile] : undefined;
    if (blocks !== undefined) addProfileBlocks(m, blocks);
  }
  m.dropSection("privacy", ["profile"]);
}

/** Map 1.4 keys of this section. */
export function mapMcp(m: Mapper): void {
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

/** Map 1.4 keys of this section. */
export function mapAuth(m: Mapper): void {
  const a = m.section("auth");
  if (a === undefined) return;
  const plugin = m.section("plugin", a);
  if (plugin !== undefined) mapAuthPlugin(m, plugin);
}

function mapAuthPlugin(m: Mapper, p: Obj): void {
  const pin = p.pin;
  if (isObj(pin)) {
    const extra = Object.keys(pin).find((k) =>
      !["version", "entrySha256", "manifestSha256"].includes(k)
    );
    if (extra !== undefined) {
      m.fail(
        `auth.plugin.pin.${extra}`,
        `Unknown key "auth.plugin.pin.${extra}"; expected "version", "entrySha256" or "manifestSha256"`,
      );
    }
    if (pin.version !== undefined) {
      m.put("auth.plugin.pinVersion", pin.version, "auth.plugin.pin.version");
    }
    if (pin.manifestSha256 !== undefined) {
      m.put("auth.plugin.pinManifestSha256", pin.manifestSha256, "auth.plugin.pin.manifestSha256");
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
  const km = p.keyMaterial;
  if (isObj(km) && typeof km.url === "string" && km.url !== "") {
    // The address itself is checked when fetching (after DNS), not here.
    let url: URL | null = null;
    try {
      url = new URL(km.url);
    } catch {
      // reported below
    }
    if (url === null || url.protocol !== "https:" || url.username !== "" || url.password !== "") {
      m.fail(
        "auth.plugin.keyMaterial.url",
        '"auth.plugin.keyMaterial.url" must be an https URL without credentials',
      );
    }
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
