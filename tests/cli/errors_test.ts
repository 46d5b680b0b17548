// Every command reports an error the same way: once, as text naming the command and the
// code, or with --json as one JSON object on stderr; the exit status is the same either way.
import { assertEquals, assertStringIncludes } from "../assert.ts";
import { COMMANDS, runCli } from "../../src/cli/mod.ts";
import { createTestIO } from "./_io.ts";

async function cli(args: string[]) {
  const t = createTestIO();
  const code = await runCli(args, t.io);
  return { code, stdout: t.stdout(), stderr: t.stderr() };
}

Deno.test("an unreadable input is one error line naming the command and code, exit 1", async () => {
  const r = await cli(["scan", "/nonexistent/request.json"]);
  assertEquals(r.code, 1);
  assertEquals(r.stdout, "");
  assertEquals(
    r.stderr,
    "haechi scan: error: Cannot read input file /nonexistent/request.json [input.read_failed]\n",
  );
});

Deno.test("with --json the same error is one JSON object on stderr and the same exit status", async () => {
  for (
    const args of [["scan", "/nonexistent/request.json", "--json"], [
      "--json",
      "scan",
      "/nonexistent/request.json",
    ]]
  ) {
    const r = await cli(args);
    assertEquals(r.code, 1, args.join(" "));
    assertEquals(r.stdout, "");
    assertEquals(r.stderr.trimEnd().split("\n").length, 1);
    assertEquals(JSON.parse(r.stderr), {
      ok: false,
      error: {
        code: "input.read_failed",
        message: "Cannot read input file /nonexistent/request.json",
      },
      command: "scan",
      exitStatus: 1,
    });
  }
});

Deno.test("an unknown command with --json is a JSON usage error, exit 2", async () => {
  const r = await cli(["--json", "protcet"]);
  assertEquals(r.code, 2);
  const err = JSON.parse(r.stderr);
  assertEquals(err.error.code, "usage.invalid");
  assertStringIncludes(err.error.message, "Did you mean `protect`?");
});

Deno.test("every command accepts --json and --help, and its help lists both", async () => {
  for (const c of COMMANDS) {
    assertStringIncludes(c.help, "--json", c.name);
    assertStringIncludes(c.help, "-h, --help", c.name);
    const r = await cli([c.name, "--help", "--json"]);
    assertEquals([r.code, r.stdout], [0, c.help], c.name);
  }
});

Deno.test("a usage error names the command's help on a second line", async () => {
  const r = await cli(["restore", "--scop", "alice"]);
  assertEquals(r.code, 2);
  assertEquals(
    r.stderr,
    'haechi restore: error: Unknown option "--scop". Did you mean `--scope`? [usage.invalid]\n' +
      'Run "haechi restore --help" for usage.\n',
  );
});
