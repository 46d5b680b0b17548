/**
 * `deno task build:npm`: the npm package `haechi` in `dist/npm`, for Node ≥ 22.13.
 *
 * Built from the same sources as the Deno CLI and the JSR package:
 * - every `.ts` under `src/`, plus `main.ts` and `mod.ts`, becomes ESM JavaScript and a
 *   `.d.ts` beside it (the `typescript` npm package, used here at build time only: its
 *   per-file transpiler and declaration emitter, no type check, which `deno check` does);
 * - where `src/runtime/X.node.ts` exists it replaces `src/runtime/X.ts`, so the runtime
 *   layer is the only code that differs between the two builds;
 * - relative `.ts` specifiers become `.js`; `npm:name@version` becomes `name`, listed as an
 *   optional peer dependency (Redis is loaded only when a config names it), so the package
 *   has no runtime dependencies;
 * - `bin/haechi.js` is the executable.
 *
 * ```sh
 * deno task build:npm [--out dist/npm]
 * cd dist/npm && npm pack
 * ```
 *
 * @module
 */
// deno-lint-ignore no-import-prefix
import ts from "npm:typescript@5.9.3";
import { VERSION } from "../src/version.ts";

const ROOT = new URL("../", import.meta.url);

/** The lowest Node the package supports: `node:sqlite` without a flag came in 22.13. */
export const NODE_ENGINE = ">=22.13.0";

/** Runtime files that have a Node twin (`X.node.ts` beside `X.ts`). */
const NODE_SUFFIX = ".node.ts";

/**
 * Rewrite import specifiers for Node: relative `.ts` to `.js`, `npm:name@version/sub` to
 * `name/sub`. Collects the npm package names it met into `npm`.
 *
 * @example
 * ```ts
 * import { rewriteSpecifiers } from "./build_npm.ts";
 * const seen = new Set<string>();
 * const out = rewriteSpecifiers(`import a from "./a.ts"; await import("npm:redis@4.7.0");`, seen);
 * if (out !== `import a from "./a.js"; await import("redis");`) throw new Error(out);
 * if (!seen.has("redis")) throw new Error("peer");
 * ```
 */
