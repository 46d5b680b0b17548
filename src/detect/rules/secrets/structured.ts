/**
 * Credentials recognised by their structure rather than a vendor prefix: JSON Web Tokens
 * and PEM private-key blocks.
 *
 * @module
 */

import type { Rule } from "../../rule.ts";
import { hasJoseHeader } from "./_checks.ts";
import { ALPHABETS, base64url, fake, fakeJwt, fakePem } from "./_fake.ts";

const { base64url: b64url } = ALPHABETS;

const JWT = fakeJwt({ alg: "HS256", typ: "JWT" }, { sub: "1234567890", name: "Kim Minjun" });
const JWT_RS = fakeJwt(
  { typ: "JWT", alg: "RS256", kid: "k1" },
  { iss: "https://id.example.com", aud: "api", exp: 1767225600 },
  1,
);

/**
 * JWT and PEM private-key rows.
 *
 * @example
 * ```ts
 * import { STRUCTURED_RULES } from "./structured.ts";
 * if (!STRUCTURED_RULES.some((r) => r.type === "private_key")) throw new Error("missing");
 * ```
 */
export const STRUCTURED_RULES: readonly Rule[] = [
  {
    id: "jwt-token",
    type: "jwt",
    category: "secret",
    description: "JSON Web Token (three base64url parts whose header is JSON with an alg field)",
    pattern:
      /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,2048}\.eyJ[A-Za-z0-9_-]{8,8192}\.[A-Za-z0-9_-]{16,2048}(?![A-Za-z0-9_-])/,
    trigger: { keywords: ["eyj"] },
    validate: hasJoseHeader,
    confidence: 0.95,
    hardBlock: true,
    // A payload can run to kilobytes; the window must reach the signature behind it.
    windowAfter: 12288,
    examples: {
      positive: [
        `Authorization: Bearer ${JWT}`,
        `{"id_token": "${JWT_RS}", "token_type": "Bearer"}`,
        `document.cookie = "session=${JWT}; path=/"`,
        `이 토큰 디코딩해줘 ${JWT_RS}`,
      ],
      negative: [
        `${base64url('{"typ":"JWT"}')}.${base64url('{"sub":"1"}')}.${fake("", 43, b64url)}`,
        `${JWT.split(".").slice(0, 2).join(".")}`,
        `eyJ${fake("", 30, b64url)}.eyJ${fake("", 30, b64url, 1)}.${fake("", 43, b64url, 2)}`,
        `${JWT.split(".").slice(0, 2).join(".")}.${fake("", 10, b64url)}`,
      ],
    },
  },
  {
    id: "pem-private-key",
    type: "private_key",
    category: "secret",
    description: "PEM private key block, BEGIN through END (RSA, EC, DSA, OpenSSH, PKCS#8, PGP)",
    // The body admits single dashes (Proc-Type, DEK-Info headers) but never a run of five,
    // so a block without END stops at the next armor line instead of swallowing it.
    pattern:
      /-----BEGIN ((?:[A-Z0-9]{1,12} ){0,2})PRIVATE KEY( BLOCK)?-----(?:[A-Za-z0-9+/=\s\\:,.()@_]|-(?!----)){16,12000}-----END \1PRIVATE KEY\2-----/,
    trigger: { keywords: ["private key"] },
    confidence: 0.99,
    hardBlock: true,
    windowAfter: 16384,
    examples: {
      positive: [
        fakePem("RSA PRIVATE KEY", 12, "\n"),
        `key.pem:\r\n${fakePem("PRIVATE KEY", 8, "\r\n")}\r\n`,
        `{"private_key": "${fakePem("PRIVATE KEY", 6, "\\n")}\\n", "type": "service_account"}`,
        fakePem("OPENSSH PRIVATE KEY", 6, "\n"),
        fakePem("EC PRIVATE KEY", 3, "\n"),
        fakePem("ENCRYPTED PRIVATE KEY", 10, "\n"),
        `-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,${
          fake("", 32, ALPHABETS.hex).toUpperCase()
        }\n\n${fake("", 64, ALPHABETS.base64)}\n-----END RSA PRIVATE KEY-----`,
        fakePem("PGP PRIVATE KEY BLOCK", 5, "\n"),
      ],
      negative: [
        fakePem("PUBLIC KEY", 6, "\n"),
        fakePem("CERTIFICATE", 6, "\n"),
        "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----",
        `-----BEGIN RSA PRIVATE KEY-----\n${
          fake("", 64, ALPHABETS.base64)
        }\n-----END PRIVATE KEY-----`,
        "Paste your private key between -----BEGIN PRIVATE KEY----- and the END line.",
      ],
    },
  },
];
