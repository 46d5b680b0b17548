// Values that file and tool traffic carries in shapes chat rarely does: addresses inside
// paths, keys pasted without their END line, cards grouped with dots, Slack tokens of every
// published kind. Each case checks the exact span, so a partial match fails too.
import { BUILTIN_RULES } from "../../src/detect/rules/mod.ts";
import { createScanner } from "../../src/detect/scanner.ts";
import { assertEquals } from "../assert.ts";

const scanner = createScanner(BUILTIN_RULES);

/** `[type, original text under the span]` for each finding. */
function found(text: string): [string, string][] {
  return scanner.scan(text).map((f) => [f.type, text.slice(f.start, f.end)]);
}

const B64 = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj";

Deno.test("an email inside a path or URI, or before a file extension, is found as exactly the address", () => {
  const cases: [string, string][] = [
    ["aws s3 cp s3://exports/jane.doe@example.com/report.csv .", "jane.doe@example.com"],
    ["open file:///home/jane.doe@example.com/notes.txt", "jane.doe@example.com"],
    ["saved to /var/mail/minsu@example.co.kr", "minsu@example.co.kr"],
    ["attached jane.doe@example.com.txt", "jane.doe@example.com"],
    ["export ANA@EXAMPLE.ES.CSV", "ANA@EXAMPLE.ES"],
  ];
  for (const [text, value] of cases) assertEquals(found(text), [["email", value]], text);
});

Deno.test("a login in a URL and an asset name with a scale suffix are still not emails", () => {
  for (const text of ["git clone ssh://git@github.com/org/repo.git", "img/logo@2x.png"]) {
    assertEquals(found(text), [], text);
  }
});

Deno.test("a PEM private key without its END line, or closed with another label, is a private key", () => {
  const truncated = `-----BEGIN PRIVATE KEY-----\n${B64}\n${B64.slice(0, 40)}`;
  assertEquals(found(`my key:\n${truncated}\n\nwhy does it fail to load?`), [
    ["private_key", truncated],
  ]);
  const escaped = `-----BEGIN RSA PRIVATE KEY-----\\n${B64}\\n${B64}`;
  assertEquals(found(`{"key": "${escaped}`), [["private_key", escaped]]);
  const misclosed = `-----BEGIN RSA PRIVATE KEY-----\n${B64}\n-----END PRIVATE KEY-----`;
  assertEquals(found(misclosed), [["private_key", misclosed]]);
});

Deno.test("a card number grouped with dots or underscores is a hard-block card", () => {
  for (const card of ["4111.1111.1111.1111", "5555_5555_5555_4444", "3782.822463.10005"]) {
    const text = `card ${card} exp 12/29`;
    assertEquals(found(text), [["payment_card", card]], text);
    assertEquals(scanner.scan(text)[0].hardBlock, true);
  }
});

Deno.test("a password introduced by 'is:' in a sentence is a secret", () => {
  const text = "the admin password is: Zq8vL2pXr7Tk, please rotate it";
  assertEquals(found(text), [["generic_secret", "Zq8vL2pXr7Tk"]]);
});

Deno.test("every published Slack token shape is a slack_token", () => {
  const hex = "4283fefc63f0cd0e873a0000c6d07ef7b77e90d3593ad699fc1f7cd5bb2e35cb";
  const rnd = "9382dffx1kVZQ2tqMnMcLRkBOzZU3G8xI7CGr5c3bxD7u6yB54HkJlpobluliGGx";
  const long = (rnd + rnd + rnd).slice(0, 165);
  const tokens = [
    `xoxb-123456789012-1234567890123-${rnd.slice(0, 24)}`,
    `xoxb-123456789012-${rnd.slice(0, 19)}`,
    `xoxp-123456789012-123456789012-1234567890123-${hex.slice(0, 32)}`,
    `xoxc-123456789012-123456789012-1234567890123-${hex}`,
    `xoxa-2-${rnd.slice(0, 30)}`,
    `xoxa-2-123456789-31234567890-3123456789012-${hex.slice(0, 18)}`,
    `xoxr-${rnd.slice(0, 40)}`,
    `xoxs-416843729158-132049654-5609968301-${hex.slice(0, 10)}`,
    `xoxo-523423-234243-234233-${hex.slice(0, 18)}`,
    `xoxe-1-${long.slice(0, 146)}`,
    `xoxe-1234567890123-1234567890123-1234567890123-${hex.slice(0, 32)}`,
    `xoxe.xoxp-1-${long.slice(0, 163)}`,
    `xoxe.xoxb-1-${long}`,
    `xapp-1-A052FGTS2DL-5171572773297-${hex}`,
    `xwfp-${rnd.slice(0, 48)}`,
    `xoxd-${rnd.slice(0, 50)}%2F${rnd.slice(10, 30)}%3D%3D`,
  ];
  for (const token of tokens) {
    const text = `token: ${token}`;
    assertEquals(found(text), [["slack_token", token]], token);
  }
});

Deno.test("an invisible character a renderer skips inside a phone number does not hide it", () => {
  // Combining grapheme joiner, Hangul filler, variation selector, Mongolian free variation
  // selector and a tag character: all default-ignorable, none drawn.
  for (const mark of ["\u034f", "\u3164", "\ufe0f", "\u180b", "\u{e0020}"]) {
    const phone = `010-12${mark}34-5678`;
    assertEquals(found(`제 번호는 ${phone} 입니다`), [["phone", phone]], JSON.stringify(mark));
  }
});
