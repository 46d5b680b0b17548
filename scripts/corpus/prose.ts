/**
 * Bulk inputs for throughput measurement: ordinary prose (English and Korean), chat
 * completion request bodies, and hostile inputs built to provoke worst-case behaviour in
 * the trigger pass and the rule patterns.
 *
 * @module
 */
import { B64, Rng } from "./rng.ts";
import { ALL_SPECS } from "./specs.ts";
import { chooseTemplate, render } from "./render.ts";

const encoder = new TextEncoder();

/** UTF-8 length of `text`. */
export function utf8Bytes(text: string): number {
  return encoder.encode(text).length;
}

const EN_SUBJECTS = [
  "The team",
  "Our customer",
  "The new release",
  "This service",
  "My manager",
  "The report",
  "Everyone",
];
const EN_VERBS = [
  "reviewed",
  "shipped",
  "discussed",
  "postponed",
  "improved",
  "documented",
  "tested",
];
const EN_OBJECTS = [
  "the onboarding flow",
  "the quarterly budget",
  "a faster search index",
  "the support backlog",
  "the migration plan",
  "our weekly sync",
  "the pricing page",
  "the mobile app",
];
const EN_TAILS = [
  "before the holidays.",
  "after a long meeting.",
  "with very few complaints.",
  "and everyone agreed.",
  "but the numbers still look odd.",
  "so we can move on next week.",
  "without any downtime.",
];
const KO_SENTENCES = [
  "오늘 회의에서 새로운 기능 일정에 대해 논의했습니다.",
  "고객 지원 요청이 지난주보다 조금 줄었어요.",
  "배포는 내일 오전에 진행할 예정입니다.",
  "문서를 업데이트했으니 확인 부탁드립니다.",
  "점심 먹고 나서 다시 이야기해요.",
  "검색 속도가 눈에 띄게 빨라졌습니다.",
  "다음 분기 목표를 정리해서 공유드릴게요.",
  "테스트 환경에서 문제가 재현되지 않았습니다.",
];

function sentence(rng: Rng): string {
  if (rng.chance(0.4)) return rng.pick(KO_SENTENCES);
  return `${rng.pick(EN_SUBJECTS)} ${rng.pick(EN_VERBS)} ${rng.pick(EN_OBJECTS)} ${
    rng.pick(EN_TAILS)
  }`;
}

const SPRINKLE = [
  "email",
  "phone",
  "payment_card",
  "openai_key",
  "github_token",
  "kr_rrn",
  "generic_secret",
];

function sprinkle(rng: Rng, types: readonly string[]): string {
  const type = rng.pick(types);
  const spec = ALL_SPECS.find((s) => s.type === type)!;
  const made = spec.make(rng);
  return render(rng, spec, made, chooseTemplate(rng, spec, made)).text;
}

/** Options for {@linkcode generateProse}. */
export interface ProseOptions {
  /** PRNG seed. */
  seed: number;
  /** Target UTF-8 size (the result is at least this big, by at most one sentence). */
  bytes: number;
  /** Put one sensitive value after every this many sentences (0 = none; default 400). */
  sensitiveEvery?: number;
}

/**
 * English and Korean prose in paragraphs, with an occasional email, phone number or key.
 *
 * @example
 * ```ts
 * import { generateProse, utf8Bytes } from "./prose.ts";
 * const text = generateProse({ seed: 1, bytes: 2000 });
 * if (utf8Bytes(text) < 2000) throw new Error("too short");
 * ```
 */
export function generateProse(options: ProseOptions): string {
  const rng = new Rng(options.seed).fork("prose");
  const every = options.sensitiveEvery ?? 400;
  const parts: string[] = [];
  let bytes = 0;
  for (let i = 1; bytes < options.bytes; i++) {
    let s = sentence(rng);
    if (every > 0 && i % every === 0) s += " " + sprinkle(rng, ["email", "phone"]);
    s += i % 6 === 0 ? "\n\n" : " ";
    parts.push(s);
    bytes += utf8Bytes(s);
  }
  return parts.join("");
}

/**
 * An OpenAI chat-completions style request body of about `bytes` UTF-8 bytes, with
 * realistic prose and a sensitive value in roughly every fourth message.
 *
 * @param seed PRNG seed.
 * @param bytes Target size.
 * @returns JSON text.
 */
export function generateChatJson(seed: number, bytes: number): string {
  const rng = new Rng(seed).fork(`chat-${bytes}`);
  const messages: { role: string; content: string }[] = [
    { role: "system", content: "You are a helpful assistant for the Acme support team." },
  ];
  const body = () =>
    JSON.stringify({ model: "gpt-4o-mini", messages, temperature: 0.2, stream: false });
  let size = utf8Bytes(body());
  let turn = 0;
  while (size < bytes) {
    const room = bytes - size - 40;
    let content = "";
    while (utf8Bytes(content) < Math.min(1800, Math.max(room, 40))) {
      content += sentence(rng) + " ";
      if (rng.chance(0.06)) content += sprinkle(rng, SPRINKLE) + " ";
    }
    messages.push({ role: turn % 2 === 0 ? "user" : "assistant", content: content.trim() });
    turn++;
    size = utf8Bytes(body());
  }
  return body();
}

/** Hostile inputs by name, each about 1 MB unless its shape says otherwise. */
export function hostileInputs(seed: number): Record<string, string> {
  const rng = new Rng(seed).fork("hostile");
  const mb = 1 << 20;
  return {
    "spaces 1MB": " ".repeat(mb),
    '"a." x 200k': "a.".repeat(200_000),
    '"token" + 1MB spaces': "token" + " ".repeat(mb),
    "digit run 1MB": rng.digits(mb),
    '"1 " x 500k': "1 ".repeat(500_000),
    "nested [[…]] 100k deep": "[".repeat(100_000) + "]".repeat(100_000),
    '"@a." x 1MB': "@a.".repeat(Math.floor(mb / 3)),
    "random base64 1MB": rng.chars(B64, mb),
    // Full-width forms fold under NFKC, so this input exercises the folding slow path.
    "full-width text 1MB": "ｔｏｋｅｎ＝ＡＢＣ１２３ ".repeat(Math.floor(mb / 37)),
  };
}
