import { hashRecord, openAuditWriter, verifyAuditLog } from "../../src/audit/mod.ts";
import { HaechiError } from "../../src/errors.ts";
import { assert, assertEquals, assertRejects } from "../assert.ts";
import { readLogLines, sampleEvent, tempDir, writeLogLines } from "./_helpers.ts";

/** A log of `n` records with anchors every `every`; returns paths and the lines. */
async function makeLog(dir: string, n: number, every = 0) {
  const path = `${dir}/audit.jsonl`;
  const anchorPath = `${dir}/anchors.jsonl`;
  const writer = await openAuditWriter({ path, anchorPath, anchorEvery: every });
  for (let i = 1; i <= n; i++) await writer.append(sampleEvent(i));
  await writer.close();
  return { path, anchorPath, lines: await readLogLines(path) };
}

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const { dir, cleanup } = await tempDir();
  try {
    await fn(dir);
  } finally {
    await cleanup();
  }
}

Deno.test("an empty log verifies with head seq 0 and the genesis hash", () =>
  withDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/a.jsonl`, "");
    assertEquals(await verifyAuditLog({ path: `${dir}/a.jsonl` }), {
      ok: true,
      records: 0,
      headSeq: 0,
      headHash: "0".repeat(64),
      anchorsChecked: 0,
    });
  }));

Deno.test("a modified record is reported as hash-mismatch at its seq", () =>
  withDir(async (dir) => {
    const { path, lines } = await makeLog(dir, 5);
    lines[2] = lines[2].replace('"bytes":103', '"bytes":999');
    await writeLogLines(path, lines);
    const r = await verifyAuditLog({ path });
    assertEquals(r.ok, false);
    assertEquals(r.broken?.seq, 3);
    assertEquals(r.broken?.line, 3);
    assertEquals(r.broken?.reason, "hash-mismatch");
    assertEquals(r.records, 2);
    assertEquals(r.headSeq, 2);
  }));

Deno.test("a modified record with a recomputed hash is reported as prev-hash-mismatch on the next", () =>
  withDir(async (dir) => {
    const { path, lines } = await makeLog(dir, 5);
    const rec = JSON.parse(lines[2]);
    rec.outcome = "clean";
    rec.hash = await hashRecord(rec);
    lines[2] = JSON.stringify(rec);
    await writeLogLines(path, lines);
    const r = await verifyAuditLog({ path });
    assertEquals(r.broken?.seq, 4);
    assertEquals(r.broken?.reason, "prev-hash-mismatch");
  }));

Deno.test("an added field is caught because the hash covers every field but hash", () =>
  withDir(async (dir) => {
    const { path, lines } = await makeLog(dir, 2);
    lines[0] = lines[0].replace("{", '{"note":"x",');
    await writeLogLines(path, lines);
    assertEquals((await verifyAuditLog({ path })).broken?.reason, "hash-mismatch");
  }));

Deno.test("two swapped records are reported as seq-order at the first moved line", () =>
  withDir(async (dir) => {
    const { path, lines } = await makeLog(dir, 5);
    [lines[1], lines[2]] = [lines[2], lines[1]];
    await writeLogLines(path, lines);
    const r = await verifyAuditLog({ path });
    assertEquals(r.broken?.seq, 2);
    assertEquals(r.broken?.line, 2);
    assertEquals(r.broken?.reason, "seq-order");
  }));

Deno.test("swapping the last two records is seq-order, not a gap", () =>
  withDir(async (dir) => {
    const { path, lines } = await makeLog(dir, 4);
    [lines[2], lines[3]] = [lines[3], lines[2]];
    await writeLogLines(path, lines);
    const r = await verifyAuditLog({ path });
    assertEquals([r.broken?.seq, r.broken?.reason], [3, "seq-order"]);
  }));

Deno.test("a duplicated record is reported as seq-order", () =>
  withDir(async (dir) => {
    const { path, lines } = await makeLog(dir, 3);
    lines.splice(2, 0, lines[1]);
    await writeLogLines(path, lines);
    const r = await verifyAuditLog({ path });
    assertEquals([r.broken?.seq, r.broken?.reason], [3, "seq-order"]);
  }));

Deno.test("a deleted record is reported as seq-gap at the missing seq", () =>
  withDir(async (dir) => {
    const { path, lines } = await makeLog(dir, 5);
    lines.splice(2, 1);
    await writeLogLines(path, lines);
    const r = await verifyAuditLog({ path });
    assertEquals(r.broken?.seq, 3);
    assertEquals(r.broken?.reason, "seq-gap");
    assertEquals(r.headSeq, 2);
  }));

Deno.test("deleting the second-to-last record is a gap too", () =>
  withDir(async (dir) => {
    const { path, lines } = await makeLog(dir, 4);
    lines.splice(2, 1);
    await writeLogLines(path, lines);
    assertEquals((await verifyAuditLog({ path })).broken?.reason, "seq-gap");
  }));

Deno.test("a tail cut mid-line is a parse-error at the cut record", () =>
  withDir(async (dir) => {
    const { path } = await makeLog(dir, 3);
    const text = await Deno.readTextFile(path);
    await Deno.writeTextFile(path, text.slice(0, text.length - 20));
    const r = await verifyAuditLog({ path });
    assertEquals([r.broken?.seq, r.broken?.reason, r.records], [3, "parse-error", 2]);
  }));

Deno.test("a complete last record without its newline is still flagged as cut off", () =>
  withDir(async (dir) => {
    const { path } = await makeLog(dir, 2);
    const text = await Deno.readTextFile(path);
    await Deno.writeTextFile(path, text.slice(0, -1));
    const r = await verifyAuditLog({ path });
    assertEquals([r.broken?.seq, r.broken?.reason], [2, "parse-error"]);
  }));

Deno.test("whole records cut off the end pass without anchors but are truncated with them", () =>
  withDir(async (dir) => {
    const { path, anchorPath, lines } = await makeLog(dir, 6, 2);
    await writeLogLines(path, lines.slice(0, 3));
    assert((await verifyAuditLog({ path })).ok, "a shorter chain is still a chain");
    const r = await verifyAuditLog({ path, anchorPath });
    assertEquals(r.ok, false);
    assertEquals(r.broken?.reason, "truncated");
    assertEquals(r.broken?.seq, 4);
    assertEquals(r.broken?.anchorLine, 2);
    assertEquals(r.anchorsChecked, 1);
  }));

Deno.test("an edited anchor hash is reported as anchor-mismatch at its seq", () =>
  withDir(async (dir) => {
    const { path, anchorPath } = await makeLog(dir, 6, 2);
    const anchors = await readLogLines(anchorPath);
    const a = JSON.parse(anchors[1]);
    a.hash = a.hash.replace(/^./, (c: string) => (c === "0" ? "1" : "0"));
    anchors[1] = JSON.stringify(a);
    await writeLogLines(anchorPath, anchors);
    const r = await verifyAuditLog({ path, anchorPath });
    assertEquals([r.broken?.seq, r.broken?.reason, r.broken?.anchorLine], [
      4,
      "anchor-mismatch",
      2,
    ]);
    assertEquals(r.headSeq, 3);
  }));

Deno.test("a malformed or out-of-order anchor is anchor-invalid", () =>
  withDir(async (dir) => {
    const { path, anchorPath } = await makeLog(dir, 6, 2);
    const anchors = await readLogLines(anchorPath);
    await writeLogLines(anchorPath, [anchors[0], "not json", anchors[2]]);
    assertEquals((await verifyAuditLog({ path, anchorPath })).broken?.reason, "anchor-invalid");
    await writeLogLines(anchorPath, [anchors[1], anchors[0]]);
    const r = await verifyAuditLog({ path, anchorPath });
    assertEquals([r.broken?.reason, r.broken?.anchorLine], ["anchor-invalid", 2]);
  }));

Deno.test("a record from an unknown schema version is reported as schema-version", () =>
  withDir(async (dir) => {
    const { path, lines } = await makeLog(dir, 2);
    lines[1] = lines[1].replace('"schemaVersion":1', '"schemaVersion":2');
    await writeLogLines(path, lines);
    assertEquals((await verifyAuditLog({ path })).broken?.reason, "schema-version");
  }));

Deno.test("a garbage line is a parse-error and its content is not echoed", () =>
  withDir(async (dir) => {
    const { path, lines } = await makeLog(dir, 3);
    lines[1] = "alice@example.com was here";
    await writeLogLines(path, lines);
    const r = await verifyAuditLog({ path });
    assertEquals([r.broken?.seq, r.broken?.reason], [2, "parse-error"]);
    assert(!JSON.stringify(r).includes("alice"));
  }));

Deno.test("a first record that does not start from the genesis hash is prev-hash-mismatch", () =>
  withDir(async (dir) => {
    const { path, lines } = await makeLog(dir, 2);
    const rec = JSON.parse(lines[0]);
    rec.prevHash = "a".repeat(64);
    rec.hash = await hashRecord(rec);
    lines[0] = JSON.stringify(rec);
    await writeLogLines(path, lines);
    const r = await verifyAuditLog({ path });
    assertEquals([r.broken?.seq, r.broken?.reason], [1, "prev-hash-mismatch"]);
  }));

Deno.test("a log with CRLF line endings still verifies", () =>
  withDir(async (dir) => {
    const { path, lines } = await makeLog(dir, 3);
    await Deno.writeTextFile(path, lines.map((l) => l + "\r\n").join(""));
    assert((await verifyAuditLog({ path })).ok);
  }));

Deno.test("a missing log or anchor file is an audit.io error", () =>
  withDir(async (dir) => {
    const e1 = await assertRejects(
      () => verifyAuditLog({ path: `${dir}/none.jsonl` }),
      HaechiError,
    );
    assertEquals((e1 as HaechiError).code, "audit.io");
    const { path } = await makeLog(dir, 1);
    const e2 = await assertRejects(
      () => verifyAuditLog({ path, anchorPath: `${dir}/none.anchors` }),
      HaechiError,
    );
    assertEquals((e2 as HaechiError).code, "audit.io");
  }));

Deno.test("verifying 20,000 records streams through without trouble", () =>
  withDir(async (dir) => {
    // Built by hand (not via the writer) to keep the test quick; same format and hashes.
    const path = `${dir}/big.jsonl`;
    const parts: string[] = [];
    let prevHash = "0".repeat(64);
    for (let seq = 1; seq <= 20_000; seq++) {
      const rec = {
        schemaVersion: 1,
        seq,
        ts: "2024-05-01T00:00:00.000Z",
        prevHash,
        kind: "scan",
        mode: "enforce",
        correlationId: `c${seq}`,
        source: "proxy",
        outcome: "clean",
        findings: [],
        paths: [],
      };
      const hash = await hashRecord(rec);
      parts.push(JSON.stringify({ ...rec, hash }) + "\n");
      prevHash = hash;
    }
    await Deno.writeTextFile(path, parts.join(""));
    const r = await verifyAuditLog({ path });
    assertEquals([r.ok, r.records, r.headHash], [true, 20_000, prevHash]);
  }));

Deno.test("progress is reported every 256 records and an awaited callback holds the walk", () =>
  withDir(async (dir) => {
    const { path } = await makeLog(dir, 600);
    const seen: number[] = [];
    const r = await verifyAuditLog({
      path,
      onProgress: async (n) => {
        await new Promise((resolve) => setTimeout(resolve, 0));
        seen.push(n);
      },
    });
    assertEquals(r.ok, true);
    assertEquals(seen, [256, 512]);
  }));
