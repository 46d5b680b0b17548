// End to end through the real entry point, as a user types it, in a fresh folder.
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;

async function haechi(cwd: string, args: string[], stdin = "") {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--no-config", MAIN, ...args],
    cwd,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
    clearEnv: true,
  }).spawn();
  const w = child.stdin.getWriter();
  await w.write(new TextEncoder().encode(stdin));
  await w.close();
  const { code, stdout, stderr } = await child.output();
  const dec = new TextDecoder();
  return { code, out: dec.decode(stdout), err: dec.decode(stderr) };
}

Deno.test("init writes an enforcing config and a 0600 key file, then protect and audit-verify work", async () => {
  const dir = await Deno.makeTempDir({ prefix: "haechi-e2e-" });
  try {
    const init = await haechi(dir, ["init"]);
    assertEquals(init.code, 0, init.err);
    const config = JSON.parse(await Deno.readTextFile(`${dir}/haechi.config.json`));
    assertEquals(config.configVersion, 1);
    assertEquals(config.mode, "enforce");
    assertEquals((await Deno.stat(`${dir}/.haechi/keys.json`)).mode! & 0o777, 0o600);
    const before = await Deno.readTextFile(`${dir}/haechi.config.json`);
    await Deno.writeTextFile(`${dir}/haechi.config.json`, before.replace('"enforce"', '"dry-run"'));
    const again = await haechi(dir, ["init"]);
    assertEquals(again.code, 0, "init again is safe, as in haechi 1.4");
    assert(again.out.includes("Kept existing"), again.out);
    assert((await Deno.readTextFile(`${dir}/haechi.config.json`)).includes('"dry-run"'), "kept");
    await Deno.writeTextFile(`${dir}/haechi.config.json`, before);

    const p = await haechi(dir, ["protect"], JSON.stringify({ q: "mail jane.doe@acme-corp.com" }));
    assertEquals(p.code, 0, p.err);
    assert(!p.out.includes("jane.doe@acme-corp.com"));
    const v = await haechi(dir, ["audit-verify"]);
    assertEquals(v.code, 0, v.err);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a bad config file stops every command with exit 2 and names the key", async () => {
  const dir = await Deno.makeTempDir({ prefix: "haechi-e2e-" });
  try {
    await Deno.writeTextFile(
      `${dir}/haechi.config.json`,
      JSON.stringify({ configVersion: 1, mode: "enforcing" }),
    );
    const r = await haechi(dir, ["protect"], "{}");
    assertEquals(r.code, 2);
    assertStringIncludes(r.err, '"mode"');
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("jsonl protect streams a large file line for line", async () => {
  const dir = await Deno.makeTempDir({ prefix: "haechi-e2e-" });
  try {
    const n = 20_000;
    const lines: string[] = [];
    for (let i = 0; i < n; i++) {
      lines.push(JSON.stringify({ i, text: `user${i}@corp-mail.com said hi` }));
    }
    await Deno.writeTextFile(`${dir}/data.jsonl`, lines.join("\n") + "\n");
    const r = await haechi(dir, ["protect", "data.jsonl"]);
    assertEquals(r.code, 0, r.err);
    const out = r.out.trimEnd().split("\n");
    assertEquals(out.length, n);
    assertEquals(JSON.parse(out[n - 1]).i, n - 1);
    assert(!r.out.includes("@corp-mail.com"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
