/**
 * Contact and financial personal data: email addresses, telephone numbers, payment cards
 * and IBANs. Public IP addresses live in `network.ts`.
 *
 * Shared conventions:
 * - Digit formats are bounded on both sides so a value is never cut out of a longer run:
 *   no word character, `+`, `.` or `-` right before, and no word character or separator
 *   plus digit right after.
 * - Formatted phone numbers (separators where that country puts them, valid leading
 *   digits) are reported without a keyword; bare digit runs need a phone word nearby.
 * - Decisions on look-alikes: `git@github.com:org/repo` (scp-style remote) is a host login,
 *   not a mailbox, and is not reported; `user@localhost`, `@mention`, npm scopes and
 *   `name@1.2.3` version specifiers never fire.
 *
 * @module
 */
import type { Rule, RuleContext } from "../rule.ts";
import { paymentCardValid } from "../validators/card.ts";
import { ibanPatternSource, ibanValid } from "../validators/iban.ts";
import { anyPhoneValid, e164Valid, nationalPhoneValid } from "../validators/phone.ts";

// Left edge for digit formats: not inside a word, a signed number, a dotted or dashed run,
// and not right after "digit space" (the middle of a space-grouped run).
const DIGITS_START = String.raw`(?<![\w+.\-])(?<!\d )`;
// Right edge: no word character and no separator followed by a digit.
const DIGITS_END = String.raw`(?![\w]|[ .\-/]\d)`;

function edged(body: string): RegExp {
  return new RegExp(`${DIGITS_START}(?:${body})${DIGITS_END}`);
}

// RFC 2606 / 6761 reserved names are no mailboxes.
const RESERVED_MAIL_TLDS = new Set(["localhost", "localdomain", "invalid", "test", "example"]);

// File extensions that are not top-level domains. A domain never ends in one, so
// `icon@2x.png` is an asset name and `jane@example.com.txt` is a mailbox followed by an
// extension. Extensions that are also country codes (`.md`, `.py`, `.rs`, `.sh`) are left
// out: `jane@example.com.md` is then read as one longer address, which still covers it.
const FILE_EXTENSIONS = (
  "png jpg jpeg gif svg webp ico bmp tif tiff heic css scss less js mjs cjs jsx ts tsx json " +
  "jsonl ndjson map wasm lock yaml yml toml ini cfg conf env txt log csv tsv xml html htm pdf " +
  "doc docx xls xlsx ppt pptx odt ods rtf eml msg vcf ics mbox bak tmp old orig swp gz tgz " +
  "bz2 xz zst tar rar 7z parquet avro orc db sqlite sql pem key crt cer der p12 pfx asc gpg pgp " +
  "sig jar war whl gem deb rpm apk dmg iso exe dll so dylib bin dat mp3 mp4 wav mov avi mkv"
).split(" ");
// An extension as a whole label, in lower or upper case: not followed by more of a label.
const EXTENSION_LABEL = `(?:${
  [...FILE_EXTENSIONS, ...FILE_EXTENSIONS.map((e) => e.toUpperCase())].join("|")
})(?![A-Za-z0-9\\-])`;

function emailValid(value: string): boolean {
  const at = value.lastIndexOf("@");
  const local = value.slice(0, at);
  const labels = value.slice(at + 1).toLowerCase().split(".");
  if (local.length > 64 || local.includes("..") || value.length - at - 1 > 253) return false;
  if (RESERVED_MAIL_TLDS.has(labels[labels.length - 1])) return false;
  // `pkg@1.2.3-rc.beta` is a version specifier; `x@self.weights` is Python's matmul operator.
  if (labels.length > 2 && /^\d+$/.test(labels[0]) && /^\d+$/.test(labels[1])) return false;
  return labels[0] !== "self" && labels[0] !== "this";
}

// Context words match at word starts, so compounds that carry "phone" inside need their own
// entry ("telephone", "smartphone"); "cell" already covers "cellphone".
const PHONE_WORDS = [
  "phone",
  "telephone",
  "smartphone",
  "tél",
  "teléfono",
  "telefono",
  "mob:",
  "mob.",
  "tel:",
  "tel.",
  "tel ",
  "tel)",
  // Field names: `tel=…`, `{"tel": "…"}`, `tel_no`.
  "tel=",
  'tel"',
  "tel'",
  "tel_",
  "telefoon",
  "mobiel",
  "mobile",
  "mobil",
  "cell",
  "call",
  "whatsapp",
  "sms",
  "fax",
  "contact",
  // Not bare "telefon": it would also match the adverb "telefonisch" ("confirmed by
  // phone"), which labels whatever number precedes it, not a phone number.
  "telefon ",
  "telefon:",
  "telefonnummer",
  "telefonnr",
  "telefon-nr",
  "téléphone",
  "portable",
  "handy",
  "전화",
  "휴대폰",
  "핸드폰",
  "연락처",
  "電話",
  "携帯",
];

