// `haechi dashboard` through the real entry point: a real process on 127.0.0.1, a real
// socket, stopped with SIGTERM.
import { dashboardOptionsFor, parseDashboardFlags } from "../../src/cli/dashboard.ts";
import { runCli } from "../../src/cli/mod.ts";
import { HaechiError } from "../../src/errors.ts";
import { assert, assertEquals, assertStringIncludes, assertThrows } from "../assert.ts";
import { FIXTURE_COUNTS, writeFixtureLog } from "../dashboard/_fixture.ts";
import { tempEnv } from "./_env.ts";
import { createTestIO } from "./_io.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;

Deno.test("haechi dashboard serves the page and the chain of the config's audit log", async () => {
  const env = await tempEnv();
  await writeFixtureLog(env.auditPath, `${env.dir}/anchors.jsonl`);
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--no-config", MAIN, "dashboard", "--config", env.config, "--port", "0"],
    cwd: env.dir,
    stdout: "null",
    stderr: "piped",
    env: { NO_COLOR: "1" },
    clearEnv: true,
  }).spawn();
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  try {
    let err = "";
    while (!/listening on (http:\S+)/.test(err)) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`dashboard exited early: ${err}`);
      err += value;
    }
    const url = /listening on (http:\S+)/.exec(err)![1];
    assert(url.startsWith("http://127.0.0.1:"), url);
    assertStringIncludes(err, "anchors.jsonl");
    const page = await fetch(url);
    assertEquals(page.status, 200);
    assertStringIncludes(await page.text(), "haechi audit");
    let chain = await (await fetch(`${url}api/chain`)).json();
    // A busy machine may need more than the first answer's wait for the walk.
    for (let i = 0; i < 300 && chain.checking; i++) {
      await new Promise((r) => setTimeout(r, 50));
      chain = await (await fetch(`${url}api/chain`)).json();
    }
    assertEquals([chain.valid, chain.records, chain.anchored], [true, FIXTURE_COUNTS.events, true]);
    const summary = await (await fetch(`${url}api/summary`)).json();
    assertEquals(summary.detectionCount, FIXTURE_COUNTS.detections);
    child.kill("SIGTERM");
    assertEquals((await child.status).code, 0);
  } finally {
    reader.releaseLock();
    await child.stderr.cancel().catch(() => {});
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
    await child.status;
    await env.cleanup();
  }
});

Deno.test("haechi dashboard refuses a non-loopback host without TLS and a token, exit 2", async () => {
  const t = createTestIO();
  const code = await runCli(
    ["dashboard", "--audit", "/nonexistent.jsonl", "--host", "0.0.0.0", "--allow-remote-bind"],
    t.io,
  );
  assertEquals(code, 2);
  assertStringIncludes(t.stderr(), "non-loopback address 0.0.0.0");
  assertStringIncludes(t.stderr(), "--tls-cert");
  assertStringIncludes(t.stderr(), "--token-file");
});

Deno.test("dashboard flags: defaults come from the config, bad values are usage errors", async () => {
  const env = await tempEnv();
  try {
    const t = createTestIO();
    const { options, notes } = await dashboardOptionsFor(
      parseDashboardFlags(["--config", env.config]),
      t.io,
    );
    assertEquals(options.auditPath, env.auditPath);
    assertEquals(options.anchorPath, null, "the anchor file does not exist yet");
    assertEquals(notes.length, 1);
    assertEquals(options.host, undefined, "the dashboard's own default applies");
    for (
      const args of [["--port", "70000"], ["--window", "x"], ["--tls-cert", "c"], ["--nope"]]
    ) {
      assertThrows(() => parseDashboardFlags(args), HaechiError);
    }
    const help = createTestIO();
    assertEquals(await runCli(["help", "dashboard"], help.io), 0);
    assertStringIncludes(help.stdout(), "/api/events");
  } finally {
    await env.cleanup();
  }
});
