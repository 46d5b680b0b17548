// The key file lock between real processes: a holder killed with SIGKILL frees it.
import { assert, assertEquals } from "../assert.ts";
import { withFileLock } from "../../src/vault/_lock.ts";
import { LockTimeoutError, withFileLock as osLock } from "../../src/runtime/shared_file.ts";

const HOLD = `
import { withFileLock } from ${
  JSON.stringify(new URL("../../src/vault/_lock.ts", import.meta.url).href)
};
await withFileLock(Deno.env.get("KEYS_PATH")!, async () => {
  await Deno.stdout.write(new TextEncoder().encode("locked\\n"));
  await new Promise((r) => setTimeout(r, 3_600_000)); // until killed
});
`;

Deno.test("a process killed with SIGKILL while holding the key file lock does not lock the others out", async () => {
  const dir = await Deno.makeTempDir({ prefix: "haechi-lock-" });
  const keys = `${dir}/keys.json`;
  try {
    const holder = new Deno.Command(Deno.execPath(), {
      args: ["eval", HOLD],
      env: { KEYS_PATH: keys },
      stdout: "piped",
      stderr: "null",
    }).spawn();
    const reader = holder.stdout.getReader();
    let seen = "";
    while (!seen.includes("locked")) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`holder exited early: ${seen}`);
      seen += new TextDecoder().decode(value);
    }
    // While it is held, another taker waits and then gives up...
    const refused = await osLock(keys, () => Promise.resolve(), { timeoutMs: 200 }).then(
      () => null,
      (e) => e,
    );
    assert(refused instanceof LockTimeoutError, String(refused));
    holder.kill("SIGKILL");
    assertEquals((await holder.status).signal, "SIGKILL", "it held the lock until killed");
    await reader.cancel();
    // ...and once the holder is dead, the kernel has released it: no stale lock to clear.
    assertEquals(await withFileLock(keys, () => Promise.resolve("updated")), "updated");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
