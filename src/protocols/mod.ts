/**
 * Wire protocols: one file per LLM API, each declaring its routes, where content sits,
 * how its streams are framed and what its errors look like.
 *
 * @module
 */
import { ANTHROPIC } from "./anthropic.ts";
import { GEMINI } from "./gemini.ts";
import { OLLAMA } from "./ollama.ts";
import { OPENAI } from "./openai.ts";
import type { Protocol, Route } from "./types.ts";

export { ANTHROPIC, anthropicErrorType } from "./anthropic.ts";
export { GEMINI, geminiStatus } from "./gemini.ts";
export { OLLAMA } from "./ollama.ts";
export { OPENAI, openaiErrorBody, openaiErrorType } from "./openai.ts";
export { responsesShape } from "./openai_responses.ts";
export * from "./types.ts";

/** Every protocol, in matching order. */
export const PROTOCOLS: readonly Protocol[] = [OPENAI, ANTHROPIC, GEMINI, OLLAMA];

/**
 * Find the protocol and route for a request.
 *
 * @param method HTTP method.
 * @param pathname URL path (without the upstream's base path).
 * @returns The protocol and route, or `null` for an unknown route.
 *
 * @example
 * ```ts
 * import { matchRoute } from "./mod.ts";
 * if (matchRoute("POST", "/api/chat")?.protocol.name !== "ollama") throw new Error();
 * if (matchRoute("POST", "/nope") !== null) throw new Error();
 * ```
 */
export function matchRoute(
  method: string,
  pathname: string,
): { protocol: Protocol; route: Route } | null {
  for (const protocol of PROTOCOLS) {
    const route = protocol.match(method, pathname);
    if (route !== null) return { protocol, route };
  }
  return null;
}