// Identifiers that share phone shapes; their label before the digits vetoes a phone finding.
const NOT_PHONE_WORDS: RuleContext = {
  words: [
    "isbn",
    "issn",
    "serial",
    "s/n",
    "sku",
    "invoice",
    "order no",
    "order #",
    "build",
    // National ID labels: "CPF 099.017.753-05 over the phone" names a CPF, not a phone.
    "cpf",
    "steuer",
    "ssn",
    "bsn",
    "rrn",
    "nino",
    "aadhaar",
    "nric",
    // Not bare "주민": a 주민센터 (community centre) has a phone number.
    "주민등록",
    "주민번호",
  ],
  before: 24,
  after: 0,
};

/**
 * Contact and financial PII rows: email, phone (E.164, KR, US, UK, DE, FR, JP and bare numbers
 * next to a phone word), payment cards (hard-block), IBANs and public IP addresses.
 *
 * @example
 * ```ts
 * import { CONTACT_RULES } from "./contact.ts";
 * import { createScanner } from "../scanner.ts";
 * const text = "card 4111 1111 1111 1111, mail jane@example.com";
 * const types = createScanner(CONTACT_RULES).scan(text).map((f) => f.type);
 * if (types.join() !== "payment_card,email") throw new Error(types.join());
 * ```
 */
