/**
 * The transport-neutral MCP message filter: every JSON-RPC message between an MCP client
 * and server passes through {@linkcode McpFilter.inspect}, which decides what goes on to
 * the receiver and what goes back to the sender.
 *
 * - Client → server: `params` (tool arguments, resource URIs, prompt arguments) and the
 *   client's answers to server requests are protected before the server sees them.
 * - Server → client: `result` and `error` (message and data), and the params of server
 *   requests and notifications (logging, progress, sampling), are protected before the
 *   client, and so the model, sees them.
 * - Messages are rebuilt from their known JSON-RPC fields only, so nothing unchecked rides
 *   along in an unknown member.
 * - Tokens in server output are left as they are: putting values back is for whoever
 *   called the model, not for the wrapper. The one exception is `detokenizeArguments`,
 *   which hands a trusted tool the real value behind a token it was given.
 *
 * @module
 */
import type { McpConfig } from "../config/mod.ts";
import { type AuditSink, type Outcome, protectionOutcome } from "../audit/mod.ts";
import {
  type AppliedFinding,
  isRawNumber,
  joinSplitTextParts,
  parseJsonExact,
  type Protector,
  protectToolReply,
} from "../protect/mod.ts";
import { MintedTokens, restorerFor, type TokenRestorer } from "../vault/mod.ts";
import { toHaechiError } from "../errors.ts";
import {
  classifyMessage,
  errorLine,
  type HaechiRejectReason,
  JSONRPC_ERRORS,
  type JsonRpcId,
  type JsonRpcMessage,
  serializeMessage,
} from "./jsonrpc.ts";
import { compileMethodPolicy, matchesPattern } from "./method_policy.ts";
import { restoreArguments } from "./detokenize.ts";

/** Who sent a message. */
export type McpSender = "client" | "server";

/** One message as a transport read it. */
export type RawMessage =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "too-long"; readonly bytes: number }
  | { readonly kind: "invalid-utf8" };

/** What to do with one message. */
export interface McpVerdict {
  /** A line to pass on toward the receiver. */
  readonly forward?: string;
  /** A line (a JSON-RPC error) to send back to the sender. */
  readonly reply?: string;
}

/** Options for {@linkcode createMcpFilter}. */
export interface McpFilterOptions {
  /** The protector (its policy decides every action). */
  readonly protector: Protector;
  /** Audit sink. */
  readonly audit: AuditSink;
  /** The `mcp` config section. */
  readonly mcp: McpConfig;
  /** Token restorer (the vault); needed only when `detokenizeArguments` is set. */
  readonly restorer?: TokenRestorer;
  /** Name matched against `detokenizeArguments` patterns (`server/tool`). */
  readonly serverName?: string;
  /** Ties this connection's audit events together (default: a fresh UUID). */
  readonly correlationId?: string;
  /**
   * Drop responses that answer no request seen from the other side. Right for one
   * stdio connection; off for HTTP, where answers can arrive on another request.
   */
  readonly trackRequests?: boolean;
  /**
   * Tokens this connection minted, in either direction. `detokenizeArguments` restores only
   * these: every MCP client shares `mcp.scope`, so the scope alone says nothing about who
   * may see a value (docs/vault.md). Default: a fresh set for this filter, which for stdio
   * is one session; the HTTP handler passes one set per `Mcp-Session-Id`.
   */
  readonly minted?: MintedTokens;
  /** Told every decision the filter records (for log lines; see `request_log.ts`). */
  readonly onDecision?: (decision: McpDecision) => void;
}

/** One decision about one message, as the audit record has it, plus the JSON-RPC id. */
export interface McpDecision {
  /** Who sent the message. */
  readonly from: McpSender;
  /** The audit outcome (`clean`, `redacted`, `dry-run`, `blocked`, `denied`, ...). */
  readonly outcome: string;
  /** Audit details: `type`, `method`, `tool`, `reason`, ... (never a value). */
  readonly details: Readonly<Record<string, string | number | boolean>>;
  /** Findings applied to the message. */
  readonly findings: readonly { readonly type: string }[];
  /** The message's JSON-RPC id, when it has one. */
  readonly id: JsonRpcId | null;
}

/** The filter. */
export interface McpFilter {
  /** Inspect one raw message from `from`. Never throws for bad input. */
  inspect(from: McpSender, raw: RawMessage): Promise<McpVerdict>;
  /** Inspect one already parsed JSON value from `from`. */
  inspectValue(from: McpSender, value: unknown): Promise<McpVerdict>;
}

/** Pending requests kept per direction before the oldest is forgotten. */
const MAX_PENDING = 4096;

/** Method and tool names whose scan verdict is kept; past this the set starts over. */
const MAX_NAME_VERDICTS = 1024;

