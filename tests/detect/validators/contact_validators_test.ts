import {
  IBAN_LENGTHS,
  ibanMod97,
  ibanPatternSource,
  ibanValid,
} from "../../../src/detect/validators/iban.ts";
import { cardIssuer, paymentCardValid } from "../../../src/detect/validators/card.ts";
import {
  isPublicIpv4,
  isPublicIpv6,
  parseIpv4,
  parseIpv6,
} from "../../../src/detect/validators/ip.ts";
import {
  anyPhoneValid,
  countryCodeLength,
  e164Valid,
  nationalPhoneValid,
} from "../../../src/detect/validators/phone.ts";
import { assert, assertEquals } from "../../assert.ts";

// Published sample IBANs (registry and bank documentation examples).
const VALID_IBANS = [
  "DE89 3704 0044 0532 0130 00",
  "GB82 WEST 1234 5698 7654 32",
  "FR14 2004 1010 0505 0001 3M02 606",
  "NL91 ABNA 0417 1643 00",
  "ES91 2100 0418 4502 0005 1332",
  "IT60 X054 2811 1010 0000 0123 456",
  "CH93 0076 2011 6238 5295 7",
  "BE68 5390 0754 7034",
  "AT61 1904 3002 3457 3201",
  "PL61 1090 1014 0000 0712 1981 2874",
  "NO93 8601 1117 947",
  "MT84 MALT 0110 0001 2345 MTLC AST0 01S",
  "SC18 SSCB 1101 0000 0000 0000 1497 USD",
  "DE89370400440532013000",
];

Deno.test("published IBAN examples pass the length and mod-97 checks", () => {
  for (const iban of VALID_IBANS) assert(ibanValid(iban), iban);
});

Deno.test("an IBAN with an altered digit, swapped digits, wrong length or unknown country fails", () => {
  const invalid = [
    "DE89 3704 0044 0532 0130 01", // last digit changed
    "DE98 3704 0044 0532 0130 00", // check digits swapped
    "DE89 3704 0044 0523 0130 00", // adjacent BBAN digits swapped
    "GB82 WEST 1234 5698 7654 33",
    "GB82 WEST 1234 5698 7654 3", // one short for GB
    "DE89 3704 0044 0532 0130 000", // one long for DE
    "XX89 3704 0044 0532 0130 00", // no such country
    "US64 SVBK US6S 3300 9673 86", // the US does not use IBANs
    "de89 3704 0044 0532 0130 00", // lowercase is not accepted
    "DE89-3704-0044-0532-0130-00",
  ];
  for (const iban of invalid) assert(!ibanValid(iban), iban);
});

Deno.test("the IBAN remainder is 1 for valid input and -1 for a foreign character", () => {
  assertEquals(ibanMod97("GB82WEST12345698765432"), 1);
  assertEquals(ibanMod97("GB82WEST1234569876543_"), -1);
});

Deno.test("every IBAN length in the table lies within the ISO 13616 bounds", () => {
  for (const [cc, len] of Object.entries(IBAN_LENGTHS)) {
    assert(/^[A-Z]{2}$/.test(cc) && len >= 15 && len <= 34, cc);
  }
});

Deno.test("the IBAN pattern stops at the country's length even when a word follows", () => {
  const re = new RegExp(`(?:${ibanPatternSource()})`);
  assertEquals(
    re.exec("DE89 3704 0044 0532 0130 00 BIC COBADEFFXXX")?.[0],
    "DE89 3704 0044 0532 0130 00",
  );
  assertEquals(re.exec("NL91ABNA0417164300 EUR")?.[0], "NL91ABNA0417164300");
});

Deno.test("standard test card numbers pass and name their issuer", () => {
  const cards: [string, string][] = [
    ["4111111111111111", "visa"],
    ["4222222222222", "visa"],
    ["5555555555554444", "mastercard"],
    ["2223003122003222", "mastercard"],
    ["378282246310005", "amex"],
    ["6011111111111117", "discover"],
    ["3530111333300000", "jcb"],
    ["3056930009020004", "diners"],
    ["36227206271667", "diners"],
    ["6200000000000005", "unionpay"],
    ["6205500000000000004", "unionpay"],
  ];
  for (const [pan, issuer] of cards) {
    assert(paymentCardValid(pan), pan);
    assertEquals(cardIssuer(pan), issuer, pan);
  }
  assert(paymentCardValid("4111 1111 1111 1111"));
  assert(paymentCardValid("3782-822463-10005"));
});

