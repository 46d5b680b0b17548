/**
 * Protect: walk JSON and text and apply the policy's actions.
 *
 * @module
 */
export {
  type AppliedFinding,
  createProtector,
  parseJsonText,
  type ProtectCallOptions,
  type Protector,
  type ProtectorDeps,
  type ProtectOutcome,
} from "./protector.ts";
export { maskValue, redactionMarker } from "./replacement.ts";
export type { ReversibleActions, ReversibleContext } from "./reversible.ts";
export { collectSites, type Site, type WalkOptions } from "./walk.ts";
