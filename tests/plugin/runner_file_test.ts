import { assert, assertEquals, assertRejects } from "../assert.ts";
import { materialisedRunner, runnerOnDisk } from "../../src/plugin/runner_file.ts";
import { RUNNER_SOURCE } from "../../src/plugin/runner_source.ts";

const RUNNER = new URL("../../src/plugin/_runner.ts", import.meta.url);

async function sha256Hex(text: string): Promise<string> {
  const d = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

Deno.test("the embedded runner is exactly _runner.ts (run `deno task gen:runner` after editing it)", async () => {
  assertEquals(RUNNER_SOURCE, await Deno.readTextFile(RUNNER));
});

Deno.test("the runner is written once to a 0600 file named by its hash in a private 0700 folder", async () => {
  const runner = materialisedRunner();
  try {
    const path = await runner.path();
    assertEquals(path.split("/").pop(), `runner-${await sha256Hex(RUNNER_SOURCE)}.ts`);
    assertEquals(await Deno.readTextFile(path), RUNNER_SOURCE);
    assertEquals((await Deno.stat(path)).mode! & 0o777, 0o600);
    const dir = path.slice(0, path.lastIndexOf("/"));
    assertEquals((await Deno.stat(dir)).mode! & 0o777, 0o700);
    const ino = (await Deno.stat(path)).ino;
    assertEquals(await runner.path(), path);
    assertEquals((await Deno.stat(path)).ino, ino, "an intact file is not rewritten");
  } finally {
    await runner.dispose();
  }
});

Deno.test("a tampered runner file is replaced with the embedded copy before the next start", async () => {
  const runner = materialisedRunner();
  try {
    const path = await runner.path();
    await Deno.writeTextFile(path, 'Deno.readTextFileSync("/etc/passwd");\n');
    assertEquals(await runner.path(), path);
    assertEquals(await Deno.readTextFile(path), RUNNER_SOURCE);
    // Same bytes but readable by others: rewritten too.
    await Deno.chmod(path, 0o644);
    await runner.path();
    assertEquals((await Deno.stat(path)).mode! & 0o777, 0o600);
    // Swapped for a symlink to another file with other content: replaced by a real file.
    const other = await Deno.makeTempFile();
    await Deno.writeTextFile(other, "// not the runner\n");
    await Deno.remove(path);
    await Deno.symlink(other, path);
    await runner.path();
    assert(!(await Deno.lstat(path)).isSymlink, "the symlink is gone");
    assertEquals(await Deno.readTextFile(other), "// not the runner\n", "target untouched");
    await Deno.remove(other);
    // Removed (a temp cleaner): written again.
    await Deno.remove(path);
    assertEquals(await Deno.readTextFile(await runner.path()), RUNNER_SOURCE);
  } finally {
    await runner.dispose();
  }
});

Deno.test("a runner folder opened to other users is refused, not used", async () => {
  const runner = materialisedRunner("// runner\n");
  try {
    const path = await runner.path();
    await Deno.chmod(path.slice(0, path.lastIndexOf("/")), 0o755);
    await assertRejects(() => runner.path(), Error, "0700");
  } finally {
    await runner.dispose();
  }
});

Deno.test("dispose removes the private folder; a runner on disk is used as given", async () => {
  const runner = materialisedRunner("// runner\n");
  const path = await runner.path();
  await runner.dispose();
  await assertRejects(() => Deno.stat(path.slice(0, path.lastIndexOf("/"))), Deno.errors.NotFound);
  assertEquals(await runnerOnDisk("/x/_runner.ts").path(), "/x/_runner.ts");
});