// Method, tool and server names recorded in audit details must look like identifiers.
const SAFE_NAME = /^[A-Za-z0-9_$][A-Za-z0-9_$.:\/-]{0,127}$/;

/**
 * Build a filter for one connection (or, for HTTP, one handler).
 *
 * @param options Protector, audit sink and MCP config.
 * @returns The filter.
 *
 * @example
 * ```ts ignore
 * const filter = createMcpFilter({ protector, audit, mcp: config.mcp });
 * const v = await filter.inspect("client", { kind: "text", text: line });
 * if (v.forward) await toServer(v.forward);
 * if (v.reply) await toClient(v.reply);
 * ```
 */
export function createMcpFilter(options: McpFilterOptions): McpFilter {
  const { protector, audit, mcp } = options;
  const policy = compileMethodPolicy(mcp.methods);
  const scope = mcp.scope;
  const correlationId = options.correlationId ?? crypto.randomUUID();
  const serverName = options.serverName ?? "server";
  const track = options.trackRequests === true;
  const minted = options.minted ?? new MintedTokens();
  // Requests each side sent that still await an answer, keyed by id, holding the method.
  const pending: Record<McpSender, Map<string, string>> = {
    client: new Map(),
    server: new Map(),
  };
  const detokenize = mcp.detokenizeArguments;
  if (detokenize.length > 0 && options.restorer === undefined) {
    throw new TypeError("Cannot detokenize arguments: no token restorer was given");
  }

  const other = (s: McpSender): McpSender => s === "client" ? "server" : "client";
  const idKey = (id: JsonRpcId) => `${typeof id}:${id}`;
  const isClean = (s: string) => protector.scanner.scan(s).length === 0;
  // The same few method and tool names come on every call: each one's verdict is kept
  // (the scanner is fixed for the filter's life, so the verdict cannot change).
  const nameVerdicts = new Map<string, boolean>();
  const safeName = (s: unknown): string | undefined => {
    if (typeof s !== "string" || !SAFE_NAME.test(s)) return undefined;
    let clean = nameVerdicts.get(s);
    if (clean === undefined) {
      clean = isClean(s);
      if (nameVerdicts.size >= MAX_NAME_VERDICTS) nameVerdicts.clear();
      nameVerdicts.set(s, clean);
    }
    return clean ? s : undefined;
  };

  function record(
    outcome: Outcome,
    from: McpSender,
    details: Record<string, string | number | boolean | undefined>,
    findings?: readonly AppliedFinding[],
    id: JsonRpcId | null = null,
  ): Promise<void> {
    const flat: Record<string, string | number | boolean> = { from };
    for (const [k, v] of Object.entries(details)) if (v !== undefined) flat[k] = v;
    options.onDecision?.({ from, outcome, details: flat, findings: findings ?? [], id });
    return audit.record({ kind: "mcp.message", correlationId, outcome, findings, details: flat });
  }

  async function reject(
    from: McpSender,
    id: JsonRpcId | null,
    canReply: boolean,
    err: { code: number; message: string; reason: HaechiRejectReason; types?: string[] },
    details: Record<string, string | number | boolean | undefined>,
    findings?: readonly AppliedFinding[],
  ): Promise<McpVerdict> {
    const outcome = err.reason === "method-denied"
      ? "denied"
      : err.reason === "blocked"
      ? "blocked"
      : err.reason === "check-failed" || err.reason === "too-many-findings"
      ? "error"
      : "invalid";
    const replied = canReply && (id !== null || from === "client");
    await record(outcome, from, { ...details, reason: err.reason, replied }, findings, id);
    if (!replied) return {};
    return { reply: errorLine(id, err.code, err.message, err) };
  }

  async function inspectMessage(from: McpSender, m: JsonRpcMessage): Promise<McpVerdict> {
    const base: Record<string, string | number | boolean | undefined> = { type: m.type };
    const isRequest = m.type === "request";
    if (m.type === "request" || m.type === "notification") {
      const method = safeName(m.method);
      if (method === undefined) {
        return reject(from, isRequest ? m.id : null, isRequest, {
          code: JSONRPC_ERRORS.invalidRequest,
          message: "The method name has characters or content haechi does not accept",
          reason: "invalid",
        }, base);
      }
      base.method = method;
      if (!policy.allows(method)) {
        return reject(from, isRequest ? m.id : null, isRequest, {
          code: JSONRPC_ERRORS.methodNotFound,
          message: `Method "${method}" is not allowed by the haechi policy`,
          reason: "method-denied",
        }, base);
      }
    } else {
      const method = m.id === null ? undefined : pending[other(from)].get(idKey(m.id));
      if (method !== undefined) base.method = method;
      if (track && m.id !== null && method === undefined) {
        await record("dropped", from, { ...base, reason: "unsolicited" }, undefined, m.id);
        return {};
      }
    }
    // An id travels to the other side as written: a number is scanned as its digits too.
    const idText = "id" in m && (typeof m.id === "string" || typeof m.id === "number")
      ? String(m.id)
      : undefined;
    if (idText !== undefined && !isClean(idText)) {
      if (m.type === "request") {
        return reject(from, m.id, true, {
          code: JSONRPC_ERRORS.invalidRequest,
          message: "The request id holds data the policy protects",
          reason: "unsafe-id",
        }, base);
      }
      await record(
        "dropped",
        from,
        { ...base, reason: "unsafe-id" },
        undefined,
        "id" in m ? m.id : null,
      );
      return {};
    }
    if (m.type === "request" && m.method === "tools/call") {
      base.tool = safeName((m.params as Record<string, unknown> | undefined)?.name);
    }

    const part = m.type === "result" ? "result" : m.type === "error" ? "error" : "params";
    const payload = m.type === "result"
      ? joinContentParts(m.result)
      : m.type === "error"
      ? m.error
      : (m as { params?: unknown }).params;
    let outcome;
    try {
      // haechi's own [TOKEN:…] markers pass through the scanner untouched, so a token the
      // model copied into a tool call keeps working.
      // What a client sends travels toward the tool: numbers are scanned there too. What
      // a server sends is a tool reply a model reads next (see protect/reply.ts).
      if (payload !== undefined) {
        outcome = from === "client"
          ? await protector.protectJson(payload, { scope, direction: "request", issued: minted })
          : await protectToolReply(protector, payload, { scope, issued: minted });
      }
    } catch (e) {
      const err = toHaechiError(e);
      if (err.code === "payload.too_many_findings") {
        // Refused before any value was tokenized: say why, as an HTTP gateway says 413.
        return failClosed(from, m, { ...base, part, errorCode: err.code }, {
          code: JSONRPC_ERRORS.invalidRequest,
          message: err.message,
          reason: "too-many-findings",
        });
      }
      return failClosed(from, m, { ...base, part, errorCode: err.code });
    }
    const findings = outcome?.findings ?? [];
    if (outcome?.blocked) {
      const types = [...new Set(findings.filter((f) => f.action === "block").map((f) => f.type))];
      return failClosed(from, m, { ...base, part }, {
        code: JSONRPC_ERRORS.blocked,
        message: "Blocked by haechi: the message holds data the policy blocks",
        reason: "blocked",
        types,
      }, findings);
    }
    let out: JsonRpcMessage = m;
    if (outcome !== undefined) {
      const value = outcome.output;
      out = m.type === "result"
        ? { ...m, result: value }
        : m.type === "error"
        ? { ...m, error: value as typeof m.error }
        : { ...m, params: value };
    }
    const result = protectionOutcome({
      blocked: false,
      enforcing: protector.policy.enforcing,
      found: findings.length,
    });
    await record(result, from, { ...base, part }, findings, "id" in m ? m.id : null);

    if (out.type === "request") {
      remember(pending[from], idKey(out.id), out.method);
      if (from === "client" && out.method === "tools/call" && detokenize.length > 0) {
        out = await maybeDetokenize(out, base.tool as string | undefined);
      }
    } else if ((out.type === "result" || out.type === "error") && out.id !== null) {
      pending[other(from)].delete(idKey(out.id));
    }
    return { forward: serializeMessage(out) };
  }

  // A client shows a result's text items as one text: a value split across two of them is
  // scanned whole (the items it spans become one).
  function joinContentParts(result: unknown): unknown {
    if (typeof result !== "object" || result === null || isRawNumber(result)) return result;
    const content = (result as { content?: unknown }).content;
    if (!Array.isArray(content)) return result;
    const joined = joinSplitTextParts(content, (t) => protector.scanner.scan(t));
    return joined === content ? result : { ...result, content: joined };
  }

  // A message that could not be checked or was blocked: a request is answered with an
  // error, a response is replaced by an error for the waiting side, a notification drops.
  async function failClosed(
    from: McpSender,
    m: JsonRpcMessage,
    details: Record<string, string | number | boolean | undefined>,
    err: { code: number; message: string; reason: HaechiRejectReason; types?: string[] } = {
      code: JSONRPC_ERRORS.internalError,
      message: "haechi could not check this message, so it was not passed on",
      reason: "check-failed",
    },
    findings?: readonly AppliedFinding[],
  ): Promise<McpVerdict> {
    if (m.type === "request") return reject(from, m.id, true, err, details, findings);
    if (m.type === "notification") return reject(from, null, false, err, details, findings);
    const id = m.id;
    if (id !== null) pending[other(from)].delete(idKey(id));
    await record(
      err.reason === "blocked" ? "blocked" : "error",
      from,
      {
        ...details,
        reason: err.reason,
      },
      findings,
      id,
    );
    return { forward: errorLine(id, err.code, err.message, err) };
  }

  async function maybeDetokenize(
    m: Extract<JsonRpcMessage, { type: "request" }>,
    tool: string | undefined,
  ): Promise<JsonRpcMessage> {
    if (tool === undefined) return m;
    const target = `${serverName}/${tool}`;
    if (!detokenize.some((p) => matchesPattern(p, target))) return m;
    const params = m.params as Record<string, unknown>;
    const { value, counts, touched } = await restoreArguments(
      params.arguments,
      restorerFor(options.restorer!, { minted, wholeScope: false }),
      scope,
    );
    if (!touched) return m;
    await audit.record({
      kind: "mcp.detokenize",
      correlationId,
      outcome: counts.restored > 0 ? "restored" : "none",
      details: {
        server: safeName(serverName) ?? "unnamed",
        tool,
        restored: counts.restored,
        foreignScope: counts.foreignScope,
        unknown: counts.unknown,
        expired: counts.expired,
        corrupt: counts.corrupt,
      },
    });
    return { ...m, params: { ...params, arguments: value } };
  }

  async function inspectValue(from: McpSender, value: unknown): Promise<McpVerdict> {
    const m = classifyMessage(value);
    if (m.type !== "invalid") return inspectMessage(from, m);
    const reason: HaechiRejectReason = Array.isArray(value) ? "batch" : "invalid";
    const err = { code: JSONRPC_ERRORS.invalidRequest, message: m.reason, reason };
    if (Array.isArray(value)) {
      // Nothing in a batch is passed on, and nobody is left waiting: each request in it is
      // answered with an error, and each response in a server's batch (a server answering
      // a request with a batch) becomes an error for the client, under the same id.
      const replies: string[] = [];
      const forwards: string[] = [];
      for (const item of value) {
        const c = classifyMessage(item);
        if (c.type === "request") replies.push(errorLine(c.id, err.code, err.message, err));
        else if (
          from === "server" && (c.type === "result" || c.type === "error") && c.id !== null
        ) {
          if (typeof c.id === "string" && !isClean(c.id)) continue;
          pending[other(from)].delete(idKey(c.id));
          forwards.push(
            errorLine(
              c.id,
              JSONRPC_ERRORS.internalError,
              `The ${from} answered with a JSON-RPC batch, which MCP does not use; ` +
                "haechi did not pass it on",
              err,
            ),
          );
        }
      }
      await record("invalid", from, {
        reason,
        items: value.length,
        replied: replies.length > 0,
        answered: forwards.length,
      });
      return {
        ...(replies.length > 0 ? { reply: replies.join("\n") } : {}),
        ...(forwards.length > 0 ? { forward: forwards.join("\n") } : {}),
      };
    }
    const id = m.id !== null && (typeof m.id === "number" || isClean(m.id)) ? m.id : null;
    if (!m.hasMethod && from === "server" && id !== null) {
      // A broken response: the client is told instead of waiting for it.
      pending.client.delete(idKey(id));
      await record("invalid", from, { type: "response", reason });
      return {
        forward: errorLine(
          id,
          JSONRPC_ERRORS.internalError,
          "The server sent an invalid response",
          err,
        ),
      };
    }
    return reject(from, id, m.hasMethod || from === "client", err, {});
  }

  return {
    inspectValue: (from, value) => inspectValue(from, value),
    inspect(from: McpSender, raw: RawMessage): Promise<McpVerdict> {
      if (raw.kind === "too-long") {
        return reject(from, null, true, {
          code: JSONRPC_ERRORS.invalidRequest,
          message: `The message exceeds the limit of ${mcp.maxLineBytes} bytes (mcp.maxLineBytes)`,
          reason: "too-long",
        }, { bytes: raw.bytes });
      }
      if (raw.kind === "invalid-utf8") {
        return reject(from, null, true, {
          code: JSONRPC_ERRORS.parseError,
          message: "The message is not valid UTF-8",
          reason: "invalid-utf8",
        }, {});
      }
      if (raw.text.trim() === "") return Promise.resolve({});
      let value: unknown;
      try {
        value = parseJsonExact(raw.text);
      } catch {
        return reject(from, null, true, {
          code: JSONRPC_ERRORS.parseError,
          message: "The message is not valid JSON",
          reason: "parse",
        }, {});
      }
      return inspectValue(from, value);
    },
  };
}

function remember(map: Map<string, string>, key: string, method: string): void {
  map.delete(key);
  map.set(key, method);
  if (map.size > MAX_PENDING) map.delete(map.keys().next().value!);
}
