/**
 * Commerce platform keys: Stripe and Shopify.
 *
 * @module
 */

import type { Rule } from "../../rule.ts";
import { ALPHABETS, fake } from "./_fake.ts";

const { alnum, hex } = ALPHABETS;

/**
 * Stripe and Shopify rows.
 *
 * @example
 * ```ts
 * import { COMMERCE_RULES } from "./commerce.ts";
 * if (!COMMERCE_RULES.some((r) => r.type === "stripe_key")) throw new Error("missing");
 * ```
 */
export const COMMERCE_RULES: readonly Rule[] = [
  {
    id: "stripe-secret-key",
    type: "stripe_key",
    category: "secret",
    description: "Stripe secret or restricted key (sk_/rk_ + live_/test_ + 24 or more base62)",
    pattern: /(?<![A-Za-z0-9_])[sr]k_(?:live|test)_[A-Za-z0-9]{24,247}(?![A-Za-z0-9_])/,
    trigger: { keywords: ["sk_live_", "sk_test_", "rk_live_", "rk_test_"] },
    minEntropy: 3,
    confidence: 0.98,
    hardBlock: true,
    examples: {
      positive: [
        `STRIPE_SECRET_KEY=${fake("sk_live_", 99)}`,
        `const stripe = require("stripe")("${fake("sk_test_", 24, alnum, 1)}");`,
        `stripe.api_key = '${fake("rk_live_", 99, alnum, 2)}'`,
        `테스트 키: ${fake("rk_test_", 24, alnum, 3)}`,
      ],
      negative: [
        `STRIPE_PUBLISHABLE_KEY=${fake("pk_live_", 99)}`,
        `key=${fake("sk_live_", 23)}`,
        "key=sk_live_xxxxxxxxxxxxxxxxxxxxxxxx",
        `key=${fake("sk_prod_", 30)}`,
      ],
    },
  },
  {
    id: "shopify-access-token",
    type: "shopify_token",
    category: "secret",
    description: "Shopify access token or shared secret (shpat_/shpca_/shppa_/shpss_ + 32 hex)",
    pattern: /(?<![A-Za-z0-9_])shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}(?![A-Za-z0-9_])/,
    trigger: { keywords: ["shpat_", "shpca_", "shppa_", "shpss_"] },
    minEntropy: 3,
    confidence: 0.97,
    hardBlock: true,
    examples: {
      positive: [
        `SHOPIFY_ACCESS_TOKEN=${fake("shpat_", 32, hex)}`,
        `"X-Shopify-Access-Token": "${fake("shpca_", 32, hex, 1)}"`,
        `api_secret = ${fake("shpss_", 32, hex, 2)}`,
      ],
      negative: [
        `token=${fake("shpat_", 31, hex)}`,
        `token=${fake("shpat_", 32, alnum, 3)}`,
        `token=shpat_${"0".repeat(32)}`,
        `token=${fake("shpxx_", 32, hex)}`,
      ],
    },
  },
];
