/**
 * The irreversible replacements: redaction markers and masks.
 *
 * @module
 */

/**
 * The marker that replaces a redacted value.
 *
 * @example
 * ```ts
 * import { redactionMarker } from "./replacement.ts";
 * if (redactionMarker("email") !== "[REDACTED:email]") throw new Error("marker");
 * ```
 */
export function redactionMarker(type: string): string {
  return `[REDACTED:${type}]`;
}

/**
 * Mask a value, keeping separators and at most `keep` trailing letters or digits visible.
 * Short values show less: never more than a quarter of their letters and digits, so a
 * masked short ID cannot be read back from its suffix.
 *
 * @param value Original value.
 * @param keep Trailing letters or digits to keep.
 * @returns The masked value.
 *
 * @example
 * ```ts
 * import { maskValue } from "./replacement.ts";
 * const m = maskValue("4111 1111 1111 1111", 4);
 * if (m !== "**** **** **** 1111") throw new Error(m);
 * ```
 */
export function maskValue(value: string, keep: number): string {
  let alnum = 0;
  for (let i = 0; i < value.length; i++) if (isAlnum(value.charCodeAt(i))) alnum++;
  const visible = Math.min(keep, Math.floor(alnum / 4));
  let seen = 0;
  let out = "";
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (!isAlnum(c)) {
      out += value[i];
      continue;
    }
    seen++;
    out += seen > alnum - visible ? value[i] : "*";
  }
  return out;
}

/**
 * `text` with each finding's span replaced by the replacement at the same index. Findings
 * come sorted and non-overlapping from the scanner; one that starts inside an earlier
 * replaced span is skipped rather than splicing a half value back in.
 *
 * @param text The scanned text.
 * @param findings Spans, sorted by start.
 * @param replacements One replacement per finding.
 * @returns The new text.
 *
 * @example
 * ```ts
 * import { spliceFindings } from "./replacement.ts";
 * const out = spliceFindings("mail bob@x.io now", [{ start: 5, end: 13 }], ["[REDACTED:email]"]);
 * if (out !== "mail [REDACTED:email] now") throw new Error(out);
 * ```
 */
export function spliceFindings(
  text: string,
  findings: readonly { readonly start: number; readonly end: number }[],
  replacements: readonly string[],
): string {
  let out = "";
  let pos = 0;
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i];
    if (f.start < pos) continue;
    out += text.slice(pos, f.start) + replacements[i];
    pos = f.end;
  }
  return out + text.slice(pos);
}

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c > 127;
}
