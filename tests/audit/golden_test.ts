import { verifyAuditLog } from "../../src/audit/mod.ts";
import { assertEquals } from "../assert.ts";
import { tempDir, writeGoldenLog } from "./_helpers.ts";

const FIXTURE = new URL("../fixtures/audit/", import.meta.url).pathname;

// The fixture pins the on-disk format and the hash rules: a change to field names, field
// order, canonicalization or hashing makes this fail, because old logs must keep verifying.
Deno.test("the writer reproduces the golden fixture byte for byte", async () => {
  const { dir, cleanup } = await tempDir();
  try {
    await writeGoldenLog(`${dir}/valid.jsonl`, `${dir}/valid.anchors.jsonl`);
    assertEquals(
      await Deno.readTextFile(`${dir}/valid.jsonl`),
      await Deno.readTextFile(`${FIXTURE}valid.jsonl`),
    );
    assertEquals(
      await Deno.readTextFile(`${dir}/valid.anchors.jsonl`),
      await Deno.readTextFile(`${FIXTURE}valid.anchors.jsonl`),
    );
  } finally {
    await cleanup();
  }
});

Deno.test("the golden fixture verifies with its anchors", async () => {
  const r = await verifyAuditLog({
    path: `${FIXTURE}valid.jsonl`,
    anchorPath: `${FIXTURE}valid.anchors.jsonl`,
  });
  assertEquals([r.ok, r.records, r.headSeq, r.anchorsChecked], [true, 3, 3, 2]);
});

Deno.test("a record's hash is SHA-256 of its fields in sorted-key compact JSON", async () => {
  const first = (await Deno.readTextFile(`${FIXTURE}valid.jsonl`)).split("\n")[0];
  // Written out by hand, keys in code-unit order, without "hash".
  const canonical = '{"correlationId":"req-1","details":{"bytes":101},"findings":[' +
    '{"action":"redact","count":1,"ruleId":"email-address","type":"email"}],"kind":"protect",' +
    '"mode":"enforce","outcome":"redacted","paths":[],"prevHash":"' + "0".repeat(64) + '",' +
    '"schemaVersion":1,"seq":1,"source":"cli.protect","ts":"2024-05-01T12:00:00.000Z"}';
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(canonical));
  const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
  assertEquals(JSON.parse(first).hash, hex);
});
