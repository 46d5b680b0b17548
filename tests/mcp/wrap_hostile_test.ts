// mcp-wrap against a misbehaving server and a hostile client, driven with raw lines.
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { tempEnv } from "../cli/_env.ts";
import { verifyAuditLog } from "../../src/audit/mod.ts";
import { denoServer } from "./_servers.ts";
import { call, INIT, ROGUE, startRawWrap } from "./_raw.ts";

const ROGUE_CMD = denoServer(ROGUE);
const GITHUB_TOKEN = "ghp_R8cQ2pXv7LmN4tYw9ZsK3bJ6hF1dG5eA0uIo";

type Msg = Record<string, unknown>;
const errorOf = (m: Msg | null) => (m?.error ?? {}) as { code?: number; message?: string };

Deno.test("an error from the server carrying PII is scrubbed and unknown members are dropped", async () => {
  const env = await tempEnv();
  try {
    const w = startRawWrap(env.config, ROGUE_CMD);
    await w.send(INIT);
    assertEquals((await w.next())?.id, 0);
    await w.send(call(1, "lookup"));
    const err = await w.next();
    const text = JSON.stringify(err);
    assertEquals(err?.id, 1);
    assertEquals(errorOf(err).code, -32000);
    assert(!text.includes("jane.doe@acme-corp.com"), "the email is not passed on");
    assert(!text.includes("4111 1111 1111 1111"), "the card is not passed on");
    assert(!text.includes("415 555 0132"), "the phone is not passed on");
    assertStringIncludes(errorOf(err).message!, "[TOKEN:email:");

    await w.send(call(2, "echo_args", { q: "hi" }));
    const echoed = await w.next();
    assertEquals(echoed?.id, 2);
    assert(!("smuggled" in echoed!), "a member JSON-RPC does not define is dropped");
    assert(!JSON.stringify(echoed).includes(GITHUB_TOKEN));
    assertEquals((await w.close()).code, 0);
    assert((await verifyAuditLog({ path: env.auditPath })).ok, "the audit chain verifies");
  } finally {
    await env.cleanup();
  }
});

Deno.test("garbage, batches, bad shapes and a 10 MB line from the client get JSON-RPC errors and the session goes on", async () => {
  const env = await tempEnv();
  try {
    const w = startRawWrap(env.config, ROGUE_CMD);
    await w.send(INIT);
    await w.next();
    await w.write("this is not json\n");
    let m = await w.next();
    assertEquals([m?.id, errorOf(m).code], [null, -32700]);
    await w.write('[{"jsonrpc":"2.0","id":3,"method":"ping"}]\n');
    m = await w.next();
    assertEquals([m?.id, errorOf(m).code], [3, -32600]);
    await w.send({ jsonrpc: "2.0", id: 4, method: 42 });
    m = await w.next();
    assertEquals([m?.id, errorOf(m).code], [4, -32600]);
    await w.send({ jsonrpc: "1.0", id: 5, method: "ping" });
    m = await w.next();
    assertEquals([m?.id, errorOf(m).code], [5, -32600]);
    await w.write(
      new TextEncoder().encode('{"jsonrpc":"2.0","id":6,"x":"' + "a".repeat(10_000_000) + '"}\n'),
    );
    m = await w.next();
    assertEquals([m?.id, errorOf(m).code], [null, -32600]);
    assertStringIncludes(errorOf(m).message!, "mcp.maxLineBytes");
    await w.write(new Uint8Array([0xff, 0xfe, 0x0a]));
    m = await w.next();
    assertEquals([m?.id, errorOf(m).code], [null, -32700]);
    // A notification that is not allowed cannot be answered: it is dropped.
    await w.send({ jsonrpc: "2.0", method: "bad method name!" });
    await w.send({ jsonrpc: "2.0", id: 9, method: "ping" });
    m = await w.next();
    assertEquals([m?.id, m?.result], [9, {}]);
    assertEquals((await w.close()).code, 0);
    const log = await Deno.readTextFile(env.auditPath);
    assert(log.split("\n").filter((l) => l.includes('"outcome":"invalid"')).length >= 7);
    assert((await verifyAuditLog({ path: env.auditPath })).ok);
  } finally {
    await env.cleanup();
  }
});

Deno.test("garbage and a 10 MB line from the server never reach the client", async () => {
  const env = await tempEnv();
  try {
    const w = startRawWrap(env.config, ROGUE_CMD);
    await w.send(INIT);
    await w.next();
    await w.send(call(1, "garbage"));
    const m = await w.next();
    assertEquals(m?.id, 1, "the non-JSON-RPC lines before the answer were dropped");
    await w.send(call(2, "huge"));
    const after = await w.next();
    assertEquals(after?.method, "notifications/message", "the huge line was skipped");
    assertEquals((await w.close()).code, 0);
  } finally {
    await env.cleanup();
  }
});

