/**
 * docs/operations.md stays true: every JSON block loads through the config loader, and every
 * `haechi <command>` it names is a command the CLI registers.
 */
import { loadConfig } from "../../src/config/mod.ts";
import { COMMANDS } from "../../src/cli/mod.ts";
import { assert, assertEquals } from "../assert.ts";

const DOC = new URL("../../docs/operations.md", import.meta.url);

function fencedBlocks(text: string, lang: string): string[] {
  const re = new RegExp("^```" + lang + "\\n([\\s\\S]*?)^```", "gm");
  return [...text.matchAll(re)].map((m) => m[1]);
}

/** Command names where `haechi` is the program run: line start, after sudo -u, a path or a backtick. */
function namedCommands(text: string): Set<string> {
  const re = /(?:^|&&\s*|\bsudo -u haechi\s+|\/usr\/bin\/|`)haechi ([a-z][a-z0-9-]*)/gm;
  return new Set([...text.matchAll(re)].map((m) => m[1]));
}

Deno.test("every json block in docs/operations.md loads through the config loader", async () => {
  const text = await Deno.readTextFile(DOC);
  const blocks = fencedBlocks(text, "json");
  assert(blocks.length >= 3, `expected the doc's config examples, found ${blocks.length}`);
  const dir = await Deno.makeTempDir();
  try {
    for (const [i, block] of blocks.entries()) {
      const path = `${dir}/block-${i}.json`;
      await Deno.writeTextFile(path, block);
      const config = await loadConfig({ path, env: {} });
      assertEquals(config.configVersion, 1, `block ${i}`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("every haechi command named in docs/operations.md is registered in the CLI", async () => {
  const text = await Deno.readTextFile(DOC);
  const named = namedCommands(text);
  const known = new Set(COMMANDS.map((c) => c.name));
  for (const required of ["proxy", "init", "auth", "audit-verify", "keys", "status", "config"]) {
    assert(named.has(required), `the doc should name haechi ${required}`);
  }
  const unknown = [...named].filter((n) => !known.has(n));
  assertEquals(unknown, [], `commands the CLI does not register: ${unknown.join(", ")}`);
});
