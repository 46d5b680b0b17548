import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { verifyAuditLog } from "../../src/audit/verify.ts";
import { openAuditWriter } from "../../src/audit/writer.ts";
import type { AuditEvent } from "../../src/audit/record.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;
const event = (id: string): AuditEvent => ({
  kind: "scan",
  mode: "enforce",
  correlationId: id,
  source: "test",
  outcome: "clean",
});

async function haechi(cwd: string, args: string[], stdin = "") {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--no-config", MAIN, ...args],
    cwd,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
    clearEnv: true,
  }).spawn();
  const w = child.stdin.getWriter();
  await w.write(new TextEncoder().encode(stdin));
  await w.close();
  const { code, stdout, stderr } = await child.output();
  const dec = new TextDecoder();
  return { code, out: dec.decode(stdout), err: dec.decode(stderr) };
}

Deno.test("the runbook's rotation works: move the log and its anchors aside, the next run starts fresh", async () => {
  const dir = await Deno.makeTempDir({ prefix: "haechi-rotate-" });
  try {
    assertEquals((await haechi(dir, ["init"])).code, 0);
    for (let i = 0; i < 2; i++) {
      assertEquals((await haechi(dir, ["protect"], '{"to":"ada@example.com"}')).code, 0);
    }
    await Deno.rename(`${dir}/.haechi/audit.jsonl`, `${dir}/.haechi/audit-old.jsonl`);
    await Deno.rename(
      `${dir}/.haechi/audit.anchors.jsonl`,
      `${dir}/.haechi/audit-old.anchors.jsonl`,
    );
    const fresh = await haechi(dir, ["protect"], '{"to":"bob@example.com"}');
    assertEquals(fresh.code, 0, fresh.err);
    const first = JSON.parse(
      (await Deno.readTextFile(`${dir}/.haechi/audit.jsonl`)).split("\n")[0],
    );
    assertEquals(first.seq, 1);
    assertEquals((await haechi(dir, ["audit-verify"])).code, 0);
    const old = await haechi(dir, [
      "audit-verify",
      "--audit",
      ".haechi/audit-old.jsonl",
      "--anchor",
      ".haechi/audit-old.anchors.jsonl",
    ]);
    assertEquals(old.code, 0, old.out + old.err);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("changing only audit.path in init's config starts a new log without a false 'records were removed'", async () => {
  const dir = await Deno.makeTempDir({ prefix: "haechi-rotate-" });
  try {
    assertEquals((await haechi(dir, ["init"])).code, 0);
    assertEquals((await haechi(dir, ["protect"], '{"to":"ada@example.com"}')).code, 0);
    const config = JSON.parse(await Deno.readTextFile(`${dir}/haechi.config.json`));
    config.audit.path = "logs/gateway.jsonl";
    await Deno.writeTextFile(`${dir}/haechi.config.json`, JSON.stringify(config));
    const moved = await haechi(dir, ["protect"], '{"to":"ada@example.com"}');
    assertEquals(moved.code, 0, moved.err);
    assert(await exists(`${dir}/logs/gateway.anchors.jsonl`), "anchors follow the log");
    assertEquals((await haechi(dir, ["audit-verify"])).code, 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a writer that stays open follows a rotation: later records start the new log", async () => {
  const dir = await Deno.makeTempDir({ prefix: "haechi-rotate-" });
  const log = `${dir}/audit.jsonl`;
  const anchors = `${dir}/audit.anchors.jsonl`;
  try {
    const writer = await openAuditWriter({
      path: log,
      anchorPath: anchors,
      anchorEvery: 2,
      rotationCheckMs: 0,
    });
    for (const id of ["a", "b", "c"]) await writer.append(event(id));
    await Deno.rename(log, `${dir}/old.jsonl`);
    await Deno.rename(anchors, `${dir}/old.anchors.jsonl`);
    const next = await writer.append(event("d"));
    assertEquals(next.seq, 1);
    await writer.append(event("e"));
    await writer.close();
    const old = await verifyAuditLog({
      path: `${dir}/old.jsonl`,
      anchorPath: `${dir}/old.anchors.jsonl`,
    });
    assert(old.ok && old.records === 3, JSON.stringify(old));
    const fresh = await verifyAuditLog({ path: log, anchorPath: anchors });
    assert(fresh.ok && fresh.records === 2 && fresh.anchorsChecked >= 1, JSON.stringify(fresh));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an open writer refuses to continue when only the log was moved and its anchors stayed", async () => {
  const dir = await Deno.makeTempDir({ prefix: "haechi-rotate-" });
  const log = `${dir}/audit.jsonl`;
  try {
    const writer = await openAuditWriter({
      path: log,
      anchorPath: `${dir}/audit.anchors.jsonl`,
      anchorEvery: 1,
      rotationCheckMs: 0,
    });
    await writer.append(event("a"));
    await Deno.rename(log, `${dir}/old.jsonl`);
    const refused = await writer.append(event("b")).then(() => null, (e) => e);
    assertEquals(refused?.code, "audit.chain_broken");
    assertStringIncludes(refused.message, "records were removed");
    await writer.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a log cut shorter under an open writer stops the writer", async () => {
  const dir = await Deno.makeTempDir({ prefix: "haechi-rotate-" });
  const log = `${dir}/audit.jsonl`;
  try {
    const writer = await openAuditWriter({ path: log });
    for (const id of ["a", "b"]) await writer.append(event(id));
    const text = await Deno.readTextFile(log);
    await Deno.truncate(log, text.indexOf("\n") + 1);
    const refused = await writer.append(event("c")).then(() => null, (e) => e);
    assertEquals(refused?.code, "audit.chain_broken");
    await writer.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}