Deno.test("a server answering a request with a JSON-RPC batch: the client gets an error for that id, not silence", async () => {
  const env = await tempEnv();
  try {
    const w = startRawWrap(env.config, ROGUE_CMD);
    await w.send(INIT);
    await w.next();
    await w.send(call(7, "batch"));
    const m = await w.next();
    assertEquals([m?.id, errorOf(m).code], [7, -32603]);
    assertStringIncludes(errorOf(m).message!, "batch");
    assert(!JSON.stringify(m).includes("in a batch"), "nothing of the batch is passed on");
    await w.send({ jsonrpc: "2.0", id: 8, method: "ping" });
    assertEquals((await w.next())?.id, 8, "the session goes on");
    assertEquals((await w.close()).code, 0);
    assert((await verifyAuditLog({ path: env.auditPath })).ok, "the audit chain verifies");
  } finally {
    await env.cleanup();
  }
});

Deno.test("a message with more findings than limits.maxFindings is refused with a clear error and never reaches the server", async () => {
  const env = await tempEnv({ limits: { maxFindings: 5 } });
  const log = `${env.dir}/server-saw.jsonl`;
  try {
    const w = startRawWrap(env.config, ROGUE_CMD, { env: { ROGUE_LOG: log } });
    await w.send(INIT);
    await w.next();
    const emails = Array.from({ length: 6 }, (_, i) => `user${i}@acme-corp.com`).join(" ");
    await w.send(call(9, "echo_args", { q: emails }));
    const m = await w.next();
    assertEquals([m?.id, errorOf(m).code], [9, -32600]);
    assertStringIncludes(errorOf(m).message!, "limits.maxFindings");
    await w.send(call(10, "echo_args", { q: "user0@acme-corp.com" }));
    assertEquals((await w.next())?.id, 10, "a message under the limit still goes through");
    assertEquals((await w.close()).code, 0);
    const saw = await Deno.readTextFile(log);
    assertEquals(saw.trim().split("\n").length, 1, "only the second call reached the server");
  } finally {
    await env.cleanup();
  }
});

Deno.test("a child that exits mid-message ends the wrapper with its exit code and the half line is not passed on", async () => {
  const env = await tempEnv();
  try {
    const w = startRawWrap(env.config, ROGUE_CMD);
    await w.send(INIT);
    await w.next();
    await w.send(call(1, "crash"));
    assertEquals(await w.next(), null, "stdout ends without the torn line");
    assertEquals((await w.status).code, 3);
    await w.close();
    assert((await verifyAuditLog({ path: env.auditPath })).ok);
  } finally {
    await env.cleanup();
  }
});

Deno.test("closing stdin shuts the child down and its exit code propagates", async () => {
  const env = await tempEnv();
  try {
    const w = startRawWrap(env.config, ROGUE_CMD, { env: { ROGUE_EXIT_CODE: "7" } });
    await w.send(INIT);
    await w.next();
    assertEquals((await w.close()).code, 7);
  } finally {
    await env.cleanup();
  }
});

Deno.test("a token split across two stderr lines is redacted in --stderr filter mode", async () => {
  const env = await tempEnv();
  try {
    const w = startRawWrap(env.config, ROGUE_CMD, { flags: ["--stderr", "filter"] });
    await w.send(INIT);
    await w.next();
    await w.send(call(1, "stderr"));
    assertEquals((await w.next())?.id, 1);
    await w.close();
    const err = await w.stderr();
    assertStringIncludes(err, "plain diagnostic line");
    assert(!err.includes("ghp_R8cQ2pXv7LmN4tYw9Z"), "the first half is gone");
    assert(!err.includes("sK3bJ6hF1dG5eA0uIo"), "the second half is gone");
    assertStringIncludes(err, "[REDACTED:github_token]");
  } finally {
    await env.cleanup();
  }
});

Deno.test("detokenizeArguments is off by default and hands a configured tool the real value, audited", async () => {
  for (const on of [false, true]) {
    const env = await tempEnv(on ? { mcp: { detokenizeArguments: ["rogue/echo_args"] } } : {});
    try {
      const seen = `${env.dir}/seen.jsonl`;
      const w = startRawWrap(env.config, ROGUE_CMD, {
        flags: ["--server", "rogue"],
        env: { ROGUE_LOG: seen },
      });
      await w.send(INIT);
      await w.next();
      await w.send(call(1, "lookup"));
      const token = errorOf(await w.next()).message!.match(/\[TOKEN:[a-z0-9_]+:[a-z2-7]{20}\]/)![0];
      await w.send(call(2, "echo_args", { to: `mail ${token}` }));
      const echoed = JSON.stringify(await w.next());
      assert(!echoed.includes("jane.doe@acme-corp.com"), "the echo is protected again");
      await w.close();
      const received = await Deno.readTextFile(seen);
      const log = await Deno.readTextFile(env.auditPath);
      if (on) {
        assertStringIncludes(received, "mail jane.doe@acme-corp.com");
        assertStringIncludes(log, '"kind":"mcp.detokenize"');
        assertStringIncludes(log, '"restored":1');
      } else {
        assertStringIncludes(received, token);
        assert(!log.includes("mcp.detokenize"));
      }
      assert(!log.includes("jane.doe@acme-corp.com"));
      assert((await verifyAuditLog({ path: env.auditPath })).ok);
    } finally {
      await env.cleanup();
    }
  }
});
