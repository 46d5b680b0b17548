/**
 * Generators for national identifiers, each valid under its own published check rule
 * (or, with `broken`, failing only that rule).
 *
 * @module
 */
import { DIGITS, UPPER } from "./rng.ts";
import {
  brCpfCheck,
  bsnRemainder,
  esControlLetter,
  frNirKey,
  iso7064Mod1110Check,
  itCheckChar,
  jpMyNumberCheck,
  krRrnCheck,
  luhnCheck,
  sgNricLetter,
  verhoeffCheck,
} from "./checksums.ts";
import { group, type MakeValue, shuffled, whole, wrong } from "./values.ts";

const pad2 = (n: number) => String(n).padStart(2, "0");

/** US SSN; `broken` uses an area number the SSA never issues (000, 666, 9xx). */
export const usSsn: MakeValue = (rng, broken = false) => {
  let area = rng.int(1, 899);
  if (area === 666) area = 665;
  if (broken) area = rng.pick([0, 666, rng.int(900, 999)]);
  const a = String(area).padStart(3, "0");
  const g = pad2(rng.int(1, 99));
  const s = String(rng.int(1, 9999)).padStart(4, "0");
  const style = rng.pick(["dash", "dash", "space", "bare"]);
  const sep = style === "dash" ? "-" : style === "space" ? " " : "";
  return whole(`${a}${sep}${g}${sep}${s}`, style, true);
};

/** Korean resident registration number with the mod-11 check digit. */
export const krRrn: MakeValue = (rng, broken = false) => {
  const y2000 = rng.chance(0.3);
  const yy = y2000 ? rng.int(0, 23) : rng.int(40, 99);
  const mm = rng.int(1, 12);
  const dd = rng.int(1, 28);
  const g = y2000 ? rng.pick(["3", "4", "7", "8"]) : rng.pick(["1", "2", "1", "2", "5", "6"]);
  const payload = `${pad2(yy)}${pad2(mm)}${pad2(dd)}${g}${rng.digits(5)}`;
  const good = krRrnCheck(payload);
  const full = payload + (broken ? wrong(rng, good, DIGITS) : good);
  const dashed = rng.chance(0.65);
  return dashed
    ? whole(`${full.slice(0, 6)}-${full.slice(6)}`, "dashed")
    : whole(full, "compact", true);
};

/** French NIR (numéro de sécurité sociale) with its 2-digit key. */
export const frNir: MakeValue = (rng, broken = false) => {
  const sex = rng.pick(["1", "2"]);
  const yy = pad2(rng.int(0, 99));
  const mm = pad2(rng.int(1, 12));
  let dept = pad2(rng.int(1, 95));
  if (dept === "20") dept = "21";
  if (rng.chance(0.03)) dept = rng.pick(["2A", "2B"]);
  const commune = String(rng.int(1, 990)).padStart(3, "0");
  const order = String(rng.int(1, 999)).padStart(3, "0");
  const body = sex + yy + mm + dept + commune + order;
  const good = frNirKey(body);
  const key = broken ? pad2((Number(good) + rng.int(1, 50)) % 97 || 1) : good;
  if (rng.chance(0.55)) {
    return whole(`${sex} ${yy} ${mm} ${dept} ${commune} ${order} ${key}`, "spaced");
  }
  return whole(body + key, "compact", true);
};

/** Spanish DNI: 8 digits and the mod-23 control letter. */
export const esDni: MakeValue = (rng, broken = false) => {
  const n = rng.digits(8);
  const good = esControlLetter(n);
  const letter = broken ? wrong(rng, good, "TRWAGMYFPDXBNJZSQVHLCKE") : good;
  const style = rng.pick(["plain", "plain", "dash", "dots"]);
  if (style === "dash") return whole(`${n}-${letter}`, style);
  if (style === "dots") {
    return whole(`${n.slice(0, 2)}.${n.slice(2, 5)}.${n.slice(5)}-${letter}`, style);
  }
  return whole(n + letter, style);
};

