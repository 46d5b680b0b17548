/**
 * Generators for contact and financial values: email, phone, payment card, IBAN, IP.
 *
 * @module
 */
import { DIGITS, LOWER, type Rng, UPPER } from "./rng.ts";
import { esBankCheck, ibanCheck, itCheckChar, luhnCheck, mod97 } from "./checksums.ts";
import { group, type MakeValue, whole, wrong } from "./values.ts";

const FIRST = [
  "minji",
  "jiho",
  "seoyeon",
  "haruto",
  "yui",
  "lukas",
  "emma",
  "lea",
  "hugo",
  "chloe",
  "lucia",
  "pablo",
  "giulia",
  "marco",
  "sanne",
  "daan",
  "joao",
  "ana",
  "priya",
  "arjun",
  "olivia",
  "james",
  "noah",
  "sofia",
  "mateo",
];
const LAST = [
  "kim",
  "park",
  "lee",
  "choi",
  "tanaka",
  "sato",
  "muller",
  "schmidt",
  "martin",
  "bernard",
  "garcia",
  "lopez",
  "rossi",
  "bianchi",
  "jansen",
  "devries",
  "silva",
  "santos",
  "sharma",
  "patel",
  "smith",
  "johnson",
  "nguyen",
  "wilson",
];
const DOMAINS = [
  "gmail.com",
  "naver.com",
  "daum.net",
  "kakao.com",
  "yahoo.co.jp",
  "web.de",
  "gmx.de",
  "orange.fr",
  "free.fr",
  "outlook.es",
  "libero.it",
  "ziggo.nl",
  "uol.com.br",
  "rediffmail.com",
  "outlook.com",
  "proton.me",
  "acme-corp.io",
  "mail.example-shop.co.uk",
  "hanmail.net",
  "company.co.kr",
];

/** A realistic personal or work address. */
export const email: MakeValue = (rng) => {
  const f = rng.pick(FIRST);
  const l = rng.pick(LAST);
  const local = rng.pick([
    `${f}.${l}`,
    `${f}${l}${rng.int(1, 99)}`,
    `${f[0]}.${l}+${rng.pick(["shop", "news", "work", "git"])}`,
    `${f}_${l}`,
    `${l}-${f}`,
    `${f}${rng.int(1970, 2005)}`,
  ]);
  return whole(`${local}@${rng.pick(DOMAINS)}`, "address");
};

interface PhoneFormat {
  readonly variant: string;
  readonly international: boolean;
  make(rng: Rng): string;
}

const d = (rng: Rng, n: number) => rng.digits(n);
const nz = (rng: Rng) => String(rng.int(2, 9));
/** A NANP area code or exchange: [2-9]XX but never an N11 service code. */
const nanp = (rng: Rng) => {
  const a = nz(rng);
  const b = rng.digits(2);
  return b === "11" ? a + "12" : a + b;
};

