import { assertEquals, assertStringIncludes } from "../assert.ts";
import { tokenPurgeCommand } from "../../src/cli/token_purge.ts";
import { cliVaultEnv, runCommand } from "../vault/_cli_env.ts";
import { withIssuedVault } from "../vault/_issue.ts";

Deno.test("token-purge deletes one token so it no longer restores", async () => {
  const env = await cliVaultEnv();
  try {
    const token = await withIssuedVault(
      env,
      (v) => v.tokenize("123-45-6789", { type: "us_ssn", scope: "s" }),
    );
    const r = await runCommand(tokenPurgeCommand, [token, "--config", env.config]);
    assertEquals(r.code, 0);
    assertStringIncludes(r.stdout, "Purged 1 token(s)");
    const restored = await withIssuedVault(env, (v) => v.restoreTokens(token, "s"));
    assertEquals(restored.text, token);
    const again = await runCommand(tokenPurgeCommand, [token, "--config", env.config]);
    assertEquals(again.code, 1);
    assertStringIncludes(again.stderr, "token.not_found");
    const kinds = (await env.auditRecords()).map((e) => `${e.kind}:${e.outcome}`);
    assertEquals(kinds.filter((k) => k.startsWith("token.purge")), [
      "token.purge:purged",
      "token.purge:not-found",
    ]);
  } finally {
    await env.cleanup();
  }
});

Deno.test("token-purge --expired deletes only expired tokens", async () => {
  const env = await cliVaultEnv({ ttlByType: { us_ssn: 0, phone: 1 } });
  try {
    await withIssuedVault(env, async (v) => {
      await v.tokenize("123-45-6789", { type: "us_ssn", scope: "s" });
      await v.tokenize("+1 415 555 0100", { type: "phone", scope: "s" });
    });
    await new Promise((r) => setTimeout(r, 1100));
    const r = await runCommand(tokenPurgeCommand, ["--expired", "--json", "--config", env.config]);
    assertEquals(r.code, 0);
    assertEquals(JSON.parse(r.stdout), { purged: 1 });
    assertEquals(await withIssuedVault(env, (v) => v.count()), 1);
  } finally {
    await env.cleanup();
  }
});

Deno.test("token-purge needs exactly one of a token or --expired, else exit 2", async () => {
  assertEquals((await runCommand(tokenPurgeCommand, [])).code, 2);
  assertEquals((await runCommand(tokenPurgeCommand, ["--expired", "x"])).code, 2);
  assertEquals((await runCommand(tokenPurgeCommand, ["--all"])).code, 2);
  assertEquals((await runCommand(tokenPurgeCommand, ["not-a-token"])).code, 1);
  assertEquals((await runCommand(tokenPurgeCommand, ["--help"])).code, 0);
});
