import { GENESIS_HASH, hashRecord, openAuditWriter, verifyAuditLog } from "../../src/audit/mod.ts";
import { HaechiError } from "../../src/errors.ts";
import { assert, assertEquals, assertRejects, assertStringIncludes } from "../assert.ts";
import { readLogLines, sampleEvent, steppingClock, tempDir } from "./_helpers.ts";

Deno.test("records written by the writer form a chain that verifies", async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const path = `${dir}/audit.jsonl`;
    const writer = await openAuditWriter({ path, now: steppingClock() });
    const written = [];
    for (let i = 1; i <= 5; i++) written.push(await writer.append(sampleEvent(i)));
    await writer.close();

    assertEquals(written.map((r) => r.seq), [1, 2, 3, 4, 5]);
    assertEquals(written[0].prevHash, GENESIS_HASH);
    for (let i = 1; i < written.length; i++) assertEquals(written[i].prevHash, written[i - 1].hash);
    const lines = await readLogLines(path);
    assertEquals(lines.length, 5);
    const parsed = JSON.parse(lines[2]);
    assertEquals(parsed, written[2]);
    assertEquals(await hashRecord(parsed), parsed.hash);
    assertEquals(parsed.ts, "2024-05-01T12:00:02.000Z");

    const result = await verifyAuditLog({ path });
    assertEquals(result, {
      ok: true,
      records: 5,
      headSeq: 5,
      headHash: written[4].hash,
      anchorsChecked: 0,
    });
  } finally {
    await cleanup();
  }
});

Deno.test("reopening a log continues from the last record's seq and hash", async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const path = `${dir}/audit.jsonl`;
    const first = await openAuditWriter({ path });
    await first.append(sampleEvent(1));
    const last = await first.append(sampleEvent(2));
    await first.close();

    const second = await openAuditWriter({ path });
    assertEquals(second.head, { seq: 2, hash: last.hash });
    const next = await second.append(sampleEvent(3));
    await second.close();
    assertEquals(next.seq, 3);
    assertEquals(next.prevHash, last.hash);
    assert((await verifyAuditLog({ path })).ok);
  } finally {
    await cleanup();
  }
});

Deno.test("head recovery reads a last line that spans several read blocks", async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const path = `${dir}/audit.jsonl`;
    const writer = await openAuditWriter({ path });
    for (let i = 1; i <= 3; i++) await writer.append(sampleEvent(i));
    // 1000 findings with long rule ids make each of the last lines about 100 KB, longer than
    // the 64 KiB read block, so the backwards read must join several blocks.
    const findings = Array.from({ length: 1000 }, (_, i) => ({
      type: "email",
      ruleId: `rule-${String(i).padStart(40, "0")}`,
      action: "redact",
      count: 1,
    }));
    for (let i = 4; i <= 6; i++) await writer.append(sampleEvent(i, { findings }));
    await writer.close();

    const reopened = await openAuditWriter({ path });
    const lastLine = (await readLogLines(path)).at(-1)!;
    assert(lastLine.length > 64 * 1024);
    const last = JSON.parse(lastLine);
    assertEquals(reopened.head, { seq: 6, hash: last.hash });
    await reopened.close();
  } finally {
    await cleanup();
  }
});

Deno.test("concurrent appends get consecutive seqs in call order", async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const path = `${dir}/audit.jsonl`;
    const writer = await openAuditWriter({ path });
    const records = await Promise.all(
      Array.from({ length: 50 }, (_, i) => writer.append(sampleEvent(i + 1))),
    );
    await writer.close();
    assertEquals(records.map((r) => r.seq), Array.from({ length: 50 }, (_, i) => i + 1));
    assertEquals(records.map((r) => r.correlationId), records.map((_, i) => `req-${i + 1}`));
    const lines = (await readLogLines(path)).map((l) => JSON.parse(l).correlationId);
    assertEquals(lines, records.map((r) => r.correlationId));
    assert((await verifyAuditLog({ path })).ok);
  } finally {
    await cleanup();
  }
});

