/**
 * The Node versions the npm package is tested on, taken from the npm `node` package (which
 * carries the official binary) and kept in a cache folder outside the repository.
 * `scripts/prefetch.ts` installs them; the npm and single-executable tests run them.
 *
 * @module
 */

/** Node releases the npm package is tested under, by major version. */
export const NODE_VERSIONS: Readonly<Record<string, string>> = {
  "22": "22.23.3",
  "24": "24.9.0",
};

/** The cache folder: `HAECHI_NODE_CACHE`, else `$XDG_CACHE_HOME/haechi/node`, else `~/.cache/…`. */
export function nodeCacheDir(): string {
  const explicit = Deno.env.get("HAECHI_NODE_CACHE");
  if (explicit) return explicit;
  const xdg = Deno.env.get("XDG_CACHE_HOME");
  const home = Deno.env.get("HOME") ?? "/tmp";
  return `${xdg ? xdg : `${home}/.cache`}/haechi/node`;
}

/**
 * Path of the `node` binary of `version` in the cache (it may not exist yet).
 *
 * @example
 * ```ts
 * import { nodeBinary } from "./node_runtimes.ts";
 * if (!nodeBinary("22.23.3").endsWith("/22.23.3/node_modules/node/bin/node")) throw new Error();
 * ```
 */
export function nodeBinary(version: string): string {
  return `${nodeCacheDir()}/${version}/node_modules/node/bin/node`;
}

/** Whether `path` is an executable file. */
export function isExecutable(path: string): boolean {
  try {
    const st = Deno.statSync(path);
    return st.isFile && ((st.mode ?? 0o755) & 0o111) !== 0;
  } catch {
    return false;
  }
}

/**
 * Install every version in {@linkcode NODE_VERSIONS} that is missing, with `npm install`
 * (the `node` package's install step fetches the platform binary from the npm registry).
 *
 * @returns Whether all of them are present afterwards.
 */
export async function installNodeRuntimes(): Promise<boolean> {
  let ok = true;
  for (const version of Object.values(NODE_VERSIONS)) {
    if (isExecutable(nodeBinary(version))) continue;
    const prefix = `${nodeCacheDir()}/${version}`;
    console.log(`npm install --prefix ${prefix} node@${version}`);
    await Deno.mkdir(prefix, { recursive: true });
    const { success } = await new Deno.Command("npm", {
      args: ["install", "--prefix", prefix, "--no-audit", "--no-fund", `node@${version}`],
      stdout: "inherit",
      stderr: "inherit",
    }).output().catch(() => ({ success: false }));
    ok = success && isExecutable(nodeBinary(version)) && ok;
  }
  return ok;
}