const PHONES: readonly PhoneFormat[] = [
  {
    variant: "us-intl",
    international: true,
    make: (r) => `+1 ${nanp(r)}-${nanp(r)}-${d(r, 4)}`,
  },
  {
    variant: "us-paren",
    international: true,
    make: (r) => `+1 (${nanp(r)}) ${nanp(r)}-${d(r, 4)}`,
  },
  {
    variant: "us-local",
    international: false,
    make: (r) => `(${nanp(r)}) ${nanp(r)}-${d(r, 4)}`,
  },
  {
    variant: "e164-us",
    international: true,
    make: (r) => `+1${nanp(r)}${nz(r)}${d(r, 6)}`,
  },
  { variant: "kr-intl", international: true, make: (r) => `+82 10-${d(r, 4)}-${d(r, 4)}` },
  { variant: "kr-local", international: false, make: (r) => `010-${d(r, 4)}-${d(r, 4)}` },
  {
    variant: "jp-intl",
    international: true,
    make: (r) => `+81 ${r.pick(["90", "80", "70"])}-${d(r, 4)}-${d(r, 4)}`,
  },
  {
    variant: "jp-local",
    international: false,
    make: (r) => `0${r.pick(["90", "80"])}-${d(r, 4)}-${d(r, 4)}`,
  },
  { variant: "de-intl", international: true, make: (r) => `+49 15${r.int(1, 9)} ${d(r, 8)}` },
  {
    variant: "de-local",
    international: false,
    make: (r) => `0${r.pick(["30", "89", "40"])} ${nz(r)}${d(r, 6)}`,
  },
  {
    variant: "fr-intl",
    international: true,
    make: (r) => `+33 ${r.pick(["6", "7"])} ${d(r, 2)} ${d(r, 2)} ${d(r, 2)} ${d(r, 2)}`,
  },
  {
    variant: "fr-local",
    international: false,
    make: (r) => `0${r.pick(["6", "7"])} ${d(r, 2)} ${d(r, 2)} ${d(r, 2)} ${d(r, 2)}`,
  },
  { variant: "uk-intl", international: true, make: (r) => `+44 7${d(r, 3)} ${d(r, 6)}` },
  { variant: "uk-local", international: false, make: (r) => `07${d(r, 3)} ${d(r, 6)}` },
  { variant: "es-intl", international: true, make: (r) => `+34 6${d(r, 2)} ${d(r, 3)} ${d(r, 3)}` },
  { variant: "it-intl", international: true, make: (r) => `+39 3${d(r, 2)} ${d(r, 3)} ${d(r, 4)}` },
  { variant: "nl-intl", international: true, make: (r) => `+31 6 ${d(r, 8)}` },
  { variant: "nl-local", international: false, make: (r) => `06-${d(r, 8)}` },
  {
    variant: "br-intl",
    international: true,
    make: (r) => `+55 ${r.pick(["11", "21", "31"])} 9${d(r, 4)}-${d(r, 4)}`,
  },
  {
    variant: "in-intl",
    international: true,
    make: (r) => `+91 ${r.int(6, 9)}${d(r, 4)} ${d(r, 5)}`,
  },
];

/** A phone number in a national or international style; local styles want a keyword. */
export const phone: MakeValue = (rng) => {
  const f = rng.pick(PHONES);
  return whole(f.make(rng), f.variant, !f.international);
};

interface CardBrand {
  readonly name: string;
  readonly prefix: (rng: Rng) => string;
  readonly length: number;
  readonly groups: readonly number[];
}

const BRANDS: readonly CardBrand[] = [
  { name: "visa", prefix: () => "4", length: 16, groups: [4, 4, 4, 4] },
  { name: "mastercard", prefix: (r) => String(r.int(51, 55)), length: 16, groups: [4, 4, 4, 4] },
  {
    name: "mastercard2",
    prefix: (r) => String(r.int(2221, 2720)),
    length: 16,
    groups: [4, 4, 4, 4],
  },
  { name: "amex", prefix: (r) => r.pick(["34", "37"]), length: 15, groups: [4, 6, 5] },
  { name: "discover", prefix: () => "6011", length: 16, groups: [4, 4, 4, 4] },
  { name: "jcb", prefix: (r) => String(r.int(3528, 3589)), length: 16, groups: [4, 4, 4, 4] },
  { name: "unionpay", prefix: () => "62", length: 16, groups: [4, 4, 4, 4] },
];

/** A Luhn-valid card number of a real brand's prefix and length, grouped or compact. */
export const paymentCard: MakeValue = (rng, broken = false) => {
  const b = rng.pick(BRANDS);
  const p = b.prefix(rng);
  const payload = p + rng.digits(b.length - p.length - 1);
  const good = luhnCheck(payload);
  const digits = payload + (broken ? wrong(rng, good, DIGITS) : good);
  const style = rng.pick(["space", "dash", "compact", "space"]);
  const text = style === "compact" ? digits : group(digits, b.groups, style === "dash" ? "-" : " ");
  return whole(text, `${b.name}-${style}`);
};