/** Spanish NIE: X/Y/Z, 7 digits and the control letter. */
export const esNie: MakeValue = (rng, broken = false) => {
  const body = rng.pick(["X", "Y", "Z"]) + rng.digits(7);
  const good = esControlLetter(body);
  const letter = broken ? wrong(rng, good, "TRWAGMYFPDXBNJZSQVHLCKE") : good;
  if (rng.chance(0.25)) return whole(`${body[0]}-${body.slice(1)}-${letter}`, "dash");
  return whole(body + letter, "plain");
};

const IT_PEOPLE: readonly [string, string, boolean][] = [
  ["ROSSI", "MARIO", false],
  ["BIANCHI", "GIULIA", true],
  ["RUSSO", "LUCA", false],
  ["FERRARI", "CHIARA", true],
  ["ESPOSITO", "ANTONIO", false],
  ["ROMANO", "FRANCESCA", true],
  ["COLOMBO", "MARCO", false],
  ["RICCI", "SARA", true],
  ["MARINO", "GIUSEPPE", false],
  ["GRECO", "ELENA", true],
  ["BRUNO", "ANDREA", false],
  ["GALLO", "MARTINA", true],
  ["CONTI", "PAOLO", false],
  ["DE LUCA", "ALESSIA", true],
  ["COSTA", "MATTEO", false],
];
const IT_TOWNS = ["H501", "F205", "F839", "L219", "G273", "A944", "D612", "L736", "A662", "C351"];

function cfPart(word: string, isName: boolean): string {
  const letters = word.replace(/[^A-Z]/g, "");
  const cons = letters.replace(/[AEIOU]/g, "");
  const vow = letters.replace(/[^AEIOU]/g, "");
  if (isName && cons.length >= 4) return cons[0] + cons[2] + cons[3];
  return (cons + vow + "XXX").slice(0, 3);
}

/** Italian codice fiscale built from a name, birth date and town, with its check letter. */
export const itCodiceFiscale: MakeValue = (rng, broken = false) => {
  const [surname, name, female] = rng.pick(IT_PEOPLE);
  const day = rng.int(1, 28) + (female ? 40 : 0);
  const body = cfPart(surname, false) + cfPart(name, true) + pad2(rng.int(40, 99)) +
    "ABCDEHLMPRST"[rng.int(0, 11)] + pad2(day) + rng.pick(IT_TOWNS);
  const good = itCheckChar(body);
  return whole(body + (broken ? wrong(rng, good, UPPER) : good), "standard");
};

/** German Steuer-ID: 11 digits, one digit repeated in the first ten, ISO 7064 check. */
export const deSteuerId: MakeValue = (rng, broken = false) => {
  let ten = "";
  while (ten === "") {
    const pool = shuffled(rng, DIGITS.split(""));
    const twice = pool[0];
    const cand = shuffled(rng, [twice, twice, ...pool.slice(1, 9)]).join("");
    if (cand[0] === "0" || /(.)\1/.test(cand)) continue;
    ten = cand;
  }
  const good = iso7064Mod1110Check(ten);
  const full = ten + (broken ? wrong(rng, good, DIGITS) : good);
  if (rng.chance(0.4)) return whole(group(full, [2, 3, 3, 3], " "), "spaced", true);
  return whole(full, "compact", true);
};

/** Dutch BSN passing the elfproef. */
export const nlBsn: MakeValue = (rng, broken = false) => {
  let nine = "";
  while (nine === "") {
    const eight = String(rng.int(1, 9)) + rng.digits(7);
    for (let last = 0; last <= 9; last++) {
      const ok = bsnRemainder(eight + last) === 0;
      if (ok !== broken) {
        nine = eight + last;
        break;
      }
    }
  }
  if (rng.chance(0.25)) {
    return whole(`${nine.slice(0, 4)}.${nine.slice(4, 6)}.${nine.slice(6)}`, "dots", true);
  }
  return whole(nine, "compact", true);
};