Deno.test("a refused event in a concurrent batch does not disturb the others", async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const path = `${dir}/audit.jsonl`;
    const writer = await openAuditWriter({ path });
    const results = await Promise.allSettled([
      writer.append(sampleEvent(1)),
      writer.append(sampleEvent(2, { details: { body: "x".repeat(201) } })),
      writer.append(sampleEvent(3)),
    ]);
    await writer.close();
    assertEquals(results.map((r) => r.status), ["fulfilled", "rejected", "fulfilled"]);
    assertEquals((await verifyAuditLog({ path })).headSeq, 2);
  } finally {
    await cleanup();
  }
});

Deno.test("the writer refuses details that are nested, too long or not scalar", async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const path = `${dir}/audit.jsonl`;
    const writer = await openAuditWriter({ path });
    const bad: unknown[] = [
      { body: "x".repeat(201) },
      { nested: { a: 1 } },
      { list: [1, 2] },
      { missing: null },
      { huge: Infinity },
      { "not a key": 1 },
    ];
    for (const details of bad) {
      const err = await assertRejects(
        () => writer.append(sampleEvent(1, { details: details as Record<string, string> })),
        HaechiError,
        "Audit event refused",
      );
      assertEquals((err as HaechiError).code, "audit.unsafe_event");
    }
    // Exactly 200 characters is still a short fact.
    await writer.append(sampleEvent(1, { details: { code: "x".repeat(200) } }));
    await writer.close();
    assertEquals((await readLogLines(path)).length, 1);
  } finally {
    await cleanup();
  }
});

Deno.test("the writer refuses raw paths, extra fields and free text in names", async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const writer = await openAuditWriter({ path: `${dir}/audit.jsonl` });
    const bad = [
      sampleEvent(1, { paths: ["$.messages[0].content"] }),
      { ...sampleEvent(1), value: "leak" },
      sampleEvent(1, {
        findings: [{ type: "email", ruleId: "r", action: "redact", count: 1, value: "x" }] as never,
      }),
      sampleEvent(1, { outcome: "redacted alice@example.com because" as never }),
      sampleEvent(1, { mode: "loud" as never }),
      sampleEvent(1, { findings: [{ type: "email", ruleId: "r", action: "redact", count: 0 }] }),
    ];
    for (const event of bad) {
      await assertRejects(() => writer.append(event), HaechiError, "Audit event refused");
    }
    await writer.close();
    assertEquals(await Deno.readTextFile(`${dir}/audit.jsonl`), "");
  } finally {
    await cleanup();
  }
});

Deno.test("a refusal message names the field but not its content", async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const writer = await openAuditWriter({ path: `${dir}/audit.jsonl` });
    const err = await assertRejects(
      () => writer.append(sampleEvent(1, { details: { note: "alice@example.com ".repeat(20) } })),
      HaechiError,
    );
    assertStringIncludes(err.message, "details.note");
    assert(!err.message.includes("alice"));
    await writer.close();
  } finally {
    await cleanup();
  }
});

Deno.test("a caller mutating its event after append does not change the record", async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const path = `${dir}/audit.jsonl`;
    const writer = await openAuditWriter({ path });
    const details: Record<string, string | number> = { bytes: 1 };
    const pending = writer.append(sampleEvent(1, { details }));
    details.bytes = "x".repeat(5000);
    await pending;
    await writer.close();
    assertEquals(JSON.parse((await readLogLines(path))[0]).details, { bytes: 1 });
  } finally {
    await cleanup();
  }
});

Deno.test("a log ending in a partial line (interrupted write) is refused, naming audit-verify", async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const path = `${dir}/audit.jsonl`;
    const writer = await openAuditWriter({ path });
    await writer.append(sampleEvent(1));
    await writer.close();
    await Deno.writeTextFile(path, '{"schemaVersion":1,"seq":2,"ts":"20', { append: true });

    const err = await assertRejects(() => openAuditWriter({ path }), HaechiError);
    assertEquals((err as HaechiError).code, "audit.chain_broken");
    assertStringIncludes(err.message, "audit-verify");
    assertStringIncludes(err.message, "incomplete record");
    // Nothing was appended or repaired behind the operator's back.
    assertStringIncludes(await Deno.readTextFile(path), '"ts":"20');
  } finally {
    await cleanup();
  }
});

