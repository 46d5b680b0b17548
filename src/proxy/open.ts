/**
 * Open a gateway from config (keys, vault, audit, protector) and, optionally, serve it:
 * what `haechi proxy`, the demo, the SDK tests and the benchmark share.
 *
 * @module
 */
import { createProfileRouter, type RequestProfile } from "./profiles.ts";
import { callerOf } from "./caller.ts";
import { createProtector } from "../protect/mod.ts";
import type { HaechiConfig, ProxyTlsConfig } from "../config/mod.ts";
import { HaechiError } from "../errors.ts";
import { readFile, readTextFile, serveHttp } from "../runtime/mod.ts";
import { readPkcs12 } from "../crypto/mod.ts";
import { type CryptoProvider, openSession, type Session } from "../session/mod.ts";
import { createMcpHttpHandler } from "../mcp/mod.ts";
import { createGateway, type Gateway, type GatewayOptions } from "./gateway.ts";
import { checkUpstreamUrl } from "./upstream_url.ts";
import {
  type AuthProvider,
  createAuthGate,
  createAuthHasher,
  createBearerAuth,
  createExternalAuth,
  type ExternalAuthProvider,
} from "../auth/mod.ts";
import { loadKeyFile } from "../vault/mod.ts";
import type { RateLimiter } from "./middleware/rate_limit.ts";
import { openRedisRateLimiter } from "./middleware/rate_redis.ts";

/** Options for {@linkcode openGateway}. */
export interface OpenGatewayOptions {
  /** Upstream base URL (default `config.proxy.upstream`). */
  readonly upstream?: string;
  /** Injected upstream fetch (e.g. `createMockUpstream().fetch`). */
  readonly fetch?: GatewayOptions["fetch"];
  /** Environment for `proxy.upstreamAuthEnv`. */
  readonly env?: Readonly<Record<string, string>>;
  /** Gateway authentication hook. */
  readonly authenticate?: GatewayOptions["authenticate"];
  /** Audit source name (default `proxy`). */
  readonly source?: string;
  /** MCP upstream to mount at `proxy.mcpPath` (default `config.proxy.mcpUpstream`). */
  readonly mcpUpstream?: string;
  /** Injected crypto provider; required by (and only allowed with) `keys.provider: "external"`. */
  readonly crypto?: CryptoProvider;
  /**
   * Injected caller authenticator; required by (and only allowed with)
   * `auth.provider: "external"` (haechi 1.4's `authProvider`).
   */
  readonly authProvider?: ExternalAuthProvider;
  /** Rate limiter overriding `policy.rate.store` (the caller keeps ownership of it). */
  readonly rateLimiter?: GatewayOptions["rateLimiter"];
  /** One call per finished request, for the request log (`logging.format`). */
  readonly requestLog?: GatewayOptions["requestLog"];
}

/** An opened gateway with its session. */
export interface OpenedGateway {
  /** The gateway. */
  readonly gateway: Gateway;
  /** Keys, vault, protector and audit behind it. */
  readonly session: Session;
  /** Close the gateway, then the session. */
  close(): Promise<void>;
}

/** A TOKEN-shaped string no vault issues; looking it up proves the store answers. */
const PROBE = "[TOKEN:email:aaaaaaaaaaaaaaaaaaaa]";

/**
 * Open keys, vault, audit and protector for `config` and build a gateway on them.
 *
 * @param config Validated config.
 * @param options Upstream, fetch, env and auth overrides.
 * @returns The gateway and its session.
 *
 * @example
 * ```ts ignore
 * const { gateway, close } = await openGateway(config, { fetch: createMockUpstream().fetch,
 *   upstream: "http://mock.invalid" });
 * ```
 */
