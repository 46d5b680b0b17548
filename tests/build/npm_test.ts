// The npm package, as a Node user gets it: `deno task build:npm`, `npm pack`, the tarball
// installed into an empty folder with npm (offline: it has no dependencies), then the
// whole smoke test under each Node release of scripts/node_runtimes.ts (installed from
// the npm `node` package by scripts/prefetch.ts, .ci/run's install step).
import { buildNpm } from "../../scripts/build_npm.ts";
import { isExecutable, NODE_VERSIONS, nodeBinary } from "../../scripts/node_runtimes.ts";
import { assert, assertEquals } from "../assert.ts";
import { smokeTest } from "./_smoke.ts";

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

    await sh("npm", ["pack", "--silent", "--pack-destination", tmp], `${tmp}/package`);
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
        // The installed bin link runs through its shebang with this Node first on PATH.
        await smokeTest(t, {
          haechi: [`${prefix}/node_modules/.bin/haechi`],
          node,
          env: { PATH },
        });
      });
    }
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
