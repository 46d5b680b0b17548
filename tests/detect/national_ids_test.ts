import { assert, assertEquals } from "../assert.ts";
import { NATIONAL_ID_RULES } from "../../src/detect/rules/national_ids.ts";
import { createScanner } from "../../src/detect/scanner.ts";
import { BUILTIN_RULES } from "../../src/detect/rules/mod.ts";

const scanner = createScanner(NATIONAL_ID_RULES);

/** The values `text` reports, as `type:value` pairs in order. */
function found(text: string): string[] {
  return scanner.scan(text).map((f) => `${f.type}:${text.slice(f.start, f.end)}`);
}

Deno.test("every national-ID row is hard-block personal data of an agreed type", () => {
  const types = new Set([
    "us_ssn",
    "kr_rrn",
    "fr_nir",
    "es_dni",
    "es_nie",
    "it_codice_fiscale",
    "de_steuer_id",
    "nl_bsn",
    "in_aadhaar",
    "sg_nric",
    "jp_my_number",
    "br_cpf",
    "uk_nino",
    "ca_sin",
  ]);
  for (const rule of NATIONAL_ID_RULES) {
    assert(types.has(rule.type), `${rule.id} has unexpected type ${rule.type}`);
    assert(rule.category === "pii" && rule.hardBlock, `${rule.id} must be hard-block pii`);
    assert(rule.validate !== undefined, `${rule.id} has no validator`);
  }
  assertEquals(new Set(NATIONAL_ID_RULES.map((r) => r.type)), types);
});

Deno.test("IDs in multi-language messages are reported with the value as the exact span", () => {
  const cases: [string, string[]][] = [
    ["주민등록번호: 850315-2154329 로 조회해 주세요", ["kr_rrn:850315-2154329"]],
    [
      "Votre numéro de sécurité sociale 1 85 05 78 006 084 91 est enregistré.",
      ["fr_nir:1 85 05 78 006 084 91"],
    ],
    [
      "Hola, adjunto mi DNI 48213576X y el NIE de mi pareja X4829135D.",
      ["es_dni:48213576X", "es_nie:X4829135D"],
    ],
    ["Buongiorno, il codice fiscale è BNCGLI92E55F205F.", ["it_codice_fiscale:BNCGLI92E55F205F"]],
    ["Ihre steuerliche Identifikationsnummer: 65401209871", ["de_steuer_id:65401209871"]],
    ["Graag uw BSN (burgerservicenummer) 607812345 invullen.", ["nl_bsn:607812345"]],
    ["कृपया अपना आधार नंबर 4918 2736 4507 साझा करें", ["in_aadhaar:4918 2736 4507"]],
    ["マイナンバー（個人番号）は 4829 1037 5622 です。", ["jp_my_number:4829 1037 5622"]],
    ["Segue meu CPF 529.982.247-25 para o cadastro.", ["br_cpf:529.982.247-25"]],
    [
      "Hi HR, my SSN is 536-22-8146 and my NI number is JG 10 37 59 A.",
      ["us_ssn:536-22-8146", "uk_nino:JG 10 37 59 A"],
    ],
    ["Mon NAS est 130-692-544.", ["ca_sin:130-692-544"]],
    ["NRIC S8812345Z, FIN G5839201X", ["sg_nric:S8812345Z", "sg_nric:G5839201X"]],
  ];
  for (const [text, want] of cases) assertEquals(found(text), want, text);
});

Deno.test("a keyword after the value counts as well as one before it", () => {
  assertEquals(found("185057800608491 (NIR)"), ["fr_nir:185057800608491"]);
  assertEquals(found("536228146 is my SSN"), ["us_ssn:536228146"]);
  assertEquals(found("8503152154329 주민등록번호"), ["kr_rrn:8503152154329"]);
});

Deno.test("a keyword far from the value or behind other digits does not count", () => {
  assertEquals(found("SSN: see the attached form, page two, row three: 536228146"), []);
  assertEquals(found("SSN 12 of 40, ref 536228146"), []);
  assertEquals(found("536228146 was the value we logged yesterday for SSN"), []);
});

Deno.test("short keywords inside longer words do not wake keyword rows", () => {
  for (
    const text of [
      "Setting 536228146", // tin
      "using 130 692 544", // sin
      "dynastie 130 692 544", // nas
      "définir 185057800608491", // nir
      "uuid 491827364507", // uid
      "assn 536228146", // ssn
    ]
  ) {
    assertEquals(found(text), [], text);
  }
});

Deno.test("a post-2020 RRN without a check digit needs a Korean or English keyword", () => {
  assertEquals(found("201105-3847262"), []);
  assertEquals(found("아이 주민번호는 201105-3847262 입니다"), ["kr_rrn:201105-3847262"]);
  assertEquals(found("resident registration no. 2011053847262"), ["kr_rrn:2011053847262"]);
});

