/**
 * Peak memory of `haechi scan` and `haechi protect` on a generated JSONL file, to check that
 * both stream in constant memory (run: `deno run -A scripts/cli_memory.ts [--mb=N]`).
 *
 * Each command runs as a child; its resident-set high-water mark (`VmHWM` in
 * `/proc/<pid>/status`, so Linux only) is sampled until it exits. A streaming command
 * stays near its start-up size whatever the file size; one that collects its output grows
 * with the input. Not part of the unit tests.
 *
 * @module
 */
const MAIN = new URL("../main.ts", import.meta.url).pathname;
const mbArg = Deno.args.find((a) => a.startsWith("--mb="));
const targetMb = mbArg === undefined ? 100 : Number(mbArg.slice(5));
if (!Number.isFinite(targetMb) || targetMb <= 0) throw new RangeError(`Invalid ${mbArg}`);

const dir = await Deno.makeTempDir({ prefix: "haechi-cli-memory-" });
try {
  const input = `${dir}/big.jsonl`;
  const file = await Deno.open(input, { write: true, create: true });
  const encoder = new TextEncoder();
  let written = 0;
  let n = 0;
  while (written < targetMb * 1024 * 1024) {
    let block = "";
    for (let i = 0; i < 1000; i++, n++) {
      block += JSON.stringify({
        id: n,
        user: `user${n}@example.com`,
        note: `call +1 415 555 ${String(n % 10000).padStart(4, "0")} about order ${n}`,
        text: "lorem ipsum dolor sit amet ".repeat(4),
      }) + "\n";
    }
    const bytes = encoder.encode(block);
    await file.write(bytes);
    written += bytes.length;
  }
  file.close();
  await run(["init"], dir);
  console.log(`input: ${(written / 1024 / 1024).toFixed(0)} MB, ${n} lines`);
  for (
    const args of [["scan", "--format", "jsonl", input], ["protect", "--format", "jsonl", input]]
  ) {
    const { peakMb, seconds } = await run(args, dir);
    console.log(`${args[0].padEnd(8)} peak RSS ${peakMb.toFixed(0)} MB, ${seconds.toFixed(1)} s`);
  }
} finally {
  await Deno.remove(dir, { recursive: true });
}

async function run(args: string[], cwd: string): Promise<{ peakMb: number; seconds: number }> {
  const started = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--no-config", MAIN, ...args],
    cwd,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let peakKb = 0;
  let done = false;
  const status = child.status.finally(() => (done = true));
  while (!done) {
    try {
      const text = await Deno.readTextFile(`/proc/${child.pid}/status`);
      const kb = Number(/VmHWM:\s+(\d+)/.exec(text)?.[1] ?? 0);
      if (kb > peakKb) peakKb = kb;
    } catch {
      // exited between checks
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const { code } = await status;
  const err = new TextDecoder().decode(await new Response(child.stderr).arrayBuffer());
  if (code !== 0 && args[0] !== "protect") {
    throw new Error(`${args.join(" ")} exited ${code}: ${err}`);
  }
  return { peakMb: peakKb / 1024, seconds: (performance.now() - started) / 1000 };
}
