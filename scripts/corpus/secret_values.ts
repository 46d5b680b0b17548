/**
 * Generators for fake credentials shaped like each provider's published format.
 *
 * Every value is random; none is a real credential. Where a format carries a checksum
 * (GitHub and npm tokens end in a base62 CRC-32 of the random part), it is computed so a
 * detector that checks it still sees a well-formed value.
 *
 * @module
 */
import { B64, BASE62, DIGITS, HEX, LOWER, type Rng, UPPER } from "./rng.ts";
import { base62, base64, base64url, crc32 } from "./checksums.ts";
import { type MakeValue, whole } from "./values.ts";

const B32 = UPPER + "234567";
const TOKEN_CHARS = BASE62 + "_-";

function checksummed(rng: Rng, prefix: string, randomLen: number): string {
  const body = rng.chars(BASE62, randomLen);
  return prefix + body + base62(crc32(body), 6);
}

/** AWS access key id (AKIA long-term, ASIA temporary). */
export const awsAccessKeyId: MakeValue = (rng) => {
  const p = rng.chance(0.8) ? "AKIA" : "ASIA";
  return whole(p + rng.chars(B32, 16), p.toLowerCase());
};

/** AWS secret access key: 40 base64 characters; only recognisable by its name. */
export const awsSecretAccessKey: MakeValue = (rng) => whole(rng.chars(B64, 40), "secret", true);

/** GitHub classic, OAuth, app and fine-grained tokens. */
export const githubToken: MakeValue = (rng) => {
  if (rng.chance(0.2)) {
    const v = `github_pat_${rng.chars(BASE62, 22)}_${rng.chars(BASE62, 59)}`;
    return whole(v, "fine-grained");
  }
  const p = rng.pick(["ghp_", "ghp_", "gho_", "ghu_", "ghs_", "ghr_"]);
  return whole(checksummed(rng, p, 30), p.slice(0, 3));
};

/** GitLab personal, deploy and runner tokens. */
export const gitlabToken: MakeValue = (rng) => {
  const p = rng.pick(["glpat-", "glpat-", "glpat-", "gldt-", "glrt-"]);
  return whole(p + rng.chars(BASE62 + "_-", 20), p.replace("-", ""));
};

/** Slack bot, user and app-level tokens. */
export const slackToken: MakeValue = (rng) => {
  const kind = rng.pick(["xoxb", "xoxb", "xoxp", "xapp"]);
  if (kind === "xoxb") {
    return whole(`xoxb-${rng.digits(12)}-${rng.digits(13)}-${rng.chars(BASE62, 24)}`, kind);
  }
  if (kind === "xoxp") {
    return whole(
      `xoxp-${rng.digits(12)}-${rng.digits(12)}-${rng.digits(13)}-${rng.chars(HEX, 32)}`,
      kind,
    );
  }
  return whole(
    `xapp-1-A${rng.chars(UPPER + DIGITS, 10)}-${rng.digits(13)}-${rng.chars(HEX, 64)}`,
    kind,
  );
};

/** Slack incoming-webhook URL. */
export const slackWebhook: MakeValue = (rng) =>
  whole(
    `https://hooks.slack.com/services/T${rng.chars(UPPER + DIGITS, 10)}/B${
      rng.chars(UPPER + DIGITS, 10)
    }/${rng.chars(BASE62, 24)}`,
    "webhook",
  );

/** Stripe secret and restricted keys (live mostly, some test). */
export const stripeKey: MakeValue = (rng) => {
  const p = rng.pick(["sk_live_", "sk_live_", "rk_live_", "sk_test_"]);
  return whole(p + rng.chars(BASE62, rng.pick([24, 99])), p.slice(0, -1));
};

/** OpenAI legacy, project and service-account keys. */
export const openaiKey: MakeValue = (rng) => {
  const kind = rng.pick(["legacy", "proj", "proj", "svcacct"]);
  if (kind === "legacy") {
    return whole(`sk-${rng.chars(BASE62, 20)}T3BlbkFJ${rng.chars(BASE62, 20)}`, kind);
  }
  const v = `sk-${kind}-${rng.chars(TOKEN_CHARS, 74)}T3BlbkFJ${rng.chars(TOKEN_CHARS, 74)}`;
  return whole(v, kind);
};

/** Anthropic API and admin keys. */
export const anthropicKey: MakeValue = (rng) => {
  const p = rng.chance(0.85) ? "sk-ant-api03-" : "sk-ant-admin01-";
  return whole(p + rng.chars(TOKEN_CHARS, 93) + "AA", p.slice(7, -1));
};

/** Google API key (AIza…). */
export const googleApiKey: MakeValue = (rng) => whole("AIza" + rng.chars(TOKEN_CHARS, 35), "aiza");

/** Google OAuth client secret (GOCSPX-…). */
export const googleOauthClientSecret: MakeValue = (rng) =>
  whole("GOCSPX-" + rng.chars(TOKEN_CHARS, 28), "gocspx");

/** SendGrid API key. */
export const sendgridKey: MakeValue = (rng) =>
  whole(`SG.${rng.chars(TOKEN_CHARS, 22)}.${rng.chars(TOKEN_CHARS, 43)}`, "sg");

/** Twilio API key SID (SK + 32 hex). */
export const twilioApiKey: MakeValue = (rng) => whole("SK" + rng.chars(HEX, 32), "sk");

/** npm access token with its CRC-32 tail. */
export const npmToken: MakeValue = (rng) => whole(checksummed(rng, "npm_", 30), "npm");

/** Hugging Face user access token. */
export const huggingfaceToken: MakeValue = (rng) =>
  whole("hf_" + rng.chars(UPPER + LOWER, 34), "hf");

