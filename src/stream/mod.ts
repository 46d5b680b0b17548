/**
 * Streams, all of their framing and the rules applied to them: SSE, NDJSON and JSON-array
 * framing (which one a reply uses, splitting, re-serializing, closing), body decoding, the
 * text guard that protects a channel arriving as deltas, the channel rewriter that owns how
 * every protocol's stream is held back and flushed before its terminator, and the pull-driven
 * body rewriter that ties them together. A protocol file only maps its fields.
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
export { decodeBody, type DecodeBodyOptions, isIdentity } from "./decode_body.ts";
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
export {
  createFrameCodec,
  type FrameCodec,
  type Framing,
  framingContentType,
  framingOf,
} from "./framing.ts";
export { createJsonArraySplitter, type JsonArraySplitter } from "./json_array.ts";
export { rewriteStream, type RewriteStreamOptions } from "./rewrite_stream.ts";
export { type ChunkSource, createChunkReader } from "./chunk_reader.ts";
export { createGuardFactory, type GuardFactoryOptions } from "./reply_guards.ts";
export { createReadWatch, type ReadWatch } from "./read_watch.ts";
