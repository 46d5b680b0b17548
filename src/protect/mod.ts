/**
 * Protect: walk JSON and text and apply the policy's actions.
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
export type { ReversibleActions, ReversibleContext } from "./reversible.ts";
export { collectSites, type Site, type WalkOptions } from "./walk.ts";
