/**
 * The shape every wire protocol file fills in: which routes it serves, where content sits
 * in its requests and responses, how its streams are framed, which fields of a stream
 * frame are text channels, what ends a channel or the stream, and what its errors look like.
 *
 * @module
 */
import { isRawNumber } from "../protect/mod.ts";
import type { Frame, Framing, StreamShape } from "../stream/mod.ts";

export type {
  ChannelKind,
  ChannelSite,
  Frame,
  MappedFrame,
  StreamRewriter,
  StreamShape,
} from "../stream/mod.ts";

/** Wire protocol names. */
export type ProtocolName = "openai" | "anthropic" | "gemini" | "ollama";

export type { Framing } from "../stream/mod.ts";

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
  /**
   * The map of one reply's stream: where its text channels sit and what ends them. The
   * rules (hold back, flush before the end, never split a channel) are applied by
   * `createChannelRewriter` in `src/stream/channel_stream.ts`, the same for every protocol.
   */
  streamShape(route: Route): StreamShape;
  /** The protocol's error body for `status`, an error code and a safe message. */
  errorBody(status: number, code: string, message: string): ErrorBody;
  /** A frame that tells a streaming client the stream failed, in the protocol's shape. */
  streamErrorFrame(code: string, message: string): Frame;
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
  return v !== null && typeof v === "object" && !Array.isArray(v) && !isRawNumber(v);
}
