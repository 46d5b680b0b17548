import { loadConfig } from "../../src/config/mod.ts";
import { openTokenVault } from "../../src/vault/mod.ts";
import { assert, assertEquals } from "../assert.ts";
import { tempEnv } from "./_env.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;
const TOKEN = /\[TOKEN:email:[a-z2-7]{20}\]/g;

/** `haechi protect - --format jsonl` as a child reading stdin and writing stdout. */
function spawnProtectJsonl(config: string): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, "protect", "-", "--format", "jsonl", "--config", config],
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
}

Deno.test("kill -9 during protect --format jsonl: every printed token restores from the vault", async () => {
  const e = await tempEnv();
  const dbPath = `${e.dir}/vault.db`;
  await Deno.writeTextFile(
    e.config,
    JSON.stringify({
      configVersion: 1,
      audit: { path: e.auditPath, anchorPath: `${e.dir}/anchors.jsonl` },
      keys: { path: e.keysPath },
      tokenVault: { path: dbPath },
    }),
  );
  try {
    const child = spawnProtectJsonl(e.config);
    const writer = child.stdin.getWriter();
    const enc = new TextEncoder();
    // Feed new emails until the test has read enough output, so the kill lands mid-batch.
    let feeding = true;
    const feed = (async () => {
      for (let i = 0; feeding; i++) {
        const lines = [];
        for (let j = 0; j < 50; j++) {
          const n = i * 50 + j;
          lines.push(
            JSON.stringify({ m: `mail u${n}@corp.example.com and v${n}@corp.example.com` }),
          );
        }
        await writer.write(enc.encode(lines.join("\n") + "\n")).catch(() => feeding = false);
      }
    })();
    const printed: string[] = [];
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let buffered = "";
    while (printed.length < 1000) {
      const { value, done } = await reader.read();
      if (done) break;
      buffered += value;
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      printed.push(...lines);
    }
    child.kill("SIGKILL");
    feeding = false;
    assertEquals((await child.status).signal, "SIGKILL");
    await reader.cancel().catch(() => {});
    await feed;
    await writer.close().catch(() => {});
    assert(printed.length >= 1000, `protect printed ${printed.length} lines`);

    const config = await loadConfig({ path: e.config, env: {} });
    const vault = await openTokenVault(config);
    try {
      for (const [n, line] of printed.entries()) {
        const tokens = JSON.parse(line).m.match(TOKEN) as string[];
        assertEquals(tokens.length, 2, `line ${n} holds two tokens`);
        const back = await vault.restoreTokens(tokens.join(" "), "default");
        assertEquals(
          back.text,
          `u${n}@corp.example.com v${n}@corp.example.com`,
          `line ${n} restores`,
        );
      }
    } finally {
      await vault.close();
    }
  } finally {
    await e.cleanup();
  }
});

Deno.test("protect --format jsonl prints each line of a slow producer before the next arrives", async () => {
  const e = await tempEnv();
  try {
    const child = spawnProtectJsonl(e.config);
    const writer = child.stdin.getWriter();
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    const enc = new TextEncoder();
    let buffered = "";
    for (let i = 0; i < 3; i++) {
      await writer.write(enc.encode(JSON.stringify({ m: `mail u${i}@corp.example.com` }) + "\n"));
      while (!buffered.includes("\n")) {
        const { value, done } = await reader.read();
        if (done) throw new Error("protect ended early");
        buffered += value;
      }
      const [line, ...rest] = buffered.split("\n");
      buffered = rest.join("\n");
      assertEquals(JSON.parse(line).m.match(TOKEN)?.length, 1, `line ${i} came out protected`);
    }
    await writer.close();
    await reader.cancel().catch(() => {});
    assertEquals((await child.status).code, 0);
  } finally {
    await e.cleanup();
  }
});