export function rewriteSpecifiers(source: string, npm: Set<string>): string {
  return source
    .replace(/(["'])(\.\.?\/[^"'\s]*?)\.ts\1/g, "$1$2.js$1")
    .replace(
      /(["'])npm:((?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*)@[^/"'\s]+(\/[^"'\s]*)?\1/g,
      (_m, q: string, name: string, sub: string | undefined) => {
        npm.add(name);
        return `${q}${name}${sub ?? ""}${q}`;
      },
    );
}

/**
 * Drop `if (import.meta.main) …` entry lines: the npm package runs through `bin/haechi.js`,
 * and a top-level await would keep a bundler from producing the CommonJS a Node
 * single-executable needs.
 */
function dropMainGuard(source: string): string {
  return source.replace(/^if \(import\.meta\.main\)[^\n]*\n/gm, "");
}

async function listSources(): Promise<string[]> {
  const out = ["main.ts", "mod.ts"];
  const walk = async (dir: string) => {
    for await (const e of Deno.readDir(new URL(dir, ROOT))) {
      const rel = `${dir}${e.name}`;
      if (e.isDirectory) await walk(`${rel}/`);
      else if (e.name.endsWith(".ts") && !e.name.endsWith(NODE_SUFFIX)) out.push(rel);
    }
  };
  await walk("src/");
  return out.sort();
}

const BIN = `#!/usr/bin/env node
// haechi for Node. node:sqlite prints an ExperimentalWarning on first use in some Node
// versions; it says nothing about haechi and would land in every command's stderr.
const emitWarning = process.emitWarning;
process.emitWarning = function (warning, ...rest) {
  const type = typeof rest[0] === "string" ? rest[0] : rest[0]?.type;
  if (type === "ExperimentalWarning" && /SQLite/i.test(String(warning))) return;
  return emitWarning.call(process, warning, ...rest);
};
const { main } = await import("../main.js");
await main(process.argv.slice(2));
`;

/** What {@linkcode buildNpm} produced. */
export interface NpmBuild {
  /** The package folder. */
  readonly out: string;
  /** JavaScript modules written. */
  readonly modules: number;
  /** Files whose declarations needed inference the per-file emitter cannot do. */
  readonly declarationWarnings: number;
  /** Optional peer dependencies (npm packages loaded only when configured). */
  readonly peers: readonly string[];
}

/**
 * Build the npm package into `out` (replacing it).
 *
 * @param out Output folder, absolute or relative to the repository root.
 */
export async function buildNpm(out = "dist/npm"): Promise<NpmBuild> {
  const outUrl = new URL(out.endsWith("/") ? out : `${out}/`, ROOT);
  await Deno.remove(outUrl, { recursive: true }).catch(() => {});
  const npm = new Set<string>();
  const compilerOptions: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    declaration: true,
    isolatedModules: true,
    removeComments: false,
  };
  let modules = 0;
  let declarationWarnings = 0;
  const sources = new Map<string, string>();
  for (const rel of await listSources()) {
    const twin = rel.replace(/\.ts$/, NODE_SUFFIX);
    const from = await Deno.stat(new URL(twin, ROOT)).then(() => twin, () => rel);
    sources.set(rel, await Deno.readTextFile(new URL(from, ROOT)));
  }
  const excluded = denoOnlyRuntime(sources);
  for (const [rel, text] of sources) {
    // The plugin runner reaches a child as the text in runner_source.ts, never as a module.
    if (excluded.has(rel) || rel === "src/plugin/_runner.ts") continue;
    const source = rewriteSpecifiers(dropMainGuard(text), npm);
    const js = ts.transpileModule(source, { compilerOptions, fileName: rel }).outputText;
    const dts = ts.transpileDeclaration(source, { compilerOptions, fileName: rel });
    if ((dts.diagnostics?.length ?? 0) > 0) declarationWarnings++;
    const target = new URL(rel.replace(/\.ts$/, ".js"), outUrl);
    await Deno.mkdir(new URL("./", target), { recursive: true });
    await Deno.writeTextFile(target, js);
    await Deno.writeTextFile(new URL(rel.replace(/\.ts$/, ".d.ts"), outUrl), dts.outputText);
    modules++;
  }
  await Deno.mkdir(new URL("bin/", outUrl), { recursive: true });
  await Deno.writeTextFile(new URL("bin/haechi.js", outUrl), BIN, { mode: 0o755 });
  for (const f of ["LICENSE", "NOTICE", "README.md"]) {
    await Deno.copyFile(new URL(f, ROOT), new URL(f, outUrl));
  }
  const peers = [...npm].sort();
  const versions = peerVersions(await listSpecifiers());
  const pkg = {
    name: "haechi",
    version: VERSION,
    description:
      "Privacy gateway for LLM and MCP traffic: redacts, masks, tokenizes, encrypts or blocks secrets and personal data before they leave",
    license: "Apache-2.0",
    type: "module",
    bin: { haechi: "bin/haechi.js" },
    exports: {
      ".": { types: "./mod.d.ts", default: "./mod.js" },
      "./cli": { types: "./main.d.ts", default: "./main.js" },
    },
    types: "./mod.d.ts",
    engines: { node: NODE_ENGINE },
    files: ["bin/", "src/", "main.js", "main.d.ts", "mod.js", "mod.d.ts", "NOTICE"],
    keywords: ["privacy", "pii", "redaction", "llm", "mcp", "gateway", "proxy", "openai"],
    peerDependencies: Object.fromEntries(peers.map((p) => [p, versions.get(p) ?? "*"])),
    peerDependenciesMeta: Object.fromEntries(peers.map((p) => [p, { optional: true }])),
  };
  await Deno.writeTextFile(new URL("package.json", outUrl), JSON.stringify(pkg, null, 2) + "\n");
  return { out: outUrl.pathname, modules, declarationWarnings, peers };
}

/**
 * Runtime files only the Deno build uses: under `src/runtime/`, without a Node twin, and
 * imported by no module of the Node build (e.g. `head_guard.ts`, which only the Deno
 * `serve.ts` imports). Left out of the package rather than shipped as dead code.
 *
 * @param sources Each module's path and the text the Node build compiles (twins applied).
 *
 * @example
 * ```ts
 * import { denoOnlyRuntime } from "./build_npm.ts";
 * const out = denoOnlyRuntime(new Map([
 *   ["main.ts", 'import "./src/runtime/mod.ts";'],
 *   ["src/runtime/mod.ts", ""],
 *   ["src/runtime/guard.ts", ""],
 * ]));
 * if ([...out].join() !== "src/runtime/guard.ts") throw new Error([...out].join());
 * ```
 */
export function denoOnlyRuntime(sources: ReadonlyMap<string, string>): Set<string> {
  const imported = new Set<string>();
  for (const [rel, text] of sources) {
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*["'](\.\.?\/[^"']+\.ts)["']/g)) {
      imported.add(new URL(m[1], `file:///${rel}`).pathname.slice(1));
    }
  }
  const out = new Set<string>();
  for (const rel of sources.keys()) {
    if (rel.startsWith("src/runtime/") && !imported.has(rel)) out.add(rel);
  }
  return out;
}