Deno.test("digit runs that are not IDs produce no finding from the whole national-ID table", () => {
  const texts = [
    "created_at=1733040000000 updated_at=1733040000123",
    "order #100234567 shipped; order 100234568 pending",
    "Build 20240115.1234 (build number 2024011512) passed",
    "request 550e8400-e29b-41d4-a716-446655440000 and 123e4567-e89b-12d3-a456-426614174000",
    "commit 9fceb02d0ae598e95dc970b74767f19372d61af8 fixed it",
    "sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "ISBN 978-3-16-148410-0 and ISBN-13 9783161484100",
    "upgrade from v1.24.3 to 2.9.6-rc.1+build.20240115",
    "Total: $1,234,567.89 (€1.148.213,57) for 12 345 678 units",
    "location 37.5665, 126.9780 / 48.8566,2.3522",
    "call +1 415 555 0132 or +82 10-1234-5678",
    "card 4111 1111 1111 1111 exp 12/29",
    "IBAN DE89 3704 0044 0532 0130 00",
    "2024-01-15T09:30:00.123Z 2024-01-15 12:00:00",
  ];
  for (const text of texts) assertEquals(found(text), [], text);
});

Deno.test("checksum-valid numbers without a keyword are not reported", () => {
  const bare = [
    "536228146", // SSN issuance rules
    "130692544", // SIN Luhn
    "123456782", // BSN 11-proof
    "65401209871", // Steuer-ID
    "482910375622", // My Number
    "4918 2736 4507", // Aadhaar Verhoeff
    "52998224725", // CPF
    "8503152154329", // RRN with check digit, undashed
    "185057800608491", // NIR, unspaced
  ];
  for (const value of bare) {
    assertEquals(found(`id ${value}`), [], value);
    assertEquals(found(`reference: ${value}, thanks`), [], value);
  }
});

Deno.test("full-width digits are folded and the span maps back to the original text", () => {
  const value = "８５０３１５－２１５４３２９";
  const text = `주민등록번호: ${value} 입니다`;
  const [f] = scanner.scan(text);
  assertEquals(f.type, "kr_rrn");
  assertEquals(text.slice(f.start, f.end), value);
});

Deno.test("zero-width characters inside a value do not hide it and stay inside the span", () => {
  const value = "536\u200b-22-\u200d8146";
  const text = `ssn=${value};`;
  const [f] = scanner.scan(text);
  assertEquals(f.type, "us_ssn");
  assertEquals(text.slice(f.start, f.end), value);
  const cf = "RSSMRA85\u2060T10A562S";
  const [g] = scanner.scan(`codice fiscale ${cf}`);
  assertEquals(`codice fiscale ${cf}`.slice(g.start, g.end), cf);
});

Deno.test("the redaction span covers the value and not the keyword or punctuation", () => {
  const text = 'payload {"cpf":"390.533.447-05","nino":"PZ876543D","nie":"Y-2738461-A"}';
  assertEquals(found(text), ["br_cpf:390.533.447-05", "uk_nino:PZ876543D", "es_nie:Y-2738461-A"]);
});

Deno.test("keyword patterns stay fast on hostile digit and separator floods", () => {
  const floods = [
    "ssn " + "1-".repeat(50_000),
    "주민등록번호 " + "9".repeat(100_000),
    ("steuer-id " + "1 ".repeat(20)).repeat(2_000),
    "aadhaar " + "2345 ".repeat(20_000),
    ("S" + "1".repeat(7)).repeat(10_000),
    "RSSMRA".repeat(20_000) + "85T10A562S",
    "SIN ".repeat(30_000) + "130 692 544",
  ];
  for (const text of floods) {
    const t0 = performance.now();
    scanner.scan(text);
    const ms = performance.now() - t0;
    // generous: a super-linear pattern takes minutes here, a linear one milliseconds
    assert(ms < 5_000, `scan of ${text.slice(0, 12)}… took ${ms.toFixed(0)} ms`);
  }
});

Deno.test("an ID named by an underscored field name is reported under the full rule table", () => {
  const all = createScanner(BUILTIN_RULES);
  const cases: [string, string][] = [
    // Luhn-valid and Visa-prefixed: the RRN keyword must still name it.
    ['{"rrn": "4605121234563"}', "kr_rrn:4605121234563"],
    ["resident_registration_number=8503152154329", "kr_rrn:8503152154329"],
    ["social_security_number=536228146", "us_ssn:536228146"],
    ["steuer_id=65401209871", "de_steuer_id:65401209871"],
    ["my_number=2048-1736-5943", "jp_my_number:2048-1736-5943"],
    ["social_insurance_number=276-148-954", "ca_sin:276-148-954"],
    ["numero_securite_sociale=292037511234589", "fr_nir:292037511234589"],
  ];
  for (const [text, want] of cases) {
    assertEquals(
      all.scan(text).map((f) => `${f.type}:${text.slice(f.start, f.end)}`),
      [want],
      text,
    );
  }
});

Deno.test("a number followed by the Spanish word 'sin' is no Canadian SIN", () => {
  assertEquals(found("Pedido 130692544 sin confirmar todavía"), []);
  assertEquals(found("130 692 544 (SIN)"), ["ca_sin:130 692 544"]);
});
