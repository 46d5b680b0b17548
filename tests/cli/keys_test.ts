import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { keysCommand } from "../../src/cli/keys.ts";
import { createKeyFile } from "../../src/vault/keyfile.ts";
import { cliVaultEnv, runCommand } from "../vault/_cli_env.ts";
import { withIssuedVault } from "../vault/_issue.ts";

Deno.test("keys status shows the active key and nonces used against the budget", async () => {
  const env = await cliVaultEnv({}, { nonceBudget: 1000 });
  try {
    await createKeyFile(env.keysPath);
    await withIssuedVault(env, (v) => v.tokenize("123-45-6789", { type: "us_ssn", scope: "s" }));
    const r = await runCommand(keysCommand, ["status", "--config", env.config]);
    assertEquals(r.code, 0);
    assertStringIncludes(r.stdout, "Active key: 1");
    assertStringIncludes(r.stdout, "nonces 1000 / 1000", "a whole block is reserved at once");
    const j = await runCommand(keysCommand, ["status", "--json", "--config", env.config]);
    const out = JSON.parse(j.stdout);
    assertEquals(out.active, 1);
    assertEquals(out.keys[0].nonceBudget, 1000);
  } finally {
    await env.cleanup();
  }
});

Deno.test("keys rotate activates a new key, retires the old one and is audited", async () => {
  const env = await cliVaultEnv();
  try {
    await createKeyFile(env.keysPath);
    const r = await runCommand(keysCommand, ["rotate", "--config", env.config]);
    assertEquals(r.code, 0);
    assertStringIncludes(r.stdout, "key 2 is active; key 1 is retired");
    const s = JSON.parse(
      (await runCommand(keysCommand, ["status", "--json", "--config", env.config])).stdout,
    );
    assertEquals(s.keys.map((k: { status: string }) => k.status), ["retired", "active"]);
    const events = await env.auditRecords();
    const rotate = events.find((e) => e.kind === "keys.rotate") as Record<string, unknown>;
    assertEquals((rotate.details as Record<string, unknown>).active, 2);
  } finally {
    await env.cleanup();
  }
});

Deno.test("keys with a missing key file fails closed with keys.not_found and exit 2", async () => {
  const env = await cliVaultEnv();
  try {
    const r = await runCommand(keysCommand, ["status", "--config", env.config]);
    assertEquals(r.code, 2);
    assertStringIncludes(r.stderr, "keys.not_found");
  } finally {
    await env.cleanup();
  }
});

Deno.test("keys with a corrupt key file fails closed with keys.invalid and exit 1", async () => {
  const env = await cliVaultEnv();
  try {
    await Deno.writeTextFile(env.keysPath, "{ not json", { mode: 0o600 });
    const r = await runCommand(keysCommand, ["rotate", "--config", env.config]);
    assertEquals(r.code, 1);
    assertStringIncludes(r.stderr, "keys.invalid");
    assertEquals(await Deno.readTextFile(env.keysPath), "{ not json");
  } finally {
    await env.cleanup();
  }
});

Deno.test("keys rejects unknown flags, unknown subcommands and a missing subcommand with exit 2", async () => {
  for (const args of [["status", "--bogus"], ["explode"], [], ["status", "extra"]]) {
    const r = await runCommand(keysCommand, args);
    assertEquals(r.code, 2, args.join(" "));
  }
  const help = await runCommand(keysCommand, ["--help"]);
  assertEquals(help.code, 0);
  assert(help.stdout.startsWith("Usage: haechi keys"));
});
