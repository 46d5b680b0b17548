/**
 * The plugin runner as a file a sandboxed child can open, for builds that carry it only as
 * text: the `deno compile` binary (its files live in the binary's virtual file system), the
 * Node single executable (one bundled script), the npm package (JavaScript only) and JSR
 * (remote modules).
 *
 * The runner is the child's main module and the one piece of the sandbox the plugin does
 * not control, so the file is written into a fresh folder only this user can enter (0700),
 * with mode 0600 and a name that carries its SHA-256, and it is read back and hashed against
 * the embedded copy before every child start: a file that was changed, swapped or had its
 * mode widened is replaced, and one that still does not match after that is refused.
 *
 * @module
 */
import {
  fileInfo,
  makePrivateTempDir,
  readFile,
  removeTree,
  writeFileAtomic,
} from "../runtime/mod.ts";
import { RUNNER_SOURCE } from "./runner_source.ts";

/** Where a sandbox finds its runner before each start. */
export interface RunnerFile {
  /** The verified path, written or rewritten as needed; rejects when it cannot be trusted. */
  path(): Promise<string>;
  /** Remove the private folder (nothing to do for a runner that was already on disk). */
  dispose(): Promise<void>;
}

/**
 * A runner that is already a file (running from source): used as it is.
 *
 * @example
 * ```ts
 * import { runnerOnDisk } from "./runner_file.ts";
 * if (await runnerOnDisk("/src/plugin/_runner.ts").path() !== "/src/plugin/_runner.ts") {
 *   throw new Error("as given");
 * }
 * ```
 */
export function runnerOnDisk(path: string): RunnerFile {
  return { path: () => Promise.resolve(path), dispose: () => Promise.resolve() };
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Materialise `source` (default: the embedded runner) into a private temp file.
 *
 * @param source Runner text; tests pass their own.
 * @param parent Folder to create the private folder in (default: the system's temp folder).
 * @returns A {@linkcode RunnerFile} whose `path()` verifies before it answers.
 *
 * @example
 * ```ts ignore
 * const runner = materialisedRunner();
 * const path = await runner.path(); // .../haechi-runner-XXXX/runner-<sha256>.ts, 0600
 * await runner.dispose();
 * ```
 */
export function materialisedRunner(
  source: string = RUNNER_SOURCE,
  parent?: string,
): RunnerFile {
  const bytes = new TextEncoder().encode(source);
  let digest: Promise<string> | null = null;
  let dir: Promise<string> | null = null;
  const intact = async (path: string, want: string): Promise<boolean> => {
    const info = await fileInfo(path);
    if (info === null || info.size !== bytes.length) return false;
    // Windows reports no mode; the folder's ACL is what protects the file there.
    if (info.mode !== null && (info.mode & 0o777) !== 0o600) return false;
    return await sha256Hex(await readFile(path)) === want;
  };
  const path = async (): Promise<string> => {
    const want = await (digest ??= sha256Hex(bytes));
    const folder = await (dir ??= makePrivateTempDir("haechi-runner-", parent));
    const info = await fileInfo(folder);
    if (info === null) {
      dir = null;
      return await path();
    }
    if (info.mode !== null && (info.mode & 0o777) !== 0o700) {
      throw new Error("The plugin runner folder is no longer private (mode is not 0700)");
    }
    const file = `${folder}/runner-${want}.ts`;
    if (await intact(file, want)) return file;
    // Missing (first start, or removed by a temp cleaner) or not the embedded copy:
    // written again through a new file renamed into place, then checked once more.
    await writeFileAtomic(file, source, { mode: 0o600 });
    if (!await intact(file, want)) {
      throw new Error("The plugin runner file does not match the embedded copy");
    }
    return file;
  };
  return {
    path,
    async dispose() {
      if (dir === null) return;
      const folder = await dir.catch(() => null);
      dir = null;
      if (folder !== null) await removeTree(folder);
    },
  };
}
