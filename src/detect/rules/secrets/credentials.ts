/**
 * Credentials found by where they sit rather than what they look like: passwords inside
 * URLs, `Authorization` header values and values assigned to secret-named keys.
 *
 * These rows carry lower confidence than the vendor rows, so when both match the same
 * span the finding is named after the vendor.
 *
 * @module
 */

import type { Rule } from "../../rule.ts";
import { isPlaceholder, isSecretValue } from "./_checks.ts";
import { CHAT_GAP } from "./_assign.ts";
import { ALPHABETS, fake } from "./_fake.ts";

const { alnum, base64, hex } = ALPHABETS;

const PASSWORD = "Zq8vL2pXr7Tk";
// A name inside a URL's userinfo (`https://x-access-token:<value>@host`) belongs to the
// url-password row, which stops at the `@`; the lookbehind keeps these rows out of it. It
// sits after the name (and so reaches back over it, 64 + 20 characters) so that it runs
// only where a name matched, not at every position of the window.
// Password words in other languages are listed where they are ASCII (or, like "contraseña",
// start with an ASCII trigger); other scripts are the localized row's job.
const KEY_NAMES = String
  .raw`(?:passw(?:or)?[dt]|pwd|kennwort|wachtwoord|mot de passe|contrase(?:ñ|n)a|senha|` +
  String.raw`secret(?:[_-]?(?:access[_-]?)?key)?|api[_-]?key|token|private[_-]?key)` +
  String.raw`(?<!\/\/[^\s\/?#@&"']{0,84})`;
const ASSIGN = String.raw`(?:=>|:=|={1,2}|:)`;
const NAME_KEYWORDS = [
  "passw",
  "pwd",
  "kennwort",
  "wachtwoord",
  "mot de passe",
  "contrase",
  "senha",
  "secret",
  "api_key",
  "apikey",
  "api-key",
  "token",
  "private_key",
  "private-key",
  "privatekey",
];

// A value typed in a sentence: printable ASCII without spaces, quotes or angle brackets (so
// it stops at "です" or "입니다" written straight after it), not ending in punctuation that
// closes the sentence around it.
const PHRASE_VALUE = String.raw`([\x21\x23-\x26\x28-\x3b\x3d\x3f-\x5b\x5d-\x5f\x61-\x7e]{7,199}` +
  String.raw`[\x21\x23-\x26\x28\x2a\x2b\x2d\x2f-\x39\x3d\x40-\x5b\x5f\x61-\x7b\x7e])` +
  String.raw`(?=[.,;:?)\]}]{0,3}(?![\x21-\x7e]))`;

// Password words in scripts the keyword automaton cannot hold (it takes ASCII only).
const LOCAL_PASSWORD_WORDS = [
  "비밀번호",
  "비번",
  "패스워드",
  "パスワード",
  "密码",
  "密碼",
  "пароль",
];

/**
 * Whether a value named only by prose ("my password is …") looks generated: at least ten
 * characters with a digit and two of upper case, lower case and symbols, not words joined
 * by dashes, and no placeholder or code shape.
 * Prose after a password word is mostly words, so this is stricter than for assignments.
 */
function phraseSecretValue(v: string): boolean {
  const classes = [/[A-Z]/, /[a-z]/, /[^A-Za-z0-9]/].filter((re) => re.test(v)).length;
  return v.length >= 10 && /[0-9]/.test(v) && classes >= 2 && !WORDS_AND_ACRONYMS.test(v) &&
    isSecretValue(v, false);
}

// "2FA-enabled", "OAuth2-Flow", "v2_Final": words and acronyms joined by dashes are prose.
const WORD = String.raw`(?:[A-Z0-9]{1,6}|[A-Z]{0,2}[a-z]+[0-9]{0,2})`;
const WORDS_AND_ACRONYMS = new RegExp(`^${WORD}(?:[-_.]${WORD})+$`);

/**
 * URL-password, Authorization-header and generic assignment rows.
 *
 * @example
 * ```ts
 * import { CREDENTIAL_RULES } from "./credentials.ts";
 * if (!CREDENTIAL_RULES.some((r) => r.type === "url_password")) throw new Error("missing");
 * ```
 */
