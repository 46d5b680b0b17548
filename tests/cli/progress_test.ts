// The progress line of long protect/scan runs: its text, when it is drawn, and that it never
// reaches a pipe.
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { createProgress, formatProgress } from "../../src/cli/_progress.ts";
import type { CliIO } from "../../src/cli/command.ts";
import { createTestIO } from "./_io.ts";
import { tempEnv } from "./_env.ts";

const MiB = 1024 * 1024;

Deno.test("the progress text names the command, the bytes read and the share of the file", () => {
  assertEquals(formatProgress("scan", { bytes: 512 }), "haechi scan: 512 B read");
  assertEquals(formatProgress("scan", { bytes: 1536 }), "haechi scan: 1.5 KiB read");
  assertEquals(
    formatProgress("protect", { bytes: 3 * MiB, totalBytes: 12 * MiB }),
    "haechi protect: 3.0 MiB of 12.0 MiB read (25%)",
  );
  assertEquals(
    formatProgress("protect", { bytes: 5 * 1024 * MiB, totalBytes: 5 * 1024 * MiB }),
    "haechi protect: 5.0 GiB of 5.0 GiB read (100%)",
  );
  // A file that grew while it was read never shows more than 100%.
  assertEquals(
    formatProgress("scan", { bytes: 20, totalBytes: 10 }),
    "haechi scan: 20 B of 10 B read (100%)",
  );
});

function ioWith(terminal: { stdout: boolean; stderr: boolean }) {
  const t = createTestIO();
  const io: CliIO = { ...t.io, terminal };
  return { io, stderr: t.stderr };
}

async function drain(stream: ReadableStream<Uint8Array>): Promise<number> {
  let n = 0;
  for await (const chunk of stream) n += chunk.length;
  return n;
}

function input(): ReadableStream<Uint8Array> {
  return new Blob([new Uint8Array(3000), new Uint8Array(3000)]).stream();
}

Deno.test("on a terminal the line is redrawn in place and erased at the end", async () => {
  const t = ioWith({ stdout: false, stderr: true });
  const p = createProgress("scan", t.io, { quiet: false, intervalMs: 0 });
  assertEquals(await drain(p.track(input(), 6000)), 6000);
  await p.finish();
  const err = t.stderr();
  assert(err.startsWith("\rhaechi scan: "), JSON.stringify(err));
  assertStringIncludes(err, "of 5.9 KiB read (");
  assert(err.endsWith("\r\x1b[K"), "the line is erased");
  assert(!err.includes("\n"), "one line, never scrolled");
});

Deno.test("no line when stderr is not a terminal, with --quiet, or when jsonl output goes to a terminal", async () => {
  const cases = [
    { terminal: { stdout: false, stderr: false }, quiet: false, streamsToStdout: false },
    { terminal: { stdout: false, stderr: true }, quiet: true, streamsToStdout: false },
    { terminal: { stdout: true, stderr: true }, quiet: false, streamsToStdout: true },
  ];
  for (const c of cases) {
    const t = ioWith(c.terminal);
    const p = createProgress("protect", t.io, { ...c, intervalMs: 0 });
    assertEquals(await drain(p.track(input(), 6000)), 6000);
    await p.finish();
    assertEquals(t.stderr(), "", JSON.stringify(c));
  }
});

Deno.test("protect and scan piped from a real process write no progress line", async () => {
  const e = await tempEnv();
  try {
    const line = JSON.stringify({ text: "mail jane.doe@acme-corp.com " + "x".repeat(200) });
    const file = `${e.dir}/big.jsonl`;
    await Deno.writeTextFile(file, (line + "\n").repeat(8000));
    const main = new URL("../../main.ts", import.meta.url).pathname;
    for (const command of ["protect", "scan"]) {
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", main, command, file, "--config", e.config],
        stdout: "piped",
        stderr: "piped",
        env: { NO_COLOR: "1" },
      }).output();
      const err = new TextDecoder().decode(out.stderr);
      assertEquals(out.code, 0, err);
      assert(!err.includes("\r") && !err.includes("\x1b["), JSON.stringify(err.slice(0, 200)));
      assert(!err.includes(" read ("), command);
    }
  } finally {
    await e.cleanup();
  }
});
