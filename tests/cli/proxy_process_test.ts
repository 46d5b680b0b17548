// `haechi proxy` as a real child process on 127.0.0.1: shutdown under a stuck request, kill -9
// under load, a port already taken, clients that trickle their request bodies or heads.
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { tempEnv } from "./_env.ts";
import { spawnProxy } from "./_fleet.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;

/** A loopback upstream answering chat completions with a fixed JSON reply. */
function jsonUpstream(hold?: Promise<void>, arrived?: () => void) {
  return Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const body = await req.json();
    if (hold !== undefined && body.model === "stuck") {
      arrived?.();
      await hold;
    }
    return Response.json({
      choices: [{ index: 0, message: { role: "assistant", content: "fine" } }],
    });
  });
}

function chat(url: string, model = "m"): Promise<Response> {
  return fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model, messages: [{ role: "user", content: "hi" }] }),
  });
}

async function auditRecords(path: string): Promise<Array<Record<string, unknown>>> {
  const text = await Deno.readTextFile(path);
  const out: Array<Record<string, unknown>> = [];
  for (const line of text.split("\n")) {
    if (line === "") continue;
    try {
      out.push(JSON.parse(line));
    } catch {
      // A line cut by kill -9 is the writer's to refuse on reopen; it holds no reply's record.
    }
  }
  return out;
}

Deno.test("SIGTERM with a stuck request exits 0 after limits.shutdownGraceMs, with the audit log intact", async () => {
  const env = await tempEnv({ limits: { shutdownGraceMs: 300 } });
  let release = () => {};
  const hold = new Promise<void>((r) => release = r);
  let arrived = () => {};
  const reached = new Promise<void>((r) => arrived = r);
  const upstream = jsonUpstream(hold, arrived);
  try {
    const proxy = await spawnProxy(env, ["--upstream", `http://127.0.0.1:${upstream.addr.port}`]);
    const stuck = chat(proxy.url, "stuck");
    // Fail rather than hang if the request never reaches the upstream.
    const first = await Promise.race([reached.then(() => null), stuck]);
    if (first !== null) throw new Error(`not stuck: ${first.status} ${await first.text()}`);
    proxy.child.kill("SIGTERM");
    const status = await proxy.child.status;
    const stderr = await proxy.stderr();
    assertEquals(status.code, 0, stderr);
    assertStringIncludes(stderr, "cut 1 request(s)");
    const res = await stuck;
    assertEquals(res.status, 503);
    assertStringIncludes((await res.json()).error.message, "shut down");
    const records = await auditRecords(env.auditPath);
    assert(records.some((r) => r.kind === "proxy.request"), "the request was recorded");
    const verify = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--no-config", MAIN, "audit-verify", "--config", env.config],
      cwd: env.dir,
      stdout: "null",
      stderr: "null",
      env: { NO_COLOR: "1" },
      clearEnv: true,
    }).output();
    assertEquals(verify.code, 0, "audit-verify passes after shutdown");
  } finally {
    release();
    await upstream.shutdown();
    await env.cleanup();
  }
});