Deno.test("a log whose last record was edited is refused on open", async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const path = `${dir}/audit.jsonl`;
    const writer = await openAuditWriter({ path });
    await writer.append(sampleEvent(1));
    await writer.close();
    const text = await Deno.readTextFile(path);
    await Deno.writeTextFile(path, text.replace('"outcome":"redacted"', '"outcome":"clean"'));
    const err = await assertRejects(() => openAuditWriter({ path }), HaechiError);
    assertEquals((err as HaechiError).code, "audit.chain_broken");
    assertStringIncludes(err.message, "hash-mismatch");
  } finally {
    await cleanup();
  }
});

Deno.test("anchors are written every anchorEvery records and on close", async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const path = `${dir}/audit.jsonl`;
    const anchorPath = `${dir}/anchors.jsonl`;
    const writer = await openAuditWriter({ path, anchorPath, anchorEvery: 2 });
    const records = [];
    for (let i = 1; i <= 5; i++) records.push(await writer.append(sampleEvent(i)));
    await writer.close();
    const anchors = (await readLogLines(anchorPath)).map((l) => JSON.parse(l));
    assertEquals(anchors.map((a) => a.seq), [2, 4, 5]);
    assertEquals(anchors.map((a) => a.hash), [records[1].hash, records[3].hash, records[4].hash]);
    assertEquals(anchors[0].schemaVersion, 1);

    // Opening and closing without appends adds no anchor.
    await (await openAuditWriter({ path, anchorPath, anchorEvery: 2 })).close();
    assertEquals((await readLogLines(anchorPath)).length, 3);

    const result = await verifyAuditLog({ path, anchorPath });
    assertEquals(result.ok, true);
    assertEquals(result.anchorsChecked, 3);
  } finally {
    await cleanup();
  }
});

Deno.test("an empty anchorPath (as in config) means no anchor file", async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const writer = await openAuditWriter({
      path: `${dir}/a.jsonl`,
      anchorPath: "",
      anchorEvery: 1,
    });
    await writer.append(sampleEvent(1));
    await writer.close();
    assertEquals([...Deno.readDirSync(dir)].map((e) => e.name), ["a.jsonl"]);
  } finally {
    await cleanup();
  }
});

Deno.test("append after close is refused", async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const writer = await openAuditWriter({ path: `${dir}/a.jsonl` });
    await writer.close();
    await writer.close();
    await assertRejects(() => writer.append(sampleEvent(1)), HaechiError, "closed");
  } finally {
    await cleanup();
  }
});

Deno.test("a new log file is created with mode 0600", async () => {
  if (Deno.build.os === "windows") return;
  const { dir, cleanup } = await tempDir();
  try {
    const path = `${dir}/nested/audit.jsonl`;
    const writer = await openAuditWriter({ path });
    await writer.append(sampleEvent(1));
    await writer.close();
    assertEquals((await Deno.stat(path)).mode! & 0o777, 0o600);
  } finally {
    await cleanup();
  }
});

Deno.test("a log cut shorter than its last anchor is refused on open", async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const path = `${dir}/audit.jsonl`;
    const anchorPath = `${dir}/anchors.jsonl`;
    const writer = await openAuditWriter({ path, anchorPath });
    for (let i = 1; i <= 3; i++) await writer.append(sampleEvent(i));
    await writer.close();
    const lines = await readLogLines(path);
    await Deno.writeTextFile(path, lines.slice(0, 2).map((l) => l + "\n").join(""));
    const err = await assertRejects(() => openAuditWriter({ path, anchorPath }), HaechiError);
    assertEquals((err as HaechiError).code, "audit.chain_broken");
    assertStringIncludes(err.message, "seq 3");
    // Without the anchor file the shorter log is a valid chain and can be extended.
    await (await openAuditWriter({ path })).close();
  } finally {
    await cleanup();
  }
});

Deno.test("an anchor behind the head (a run that stopped before anchoring) is fine", async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const path = `${dir}/audit.jsonl`;
    const anchorPath = `${dir}/anchors.jsonl`;
    const first = await openAuditWriter({ path, anchorPath });
    await first.append(sampleEvent(1));
    await first.close();
    const noAnchors = await openAuditWriter({ path });
    await noAnchors.append(sampleEvent(2));
    await noAnchors.close();
    const again = await openAuditWriter({ path, anchorPath });
    await again.append(sampleEvent(3));
    await again.close();
    const r = await verifyAuditLog({ path, anchorPath });
    assertEquals([r.ok, r.anchorsChecked], [true, 2]);
  } finally {
    await cleanup();
  }
});
