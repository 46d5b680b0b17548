// `mcp-wrap --stderr filter` against a real child that writes its stderr in pieces with
// pauses longer than the filter's idle flush: no value gets out whole or in part, and the
// lines around it come through unchanged.
import { assert, assertStringIncludes } from "../assert.ts";
import { tempEnv } from "../cli/_env.ts";
import { denoServer } from "./_servers.ts";
import { startRawWrap } from "./_raw.ts";

const PIECES = new URL("../fixtures/mcp/stderr_pieces.ts", import.meta.url).pathname;
const TOKEN = "ghp_R8cQ2pXv7LmN4tYw9ZsK3bJ6hF1dG5eA0uIo";
const KEY_LINE = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj";

/** Run the scenario through the wrapper; returns the wrapper's stderr. */
async function wrappedStderr(scenario: string): Promise<string> {
  const env = await tempEnv();
  try {
    const w = startRawWrap(env.config, denoServer(PIECES, scenario), {
      flags: ["--stderr", "filter"],
    });
    await w.status;
    await w.close();
    return await w.stderr();
  } finally {
    await env.cleanup();
  }
}

/** Every 8-character piece of `value` that the output holds. */
function leaked(out: string, value: string): string[] {
  const found: string[] = [];
  for (let i = 0; i + 8 <= value.length; i++) {
    if (out.includes(value.slice(i, i + 8))) found.push(value.slice(i, i + 8));
  }
  return found;
}

Deno.test("a token written over short stderr lines with pauses between them never gets out", async () => {
  const out = await wrappedStderr("short-lines");
  assert(leaked(out, TOKEN).length === 0, `leaked ${leaked(out, TOKEN)} in ${out}`);
  assertStringIncludes(out, "starting up\n");
  assertStringIncludes(out, "[REDACTED:github_token]");
  assertStringIncludes(out, "retrying in 5s\n");
});

Deno.test("a carriage return inside a token on stderr does not let it through", async () => {
  const out = await wrappedStderr("carriage-return");
  assert(leaked(out, TOKEN).length === 0, `leaked ${leaked(out, TOKEN)} in ${out}`);
  assertStringIncludes(out, " rejected\n");
  assertStringIncludes(out, "giving up\n");
});

Deno.test("a value at the end of a stderr line leaves the next line's first word alone", async () => {
  const out = await wrappedStderr("run-on");
  assert(!out.includes("jane.doe@example.com"), out);
  assertStringIncludes(out, "notify [REDACTED:email]\n");
  assertStringIncludes(out, "\nhello from the server\n");
  assertStringIncludes(out, "token [REDACTED:github_token]\n");
  assertStringIncludes(out, "\nDone\n");
});

Deno.test("a private key printed slowly line by line on stderr is replaced to its END line", async () => {
  const out = await wrappedStderr("slow-key");
  assert(leaked(out, KEY_LINE + KEY_LINE).length === 0, out);
  assertStringIncludes(out, "loaded key:\n");
  assertStringIncludes(out, "key ok\n");
});