Deno.test("kill -9 under load loses no audit record of a reply already delivered", async () => {
  const env = await tempEnv();
  const upstream = jsonUpstream();
  try {
    const proxy = await spawnProxy(env, ["--upstream", `http://127.0.0.1:${upstream.addr.port}`]);
    const delivered: string[] = [];
    let killed = false;
    const worker = async () => {
      while (!killed) {
        try {
          const res = await chat(proxy.url);
          const body = await res.text();
          if (res.status === 200 && body.includes("fine")) {
            delivered.push(res.headers.get("x-haechi-request-id")!);
          }
        } catch {
          return; // the proxy is gone
        }
        if (delivered.length >= 300 && !killed) {
          killed = true;
          proxy.child.kill("SIGKILL");
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    await proxy.child.status;
    await proxy.stderr();
    const responded = new Set(
      (await auditRecords(env.auditPath)).filter((r) => r.kind === "proxy.response").map((r) =>
        r.correlationId
      ),
    );
    const missing = delivered.filter((id) => !responded.has(id));
    assertEquals(missing.length, 0, `${missing.length} of ${delivered.length} replies unrecorded`);
  } finally {
    await upstream.shutdown();
    await env.cleanup();
  }
});

Deno.test("a port already in use is named as such and exits 69", async () => {
  const env = await tempEnv();
  const taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "--no-config",
        MAIN,
        "proxy",
        "--config",
        env.config,
        "--upstream",
        "http://127.0.0.1:9",
        "--port",
        String(taken.addr.port),
      ],
      cwd: env.dir,
      stdout: "null",
      stderr: "piped",
      env: { NO_COLOR: "1" },
      clearEnv: true,
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    assertEquals(out.code, 69, stderr);
    assertStringIncludes(stderr, "already in use");
    assertStringIncludes(stderr, "proxy.listen");
  } finally {
    taken.close();
    await env.cleanup();
  }
});

Deno.test("clients trickling their bodies (LLM and MCP routes) hold no in-flight slot and get 408 at limits.requestTimeoutMs", async () => {
  const env = await tempEnv({ limits: { requestTimeoutMs: 1500 }, proxy: { maxInFlight: 1 } });
  const upstream = jsonUpstream();
  const port = (url: string) => Number(new URL(url).port);
  const conns: Deno.TcpConn[] = [];
  try {
    const up = `http://127.0.0.1:${upstream.addr.port}`;
    const proxy = await spawnProxy(env, ["--upstream", up, "--mcp-upstream", `${up}/mcp`]);
    const enc = new TextEncoder();
    for (let i = 0; i < 4; i++) {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port: port(proxy.url) });
      conns.push(conn);
      const path = i % 2 === 0 ? "/v1/chat/completions" : "/mcp";
      await conn.write(enc.encode(
        `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
          "Content-Length: 200\r\n\r\n{",
      ));
    }
    let trickling = true;
    const trickle = (async () => {
      while (trickling) {
        await new Promise((r) => setTimeout(r, 100));
        for (const c of conns) await c.write(enc.encode(" ")).catch(() => 0);
      }
    })();
    // Four slow bodies are arriving; a normal caller still gets the one slot.
    const res = await chat(proxy.url);
    assertEquals(res.status, 200, await res.clone().text());
    await res.body?.cancel();
    // Each slow body is refused once its time is up.
    const replies = await Promise.all(conns.map(async (c) => {
      const buf = new Uint8Array(4096);
      const n = await c.read(buf);
      return n === null ? "" : new TextDecoder().decode(buf.subarray(0, n));
    }));
    trickling = false;
    await trickle;
    for (const r of replies) assertStringIncludes(r, "HTTP/1.1 408");
    proxy.child.kill("SIGTERM");
    assertEquals((await proxy.child.status).code, 0);
    await proxy.stderr();
  } finally {
    for (const c of conns) {
      try {
        c.close();
      } catch {
        // already closed by the proxy
      }
    }
    await upstream.shutdown();
    await env.cleanup();
  }
});

Deno.test("half-sent request heads are closed at limits.headersTimeoutMs while callers keep being served", async () => {
  const env = await tempEnv({ limits: { headersTimeoutMs: 800 } });
  const upstream = jsonUpstream();
  const conns: Deno.TcpConn[] = [];
  try {
    const proxy = await spawnProxy(env, ["--upstream", `http://127.0.0.1:${upstream.addr.port}`]);
    const port = Number(new URL(proxy.url).port);
    const enc = new TextEncoder();
    // A slow-loris: many connections, each with a head that never ends.
    for (let i = 0; i < 30; i++) {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      conns.push(conn);
      await conn.write(enc.encode("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nX-Wait: "));
    }
    const res = await chat(proxy.url);
    assertEquals(res.status, 200, await res.clone().text());
    await res.body?.cancel();
    // Every stalled connection is closed by the proxy (a read ends), none answered.
    const ends = await Promise.all(conns.map(async (c) => {
      const n = await c.read(new Uint8Array(1024)).catch(() => null);
      return n === null ? "closed" : "answered";
    }));
    assertEquals(ends.filter((e) => e === "closed").length, conns.length);
    const after = await chat(proxy.url);
    assertEquals(after.status, 200);
    await after.body?.cancel();
    proxy.child.kill("SIGTERM");
    assertEquals((await proxy.child.status).code, 0);
    await proxy.stderr();
  } finally {
    for (const c of conns) {
      try {
        c.close();
      } catch {
        // already closed by the proxy
      }
    }
    await upstream.shutdown();
    await env.cleanup();
  }
});
