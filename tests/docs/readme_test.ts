// The README's shell blocks marked `<!-- runnable -->` run as written, in a temporary folder that
// holds only what a clone has (main.ts, src/, deno.json, examples/), so they cannot rot; its
// "point your SDK here" addresses and MCP snippet are checked against the gateway's routes.
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { DEFAULT_CONFIG } from "../../src/config/mod.ts";
import { matchRoute } from "../../src/protocols/mod.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const MARKER = "<!-- runnable -->";

/**
 * The shell blocks that follow a runnable marker (blank lines between them allowed).
 */
export function runnableBlocks(markdown: string): string[] {
  const blocks: string[] = [];
  let at = markdown.indexOf(MARKER);
  while (at !== -1) {
    const rest = markdown.slice(at + MARKER.length);
    const m = /^\s*```(?:sh|bash|shell)\n([\s\S]*?)\n```/.exec(rest);
    if (m === null) throw new Error(`A ${MARKER} marker is not followed by a shell block`);
    blocks.push(m[1]);
    at = markdown.indexOf(MARKER, at + MARKER.length);
  }
  return blocks;
}

Deno.test("a runnable marker picks the shell block after it and nothing else", () => {
  const md = "```sh\nno\n```\n\n<!-- runnable -->\n\n```sh\necho a\necho b\n```\n";
  assertEquals(runnableBlocks(md), ["echo a\necho b"]);
});

Deno.test("the README's runnable blocks run as written and the restore example restores", async () => {
  const readme = await Deno.readTextFile(`${ROOT}README.md`);
  const blocks = runnableBlocks(readme);
  assert(blocks.length >= 1, "the README marks its quick start runnable");
  const request = JSON.parse(await Deno.readTextFile(`${ROOT}examples/request.json`));
  const email = /[\w.]+@[\w.-]+/.exec(request.messages[1].content)![0];
  for (const block of blocks) {
    const dir = await Deno.makeTempDir({ prefix: "haechi-readme-" });
    try {
      for (const name of ["main.ts", "src", "deno.json", "examples"]) {
        await Deno.symlink(`${ROOT}${name}`, `${dir}/${name}`);
      }
      // A copy, so nothing the block runs can rewrite the repository's lock file.
      await Deno.copyFile(`${ROOT}deno.lock`, `${dir}/deno.lock`);
      const env = Object.fromEntries(
        Object.entries(Deno.env.toObject()).filter(([k]) => !k.startsWith("HAECHI_")),
      );
      const out = await new Deno.Command("bash", {
        args: ["-e", "-o", "pipefail", "-c", block],
        cwd: dir,
        env: { ...env, NO_COLOR: "1" },
        clearEnv: true,
        stdout: "piped",
        stderr: "piped",
      }).output();
      const stdout = new TextDecoder().decode(out.stdout);
      const stderr = new TextDecoder().decode(out.stderr);
      assertEquals(out.code, 0, `block failed:\n${block}\n--- stderr:\n${stderr}`);
      if (block.includes("restore --scope")) {
        const protectedText = await Deno.readTextFile(`${dir}/protected.json`);
        assert(!protectedText.includes(email), "protect left the email in place");
        assertStringIncludes(stdout, email, "restore put the email back");
        assertStringIncludes(stderr, "restored 2 token(s)");
        assertStringIncludes(stderr, "left 2 in place (2 other scope");
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }
});

/** The path each SDK appends to its base URL for a chat call. */
const SDK_CALLS: readonly { row: string; protocol: string; path: string }[] = [
  { row: "OpenAI", protocol: "openai", path: "/chat/completions" },
  { row: "Anthropic", protocol: "anthropic", path: "/v1/messages" },
  { row: "Gemini", protocol: "gemini", path: "/v1beta/models/gemini-2.0-flash:generateContent" },
  { row: "Ollama", protocol: "ollama", path: "/api/chat" },
];

Deno.test("every base URL in the README's SDK table reaches that protocol's route on the gateway", async () => {
  const readme = await Deno.readTextFile(`${ROOT}README.md`);
  const defaults = DEFAULT_CONFIG.proxy;
  const gateway = `http://${defaults.host}:${defaults.port}`;
  for (const call of SDK_CALLS) {
    const row = readme.split("\n").find((l) => l.startsWith(`| ${call.row}`));
    assert(row !== undefined, `the SDK table has a ${call.row} row`);
    const bases = [...row.matchAll(/http:\/\/127\.0\.0\.1:11016[^"\s`)]*/g)].map((m) => m[0]);
    assert(bases.length > 0, `${call.row} names the gateway's address`);
    for (const base of bases) {
      assert(base.startsWith(gateway), `${base} is the default listen address`);
      const path = new URL(base).pathname.replace(/\/$/, "") + call.path;
      assertEquals(matchRoute("POST", path)?.protocol.name, call.protocol, `${call.row}: ${path}`);
    }
  }
});

Deno.test("the README's MCP client snippet is JSON and names the gateway's MCP path", async () => {
  const readme = await Deno.readTextFile(`${ROOT}README.md`);
  const block = /```json\n(\{\n {2}"mcpServers"[\s\S]*?)\n```/.exec(readme);
  assert(block !== null, "the README has an mcpServers snippet");
  const servers = JSON.parse(block[1]).mcpServers;
  assertEquals(servers.files.args[0], "mcp-wrap");
  assertEquals(new URL(servers.tickets.url).pathname, DEFAULT_CONFIG.proxy.mcpPath);
});
