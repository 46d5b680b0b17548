import { assert, assertEquals, assertThrows } from "../assert.ts";
import { compatNotes, configFromText, resolveConfig } from "../../src/config/mod.ts";
import { compilePolicy } from "../../src/policy/policy.ts";
import { BUILTIN_RULES } from "../../src/detect/rules/mod.ts";
import { HaechiError } from "../../src/errors.ts";

const FIXTURES = new URL("../fixtures/compat/", import.meta.url);
const snippets = JSON.parse(
  await Deno.readTextFile(new URL("spec_snippets.json", FIXTURES)),
) as {
  loads: Record<string, unknown>;
  refused: Record<string, { config: unknown; path: string }>;
};

function refusal(raw: unknown): HaechiError {
  return assertThrows(() => resolveConfig(raw), HaechiError) as HaechiError;
}

Deno.test("haechi 1.4's example config loads with its meaning", async () => {
  const text = await Deno.readTextFile(new URL("haechi.config.example.json", FIXTURES));
  const config = configFromText(text);
  assertEquals(config.mode, "dry-run");
  assertEquals(config.proxy.upstream, "http://127.0.0.1:9999");
  assertEquals(config.limits.maxBytes, 1048576);
  assertEquals(config.limits.maxDepth, 256);
  assertEquals(config.proxy.upstreamTimeoutMs, 120000);
  assertEquals(config.keys.path, ".haechi/dev.keys.json");
  assertEquals(config.tokenVault.revealPolicy, "deny");
  assertEquals(config.tokenVault.ttlSeconds, 30 * 86400);
  assertEquals(config.tokenVault.deterministicTypes, []);
  assertEquals(config.policy.profile, "none");
  assertEquals(config.mcp.methods.allow, [
    "initialize",
    "tools/call",
    "resources/read",
    "prompts/get",
  ]);
  assertEquals(config.audit.anchorPath, "");
  assertEquals(config.proxy.stream.holdbackChars, 256);
  // The presets korean-pii, secrets-only and llm-redact, then card: block.
  const policy = compilePolicy(config, BUILTIN_RULES);
  assertEquals(policy.actionFor("kr_rrn"), "block");
  assertEquals(policy.actionFor("payment_card"), "block");
  assertEquals(policy.actionFor("phone"), "mask");
  assertEquals(policy.actionFor("email"), "redact");
  assertEquals(policy.actionFor("openai_key"), "block");
  assertEquals(policy.actionFor("stripe_key"), "block");
  assertEquals(policy.actionFor("iban"), "redact", "types no preset names take defaultAction");
  const notes = compatNotes(config).map((n) => n.key);
  assert(notes.includes("responseProtection.enabled"), notes.join());
  assert(notes.includes("streaming.requestMode"), notes.join());
});

Deno.test("the minimal 1.4 config enforces, and a missing configVersion means the current one", () => {
  const config = resolveConfig({ mode: "enforce", policy: { mode: "enforce" } });
  assertEquals(config.configVersion, 1);
  assertEquals(config.mode, "enforce");
});

Deno.test("policy.mode wins over mode, and report-only reads as dry-run", () => {
  assertEquals(resolveConfig({ mode: "enforce", policy: { mode: "report-only" } }).mode, "dry-run");
  assertEquals(resolveConfig({ mode: "report-only" }).mode, "dry-run");
});

for (const [name, raw] of Object.entries(snippets.loads)) {
  Deno.test(`spec snippet loads: ${name}`, () => {
    const config = resolveConfig(raw);
    assertEquals(config.configVersion, 1);
  });
}

for (const [name, { config, path }] of Object.entries(snippets.refused)) {
  Deno.test(`spec snippet for a feature this build lacks fails closed: ${name}`, () => {
    const err = refusal(config);
    assertEquals(err.code, "config.invalid");
    assertEquals(err.details.path, path);
    assert(err.message.includes("not built into this haechi"), err.message);
  });
}

