import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import type { Command } from "../../src/cli/command.ts";
import { decryptCommand } from "../../src/cli/decrypt.ts";
import { tokenRevealCommand } from "../../src/cli/token_reveal.ts";
import { encodeEnvelope } from "../../src/vault/envelope.ts";
import { cliVaultEnv, runCommand } from "../vault/_cli_env.ts";
import { withIssuedVault } from "../vault/_issue.ts";

const CARD = "4111 1111 1111 1111";

Deno.test("decrypt is denied by default, exits 3 and audits the denial", async () => {
  const env = await cliVaultEnv();
  try {
    const envelope = await withIssuedVault(
      env,
      (v) => v.encrypt(CARD, { type: "payment_card", scope: "default" }),
    );
    const r = await runCommand(decryptCommand, [envelope, "--config", env.config]);
    assertEquals(r.code, 3);
    assertStringIncludes(r.stderr, "vault.decrypt_denied");
    const e = (await env.auditRecords()).find((x) => x.kind === "decrypt") as Record<
      string,
      unknown
    >;
    assertEquals(e.outcome, "denied");
  } finally {
    await env.cleanup();
  }
});

Deno.test("decrypt prints the value when allowed, for the envelope's scope only", async () => {
  const env = await cliVaultEnv({ decryptPolicy: "allow" });
  try {
    const envelope = await withIssuedVault(
      env,
      (v) => v.encrypt(CARD, { type: "payment_card", scope: "t1" }),
    );
    const ok = await runCommand(decryptCommand, [
      envelope,
      "--scope",
      "t1",
      "--config",
      env.config,
    ]);
    assertEquals(ok.code, 0);
    assertEquals(ok.stdout, `${CARD}\n`);
    const bare = await runCommand(decryptCommand, [
      envelope.slice(5, -1),
      "--scope",
      "t1",
      "--json",
      "--config",
      env.config,
    ]);
    assertEquals(JSON.parse(bare.stdout), { type: "payment_card", value: CARD });
    const wrong = await runCommand(decryptCommand, [envelope, "--config", env.config]);
    assertEquals(wrong.code, 1);
    assertStringIncludes(wrong.stderr, "vault.decrypt_failed");
    const log = await Deno.readTextFile(env.auditPath);
    assert(!log.includes(CARD));
    const outcomes = (await env.auditRecords()).filter((e) => e.kind === "decrypt").map((e) =>
      e.outcome
    );
    assertEquals(outcomes, ["decrypted", "decrypted", "error"]);
  } finally {
    await env.cleanup();
  }
});

Deno.test("decrypt refuses malformed envelopes with exit 1 and bad usage with exit 2", async () => {
  const bad = await runCommand(decryptCommand, ["[ENC:abc]"]);
  assertEquals(bad.code, 1);
  assertStringIncludes(bad.stderr, "vault.invalid_envelope");
  assertEquals((await runCommand(decryptCommand, [])).code, 2);
  assertEquals((await runCommand(decryptCommand, ["--key", "x"])).code, 2);
  assertEquals((await runCommand(decryptCommand, ["--help"])).code, 0);
});

Deno.test("decrypt and token-reveal without a key file exit 2 and never mint one", async () => {
  const env = await cliVaultEnv({ decryptPolicy: "allow", revealPolicy: "allow" });
  try {
    const nonce = new Uint8Array(12);
    const ciphertext = new Uint8Array(20);
    const cases: [Command, string][] = [
      [decryptCommand, encodeEnvelope({ keyId: 1, type: "email", nonce, ciphertext })],
      [tokenRevealCommand, "[TOKEN:email:abcdefghij234567abcd]"],
    ];
    for (const [command, value] of cases) {
      const r = await runCommand(command, [value, "--config", env.config]);
      assertEquals(r.code, 2, `${command.name}: ${r.stderr}`);
      assertStringIncludes(r.stderr, "keys.not_found");
      assertEquals(await Deno.stat(env.keysPath).then(() => true, () => false), false);
    }
  } finally {
    await env.cleanup();
  }
});
