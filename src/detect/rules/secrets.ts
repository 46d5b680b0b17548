/**
 * Credential detectors: vendor tokens with a published shape, structured secrets (JWTs,
 * PEM private keys) and credentials recognised by position (URL passwords, Authorization
 * headers, secret-named assignments). Every row is hard-block.
 *
 * The rows live by provider family under `./secrets/`; this file fixes their order.
 * Vendor rows come first and carry higher confidence than the positional rows, so an
 * overlap resolves to the most specific type.
 *
 * @module
 */
import type { Rule } from "../rule.ts";
import { AI_RULES } from "./secrets/ai.ts";
import { CLOUD_RULES } from "./secrets/cloud.ts";
import { CODE_HOST_RULES } from "./secrets/code_hosts.ts";
import { COMMERCE_RULES } from "./secrets/commerce.ts";
import { CREDENTIAL_RULES } from "./secrets/credentials.ts";
import { MESSAGING_RULES } from "./secrets/messaging.ts";
import { STRUCTURED_RULES } from "./secrets/structured.ts";

/**
 * Every secret row, in table order.
 *
 * @example
 * ```ts
 * import { SECRET_RULES } from "./secrets.ts";
 * import { createScanner } from "../scanner.ts";
 * const [f] = createScanner(SECRET_RULES).scan("token: npm_" + "aB3dE5fG7h".repeat(3) + "iJ1kL2");
 * if (f?.type !== "npm_token") throw new Error(String(f?.type));
 * ```
 */
export const SECRET_RULES: readonly Rule[] = [
  ...CLOUD_RULES,
  ...CODE_HOST_RULES,
  ...AI_RULES,
  ...MESSAGING_RULES,
  ...COMMERCE_RULES,
  ...STRUCTURED_RULES,
  ...CREDENTIAL_RULES,
];