/** Shopify admin, custom-app, partner and shared-secret tokens. */
export const shopifyToken: MakeValue = (rng) => {
  const p = rng.pick(["shpat_", "shpca_", "shppa_", "shpss_"]);
  return whole(p + rng.chars(HEX + "ABCDEF", 32).toLowerCase(), p.slice(0, -1));
};

/** Databricks personal access token. */
export const databricksToken: MakeValue = (rng) => {
  const v = "dapi" + rng.chars(HEX, 32) + (rng.chance(0.3) ? "-2" : "");
  return whole(v, "dapi");
};

/** Telegram bot token: bot id, colon, 35 characters starting with AA. */
export const telegramBotToken: MakeValue = (rng) =>
  whole(`${rng.int(1, 9)}${rng.digits(rng.int(7, 9))}:AA${rng.chars(TOKEN_CHARS, 33)}`, "bot");

/** Azure storage account key: 64 random bytes in base64 (88 characters ending "=="). */
export const azureStorageKey: MakeValue = (rng) =>
  whole(base64(rng.bytes(64)), "account-key", true);

const JWT_CLAIMS = ["sub", "name", "email_verified", "scope", "role", "tenant"];

/** A JWT: real base64url JSON header and payload, random signature. */
export const jwt: MakeValue = (rng) => {
  const alg = rng.pick(["HS256", "RS256", "ES256"]);
  const header = rng.chance(0.5)
    ? { alg, typ: "JWT" }
    : { typ: "JWT", alg, kid: rng.chars(HEX, 8) };
  const iat = 1_700_000_000 + rng.int(0, 60_000_000);
  const payload: Record<string, unknown> = {
    sub: String(rng.int(100000, 999999)),
    iat,
    exp: iat + 3600,
    iss: rng.pick(["https://auth.example.com/", "haechi-test", "https://login.acme-corp.io"]),
  };
  payload[rng.pick(JWT_CLAIMS)] = rng.pick(["admin", "user", "read:all", true]);
  const sigLen = alg === "ES256" ? 64 : alg === "RS256" ? 256 : 32;
  const v = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}.${
    base64url(rng.bytes(sigLen))
  }`;
  return whole(v, alg.toLowerCase());
};

const PEM_KINDS: readonly [string, string, number][] = [
  ["RSA PRIVATE KEY", "MIIEow", 25],
  ["PRIVATE KEY", "MIIEvQ", 26],
  ["EC PRIVATE KEY", "MHcCAQEE", 3],
  ["OPENSSH PRIVATE KEY", "b3BlbnNzaC1rZXktdjEAAAAA", 7],
  ["ENCRYPTED PRIVATE KEY", "MIIFHDBOBgkqhkiG9w0BBQ0w", 20],
];

/** A PEM private-key block with a random base64 body in 64-column lines. */
export const privateKey: MakeValue = (rng) => {
  const [label, lead, lines] = rng.pick(PEM_KINDS);
  const body = lead + rng.chars(B64, lines * 64 - lead.length - rng.int(0, 40));
  const wrapped = body.replace(/(.{64})(?=.)/g, "$1\n");
  const v = `-----BEGIN ${label}-----\n${wrapped}\n-----END ${label}-----`;
  return whole(v, label.split(" ")[0].toLowerCase());
};

const PASS_CHARS = BASE62 + "!$*-_.~";

/** A connection URL with a password; the label covers the password only. */
export const urlPassword: MakeValue = (rng) => {
  const scheme = rng.pick([
    "postgres",
    "postgresql",
    "mysql",
    "mongodb+srv",
    "redis",
    "amqp",
    "https",
    "ftp",
  ]);
  const user = rng.pick(["admin", "app", "svc_orders", "deploy", "root", "analytics"]);
  // A leading "$" would read as a shell variable placeholder, which detectors rightly skip.
  const pass = rng.chars(BASE62, 1) + rng.chars(PASS_CHARS, rng.int(11, 27));
  const host = rng.pick([
    "db.internal.acme-corp.io",
    "cluster0.ab12cd.mongodb.net",
    "cache.prod.local",
    "mq.example.net",
  ]);
  const port = rng.pick(["", ":5432", ":3306", ":6379", ":5672"]);
  const pre = `${scheme}://${user}:`;
  const text = `${pre}${pass}@${host}${port}/${rng.pick(["app", "orders", "0", "vhost", ""])}`;
  return {
    text,
    start: pre.length,
    end: pre.length + pass.length,
    needsKeyword: false,
    variant: scheme,
  };
};

/** An HTTP Authorization header line; the label covers the credential after the scheme. */
export const authHeader: MakeValue = (rng) => {
  const name = rng.pick(["Authorization", "Authorization", "authorization", "Proxy-Authorization"]);
  const kind = rng.pick(["Basic", "Bearer", "Bearer", "Token"]);
  let cred: string;
  if (kind === "Basic") {
    const pw = rng.chars(BASE62 + "!#%", rng.int(10, 20));
    cred = btoa(`${rng.pick(["admin", "ci-bot", "jenkins", "alice"])}:${pw}`);
  } else {
    cred = rng.chars(BASE62, rng.int(32, 48));
  }
  const pre = `${name}: ${kind} `;
  return {
    text: pre + cred,
    start: pre.length,
    end: pre.length + cred.length,
    needsKeyword: false,
    variant: kind.toLowerCase(),
  };
};

/** A high-entropy password or key that only its assignment name marks as a secret. */
export const genericSecret: MakeValue = (rng) => {
  const n = rng.int(14, 32);
  let v = rng.chars(PASS_CHARS + "#%^&", n);
  // Make sure the value mixes character classes like a generated password does.
  v = rng.pick(UPPER.split("")) + v.slice(1, -2) + rng.digits(1) +
    rng.pick(["!", "#", "$", "%", "x"]);
  return whole(v, "assigned", true);
};
