import { assert, assertEquals, assertThrows } from "../assert.ts";
import { readEnvOverlay, resolveConfig } from "../../src/config/mod.ts";
import { HaechiError } from "../../src/errors.ts";
import { generateSigningKeyPair } from "../../src/signing/keys.ts";
import { fromPem, toBase64 } from "../../src/signing/pem.ts";

const { publicPem } = await generateSigningKeyPair();
const base64 = toBase64(fromPem(publicPem, "PUBLIC KEY")!);

Deno.test("trust anchors are accepted as an array or a map and normalised to the array", () => {
  const fromArray = resolveConfig({
    configVersion: 1,
    auth: { plugin: { trustAnchors: [{ keyId: "a", publicKey: publicPem }] } },
  });
  const fromMap = resolveConfig({ configVersion: 1, policy: { trustAnchors: { a: base64 } } });
  assertEquals(fromArray.auth.plugin.trustAnchors, [{ keyId: "a", publicKey: publicPem }]);
  assertEquals(fromMap.policy.trustAnchors, [{ keyId: "a", publicKey: base64 }]);
});

Deno.test("a trust anchor that is not an Ed25519 public key is a config error naming the key id", () => {
  const err = assertThrows(
    () => resolveConfig({ configVersion: 1, policy: { trustAnchors: { "team-x": "AAAA" } } }),
    HaechiError,
  );
  assertEquals((err as HaechiError).code, "config.invalid");
  assert(
    err.message.includes("policy.trustAnchors") && err.message.includes("team-x"),
    err.message,
  );
});

Deno.test("duplicate key ids and extra fields are refused", () => {
  for (
    const anchors of [
      [{ keyId: "a", publicKey: publicPem }, { keyId: "a", publicKey: publicPem }],
      [{ keyId: "a", publicKey: publicPem, note: "x" }],
      "a=b",
    ]
  ) {
    assertThrows(
      () => resolveConfig({ configVersion: 1, auth: { plugin: { trustAnchors: anchors } } }),
      HaechiError,
    );
  }
});

Deno.test("trust anchors cannot come from the environment: a variable would widen trust", () => {
  const { values, issues } = readEnvOverlay({ HAECHI_POLICY_TRUST_ANCHORS: `sec=${base64}` });
  assertEquals(values.has("policy.trustAnchors"), false);
  assertEquals(issues[0].env, "HAECHI_POLICY_TRUST_ANCHORS");
});