export const CREDENTIAL_RULES: readonly Rule[] = [
  {
    id: "url-password",
    type: "url_password",
    category: "secret",
    description: "Password in the userinfo part of a URL (scheme://user:password@host)",
    // The user part cannot hold ':' and neither part can hold '/' or '?', so `host:port/`
    // and `host:port?q=a@b` never read as a user and a password.
    pattern:
      /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{1,31}:\/\/([^\s:\/?#@"'<>\\]{0,128}):([^\s\/?@"'<>\\]{1,256})@(?=[A-Za-z0-9\[_-])/,
    group: 2,
    trigger: { keywords: ["://"] },
    validate: (v) => !isPlaceholder(v),
    confidence: 0.9,
    hardBlock: true,
    examples: {
      positive: [
        `DATABASE_URL=postgres://app:${PASSWORD}@db.internal:5432/app`,
        `mongodb+srv://admin:${fake("", 16)}@cluster0.abcde.mongodb.net/?retryWrites=true`,
        `REDIS_URL="redis://:${fake("", 20, alnum, 1)}@cache:6379/0"`,
        `amqp://guest:s3cr3t-Rabbit!@mq.local:5672/`,
        `mysql -e "..." mysql://root:hunter2@127.0.0.1/db 로 접속`,
        `git remote add origin https://kim:${fake("", 14, alnum, 2)}@git.example.com/repo.git`,
      ],
      negative: [
        "see https://example.com:8080/ for details",
        "clone ssh://git@github.com/acme/repo.git",
        "postgres://user:password@localhost/db",
        "postgres://user:****@localhost/db",
        "postgres://user:<password>@localhost/db",
        "postgres://user:${DB_PASS}@localhost/db",
        "http://[::1]:8080/health",
      ],
    },
  },
  {
    id: "http-authorization-header",
    type: "auth_header",
    category: "secret",
    description: "Credential in an Authorization header (Bearer, Basic, token or Bot scheme)",
    pattern:
      /authorization\\?["']?\s{0,4}[:=,]\s{0,4}\\?["']?\s{0,4}(?:bearer|basic|token|bot)\s{1,4}([A-Za-z0-9._~+/=-]{8,8192})/i,
    group: 1,
    trigger: { keywords: ["authorization"] },
    // A single-case word after the scheme is prose ("Bearer authentication"), not a token.
    validate: (v) => !isPlaceholder(v) && !/^(?:[a-z]+|[A-Z]+)$/.test(v),
    minEntropy: 3,
    confidence: 0.85,
    hardBlock: true,
    // Bearer tokens are often JWTs of a kilobyte or more.
    windowAfter: 8192,
    examples: {
      positive: [
        `curl -H "Authorization: Bearer ${fake("", 40, alnum, 1)}" https://api.example.com/v1/me`,
        `GET /v1/me HTTP/1.1\r\nHost: api.example.com\r\nAuthorization: Basic ${
          btoa("svc-user:" + fake("", 12, alnum, 2))
        }\r\n`,
        `{"headers": {"authorization": "Bearer ${fake("", 32, hex, 3)}"}}`,
        `req.Header.Set("Authorization", "token ${fake("", 40, alnum, 4)}")`,
        `헤더에 Authorization: Bearer ${fake("", 48, base64, 5)} 넣었는데 401이 나와요`,
      ],
      negative: [
        "Authorization: Bearer <token>",
        "Authorization: Bearer $TOKEN",
        "Authorization: Bearer YOUR_API_KEY",
        'headers = {"Authorization": f"Bearer {token}"}',
        "The Authorization: Bearer authentication scheme is defined in RFC 6750.",
        "Authorization: Bearer xxxxxxxxxxxxxxxx",
      ],
    },
  },
  {
    id: "generic-secret-quoted",
    type: "generic_secret",
    category: "secret",
    description: "Quoted high-entropy value assigned to a password, secret, token or API-key name",
    pattern: new RegExp(
      String
        .raw`${KEY_NAMES}\\?["'\x60]?\]?\s{0,4}${ASSIGN}\s{0,4}\\?(["'\x60])([^\s"'\x60\\]{8,200})\\?\1`,
      "i",
    ),
    group: 2,
    trigger: { keywords: NAME_KEYWORDS },
    // Every match holds an assignment operator, and prose names a token or a password far
    // more often than it assigns one.
    windowRequires: [":", "="],
    validate: (v) => isSecretValue(v, true),
    minEntropy: 3,
    confidence: 0.8,
    hardBlock: true,
    examples: {
      positive: [
        `DB_PASSWORD="${PASSWORD}"`,
        `{"client_secret": "${fake("", 32, alnum, 1)}", "client_id": "web"}`,
        `const apiKey = '${fake("", 24, alnum, 2)}';`,
        `config.token = \`${fake("", 30, base64, 3)}\``,
        `{:password => "Tr0ub4dor&3x"}`,
        `{\\"api_key\\": \\"${fake("", 20, alnum, 4)}\\"}`,
        `설정: password: "비밀${PASSWORD}"`,
      ],
      negative: [
        `password = "changeme"`,
        `"password": "<your-password>"`,
        `api_key: "YOUR_API_KEY_HERE"`,
        `token = "xxxxxxxxxxxxxxxx"`,
        `secret: "12345678901"`,
        `password = "${"ab".repeat(6)}"`,
        `"token": "https://auth.example.com/oauth/token"`,
      ],
    },
  },
  {
    id: "generic-secret-unquoted",
    type: "generic_secret",
    category: "secret",
    description: "Bare high-entropy value assigned to a password, secret, token or API-key name",
    // The value must end at whitespace, a quote or a delimiter; a value running into `(` or
    // `[` is a call or an index expression, not a literal. An `&` belongs to the value
    // unless it starts the next query parameter (`?token=…&format=csv`).
    pattern: new RegExp(
      String
        .raw`${KEY_NAMES}["']?\]?\s{0,4}${ASSIGN}\s{0,4}(?!["'\x60])((?:[^\s"'\x60,;&<>(){}\[\]\\]|&(?![A-Za-z_][\w.-]{0,32}=)){8,200})(?![^\s"'\x60,;&<>)}\]])`,
      "i",
    ),
    group: 1,
    trigger: { keywords: NAME_KEYWORDS },
    // As for the quoted row: no assignment operator in the window, no match.
    windowRequires: [":", "="],
    validate: (v) => isSecretValue(v, false),
    minEntropy: 3,
    confidence: 0.75,
    hardBlock: true,
    examples: {
      positive: [
        `API_KEY=${fake("", 32, alnum, 5)}`,
        `password: ${PASSWORD}`,
        `https://api.example.com/v1/report?token=${fake("", 24, alnum, 6)}&format=csv`,
        `[database]\npwd = ${fake("", 14, base64, 7)}`,
        `제 비번은 password=${PASSWORD} 입니다`,
        `docker run -e AUTH_TOKEN=${fake("", 12, alnum, 13)}.${fake("", 6, alnum, 14)} acme/app`,
        `DB_PASSWORD=Wx4n&Sv.xb4e1%`,
      ],
      negative: [
        "token: null",
        "secret=true",
        "password = getPassword()",
        "api_key = os.environ['API_KEY']",
        "secret = settings.SECRET_KEY",
        "token = self.client2.auth_token",
        "PWD=/home/kim/projects/app",
        "api_key: ${API_KEY}",
        "password: changeme",
        "token_count: 1234567890",
        "token: 1700000000123",
      ],
    },
  },
  {
    id: "generic-secret-phrase",
    type: "generic_secret",
    category: "secret",
    description:
      "Generated-looking value named in a sentence: 'my password is …', 'Passwort lautet …'",
    pattern: new RegExp(String.raw`${KEY_NAMES}${CHAT_GAP}${PHRASE_VALUE}`, "i"),
    group: 1,
    trigger: { keywords: NAME_KEYWORDS },
    validate: phraseSecretValue,
    minEntropy: 3,
    confidence: 0.7,
    hardBlock: true,
    examples: {
      positive: [
        `my password is ${PASSWORD} — is it safe to paste here?`,
        `Das Passwort lautet ${PASSWORD}`,
        `le mot de passe est ${fake("", 16, alnum, 8)}, merci`,
        `la contraseña es ${PASSWORD}`,
        `het wachtwoord is ${PASSWORD}.`,
        `a senha é ${PASSWORD}`,
        `password hai ${PASSWORD}, kisi ko mat batana`,
        `client_secret 값이 ${fake("", 20, alnum, 9)} 인데 인증이 안 돼요`,
        `auth_token は ${fake("", 20, alnum, 10)} です、動きません`,
        `mera api_key ${fake("", 20, alnum, 11)} hai, kaam nahi kar raha`,
        `mera passwd ${fake("", 10, alnum, 15)}.${fake("", 7, alnum, 16)} hai`,
        `mera api_key ${fake("", 12, ALPHABETS.upperAlnum, 17)}%7# hai`,
        `the password is: ${PASSWORD}`,
        `Our wifi password is : ${PASSWORD}, ask at the desk`,
        `das Passwort ist: ${PASSWORD}`,
        `token is=${fake("", 20, alnum, 18)}`,
      ],
      negative: [
        "my password is changeme",
        "the password is Password and it is weak",
        "the token is expired, please refresh",
        "your api key is YOUR_API_KEY_HERE",
        "password is 1234567890",
        "the secret is getSecretValue() in utils.ts",
        "token 2FA-enabled",
        "my secret is OAuth-Flow2-Final",
        "password is config.db.password",
        "the token is ${API_TOKEN}",
        "the password is: changeme",
        "password is: see the vault entry",
      ],
    },
  },
  {
    id: "generic-secret-localized",
    type: "generic_secret",
    category: "secret",
    description:
      "Generated-looking value after a password word in Korean, Japanese, Chinese or Russian",
    pattern: new RegExp(
      String.raw`(?:${LOCAL_PASSWORD_WORDS.join("|")})(?:\s{0,2}(?:는|은|이|가|は|が|是|為|为))?` +
        String.raw`\s{0,4}(?:[:=]\s{0,4})?["'\x60]?${PHRASE_VALUE}`,
      "i",
    ),
    group: 1,
    trigger: { keywords: LOCAL_PASSWORD_WORDS },
    validate: phraseSecretValue,
    minEntropy: 3,
    confidence: 0.7,
    hardBlock: true,
    windowBefore: 64,
    windowAfter: 64,
    examples: {
      positive: [
        `パスワード：${PASSWORD} です`,
        `서버 비밀번호: ${PASSWORD} 입니다, 공유 금지`,
        `비밀번호는 ${fake("", 16, alnum, 12)}입니다`,
        `密码是${PASSWORD}`,
        `пароль: ${PASSWORD}`,
      ],
      negative: [
        "パスワード：changeme です",
        "비밀번호: 12345678 입니다",
        "비밀번호 변경은 2024년 5월부터 가능합니다",
        "パスワードを3回間違えました",
        "пароль: ${DB_PASSWORD}",
      ],
    },
  },
];
