import { assert, assertEquals } from "../assert.ts";
import { tokenExportCommand } from "../../src/cli/token_export.ts";
import { cliVaultEnv, runCommand } from "../vault/_cli_env.ts";
import { withIssuedVault } from "../vault/_issue.ts";

Deno.test("token-export lists metadata only, never values or ciphertext", async () => {
  const env = await cliVaultEnv();
  try {
    const [email, ssn] = await withIssuedVault(env, async (v) => [
      await v.tokenize("bob@corp.example", { type: "email", scope: "a" }),
      await v.tokenize("123-45-6789", { type: "us_ssn", scope: "b" }),
    ]);
    const r = await runCommand(tokenExportCommand, ["--json", "--config", env.config]);
    assertEquals(r.code, 0);
    const rows = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
    assertEquals(rows.map((x) => x.token).sort(), [email, ssn].sort());
    for (const row of rows) {
      assertEquals(Object.keys(row).sort(), ["created", "expires", "scope", "token", "type"]);
    }
    assert(!r.stdout.includes("bob@corp.example") && !r.stdout.includes("123-45-6789"));
    const typed = await runCommand(tokenExportCommand, [
      "--type",
      "us_ssn",
      "--config",
      env.config,
    ]);
    const lines = typed.stdout.trim().split("\n");
    assertEquals(lines[0], "token\ttype\tscope\tcreated\texpires");
    assertEquals(lines.length, 2);
    assert(lines[1].startsWith(`${ssn}\tus_ssn\tb\t`));
    const audit = (await env.auditRecords()).filter((e) => e.kind === "token.export");
    assertEquals(audit.map((e) => (e.details as Record<string, unknown>).count), [2, 1]);
  } finally {
    await env.cleanup();
  }
});

Deno.test("token-export rejects unknown flags, positionals and bad types with exit 2", async () => {
  assertEquals((await runCommand(tokenExportCommand, ["--values"])).code, 2);
  assertEquals((await runCommand(tokenExportCommand, ["extra"])).code, 2);
  assertEquals((await runCommand(tokenExportCommand, ["--type", "Bad Type"])).code, 2);
  assertEquals((await runCommand(tokenExportCommand, ["--help"])).code, 0);
});
