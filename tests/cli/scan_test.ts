import { assert, assertEquals, assertStringIncludes } from "../assert.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;
const encoder = new TextEncoder();

function spawnScan(cwd: string, args: string[]) {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--no-config", MAIN, "scan", "--format", "jsonl", ...args],
    cwd,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
    clearEnv: true,
  }).spawn();
}

/** Read stdout until `needle` has appeared; stdin is still open while this runs. */
async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, needle: string) {
  const decoder = new TextDecoder();
  let seen = "";
  while (!seen.includes(needle)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`stdout ended before ${JSON.stringify(needle)}: ${seen}`);
    seen += decoder.decode(value, { stream: true });
  }
  return seen;
}

for (const json of [false, true]) {
  Deno.test(`scan --format jsonl${json ? " --json" : ""} reports a line's findings before stdin closes`, async () => {
    const dir = await Deno.makeTempDir({ prefix: "haechi-scan-" });
    const child = spawnScan(dir, json ? ["--json"] : []);
    const stdin = child.stdin.getWriter();
    const reader = child.stdout.getReader();
    // A scan that waits for the end of input would hang this test; the watchdog turns that
    // into a failure (stdout ends) instead. It is not a timing assertion.
    const watchdog = setTimeout(() => child.kill("SIGKILL"), 60_000);
    try {
      await stdin.write(encoder.encode('{"to":"ada@example.com"}\n'));
      // The first finding must come out while the input is still open: a scan that collects
      // every finding first would wait here forever (and hold them all in memory).
      assertStringIncludes(await readUntil(reader, "email"), "$.to");
      await stdin.write(encoder.encode('{"cc":"bob@example.org"}\nnot json\n'));
      let rest = await readUntil(reader, "$.cc");
      await stdin.close();
      const decoder = new TextDecoder();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        rest += decoder.decode(value, { stream: true });
      }
      const { code } = await child.status;
      assertEquals(code, 0);
      if (!json) {
        assertStringIncludes(rest, "line 3: ");
        assertStringIncludes(rest, "2 finding(s)");
      }
    } finally {
      clearTimeout(watchdog);
      await stdin.close().catch(() => {});
      await reader.cancel().catch(() => {});
      await child.stderr.cancel();
      try {
        child.kill();
      } catch {
        // already exited
      }
      await child.status;
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("scan --format jsonl --json is one JSON document with findings by line and line errors", async () => {
  const dir = await Deno.makeTempDir({ prefix: "haechi-scan-" });
  try {
    const child = spawnScan(dir, ["--json"]);
    const stdin = child.stdin.getWriter();
    await stdin.write(
      encoder.encode('{"a":"ada@example.com"}\nnot json\n\n{"b":1}\n{"c":"bob@example.org"}\n'),
    );
    await stdin.close();
    const out = await child.output();
    assertEquals(out.code, 0);
    const report = JSON.parse(new TextDecoder().decode(out.stdout));
    assertEquals(report.findings.map((f: { line: number; path: string }) => [f.line, f.path]), [
      [1, "$.a"],
      [5, "$.c"],
    ]);
    assertEquals(report.errors, [{ line: 2, error: "Input is not valid JSON" }]);
    assert(!("errorsOmitted" in report));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
