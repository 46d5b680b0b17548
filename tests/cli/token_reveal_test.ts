import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { tokenRevealCommand } from "../../src/cli/token_reveal.ts";
import { cliVaultEnv, runCommand } from "../vault/_cli_env.ts";
import { withIssuedVault } from "../vault/_issue.ts";

const VALUE = "bob@corp.example";

Deno.test("token-reveal is denied by default, exits 3 and audits the denial", async () => {
  const env = await cliVaultEnv();
  try {
    const token = await withIssuedVault(
      env,
      (v) => v.tokenize(VALUE, { type: "email", scope: "a" }),
    );
    const r = await runCommand(tokenRevealCommand, [token, "--config", env.config]);
    assertEquals(r.code, 3);
    assertStringIncludes(r.stderr, "token.reveal_denied");
    assertEquals(r.stdout, "");
    const events = await env.auditRecords();
    const e = events.find((x) => x.kind === "token.reveal") as Record<string, unknown>;
    assertEquals(e.outcome, "denied");
    assertEquals((e.details as Record<string, unknown>).token, token);
  } finally {
    await env.cleanup();
  }
});

Deno.test("token-reveal prints the value when allowed and the audit log never holds it", async () => {
  const env = await cliVaultEnv({ revealPolicy: "allow" });
  try {
    const token = await withIssuedVault(
      env,
      (v) => v.tokenize(VALUE, { type: "email", scope: "a" }),
    );
    const r = await runCommand(tokenRevealCommand, [token, "--config", env.config]);
    assertEquals(r.code, 0);
    assertEquals(r.stdout, `${VALUE}\n`);
    const j = await runCommand(tokenRevealCommand, [
      token,
      "--scope",
      "a",
      "--json",
      "--config",
      env.config,
    ]);
    assertEquals(JSON.parse(j.stdout).value, VALUE);
    const log = await Deno.readTextFile(env.auditPath);
    assert(!log.includes(VALUE), "the value is not in the audit log");
    assertEquals((await env.auditRecords()).filter((e) => e.outcome === "revealed").length, 2);
  } finally {
    await env.cleanup();
  }
});

Deno.test("token-reveal refuses another scope, unknown and malformed tokens with exit 1", async () => {
  const env = await cliVaultEnv({ revealPolicy: "allow" });
  try {
    const token = await withIssuedVault(
      env,
      (v) => v.tokenize(VALUE, { type: "email", scope: "a" }),
    );
    const other = await runCommand(tokenRevealCommand, [
      token,
      "--scope",
      "b",
      "--config",
      env.config,
    ]);
    assertEquals(other.code, 1);
    assertStringIncludes(other.stderr, "token.not_found");
    const fake = await runCommand(tokenRevealCommand, [
      "[TOKEN:email:aaaaaaaaaaaaaaaaaaaa]",
      "--config",
      env.config,
    ]);
    assertEquals(fake.code, 1);
    const bad = await runCommand(tokenRevealCommand, ["[TOKEN:email:x]", "--config", env.config]);
    assertEquals(bad.code, 1);
    assertStringIncludes(bad.stderr, "token.invalid");
    const errors = (await env.auditRecords()).filter((e) => e.outcome === "error");
    assertEquals(errors.length, 2, "refusals past the policy gate are audited");
  } finally {
    await env.cleanup();
  }
});

Deno.test("token-reveal rejects unknown flags and wrong argument counts with exit 2", async () => {
  assertEquals((await runCommand(tokenRevealCommand, ["--nope"])).code, 2);
  assertEquals((await runCommand(tokenRevealCommand, [])).code, 2);
  assertEquals((await runCommand(tokenRevealCommand, ["a", "b"])).code, 2);
  assertEquals((await runCommand(tokenRevealCommand, ["-h"])).code, 0);
});
