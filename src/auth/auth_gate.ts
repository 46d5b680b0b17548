/**
 * The auth gate: loads the signed `authProvider` plugin named by `auth.plugin`, checks it
 * with the trust gate ({@linkcode verifyPlugin}), runs it in the sandbox and turns each
 * request into an {@linkcode AuthDecision}. It fails closed everywhere: a refused plugin
 * stops start-up, and a plugin that crashes, hangs, answers nonsense or is behind an open
 * breaker denies the request.
 *
 * Every load, refusal, call and denial is audited. Audit details hold the plugin id,
 * version, signer key id and reason codes; never a header, a token or the subject.
 *
 * @module
 */
import type { HaechiConfig } from "../config/mod.ts";
import { HaechiError } from "../errors.ts";
import {
  CircuitBreaker,
  type CircuitBreakerOptions,
  defaultRunnerPath,
  materialisedRunner,
  type PluginManifest,
  PluginSandbox,
  type RunnerFile,
  runnerOnDisk,
  type SandboxEvent,
  verifyPlugin,
} from "../plugin/mod.ts";
import { execPath, fileInfo, pinnedGet, readFile } from "../runtime/mod.ts";
import type { AuditInput, AuditSink } from "../audit/mod.ts";
import { VERSION } from "../version.ts";
import {
  createKeyMaterialSource,
  isPublicAddress,
  type KeyMaterialSource,
} from "./key_material.ts";

/** The gate's answer for one request. */
export interface AuthDecision {
  /** Whether the request may proceed. */
  readonly allowed: boolean;
  /** Who the caller is, as the plugin says (only when allowed). */
  readonly subject?: string;
  /** Short reason code, e.g. `invalid-token` or `plugin-timeout`. */
  readonly reason?: string;
}

/** What the proxy calls for every request. */
export interface AuthProvider {
  /** `none` (everyone allowed) or `plugin`. */
  readonly kind: "none" | "plugin";
  /**
   * Decide one request.
   *
   * @param input The request, or just its headers.
   * @param options A correlation id tying the audit event to the request's other events.
   */
  authenticate(
    input: Request | Headers,
    options?: { readonly correlationId?: string },
  ): Promise<AuthDecision>;
  /** Stop the plugin process. */
  close(): Promise<void>;
}

/** Injected dependencies; all optional. */
export interface AuthGateDeps {
  /** Audit destination; events are dropped without one. */
  readonly audit?: AuditSink;
  /** Clock for the signature window. */
  readonly now?: () => number;
  /** Running executable, to detect a compiled binary (default `Deno.execPath()`). */
  readonly execPath?: () => string;
  /** Runner file (default `_runner.ts` of `src/plugin/`). */
  readonly runnerPath?: string;
  /** Where a runner that is not on disk is written (default: the system's temp folder). */
  readonly runnerTempDir?: string;
  /** Core version the plugin's range is checked against (default `VERSION`). */
  readonly coreVersion?: string;
  /** Restart breaker settings. */
  readonly breaker?: CircuitBreakerOptions;
  /** Start-up deadline for the child in ms. */
  readonly startTimeoutMs?: number;
  /**
   * Test-only seam for the `auth.plugin.keyMaterial` fetch: an address guard replacing the
   * public-address check (so a test can serve the document on 127.0.0.1) and extra CA
   * certificates. Config can never set these.
   */
  readonly keyMaterialFetch?: {
    readonly allowAddress?: (ip: string) => boolean;
    readonly caCerts?: readonly string[];
  };
}

/** The key document fetch must end within this. */
const KEY_FETCH_TIMEOUT_MS = 5000;
/** Largest key document accepted. */
const KEY_DOC_MAX_BYTES = 256 * 1024;

/** Headers handed over with `readsCredentials`. */
export const CREDENTIAL_HEADERS: readonly string[] = [
  "authorization",
  "proxy-authorization",
  "cookie",
  "x-api-key",
];

const REASON_RE = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const SUBJECT_MAX = 256;

