// Test setup: a temp folder holding keys, vault and audit, a config pointing at it, and a
// gateway over a recording mock upstream (injected fetch, no socket).
import { DEFAULT_CONFIG } from "../../src/config/defaults.ts";
import type { HaechiConfig } from "../../src/config/types.ts";
import {
  createMockUpstream,
  type MockUpstream,
  type MockUpstreamOptions,
} from "../../scripts/mock_upstream.ts";
import { type OpenedGateway, openGateway } from "../../src/proxy/open.ts";

export const EMAIL = "jane.roe@example.org";
export const GITHUB = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8";

export interface Rig {
  readonly gw: OpenedGateway;
  readonly up: MockUpstream;
  readonly config: HaechiConfig;
  readonly dir: string;
  call(path: string, body: unknown, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

export type ConfigPatch = {
  [K in keyof HaechiConfig]?: Partial<HaechiConfig[K]>;
};

export async function testConfig(
  patch: ConfigPatch = {},
): Promise<{ config: HaechiConfig; dir: string }> {
  const dir = await Deno.makeTempDir({ prefix: "haechi-proxy-" });
  const base = DEFAULT_CONFIG;
  const config = {
    ...base,
    ...patch,
    audit: {
      ...base.audit,
      path: `${dir}/audit.jsonl`,
      anchorPath: `${dir}/anchors.jsonl`,
      ...patch.audit,
    },
    keys: { ...base.keys, path: `${dir}/keys.json`, ...patch.keys },
    tokenVault: { ...base.tokenVault, path: `${dir}/vault.db`, ...patch.tokenVault },
    limits: { ...base.limits, ...patch.limits },
    policy: { ...base.policy, ...patch.policy },
    proxy: { ...base.proxy, upstream: "http://upstream.test", ...patch.proxy },
  } as HaechiConfig;
  return { config, dir };
}

export async function rig(
  patch: ConfigPatch = {},
  mock: MockUpstreamOptions = {},
  fetchOverride?: (r: Request) => Promise<Response>,
): Promise<Rig> {
  const { config, dir } = await testConfig(patch);
  const up = createMockUpstream(mock);
  const gw = await openGateway(config, {
    fetch: fetchOverride ?? up.fetch,
    env: { UP_KEY: "Bearer up-secret" },
  });
  return {
    gw,
    up,
    config,
    dir,
    call(path, body, init = {}) {
      return gw.gateway.fetch(
        new Request(`http://gw.test${path}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: typeof body === "string" || body instanceof ReadableStream ||
              body instanceof Uint8Array
            ? body as BodyInit
            : JSON.stringify(body),
          ...init,
        }),
      );
    },
    async close() {
      await gw.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** Read an SSE body into its data payloads. */
export async function sseData(res: Response): Promise<string[]> {
  const text = await res.text();
  return text.split(/\n\n/).map((b) =>
    b.split("\n").filter((l) => l.startsWith("data:")).map((l) => l.slice(5).trimStart()).join("\n")
  ).filter((d) => d !== "");
}
