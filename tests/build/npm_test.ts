// The npm package, as a Node user gets it: `deno task build:npm`, `npm pack`, the tarball
// installed into an empty folder with npm (offline: it has no dependencies), then the
// whole smoke test under each Node release of scripts/node_runtimes.ts (installed from
// the npm `node` package by scripts/prefetch.ts, .ci/run's install step).
import { buildNodeTests, buildNpm, NODE_DIFFERENCES } from "../../scripts/build_npm.ts";
import { isExecutable, NODE_VERSIONS, nodeBinary } from "../../scripts/node_runtimes.ts";
import { assert, assertEquals } from "../assert.ts";
import { pathExists } from "../../src/runtime/mod.ts";
import { smokeTest } from "./_smoke.ts";

const LOCK_HOLDER = new URL("../fixtures/node/lock_holder.mjs", import.meta.url).pathname;

/** Under `node`: concurrent lock holders never overlap, and a holder killed with -9 frees it. */
async function lockSteps(node: string, pkg: string): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "haechi-node-locks-" });
  const holder = (mode: string, target: string, log: string, stdout: "null" | "piped" = "null") =>
    new Deno.Command(node, {
      args: [LOCK_HOLDER, pkg, target, "100", log, mode],
      stdout,
      stderr: "piped",
      stdin: "null",
    }).spawn();
  try {
    for (const mode of ["with", "append"]) {
      const log = `${dir}/${mode}.log`;
      const procs = [0, 1, 2].map(() => holder(mode, `${dir}/${mode}.data`, log));
      for (const p of procs) {
        const out = await p.output();
        assertEquals(out.code, 0, new TextDecoder().decode(out.stderr));
      }
      const lines = (await Deno.readTextFile(log)).trim().split("\n");
      assertEquals(lines.length, 6);
      for (let i = 0; i < 6; i += 2) {
        assertEquals(lines[i + 1], lines[i].replace("in", "out"), `overlap in ${lines.join("|")}`);
      }
    }
    const log = `${dir}/kill.log`;
    const hang = holder("hang", `${dir}/kill.data`, log, "piped");
    const reader = hang.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let said = "";
    while (!said.includes("held")) {
      const { value, done } = await reader.read();
      if (done) throw new Error("the holder exited before taking the lock");
      said += value;
    }
    const waiter = holder("with", `${dir}/kill.data`, log);
    hang.kill("SIGKILL");
    await hang.status;
    await reader.cancel().catch(() => {});
    await hang.stderr.cancel().catch(() => {});
    const out = await waiter.output();
    assertEquals(out.code, 0, new TextDecoder().decode(out.stderr));
    assertEquals((await Deno.readTextFile(log)).trim().split("\n").length, 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function sh(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}) {
  const out = await new Deno.Command(cmd, { args, cwd, env, stdin: "null" }).output();
  const dec = new TextDecoder();
  const text = dec.decode(out.stdout) + dec.decode(out.stderr);
  assertEquals(out.code, 0, `${cmd} ${args.join(" ")}: ${text}`);
  return text;
}

Deno.test("the npm package packs with no dependencies and runs end to end under Node 22 and 24", async (t) => {
  for (const v of Object.values(NODE_VERSIONS)) {
    assert(
      isExecutable(nodeBinary(v)),
      `Node ${v} is not in the cache: run deno run -A scripts/prefetch.ts`,
    );
  }
  const tmp = await Deno.makeTempDir({ prefix: "haechi-npm-" });
  try {
    const built = await buildNpm(`${tmp}/package`);
    const pkg = JSON.parse(await Deno.readTextFile(`${tmp}/package/package.json`));
    assertEquals([pkg.name, pkg.bin.haechi, pkg.type], ["haechi", "bin/haechi.js", "module"]);
    assertEquals(pkg.dependencies, undefined, "no runtime dependencies");
    assert(
      Object.values(pkg.peerDependenciesMeta).every((m) => (m as { optional: boolean }).optional),
    );
    assert(built.modules > 100);
    for (const f of ["LICENSE", "README.md", "mod.d.ts", "src/runtime/serve.js"]) {
      await Deno.stat(`${tmp}/package/${f}`);
    }
    // The Node twin is what ships: no Deno global is reached from the runtime layer.
    const runtime = await Deno.readTextFile(`${tmp}/package/src/runtime/mod.js`);
    assert(!/\bDeno\./.test(runtime.replace(/\/\*[\s\S]*?\*\//g, "")));
    // Deno-only files stay out: the Deno server's head guard, and the plugin runner, which
    // ships as the text in runner_source.js.
    for (const f of ["src/runtime/head_guard.js", "src/plugin/_runner.js"]) {
      assertEquals(await pathExists(`${tmp}/package/${f}`), false, f);
    }
    await Deno.stat(`${tmp}/package/src/plugin/runner_source.js`);

    await sh("npm", ["pack", "--silent", "--pack-destination", tmp], `${tmp}/package`);
    // The unit tests that need no Deno API, built beside the package's own modules (after
    // packing: they are not part of it).
    const units = await buildNodeTests(`${tmp}/package`);
    assert(
      units.included.length >= 40,
      `only ${units.included.length} unit test files run on Node`,
    );
    const tarball = `${tmp}/haechi-${pkg.version}.tgz`;
    await Deno.stat(tarball);

    for (const [major, version] of Object.entries(NODE_VERSIONS)) {
      await t.step(`Node ${major} (${version})`, async (t) => {
        const node = nodeBinary(version);
        const nodeDir = node.slice(0, node.lastIndexOf("/"));
        const prefix = `${tmp}/node${major}`;
        await Deno.mkdir(prefix);
        const PATH = `${nodeDir}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}`;
        await sh(
          "npm",
          ["install", "--offline", "--no-audit", "--no-fund", "--prefix", prefix, tarball],
          prefix,
          { PATH },
        );
        await t.step(
          `unit tests (${units.included.length} files) on the built modules`,
          async () => {
            const out = await new Deno.Command(node, {
              args: ["--test-reporter=dot", units.runner],
              cwd: tmp,
              stdin: "null",
            }).output();
            const text = new TextDecoder().decode(out.stdout) +
              new TextDecoder().decode(out.stderr);
            assertEquals(out.code, 0, text.slice(-4000));
            // node:test's dot reporter ends with a summary; nothing failed.
            assert(!/\bfail\s+[1-9]/.test(text), text.slice(-2000));
            assert(Object.keys(NODE_DIFFERENCES).length <= 3);
          },
        );
        await t.step(
          "file locks between Node processes (node:sqlite)",
          () => lockSteps(node, `${tmp}/package`),
        );
        // The installed bin link runs through its shebang with this Node first on PATH.
        await smokeTest(t, {
          haechi: [`${prefix}/node_modules/.bin/haechi`],
          node,
          env: { PATH },
          // Plugins run under a deno executable the config names, here the one running the test.
          deno: Deno.execPath(),
        });
      });
    }
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