Deno.test("an altered card, a wrong issuer prefix or a wrong issuer length fails", () => {
  const invalid = [
    "4111111111111112", // Luhn digit changed
    "5555555555554445",
    "378282246310006",
    "6011111111111118",
    "3530111333300001",
    "1234567812345670", // Luhn-valid, no issuer starts with 1
    "9123456789012348", // Luhn-valid, no issuer starts with 9
    "3782822463100050", // Amex is 15 digits, not 16
    "55555555555544", // Mastercard is 16 digits
    "1733040000000", // epoch milliseconds
    "9783161484100", // ISBN-13
    "5805265843042", // Luhn-valid 13 digits with a Maestro prefix: only Visa issues 13
    "411111111111", // too short for any card
    "4111 1111 1111 1111x",
  ];
  for (const pan of invalid) assert(!paymentCardValid(pan), pan);
  assertEquals(cardIssuer("0000000000000000"), null);
});

Deno.test("IPv4 parsing rejects leading zeros, big octets and wrong part counts", () => {
  assertEquals(parseIpv4("81.2.69.160"), 0x510245a0);
  assertEquals(parseIpv4("0.0.0.0"), 0);
  for (
    const bad of ["01.2.3.4", "256.1.1.1", "1.2.3", "1.2.3.4.5", "1..2.3", "a.b.c.d", " 1.2.3.4"]
  ) {
    assertEquals(parseIpv4(bad), null, bad);
  }
});

// Address lists read better as a block than one per line.
// deno-fmt-ignore
Deno.test("IPv4 special-purpose ranges are not public, and their neighbours are", () => {
  const special = [
    "0.1.2.3", "10.0.0.1", "100.64.0.0", "100.127.255.255", "127.0.0.1", "169.254.10.1",
    "172.16.0.0", "172.31.255.255", "192.0.0.8", "192.0.2.1", "192.88.99.1", "192.168.1.1",
    "198.18.0.0", "198.19.255.255", "198.51.100.20", "203.0.113.7", "224.0.0.1",
    "239.255.255.250", "240.0.0.1", "255.255.255.255",
  ];
  const publicAddrs = [
    "1.1.1.1", "8.8.8.8", "81.2.69.160", "100.63.255.255", "100.128.0.0", "172.15.255.255",
    "172.32.0.0", "192.0.3.1", "192.167.255.255", "192.169.0.0", "198.17.255.255", "198.20.0.0",
    "203.0.112.255", "223.255.255.255",
  ];
  for (const ip of special) assert(!isPublicIpv4(ip), ip);
  for (const ip of publicAddrs) assert(isPublicIpv4(ip), ip);
});

// Address lists read better as a block than one per line.
// deno-fmt-ignore
Deno.test("IPv6 parsing expands compressed and IPv4-embedded forms", () => {
  assertEquals(parseIpv6("::"), [0, 0, 0, 0, 0, 0, 0, 0]);
  assertEquals(parseIpv6("::1"), [0, 0, 0, 0, 0, 0, 0, 1]);
  assertEquals(parseIpv6("2001:db8::"), [0x2001, 0xdb8, 0, 0, 0, 0, 0, 0]);
  assertEquals(parseIpv6("::ffff:192.0.2.1"), [0, 0, 0, 0, 0, 0xffff, 0xc000, 0x0201]);
  assertEquals(
    parseIpv6("2001:0DB8:85a3:0000:0000:8a2e:0370:7334"),
    [0x2001, 0xdb8, 0x85a3, 0, 0, 0x8a2e, 0x370, 0x7334],
  );
  const malformed = [
    "1::2::3", "12345::", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7::8", ":1:2:3:4:5:6:7",
    "::ffff:256.1.1.1", "1.2.3.4::", "fe80::1%eth0", "g::1", "2001:db8::/32",
  ];
  for (const bad of malformed) assertEquals(parseIpv6(bad), null, bad);
});

