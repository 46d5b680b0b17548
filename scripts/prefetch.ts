/**
 * Put every npm package the tests load into Deno's cache, so `deno task test` itself never
 * depends on the network. `.ci/run` runs this as its install step; run it once after a
 * fresh clone or with a new `DENO_DIR`:
 *
 * ```sh
 * deno run -A scripts/prefetch.ts
 * ```
 *
 * Tests import some packages directly and start others in child processes (MCP servers,
 * SDK clients kept out of the project's lock file), often by a specifier that is not a
 * literal import, which `deno check` or `deno cache` of the test files would never reach.
 * So the packages are found by searching `tests/` and `scripts/` for `npm:name@version`:
 * a test that adds one is covered without editing a list here. Packages pinned in
 * `deno.lock` are cached through the lock, the versions a child using the project's
 * config resolves; the rest with `--no-lock`, as the children that load them run. It
 * also installs the Node releases of `scripts/node_runtimes.ts` (npm `node` package).
 *
 * @module
 */
import { installNodeRuntimes } from "./node_runtimes.ts";

const root = new URL("../", import.meta.url);
const SPECIFIER = /npm:((?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*@\d[\w.+-]*)/g;

/** Every `npm:name@version` (subpaths dropped) in the `.ts` files under `dirs`. */
async function findPackages(dirs: readonly string[]): Promise<string[]> {
  const found = new Set<string>();
  const walk = async (dir: URL) => {
    for await (const entry of Deno.readDir(dir)) {
      const url = new URL(entry.name + (entry.isDirectory ? "/" : ""), dir);
      if (entry.isDirectory) await walk(url);
      else if (entry.name.endsWith(".ts")) {
        for (const m of (await Deno.readTextFile(url)).matchAll(SPECIFIER)) {
          found.add(`npm:${m[1].replace(/[.]+$/, "")}`);
        }
      }
    }
  };
  for (const dir of dirs) await walk(new URL(dir, root));
  return [...found].sort();
}

async function cache(args: string[]): Promise<boolean> {
  console.log(`deno cache ${args.join(" ")}`);
  const { success } = await new Deno.Command(Deno.execPath(), {
    args: ["cache", ...args],
    cwd: root,
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  return success;
}

const packages = await findPackages(["tests/", "scripts/"]);
const lock = JSON.parse(await Deno.readTextFile(new URL("deno.lock", root)));
const locked = new Set(Object.keys(lock.specifiers ?? {}));
const inLock = packages.filter((p) => locked.has(p));
const outside = packages.filter((p) => !locked.has(p));
let ok = true;
if (inLock.length > 0) ok = await cache(inLock) && ok;
if (outside.length > 0) ok = await cache(["--no-lock", ...outside]) && ok;
// The module graph of the suite itself (local files and literal imports).
ok = await cache(["main.ts"]) && ok;
// The Node releases the npm package and the single executable are tested under.
ok = await installNodeRuntimes() && ok;
console.log(ok ? `cached ${packages.length} npm packages` : "prefetch failed");
Deno.exitCode = ok ? 0 : 1;
