// JSON text in and out of the protector: re-serialized from the scanned value, numbers
// scanned on the way out and kept digit for digit when they are not rewritten.
import { createProtector, parseJsonExact, parseJsonText } from "../../src/protect/mod.ts";
import { mayNotRoundTrip } from "../../src/protect/json_text.ts";
import { DEFAULT_CONFIG } from "../../src/config/mod.ts";
import { TEST_RULES } from "../fixtures/rules.ts";
import { assert, assertEquals } from "../assert.ts";

const CARD_RULES = [{ ...TEST_RULES[2], pattern: /(?<!\d)4111111111111111(?!\d)/ }];

Deno.test("protectJsonText outputs the scanned view of duplicate keys, never the input bytes", async () => {
  const p = createProtector(DEFAULT_CONFIG, { rules: TEST_RULES });
  for (
    const input of [
      '{"a":"tk_abcd1234","a":"hi"}',
      '{"m":[{"content":"tk_abcd1234","content":"hi"}]}',
    ]
  ) {
    const r = await p.protectJsonText(input);
    assert(!r.output!.includes("tk_abcd1234"), r.output!);
    assertEquals(r.output, JSON.stringify(JSON.parse(input)));
  }
});

Deno.test("numbers that do not round-trip through a double keep their exact lexeme", () => {
  const input = '{"a":12345678901234567891,"b":1e400,"c":0.70,"d":-0,"e":1E5,"f":0.0000001,' +
    '"g":9007199254740993,"h":123456.78901234567,"i":[1,2.5,-3,100]}';
  assertEquals(JSON.stringify(parseJsonText(input, 1 << 20)), input);
  // Text without such a number takes the plain parse and gives plain numbers.
  assertEquals(parseJsonText('{"n":[1,2.5]}', 1024), { n: [1, 2.5] });
});

Deno.test("a number found in a request becomes a string; an allowed one stays a number", async () => {
  const input = '{"n":4111111111111111,"big":41111111111111111111,"ok":7}';
  const masked = createProtector(DEFAULT_CONFIG, { rules: CARD_RULES });
  const r = await masked.protectJsonText(input);
  assertEquals(r.output, '{"n":"************1111","big":41111111111111111111,"ok":7}');
  const allowed = createProtector({
    ...DEFAULT_CONFIG,
    policy: { ...DEFAULT_CONFIG.policy, actions: { payment_card: "allow" } },
  }, { rules: CARD_RULES });
  const a = await allowed.protectJsonText(input);
  assertEquals(a.findings.length, 1);
  assertEquals(a.output, input);
});

Deno.test("a number kept as its lexeme is scanned as written", async () => {
  const rules = [{ ...TEST_RULES[2], pattern: /(?<!\d)12345678901234567891(?!\d)/ }];
  const p = createProtector(DEFAULT_CONFIG, { rules });
  const r = await p.protectJsonText('{"id":12345678901234567891}');
  assertEquals(r.findings.length, 1);
  assertEquals(JSON.parse(r.output!).id, "****************7891");
});

Deno.test("every number position keeps its lexeme, whatever whitespace precedes it", () => {
  const cases: Array<[string, string]> = [
    ['{"a" :\n\t 1.50}', '{"a":1.50}'],
    ["[ -0 ]", "[-0]"],
    ["[[1.0],[2e3]]", "[[1.0],[2e3]]"],
    ['{"a":[1, 12345678901234567891]}', '{"a":[1,12345678901234567891]}'],
    ["1e400", "1e400"],
    ['{"s":"a3e9, b:1.0","n": 0.000000100}', '{"s":"a3e9, b:1.0","n":0.000000100}'],
    ['{"t":"[TOKEN:email:n3e9x]","n":12}', '{"t":"[TOKEN:email:n3e9x]","n":12}'],
  ];
  for (const [text, want] of cases) assertEquals(JSON.stringify(parseJsonExact(text)), want);
});

Deno.test("digit runs inside strings do not send the text to the exact parse; number tokens do", () => {
  for (
    const t of [
      '{"m":"휴대폰 번호: 040 2939896, 시간 08:49:51Z, tel: 010-1234-5678"}',
      '{"m":"ratio :1.50x and :-0a and , 12345678901234567891x"}',
      '{"n":[1,2.5,-3],"m":"x"}',
    ]
  ) assertEquals(mayNotRoundTrip(t), false, t);
  for (
    const t of [
      '{"a":1e400}',
      "1.50",
      " -0",
      '{"m":"tel: 040","n":[0.70]}',
      "[1, 9007199254740993 ]",
    ]
  ) assertEquals(mayNotRoundTrip(t), true, t);
});

Deno.test("numbers keep their lexeme next to strings that look like numbers", () => {
  const input = '{"m":"번호: 040 2939, 1.50","a":1.50,"b":[-0 , 1e400],"c":"08:49:51"}';
  assertEquals(JSON.stringify(parseJsonExact(input)), input.replace(" , ", ","));
});
