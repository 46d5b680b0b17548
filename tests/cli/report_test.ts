import { EXIT } from "../../src/cli/exit_codes.ts";
import { parseReportArgs, reportCommand } from "../../src/cli/report.ts";
import { HaechiError } from "../../src/errors.ts";
import { assertEquals, assertMatch, assertStringIncludes, assertThrows } from "../assert.ts";
import { tempDir, writeReportLog } from "../audit/_helpers.ts";
import { createTestIO } from "./_io.ts";

async function withLog(fn: (dir: string, log: string) => Promise<void>) {
  const { dir, cleanup } = await tempDir();
  try {
    await writeReportLog(`${dir}/audit.jsonl`);
    await fn(dir, `${dir}/audit.jsonl`);
  } finally {
    await cleanup();
  }
}

Deno.test("report prints tables by finding type, action, outcome and day", () =>
  withLog(async (_dir, log) => {
    const t = createTestIO();
    assertEquals(await reportCommand.run(["--audit", log], t.io), EXIT.ok);
    const out = t.stdout();
    assertStringIncludes(out, "events:   5");
    assertStringIncludes(out, "By finding type");
    assertMatch(out, /email\s+6\n/);
    assertMatch(out, /aws-access-key\s+1\n/);
    assertMatch(out, /By action\n[^\n]*\n\s+mask\s+3\n\s+redact\s+3\n\s+block\s+1\n/);
    assertMatch(out, /blocked\s+1\n/);
    assertMatch(out, /2024-05-01\s+2\n\s+2024-05-02\s+1\n\s+2024-05-03\s+2\n/);
  }));

Deno.test("report --json --since prints filtered counts as JSON", () =>
  withLog(async (_dir, log) => {
    const t = createTestIO();
    const code = await reportCommand.run(["--audit", log, "--json", "--since", "2024-05-03"], t.io);
    assertEquals(code, EXIT.ok);
    const out = JSON.parse(t.stdout());
    assertEquals(out.since, "2024-05-03");
    assertEquals(out.events, 2);
    assertEquals(out.byFindingType, { email: 4 });
    assertEquals(out.byDay, { "2024-05-03": 2 });
  }));

Deno.test("report on an empty log prints zero counts", async () => {
  const { dir, cleanup } = await tempDir();
  try {
    await Deno.writeTextFile(`${dir}/a.jsonl`, "");
    const t = createTestIO();
    assertEquals(await reportCommand.run(["--audit", `${dir}/a.jsonl`], t.io), EXIT.ok);
    assertStringIncludes(t.stdout(), "events:   0");
    assertStringIncludes(t.stdout(), "(none)");
  } finally {
    await cleanup();
  }
});

Deno.test("report on a missing log exits 1", async () => {
  const t = createTestIO();
  assertEquals(await reportCommand.run(["--audit", "/nonexistent/a.jsonl"], t.io), EXIT.badInput);
  assertStringIncludes(t.stderr(), "not found");
});

Deno.test("report with a bad --since or an unknown flag exits 2", async () => {
  for (const args of [["--since", "2024-13-01"], ["--since", "yesterday"], ["--what"], ["x"]]) {
    const t = createTestIO();
    assertEquals(await reportCommand.run(args, t.io), EXIT.usage, args.join(" "));
  }
});

Deno.test("report --help prints the help text and exits 0", async () => {
  const t = createTestIO();
  assertEquals(await reportCommand.run(["--help"], t.io), EXIT.ok);
  assertStringIncludes(t.stdout(), "Usage: haechi report");
});

Deno.test("report without --audit reads the log path from the config", () =>
  withLog(async (dir, log) => {
    const config = `${dir}/haechi.config.json`;
    await Deno.writeTextFile(
      config,
      JSON.stringify({
        configVersion: 1,
        audit: { enabled: true, path: log, anchorPath: "", anchorEvery: 0 },
      }),
    );
    const t = createTestIO();
    assertEquals(await reportCommand.run(["--config", config, "--json"], t.io), EXIT.ok);
    assertEquals(JSON.parse(t.stdout()).events, 5);
  }));

Deno.test("control characters in names from an edited log are not printed raw", async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const rec = {
      ts: "2024-05-01T00:00:00Z",
      outcome: "clean\u001b[31m",
      findings: [],
    };
    await Deno.writeTextFile(`${dir}/a.jsonl`, JSON.stringify(rec) + "\n");
    const t = createTestIO();
    assertEquals(await reportCommand.run(["--audit", `${dir}/a.jsonl`], t.io), EXIT.ok);
    assertEquals(t.stdout().includes("\u001b"), false);
  } finally {
    await cleanup();
  }
});

Deno.test("the report argument parser reads every flag", () => {
  assertEquals(parseReportArgs(["--audit", "a", "--config", "c", "--since", "2024-01-01"]), {
    audit: "a",
    config: "c",
    since: "2024-01-01",
    json: false,
    help: false,
  });
  const err = assertThrows(() => parseReportArgs(["--since", "2024-1-1"]), HaechiError);
  assertEquals((err as HaechiError).code, "usage.invalid");
});
