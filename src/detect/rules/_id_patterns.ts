/**
 * Shared pattern pieces for the national-ID rows: value boundaries, the keyword
 * lookarounds and their window prefilter cues.
 *
 * @module
 */

/**
 * A value starts where no letter, digit or `+` precedes it, and not right after a digit
 * and a dash, dot or slash: the tail of a UUID, an ISBN or a phone number is no ID.
 */
const START = String.raw`(?<![0-9A-Za-z+]|[0-9][-./])`;
/** A value ends where no letter or digit follows, nor a dash, dot or slash and a digit. */
const END = String.raw`(?![0-9A-Za-z]|[-./][0-9])`;
/** Non-digit characters allowed between a keyword and the value after it. */
const GAP_BEFORE = 32;
/** Non-digit characters allowed between the value and a keyword after it. */
const GAP_AFTER = 16;
/** Keyword rows open their window this far before a digit cluster, past the longest keyword. */
export const KEYWORD_WINDOW = 96;

/** A keyword that must not sit inside a longer word ("sin" but not "using"). */
function word(source: string): string {
  return `(?<![a-z])(?:${source})(?![a-z])`;
}

/** A value standing on its own: not part of a longer token or number. */
export function standalone(value: string, flags = ""): RegExp {
  return new RegExp(`${START}(?:${value})${END}`, flags);
}

/**
 * A value standing on its own with one of `keywords` at most {@linkcode GAP_BEFORE}
 * non-digits before it or {@linkcode GAP_AFTER} after it. Both are lookarounds, so the
 * match (and the redaction span) is the value alone. The keyword checks come after the
 * value (the lookbehind reaches back over it), so they run only where a value matched
 * rather than at every position of the window. Sources must not hold capture groups;
 * every quantifier is bounded, so the cost per position is constant.
 */
export function nearKeyword(
  value: string,
  keywords: readonly Keyword[],
  keywordsAfter: readonly Keyword[] = keywords,
): RegExp {
  // Case-sensitive keywords cannot sit in an `i` pattern without a modifier group, which
  // Node 22 lacks; such a pattern is built case-sensitive instead, with every other piece
  // spelled out case-insensitively.
  const cased = [...keywords, ...keywordsAfter].some((k) => typeof k !== "string");
  const src = (k: Keyword) => typeof k === "string" ? (cased ? caseless(k) : k) : k.exact;
  if (cased) value = caseless(value);
  const kw = `(?:${keywords.map(src).join("|")})`;
  const kwAfter = `(?:${keywordsAfter.map(src).join("|")})`;
  if (new RegExp(`${kw}|${kwAfter}|${value}|`).exec("")!.length !== 1) {
    throw new TypeError("Cannot build keyword pattern: sources must not capture");
  }
  const before = `(?<=${kw}[^0-9]{0,${GAP_BEFORE}}(?:${value}))`;
  const after = `(?=[^0-9]{0,${GAP_AFTER}}${kwAfter})`;
  return new RegExp(`${START}(?:${value})${END}(?:${before}|${after})`, cased ? "" : "i");
}

/** A keyword source, or one that must match with exactly the case written. */
export type Keyword = string | { readonly exact: string };

/** Whole-word `source` matched case-sensitively; the word boundary still ignores case. */
export function exactWord(source: string): Keyword {
  return { exact: `(?<![a-zA-Z])(?:${source})(?![a-zA-Z])` };
}

/** Both cases of `c` that are one UTF-16 unit long (so "ß" stays itself). */
function cases(c: string): string[] {
  return [...new Set([c, c.toLowerCase(), c.toUpperCase()])].filter((x) => x.length === 1);
}

/**
 * `source` rewritten to match without regard to case in a pattern without the `i` flag:
 * each letter becomes a class of its cases, and letter ranges inside classes gain their
 * other-case range. Only the syntax the keyword tables use is accepted; anything else
 * (named groups, `\p{…}`, `\u…` escapes) throws, so a new keyword cannot be silently mangled.
 *
 * @example
 * ```ts
 * import { caseless } from "./_id_patterns.ts";
 * if (caseless("s[ée]c") !== "[sS][éÉeE][cC]") throw new Error(caseless("s[ée]c"));
 * ```
 */
