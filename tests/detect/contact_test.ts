import { CONTACT_RULES } from "../../src/detect/rules/contact.ts";
import { NETWORK_RULES } from "../../src/detect/rules/network.ts";
import { createScanner } from "../../src/detect/scanner.ts";
import { assert, assertEquals, assertLess } from "../assert.ts";

// The IP rows moved to network.ts; this file still exercises them beside the contact rows.
const ROWS = [...CONTACT_RULES, ...NETWORK_RULES];
const scanner = createScanner(ROWS);

/** Findings as `[type, original text under the span]` pairs. */
function found(text: string): [string, string][] {
  return scanner.scan(text).map((f) => [f.type, text.slice(f.start, f.end)]);
}

Deno.test("each contact type's redaction span is exactly the value", () => {
  const cases: [string, string, string][] = [
    ["write to jane.doe@example.com.", "email", "jane.doe@example.com"],
    ["<ops-team@corp.example.org>", "email", "ops-team@corp.example.org"],
    ["담당: minsu@example.co.kr 로", "email", "minsu@example.co.kr"],
    ["call +82 10-1234-5678 now", "phone", "+82 10-1234-5678"],
    ["제 번호는 010-1234-5678로 연락", "phone", "010-1234-5678"],
    ["desk (212) 555-0142.", "phone", "(212) 555-0142"],
    ["London 020 7946 0958, ask for Sam", "phone", "020 7946 0958"],
    ["Ruf an: 0151 23456789!", "phone", "0151 23456789"],
    ["portable 06 12 34 56 78.", "phone", "06 12 34 56 78"],
    ["電話：03-1234-5678（代表）", "phone", "03-1234-5678"],
    ["휴대폰 01012345678", "phone", "01012345678"],
    ["card 4111 1111 1111 1111 exp 12/29", "payment_card", "4111 1111 1111 1111"],
    ['"pan":"378282246310005"', "payment_card", "378282246310005"],
    ["UnionPay 6205 5000 0000 0000 004.", "payment_card", "6205 5000 0000 0000 004"],
    ["to GB82 WEST 1234 5698 7654 32, thanks", "iban", "GB82 WEST 1234 5698 7654 32"],
    ["iban=DE89370400440532013000;", "iban", "DE89370400440532013000"],
    ["from 81.2.69.160:443", "ip_address", "81.2.69.160"],
    ["[2a00:1450:4001:81c::200e]:443", "ip_address", "2a00:1450:4001:81c::200e"],
  ];
  for (const [text, type, value] of cases) {
    assertEquals(found(text), [[type, value]], JSON.stringify(text));
  }
});

Deno.test("a Korean mobile number in full-width digits is found and its span covers the original", () => {
  const text = "연락처: ０１０-１２３４-５６７８ 입니다";
  const [f, ...rest] = scanner.scan(text);
  assertEquals(rest, []);
  assertEquals(f.type, "phone");
  assertEquals(text.slice(f.start, f.end), "０１０-１２３４-５６７８");
});

Deno.test("a zero-width space inside an email address does not hide it", () => {
  const text = "mail jane\u200b.doe@exa\u200bmple.com today";
  const [f, ...rest] = scanner.scan(text);
  assertEquals(rest, []);
  assertEquals(f.type, "email");
  assertEquals(text.slice(f.start, f.end), "jane\u200b.doe@exa\u200bmple.com");
});

Deno.test("a card number in full-width digits with zero-width joiners is a hard-block finding", () => {
  const text = "카드 ４１１１\u200d １１１１ １１１１ １１１１ 결제";
  const [f, ...rest] = scanner.scan(text);
  assertEquals(rest, []);
  assertEquals([f.type, f.hardBlock], ["payment_card", true]);
  assertEquals(text.slice(f.start, f.end), "４１１１\u200d １１１１ １１１１ １１１１");
});

Deno.test("timestamps, ids, hashes, ISBNs, versions, prices and coordinates produce no contact finding", () => {
  const texts = [
    '{"created_at":1733040000000,"ts":1733040000}',
    "epoch 1733040000000000 and 1733040000123",
    "Order #4000123412341235 shipped; invoice 99887766554433",
    "order 2024120100042, build 20241201.1234, build 6.1.7601.24544",
    "id 550e8400-e29b-41d4-a716-446655440000",
    "uuid 12345678-1234-1234-1234-123456789012",
    "commit a1b2c3d, full 9fceb02d0ae598e95dc970b74767f19372d61af8",
    "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "ISBN 978-3-16-148410-0, 9783161484100, 0-306-40615-2, 978-89-954321-0-5",
    "v1.2.3.4, version 10.0.19041.1, 1.2.3.4-beta, node v20.11.1",
    "Chrome/120.0.6099.109 Safari/537.36, java -version 17.0.9+9",
    "OID 1.3.6.1.4.1.311, dotted 1.2.3.4.5",
    "price $1,234.56 or ₩15,000 or €1.234,56 or ¥120,000 or USD 1234567.89",
    "1,234,567,890 units and 0000 0000 0000 0000",
    "Seoul 37.5665, 126.9780 / Sydney -33.8688,151.2093 / lat=48.8566 lon=2.3522",
    "Tokyo 35.6762,139.6503 and 40.7128° N, 74.0060° W",
    "2024-01-15T10:30:00.000Z 15.01.2024 01/15/2024 10:30",
    "npm i lodash@^4.17.21 @types/node@20.11.5; docker pull nginx@sha256:abcd",
    "MAC 00:1A:2B:3C:4D:5E, ports 8080-8090, std::vec::Vec",
    "tracking 1Z999AA10123456784",
  ];
  for (const text of texts) assertEquals(found(text), [], JSON.stringify(text));
});

