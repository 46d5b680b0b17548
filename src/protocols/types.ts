/**
 * The shape every wire protocol file fills in: which routes it serves, where content sits
 * in its requests and responses, how its streams are framed, which event carries which
 * text delta, what ends a stream, and what its errors look like.
 *
 * @module
 */
import type { AppliedFinding } from "../protect/mod.ts";

/** Wire protocol names. */
export type ProtocolName = "openai" | "anthropic" | "gemini" | "ollama";

/** How a streamed reply is framed on the wire. */
export type Framing = "sse" | "ndjson" | "json-array";

/** A matched route. */
export interface Route {
  /** Protocol that owns the route. */
  readonly protocol: ProtocolName;
  /** Stable route name for metrics and audit, e.g. `chat.completions`. */
  readonly name: string;
  /** Whether the request has a JSON body to protect (GET listings have none). */
  readonly hasBody: boolean;
  /** Whether replies to this route can stream at all. */
  readonly streams: boolean;
}

/** One upstream frame as the rewriter sees it: SSE event name (if any) and its data. */
export interface Frame {
  /** SSE `event:` field; absent for NDJSON lines and JSON-array elements. */
  readonly event?: string;
  /** The frame's payload: JSON text, or `[DONE]`. */
  readonly data: string;
}

/**
 * What a channel carries: prose (`text`), or JSON source text (`json`: tool-call argument
 * deltas), where restored values are escaped so they cannot end a JSON string early.
 */
export type ChannelKind = "text" | "json";

/** A held-back text channel of a stream (one per choice, block, item or tool call). */
export interface ChannelSet {
  /**
   * Push a delta into channel `key`; resolves to the protected text to emit now. `kind`
   * (default `text`) is fixed by the channel's first push.
   */
  push(key: string, delta: string, path: string, kind?: ChannelKind): Promise<string>;
  /** Flush one channel; resolves to its held text ("" when none or unknown). */
  flush(key: string): Promise<string>;
  /** Flush every channel whose key starts with `prefix`, in creation order. */
  flushPrefix(prefix: string): Promise<Array<{ key: string; text: string }>>;
  /** Keys of open channels, in creation order. */
  keys(): string[];
}

/** What a stream rewriter may use: channels and whole-value protection. */
export interface RewriteContext {
  /** Hold-back text channels. */
  readonly channels: ChannelSet;
  /**
   * Protect a parsed JSON value that is not a delta (snapshots, tool-call objects, whole
   * events): model output is scanned and this caller's tokens restored, in place.
   */
  protectValue(value: unknown, path: string): Promise<unknown>;
}

/** Rewrites one protocol's stream frame by frame. */
export interface StreamRewriter {
  /** Rewrite one frame; resolves to the frames to forward (possibly none). */
  frame(frame: Frame): Promise<Frame[]>;
  /** The upstream body ended: flush what is held; resolves to the last frames. */
  end(): Promise<Frame[]>;
  /** True once the protocol's terminator was forwarded: nothing may follow. */
  readonly finished: boolean;
}

/** A protocol-shaped error body. */
export interface ErrorBody {
  /** HTTP status. */
  readonly status: number;
  /** JSON body in the protocol's own error shape. */
  readonly body: unknown;
}

/** A wire protocol. */
export interface Protocol {
  /** Protocol name. */
  readonly name: ProtocolName;
  /** Match a request; `null` when the protocol does not serve it. */
  match(method: string, pathname: string): Route | null;
  /**
   * Where content sits in requests, for documentation and tests. Every string of the body
   * is protected regardless (fail closed), so a field missing here is still covered.
   */
  readonly requestContent: readonly string[];
  /** Where model output sits in non-stream replies (likewise documentation). */
  readonly responseContent: readonly string[];
  /** Whether the caller asked for a streamed reply. */
  wantsStream(route: Route, body: unknown, url: URL): boolean;
  /** The framing this protocol streams in for `route` and `url`. */
  framing(route: Route, url: URL): Framing;
  /** A stream rewriter for one reply. */
  createRewriter(route: Route, ctx: RewriteContext): StreamRewriter;
  /** The protocol's error body for `status`, an error code and a safe message. */
  errorBody(status: number, code: string, message: string): ErrorBody;
  /** A frame that tells a streaming client the stream failed, in the protocol's shape. */
  streamErrorFrame(code: string, message: string): Frame;
}

/** Findings collected while rewriting, re-labelled with the field they came from. */
export type OutputFinding = AppliedFinding;

/**
 * Parse a frame's JSON data, or `undefined` when it is not a JSON object.
 *
 * @example
 * ```ts
 * import { parseObject } from "./types.ts";
 * if (parseObject('{"a":1}')?.a !== 1) throw new Error("object");
 * if (parseObject("[1]") !== undefined) throw new Error("arrays are not frames");
 * ```
 */
export function parseObject(data: string): Record<string, unknown> | undefined {
  let v: unknown;
  try {
    v = JSON.parse(data);
  } catch {
    return undefined;
  }
  return v !== null && typeof v === "object" && !Array.isArray(v)
    ? v as Record<string, unknown>
    : undefined;
}

/**
 * Narrow to a plain object.
 *
 * @example
 * ```ts
 * import { isRecord } from "./types.ts";
 * if (!isRecord({}) || isRecord([])) throw new Error("records only");
 * ```
 */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}
