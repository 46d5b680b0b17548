// Shared rig for the official-SDK end-to-end tests: a recording mock upstream on a real
// port, the gateway on a real port in front of it, the four values every test sends, and
// a fetch that keeps a copy of every byte the SDK received.
import { assert, assertStringIncludes } from "../assert.ts";
import {
  createMockUpstream,
  type MockUpstream,
  type MockUpstreamOptions,
} from "../../scripts/mock_upstream.ts";
import { type StartedGateway, startGateway } from "../../src/proxy/open.ts";
import { serveHttp } from "../../src/runtime/serve.ts";
import { type ConfigPatch, testConfig } from "./_setup.ts";

/** The real fetch, kept so a test may stand the recording fetch in for the global one. */
const realFetch = globalThis.fetch;

export const EMAIL = "jane.roe@example.org";
export const PHONE = "+1 415 555 0134";
export const API_KEY = "sk-proj-" + "Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh3iJk6l";
export const CARD = "4111 1111 1111 1111";
export const CARD_MASKED = "**** **** **** 1111";
/** The user message every SDK test sends. */
export const PROMPT = `Mail ${EMAIL} or call ${PHONE}; key ${API_KEY}; card ${CARD}.`;
/** Marker for content the mock adds after the protocol's terminator. */
export const AFTER = "AFTER-TERMINATOR-LEAK";

export interface SdkRig {
  readonly up: MockUpstream;
  readonly gw: StartedGateway;
  /** Gateway base URL (`http://127.0.0.1:port`). */
  readonly url: string;
  /** A fetch for the SDK that records every response body it hands over. */
  readonly fetch: typeof fetch;
  /** Everything the SDK received, bodies joined by newlines, once fully read. */
  raw(): Promise<string>;
  close(): Promise<void>;
}

/** Start the mock upstream and the gateway on port 0, loopback. */
export async function sdkRig(
  mock: MockUpstreamOptions = {},
  patch: ConfigPatch = {},
): Promise<SdkRig> {
  const { config, dir } = await testConfig(patch);
  const up = createMockUpstream(mock);
  const upSrv = await serveHttp(up.fetch, { hostname: "127.0.0.1", port: 0 });
  const gw = await startGateway(config, { port: 0, upstream: `http://127.0.0.1:${upSrv.port}` });
  const bodies: Promise<string>[] = [];
  const recording = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const res = await realFetch(input, init);
    // Only the gateway's answers count (the gateway's own upstream calls may pass here
    // when a test stands this in for the global fetch).
    const target = input instanceof Request ? input.url : String(input);
    if (res.body === null || !target.startsWith(gw.url)) return res;
    // One branch for the SDK, one kept whole: the copy is read to the end even when the
    // SDK stops at the terminator, so it shows whatever the gateway actually sent.
    const [mine, copy] = res.body.tee();
    bodies.push(new Response(copy).text());
    return new Response(mine, {
      status: res.status,
      statusText: res.statusText,
      headers: res.headers,
    });
  };
  return {
    up,
    gw,
    url: gw.url,
    fetch: recording as typeof fetch,
    async raw() {
      return (await Promise.all(bodies)).join("\n");
    },
    async close() {
      await gw.close();
      await upSrv.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** (a) The upstream never saw any of the four values, in any request. */
export function assertUpstreamClean(up: MockUpstream): void {
  assert(up.requests.length > 0, "the upstream was called");
  for (const r of up.requests) {
    const seen = r.body + r.search + JSON.stringify(r.headers);
    for (const v of [EMAIL, PHONE, API_KEY, CARD, CARD.replaceAll(" ", "")]) {
      assert(!seen.includes(v), `upstream saw a value in ${r.path}`);
    }
    // JSON may spell `+` or `@` escaped; check the decoded body too.
    if (r.body.startsWith("{")) {
      const decoded = JSON.stringify(JSON.parse(r.body));
      for (const v of [EMAIL, PHONE, API_KEY, CARD]) assert(!decoded.includes(v));
    }
  }
}

/** (b) The caller got its own tokens back, while the key and card stay protected. */
export function assertRestored(text: string): void {
  assertStringIncludes(text, EMAIL);
  assertStringIncludes(text, PHONE);
  assert(!text.includes(API_KEY), "the API key came back");
  assert(!text.includes(CARD), "the card number came back");
  assertStringIncludes(text, "[REDACTED:");
  assertStringIncludes(text, CARD_MASKED);
  assert(!text.includes("[TOKEN:"), "a token was left unrestored");
}

/** (c) Nothing the mock sent after its terminator reached the SDK. */
export function assertNothingAfter(...received: string[]): void {
  for (const r of received) assert(!r.includes(AFTER), "content after the terminator leaked");
}
