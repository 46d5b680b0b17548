// The first hour, as a new user meets it: the config is found from any subfolder, its
// relative paths mean "next to the config file", and a lost key is never silently replaced.
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../assert.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;

async function haechi(cwd: string, args: string[], stdin = "", env: Record<string, string> = {}) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--no-config", MAIN, ...args],
    cwd,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1", ...env },
    clearEnv: true,
  }).spawn();
  const w = child.stdin.getWriter();
  await w.write(new TextEncoder().encode(stdin));
  await w.close();
  const { code, stdout, stderr } = await child.output();
  const dec = new TextDecoder();
  return { code, out: dec.decode(stdout), err: dec.decode(stderr) };
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

const EMAIL = JSON.stringify({ q: "mail jane.doe@acme-corp.com" });

Deno.test("a command run from a subfolder uses the parent's config, keys, vault and audit log", async () => {
  const dir = await Deno.makeTempDir({ prefix: "haechi-lookup-" });
  try {
    assertEquals((await haechi(dir, ["init"])).code, 0);
    const config = JSON.parse(await Deno.readTextFile(`${dir}/haechi.config.json`));
    config.tokenVault = { ...config.tokenVault, revealPolicy: "allow" };
    await Deno.writeTextFile(`${dir}/haechi.config.json`, JSON.stringify(config));
    const deep = `${dir}/src/app`;
    await Deno.mkdir(deep, { recursive: true });

    const p = await haechi(deep, ["protect"], EMAIL);
    assertEquals(p.code, 0, p.err);
    const token = p.out.match(/\[TOKEN:[^\]]+\]/)?.[0];
    assert(token !== undefined, p.out);
    assert(!(await exists(`${deep}/.haechi`)), "no second .haechi in the subfolder");
    assert(!(await exists(`${dir}/src/.haechi`)));
    assertStringIncludes(await Deno.readTextFile(`${dir}/.haechi/audit.jsonl`), "cli.protect");

    const r = await haechi(`${dir}/src`, ["restore"], token);
    assertEquals(r.code, 0, r.err);
    assertStringIncludes(r.out, "jane.doe@acme-corp.com");
    assertEquals((await haechi(deep, ["audit-verify"])).code, 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("HAECHI_CONFIG names the config, and its relative paths resolve next to it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "haechi-lookup-" });
  try {
    await Deno.mkdir(`${dir}/etc`);
    await Deno.mkdir(`${dir}/work`);
    assertEquals((await haechi(`${dir}/etc`, ["init"])).code, 0);
    const p = await haechi(`${dir}/work`, ["protect"], EMAIL, {
      HAECHI_CONFIG: `${dir}/etc/haechi.config.json`,
    });
    assertEquals(p.code, 0, p.err);
    assert(!(await exists(`${dir}/work/.haechi`)));
    const missing = await haechi(`${dir}/work`, ["protect"], EMAIL, {
      HAECHI_CONFIG: "nope.json",
    });
    assertEquals(missing.code, 2);
    assertStringIncludes(missing.err, "HAECHI_CONFIG");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("--config wins over HAECHI_CONFIG and over a config found in a parent", async () => {
  const dir = await Deno.makeTempDir({ prefix: "haechi-lookup-" });
  try {
    await Deno.writeTextFile(`${dir}/haechi.config.json`, "{ not json");
    await Deno.mkdir(`${dir}/sub`);
    await Deno.writeTextFile(
      `${dir}/sub/mine.json`,
      JSON.stringify({ configVersion: 1, mode: "dry-run" }),
    );
    const s = await haechi(`${dir}/sub`, ["status", "--config", "mine.json"], "", {
      HAECHI_CONFIG: "nope.json",
    });
    assertEquals(s.code, 0, s.err);
    const found = await haechi(`${dir}/sub`, ["status"]);
    assertEquals(found.code, 2, "the parent's broken file is the one found");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a missing key file next to an existing vault fails loudly instead of minting a new key", async () => {
  const dir = await Deno.makeTempDir({ prefix: "haechi-lookup-" });
  try {
    assertEquals((await haechi(dir, ["init"])).code, 0);
    const p = await haechi(dir, ["protect"], EMAIL);
    assertEquals(p.code, 0, p.err);
    const token = p.out.match(/\[TOKEN:[^\]]+\]/)?.[0] ?? "";
    await Deno.remove(`${dir}/.haechi/keys.json`);

    for (const args of [["protect"], ["restore"], ["token-reveal", token]]) {
      const r = await haechi(dir, args, args[0] === "protect" ? EMAIL : token);
      assertEquals(r.code, 2, `${args[0]}: ${r.err}`);
      assertStringIncludes(r.err, "keys.not_found");
      assertMatch(r.err, /keys\.json/);
      assertStringIncludes(r.err, "haechi init");
    }
    assert(!(await exists(`${dir}/.haechi/keys.json`)), "no fresh key was written");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("protect in a folder with no vault and no audit log yet creates the key on first use", async () => {
  const dir = await Deno.makeTempDir({ prefix: "haechi-lookup-" });
  try {
    const p = await haechi(dir, ["protect"], EMAIL);
    assertEquals(p.code, 0, p.err);
    assert(await exists(`${dir}/.haechi/keys.json`));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