export async function openGateway(
  config: HaechiConfig,
  options: OpenGatewayOptions = {},
): Promise<OpenedGateway> {
  checkAuthProvider(config, options);
  const session = await openSession(config, options.source ?? "proxy", { crypto: options.crypto });
  let gateway: Gateway;
  let gate: AuthProvider | null = null;
  let limiter: RateLimiter | undefined;
  try {
    let authenticate = options.authenticate;
    const needsHasher = authenticate === undefined && config.auth.provider !== "none";
    // The key file's HMAC key (created by openSession above) keys token hashes and
    // identity fingerprints, so neither is useful without the key file; with injected
    // keys, the injected audit key does.
    const hasher = !needsHasher ? undefined : createAuthHasher(
      options.crypto?.auditHmacKey ?? (await loadKeyFile(config.keys.path)).hmacKey,
    );
    if (authenticate === undefined && config.auth.provider === "external" && hasher) {
      const external = createExternalAuth(options.authProvider!, {
        hasher,
        allowedLabelKeys: config.auth.allowedLabelKeys,
        audit: ({ allowed, reason, correlationId }) =>
          session.audit.record({
            kind: "auth",
            correlationId,
            outcome: allowed ? "allowed" : "denied",
            details: { provider: "external", reason },
          }),
      });
      authenticate = async (request) => {
        let who;
        try {
          who = await external(request);
        } catch {
          return null; // the decision could not be audited: deny
        }
        return who === null
          ? null
          : { subject: who.subject, identity: who.identity, labels: who.labels };
      };
    }
    if (authenticate === undefined && config.auth.provider === "bearer" && hasher) {
      const bearer = createBearerAuth(config.auth.store, hasher);
      authenticate = async (request) => {
        const who = await bearer.authenticate(request.headers);
        return who === null
          ? null
          : { subject: who.scope, identity: who.identity, labels: who.labels };
      };
    }
    if (authenticate === undefined && config.auth.provider === "plugin" && hasher) {
      // The configured auth provider (a signed, sandboxed plugin) decides who the caller is;
      // its subject becomes the token scope.
      const provider = await createAuthGate(config, { audit: session.audit });
      gate = provider;
      authenticate = async (request) => {
        const decision = await provider.authenticate(request);
        if (!decision.allowed) return null;
        // Let in without a name: the caller shares "default" and is not vouched for.
        return decision.subject === undefined
          ? { subject: "default", authenticated: false }
          : { subject: decision.subject, identity: hasher.identity(`plugin\0${decision.subject}`) };
      };
    }
    // Opened when any budget is set, the base one or a profile's own.
    const rated = config.policy.rate.requestsPerMinute > 0 ||
      Object.values(config.policy.profiles).some((p) => (p.rate?.requestsPerMinute ?? 0) > 0);
    if (options.rateLimiter === undefined && rated && config.policy.rate.store === "redis") {
      limiter = await openRedisRateLimiter(config.policy.rate.redisUrl);
    }
    // Every profile's protector is built here, once; requests only pick one.
    const profiles = createProfileRouter(
      config,
      session.protector,
      (c) => createProtector(c, { reversible: session.vault }),
    );
    const mcpUpstream = options.mcpUpstream ?? config.proxy.mcpUpstream;
    const mcpTarget = mcpUpstream === ""
      ? undefined
      : checkUpstreamUrl(mcpUpstream, { allowHosts: config.proxy.upstreamAllowHosts });
    // One MCP handler per profile, made on first use: a caller's MCP traffic is protected
    // under its own profile, as its LLM traffic is.
    const mcpHandlers = new Map<string, (req: Request) => Promise<Response>>();
    const mcpHandlerFor = (profile: RequestProfile) => {
      let h = mcpHandlers.get(profile.name);
      if (h === undefined) {
        h = createMcpHttpHandler({
          protector: profile.protector,
          audit: session.audit,
          vault: session.vault,
          mcp: config.mcp,
          upstream: mcpTarget!,
          fetch: options.fetch as typeof fetch | undefined,
          timeoutMs: config.proxy.upstreamTimeoutMs,
        });
        mcpHandlers.set(profile.name, h);
      }
      return h;
    };
    // Built now for anonymous callers, so options that cannot work fail at start-up.
    if (mcpTarget !== undefined) mcpHandlerFor(profiles.resolve(callerOf(null)));
    const mcp = mcpTarget === undefined ? undefined : {
      path: config.proxy.mcpPath,
      handler: (req: Request, profile: RequestProfile) => mcpHandlerFor(profile)(req),
    };
    gateway = createGateway({
      mcp,
      config,
      protector: session.protector,
      // proxy.restoreTokens false (1.4's detokenizeResponses: false): replies keep tokens.
      restorer: config.proxy.restoreTokens ? session.vault : undefined,
      audit: session.audit,
      fetch: options.fetch,
      upstream: options.upstream,
      env: options.env,
      authenticate,
      profiles,
      rateLimiter: options.rateLimiter ?? limiter,
      requestLog: options.requestLog,
      async checks() {
        try {
          await session.vault.describe(PROBE);
          return { vaultUsable: true };
        } catch {
          return { vaultUsable: false };
        }
      },
    });
  } catch (e) {
    await gate?.close();
    await limiter?.close?.();
    await session.close();
    throw e;
  }
  return {
    gateway,
    session,
    async close() {
      await gateway.close();
      await gate?.close();
      await limiter?.close?.();
      await session.close();
    },
  };
}