/** The `npm:name@version` specifiers in the sources, to pin peer dependency ranges. */
async function listSpecifiers(): Promise<string[]> {
  const found: string[] = [];
  for (const rel of await listSources()) {
    const text = await Deno.readTextFile(new URL(rel, ROOT));
    for (const m of text.matchAll(/npm:((?:@[\w.-]+\/)?[\w.-]+@[\w.^~<>=-]+)/g)) found.push(m[1]);
  }
  return found;
}

function peerVersions(specifiers: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of specifiers) {
    const at = s.lastIndexOf("@");
    if (at > 0) out.set(s.slice(0, at), `^${s.slice(at + 1)}`);
  }
  return out;
}

if (import.meta.main) {
  const i = Deno.args.indexOf("--out");
  const started = performance.now();
  const b = await buildNpm(i >= 0 ? Deno.args[i + 1] : undefined);
  console.log(
    `built ${b.out}: ${b.modules} modules, optional peers [${b.peers.join(", ")}], ` +
      `${b.declarationWarnings} files with inferred declarations, ` +
      `${Math.round(performance.now() - started)} ms`,
  );
}

/** What {@linkcode buildNodeTests} wrote. */
export interface NodeTests {
  /** Test files (relative to the repository) that run on Node. */
  readonly included: readonly string[];
  /** Test files left out, each with why. */
  readonly excluded: readonly { file: string; why: string }[];
  /** The script that runs them all with `node:test`. */
  readonly runner: string;
}

/**
 * Unit tests whose assertion depends on a runtime difference outside haechi, by name, with
 * the difference. They are reported as skipped under Node, with this reason.
 */
export const NODE_DIFFERENCES: Readonly<Record<string, string>> = {
  "a decompression bomb stops at the cap with payload.too_large":
    "Node's pipeThrough has not yet cancelled the source when the cap error surfaces; " +
    "the payload.too_large refusal itself is the same",
};

