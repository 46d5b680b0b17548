/**
 * The shape of `src/`, checked: which folder may import which, and how long a file may grow.
 *
 * The README promises that dependencies point inward (detect ← policy ← protect ←
 * proxy/mcp/cli) and that each folder is entered through its `mod.ts`. Nothing in the
 * compiler keeps that promise, so this test reads every import in `src/` and fails with the
 * offending file and import when a change breaks it. Inside a folder, files import each other
 * directly.
 */
import { assertEquals } from "./assert.ts";

const SRC = new URL("../src/", import.meta.url);

/** One import statement between two files of `src/` (paths relative to `src/`). */
interface Edge {
  readonly file: string;
  readonly target: string;
  readonly from: string;
  readonly to: string;
}

/** The folder a `src/` path belongs to; files at the top of `src/` belong to `(root)`. */
function folderOf(path: string): string {
  const slash = path.indexOf("/");
  return slash < 0 ? "(root)" : path.slice(0, slash);
}

async function listSources(dir: URL, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const path = prefix + entry.name;
    if (entry.isDirectory) {
      out.push(...await listSources(new URL(`${entry.name}/`, dir), `${path}/`));
    } else if (entry.isFile && entry.name.endsWith(".ts")) out.push(path);
  }
  return out.sort();
}

// `from "x"`, `import "x"`, `import("x")`; lines inside comments (doc `@example`s) are skipped,
// since they are imports of the doc test, not of the module.
const SPECIFIER = /(?:\bfrom|\bimport)\s*\(?\s*["']([^"']+)["']/g;

/** Relative specifiers imported by a source text. */
function specifiersOf(text: string): string[] {
  const out: string[] = [];
  let inBlock = false;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (inBlock) {
      if (line.includes("*/")) inBlock = false;
      continue;
    }
    if (line.startsWith("//") || line.startsWith("*")) continue;
    if (line.startsWith("/*")) {
      inBlock = !line.includes("*/");
      continue;
    }
    for (const m of line.matchAll(SPECIFIER)) {
      if (m[1].startsWith(".")) out.push(m[1]);
    }
  }
  return out;
}

interface Tree {
  readonly lines: ReadonlyMap<string, number>;
  readonly edges: readonly Edge[];
}

async function readTree(): Promise<Tree> {
  const lines = new Map<string, number>();
  const edges: Edge[] = [];
  for (const file of await listSources(SRC)) {
    const text = await Deno.readTextFile(new URL(file, SRC));
    lines.set(file, text.split("\n").length - (text.endsWith("\n") ? 1 : 0));
    for (const spec of specifiersOf(text)) {
      const url = new URL(spec, new URL(file, SRC)).href;
      if (!url.startsWith(SRC.href)) continue;
      const target = url.slice(SRC.href.length);
      const [from, to] = [folderOf(file), folderOf(target)];
      if (from !== to) edges.push({ file, target, from, to });
    }
  }
  return { lines, edges };
}

const tree = await readTree();

function describe(edges: readonly Edge[]): string {
  return edges.map((e) => `  src/${e.file} imports src/${e.target}`).join("\n");
}

/** Folders that a folder must never import, with the reason. */
const NEVER: readonly { from: readonly string[]; to: readonly string[]; why: string }[] = [
  {
    from: ["detect"],
    to: ["policy", "protect", "proxy", "mcp", "cli"],
    why: "detection is the innermost layer",
  },
  {
    from: ["policy"],
    to: ["protect", "proxy", "mcp", "cli"],
    why: "policy sits under protection",
  },
  { from: ["protect"], to: ["proxy", "mcp", "cli"], why: "protection sits under the front ends" },
  {
    from: ["config", "audit", "vault", "stream"],
    to: ["proxy", "mcp", "cli", "session", "plugin"],
    why: "building blocks never reach up to the front ends or the wiring",
  },
  {
    from: ["plugin"],
    to: ["cli", "session", "audit", "stream"],
    why: "plugins are run by the gateway; they do not drive it",
  },
  {
    from: ["policy"],
    to: ["runtime"],
    why: "policy does no I/O: the caller (config, session, cli) loads files",
  },
  { from: ["audit"], to: ["stream"], why: "the audit log reads lines through runtime/" },
  {
    from: ["config"],
    to: ["policy"],
    why: "policy compiles a config, so config (with the action vocabulary) sits under it",
  },
  {
    from: ["protect"],
    to: ["stream", "protocols", "vault"],
    why: "stream framing and the vault build on protection (the vault implements its " +
      "reversible port), never the other way round",
  },
  {
    from: ["signing"],
    to: ["audit", "config", "plugin", "policy", "runtime"],
    why: "signing is a pure building block that plugin/, policy/ and audit/ share",
  },
];