/**
 * Build the auth gate described by `config.auth` and `config.plugins`.
 *
 * @param config Validated configuration.
 * @param deps Audit recorder, clock and overrides for tests.
 * @returns The provider; for `auth.provider: "none"` one that allows every request.
 * @throws {HaechiError} `plugin.refused` (the trust gate said no; `details.reason` holds
 *   the reason code) or `plugin.unavailable` (no deno executable: `plugins.denoPath`).
 *
 * @example
 * ```ts ignore
 * const gate = await createAuthGate(config, { audit: sink });
 * const decision = await gate.authenticate(request, { correlationId });
 * if (!decision.allowed) return new Response("Unauthorized", { status: 401 });
 * ```
 */
export async function createAuthGate(
  config: HaechiConfig,
  deps: AuthGateDeps = {},
): Promise<AuthProvider> {
  const audit = deps.audit;
  const record = async (input: AuditInput) => {
    if (audit !== undefined) await audit.record(input);
  };
  if (config.auth.provider === "none") {
    return {
      kind: "none",
      authenticate: () => Promise.resolve({ allowed: true }),
      close: () => Promise.resolve(),
    };
  }
  const loadId = crypto.randomUUID();
  if (!config.plugins.enabled) {
    await record({
      kind: "plugin.load",
      correlationId: loadId,
      outcome: "refused",
      details: { reason: "plugins-disabled" },
    });
    return denyAll("plugins-disabled", record);
  }
  const p = config.auth.plugin;
  if (p.manifestPath === "" || p.entryPath === "") {
    await refusedAudit(record, loadId, "manifest-invalid");
    throw new HaechiError(
      "plugin.refused",
      'auth.provider is "plugin" but auth.plugin.manifestPath or auth.plugin.entryPath is empty',
      { reason: "manifest-invalid" },
    );
  }
  let manifestText: string;
  let entry: Uint8Array;
  try {
    manifestText = new TextDecoder("utf-8", { fatal: true }).decode(await readFile(p.manifestPath));
    entry = await readFile(p.entryPath);
  } catch {
    await refusedAudit(record, loadId, "manifest-invalid");
    throw new HaechiError(
      "plugin.refused",
      "Cannot read the auth plugin files named by auth.plugin.manifestPath and auth.plugin.entryPath",
      { reason: "manifest-invalid" },
    );
  }
  const verdict = await verifyPlugin(manifestText, entry, {
    anchors: p.trustAnchors,
    allowCapabilities: p.allowCapabilities,
    pin: p.pin,
    pinVersion: p.pinVersion,
    pinManifestSha256: p.pinManifestSha256,
    versionFloor: p.versionFloor,
    revoked: p.revoked,
    coreVersion: deps.coreVersion ?? VERSION,
    now: (deps.now ?? Date.now)(),
  });
  if (!verdict.ok) {
    await refusedAudit(record, loadId, verdict.reason, verdict.manifest);
    throw new HaechiError(
      "plugin.refused",
      `Auth plugin refused (${verdict.reason}): ${verdict.message}`,
      {
        reason: verdict.reason,
      },
    );
  }
  const manifest = verdict.manifest;
  let source: string;
  try {
    source = new TextDecoder("utf-8", { fatal: true }).decode(entry);
  } catch {
    await refusedAudit(record, loadId, "manifest-invalid", manifest);
    throw new HaechiError("plugin.refused", "Auth plugin entry file is not valid UTF-8", {
      reason: "manifest-invalid",
    });
  }
  const exec = deps.execPath ?? execPath;
  const denoPath = resolveDeno(config.plugins.denoPath, exec);
  const denoInfo = denoPath === null ? null : await fileInfo(denoPath).catch(() => null);
  if (denoPath === null || denoInfo === null) {
    await refusedAudit(record, loadId, "no-deno", manifest);
    throw new HaechiError(
      "plugin.unavailable",
      denoPath === null
        ? "Plugins run in a separate deno process with no permissions, and this build of " +
          "haechi is not deno itself (a compiled binary, the Node single executable or the " +
          "npm package); set plugins.denoPath to a deno executable (Deno 2.x)"
        : `plugins.denoPath names ${denoPath}, which does not exist; set it to a deno executable`,
      { reason: "no-deno" },
    );
  }
  const runner = runnerFor(deps, exec);
  const facts = pluginFacts(manifest);
  const sandbox = new PluginSandbox({
    denoPath,
    runnerPath: runner.path,
    source,
    timeoutMs: config.plugins.timeoutMs,
    startTimeoutMs: deps.startTimeoutMs,
    maxHeapMb: config.plugins.maxHeapMb,
    maxReplyBytes: config.plugins.maxReplyBytes,
    breaker: new CircuitBreaker(deps.breaker),
    onEvent: (event) => {
      record(processEvent(event, facts, loadId)).catch(() => {
        // A lifecycle event that cannot be written must not crash the host; calls that
        // depend on the audit log still fail closed below.
      });
    },
  });
  await record({ kind: "plugin.load", correlationId: loadId, outcome: "loaded", details: facts });
  const caps = new Set<string>(manifest.capabilities);
  const keys = keyMaterialSource(config, deps, facts.pluginId, record);
  // Fetched once at start-up so a wrong URL shows in the audit log at once; a failure
  // here is not fatal (the key server may be down for a moment) and calls fail closed.
  await keys?.get();
  return {
    kind: "plugin",
    async authenticate(input, options = {}) {
      const correlationId = options.correlationId ?? crypto.randomUUID();
      const view = requestView(input, caps);
      const result = await sandbox.call(
        "authenticate",
        keys === null ? view : { ...view, keyMaterial: await keys.get() },
      );
      const decision = result.ok
        ? checkReply(result.value)
        : { allowed: false, reason: `plugin-${result.failure}` };
      try {
        await record({
          kind: "auth",
          correlationId,
          outcome: decision.allowed ? "allowed" : "denied",
          details: {
            ...facts,
            ...(decision.reason === undefined ? {} : { reason: decision.reason }),
            subjectPresent: decision.subject !== undefined,
          },
        });
      } catch {
        return { allowed: false, reason: "audit-failed" };
      }
      return decision;
    },
    async close() {
      await sandbox.close();
      await runner.dispose();
    },
  };
}

