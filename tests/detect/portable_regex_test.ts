/**
 * Rule patterns use only regular-expression syntax that Node 22 understands, so the npm
 * build loads the same rule table: no modifier groups (`(?i:…)`, `(?-i:…)`) and no named
 * group repeated across alternatives (both arrived after the V8 in Node 22).
 */
import { BUILTIN_RULES } from "../../src/detect/rules/mod.ts";
import { caseless, exactWord, nearKeyword } from "../../src/detect/rules/_id_patterns.ts";
import { assert, assertEquals, assertThrows } from "../assert.ts";

/** `(?` followed by flag letters and an optional `-flags` part, then `:`. */
const MODIFIER_GROUP = /\(\?[a-zA-Z]*-?[a-zA-Z]+:/;

function duplicateNamedGroups(source: string): string[] {
  const names = [...source.matchAll(/\(\?<([A-Za-z_$][\w$]*)>/g)].map((m) => m[1]);
  return names.filter((n, i) => names.indexOf(n) !== i);
}

Deno.test("no built-in rule pattern uses a modifier group or a repeated group name", () => {
  const offenders = BUILTIN_RULES.filter((r) =>
    MODIFIER_GROUP.test(r.pattern.source) || duplicateNamedGroups(r.pattern.source).length > 0
  ).map((r) => r.id);
  assertEquals(offenders, []);
});

Deno.test("no source file under src/ spells a modifier group", async () => {
  const root = new URL("../../src/", import.meta.url);
  const offenders: string[] = [];
  async function walk(dir: URL): Promise<void> {
    for await (const e of Deno.readDir(dir)) {
      const url = new URL(e.name + (e.isDirectory ? "/" : ""), dir);
      if (e.isDirectory) await walk(url);
      else if (e.name.endsWith(".ts") && /\(\?-?i:/.test(await Deno.readTextFile(url))) {
        offenders.push(url.pathname);
      }
    }
  }
  await walk(root);
  assertEquals(offenders, []);
});

Deno.test("the pattern check itself recognises modifier groups", () => {
  assert(MODIFIER_GROUP.test("(?-i:SIN)") && MODIFIER_GROUP.test("(?i:x)"));
  assert(MODIFIER_GROUP.test("(?ims-s:x)"));
  assert(!MODIFIER_GROUP.test("(?:x)(?=y)(?!z)(?<=a)(?<!b)(?<name>c)"));
  assertEquals(duplicateNamedGroups("(?<y>a)|(?<y>b)"), ["y"]);
});

Deno.test("every rule pattern compiles under the node on PATH, when there is one", async (t) => {
  let node: Deno.CommandOutput | null = null;
  const table = JSON.stringify(
    BUILTIN_RULES.map((r) => ({ id: r.id, source: r.pattern.source, flags: r.pattern.flags })),
  );
  const script = `let bad = [];
for (const r of JSON.parse(require("fs").readFileSync(0, "utf8"))) {
  try { new RegExp(r.source, r.flags); } catch (e) { bad.push(r.id + ": " + e.message); }
}
console.log(JSON.stringify({ version: process.versions.node, bad }));`;
  try {
    const child = new Deno.Command("node", {
      args: ["-e", script],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(table));
    await w.close();
    node = await child.output();
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
  if (node === null) {
    await t.step({ name: "skipped: no node on PATH", ignore: true, fn: () => {} });
    return;
  }
  assertEquals(node.code, 0, new TextDecoder().decode(node.stderr));
  const { version, bad } = JSON.parse(new TextDecoder().decode(node.stdout));
  // Node 20 is older than 22, so what it compiles Node 22 compiles too.
  assert(Number(version.split(".")[0]) >= 20, `node ${version} is older than the npm floor`);
  assertEquals(bad, []);
});

Deno.test("SIN/NAS after the number counts only in capitals", () => {
  const re = nearKeyword(String.raw`\d{9}`, ["sin"], [exactWord("SIN|NAS"), "assurance sociale"]);
  assert(!re.flags.includes("i"));
  assert(re.test("130692544 (SIN)"));
  assert(!re.test("Pedido 130692544 sin confirmar"));
  assert(re.test("Sin 130692544"), "before the number the keyword still ignores case");
  assert(re.test("130692544 Assurance Sociale"));
});

Deno.test("caseless spells out both cases and refuses syntax it cannot rewrite", () => {
  assertEquals(caseless("(?<![a-z])(?:nir)"), "(?<![a-zA-Z])(?:[nN][iI][rR])");
  assertEquals(caseless(String.raw`n[°o]\.? ?de`), String.raw`[nN][°oO]\.? ?[dD][eE]`);
  assertEquals(caseless("주민 ?번호"), "주민 ?번호");
  assertThrows(() => caseless(String.raw`\p{L}`), TypeError);
  assertThrows(() => caseless("(?<name>x)"), TypeError);
});
