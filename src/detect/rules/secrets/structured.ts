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

const PEM_BEGIN = String.raw`-----BEGIN (?:[A-Z0-9]{1,12} ){0,2}PRIVATE KEY(?: BLOCK)?-----`;
// Through any END line: one naming another label (a hand-edited or mislabelled block) still
// closes the same key. The body admits single dashes (Proc-Type, DEK-Info headers) but never
// a run of five, so it stops at the next armor line instead of swallowing it.
const PEM_TO_END = String.raw`(?:[A-Za-z0-9+/=\s\\:,.()@_]|-(?!----)){16,12000}` +
  String.raw`-----END [A-Z0-9 ]{1,40}-----`;
// A line break inside a block: whitespace, or a `\n`/`\r` escape in JSON or source code.
const PEM_EOL = String.raw`(?:\s|\\[nr])`;
// Cut short (no END line): optional armor headers, then whole base64 lines, then at most one
// short last line, which must not run on into a sentence ("…\nThanks for the help").
// Each piece starts after a mandatory line break and its class excludes that break, so
// the match is found in one pass.
const PEM_CUT_SHORT =
  String.raw`(?:${PEM_EOL}{1,4}[A-Za-z][A-Za-z\-]{0,19}: ?[^\r\n\\]{1,100}){0,4}` +
  String.raw`(?:${PEM_EOL}{1,4}[A-Za-z0-9+/=]{16,4096}){1,400}` +
  String.raw`(?:${PEM_EOL}{1,4}[A-Za-z0-9+/=]{1,15}(?![A-Za-z0-9+/=]|[ \t]))?`;

/**
 * Whether a PEM block holds key material: a base64 run of 16 or more characters mixing
 * upper case, lower case and digits, rather than a placeholder ("...", "<your key>",
 * "REPLACEWITHYOURKEY").
 */
function hasKeyMaterial(block: string): boolean {
  const body = block.replace(/-----(?:BEGIN|END) [A-Z0-9 ]{1,60}-----/g, " ");
  for (const run of body.match(/[A-Za-z0-9+/=]{16,}/g) ?? []) {
    if (/[A-Z]/.test(run) && /[a-z]/.test(run) && /[0-9]/.test(run)) return true;
  }
  return false;
}

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
    description:
      "PEM private key block (RSA, EC, DSA, OpenSSH, PKCS#8, PGP), also cut short or misclosed",
    pattern: new RegExp(`${PEM_BEGIN}(?:${PEM_TO_END}|${PEM_CUT_SHORT})`),
    trigger: { keywords: ["private key"] },
    validate: hasKeyMaterial,
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
        // The END line names another label: still the same key.
        `-----BEGIN RSA PRIVATE KEY-----\n${
          fake("", 64, ALPHABETS.base64)
        }\n-----END PRIVATE KEY-----`,
        // A paste cut off before its END line, in plain text and inside a JSON string.
        fakePem("PRIVATE KEY", 4, "\n").split("\n-----END")[0].slice(0, -20),
        `{"key": "${fakePem("EC PRIVATE KEY", 3, "\\n").split("\\n-----END")[0]}`,
        `here is my key\n${fakePem("OPENSSH PRIVATE KEY", 3, "\n").split("-----END")[0]}\nwhy?`,
      ],
      negative: [
        fakePem("PUBLIC KEY", 6, "\n"),
        fakePem("CERTIFICATE", 6, "\n"),
        "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----",
        "-----BEGIN PRIVATE KEY-----\n<paste your key here>\n-----END PRIVATE KEY-----",
        "Paste your private key between -----BEGIN PRIVATE KEY----- and the END line.",
        "-----BEGIN PRIVATE KEY-----\nREPLACEWITHYOURKEYMATERIAL",
        "-----BEGIN RSA PRIVATE KEY-----\nthen the lines of your key follow here",
      ],
    },
  },
];
