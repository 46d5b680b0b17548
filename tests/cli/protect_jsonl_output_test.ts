import { runCli } from "../../src/cli/mod.ts";
import type { CliIO } from "../../src/cli/command.ts";
import type { TextSink } from "../../src/runtime/mod.ts";
import { tempEnv } from "./_env.ts";
import { assert, assertEquals, assertMatch } from "../assert.ts";

const TOKEN = "ghp_" + "Zx8Qw2Lp4Rt6Yu8Io0Pa1Sd3Fg5Hj7Kl9Mn2";
const EMAIL = "jane.doe@acme-corp.com";

/** Stdin in chunks of 1 to 7 bytes, so multi-byte characters and `\r\n` split across reads. */
function choppedStream(bytes: Uint8Array): ReadableStream<Uint8Array> {
  let at = 0;
  let n = 0;
  return new ReadableStream({
    pull(c) {
      if (at >= bytes.length) return c.close();
      const size = 1 + (n++ % 7);
      c.enqueue(bytes.slice(at, at + size));
      at += size;
    },
  });
}

/** Runs `protect --format jsonl` on `input`; `bytesSink` offers stdout the byte-level write. */
async function runJsonl(config: string, input: string, chopped: boolean, bytesSink: boolean) {
  const bytes = new TextEncoder().encode(input);
  const outBytes: Uint8Array[] = [];
  const outText: string[] = [];
  const err: string[] = [];
  const stdout: TextSink = {
    write: (t) => Promise.resolve(void outText.push(t)),
    ...(bytesSink ? { writeBytesSync: (b: Uint8Array) => void outBytes.push(b.slice()) } : {}),
  };
  const io: CliIO = {
    stdin: () => chopped ? choppedStream(bytes) : new Blob([bytes]).stream(),
    stdout,
    stderr: { write: (t) => Promise.resolve(void err.push(t)) },
    env: {},
    color: { stdout: false, stderr: false },
  };
  const code = await runCli(["protect", "--format", "jsonl", "--config", config], io);
  const decoded = new TextDecoder().decode(
    new Uint8Array(outBytes.flatMap((b) => [...b])),
  );
  assert(outText.length === 0 || outBytes.length === 0, "one output path per run");
  return { code, out: outText.join("") + decoded, err: err.join("") };
}

Deno.test("protect --format jsonl gives the same bytes and exit code whether lines are encoded one by one into a buffer or joined as text, and however stdin is chunked", async () => {
  const e = await tempEnv();
  try {
    const input = [
      JSON.stringify({ text: `이메일 ${EMAIL} 키 ${TOKEN} 😀 끝` }),
      "",
      "   ",
      '{"broken": ',
      JSON.stringify({ note: "ünïcödé ✓ 中文 only" }) + "\r",
      JSON.stringify({ k: TOKEN }),
      JSON.stringify({ last: "no newline 🎉" }),
    ].join("\n");
    const textPath = await runJsonl(e.config, input, false, false);
    for (const [chopped, bytesSink] of [[true, true], [false, true], [true, false]]) {
      const r = await runJsonl(e.config, input, chopped, bytesSink);
      assertEquals(r.code, textPath.code);
      assertEquals(r.out, textPath.out);
    }
    assertEquals(textPath.code, 0);
    const out = textPath.out.split("\n");
    assertEquals(out.length, 8);
    assertMatch(
      out[0],
      /^\{"text":"이메일 \[TOKEN:email:[a-z2-7]{20}\] 키 \[REDACTED:github_token\] 😀 끝"\}$/,
    );
    assertEquals(out.slice(1, 3), ["", "   "]);
    assertEquals(Object.keys(JSON.parse(out[3]).haechi), ["error"]);
    assertEquals(out.slice(4), [
      '{"note":"ünïcödé ✓ 中文 only"}',
      '{"k":"[REDACTED:github_token]"}',
      '{"last":"no newline 🎉"}',
      "",
    ]);
  } finally {
    await e.cleanup();
  }
});

Deno.test("protect --format jsonl output over several batches and with a line longer than the batch buffer is the same on both output paths", async () => {
  const e = await tempEnv();
  try {
    const lines: string[] = [];
    for (let i = 0; i < 300; i++) {
      lines.push(JSON.stringify({ i, text: `행 ${i} ${EMAIL} ${"가나다 abc ".repeat(400)}` }));
    }
    lines.splice(150, 0, JSON.stringify({ big: "é😀".repeat(900_000) }));
    const input = lines.join("\n") + "\n";
    const textPath = await runJsonl(e.config, input, false, false);
    const bytesPath = await runJsonl(e.config, input, false, true);
    assertEquals(bytesPath.code, textPath.code);
    assert(bytesPath.out === textPath.out, "outputs differ");
    assertEquals(textPath.out.split("\n").length, 302);
  } finally {
    await e.cleanup();
  }
});