export function caseless(source: string): string {
  let out = "";
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === "\\") {
      const next = source[i + 1] ?? "";
      if (/[pPuxck]/.test(next)) throw new TypeError(`Cannot rewrite escape \\${next}`);
      out += c + next;
      i++;
    } else if (c === "(" && source.startsWith("(?<", i) && /[A-Za-z]/.test(source[i + 3] ?? "")) {
      throw new TypeError("Cannot rewrite a named group");
    } else if (c === "[") {
      let j = i + 1;
      let body = "";
      if (source[j] === "^") body += source[j++];
      for (; j < source.length && source[j] !== "]"; j++) {
        const d = source[j];
        if (d === "\\") {
          const next = source[j + 1] ?? "";
          if (/[pPuxck]/.test(next)) throw new TypeError(`Cannot rewrite escape \\${next}`);
          body += d + next;
          j++;
        } else if (source[j + 1] === "-" && source[j + 2] !== undefined && source[j + 2] !== "]") {
          const lo = d, hi = source[j + 2];
          body += `${lo}-${hi}`;
          if (/[a-z]/.test(lo) && /[a-z]/.test(hi)) {
            body += `${lo.toUpperCase()}-${hi.toUpperCase()}`;
          } else if (/[A-Z]/.test(lo) && /[A-Z]/.test(hi)) {
            body += `${lo.toLowerCase()}-${hi.toLowerCase()}`;
          } else if (
            lo.toLowerCase() !== lo.toUpperCase() || hi.toLowerCase() !== hi.toUpperCase()
          ) {
            throw new TypeError(`Cannot rewrite the range ${lo}-${hi}`);
          }
          j += 2;
        } else {
          body += cases(d).join("");
        }
      }
      if (source[j] !== "]") throw new TypeError("Cannot rewrite an unclosed class");
      out += `[${body}]`;
      i = j;
    } else {
      const all = cases(c);
      out += all.length > 1 ? `[${all.join("")}]` : c;
    }
  }
  return out;
}

export const SSN_WORDS = [
  word("ssns?"),
  "social[ _-]?security",
  "soc[._ ]{0,2}sec",
  word("tin"),
  "taxpayer",
  "seguro social",
];
export const RRN_WORDS = [
  "주민등록",
  "주민 ?번호",
  word("rrn"),
  "resident[ _-]?registration",
  word("jumin(?:[ _-]?(?:no|num|number|bunho))?"),
];
export const NIR_WORDS = [
  word("nir"),
  "s[ée]curit[ée][ _-]?sociale",
  "num[ée]ro de s[ée]cu",
  // "n° de sécu"; NFKC turns the ordinal indicator in "nº" into a plain "o".
  "n[°o]\\.? ?de s[ée]cu",
  word("insee"),
  "carte vitale",
];
export const STEUER_WORDS = [
  "steuer[ _-]?id",
  "identifikationsnummer",
  word("id-?nr"),
  word("tin"),
  "tax[- ]?id",
];
export const BSN_WORDS = [word("bsn"), "burgerservicenummer", "sofi-?nummer", word("sofi")];
export const AADHAAR_WORDS = ["aa?dh?aa?r", word("uid(?:ai)?"), "आधार"];
export const MY_NUMBER_WORDS = ["マイナンバー", "個人番号", word("my[ _-]?number")];
export const CPF_WORDS = [word("cpf"), "cadastro de pessoas? f[ií]sicas?"];
export const SIN_WORDS = [word("sin"), "social[ _-]?insurance", "assurance sociale", word("nas")];
// After the number, only the upper-case acronyms count: "Pedido 108632563 sin confirmar"
// is Spanish for "order … unconfirmed".
export const SIN_WORDS_AFTER: readonly Keyword[] = [
  exactWord("SIN|NAS"),
  "social[ _-]?insurance",
  "assurance sociale",
];

/**
 * Literal fragments of each keyword list, lowercase: a window holding none of them cannot
 * satisfy the keyword lookarounds, so the scanner skips the pattern there.
 */
export const SSN_CUES = ["ssn", "soc", "tin", "taxpayer", "seguro social"];
export const RRN_CUES = ["주민", "rrn", "resident", "jumin"];
export const NIR_CUES = ["nir", "curit", "ro de s", "de séc", "de sec", "insee", "carte vitale"];
export const STEUER_CUES = ["steuer", "identifikationsnummer", "id", "tin", "tax"];
export const BSN_CUES = ["bsn", "burgerservicenummer", "sofi"];
export const AADHAAR_CUES = [
  "adar",
  "adaar",
  "adhar",
  "adhaar",
  "aadar",
  "aadaar",
  "aadhar",
  "aadhaar",
  "uid",
  "आधार",
];
export const MY_NUMBER_CUES = [
  "マイナンバー",
  "個人番号",
  "my number",
  "my_number",
  "my-number",
  "mynumber",
];
export const CPF_CUES = ["cpf", "cadastro de pessoa"];
export const SIN_CUES = ["sin", "social", "assurance sociale", "nas"];
