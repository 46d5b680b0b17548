import { assertEquals, assertRejects } from "../assert.ts";
import { resolveConfig } from "../../src/config/mod.ts";
import { BUILTIN_RULES } from "../../src/detect/rules/mod.ts";
import { HaechiError } from "../../src/errors.ts";
import { generateSigningKeyPair, importPrivateKeyPem } from "../../src/signing/keys.ts";
import { compilePolicy } from "../../src/policy/mod.ts";
import {
  applyPolicyBundle,
  signPolicyBundle,
  verifyPolicyBundle,
} from "../../src/policy/bundle.ts";
import { loadPolicyBundle } from "../../src/session/mod.ts";

const pair = await generateSigningKeyPair();
const key = await importPrivateKeyPem(pair.privatePem);
const anchors = [{ keyId: "sec-team", publicKey: pair.publicPem }];
const OPTS = { bundleId: "corp-baseline", version: "1.0.0", signerKeyId: "sec-team" };
const POLICY = {
  actions: { email: "redact", phone: "allow" },
  defaultAction: "block",
  mode: "enforce",
};
const text = await signPolicyBundle(POLICY, OPTS, key);

Deno.test("a signed bundle verifies with only the public key", async () => {
  const v = await verifyPolicyBundle(text, { anchors, now: Date.now() });
  assertEquals(v.ok && v.bundle.bundleId, "corp-baseline");
});

Deno.test("a bundle merges strengthen-only: stronger actions win, weaker ones are ignored", async () => {
  const v = await verifyPolicyBundle(text, { anchors, now: Date.now() });
  if (!v.ok) throw new Error(v.message);
  const base = resolveConfig({
    configVersion: 1,
    mode: "dry-run",
    policy: { actions: { phone: "block" } },
  });
  const merged = applyPolicyBundle(base, v.bundle);
  const p = compilePolicy(merged, BUILTIN_RULES);
  assertEquals(p.actionFor("email"), "redact");
  assertEquals(p.actionFor("phone"), "block", "allow in the bundle does not weaken");
  assertEquals(p.actionFor("some_plugin_type"), "block");
  assertEquals(merged.mode, "enforce");
});

Deno.test("refusals: tampered, untrusted, wrong algorithm and expired bundles", async () => {
  const now = Date.now();
  const tampered = text.replace('"email": "redact"', '"email": "allow"');
  assertEquals((await verifyPolicyBundle(tampered, { anchors, now })).ok, false);
  const reason = async (t: string, a = anchors) => {
    const v = await verifyPolicyBundle(t, { anchors: a, now });
    return v.ok ? "ok" : v.reason;
  };
  assertEquals(await reason(tampered), "invalid-signature");
  assertEquals(
    await reason(text, [{ keyId: "other", publicKey: pair.publicPem }]),
    "unknown-signer",
  );
  assertEquals(await reason(text.replace('"Ed25519"', '"RS256"')), "alg-not-ed25519");
  assertEquals(await reason("[]"), "bundle-invalid");
  const expired = await signPolicyBundle(POLICY, { ...OPTS, notAfter: now - 1 }, key);
  assertEquals(await reason(expired), "expired-window");
});

Deno.test("config policy.bundlePath loads a verified bundle and refuses a tampered one clearly", async () => {
  const dir = await Deno.makeTempDir({ prefix: "haechi-bundle-" });
  try {
    await Deno.writeTextFile(`${dir}/good.json`, text);
    await Deno.writeTextFile(`${dir}/bad.json`, text.replace('"block"', '"mask"'));
    const config = (path: string) =>
      resolveConfig({
        configVersion: 1,
        policy: { bundlePath: path, trustAnchors: { "sec-team": pair.publicPem } },
      });
    const loaded = await loadPolicyBundle(config(`${dir}/good.json`));
    assertEquals(loaded.policy.actions.email, "redact");
    const err = await assertRejects(() => loadPolicyBundle(config(`${dir}/bad.json`)), HaechiError);
    assertEquals((err as HaechiError).code, "policy.bundle_invalid");
    assertEquals((err as HaechiError).details.reason, "invalid-signature");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