/** `auth.provider: "external"` and an injected authenticator come together or not at all. */
function checkAuthProvider(config: HaechiConfig, options: OpenGatewayOptions): void {
  const external = config.auth.provider === "external";
  if (external && options.authProvider === undefined && options.authenticate === undefined) {
    throw new HaechiError(
      "config.invalid",
      '"auth.provider": "external" needs an authenticator injected by the program embedding haechi (openGateway / startGateway option "authProvider"); the haechi command line cannot inject one. Use "bearer" or "plugin"',
      { path: "auth.provider" },
    );
  }
  if (!external && options.authProvider !== undefined) {
    throw new HaechiError(
      "config.invalid",
      `An injected authProvider needs "auth.provider": "external" (the config says "${config.auth.provider}")`,
      { path: "auth.provider" },
    );
  }
}

/** A gateway listening on a socket. */
export interface StartedGateway extends OpenedGateway {
  /** `http://host:port`, the base URL to give an SDK. */
  readonly url: string;
  /** Port bound. */
  readonly port: number;
  /**
   * Stop accepting, give in-flight requests `graceMs` to finish, then cut what is left
   * (upstream calls aborted, bodies still arriving refused) and close the session, which
   * flushes the audit log.
   *
   * @returns Requests still in flight when the grace ran out (0 when all finished).
   */
  shutdown(graceMs: number): Promise<number>;
}

/**
 * Open a gateway and serve it (port 0 picks a free port): for SDK tests, the demo and the
 * benchmark.
 *
 * @param config Validated config (`proxy.host` is used; `proxy.port` unless `port` given).
 * @param options As {@linkcode openGateway}, plus `port`.
 * @returns The running gateway.
 *
 * @example
 * ```ts ignore
 * const up = createMockUpstream();
 * const gw = await startGateway(config, { port: 0, fetch: up.fetch, upstream: "http://mock.invalid" });
 * // new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: "x" })
 * await gw.close();
 * ```
 */
export async function startGateway(
  config: HaechiConfig,
  options: OpenGatewayOptions & { readonly port?: number } = {},
): Promise<StartedGateway> {
  const tls = await readTls(config.proxy.tls);
  const opened = await openGateway(config, options);
  let server: Awaited<ReturnType<typeof serveHttp>>;
  try {
    server = await serveHttp(opened.gateway.fetch, {
      hostname: config.proxy.host,
      port: options.port ?? config.proxy.port,
      headersTimeoutMs: config.limits.headersTimeoutMs,
      ...(tls === undefined ? {} : { tls }),
    });
  } catch (e) {
    await opened.close();
    throw e;
  }
  const host = server.hostname.includes(":") ? `[${server.hostname}]` : server.hostname;
  return {
    ...opened,
    url: `${tls === undefined ? "http" : "https"}://${host}:${server.port}`,
    port: server.port,
    async close() {
      await server.close();
      await opened.close();
    },
    async shutdown(graceMs) {
      const drained = server.close();
      let cut = 0;
      if (!await settlesWithin(drained, graceMs)) {
        cut = opened.gateway.metrics.inFlight;
        // Cutting ends each request with an error reply (and its audit record); the
        // connections then close. One that still lingers does not hold the process.
        await opened.gateway.close();
        await settlesWithin(drained, CUT_SETTLE_MS);
      }
      await opened.close();
      return cut;
    },
  };
}

/** Read `proxy.tls`'s PEM files; `undefined` when none are configured. */
async function readTls(
  tls: ProxyTlsConfig,
): Promise<{ cert: string; key: string } | undefined> {
  if (tls.pfxFile !== "") {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(tls.pfxFile);
    } catch {
      throw new HaechiError(
        "config.invalid",
        `Cannot read the PKCS#12 file at "proxy.tls.pfxFile" (${tls.pfxFile}); haechi proxy will not start without its TLS material`,
        { path: "proxy.tls.pfxFile" },
      );
    }
    return await readPkcs12(bytes, tls.passphrase);
  }
  if (tls.certFile === "" && tls.keyFile === "") return undefined;
  const read = async (path: string, key: string) => {
    try {
      const text = await readTextFile(path);
      if (!text.includes("-----BEGIN ")) throw new Error("not PEM");
      return text;
    } catch {
      throw new HaechiError(
        "config.invalid",
        `Cannot read a PEM file at "${key}" (${path}); haechi proxy will not start without its TLS material`,
        { path: key },
      );
    }
  };
  return {
    cert: await read(tls.certFile, "proxy.tls.certFile"),
    key: await read(tls.keyFile, "proxy.tls.keyFile"),
  };
}

/** How long cut requests get to write their error replies and records. */
const CUT_SETTLE_MS = 1000;

/** Whether `p` settles within `ms`. */
async function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<false>((resolve) => timer = setTimeout(() => resolve(false), ms));
  try {
    return await Promise.race([p.then(() => true, () => true), late]);
  } finally {
    clearTimeout(timer);
  }
}
