/**
 * National identity and tax numbers: US SSN, Korean RRN, French NIR, Spanish DNI/NIE,
 * Italian codice fiscale, German Steuer-ID, Dutch BSN, Indian Aadhaar, Singapore NRIC,
 * Japanese My Number, Brazilian CPF, UK NINO and Canadian SIN.
 *
 * Every row is hard-block personal data and every row has a checksum or structure
 * validator. A bare run of digits is never reported for its length alone: formats that
 * are only digits need a keyword next to them, unless a separator layout plus a checksum
 * makes the shape specific (a dashed SSN, a dashed RRN, a spaced NIR, a dotted CPF).
 *
 * Short keywords such as "sin", "tin", "nir" and "uid" hide inside ordinary words
 * ("using", "setting", "définir", "uuid"), which the scanner's substring context check
 * cannot tell apart. So keyword rows carry the keyword inside the pattern, as a
 * lookbehind or lookahead with letter boundaries: the match is still the value alone.
 *
 * @module
 */
import type { Rule } from "../rule.ts";
import { usSsnValid } from "../validators/us_ssn.ts";
import { krRrnBirthDateValid, krRrnValid } from "../validators/kr_rrn.ts";
import { frNirValid } from "../validators/fr_nir.ts";
import { esDniValid, esNieValid } from "../validators/es_dni.ts";
import { itCodiceFiscaleValid } from "../validators/it_codice_fiscale.ts";
import { deSteuerIdValid } from "../validators/de_steuer_id.ts";
import { nlBsnValid } from "../validators/nl_bsn.ts";
import { inAadhaarValid } from "../validators/in_aadhaar.ts";
import { sgNricValid } from "../validators/sg_nric.ts";
import { jpMyNumberValid } from "../validators/jp_my_number.ts";
import { brCpfValid } from "../validators/br_cpf.ts";
import { ukNinoValid } from "../validators/uk_nino.ts";
import { caSinValid } from "../validators/ca_sin.ts";

import {
  AADHAAR_CUES,
  AADHAAR_WORDS,
  BSN_CUES,
  BSN_WORDS,
  CPF_CUES,
  CPF_WORDS,
  KEYWORD_WINDOW,
  MY_NUMBER_CUES,
  MY_NUMBER_WORDS,
  nearKeyword,
  NIR_CUES,
  NIR_WORDS,
  RRN_CUES,
  RRN_WORDS,
  SIN_CUES,
  SIN_WORDS,
  SIN_WORDS_AFTER,
  SSN_CUES,
  SSN_WORDS,
  standalone,
  STEUER_CUES,
  STEUER_WORDS,
} from "./_id_patterns.ts";

/**
 * The national-ID rows, all hard-block personal data.
 *
 * @example
 * ```ts
 * import { NATIONAL_ID_RULES } from "./national_ids.ts";
 * import { createScanner } from "../scanner.ts";
 * const scanner = createScanner(NATIONAL_ID_RULES);
 * const text = "주민등록번호: 850315-2154329";
 * const [f] = scanner.scan(text);
 * if (f.type !== "kr_rrn" || text.slice(f.start, f.end) !== "850315-2154329") {
 *   throw new Error("RRN should be reported with its exact span");
 * }
 * if (scanner.scan("order #100234567").length !== 0) throw new Error("bare digits are no ID");
 * ```
 */