export const CONTACT_RULES: readonly Rule[] = [
  {
    id: "email-address",
    type: "email",
    category: "pii",
    description: "Email address (ASCII local part and domain with a letter TLD)",
    // A path separator may precede the address (`s3://bucket/jane@example.com/x.csv`), but
    // not a scheme's `//`: `ssh://git@host/repo` is a login, like the scp-style remote. The
    // top-level label is never a file extension, and one may follow (`jane@example.com.txt`).
    pattern: new RegExp(
      String.raw`(?<![A-Za-z0-9._%+\-@])(?<!:\/\/)` +
        String.raw`[A-Za-z0-9](?:[A-Za-z0-9._%+\-]{0,62}[A-Za-z0-9_%+\-])?` +
        String.raw`@(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.){1,8}` +
        `(?!${EXTENSION_LABEL})[A-Za-z]{2,24}` +
        String.raw`(?![A-Za-z0-9\-]|:[\w~/])(?!\.(?!${EXTENSION_LABEL})[A-Za-z0-9])`,
    ),
    trigger: { keywords: ["@"] },
    validate: emailValid,
    confidence: 0.95,
    hardBlock: false,
    windowBefore: 64,
    examples: {
      positive: [
        "Contact me at jane.doe@example.com if the build breaks.",
        "담당자 이메일: minsu.kim+work@mail.example.co.kr 로 보내주세요",
        'const owner = "ops-team@corp.example.org";',
        '{"user":{"email":"Ana_Lopez@example.es"}}',
        "aws s3 cp s3://exports/jane.doe@example.com/report.csv .",
        "open file:///home/jane.doe@example.com/notes.txt",
        "attached jane.doe@example.com.txt and minsu@example.co.kr.eml",
        "see exports/minsu@example.co.kr",
      ],
      negative: [
        "npm i -D @types/node@20.11.5 lodash@4.17.21",
        "pin react@18.2.0 and vite@5.0.0-beta.rc until the fix lands",
        "thanks @alice, ping @bob.smith on slack",
        "ssh admin@localhost and then foo@bar",
        "git clone git@github.com:org/repo.git",
        "background: url(icon@2x.png)",
        "git clone ssh://git@github.com/org/repo.git",
        "assets/logo@3x.webp and sprites/arrow@2x.svg",
      ],
    },
  },
  {
    id: "phone-e164",
    type: "phone",
    category: "pii",
    description: "International phone number: + country code, 8 to 15 digits",
    pattern: new RegExp(
      String.raw`(?<![\w+])(?:\(\+[1-9]\d{0,2}\)|\+[1-9])(?:[ .\-()]{0,2}\d){6,14}(?![\w]|[.\-]\d)`,
    ),
    trigger: { digits: 8 },
    validate: e164Valid,
    confidence: 0.95,
    hardBlock: false,
    examples: {
      positive: [
        "Call me on +82 10-1234-5678 after 6pm",
        "WhatsApp: +44 7700 900123",
        "office +1 (212) 555-0142, fax +33 1 23 45 67 89",
        "tel=+4915123456789",
        "Call me on +82 10\ufe0f-1234-5678 after 6pm",
      ],
      negative: [
        "timezone UTC+09:00, offset +0900",
        "score went +12345 points",
        "+999 1234 5678 is a reserved code",
        "+1 123 555 0142 has no valid area code",
      ],
    },
  },
  {
    id: "phone-kr",
    type: "phone",
    category: "pii",
    description: "Korean mobile or landline number with separators (010-1234-5678, 02-123-4567)",
    pattern: edged(String.raw`(?:01[016789]|02|0[3-6][1-5]|070)([\-. ])\d{3,4}\1\d{4}`),
    trigger: { digits: 9 },
    validate: (v) => nationalPhoneValid(v, "KR"),
    excludeContext: NOT_PHONE_WORDS,
    confidence: 0.9,
    hardBlock: false,
    examples: {
      positive: [
        "제 번호는 010-1234-5678 입니다",
        "대표번호 02-123-4567 / 팩스 031.234.5678",
        "연락 주세요 010 9876 5432",
        // Invisible characters a renderer skips: combining grapheme joiner, Hangul filler.
        "제 번호는 010-12\u034f34-5678 입니다",
        "연락처 010-1234-\u31645678",
      ],
      negative: [
        "010-1234.5678 mixes separators",
        "011-1234-567 is too short",
        "build 010-1234-5678-2",
        "090-1234-5678 is a Japanese prefix",
      ],
    },
  },
  {
    id: "phone-us",
    type: "phone",
    category: "pii",
    description: "North American number: (212) 555-0142, 212-555-0142, 212.555.0142",
    pattern: edged(
      String.raw`(?:1[ .\-])?(?:\(\d{3}\) ?\d{3}[\-.]\d{4}|\d{3}([.\-])\d{3}\1\d{4})`,
    ),
    trigger: { digits: 10 },
    validate: (v) => nationalPhoneValid(v, "US"),
    excludeContext: NOT_PHONE_WORDS,
    confidence: 0.9,
    hardBlock: false,
    examples: {
      positive: [
        "Reach the front desk at (212) 555-0142.",
        "cell: 212-555-0142",
        "Llámame al 1-415-555-0199 mañana",
        "Support 212.555.0142 (9-5 ET)",
      ],
      negative: [
        "123-456-7890 has an invalid area code",
        "212-155-0142 has an invalid exchange",
        "ISBN 978-3-16-148410-0",
        "id 212-555-01423 is too long",
      ],
    },
  },
  {
    id: "phone-uk",
    type: "phone",
    category: "pii",
    description: "UK national number: 07700 900123, 020 7946 0958, 0161 496 0000",
    pattern: edged(
      String.raw`0(?:7\d{3} \d{3} ?\d{3}|1\d{3} \d{5,6}|[138]\d{2} \d{3} \d{3,4}|2\d \d{4} \d{4})`,
    ),
    trigger: { digits: 10 },
    validate: (v) => nationalPhoneValid(v, "UK"),
    excludeContext: NOT_PHONE_WORDS,
    confidence: 0.85,
    hardBlock: false,
    examples: {
      positive: [
        "Ring me on 07700 900123 tonight",
        "London office: 020 7946 0958",
        "Manchester desk 0161 496 0000",
      ],
      negative: [
        "07700 90012 is a digit short",
        "07000 900123 is personal numbering",
        "ref 12345 678901",
      ],
    },
  },
  {
    id: "phone-de",
    type: "phone",
    category: "pii",
    description: "German national number: 030 12345678, 0151 23456789, 089/1234567",
    pattern: edged(String.raw`0(?:1[5-7]\d|[2-9]\d{1,3})[ /\-]\d{5,8}`),
    trigger: { digits: 10 },
    validate: (v) => nationalPhoneValid(v, "DE"),
    excludeContext: NOT_PHONE_WORDS,
    confidence: 0.85,
    hardBlock: false,
    examples: {
      positive: [
        "Telefon: 030 12345678",
        "Ruf mich an: 0151 23456789",
        "Büro München 089/1234567",
      ],
      negative: [
        "0012 3456789 starts with the international prefix",
        "0228 12345 is too short",
        "0141 23456789 is no mobile range",
      ],
    },
  },
  {
    id: "phone-fr",
    type: "phone",
    category: "pii",
    description: "French national number in pairs: 06 12 34 56 78, 01.23.45.67.89",
    pattern: edged(String.raw`0[1-9]([ .\-])\d{2}(?:\1\d{2}){3}`),
    trigger: { digits: 10 },
    validate: (v) => nationalPhoneValid(v, "FR"),
    excludeContext: NOT_PHONE_WORDS,
    confidence: 0.85,
    hardBlock: false,
    examples: {
      positive: [
        "Mon portable : 06 12 34 56 78",
        "Standard 01.23.45.67.89",
        "appelez le 04-78-12-34-56",
      ],
      negative: [
        "00 12 34 56 78 has no valid leading digit",
        "06 12 34 56 is too short",
        "06 12-34 56 78 mixes separators",
        "06 12 34 56 78 90 is too long",
      ],
    },
  },
  {
    id: "phone-jp",
    type: "phone",
    category: "pii",
    description: "Japanese national number: 090-1234-5678, 03-1234-5678, 045-123-4567",
    pattern: edged(String.raw`0\d{1,4}-\d{1,4}-\d{4}`),
    trigger: { digits: 10 },
    validate: (v) => nationalPhoneValid(v, "JP"),
    excludeContext: NOT_PHONE_WORDS,
    confidence: 0.9,
    hardBlock: false,
    examples: {
      positive: [
        "携帯は090-1234-5678です",
        "電話：03-1234-5678（代表）",
        "横浜支店 045-123-4567",
      ],
      negative: [
        "due 03-12-2024",
        "090-1234-567 is a digit short",
        "0120-123-45678 is too long",
      ],
    },
  },
  {
    id: "phone-nl",
    type: "phone",
    category: "pii",
    description: "Dutch national number: 06-12345678, 020-1234567, 0513-123456",
    pattern: edged(String.raw`0(?:6[ \-]\d{8}|[1-57]\d[ \-]\d{7}|[1-57]\d{2}[ \-]\d{6})`),
    trigger: { digits: 10 },
    validate: (v) => nationalPhoneValid(v, "NL"),
    excludeContext: NOT_PHONE_WORDS,
    confidence: 0.85,
    hardBlock: false,
    examples: {
      positive: [
        "Bel me op 06-12345678 na vijven",
        "Kantoor Amsterdam: 020-1234567",
        "mobiel 06 87654321",
      ],
      negative: [
        "06-1234567 is a digit short",
        "06-123456789 is a digit too long",
        "order no 06-12345678",
        "08-12345678 is no geographic range",
      ],
    },
  },
  {
    id: "phone-keyword",
    type: "phone",
    category: "pii",
    description: "Loosely written or bare phone number next to a phone word",
    pattern: new RegExp(
      String.raw`(?<![\w+.\-])(?<!\d )(?:\+|\((?=\d{2,5}\)))?\d[\d ().\-]{5,22}\d(?![\w]|[.\-]\d)`,
    ),
    trigger: { digits: 9 },
    context: { words: PHONE_WORDS, before: 48, after: 24 },
    validate: anyPhoneValid,
    excludeContext: NOT_PHONE_WORDS,
    confidence: 0.8,
    hardBlock: false,
    examples: {
      positive: [
        "mobile 01012345678",
        "call me: 2125550142",
        "휴대폰 번호 010 1234 5678 입니다",
        "Telefon 0049 30 12345678",
        "tel=06-84266350",
        '{"tel": "0612345678"}',
      ],
      negative: [
        "order 2125550142 shipped",
        "phone log at 1733040000000",
        "phone model 1234567890123",
        "phone serial 0123456789",
        "Kunde hat Steuer-ID 16 747 380 293 telefonisch bestätigt.",
        "customer confirmed CPF 099.017.753-05 over the phone.",
        "hotel=0612345678",
      ],
    },
  },
  {
    id: "payment-card",
    type: "payment_card",
    category: "pii",
    description: "Payment card number: issuer prefix and length, Luhn check digit",
    // A short group after the number (a CVV, "12/29") may follow; a fifth group of four means
    // the digits belong to a longer grouped run. Cards are grouped 4-4-4-4 or 4-6-4/4-6-5; a
    // 4-4-4-2 run is the tail of a printed IBAN (GB87 NWBK 3944 4355 6144 00), not a card.
    // Groups are joined by one repeated separator: space, dash, dot or underscore.
    pattern: new RegExp(
      DIGITS_START +
        String.raw`(?:\d{13,19}|\d{4}([ \-._])\d{4}\1\d{4}\1\d{4}|\d{4}([ \-._])\d{6}\2\d{4,5})` +
        String.raw`(?![\w\-]|\.\d|[ \-]\d{4})`,
    ),
    trigger: { digits: 13 },
    validate: paymentCardValid,
    confidence: 0.95,
    hardBlock: true,
    examples: {
      positive: [
        "card 4111 1111 1111 1111 exp 12/29",
        "Mastercard: 5555-5555-5555-4444",
        "amex 3782 822463 10005",
        '{"pan":"6011111111111117"}',
        "JCB 3530111333300000 で支払い",
        "card 4111.1111.1111.1111 exp 12/29",
        "card_number=5555_5555_5555_4444",
        "amex 3782.822463.10005",
      ],
      negative: [
        "created_at=1733040000000",
        "order 4000123412341235",
        "ref 1234567812345670 and 9123456789012348",
        "txn 99941111111111111111",
        '{"rrn": "5805265843042"}',
        "Meine IBAN lautet GB87 NWBK 3944 4355 6144 00.",
        "id 550e8400-e29b-41d4-a716-446655440000",
        "4111.1111-1111_1111 mixes separators",
        "build_4111_1111_1111_1111",
        "v4111.1111.1111.1111.2",
      ],
    },
  },
  {
    id: "payment-card-19",
    type: "payment_card",
    category: "pii",
    description: "19-digit payment card number written in groups (4-4-4-4-3)",
    pattern: new RegExp(
      `${DIGITS_START}\\d{4}([ \\-._])\\d{4}\\1\\d{4}\\1\\d{4}\\1\\d{3}${DIGITS_END}`,
    ),
    trigger: { digits: 19 },
    validate: paymentCardValid,
    confidence: 0.95,
    hardBlock: true,
    examples: {
      positive: [
        "UnionPay 6205 5000 0000 0000 004",
        "Maestro 6767-7000-0000-0000-001",
        "카드번호 6214 8300 0000 0000 007",
        "UnionPay 6205.5000.0000.0000.004",
        "pan 6205_5000_0000_0000_004",
      ],
      negative: [
        "6205 5000 0000 0000 005 fails Luhn",
        "9123 4567 8901 2345 678",
        "4111 1111 1111 1111 111 1",
      ],
    },
  },
  {
    id: "iban-account",
    type: "iban",
    category: "pii",
    description: "IBAN: country code, check digits and the country's BBAN length, mod-97 valid",
    pattern: new RegExp(`(?<![A-Za-z0-9])(?:${ibanPatternSource()})(?![A-Za-z0-9])`),
    // Seven, not eight: a Swiss IBAN printed in groups (CH41 5351 5LYG KLME RA8G U) holds
    // only seven digits before its first letters-only group ends the cluster.
    trigger: { digits: 7 },
    validate: ibanValid,
    confidence: 0.95,
    hardBlock: false,
    // Letters-only groups (GB82 WEST …) split the digit cluster; reach back to the country code.
    windowBefore: 64,
    examples: {
      positive: [
        "IBAN: DE89 3704 0044 0532 0130 00",
        "Please wire to GB82 WEST 1234 5698 7654 32, ref invoice 7",
        "iban=NL91ABNA0417164300",
        "Compte FR14 2004 1010 0505 0001 3M02 606 BIC PSSTFRPPXXX",
        "BE68 5390 0754 7034 BIC GEBABEBB",
        "Mon IBAN est CH93 0076 2011 6238 5295 7, merci",
      ],
      negative: [
        "DE88 3704 0044 0532 0130 00",
        "DE89 3704 0044 0532 0130 0",
        "XX89 3704 0044 0532 0130 00",
        "GB82 WEST 1234 5698 7654 33",
      ],
    },
  },
];
