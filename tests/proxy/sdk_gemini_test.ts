// End to end with the official Google Gen AI SDK (npm:@google/genai) through the gateway
// to the recording mock upstream: generateContent and generateContentStream (SSE), values
// split across chunks, and nothing of a candidate after its finishReason chunk. The SDK
// runs in a child process (see _gemini_client.ts for why).
import { assert, assertEquals, assertMatch } from "../assert.ts";
import {
  AFTER,
  assertNothingAfter,
  assertRestored,
  assertUpstreamClean,
  PROMPT,
  sdkRig,
} from "./_sdk.ts";

/**
 * Gemini has no terminator event: a candidate's chunk carrying `finishReason` is its end.
 * A chunk for the same candidate after it must not reach the caller.
 */
const AFTER_CHUNK = `data: ${
  JSON.stringify({
    candidates: [{ content: { role: "model", parts: [{ text: AFTER }] }, index: 0 }],
    modelVersion: "mock-model",
  })
}\r\n\r\n`;

interface ClientReport {
  whole: string;
  streamed: string;
  reasons: Array<string | null>;
  totalTokens: number | null;
  embeddingLength: number;
  raw: string;
}

/**
 * Just what the child needs to find Deno's cache, and to reach the npm registry should the
 * package be missing from it (`scripts/prefetch.ts`, `.ci/run`'s install step, caches it):
 * the machine's CA and proxy settings. Nothing that configures the SDK itself.
 */
const CHILD_ENV = [
  "HOME",
  "DENO_DIR",
  "XDG_CACHE_HOME",
  "PATH",
  "DENO_CERT",
  "DENO_TLS_CA_STORE",
  "SSL_CERT_FILE",
  "SSL_CERT_DIR",
  "NPM_CONFIG_REGISTRY",
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY",
  "http_proxy",
  "https_proxy",
  "no_proxy",
];

function cacheEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const k of CHILD_ENV) {
    const v = Deno.env.get(k);
    if (v !== undefined) env[k] = v;
  }
  return env;
}

async function runClient(url: string): Promise<ClientReport> {
  const script = new URL("./_gemini_client.ts", import.meta.url).pathname;
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--no-lock",
      "--quiet",
      "--allow-net=127.0.0.1",
      "--allow-env",
      "--allow-read",
      script,
      url,
      PROMPT,
    ],
    // No ambient Google credentials or project settings reach the SDK.
    clearEnv: true,
    env: cacheEnv(),
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert(out.success, `the Gemini client failed: ${stderr.slice(-2000)}`);
  return JSON.parse(new TextDecoder().decode(out.stdout).trim().split("\n").at(-1)!);
}

Deno.test("Gemini SDK generateContent, generateContentStream, countTokens and embedContent: no value upstream, tokens restored, nothing after finishReason", async () => {
  const r = await sdkRig({ chunkSize: 3, afterTerminator: AFTER_CHUNK });
  try {
    const report = await runClient(r.url);
    // (a) the upstream never saw a value, in any of the four calls.
    assertUpstreamClean(r.up);
    assertEquals(r.up.requests.length, 4);
    assertMatch(r.up.requests[0].path, /^\/v1(beta)?\/models\/mock-model:generateContent$/);
    assertEquals(r.up.requests[1].search, "?alt=sse");
    // (b) the caller got its email and phone back; key and card stay protected, also when
    // the values were split across 3-character chunks.
    assertRestored(report.whole);
    assertRestored(report.streamed);
    // (c) the finishing chunk is the last one the SDK saw, and the late chunk never came.
    assertEquals(report.reasons.at(-1), "STOP");
    assertEquals(report.reasons.filter((x) => x !== null).length, 1);
    assertNothingAfter(report.streamed, report.raw);
    assertEquals(report.totalTokens, 7);
    assert(report.embeddingLength > 0, "an embedding came back");
  } finally {
    await r.close();
  }
});