export const NATIONAL_ID_RULES: readonly Rule[] = [
  {
    id: "us-ssn-dashed",
    type: "us_ssn",
    category: "pii",
    description: "US Social Security number written AAA-GG-SSSS",
    pattern: standalone(String.raw`\d{3}-\d{2}-\d{4}`),
    trigger: { digits: 9 },
    validate: usSsnValid,
    confidence: 0.85,
    hardBlock: true,
    examples: {
      positive: [
        "Please update my record, the number is 536-22-8146.",
        '{"applicant": {"name": "J. Doe", "ssn": "412-71-5093"}}',
        "Mi número de seguro social es 287-65-4321, gracias.",
      ],
      negative: [
        "The Woolworth wallet card printed 078-05-1120 on every sample.",
        "Area 666 is never issued: 666-12-3456, nor group 00: 536-00-8146.",
        "ITINs look alike but start with 9: 912-70-1234",
        "Call 555-123-4567 or see ISBN 978-3-16-148410-0",
        "part no. 1536-22-8146 and lot 536-22-81460",
      ],
    },
  },
  {
    id: "us-ssn-keyword",
    type: "us_ssn",
    category: "pii",
    description: "US Social Security number, bare or spaced, next to an SSN/TIN keyword",
    pattern: nearKeyword(String.raw`\d{3}-\d{2}-\d{4}|\d{3} \d{2} \d{4}|\d{9}`, SSN_WORDS),
    windowRequires: SSN_CUES,
    trigger: { digits: 9 },
    validate: usSsnValid,
    confidence: 0.9,
    hardBlock: true,
    windowBefore: KEYWORD_WINDOW,
    examples: {
      positive: [
        "SSN 536228146",
        "Social Security Number: 536 22 8146",
        "W-9 taxpayer identification number (TIN): 412715093",
        "employee_soc_sec = '287654321'",
        '{"social_security_number": "536228146", "updated_by": "ops"}',
        '<input type="text" name="social-security-number" value="536 22 8146">',
      ],
      negative: [
        "order #100234567 shipped",
        "SSN 666228146 is not a real area",
        "Setting retry budget to 536228146 ms",
        "continue 536228146 times",
        "ssn: 000123456",
        "social_club_id=536228146",
      ],
    },
  },
  {
    id: "kr-rrn-checked",
    type: "kr_rrn",
    category: "pii",
    description: "Korean resident registration number YYMMDD-GNNNNNC with a valid check digit",
    pattern: standalone(String.raw`\d{6}-\d{7}`),
    trigger: { digits: 13 },
    validate: krRrnValid,
    confidence: 0.9,
    hardBlock: true,
    examples: {
      positive: [
        "고객 정보: 홍길동, 850315-2154329, 서울시 강남구",
        "신청인 921124-1673215 확인 부탁드립니다",
        '{"name": "김민지", "id": "030708-4123453"}',
      ],
      negative: [
        "빌드 240101-1234567 배포 완료",
        "거래번호 900101-1234567",
        "timestamp 1733040000000 and 8503152154329",
        "월 13은 없다: 851315-2154329",
      ],
    },
  },
  {
    id: "kr-rrn-keyword",
    type: "kr_rrn",
    category: "pii",
    description: "Korean RRN next to a keyword, including post-2020 numbers with no check digit",
    pattern: nearKeyword(String.raw`\d{6}[- ]?\d{7}`, RRN_WORDS),
    windowRequires: RRN_CUES,
    trigger: { digits: 13 },
    // Since October 2020 the digits after the sex digit are random, so with a keyword
    // present the birth date is the only check; the checked row covers the rest.
    validate: krRrnBirthDateValid,
    // Above the payment-card row: a 13-digit Visa-shaped run next to an RRN keyword is the RRN.
    confidence: 0.96,
    hardBlock: true,
    windowBefore: KEYWORD_WINDOW,
    examples: {
      positive: [
        "주민등록번호: 8503152154329",
        "아이 주민번호는 201105-3847262 입니다",
        "RRN 921124 1673215 (resident registration number)",
        "name,resident_registration_number\nKim,8503152154329\n",
        "jumin_no=8503152154329",
      ],
      negative: [
        "주민등록번호: 901301-1234567",
        "주민번호 991232-1234567",
        "RRN 1733040000000",
        "주민등록번호 990101-3234567",
        "resident_id=8503152154329",
        "jumbo_no=8503152154329",
      ],
    },
  },
  {
    id: "fr-nir-spaced",
    type: "fr_nir",
    category: "pii",
    description: "French social security number (NIR) in its printed 1 85 05 78 006 084 91 layout",
    pattern: standalone(String.raw`[12] \d{2} \d{2} (?:\d{2}|2[AB]) \d{3} \d{3} \d{2}`, "i"),
    trigger: { digits: 13 },
    validate: frNirValid,
    confidence: 0.9,
    hardBlock: true,
    examples: {
      positive: [
        "Mon numéro : 1 85 05 78 006 084 91, merci de mettre à jour le dossier.",
        "Assurée : Mme Martin — 2 92 03 75 112 345 89",
        "Né en Corse : 1 81 12 2A 004 012 87",
      ],
      negative: [
        "Exemple : 1 85 05 78 006 084 36",
        "mois impossible : 1 85 13 78 006 084 25",
        "Appelez le 01 23 45 67 89 ou le 06 12 34 56 78",
      ],
    },
  },
  {
    id: "fr-nir-keyword",
    type: "fr_nir",
    category: "pii",
    description: "French NIR in any spacing next to a sécurité sociale / NIR / INSEE keyword",
    pattern: nearKeyword(
      String.raw`[12] ?\d{2} ?\d{2} ?(?:\d{2}|2[AB]) ?\d{3} ?\d{3} ?\d{2}`,
      NIR_WORDS,
    ),
    windowRequires: NIR_CUES,
    trigger: { digits: 13 },
    validate: frNirValid,
    confidence: 0.95,
    hardBlock: true,
    windowBefore: KEYWORD_WINDOW,
    examples: {
      positive: [
        "N° de sécurité sociale : 185057800608491",
        "NIR=292037511234589",
        "numéro INSEE 181122A00401287",
        "carte vitale 2 70 01 69 123 456 80",
        "n° de sécu : 185057800608491",
        "numero_securite_sociale=292037511234589",
      ],
      negative: [
        "Il faut définir 185057800608491 comme identifiant",
        "NIR: 185057800608436",
        "sécurité sociale: 385057800608491",
        "numéro de commande 185057800608491",
        "n° de série : 185057800608491",
      ],
    },
  },
  {
    id: "es-dni",
    type: "es_dni",
    category: "pii",
    description: "Spanish DNI/NIF: eight digits and the mod-23 control letter",
    pattern: standalone(String.raw`\d{8}-?[A-Z]|\d{2}\.\d{3}\.\d{3}-?[A-Z]`, "i"),
    trigger: { digits: 8 },
    validate: esDniValid,
    confidence: 0.85,
    hardBlock: true,
    examples: {
      positive: [
        "Mi DNI es 48213576X, gracias.",
        "Titular: Ana García López, DNI 73029148-P",
        "nif: 51.842.093-R",
      ],
      negative: [
        "DNI 48213576A",
        "placeholder 00000000T",
        "ref 20240115T120000Z and ticket 148213576X",
      ],
    },
  },
  {
    id: "es-nie",
    type: "es_nie",
    category: "pii",
    description: "Spanish foreigner number (NIE): X/Y/Z, seven digits and the control letter",
    pattern: standalone(String.raw`[XYZ]-?\d{7}-?[A-Z]`, "i"),
    trigger: { digits: 7 },
    validate: esNieValid,
    confidence: 0.85,
    hardBlock: true,
    examples: {
      positive: [
        "NIE: X4829135D",
        "Permiso de residencia Y-2738461-A",
        "su número de extranjero es Z9163702R.",
      ],
      negative: ["NIE: X4829135E", "W4829135D", "X482913D", "build AX4829135D"],
    },
  },
  {
    id: "it-codice-fiscale",
    type: "it_codice_fiscale",
    category: "pii",
    description: "Italian codice fiscale, including omocodia, with its check character",
    pattern: standalone(
      String.raw`[A-Z]{6}[0-9LMNP-V]{2}[ABCDEHLMPRST][0-9LMNP-V]{2}[A-Z][0-9LMNP-V]{3}[A-Z]`,
      "i",
    ),
    // A plain code holds seven digits; omocodia can replace all of them, so the keyword
    // wakes the rule for codes that have few digits left.
    trigger: { digits: 5, keywords: ["codice fiscale", "cod. fisc", "c.f."] },
    validate: itCodiceFiscaleValid,
    confidence: 0.9,
    hardBlock: true,
    examples: {
      positive: [
        "Il mio codice fiscale è RSSMRA85T10A562S.",
        "C.F.: BNCGLI92E55F205F",
        "cf=vrdlcu78c21h501s",
        "codice fiscale omocodico RSSMRA85T10A5RNS",
      ],
      negative: [
        "codice fiscale RSSMRA85T10A562T",
        "RSSMRA85T32A562Y",
        "RSSMRA8RT10A562E",
        "RSSMRA85X10A562S",
      ],
    },
  },
  {
    id: "de-steuer-id",
    type: "de_steuer_id",
    category: "pii",
    description: "German tax ID (Steuer-IdNr): eleven digits, repeat rule and MOD 11,10 check",
    pattern: nearKeyword(String.raw`\d{11}|\d{2} \d{3} \d{3} \d{3}`, STEUER_WORDS),
    windowRequires: STEUER_CUES,
    trigger: { digits: 11 },
    validate: deSteuerIdValid,
    confidence: 0.9,
    hardBlock: true,
    windowBefore: KEYWORD_WINDOW,
    examples: {
      positive: [
        "Meine Steuer-ID lautet 65401209871.",
        "Steueridentifikationsnummer: 35 708 612 390",
        "IdNr. 86095742719 (siehe Lohnsteuerbescheinigung)",
        "tax id: 65401009879",
        "steuer_id=65401209871",
        '{"steuer_id": "35 708 612 390", "updated_by": "ops"}',
      ],
      negative: [
        "Steuer-ID 47852013960",
        "Steuer-ID: 65401209872",
        "Bestellnummer 65401209871",
        "Steuer-ID 05401209879 und 65400019874",
        "steuerberater_nr=65401209871",
      ],
    },
  },
  {
    id: "nl-bsn",
    type: "nl_bsn",
    category: "pii",
    description: "Dutch citizen service number (BSN) passing the 11-proof, next to a keyword",
    pattern: nearKeyword(
      String.raw`\d{9}|\d{4}\.\d{2}\.\d{3}|\d{3} \d{3} \d{3}|\d{8}`,
      BSN_WORDS,
    ),
    windowRequires: BSN_CUES,
    trigger: { digits: 8 },
    validate: nlBsnValid,
    confidence: 0.9,
    hardBlock: true,
    windowBefore: KEYWORD_WINDOW,
    examples: {
      positive: [
        "Mijn BSN is 607812345.",
        "burgerservicenummer: 1928.37.461",
        "oud sofinummer 45123780",
      ],
      negative: ["BSN 192837462", "bestelnummer 192837461", "BSN: 000000000", "bsn 1234567"],
    },
  },
  {
    id: "in-aadhaar",
    type: "in_aadhaar",
    category: "pii",
    description: "Indian Aadhaar number with a Verhoeff check digit, next to a keyword",
    // The grouped 4-4-4 form is as common for card and reference numbers as for Aadhaar,
    // so it too needs a keyword.
    pattern: nearKeyword(
      String.raw`[2-9]\d{3} \d{4} \d{4}|[2-9]\d{3}-\d{4}-\d{4}|[2-9]\d{11}`,
      AADHAAR_WORDS,
    ),
    windowRequires: AADHAAR_CUES,
    trigger: { digits: 12 },
    validate: inAadhaarValid,
    confidence: 0.9,
    hardBlock: true,
    windowBefore: KEYWORD_WINDOW,
    examples: {
      positive: [
        "My Aadhaar number is 4918 2736 4507",
        "आधार संख्या: 7392 0418 5620",
        "UID: 284756103988",
        "aadhar card 6123-4509-8769 attached",
      ],
      negative: [
        "Aadhaar: 4918 2736 4508",
        "aadhaar 1918 2736 4507",
        "card 4918 2736 4507",
        "uuid 491827364507 and guid 491827364507",
      ],
    },
  },
  {
    id: "sg-nric",
    type: "sg_nric",
    category: "pii",
    description: "Singapore NRIC/FIN: S/T/F/G/M, seven digits and the series check letter",
    pattern: standalone(String.raw`[STFGM]\d{7}[A-Z]`, "i"),
    trigger: { digits: 7 },
    validate: sgNricValid,
    confidence: 0.85,
    hardBlock: true,
    examples: {
      positive: [
        "NRIC: S8812345Z",
        "Please verify T0412873C for the booking",
        "FIN no. G5839201X",
        "work pass holder M4821037J",
      ],
      negative: ["S8812345A", "A8812345Z", "S881234Z", "M0000008M", "XS8812345Z"],
    },
  },
  {
    id: "jp-my-number",
    type: "jp_my_number",
    category: "pii",
    description: "Japanese Individual Number (My Number) with its check digit, next to a keyword",
    pattern: nearKeyword(
      String.raw`\d{4} \d{4} \d{4}|\d{4}-\d{4}-\d{4}|\d{12}`,
      MY_NUMBER_WORDS,
    ),
    windowRequires: MY_NUMBER_CUES,
    trigger: { digits: 12 },
    validate: jpMyNumberValid,
    confidence: 0.9,
    hardBlock: true,
    windowBefore: KEYWORD_WINDOW,
    examples: {
      positive: [
        "マイナンバー：4829 1037 5622",
        "個人番号 731029584618 を記入してください",
        "My Number: 2048-1736-5943",
        "my_number=2048-1736-5943",
        '<input type="text" name="my-number" value="4829 1037 5622">',
      ],
      negative: [
        "マイナンバー 4829 1037 5623",
        "注文番号 482910375622",
        "my number is +81 90 1234 5678",
        "my_numbers=482910375622",
      ],
    },
  },
  {
    id: "br-cpf-formatted",
    type: "br_cpf",
    category: "pii",
    description: "Brazilian CPF in its 123.456.789-09 layout with both check digits",
    pattern: standalone(String.raw`\d{3}\.\d{3}\.\d{3}-\d{2}`),
    trigger: { digits: 11 },
    validate: brCpfValid,
    confidence: 0.9,
    hardBlock: true,
    examples: {
      positive: [
        "Meu CPF é 529.982.247-25.",
        "cliente: João Silva, 390.533.447-05",
        '<input name="documento" value="111.444.777-35">',
      ],
      negative: ["111.111.111-11", "529.982.247-26", "v1.529.982.247-25", "529.982.247-251"],
    },
  },
  {
    id: "br-cpf-keyword",
    type: "br_cpf",
    category: "pii",
    description: "Brazilian CPF written bare, next to the word CPF",
    pattern: nearKeyword(String.raw`\d{11}|\d{9}-\d{2}|\d{3}\.\d{3}\.\d{3}-\d{2}`, CPF_WORDS),
    windowRequires: CPF_CUES,
    trigger: { digits: 11 },
    validate: brCpfValid,
    confidence: 0.9,
    hardBlock: true,
    windowBefore: KEYWORD_WINDOW,
    examples: {
      positive: ["CPF: 52998224725", "cpf=98765432100", "CPF do titular 390533447-05"],
      negative: ["CPF 52998224726", "pedido 52998224725", "CPF 00000000000"],
    },
  },
  {
    id: "uk-nino",
    type: "uk_nino",
    category: "pii",
    description: "UK National Insurance number: allocatable prefix, six digits, suffix A-D",
    // Uppercase only: in lowercase prose ("on 123456 a …") the shape is too easy to hit.
    pattern: standalone(String.raw`[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]`),
    trigger: { digits: 6 },
    validate: ukNinoValid,
    confidence: 0.85,
    hardBlock: true,
    examples: {
      positive: [
        "National Insurance number: JG 10 37 59 A",
        "NI no. PZ876543D on the P60",
        "employee.nino = 'AB 12 34 56 C'",
      ],
      negative: ["QQ 12 34 56 C", "GB123456A", "AB 12 34 56 E", "DA 12 34 56 B"],
    },
  },
  {
    id: "ca-sin",
    type: "ca_sin",
    category: "pii",
    description: "Canadian Social Insurance Number passing Luhn, next to a SIN/NAS keyword",
    pattern: nearKeyword(
      String.raw`\d{3}-\d{3}-\d{3}|\d{3} \d{3} \d{3}|\d{9}`,
      SIN_WORDS,
      SIN_WORDS_AFTER,
    ),
    windowRequires: SIN_CUES,
    trigger: { digits: 9 },
    validate: caSinValid,
    confidence: 0.9,
    hardBlock: true,
    windowBefore: KEYWORD_WINDOW,
    examples: {
      positive: [
        "SIN: 130 692 544",
        "Social Insurance Number 276-148-954",
        "numéro d'assurance sociale (NAS) : 519 382 048",
        "temporary worker SIN 902 103 456",
        "130 692 544 (SIN)",
        "social_insurance_number=276-148-954",
        '{"social_insurance_number": "130 692 544"}',
      ],
      negative: [
        "SIN 130 692 545",
        "using 130 692 544 as the seed",
        "SIN: 046 454 286",
        "business number 838 291 607 SIN",
        "Order 130692544",
        "social_media_id=130692544",
        "Pedido 130692544 sin confirmar todavía",
      ],
    },
  },
];
