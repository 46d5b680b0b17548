import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { restoreCommand } from "../../src/cli/restore.ts";
import { tokenRevealCommand } from "../../src/cli/token_reveal.ts";
import { cliVaultEnv, runCommand } from "../vault/_cli_env.ts";
import { withIssuedVault } from "../vault/_issue.ts";

const VALUE = "bob@corp.example";

Deno.test("restore obeys revealPolicy deny like token-reveal: exit 3, nothing printed, denial audited", async () => {
  const env = await cliVaultEnv({ revealPolicy: "deny" });
  try {
    const token = await withIssuedVault(
      env,
      (v) => v.tokenize(VALUE, { type: "email", scope: "a" }),
    );
    const reply = `${env.dir}/reply.txt`;
    await Deno.writeTextFile(reply, `write to ${token}\n`);
    const r = await runCommand(restoreCommand, [reply, "--scope", "a", "--config", env.config]);
    assertEquals(r.code, 3);
    assertStringIncludes(r.stderr, "token.reveal_denied");
    assertEquals(r.stdout, "");
    const reveal = await runCommand(tokenRevealCommand, [token, "--config", env.config]);
    assertEquals(reveal.code, r.code, "both operator reveals give the same answer");
    const denied = (await env.auditRecords()).filter((e) => e.outcome === "denied");
    assertEquals(denied.map((e) => e.kind), ["token.restore", "token.reveal"]);
    assert(!(await Deno.readTextFile(env.auditPath)).includes(VALUE));
  } finally {
    await env.cleanup();
  }
});

Deno.test("restore with revealPolicy allow puts back only the scope's tokens and audits counts", async () => {
  const env = await cliVaultEnv({ revealPolicy: "allow" });
  try {
    const [mine, theirs] = await withIssuedVault(env, async (v) => [
      await v.tokenize(VALUE, { type: "email", scope: "a" }),
      await v.tokenize("eve@corp.example", { type: "email", scope: "b" }),
    ]);
    const reply = `${env.dir}/reply.txt`;
    await Deno.writeTextFile(reply, `${mine} and ${theirs}`);
    const r = await runCommand(restoreCommand, [reply, "--scope", "a", "--config", env.config]);
    assertEquals(r.code, 0);
    assertEquals(r.stdout, `${VALUE} and ${theirs}`);
    const event = (await env.auditRecords()).find((e) => e.kind === "token.restore");
    assertEquals(event?.outcome, "partial");
  } finally {
    await env.cleanup();
  }
});
