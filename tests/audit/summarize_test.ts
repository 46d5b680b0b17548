import { isIsoDay, summarizeAuditLog } from "../../src/audit/mod.ts";
import { HaechiError } from "../../src/errors.ts";
import { assertEquals, assertRejects } from "../assert.ts";
import { tempDir, writeReportLog } from "./_helpers.ts";

Deno.test("the summary counts findings by type and action, events by outcome and UTC day", async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const path = `${dir}/a.jsonl`;
    await writeReportLog(path);
    const s = await summarizeAuditLog({ path });
    assertEquals(s, {
      events: 5,
      findings: 7,
      byFindingType: { email: 6, "aws-access-key": 1 },
      byAction: { mask: 3, redact: 3, block: 1 },
      byOutcome: { redacted: 2, blocked: 1, clean: 1, "dry-run": 1 },
      byDay: { "2024-05-01": 2, "2024-05-02": 1, "2024-05-03": 2 },
    });
  } finally {
    await cleanup();
  }
});

Deno.test("since counts only events on or after that UTC day", async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const path = `${dir}/a.jsonl`;
    await writeReportLog(path);
    const s = await summarizeAuditLog({ path, since: "2024-05-02" });
    assertEquals(s.events, 3);
    assertEquals(s.byDay, { "2024-05-02": 1, "2024-05-03": 2 });
  } finally {
    await cleanup();
  }
});

Deno.test("a malformed line is an audit.parse error naming the line", async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const path = `${dir}/a.jsonl`;
    await writeReportLog(path);
    await Deno.writeTextFile(path, "garbage\n", { append: true });
    const err = await assertRejects(() => summarizeAuditLog({ path }), HaechiError, "line 6");
    assertEquals((err as HaechiError).code, "audit.parse");
  } finally {
    await cleanup();
  }
});

Deno.test("only real calendar days count as YYYY-MM-DD", () => {
  assertEquals(
    ["2024-01-31", "2024-02-30", "2024-13-01", "24-01-01", "2024-01-01T00:00Z"].map(isIsoDay),
    [true, false, false, false, false],
  );
});