interface IbanCountry {
  readonly cc: string;
  bban(rng: Rng): string;
}

const ALNUM_UP = UPPER + DIGITS;

const IBANS: readonly IbanCountry[] = [
  { cc: "DE", bban: (r) => r.digits(18) },
  {
    cc: "FR",
    bban: (r) => {
      const bank = r.digits(5);
      const branch = r.digits(5);
      const account = r.digits(11);
      const key = 97 - ((89 * Number(bank) + 15 * Number(branch) + 3 * Number(account)) % 97);
      return bank + branch + account + String(key).padStart(2, "0");
    },
  },
  {
    cc: "ES",
    bban: (r) => {
      const bank = r.digits(4);
      const branch = r.digits(4);
      const account = r.digits(10);
      return bank + branch + esBankCheck("00" + bank + branch) + esBankCheck(account) + account;
    },
  },
  {
    cc: "IT",
    bban: (r) => {
      const rest = r.digits(5) + r.digits(5) + r.chars(DIGITS, 12);
      return itCheckChar(rest) + rest;
    },
  },
  {
    cc: "NL",
    bban: (r) => r.pick(["ABNA", "INGB", "RABO", "TRIO", "SNSB", "KNAB"]) + r.digits(10),
  },
  { cc: "GB", bban: (r) => r.pick(["NWBK", "BARC", "LOYD", "HBUK", "MIDL"]) + r.digits(14) },
  {
    cc: "BE",
    bban: (r) => {
      const ten = r.digits(10);
      const k = mod97(ten) || 97;
      return ten + String(k).padStart(2, "0");
    },
  },
  { cc: "AT", bban: (r) => r.digits(16) },
  // Swiss account parts may hold letters, but most are numeric.
  { cc: "CH", bban: (r) => r.digits(5) + (r.chance(0.15) ? r.chars(ALNUM_UP, 12) : r.digits(12)) },
  {
    cc: "PT",
    bban: (r) => {
      const body = r.digits(19);
      return body + String(98 - mod97(body + "00")).padStart(2, "0");
    },
  },
  { cc: "PL", bban: (r) => r.digits(24) },
];

/** A MOD-97-valid IBAN from a European country, in print (groups of 4) or compact form. */
export const iban: MakeValue = (rng, broken = false) => {
  const c = rng.pick(IBANS);
  const bban = c.bban(rng);
  const good = ibanCheck(c.cc, bban);
  const check = broken ? wrong(rng, good[0], DIGITS) + good[1] : good;
  const compact = c.cc + check + bban;
  const printed = rng.chance(0.6);
  const text = printed ? compact.replace(/(.{4})(?=.)/g, "$1 ") : compact;
  return whole(text, `${c.cc.toLowerCase()}-${printed ? "print" : "compact"}`);
};

/** A public-looking IPv4 address (occasionally IPv6). */
export const ipAddress: MakeValue = (rng) => {
  if (rng.chance(0.15)) {
    const groups: string[] = [rng.pick(["2a02", "2001", "2600", "2a01", "2406"])];
    for (let i = 0; i < 7; i++) groups.push(rng.chars("0123456789abcdef", rng.int(1, 4)));
    if (rng.chance(0.5)) {
      return whole(`${groups.slice(0, 3).join(":")}::${groups[7]}`, "ipv6-short");
    }
    return whole(groups.join(":"), "ipv6-full");
  }
  let a = 10;
  while (a === 10 || a === 127 || a === 172 || a === 192 || a === 169 || a === 100) {
    a = rng.int(1, 223);
  }
  return whole(`${a}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`, "ipv4");
};

/** Lowercase letters, re-exported for templates that build hostnames. */
export const HOST_CHARS = LOWER + DIGITS;
