/**
 * Pattern pieces for "a name, then its value": what may sit between a secret's name and the
 * secret in code, config and chat.
 *
 * @module
 */

/**
 * Short copulas people type between a name and its value in chat ("my key is …", "mein
 * Passwort lautet …", "password hai …", "パスワードは …", "비밀번호 값이 …"). Kept to
 * whole words: longer phrases would let prose reach a value that is not the secret.
 */
const CHAT_VERBS = ["is", "ist", "es", "est", "è", "é", "era", "was", "lautet", "hai"];
/** Korean and Japanese particles attach to the name: "KEY는 …", "キーは …", "KEY 값이 …". */
const CJK_PARTICLES = ["값이", "값은", "는", "은", "이", "가", "は", "が"];

/**
 * Regex source for the gap between a name and its value in chat: whitespace, optionally a
 * particle attached to the name and a verb, which may carry a colon or equals sign of its
 * own ("password is: …"), and at least one space before the value.
 *
 * @example
 * ```ts
 * import { CHAT_GAP } from "./_assign.ts";
 * if (!new RegExp(`pw${CHAT_GAP}x`).test("pw lautet x")) throw new Error("German verb");
 * if (!new RegExp(`pw${CHAT_GAP}x`).test("pw는 x")) throw new Error("Korean particle");
 * if (!new RegExp(`pw${CHAT_GAP}x`).test("pw is: x")) throw new Error("verb with a colon");
 * ```
 */
export const CHAT_GAP = String.raw`(?:\s{0,2}(?:${CJK_PARTICLES.join("|")}))?\s{1,4}` +
  String.raw`(?:(?:${CHAT_VERBS.join("|")})(?:\s{0,2}[:=])?\s{1,4})?`;

/**
 * Regex source for the separator between a name and its value. It accepts an optional
 * closing quote (escaped in JSON strings) and an index bracket (`os.environ["X"] = "…"`),
 * then an assignment operator (`=`, `:`, `=>`, `:=`, `,`) or whitespace with an optional
 * chat verb, then an optional opening quote. Every quantifier is bounded.
 *
 * @example
 * ```ts
 * import { NAME_VALUE_SEPARATOR } from "./_assign.ts";
 * const re = new RegExp(`key${NAME_VALUE_SEPARATOR}(\\w+)`);
 * if (re.exec('env["key"] = "abc"')?.[1] !== "abc") throw new Error("index form");
 * if (re.exec("my key is abc")?.[1] !== "abc") throw new Error("chat form");
 * ```
 */
export const NAME_VALUE_SEPARATOR = String.raw`\\?["'\x60]?\]?(?:\s{0,4}(?:=>|:=|=|:|,)\s{0,4}|` +
  CHAT_GAP + String.raw`)\\?["'\x60]?`;
