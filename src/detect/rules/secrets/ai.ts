/**
 * AI provider API keys: OpenAI and Anthropic.
 *
 * Both start with `sk-`, which also ends words such as `task-` and `desk-`; every row
 * therefore requires that nothing token-like precedes the prefix.
 *
 * @module
 */

import type { Rule } from "../../rule.ts";
import { mixesCase } from "./_checks.ts";
import { ALPHABETS, fake } from "./_fake.ts";

const { alnum, base64url, hex } = ALPHABETS;

/** The random part after a fixed prefix mixes cases and digits; filler does not. */
const randomAfter = (prefixLength: number) => (v: string) => mixesCase(v.slice(prefixLength));

/** OpenAI's scoped keys share one shape and differ in prefix. */
function openaiScopedRow(kind: string, id: string, what: string): Rule {
  const prefix = `sk-${kind}-`;
  // Current scoped keys embed the same T3BlbkFJ marker as legacy keys, between two halves.
  const key = (seed: number) =>
    `${prefix}${fake("", 74, base64url, seed)}T3BlbkFJ${fake("", 74, base64url, seed + 1)}`;
  return {
    id,
    type: "openai_key",
    category: "secret",
    description: `OpenAI ${what} (${prefix} followed by 20 or more characters)`,
    pattern: new RegExp(`(?<![A-Za-z0-9_-])sk-${kind}-[A-Za-z0-9_-]{20,250}(?![A-Za-z0-9_-])`),
    trigger: { keywords: [prefix] },
    validate: randomAfter(prefix.length),
    minEntropy: 3,
    confidence: 0.98,
    hardBlock: true,
    examples: {
      positive: [
        `OPENAI_API_KEY=${key(1)}`,
        `client = OpenAI(api_key="${key(3)}")`,
        `curl https://api.openai.com/v1/models -H "Authorization: Bearer ${prefix}${
          fake("", 48, alnum, 5)
        }"`,
        `이 키로 호출하면 돼요 ${key(7)}`,
      ],
      negative: [
        `OPENAI_API_KEY=${prefix}your-api-key-here`,
        `OPENAI_API_KEY=${prefix}${"x".repeat(48)}`,
        `OPENAI_API_KEY=${prefix}${fake("", 48, hex)}`,
        `ask-${kind}-${fake("", 48, alnum, 9)}`,
      ],
    },
  };
}

/** Anthropic's API and admin keys differ in their `<kind><version>` segment. */
function anthropicRow(kind: string, version: string, id: string, what: string): Rule {
  const prefix = `sk-ant-${kind}${version}-`;
  const key = (seed: number) => `${prefix}${fake("", 93, base64url, seed)}AA`;
  return {
    id,
    type: "anthropic_key",
    category: "secret",
    description: `Anthropic ${what} (sk-ant-${kind}NN- followed by about 95 characters)`,
    pattern: new RegExp(
      `(?<![A-Za-z0-9_-])sk-ant-${kind}[0-9]{2}-[A-Za-z0-9_-]{80,120}(?![A-Za-z0-9_-])`,
    ),
    trigger: { keywords: [`sk-ant-${kind}`] },
    validate: randomAfter(prefix.length),
    minEntropy: 3,
    confidence: 0.99,
    hardBlock: true,
    examples: {
      positive: [
        `ANTHROPIC_API_KEY=${key(1)}`,
        `client = anthropic.Anthropic(api_key="${key(2)}")`,
        `curl https://api.anthropic.com/v1/messages -H "x-api-key: ${key(3)}"`,
      ],
      negative: [
        `ANTHROPIC_API_KEY=${prefix}your-key-here`,
        `ANTHROPIC_API_KEY=${prefix}${fake("", 60, base64url, 4)}`,
        `ANTHROPIC_API_KEY=${prefix}${"x".repeat(93)}AA`,
      ],
    },
  };
}

/**
 * OpenAI and Anthropic rows.
 *
 * @example
 * ```ts
 * import { AI_RULES } from "./ai.ts";
 * if (!AI_RULES.some((r) => r.type === "anthropic_key")) throw new Error("missing");
 * ```
 */
export const AI_RULES: readonly Rule[] = [
  {
    id: "openai-legacy-key",
    type: "openai_key",
    category: "secret",
    description: "OpenAI legacy user API key (sk- followed by 48 base62, often with T3BlbkFJ)",
    pattern: /(?<![A-Za-z0-9_-])sk-[A-Za-z0-9]{48}(?![A-Za-z0-9_-])/,
    trigger: { keywords: ["sk-"] },
    validate: randomAfter(3),
    minEntropy: 3,
    confidence: 0.97,
    hardBlock: true,
    examples: {
      positive: [
        `OPENAI_API_KEY=sk-${fake("", 20)}T3BlbkFJ${fake("", 20, alnum, 1)}`,
        `openai.api_key = "sk-${fake("", 48, alnum, 2)}"`,
        `{"key": "sk-${fake("", 20, alnum, 3)}T3BlbkFJ${fake("", 20, alnum, 4)}"}`,
      ],
      negative: [
        `key=sk-${fake("", 47, alnum, 5)}`,
        `key=sk-${fake("", 48, hex, 6)}`,
        `task-${fake("", 48, alnum, 7)}`,
        `key=sk-${"X".repeat(48)}`,
      ],
    },
  },
  openaiScopedRow("proj", "openai-project-key", "project API key"),
  openaiScopedRow("svcacct", "openai-service-account-key", "service-account API key"),
  openaiScopedRow("admin", "openai-admin-key", "admin API key"),
  anthropicRow("api", "03", "anthropic-api-key", "API key"),
  anthropicRow("admin", "01", "anthropic-admin-key", "admin API key"),
];
