/**
 * haechi as a library: the same protection the `haechi` CLI and gateway apply, callable
 * from your own Deno code.
 *
 * - {@linkcode createProtector} protects a JSON payload or text under a config (redact,
 *   mask, tokenize, encrypt or block each finding, fail closed).
 * - {@linkcode createScanner} with {@linkcode BUILTIN_RULES} finds secrets and personal
 *   data without changing anything.
 * - {@linkcode createGateway} builds the privacy gateway as one
 *   `fetch(Request) => Promise<Response>` handler you can mount in any server.
 * - {@linkcode verifyAuditLog} checks a tamper-evident audit log.
 * - {@linkcode loadConfig} reads `haechi.config.json` the way the CLI does.
 *
 * Errors are {@linkcode HaechiError} values with a stable `code`.
 *
 * Run as a program (`deno run -A jsr:@haechi/cli <command>`), this module is the CLI; the
 * `./cli` export is the same CLI without the library surface.
 *
 * @example Protect a request body before it leaves
 * ```ts
 * import { createProtector, DEFAULT_CONFIG } from "./mod.ts";
 *
 * const protector = createProtector(DEFAULT_CONFIG);
 * const result = await protector.protectJsonText(
 *   '{"q":"deploy with ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"}',
 * );
 * if (result.output?.includes("ghp_")) throw new Error("the secret must not leave");
 * ```
 *
 * @example Scan text without changing it
 * ```ts
 * import { BUILTIN_RULES, createScanner } from "./mod.ts";
 *
 * const scanner = createScanner(BUILTIN_RULES);
 * const types = scanner.scan("write to bob@acme-corp.com").map((f) => f.type);
 * if (!types.includes("email")) throw new Error("the email must be found");
 * ```
 *
 * @example A gateway in front of an OpenAI-compatible upstream
 * ```ts
 * import { createGateway, createProtector, DEFAULT_CONFIG } from "./mod.ts";
 *
 * let seen = "";
 * const gateway = createGateway({
 *   config: DEFAULT_CONFIG,
 *   protector: createProtector(DEFAULT_CONFIG),
 *   upstream: "http://127.0.0.1:9/v1",
 *   // A stand-in upstream: records what would have left, answers with a fixed reply.
 *   fetch: async (req) => {
 *     seen = await req.text();
 *     return Response.json({ choices: [{ message: { role: "assistant", content: "ok" } }] });
 *   },
 * });
 * const res = await gateway.fetch(
 *   new Request("http://gateway/v1/chat/completions", {
 *     method: "POST",
 *     headers: { "content-type": "application/json" },
 *     body: JSON.stringify({
 *       model: "m",
 *       messages: [{ role: "user", content: "key ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8" }],
 *     }),
 *   }),
 * );
 * await res.body?.cancel();
 * await gateway.close();
 * if (seen.includes("ghp_")) throw new Error("the secret must not reach the upstream");
 * ```
 *
 * @module
 */
import { main } from "./main.ts";
import { commandLineArgs } from "./src/runtime/mod.ts";

export { VERSION } from "./src/version.ts";
export { type ErrorCode, HaechiError } from "./src/errors.ts";
export {
  DEFAULT_CONFIG,
  type HaechiConfig,
  loadConfig,
  type LoadConfigOptions,
} from "./src/config/mod.ts";
export {
  BUILTIN_RULES,
  type Category,
  createScanner,
  type Finding,
  type Rule,
  type Scanner,
  type ScanOptions,
} from "./src/detect/mod.ts";
export {
  type AppliedFinding,
  createProtector,
  type Protector,
  type ProtectorDeps,
  type ProtectOutcome,
} from "./src/protect/mod.ts";
export {
  type CallerIdentity,
  createGateway,
  type Gateway,
  type GatewayOptions,
  type OpenedGateway,
  openGateway,
  type OpenGatewayOptions,
  type StartedGateway,
  startGateway,
} from "./src/proxy/mod.ts";
export type { CryptoProvider } from "./src/session/mod.ts";
export type { DataKey, KeyProvider, KeyStatusEntry } from "./src/vault/mod.ts";
export type { ExternalAuthProvider, ExternalIdentity } from "./src/auth/mod.ts";
export {
  verifyAuditLog,
  type VerifyAuditOptions,
  type VerifyAuditResult,
} from "./src/audit/mod.ts";

if (import.meta.main) await main(commandLineArgs());
