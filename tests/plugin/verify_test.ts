import { assert, assertEquals } from "../assert.ts";
import { type PluginTrustPolicy, REFUSAL_REASONS, verifyPlugin } from "../../src/plugin/verify.ts";
import { sha256Hex } from "../../src/signing/keys.ts";
import { ENTRY, testSigner } from "./_signing.ts";

const signer = await testSigner();
const good = await signer.sign(ENTRY);
const NOW = Date.now();

function policy(patch: Partial<PluginTrustPolicy> = {}): PluginTrustPolicy {
  return {
    anchors: [signer.anchor],
    allowCapabilities: ["readsCredentials"],
    coreVersion: "1.4.0",
    now: NOW,
    ...patch,
  };
}

async function reason(text: string, entry = ENTRY, patch: Partial<PluginTrustPolicy> = {}) {
  const v = await verifyPlugin(text, entry, policy(patch));
  return v.ok ? "ok" : v.reason;
}

// deno-lint-ignore no-explicit-any
function mutate(text: string, f: (o: Record<string, any>) => void): string {
  const o = JSON.parse(text);
  f(o);
  return JSON.stringify(o);
}

Deno.test("a correctly signed plugin with an allowlisted capability is trusted", async () => {
  const v = await verifyPlugin(good, ENTRY, policy());
  assert(v.ok);
  assertEquals(v.manifest.id, "bearer-auth");
});

Deno.test("manifest-invalid: a manifest that is not JSON is refused", async () => {
  assertEquals(await reason("{not json"), "manifest-invalid");
});

Deno.test("manifest-invalid: an authProvider without readsCredentials cannot be signed or loaded", async () => {
  const text = mutate(good, (o) => (o.payload.capabilities = []));
  assertEquals(await reason(text), "manifest-invalid");
});

Deno.test("alg-not-ed25519: a manifest claiming another algorithm is refused", async () => {
  assertEquals(await reason(mutate(good, (o) => (o.alg = "HS256"))), "alg-not-ed25519");
});

Deno.test("unknown-signer: a key id that is not a trust anchor is refused", async () => {
  const other = await testSigner("team-b");
  assertEquals(await reason(await other.sign(ENTRY)), "unknown-signer");
});

Deno.test("invalid-signature: a signature by another key under a trusted id is refused", async () => {
  const impostor = await testSigner("team-a");
  assertEquals(await reason(await impostor.sign(ENTRY)), "invalid-signature");
});

Deno.test("invalid-signature: a payload edited after signing is refused", async () => {
  const text = mutate(good, (o) => (o.payload.version = "9.9.9"));
  assertEquals(await reason(text), "invalid-signature");
});

Deno.test("tampered-entry: one changed byte of the entry file is refused", async () => {
  const changed = ENTRY.slice();
  changed[changed.length - 3] ^= 1;
  assertEquals(await reason(good, changed), "tampered-entry");
});

Deno.test("expired-window: a signature past notAfter or before notBefore is refused", async () => {
  assertEquals(await reason(await signer.sign(ENTRY, { notAfter: NOW - 1 })), "expired-window");
  assertEquals(
    await reason(await signer.sign(ENTRY, { notBefore: NOW + 60_000 })),
    "expired-window",
  );
});

Deno.test("below-version-floor: a plugin older than the floor is refused", async () => {
  assertEquals(await reason(good, ENTRY, { versionFloor: "1.3.0" }), "below-version-floor");
  assertEquals(await reason(good, ENTRY, { versionFloor: "1.2.0" }), "ok");
});

Deno.test("revoked: a revoked signer key or entry digest is refused", async () => {
  assertEquals(await reason(good, ENTRY, { revoked: ["team-a"] }), "revoked");
  assertEquals(await reason(good, ENTRY, { revoked: [await sha256Hex(ENTRY)] }), "revoked");
});

Deno.test("pin-mismatch: an entry whose digest differs from the pin is refused", async () => {
  assertEquals(await reason(good, ENTRY, { pin: "0".repeat(64) }), "pin-mismatch");
  assertEquals(await reason(good, ENTRY, { pin: await sha256Hex(ENTRY) }), "ok");
});

Deno.test("pin-mismatch: a version other than pin.version is refused, the pinned one loads", async () => {
  const v = await verifyPlugin(good, ENTRY, policy());
  assert(v.ok);
  assertEquals(await reason(good, ENTRY, { pinVersion: v.manifest.version }), "ok");
  assertEquals(await reason(good, ENTRY, { pinVersion: "9.9.9" }), "pin-mismatch");
  const older = await signer.sign(ENTRY, { version: "0.0.1" });
  assertEquals(await reason(older, ENTRY, { pinVersion: v.manifest.version }), "pin-mismatch");
});

Deno.test("pin-mismatch: a manifest whose file digest differs from pin.manifestSha256 is refused", async () => {
  const digest = await sha256Hex(new TextEncoder().encode(good));
  assertEquals(await reason(good, ENTRY, { pinManifestSha256: digest }), "ok");
  assertEquals(await reason(good, ENTRY, { pinManifestSha256: digest.toUpperCase() }), "ok");
  // The same entry re-signed (another build of the manifest) no longer matches the pin.
  const resigned = await signer.sign(ENTRY, { version: "1.0.1" });
  assertEquals(await reason(resigned, ENTRY, { pinManifestSha256: digest }), "pin-mismatch");
  assertEquals(await reason(good, ENTRY, { pinManifestSha256: "0".repeat(64) }), "pin-mismatch");
});

Deno.test("capability-not-allowlisted: a declared capability the operator did not allow is refused", async () => {
  assertEquals(await reason(good, ENTRY, { allowCapabilities: [] }), "capability-not-allowlisted");
  const wide = await signer.sign(ENTRY, { capabilities: ["readsCredentials", "readsHeaders"] });
  assertEquals(await reason(wide), "capability-not-allowlisted");
});

Deno.test("core-range-mismatch: a plugin for another core version is refused", async () => {
  assertEquals(await reason(good, ENTRY, { coreVersion: "0.2.0" }), "core-range-mismatch");
  assertEquals(
    await reason(await signer.sign(ENTRY, { coreRange: ">=2.0.0" })),
    "core-range-mismatch",
  );
});

Deno.test("refusal messages never contain key material", async () => {
  for (
    const text of [
      good,
      mutate(good, (o) => (o.signature = o.signature.split("").reverse().join(""))),
    ]
  ) {
    const v = await verifyPlugin(text, ENTRY, policy({ allowCapabilities: [] }));
    assert(!v.ok);
    assert(!v.message.includes("BEGIN"), v.message);
  }
  assertEquals(REFUSAL_REASONS.length, 11);
});