Deno.test("a bare digit run is a phone number only next to a phone word", () => {
  assertEquals(found("ref 2125550142 and 01012345678"), []);
  assertEquals(found("call me: 2125550142"), [["phone", "2125550142"]]);
  assertEquals(found("휴대폰 번호 01012345678"), [["phone", "01012345678"]]);
  assertEquals(found("phone log 1733040000000"), []);
  assertEquals(found("Telephone: 2125550142"), [["phone", "2125550142"]]);
  assertEquals(found("Tél. 0612345678"), [["phone", "0612345678"]]);
  assertEquals(found("hotel 2125550142"), []);
});

Deno.test("a number wrapped in brackets is found and the brackets stay outside the span", () => {
  assertEquals(found("Kim (010-1234-5678)"), [["phone", "010-1234-5678"]]);
  assertEquals(found("(+1 212 555 0142)"), [["phone", "+1 212 555 0142"]]);
  assertEquals(found("phone (01012345678)"), [["phone", "01012345678"]]);
  assertEquals(found("[030 12345678]"), [["phone", "030 12345678"]]);
  assertEquals(found("card (4111 1111 1111 1111)"), [["payment_card", "4111 1111 1111 1111"]]);
  assertEquals(found("(+82) 10-1234-5678"), [["phone", "(+82) 10-1234-5678"]]);
});

Deno.test("an scp-style git remote is not an email address but a mailbox at github.com is", () => {
  assertEquals(found("git clone git@github.com:org/repo.git"), []);
  assertEquals(found("mail octo.cat@github.com: thanks"), [["email", "octo.cat@github.com"]]);
});

Deno.test("only payment cards are hard-block among contact rows", () => {
  for (const rule of ROWS) {
    assertEquals(rule.hardBlock, rule.type === "payment_card", rule.id);
    assertEquals(rule.category, "pii", rule.id);
  }
});

Deno.test("a card-shaped number inside a longer digit run is not a card", () => {
  assertEquals(found("txn 99941111111111111111"), []);
  assertEquals(found("seq 4111 1111 1111 1111 2222 3333"), []);
  assertEquals(found("x-4111111111111111"), []);
  assertEquals(found("4111 1111 1111 1111 123"), [["payment_card", "4111 1111 1111 1111"]]);
});

Deno.test("a bank code after a spaced IBAN stays outside the finding", () => {
  assertEquals(found("BE68 5390 0754 7034 BIC GEBABEBB"), [["iban", "BE68 5390 0754 7034"]]);
  assertEquals(
    found("SC18 SSCB 1101 0000 0000 0000 1497 USD."),
    [["iban", "SC18 SSCB 1101 0000 0000 0000 1497 USD"]],
  );
});

Deno.test("a version word before a dotted quad vetoes the IP finding", () => {
  assertEquals(found("version 81.2.69.160"), []);
  assertEquals(found("server 81.2.69.160"), [["ip_address", "81.2.69.160"]]);
  assertEquals(found("(ver 81.2.69.160)"), []);
  assertEquals(found("mapped ::ffff:81.2.69.160"), [["ip_address", "::ffff:81.2.69.160"]]);
  assertEquals(found("mapped ::ffff:192.168.1.1"), []);
});

Deno.test("hostile inputs scan in time linear in their length", () => {
  const n = 100_000;
  const inputs: Record<string, string> = {
    "at-signs": "a@".repeat(n / 2),
    "dotted local part": "a.".repeat(n / 4) + "@" + "b.".repeat(n / 4),
    "long local runs": ("a".repeat(60) + "@").repeat(n / 61),
    "dashed domain": "x@" + "a-".repeat(n / 2),
    "spaced digits": "1 ".repeat(n / 2),
    "dotted digits": "1.".repeat(n / 2),
    "dashed digits": "1-".repeat(n / 2),
    "parenthesised digits": "(1) ".repeat(n / 4),
    "colon hex": "a1:".repeat(n / 3),
    "double colons": "1::".repeat(n / 3),
    "iban heads": "DE89 ".repeat(n / 5),
    "plus signs": "+1 ".repeat(n / 3),
    "phone words": "phone 0".repeat(n / 7),
    "oversized octets": "255.255.255.2555".repeat(n / 16),
  };
  for (const [name, text] of Object.entries(inputs)) {
    const t0 = performance.now();
    scanner.scan(text);
    const ms = performance.now() - t0;
    // ~10 ms on a laptop; the bound leaves room for a loaded CI machine, not for a blow-up.
    assertLess(ms, 1500, `${name} took ${ms.toFixed(0)} ms`);
  }
});

Deno.test("every contact row has at least three positive and three negative examples", () => {
  for (const rule of ROWS) {
    assert(rule.examples.positive.length >= 3, rule.id);
    assert(rule.examples.negative.length >= 3, rule.id);
  }
});
