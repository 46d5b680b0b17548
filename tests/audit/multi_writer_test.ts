import { assert, assertEquals } from "../assert.ts";
import { verifyAuditLog } from "../../src/audit/verify.ts";
import { openAuditWriter } from "../../src/audit/writer.ts";

const CHILD = new URL("./_writer_child.ts", import.meta.url).pathname;
const MAIN = new URL("../../main.ts", import.meta.url).pathname;
const decoder = new TextDecoder();

function spawn(args: string[]) {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--no-config", CHILD, ...args],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/** Read the child's stdout until it prints `word` on a line. */
async function waitFor(reader: ReadableStreamDefaultReader<Uint8Array>, word: string) {
  let seen = "";
  while (!seen.split("\n").includes(word)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`child exited before printing ${word}: ${seen}`);
    seen += decoder.decode(value, { stream: true });
  }
}

async function auditVerify(log: string, anchors: string) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--no-config", MAIN, "audit-verify", "--audit", log, "--anchor", anchors],
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, text: decoder.decode(out.stdout) + decoder.decode(out.stderr) };
}

Deno.test("four writer processes appending to one log at once keep one chain that verifies", async () => {
  const dir = await Deno.makeTempDir({ prefix: "haechi-multi-" });
  const log = `${dir}/audit.jsonl`;
  const anchors = `${dir}/audit.anchors.jsonl`;
  const perChild = 150;
  try {
    const children = ["a", "b", "c", "d"].map((name) => ({
      name,
      child: spawn(["append", log, anchors, String(perChild), `writer.${name}`]),
    }));
    const readers = children.map((c) => c.child.stdout.getReader());
    for (const r of readers) await waitFor(r, "ready");
    // Release all of them together so their appends interleave.
    for (const { child } of children) {
      const w = child.stdin.getWriter();
      await w.write(new TextEncoder().encode("go\n"));
      await w.close();
    }
    for (const r of readers) await waitFor(r, "done");
    for (const { child } of children) {
      const status = await child.status;
      assertEquals(status.code, 0, decoder.decode(await new Response(child.stderr).arrayBuffer()));
    }

    const result = await verifyAuditLog({ path: log, anchorPath: anchors });
    assert(result.ok, JSON.stringify(result));
    assertEquals(result.records, 4 * perChild);
    assert(result.anchorsChecked > 4 * perChild / 7 - 1, `${result.anchorsChecked} anchors`);
    const lines = (await Deno.readTextFile(log)).trimEnd().split("\n").map((l) => JSON.parse(l));
    assertEquals(lines.map((r) => r.seq), lines.map((_, i) => i + 1));
    // Every writer's records are all there, in each writer's own order.
    for (const { name } of children) {
      const mine = lines.filter((r) => r.source === `writer.${name}`).map((r) => r.correlationId);
      assertEquals(mine, Array.from({ length: perChild }, (_, i) => `writer.${name}-${i}`));
    }
    // The writers really did interleave (otherwise this test proves nothing).
    const switches = lines.filter((r, i) => i > 0 && r.source !== lines[i - 1].source).length;
    assert(switches > 3, `only ${switches} switches between writers`);

    const cli = await auditVerify(log, anchors);
    assertEquals(cli.code, 0, cli.text);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a writer killed with SIGKILL while holding the log's lock does not block the others", async () => {
  const dir = await Deno.makeTempDir({ prefix: "haechi-multi-" });
  const log = `${dir}/audit.jsonl`;
  const anchors = `${dir}/audit.anchors.jsonl`;
  try {
    const writer = await openAuditWriter({ path: log, anchorPath: anchors });
    await writer.append({
      kind: "scan",
      mode: "enforce",
      correlationId: "before",
      source: "t",
      outcome: "clean",
    });

    const holder = spawn(["hold", log]);
    const reader = holder.stdout.getReader();
    await waitFor(reader, "locked");
    holder.kill("SIGKILL");
    assertEquals((await holder.status).signal, "SIGKILL");
    await reader.cancel();
    await holder.stderr.cancel();
    await holder.stdin.close();

    // The kernel released the dead holder's lock: this append (in this process) and another
    // writer process both get through.
    await writer.append({
      kind: "scan",
      mode: "enforce",
      correlationId: "after",
      source: "t",
      outcome: "clean",
    });
    const other = spawn(["append", log, anchors, "3", "writer.other"]);
    const otherOut = other.stdout.getReader();
    await waitFor(otherOut, "ready");
    const w = other.stdin.getWriter();
    await w.write(new TextEncoder().encode("go\n"));
    await w.close();
    await waitFor(otherOut, "done");
    assertEquals((await other.status).code, 0);
    await other.stderr.cancel();
    await writer.append({
      kind: "scan",
      mode: "enforce",
      correlationId: "last",
      source: "t",
      outcome: "clean",
    });
    await writer.close();

    const result = await verifyAuditLog({ path: log, anchorPath: anchors });
    assert(result.ok, JSON.stringify(result));
    assertEquals(result.records, 6);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