Deno.test("no folder of src/ imports a folder it must never reach", () => {
  const broken: string[] = [];
  for (const rule of NEVER) {
    const bad = tree.edges.filter((e) => rule.from.includes(e.from) && rule.to.includes(e.to));
    if (bad.length > 0) broken.push(`${rule.why}:\n${describe(bad)}`);
  }
  assertEquals(broken, [], `\n${broken.join("\n")}`);
});

/** Strongly connected groups of folders (Tarjan), each with more than one folder. */
function cycles(edges: readonly Edge[]): string[][] {
  const next = new Map<string, Set<string>>();
  for (const e of edges) {
    if (!next.has(e.from)) next.set(e.from, new Set());
    if (!next.has(e.to)) next.set(e.to, new Set());
    next.get(e.from)!.add(e.to);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1) groups.push(group.sort());
    }
  };
  for (const v of [...next.keys()].sort()) if (!index.has(v)) visit(v);
  return groups;
}

Deno.test("the folders of src/ import each other without a cycle", () => {
  const found = cycles(tree.edges).map((group) => {
    const inside = tree.edges.filter((e) => group.includes(e.from) && group.includes(e.to));
    return `cycle through ${group.join(", ")}:\n${describe(inside)}`;
  });
  assertEquals(found, [], `\n${found.join("\n")}`);
});

Deno.test("no file in src/ is longer than 600 lines", () => {
  const long = [...tree.lines].filter(([, n]) => n > 600).map(([f, n]) => `src/${f}: ${n} lines`);
  assertEquals(long, [], `split these by concern:\n${long.join("\n")}`);
});

Deno.test("the import reader sees static, type-only, re-export and dynamic imports", () => {
  const text = [
    'import { a } from "./a.ts";',
    'import type { B } from "../b/b.ts";',
    'export * from "./c.ts";',
    "const d = await import('./d.ts');",
    'import "./e.ts";',
    ' * import { notMe } from "../x/doc.ts";',
    '// import { notMe } from "../x/comment.ts";',
    'import { ok } from "npm:ok";',
  ].join("\n");
  assertEquals(specifiersOf(text), ["./a.ts", "../b/b.ts", "./c.ts", "./d.ts", "./e.ts"]);
});

Deno.test("the README's layout table names every folder of src/ and no other", async () => {
  const readme = await Deno.readTextFile(new URL("../README.md", import.meta.url));
  const listed = [...readme.matchAll(/^\| `src\/([a-z_]+)`/gm)].map((m) => m[1]).sort();
  const folders: string[] = [];
  for await (const entry of Deno.readDir(SRC)) if (entry.isDirectory) folders.push(entry.name);
  assertEquals(listed, folders.sort(), "update the Layout table in README.md");
});

Deno.test("every folder of src/ has a mod.ts that opens with a @module doc", async () => {
  const missing: string[] = [];
  for await (const entry of Deno.readDir(SRC)) {
    if (!entry.isDirectory) continue;
    let text = "";
    try {
      text = await Deno.readTextFile(new URL(`${entry.name}/mod.ts`, SRC));
    } catch {
      // reported below
    }
    if (!text.startsWith("/**") || !text.includes("@module")) {
      missing.push(`src/${entry.name}/mod.ts`);
    }
  }
  assertEquals(missing.sort(), [], "each folder documents its public API in mod.ts");
});

Deno.test("imports from outside a folder go through its mod.ts", () => {
  const bad = tree.edges.filter((e) => e.to !== "(root)" && e.target !== `${e.to}/mod.ts`);
  assertEquals(
    bad.map((e) => `src/${e.file} imports src/${e.target}`),
    [],
    `import these through the folder's mod.ts (export the name there if needed):\n${describe(bad)}`,
  );
});
