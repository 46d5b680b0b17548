/**
 * `deno task build:sea`: `dist/haechi-node`, one executable file with no install step, for
 * this machine's platform: a Node single-executable application (SEA) made from the npm
 * build. This is the binary that can be built and tested where `deno compile` cannot
 * download its runtime.
 *
 * 1. `buildNpm` (the same JavaScript the npm package ships);
 * 2. `esbuild` (npm, build time only) bundles it into one CommonJS file, as Node 22/24
 *    SEAs require; `import.meta.url` becomes a non-file URL, so the dashboard's worker,
 *    which needs a file on disk, reports itself unavailable. The plugin runner is bundled
 *    as the string in `src/plugin/runner_source.ts` and written to a private, hash-checked
 *    temp file when a plugin starts (under the deno named by `plugins.denoPath`);
 * 3. `node --experimental-sea-config` turns the bundle into a blob, with the Node release
 *    of `scripts/node_runtimes.ts` (the npm `node` package, installed by prefetch);
 * 4. `postject` (npm, build time only) injects the blob into a copy of that `node`.
 *
 * ```sh
 * deno task build:sea [--out dist/haechi-node]
 * ```
 *
 * @module
 */
import { Buffer } from "node:buffer";
// deno-lint-ignore no-import-prefix
import * as esbuild from "npm:esbuild@0.25.12";
// deno-lint-ignore no-import-prefix
import { inject } from "npm:postject@1.0.0-alpha.6";
import { buildNpm } from "./build_npm.ts";
import { isExecutable, NODE_VERSIONS, nodeBinary } from "./node_runtimes.ts";

const ROOT = new URL("../", import.meta.url);

/** The Node release a single executable is made from. */
export const SEA_NODE_VERSION: string = NODE_VERSIONS["24"];

/** The fuse Node's SEA loader looks for (from Node's documentation). */
const SEA_FUSE = "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2";

// Its own module, so it runs before node:sqlite is first loaded by the bundle.
const QUIET = `const emitWarning = process.emitWarning;
process.emitWarning = function (warning, ...rest) {
  const type = typeof rest[0] === "string" ? rest[0] : rest[0]?.type;
  if (type === "ExperimentalWarning" && /SQLite/i.test(String(warning))) return;
  return emitWarning.call(process, warning, ...rest);
};
`;

const ENTRY = `import "./sea_quiet.js";
import { main } from "./main.js";
void main(process.argv.slice(2));
`;

/** What {@linkcode buildSea} produced. */
export interface SeaBuild {
  /** The executable. */
  readonly path: string;
  /** Its size in bytes. */
  readonly bytes: number;
  /** The bundled JavaScript's size in bytes. */
  readonly bundleBytes: number;
}

/**
 * Build the single executable at `out` (relative to the repository root or absolute).
 *
 * @throws {Error} when the Node release is not in the cache or a build step fails.
 */
export async function buildSea(out = "dist/haechi-node"): Promise<SeaBuild> {
  const node = nodeBinary(SEA_NODE_VERSION);
  if (!isExecutable(node)) {
    throw new Error(`Node ${SEA_NODE_VERSION} is not in the cache: run scripts/prefetch.ts`);
  }
  const outPath = new URL(out, ROOT).pathname;
  const work = await Deno.makeTempDir({ prefix: "haechi-sea-" });
  try {
    await buildNpm(`${work}/package`);
    await Deno.writeTextFile(`${work}/package/sea_quiet.js`, QUIET);
    await Deno.writeTextFile(`${work}/package/sea_entry.js`, ENTRY);
    try {
      await esbuild.build({
        entryPoints: [`${work}/package/sea_entry.js`],
        bundle: true,
        platform: "node",
        format: "cjs",
        target: "node22",
        outfile: `${work}/haechi.cjs`,
        define: { "import.meta.url": '"haechi-sea:///haechi.js"', "import.meta.main": "false" },
        // Optional integrations stay optional: a SEA cannot load them, and says so.
        external: ["redis"],
        logLevel: "error",
      });
    } finally {
      await esbuild.stop();
    }
    const config = {
      main: `${work}/haechi.cjs`,
      output: `${work}/haechi.blob`,
      disableExperimentalSEAWarning: true,
    };
    await Deno.writeTextFile(`${work}/sea-config.json`, JSON.stringify(config));
    const blob = await new Deno.Command(node, {
      args: ["--experimental-sea-config", `${work}/sea-config.json`],
      stdout: "null",
      stderr: "piped",
    }).output();
    if (blob.code !== 0) {
      throw new Error(`node --experimental-sea-config: ${new TextDecoder().decode(blob.stderr)}`);
    }
    await Deno.mkdir(outPath.slice(0, outPath.lastIndexOf("/")), { recursive: true });
    await Deno.remove(outPath).catch(() => {});
    await Deno.copyFile(node, outPath);
    await Deno.chmod(outPath, 0o755);
    // postject reports sections it leaves alone ("Can't find string offset …") on
    // stderr through console.warn; they are not errors.
    const warn = console.warn;
    console.warn = () => {};
    try {
      await inject(outPath, "NODE_SEA_BLOB", Buffer.from(await Deno.readFile(config.output)), {
        sentinelFuse: SEA_FUSE,
      });
    } finally {
      console.warn = warn;
    }
    return {
      path: outPath,
      bytes: (await Deno.stat(outPath)).size,
      bundleBytes: (await Deno.stat(config.main)).size,
    };
  } finally {
    await Deno.remove(work, { recursive: true });
  }
}

if (import.meta.main) {
  const i = Deno.args.indexOf("--out");
  const started = performance.now();
  const b = await buildSea(i >= 0 ? Deno.args[i + 1] : undefined);
  const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
  console.log(
    `built ${b.path}: ${mb(b.bytes)} MiB (Node ${SEA_NODE_VERSION} + ${
      mb(b.bundleBytes)
    } MiB of JavaScript), ${Math.round(performance.now() - started)} ms`,
  );
}