const DENO_TEST_SHIM = `// Deno.test on node:test, for the unit tests that run under Node.
import { test } from "node:test";
const DIFFERENCES = ${JSON.stringify(NODE_DIFFERENCES)};
function norm(a, b, c) {
  if (typeof a === "function") return { name: a.name, fn: a };
  if (typeof a === "object") return { ...a, ...(typeof b === "function" ? { fn: b } : {}) };
  if (typeof b === "function") return { name: a, fn: b };
  return { name: a, ...b, fn: c };
}
function context(ctx, name) {
  return {
    name,
    step(a, b, c) {
      const o = norm(a, b, c);
      return ctx.test(o.name, { skip: o.ignore === true }, (inner) => o.fn(context(inner, o.name)))
        .then(() => true);
    },
  };
}
globalThis.Deno = {
  test(a, b, c) {
    const o = norm(a, b, c);
    const skip = DIFFERENCES[o.name] ?? o.ignore === true;
    test(o.name, { skip }, (ctx) => o.fn(context(ctx, o.name)));
  },
};
`;

/**
 * Transpile the unit tests that can run on Node into `pkgDir/tests/` (beside the built
 * `src/`): those whose test file and local helpers use no Deno API but `Deno.test`, and
 * load no `npm:` or `jsr:` module. `Deno.test` runs on `node:test` through a small shim.
 */
export async function buildNodeTests(pkgDir: string): Promise<NodeTests> {
  const root = ROOT.pathname;
  const files: string[] = [];
  const walk = async (dir: string) => {
    for await (const e of Deno.readDir(`${root}${dir}`)) {
      if (e.isDirectory) await walk(`${dir}${e.name}/`);
      else if (e.name.endsWith("_test.ts")) files.push(`${dir}${e.name}`);
    }
  };
  await walk("tests/");
  files.sort();
  const portable = new Map<string, string | null>();
  /** Why `rel` (a tests/ file) cannot run on Node, or null; follows its local imports. */
  const check = async (rel: string, seen: Set<string>): Promise<string | null> => {
    if (portable.has(rel)) return portable.get(rel)!;
    if (seen.has(rel)) return null;
    seen.add(rel);
    const text = await Deno.readTextFile(`${root}${rel}`);
    const code = text.replace(/Deno\.test\b|Deno\.TestContext\b/g, "");
    let why: string | null = /\bDeno\./.test(code)
      ? "uses Deno APIs"
      : /["'](npm|jsr):/.test(text)
      ? "loads npm: modules"
      : null;
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*["'](\.\.?\/[^"']+)["']/g)) {
      if (why !== null) break;
      const target = new URL(m[1], `file://${root}${rel}`).pathname.slice(root.length);
      if (target.startsWith("src/")) continue;
      if (!target.startsWith("tests/") || !target.endsWith(".ts")) {
        why = `imports ${target}`;
        break;
      }
      const inner = await check(target, seen);
      if (inner !== null) why = `${target} ${inner}`;
    }
    portable.set(rel, why);
    return why;
  };
  const included: string[] = [];
  const excluded: { file: string; why: string }[] = [];
  for (const f of files) {
    const why = await check(f, new Set());
    if (why === null) included.push(f);
    else excluded.push({ file: f, why });
  }
  const npm = new Set<string>();
  const compilerOptions: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    isolatedModules: true,
  };
  for (const [rel, why] of portable) {
    if (why !== null) continue;
    const source = rewriteSpecifiers(await Deno.readTextFile(`${root}${rel}`), npm);
    const js = ts.transpileModule(source, { compilerOptions, fileName: rel }).outputText;
    const target = `${pkgDir}/${rel.replace(/\.ts$/, ".js")}`;
    await Deno.mkdir(target.slice(0, target.lastIndexOf("/")), { recursive: true });
    await Deno.writeTextFile(target, js);
  }
  await Deno.writeTextFile(`${pkgDir}/tests/_deno_shim.js`, DENO_TEST_SHIM);
  const runner = `${pkgDir}/tests/_run_node.js`;
  await Deno.writeTextFile(
    runner,
    `import "./_deno_shim.js";\n` +
      included.map((f) => `await import(${JSON.stringify(`../${f.replace(/\.ts$/, ".js")}`)});\n`)
        .join(""),
  );
  return { included, excluded, runner };
}
