import { assert, assertEquals } from "../assert.ts";
import { vaultEnv } from "./_helpers.ts";

const WRITER = new URL("./_crash_writer.ts", import.meta.url).pathname;

Deno.test("kill -9 mid-write loses no committed token and leaves the vault readable", async () => {
  const env = await vaultEnv();
  try {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", WRITER, env.dir],
      stdout: "piped",
      stderr: "null",
    }).spawn();
    const committed: { i: number; token: string }[] = [];
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let buffered = "";
    while (committed.length < 300) {
      const { value, done } = await reader.read();
      if (done) break;
      buffered += value;
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) {
        const [i, token] = line.split(" ");
        committed.push({ i: Number(i), token });
      }
    }
    child.kill("SIGKILL");
    const status = await child.status;
    await reader.cancel().catch(() => {});
    assertEquals(status.signal, "SIGKILL");
    assert(committed.length >= 300, `the writer committed ${committed.length} tokens`);

    const vault = await env.open();
    try {
      for (const { i, token } of committed) {
        const r = await vault.restoreTokens(token, "crash");
        assertEquals(r.text, `value-${i}`, `token ${i} survived`);
      }
      assert(await vault.count() >= committed.length);
      await vault.tokenize("after-crash", { type: "us_ssn", scope: "crash" });
    } finally {
      await vault.close();
    }
  } finally {
    await env.cleanup();
  }
});
