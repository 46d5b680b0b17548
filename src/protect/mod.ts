/**
 * Protect: walk JSON and text and apply the policy's actions, both ways: what leaves toward a
 * model or tool (`createProtector`) and what comes back (`createReplyProtection` for a reply
 * the caller reads, `protectToolReply` for a tool result a model reads).
 *
 * @module
 */
export {
  type AppliedFinding,
  createProtector,
  type ProtectCallOptions,
  type Protector,
  type ProtectorDeps,
  type ProtectOutcome,
} from "./protector.ts";
export { checkSize, isRawNumber, parseJsonExact, parseJsonText } from "./json_text.ts";
export { joinSplitTextParts, type Span } from "./join_parts.ts";
export { maskValue, redactionMarker } from "./replacement.ts";
export {
  createReplyProtection,
  protectToolReply,
  replyAction,
  type ReplyProtection,
  type ReplyProtectionOptions,
  type RestoreTally,
} from "./reply.ts";
export { escapeJsonStringBody, isJsonTextField, jsonStringRestorer } from "./json_restorer.ts";
export { spliceFindings } from "./replacement.ts";
export {
  addRestoreCounts,
  emptyRestoreCounts,
  type RestoreCounts,
  type RestoreResult,
  type ReversibleActions,
  type ReversibleContext,
  TOKEN_PATTERN,
  type TokenRestorer,
} from "./reversible.ts";
export { collectSites, type Site, type WalkOptions } from "./walk.ts";