// Address lists read better as a block than one per line.
// deno-fmt-ignore
Deno.test("IPv6 special-purpose ranges are not public, global unicast is", () => {
  const special = [
    "::", "::1", "fe80::1", "febf::1", "fc00::1", "fd12:3456:789a::1", "ff02::1", "2001:db8::1",
    "2001:0db8:ffff::1", "3fff::1", "2001:2::1", "2001:10::1", "::ffff:10.0.0.1",
    "::ffff:192.168.1.1", "64:ff9b::c000:201", "100::1", "4000::1",
  ];
  const publicAddrs = [
    "2a00:1450:4001:81c::200e", "2606:4700:4700::1111", "2001:4860:4860::8888",
    "2001:0db9::1", "3ffe:1900::1", "::ffff:81.2.69.160", "64:ff9b::5102:45a0",
  ];
  for (const ip of special) assert(!isPublicIpv6(ip), ip);
  for (const ip of publicAddrs) assert(isPublicIpv6(ip), ip);
});

Deno.test("country codes of one, two and three digits are recognised and reserved ones are not", () => {
  assertEquals(countryCodeLength("12125550142"), 1);
  assertEquals(countryCodeLength("79161234567"), 1);
  assertEquals(countryCodeLength("447700900123"), 2);
  assertEquals(countryCodeLength("3531234567"), 3);
  assertEquals(countryCodeLength("38612345678"), 3);
  assertEquals(countryCodeLength("97912345678"), 3);
  assertEquals(countryCodeLength("99912345678"), 0);
  assertEquals(countryCodeLength("28012345678"), 0);
  assertEquals(countryCodeLength("0123456789"), 0);
});

// Address lists read better as a block than one per line.
// deno-fmt-ignore
Deno.test("international numbers need an assigned code, 8 to 15 digits and sane grouping", () => {
  const valid = [
    "+82 10-1234-5678", "+821012345678", "+1 (212) 555-0142", "+44 (0)20 7946 0958",
    "+33 6 12 34 56 78", "+81 90-1234-5678", "+49 151 23456789", "0049 30 12345678",
  ];
  const invalid = [
    "+1 123 555 0142", "+1 212 555 014", "+999 1234 5678", "+0 123 456 789", "+8210",
    "+1.2.3.4.5.6.7.8", "+44 (20 7946 0958", "+44 20) 7946 0958", "+82 10 1234 5678 1234 5",
    "821012345678",
  ];
  for (const v of valid) assert(e164Valid(v), v);
  for (const v of invalid) assert(!e164Valid(v), v);
});

Deno.test("national numbers must fit their country's digit count and leading digits", () => {
  const cases: [string, Parameters<typeof nationalPhoneValid>[1], boolean][] = [
    ["010-1234-5678", "KR", true],
    ["02-123-4567", "KR", true],
    ["031-123-4567", "KR", true],
    ["010-123-4567", "KR", false], // 010 is always eleven digits
    ["090-1234-5678", "KR", false],
    ["(212) 555-0142", "US", true],
    ["1-212-555-0142", "US", true],
    ["123-456-7890", "US", false],
    ["911-555-0142", "US", false], // N11 service code
    ["2-212-555-0142", "US", false],
    ["07700 900123", "UK", true],
    ["020 7946 0958", "UK", true],
    ["07000 900123", "UK", false],
    ["030 12345678", "DE", true],
    ["0151 23456789", "DE", true],
    ["0141 23456789", "DE", false],
    ["0228 12345", "DE", false],
    ["06 12 34 56 78", "FR", true],
    ["00 12 34 56 78", "FR", false],
    ["090-1234-5678", "JP", true],
    ["03-1234-5678", "JP", true],
    ["03-12-2024", "JP", false],
    ["010-1234-5678", "JP", false],
  ];
  for (const [value, country, expected] of cases) {
    assertEquals(nationalPhoneValid(value, country), expected, `${country} ${value}`);
  }
});

Deno.test("a loosely written number is accepted when any plan fits it", () => {
  for (const v of ["01012345678", "2125550142", "212 555 0142", "07700900123", "+4930123456"]) {
    assert(anyPhoneValid(v), v);
  }
  for (
    const v of ["1733040000000", "1733040000", "12345678", "212 - - 555 0142", "(212 555-0142"]
  ) {
    assert(!anyPhoneValid(v), v);
  }
});