Deno.test("a 1.4 key and ours naming one setting with different values is an error", () => {
  const err = refusal({
    target: { upstream: "http://127.0.0.1:1" },
    proxy: { upstream: "http://127.0.0.1:2" },
  });
  assertEquals(err.details.path, "target.upstream");
  const same = resolveConfig({
    target: { upstream: "http://127.0.0.1:1" },
    proxy: { upstream: "http://127.0.0.1:1" },
  });
  assertEquals(same.proxy.upstream, "http://127.0.0.1:1");
});

Deno.test("unknown keys still fail closed, in 1.4 sections too", () => {
  assertEquals(refusal({ target: { upstreem: "x" } }).details.path, "target.upstreem");
  assertEquals(
    refusal({ responseProtection: { enabld: true } }).details.path,
    "responseProtection.enabld",
  );
  assertEquals(refusal({ bogus: 1 }).details.path, "bogus");
});

Deno.test("a newer configVersion fails closed", () => {
  assertEquals(refusal({ configVersion: 2 }).details.path, "configVersion");
});

Deno.test("an explicit action weaker than a 1.4 preset needs allowUnsafeOverrides", () => {
  const raw = { policy: { presets: ["secrets-only"], actions: { secret: "redact" } } };
  assertEquals(refusal(raw).details.path, "policy.actions.secret");
  const ok = resolveConfig({ policy: { ...raw.policy, allowUnsafeOverrides: true } });
  assertEquals(ok.policy.actions.jwt, "redact");
  assertEquals(ok.policy.actions.github_token, "block", "api_key covers provider tokens");
});

Deno.test("spec values map onto ours: retention, reveal policy, allowlist objects, anchors, plugin shapes", () => {
  const config = resolveConfig({
    tokenVault: {
      revealPolicy: "local-dev",
      retentionDays: 1.5,
      deterministicTypes: ["card", "email"],
    },
    filters: { allowlist: ["a@example.com", { value: "b@example.com" }], decodeAndRescan: true },
    audit: { anchor: { mode: "file", path: "x.anchors.jsonl", everyRecords: 10 } },
    limits: { maxInFlight: 8 },
    streaming: { maxMatchBytes: 512 },
    auth: {
      provider: "none",
      plugin: {
        pin: { entrySha256: "a".repeat(64) },
        revoked: { signerKeyIds: ["old"], entrySha256: ["b".repeat(64)] },
        versionFloor: { "acme-auth": "1.2.0" },
        timeoutMs: 500,
        resourceLimits: { maxOldGenerationSizeMb: 32 },
      },
    },
  });
  assertEquals(config.tokenVault.revealPolicy, "allow");
  assertEquals(config.tokenVault.ttlSeconds, 129600);
  assertEquals(config.tokenVault.deterministicTypes, ["payment_card", "email"]);
  assertEquals(config.filters.allowlist, ["a@example.com", "b@example.com"]);
  assertEquals(config.detect.decode, true);
  assertEquals(config.audit.anchorPath, "x.anchors.jsonl");
  assertEquals(config.audit.anchorEvery, 10);
  assertEquals(config.proxy.maxInFlight, 8);
  assertEquals(config.proxy.stream.holdbackChars, 512);
  assertEquals(config.auth.plugin.pin, "a".repeat(64));
  assertEquals(config.auth.plugin.revoked, ["old", "b".repeat(64)]);
  assertEquals(config.auth.plugin.versionFloor, "1.2.0");
  assertEquals(config.plugins.timeoutMs, 500);
  assertEquals(config.plugins.maxHeapMb, 32);
});

