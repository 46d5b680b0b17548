/**
 * Stream helpers: SSE and NDJSON framing, body decoding, the
 * text guard that protects a channel arriving as deltas, and the channel rewriter that
 * owns how every protocol's stream is held back, flushed and re-serialized.
 *
 * @module
 */
export {
  createSseParser,
  serializeSseEvent,
  type SseEvent,
  type SseParser,
  type SseParserOptions,
} from "./sse.ts";
export { createNdjsonParser, type NdjsonParser, type NdjsonParserOptions } from "./ndjson.ts";
export { decodeBody, type DecodeBodyOptions } from "./decode_body.ts";
export {
  createTextGuard,
  type GuardSpan,
  type TextGuard,
  type TextGuardOptions,
  type TextGuardResult,
} from "./text_guard.ts";
export {
  type ChannelKind,
  type ChannelRewriterOptions,
  type ChannelSite,
  createChannelRewriter,
  type Frame,
  type MappedFrame,
  streamIndex,
  type StreamRewriter,
  type StreamShape,
} from "./channel_stream.ts";
