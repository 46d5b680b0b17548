/**
 * `deno task compile` / `deno task compile:all`: standalone haechi binaries in dist/.
 *
 * `deno compile` downloads the Deno runtime for each target from Deno's servers; where they
 * cannot be reached this exits non-zero with Deno's own message.
 *
 * @module
 */

/** Targets `compile:all` builds, with their binary names. */
export const TARGETS: readonly { target: string; out: string }[] = [
  { target: "x86_64-unknown-linux-gnu", out: "haechi-linux-x64" },
  { target: "aarch64-unknown-linux-gnu", out: "haechi-linux-arm64" },
  { target: "x86_64-apple-darwin", out: "haechi-macos-x64" },
  { target: "aarch64-apple-darwin", out: "haechi-macos-arm64" },
  { target: "x86_64-pc-windows-msvc", out: "haechi-windows-x64.exe" },
];

/**
 * The `deno compile` arguments for one build. Read, write, net, env and run cover the
 * proxy, the vault, the MCP wrapper and plugin children (write also covers the plugin
 * runner's temp file).
 *
 * @example
 * ```ts
 * import { compileArgs } from "./compile.ts";
 * if (!compileArgs("dist/haechi").includes("main.ts")) throw new Error("entry");
 * ```
 */
export function compileArgs(out: string, target?: string): string[] {
  return [
    "compile",
    "--allow-read",
    "--allow-write",
    "--allow-net",
    "--allow-env",
    "--allow-run",
    "--allow-ffi",
    "--allow-sys",
    "--unstable-no-legacy-abort",
    ...(target !== undefined ? ["--target", target] : []),
    // The dashboard verifies the chain in a worker; a worker's entry module is not found by
    // following imports, so it is named here.
    "--include",
    "src/dashboard/chain_worker.ts",
    // The plugin runner needs no --include: the binary carries its text (runner_source.ts,
    // an ordinary import) and writes it to a private, hash-checked temp file for the
    // `deno` child named by plugins.denoPath, since its own files live in a virtual file
    // system no child can open.
    "--output",
    out,
    "main.ts",
  ];
}

if (import.meta.main) {
  const all = Deno.args.includes("--all");
  const builds = all ? TARGETS.map((t) => ({ ...t, out: `dist/${t.out}` })) : [
    { target: undefined, out: "dist/haechi" },
  ];
  let failed = 0;
  for (const b of builds) {
    const { code } = await new Deno.Command(Deno.execPath(), {
      args: compileArgs(b.out, b.target),
      stdout: "inherit",
      stderr: "inherit",
    }).output();
    if (code !== 0) failed++;
    else console.log(`built ${b.out}`);
  }
  Deno.exit(failed === 0 ? 0 : 1);
}