Deno.test("1.4 values this build cannot honour fail closed with what to do instead", () => {
  assertEquals(refusal({ keys: { provider: "hsm" } }).details.path, "keys.provider");
  assertEquals(refusal({ audit: { sink: "syslog" } }).details.path, "audit.sink");
  assertEquals(refusal({ tokenVault: { provider: "redis" } }).details.path, "tokenVault.provider");
  assertEquals(
    refusal({ filters: { allowlist: [{ path: "abc" }] } }).details.path,
    "filters.allowlist[0]",
  );
  assertEquals(
    refusal({ target: { forwardHeaders: ["cookie"] } }).details.path,
    "target.forwardHeaders",
  );
  assertEquals(refusal({ target: { type: "bogus" } }).details.path, "target.type");
});

Deno.test("target.forwardHeaders extends our header forward list; per-client profiles read as written", () => {
  const config = resolveConfig({ target: { forwardHeaders: ["x-tenant-id"] } });
  assertEquals(config.proxy.forwardHeaders, ["x-tenant-id"]);
  const profiled = resolveConfig({
    policy: {
      profiles: { strict: { presets: ["strict-block"], actions: { email: "block" } } },
      profileBinding: { byLabel: { "team=eng": "strict" }, default: "strict" },
      modelAllowlist: ["llama3"],
    },
  });
  assertEquals(profiled.policy.profiles.strict.actions?.email, "block");
  assertEquals(profiled.policy.profileBinding.default, "strict");
  assertEquals(profiled.policy.modelAllowlist, ["llama3"]);
  // A per-profile rate reads as written, and a bad one names its key.
  const rated = resolveConfig({
    policy: {
      profiles: { a: { rate: { requestsPerMinute: 7 } } },
      profileBinding: { default: "a" },
    },
  });
  assertEquals(rated.policy.profiles.a.rate, { requestsPerMinute: 7 });
  const err = refusal({
    policy: {
      profiles: { a: { rate: { requestsPerMinute: 0 } } },
      profileBinding: { default: "a" },
    },
  });
  assert(err.message.includes("policy.profiles.a.rate.requestsPerMinute"), err.message);
  // 1.4's policy.rate is built in and reads as written.
  assertEquals(resolveConfig({ policy: { rate: { requestsPerMinute: 120 } } }).policy.rate, {
    requestsPerMinute: 120,
    store: "memory",
    redisUrl: "",
  });
});

Deno.test("privacy.profile carries 1.4's blocks; our policy.profile keeps our tables", () => {
  const spec = compilePolicy(resolveConfig({ privacy: { profile: "eu-gdpr" } }), BUILTIN_RULES);
  for (const t of ["fr_nir", "es_dni", "es_nie", "uk_nino", "nl_bsn", "jp_my_number"]) {
    assertEquals(spec.actionFor(t), "block", t);
  }
  const ours = compilePolicy(resolveConfig({ policy: { profile: "eu-gdpr" } }), BUILTIN_RULES);
  assertEquals(ours.actionFor("fr_nir"), "redact");
  const asia = compilePolicy(resolveConfig({ privacy: { profile: "asia-pdpa" } }), BUILTIN_RULES);
  assertEquals([asia.actionFor("sg_nric"), asia.actionFor("in_aadhaar")], ["block", "block"]);
  // Profiles strengthen explicit actions, never weaken them.
  const explicit = resolveConfig({
    privacy: { profile: "jp-appi" },
    policy: { actions: { jp_mynumber: "allow", email: "block" } },
  });
  assertEquals(explicit.policy.actions.jp_my_number, "block");
  assertEquals(explicit.policy.actions.email, "block");
});

Deno.test("1.4's auth.plugin.pin object sets the entry, version and manifest pins; an unknown pin key fails", () => {
  const digest = "ab".repeat(32);
  const c = resolveConfig({
    auth: { plugin: { pin: { version: "1.2.0", entrySha256: digest, manifestSha256: digest } } },
  });
  assertEquals(c.auth.plugin.pin, digest);
  assertEquals(c.auth.plugin.pinVersion, "1.2.0");
  assertEquals(c.auth.plugin.pinManifestSha256, digest);
  assertEquals(
    refusal({ auth: { plugin: { pin: { sha: digest } } } }).details.path,
    "auth.plugin.pin.sha",
  );
});
