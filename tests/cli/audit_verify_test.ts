import { auditVerifyCommand, parseAuditVerifyArgs } from "../../src/cli/audit_verify.ts";
import { EXIT } from "../../src/cli/exit_codes.ts";
import { HaechiError } from "../../src/errors.ts";
import { assert, assertEquals, assertStringIncludes, assertThrows } from "../assert.ts";
import { readLogLines, tempDir, writeGoldenLog, writeLogLines } from "../audit/_helpers.ts";
import { createTestIO } from "./_io.ts";

async function withLog(fn: (dir: string, log: string, anchors: string) => Promise<void>) {
  const { dir, cleanup } = await tempDir();
  try {
    await writeGoldenLog(`${dir}/audit.jsonl`, `${dir}/anchors.jsonl`);
    await fn(dir, `${dir}/audit.jsonl`, `${dir}/anchors.jsonl`);
  } finally {
    await cleanup();
  }
}

Deno.test("audit-verify on an intact log exits 0 and prints the head hash", () =>
  withLog(async (_dir, log, anchors) => {
    const t = createTestIO();
    const code = await auditVerifyCommand.run(["--audit", log, "--anchor", anchors], t.io);
    assertEquals(code, EXIT.ok);
    const head = JSON.parse((await readLogLines(log))[2]).hash;
    assertStringIncludes(t.stdout(), "intact");
    assertStringIncludes(t.stdout(), head);
    assertStringIncludes(t.stdout(), "2 checked");
    assertEquals(t.stderr(), "");
  }));

Deno.test("audit-verify --json prints the verdict as one JSON object", () =>
  withLog(async (_dir, log) => {
    const t = createTestIO();
    assertEquals(await auditVerifyCommand.run(["--audit", log, "--json"], t.io), EXIT.ok);
    const out = JSON.parse(t.stdout());
    assertEquals([out.ok, out.records, out.headSeq, out.anchorPath], [true, 3, 3, null]);
    assertEquals(out.headHash.length, 64);
  }));

Deno.test("audit-verify on a tampered log exits 4 naming the first broken seq and reason", () =>
  withLog(async (_dir, log) => {
    const lines = await readLogLines(log);
    lines[1] = lines[1].replace('"outcome":"clean"', '"outcome":"blocked"');
    await writeLogLines(log, lines);
    const t = createTestIO();
    assertEquals(await auditVerifyCommand.run(["--audit", log], t.io), EXIT.chainBroken);
    assertStringIncludes(t.stdout(), "BROKEN");
    assertStringIncludes(t.stdout(), "first broken seq:  2");
    assertStringIncludes(t.stdout(), "hash-mismatch");

    const j = createTestIO();
    assertEquals(await auditVerifyCommand.run(["--audit", log, "--json"], j.io), EXIT.chainBroken);
    const out = JSON.parse(j.stdout());
    assertEquals([out.ok, out.broken.seq, out.broken.reason], [false, 2, "hash-mismatch"]);
  }));

Deno.test("audit-verify reports a truncated log as broken when anchors are given", () =>
  withLog(async (_dir, log, anchors) => {
    await writeLogLines(log, (await readLogLines(log)).slice(0, 1));
    const t = createTestIO();
    const code = await auditVerifyCommand.run(["--audit", log, "--anchor", anchors], t.io);
    assertEquals(code, EXIT.chainBroken);
    assertStringIncludes(t.stdout(), "truncated");
  }));

Deno.test("audit-verify on a missing log exits 1 with a message on stderr", async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const t = createTestIO();
    const code = await auditVerifyCommand.run(["--audit", `${dir}/none.jsonl`], t.io);
    assertEquals(code, EXIT.badInput);
    assertStringIncludes(t.stderr(), "not found");
    assertEquals(t.stdout(), "");
    const j = createTestIO();
    await auditVerifyCommand.run(["--audit", `${dir}/none.jsonl`, "--json"], j.io);
    assertEquals(JSON.parse(j.stdout()).error.code, "audit.io");
  } finally {
    await cleanup();
  }
});

Deno.test("audit-verify with an unknown flag or a positional exits 2", async () => {
  for (const args of [["--bogus"], ["extra.jsonl"], ["--audit"]]) {
    const t = createTestIO();
    assertEquals(await auditVerifyCommand.run(args, t.io), EXIT.usage, args.join(" "));
    assertStringIncludes(t.stderr(), "--help");
  }
});

Deno.test("audit-verify --help prints the help text and exits 0", async () => {
  const t = createTestIO();
  assertEquals(await auditVerifyCommand.run(["--help"], t.io), EXIT.ok);
  assertStringIncludes(t.stdout(), "Usage: haechi audit-verify");
  assertEquals(t.stdout(), auditVerifyCommand.help);
});

Deno.test("audit-verify without --audit uses the config's log and anchor paths", () =>
  withLog(async (dir, log, anchors) => {
    const config = `${dir}/haechi.config.json`;
    await Deno.writeTextFile(
      config,
      JSON.stringify({
        configVersion: 1,
        audit: { enabled: true, path: log, anchorPath: anchors, anchorEvery: 2 },
      }),
    );
    const t = createTestIO();
    assertEquals(await auditVerifyCommand.run(["--config", config, "--json"], t.io), EXIT.ok);
    const out = JSON.parse(t.stdout());
    assertEquals([out.path, out.anchorPath, out.anchorsChecked], [log, anchors, 2]);
  }));

Deno.test("a configured anchor file that does not exist is noted, not fatal", () =>
  withLog(async (dir, log) => {
    const config = `${dir}/haechi.config.json`;
    await Deno.writeTextFile(
      config,
      JSON.stringify({
        configVersion: 1,
        audit: { enabled: true, path: log, anchorPath: `${dir}/gone.jsonl`, anchorEvery: 2 },
      }),
    );
    const t = createTestIO();
    assertEquals(await auditVerifyCommand.run(["--config", config], t.io), EXIT.ok);
    assertStringIncludes(t.stderr(), "No anchor file");
  }));

Deno.test("a missing --config file is a usage error (exit 2)", async () => {
  const t = createTestIO();
  const code = await auditVerifyCommand.run(["--config", "/nonexistent/haechi.json"], t.io);
  assertEquals(code, EXIT.usage);
});

Deno.test("the audit-verify argument parser reads every flag", () => {
  assertEquals(
    parseAuditVerifyArgs(["--audit", "a", "--anchor", "b", "--config", "c", "--json"]),
    { audit: "a", anchor: "b", config: "c", json: true, help: false },
  );
  assertEquals(parseAuditVerifyArgs(["-h"]).help, true);
  const err = assertThrows(() => parseAuditVerifyArgs(["--nope"]), HaechiError);
  assertEquals((err as HaechiError).code, "usage.invalid");
  assert(auditVerifyCommand.name === "audit-verify");
});