/**
 * The runner file for the child: the one beside the sources when haechi runs from them
 * under deno, otherwise the embedded copy written to a private, verified temp file.
 */
function runnerFor(deps: AuthGateDeps, exec: () => string): RunnerFile {
  if (deps.runnerPath !== undefined) return runnerOnDisk(deps.runnerPath);
  const beside = defaultRunnerPath();
  // A `deno compile` binary has file: URLs too, but they point into its virtual file
  // system, which no child can open; it is told apart by its executable not being deno.
  if (beside !== null && resolveDeno("", exec) !== null) return runnerOnDisk(beside);
  return materialisedRunner(undefined, deps.runnerTempDir);
}

/** The key document cache for `auth.plugin.keyMaterial`, or null when none is declared. */
function keyMaterialSource(
  config: HaechiConfig,
  deps: AuthGateDeps,
  pluginId: string,
  record: (input: AuditInput) => Promise<void>,
): KeyMaterialSource | null {
  const km = config.auth.plugin.keyMaterial;
  if (km.url === "") return null;
  return createKeyMaterialSource(km, {
    now: deps.now,
    fetchDocument: (url) =>
      pinnedGet(url, {
        timeoutMs: KEY_FETCH_TIMEOUT_MS,
        maxBytes: KEY_DOC_MAX_BYTES,
        allowAddress: deps.keyMaterialFetch?.allowAddress ?? isPublicAddress,
        userAgent: `haechi/${VERSION}`,
        ...(deps.keyMaterialFetch?.caCerts === undefined
          ? {}
          : { caCerts: deps.keyMaterialFetch.caCerts }),
      }),
    onEvent: (event) =>
      record({
        kind: "plugin.key_material",
        correlationId: crypto.randomUUID(),
        outcome: event.outcome,
        details: {
          pluginId,
          ...(event.bytes === undefined ? {} : { bytes: event.bytes }),
          ...(event.sha256 === undefined ? {} : { sha256: event.sha256 }),
          ...(event.reason === undefined ? {} : { reason: event.reason }),
        },
      }).catch(() => {
        // The fetch outcome stands; the next decision's own audit still fails closed.
      }),
  });
}

function denyAll(
  reason: string,
  record: (input: AuditInput) => Promise<void>,
): AuthProvider {
  return {
    kind: "plugin",
    async authenticate(_input, options = {}) {
      await record({
        kind: "auth",
        correlationId: options.correlationId ?? crypto.randomUUID(),
        outcome: "denied",
        details: { reason },
      }).catch(() => {});
      return { allowed: false, reason };
    },
    close: () => Promise.resolve(),
  };
}

