import { assertEquals, assertStringIncludes } from "../assert.ts";
import { closest } from "../../src/cli/_suggest.ts";
import { editDistance } from "../../src/config/edit_distance.ts";
import { runCli } from "../../src/cli/mod.ts";
import { createTestIO } from "./_io.ts";

async function cli(args: string[]) {
  const t = createTestIO();
  const code = await runCli(args, t.io);
  return { code, stdout: t.stdout(), stderr: t.stderr() };
}

Deno.test("a swapped pair of letters is one edit", () => {
  assertEquals(editDistance("protcet", "protect"), 1);
  assertEquals(editDistance("", "abc"), 3);
  assertEquals(editDistance("scan", "scan"), 0);
});

Deno.test("closest names a near command, and nothing for a far word or a tie", () => {
  const names = ["protect", "proxy", "scan", "status", "token-reveal", "token-purge"];
  assertEquals(closest("protcet", names), "protect");
  assertEquals(closest("PROXY", names), "proxy");
  assertEquals(closest("token-reveel", names), "token-reveal");
  assertEquals(closest("deploy", names), undefined);
  assertEquals(closest("a", ["b", "c"]), undefined);
});

Deno.test("an unknown command suggests the closest one and exits 2", async () => {
  const r = await cli(["protcet"]);
  assertEquals(r.code, 2);
  assertEquals(r.stdout, "");
  assertStringIncludes(r.stderr, 'Unknown command "protcet". Did you mean `protect`?');
  assertStringIncludes(r.stderr, "haechi help");
});

Deno.test("an unknown command with no near name says so without a guess", async () => {
  const r = await cli(["frobnicate"]);
  assertEquals(r.code, 2);
  assertEquals(r.stderr.includes("Did you mean"), false);
});

Deno.test("help for a mistyped command suggests the closest one", async () => {
  const r = await cli(["help", "audit-verfy"]);
  assertEquals(r.code, 2);
  assertStringIncludes(r.stderr, "Did you mean `audit-verify`?");
});

Deno.test("a mistyped top-level flag suggests --version", async () => {
  const r = await cli(["--verison"]);
  assertEquals(r.code, 2);
  assertStringIncludes(r.stderr, "Did you mean `--version`?");
});

Deno.test("an unknown option of a command suggests that command's closest flag and exits 2", async () => {
  const r = await cli(["restore", "--scop", "alice"]);
  assertEquals(r.code, 2);
  assertStringIncludes(r.stderr, 'Unknown option "--scop". Did you mean `--scope`?');
  assertStringIncludes(r.stderr, "usage.invalid");
  const eq = await cli(["scan", "--jsno=1"]);
  assertEquals(eq.code, 2);
  assertStringIncludes(eq.stderr, 'Unknown option "--jsno". Did you mean `--json`?');
});