/** Indian Aadhaar: 12 digits, first 2-9, Verhoeff check digit. */
export const inAadhaar: MakeValue = (rng, broken = false) => {
  const payload = String(rng.int(2, 9)) + rng.digits(10);
  const good = verhoeffCheck(payload);
  const full = payload + (broken ? wrong(rng, good, DIGITS) : good);
  const style = rng.pick(["space", "space", "compact", "dash"]);
  if (style === "compact") return whole(full, style, true);
  return whole(group(full, [4, 4, 4], style === "dash" ? "-" : " "), style, true);
};

/** Singapore NRIC/FIN with the weighted check letter. */
export const sgNric: MakeValue = (rng, broken = false) => {
  const prefix = rng.pick(["S", "T", "S", "F", "G"]);
  const seven = rng.digits(7);
  const good = sgNricLetter(prefix, seven);
  return whole(
    prefix + seven + (broken ? wrong(rng, good, "ABCDEFGHIJKLMNPQRTUWXZ") : good),
    prefix,
  );
};

/** Japanese My Number (individual number): 12 digits with its check digit. */
export const jpMyNumber: MakeValue = (rng, broken = false) => {
  const payload = String(rng.int(1, 9)) + rng.digits(10);
  const good = jpMyNumberCheck(payload);
  const full = payload + (broken ? wrong(rng, good, DIGITS) : good);
  const style = rng.pick(["space", "compact", "dash"]);
  if (style === "compact") return whole(full, style, true);
  return whole(group(full, [4, 4, 4], style === "dash" ? "-" : " "), style, true);
};

/** Brazilian CPF with both check digits; the dotted form needs no keyword. */
export const brCpf: MakeValue = (rng, broken = false) => {
  let nine = rng.digits(9);
  if (/^(\d)\1+$/.test(nine)) nine = "1" + nine.slice(1, 8) + "2";
  const good = brCpfCheck(nine);
  const check = broken ? good[0] + wrong(rng, good[1], DIGITS) : good;
  if (rng.chance(0.6)) {
    return whole(`${nine.slice(0, 3)}.${nine.slice(3, 6)}.${nine.slice(6)}-${check}`, "dotted");
  }
  return whole(nine + check, "compact", true);
};

const NINO_FIRST = "ABCEGHJKLMNOPRSTWXYZ";
const NINO_SECOND = "ABCEGHJKLMNPRSTWXYZ";
const NINO_BANNED = ["BG", "GB", "KN", "NK", "NT", "TN", "ZZ"];

/** UK National Insurance number; `broken` uses a prefix HMRC never allocates. */
export const ukNino: MakeValue = (rng, broken = false) => {
  let prefix = "BG";
  while (NINO_BANNED.includes(prefix)) {
    prefix = rng.pick(NINO_FIRST.split("")) + rng.pick(NINO_SECOND.split(""));
  }
  if (broken) prefix = rng.pick(["QQ", "DA", "FI", "BG", "GB", "UV", "ZZ"]);
  const six = rng.digits(6);
  const suffix = rng.pick(["A", "B", "C", "D"]);
  if (rng.chance(0.5)) {
    return whole(
      `${prefix} ${six.slice(0, 2)} ${six.slice(2, 4)} ${six.slice(4)} ${suffix}`,
      "spaced",
    );
  }
  return whole(prefix + six + suffix, "compact");
};

/** Canadian SIN: 9 digits, Luhn, first digit not 0 or 8. */
export const caSin: MakeValue = (rng, broken = false) => {
  const payload = rng.pick(["1", "2", "3", "4", "5", "6", "7", "9"]) + rng.digits(7);
  const good = luhnCheck(payload);
  const full = payload + (broken ? wrong(rng, good, DIGITS) : good);
  const style = rng.pick(["space", "dash", "compact"]);
  if (style === "compact") return whole(full, style, true);
  return whole(group(full, [3, 3, 3], style === "dash" ? "-" : " "), style, true);
};
