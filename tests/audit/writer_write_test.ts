// What an append's resolution promises: the record's write has returned, in both the
// blocking default and the fsync mode, and a write the OS refuses fails the append.
import { openAuditWriter, verifyAuditLog } from "../../src/audit/mod.ts";
import { HaechiError } from "../../src/errors.ts";
import { assert, assertEquals, assertRejects } from "../assert.ts";
import { readLogLines, sampleEvent, tempDir } from "./_helpers.ts";

Deno.test("a resolved append is already in the file, before the writer is closed", async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const path = `${dir}/audit.jsonl`;
    const writer = await openAuditWriter({ path });
    const record = await writer.append(sampleEvent(1));
    const lines = await readLogLines(path);
    assertEquals(lines.length, 1);
    assertEquals(JSON.parse(lines[0]).hash, record.hash);
    await writer.close();
  } finally {
    await cleanup();
  }
});

Deno.test("appends made without awaiting keep call order and the chain verifies", async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const path = `${dir}/audit.jsonl`;
    const writer = await openAuditWriter({ path, anchorPath: `${dir}/a.jsonl`, anchorEvery: 3 });
    const pending = Array.from({ length: 10 }, (_, i) => writer.append(sampleEvent(i + 1)));
    const records = await Promise.all(pending);
    assertEquals(records.map((r) => r.correlationId), pending.map((_, i) => `req-${i + 1}`));
    await writer.close();
    const result = await verifyAuditLog({ path, anchorPath: `${dir}/a.jsonl` });
    assert(result.ok);
    assertEquals(result.records, 10);
    assertEquals(result.anchorsChecked, 4);
  } finally {
    await cleanup();
  }
});

Deno.test("appends made in one turn get the anchors they would get one by one", async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const path = `${dir}/audit.jsonl`;
    const anchorPath = `${dir}/a.jsonl`;
    const writer = await openAuditWriter({ path, anchorPath, anchorEvery: 2 });
    const records = await Promise.all([1, 2, 3, 4, 5].map((n) => writer.append(sampleEvent(n))));
    assertEquals(writer.head, { seq: 5, hash: records[4].hash });
    const anchors = (await readLogLines(anchorPath)).map((l) => JSON.parse(l));
    assertEquals(anchors.map((a) => [a.seq, a.hash]), [
      [2, records[1].hash],
      [4, records[3].hash],
    ]);
    await writer.close();
    const result = await verifyAuditLog({ path, anchorPath });
    assert(result.ok);
    assertEquals(result.anchorsChecked, 3);
  } finally {
    await cleanup();
  }
});

Deno.test("close writes the appends made before it, even those not yet awaited", async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const path = `${dir}/audit.jsonl`;
    const writer = await openAuditWriter({ path });
    const pending = [writer.append(sampleEvent(1)), writer.append(sampleEvent(2))];
    await writer.close();
    assertEquals((await Promise.all(pending)).map((r) => r.seq), [1, 2]);
    assertEquals((await readLogLines(path)).length, 2);
    assert((await verifyAuditLog({ path })).ok);
  } finally {
    await cleanup();
  }
});

Deno.test("with sync on, appends still chain in call order and verify", async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const path = `${dir}/audit.jsonl`;
    const writer = await openAuditWriter({ path, anchorPath: `${dir}/a.jsonl`, sync: true });
    const records = await Promise.all([1, 2, 3].map((n) => writer.append(sampleEvent(n))));
    assertEquals(records.map((r) => r.seq), [1, 2, 3]);
    await writer.close();
    const result = await verifyAuditLog({ path, anchorPath: `${dir}/a.jsonl` });
    assert(result.ok);
    assertEquals(result.anchorsChecked, 1);
  } finally {
    await cleanup();
  }
});

Deno.test({
  name: "a write the OS refuses fails that append and every later one",
  ignore: Deno.build.os !== "linux",
  async fn() {
    // /dev/full accepts the open and fails every write with ENOSPC.
    const writer = await openAuditWriter({ path: "/dev/full" });
    const first = await assertRejects(() => writer.append(sampleEvent(1)), HaechiError);
    assertEquals((first as HaechiError).code, "audit.io");
    const second = await assertRejects(() => writer.append(sampleEvent(2)), HaechiError);
    assertEquals((second as HaechiError).code, "audit.io");
    // Appends written together fail together.
    const together = await Promise.allSettled([3, 4].map((n) => writer.append(sampleEvent(n))));
    assertEquals(together.map((r) => r.status), ["rejected", "rejected"]);
    assertEquals(writer.head.seq, 0);
    await writer.close();
  },
});

Deno.test({
  name:
    "in appends written together, those written before a failed write resolve and the rest fail",
  ignore: Deno.build.os !== "linux",
  async fn() {
    const { dir, cleanup } = await tempDir();
    try {
      const path = `${dir}/audit.jsonl`;
      // The anchor after record 2 fails (ENOSPC) once records 1 and 2 are in the log.
      const writer = await openAuditWriter({ path, anchorPath: "/dev/full", anchorEvery: 2 });
      const settled = await Promise.allSettled(
        [1, 2, 3, 4].map((n) => writer.append(sampleEvent(n))),
      );
      assertEquals(settled.map((r) => r.status), ["fulfilled", "rejected", "rejected", "rejected"]);
      const first = settled[0] as PromiseFulfilledResult<{ seq: number }>;
      assertEquals(first.value.seq, 1);
      for (const r of settled.slice(1)) {
        assertEquals(((r as PromiseRejectedResult).reason as HaechiError).code, "audit.io");
      }
      assertEquals((await readLogLines(path)).length, 2);
      const later = await assertRejects(() => writer.append(sampleEvent(5)), HaechiError);
      assertEquals((later as HaechiError).code, "audit.io");
      await writer.close();
    } finally {
      await cleanup();
    }
  },
});