async function refusedAudit(
  record: (input: AuditInput) => Promise<void>,
  correlationId: string,
  reason: string,
  manifest?: PluginManifest,
): Promise<void> {
  await record({
    kind: "plugin.load",
    correlationId,
    outcome: "refused",
    details: { reason, ...(manifest === undefined ? {} : pluginFacts(manifest)) },
  });
}

function pluginFacts(m: PluginManifest): Record<string, string> {
  return {
    pluginId: m.id,
    pluginVersion: m.version,
    signerKeyId: m.signerKeyId,
    entrySha256: m.entrySha256,
  };
}

function processEvent(
  event: SandboxEvent,
  facts: Record<string, string>,
  correlationId: string,
): AuditInput {
  const details: Record<string, string | number> = { pluginId: facts.pluginId, pid: event.pid };
  if (event.kind === "killed") details.failure = event.failure;
  if (event.kind === "exited") details.exitCode = event.code;
  return { kind: "plugin.process", correlationId, outcome: event.kind, details };
}

/**
 * The deno executable to run plugins with, or null when none is available: the configured
 * path, else the running executable when it is deno itself (not a compiled binary, the
 * Node single executable or node). `PATH` is not searched: the executable that enforces the
 * sandbox is named in config, not picked by whichever `PATH` the service starts with.
 *
 * @example
 * ```ts
 * import { resolveDeno } from "./auth_gate.ts";
 * if (resolveDeno("", () => "/opt/haechi") !== null) throw new Error("compiled binary");
 * if (resolveDeno("", () => "/usr/bin/deno") !== "/usr/bin/deno") throw new Error("deno");
 * ```
 */
export function resolveDeno(configured: string, exec: () => string): string | null {
  if (configured !== "") return configured;
  const path = exec();
  const base = path.split(/[\\/]/).pop() ?? "";
  return /^deno(?:\.exe)?$/i.test(base) ? path : null;
}

/**
 * What the plugin sees of a request: only what its capabilities grant.
 *
 * @example
 * ```ts
 * import { requestView } from "./auth_gate.ts";
 * const h = new Headers({ authorization: "Bearer x", "user-agent": "t" });
 * const v = requestView(h, new Set(["readsCredentials"]));
 * if (Object.keys(v.headers).join() !== "authorization") throw new Error("credentials only");
 * ```
 */
export function requestView(
  input: Request | Headers,
  caps: ReadonlySet<string>,
): { headers: Record<string, string>; method?: string; path?: string } {
  const headers = input instanceof Request ? input.headers : input;
  const out: Record<string, string> = {};
  for (const [name, value] of headers) {
    const credential = CREDENTIAL_HEADERS.includes(name);
    if (credential ? caps.has("readsCredentials") : caps.has("readsHeaders")) out[name] = value;
  }
  const view: { headers: Record<string, string>; method?: string; path?: string } = {
    headers: out,
  };
  if (caps.has("readsPath") && input instanceof Request) {
    view.method = input.method;
    // The query string is left out: it often carries tokens the plugin was not granted.
    view.path = new URL(input.url).pathname;
  }
  return view;
}

function checkReply(value: unknown): AuthDecision {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return { allowed: false, reason: "plugin-bad-reply" };
  }
  const v = value as Record<string, unknown>;
  if (typeof v.allowed !== "boolean") return { allowed: false, reason: "plugin-bad-reply" };
  const reason = typeof v.reason === "string" && REASON_RE.test(v.reason) ? v.reason : undefined;
  if (!v.allowed) return { allowed: false, reason: reason ?? "denied-by-plugin" };
  if (v.subject !== undefined) {
    if (
      typeof v.subject !== "string" || v.subject === "" || v.subject.length > SUBJECT_MAX ||
      hasControl(v.subject)
    ) {
      return { allowed: false, reason: "plugin-bad-reply" };
    }
    return { allowed: true, subject: v.subject, ...(reason === undefined ? {} : { reason }) };
  }
  return { allowed: true, ...(reason === undefined ? {} : { reason }) };
}

function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}
