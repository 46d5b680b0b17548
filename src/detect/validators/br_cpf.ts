/**
 * Check for the Brazilian individual taxpayer number (CPF, Cadastro de Pessoas Físicas):
 * nine digits and two mod-11 check digits.
 *
 * @module
 */
import { allSame, digitsOf, weightedSum } from "./_digits.ts";

function checkDigit(d: readonly number[], count: number): number {
  // weights run count+1 down to 2 over the first `count` digits
  const weights = Array.from({ length: count }, (_, i) => count + 1 - i);
  const r = (weightedSum(d, weights) * 10) % 11;
  return r === 10 ? 0 : r;
}

/**
 * Whether `value` is a CPF with both check digits right. Numbers made of one repeated
 * digit pass the arithmetic but are never issued, so they are rejected.
 *
 * @param value Eleven digits, bare or formatted `123.456.789-09`.
 * @returns True when both check digits match.
 *
 * @example
 * ```ts
 * import { brCpfValid } from "./br_cpf.ts";
 * if (!brCpfValid("123.456.789-09")) throw new Error("should pass");
 * if (brCpfValid("111.111.111-11")) throw new Error("repeated digits should fail");
 * ```
 */
export function brCpfValid(value: string): boolean {
  const d = digitsOf(value, ".- ");
  if (d === null || d.length !== 11 || allSame(d)) return false;
  return checkDigit(d, 9) === d[9] && checkDigit(d, 10) === d[10];
}
