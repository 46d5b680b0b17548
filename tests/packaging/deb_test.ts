/**
 * `deno task build:deb` builds a .deb that installs and runs: its layout is checked
 * wherever dpkg-deb exists, and as root it is installed with apt, run (`--version`, then
 * a proxy in front of a loopback upstream, as the packaged `haechi` user), and purged: first
 * the Deno launcher package, then the package carrying the single executable.
 */
import { buildDeb, SERVICE_UNIT } from "../../scripts/build_deb.ts";
import { buildSea } from "../../scripts/build_sea.ts";
import { VERSION } from "../../src/version.ts";
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";

const GITHUB = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8";
const decode = (b: Uint8Array) => new TextDecoder().decode(b);

async function sh(cmd: string, args: string[], cwd?: string): Promise<Deno.CommandOutput> {
  return await new Deno.Command(cmd, { args, cwd, stdout: "piped", stderr: "piped" }).output();
}

async function has(cmd: string): Promise<boolean> {
  return (await sh("sh", ["-c", `command -v ${cmd}`])).code === 0;
}

Deno.test("the .deb installs haechi, its systemd unit and the /etc/haechi layout", async (t) => {
  if (!(await has("dpkg-deb"))) {
    await t.step({ name: "skipped: dpkg-deb is not installed", ignore: true, fn: () => {} });
    return;
  }
  const out = await Deno.makeTempDir({ prefix: "haechi-deb-test-" });
  try {
    const deb = await buildDeb({ outDir: out });
    const arch = decode((await sh("dpkg", ["--print-architecture"])).stdout).trim();
    assertEquals(deb, `${out}/haechi_${VERSION}_${arch}.deb`);
    const contents = decode((await sh("dpkg-deb", ["--contents", deb])).stdout);
    for (
      const path of [
        "./usr/bin/haechi",
        "./lib/systemd/system/haechi.service",
        "./etc/haechi/",
        "./etc/default/haechi",
        "./usr/share/doc/haechi/copyright",
      ]
    ) {
      assertStringIncludes(contents, path);
    }
    assert(!/\btests\//.test(contents), "no test files in the package");
    const field = async (name: string) =>
      decode((await sh("dpkg-deb", ["--field", deb, name])).stdout).trim();
    assertEquals(await field("Package"), "haechi");
    assertEquals(await field("Version"), VERSION);
    assertStringIncludes(SERVICE_UNIT, "User=haechi");
    assertStringIncludes(SERVICE_UNIT, "ExecStart=/usr/bin/haechi proxy");

    if (Deno.uid() !== 0 || !(await has("apt-get"))) {
      await t.step({ name: "skipped: installing needs root and apt", ignore: true, fn: () => {} });
      return;
    }
    if ((await sh("dpkg", ["-s", "haechi"])).code === 0) {
      await t.step({ name: "skipped: haechi is already installed", ignore: true, fn: () => {} });
      return;
    }
    await t.step("the Deno launcher package installs, runs a proxy and purges", async () => {
      await installRunPurge(deb);
    });
    // The single executable of scripts/build_sea.ts, packaged by `build:deb --sea`: the one
    // binary buildable here (see tests/build/sea_test.ts). Installed in this test, never
    // at the same time as the launcher package.
    await t.step("the single-executable package installs, runs a proxy and purges", async () => {
      const built = await buildSea(`${out}/haechi`);
      const seaOut = `${out}/sea`;
      await Deno.mkdir(seaOut);
      await installRunPurge(await buildDeb({ binary: built.path, outDir: seaOut }));
    });
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

/** Install `deb` with apt, check the version, config layout and a proxy, then purge it. */
async function installRunPurge(deb: string): Promise<void> {
  const apt = ["-o", "DPkg::Lock::Timeout=120", "-y"];
  const install = await sh("apt-get", [...apt, "install", deb]);
  assertEquals(install.code, 0, decode(install.stderr));
  try {
    const version = await sh("/usr/bin/haechi", ["--version"]);
    assertEquals(decode(version.stdout).trim(), `haechi ${VERSION}`);
    const config = JSON.parse(await Deno.readTextFile("/etc/haechi/haechi.config.json"));
    assertEquals(config.keys.path, "/var/lib/haechi/.haechi/keys.json");
    await proxySmoke();
  } finally {
    const purge = await sh("apt-get", [...apt, "purge", "haechi"]);
    assertEquals(purge.code, 0, decode(purge.stderr));
  }
  assert((await sh("dpkg", ["-s", "haechi"])).code !== 0, "haechi is gone after purge");
}

/** The installed proxy, run as the package's user, redacts before the upstream sees it. */
async function proxySmoke(): Promise<void> {
  let seen = "";
  const upstream = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    seen = await req.text();
    return Response.json({
      choices: [{ index: 0, message: { role: "assistant", content: "ok" } }],
    });
  });
  const probe = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (probe.addr as Deno.NetAddr).port;
  probe.close();
  const proxy = new Deno.Command("runuser", {
    args: [
      "-u",
      "haechi",
      "--",
      "/usr/bin/haechi",
      "proxy",
      "--config",
      "/etc/haechi/haechi.config.json",
      "--upstream",
      `http://127.0.0.1:${upstream.addr.port}/v1`,
      "--port",
      String(port),
    ],
    cwd: "/var/lib/haechi",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  try {
    let live = false;
    for (let i = 0; i < 150 && !live; i++) {
      try {
        const r = await fetch(`http://127.0.0.1:${port}/__haechi/live`);
        await r.body?.cancel();
        live = r.ok;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    assert(live, "the installed proxy came up");
    const res = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "m", messages: [{ role: "user", content: `key ${GITHUB}` }] }),
    });
    assertEquals(res.status, 200, await res.clone().text());
    await res.body?.cancel();
    assert(seen.includes("messages"), "the request reached the upstream");
    assert(!seen.includes(GITHUB), "the secret was redacted before it left");
  } finally {
    proxy.kill("SIGTERM");
    await proxy.stderr.cancel();
    await proxy.status;
    await upstream.shutdown();
  }
}
