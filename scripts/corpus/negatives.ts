/**
 * Hard negatives: text that looks like a sensitive value but is not one. A detector that
 * fires on any of these costs users trust, so the benchmark counts every finding here as
 * a false positive.
 *
 * @module
 */
import { B64, DIGITS, HEX, type Rng } from "./rng.ts";
import { ALL_SPECS } from "./specs.ts";
import { chooseTemplate, render, type Sample } from "./render.ts";
import { SECRET_CODE_TEMPLATES } from "./templates.ts";

type NegMaker = (rng: Rng) => { text: string; lang: string };

const en = (text: string) => ({ text, lang: "en" });
const at = (lang: string, text: string) => ({ text, lang });

function uuid(rng: Rng): string {
  const h = (n: number) => rng.chars(HEX, n);
  return `${h(8)}-${h(4)}-4${h(3)}-${rng.pick(["8", "9", "a", "b"])}${h(3)}-${h(12)}`;
}

function isbn13(rng: Rng): string {
  const body = rng.pick(["978", "979"]) + rng.digits(9);
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(body[i]) * (i % 2 === 0 ? 1 : 3);
  const full = body + String((10 - (sum % 10)) % 10);
  return `${full.slice(0, 3)}-${full.slice(3, 4)}-${full.slice(4, 6)}-${full.slice(6, 12)}-${
    full[12]
  }`;
}

const epochMs = (rng: Rng) =>
  String(1_600_000_000_000 + rng.int(0, 150_000_000) * 1000 + rng.int(0, 999));

/** Look-alikes of formats that carry no checksum, or of unrelated identifiers. */
const PLAIN: Record<string, NegMaker> = {
  epoch_ms: (r) =>
    r.pick([
      () => en(`{"created_at": ${epochMs(r)}, "updated_at": ${epochMs(r)}, "status": "ok"}`),
      () => en(`ts=${epochMs(r)} level=info msg="cache warmed" dur_ms=${r.int(1, 900)}`),
      () => at("ko", `타임스탬프 ${epochMs(r)} 기준으로 정렬했습니다`),
      () => at("de", `Zeitstempel: ${epochMs(r)} (UTC)`),
    ])(),
  order_number: (r) =>
    r.pick([
      () => en(`Order #${r.digits(10)} has shipped and will arrive Tuesday.`),
      () => at("ko", `주문번호 2024${r.digits(4)}-${r.digits(6)} 배송이 시작되었습니다`),
      () => at("ja", `注文番号：${r.digits(12)} のお届け予定日は明日です`),
      () => at("de", `Ihre Bestellnummer ${r.digits(9)} wurde versandt.`),
      () => at("fr", `N° de commande ${r.digits(11)} expédié`),
      () => at("es", `Pedido ${r.digits(9)} sin confirmar todavía`),
      () => at("it", `Numero ordine ${r.digits(10)} in consegna`),
      () => at("nl", `Bestelnummer ${r.digits(12)} is onderweg`),
      () => at("pt", `Número do pedido ${r.digits(11)} enviado`),
      () => at("hi", `Aapka order ${r.digits(12)} ship ho gaya hai`),
    ])(),
  build_number: (r) =>
    r.pick([
      () =>
        en(`build 2024${r.digits(4)}.${r.int(1, 40)} passed in ${r.int(1, 9)}m${r.int(10, 59)}s`),
      () => en(`CI run ${r.digits(10)} finished, job ${r.digits(11)} green`),
      () => at("ko", `빌드 번호 ${r.int(1000, 99999)} 배포 완료`),
    ])(),
  uuid: (r) =>
    r.pick([
      () => en(`request_id=${uuid(r)} trace_id=${uuid(r)}`),
      () => en(`{"id": "${uuid(r)}", "tenant": "${uuid(r)}"}`),
      () => at("ja", `リクエストID ${uuid(r)} でエラー`),
    ])(),
  git_sha: (r) =>
    r.pick([
      () => en(`commit ${r.chars(HEX, 40)}\nAuthor: ci-bot\n\n    fix flaky test`),
      () => en(`fixed in ${r.chars(HEX, 7)} (merge of #${r.int(100, 9999)})`),
      () => at("de", `Siehe Commit ${r.chars(HEX, 40)} für Details`),
    ])(),
  sha256: (r) =>
    r.pick([
      () => en(`image: acme/app@sha256:${r.chars(HEX, 64)}`),
      () => en(`SHA-256 checksum: ${r.chars(HEX, 64)}  haechi-linux-x64.tar.gz`),
      () => en(`<script src="app.js" integrity="sha384-${r.chars(B64, 64)}"></script>`),
    ])(),
  isbn13: (r) =>
    r.pick([
      () => en(`ISBN ${isbn13(r)}, paperback, 320 pages`),
      () => at("fr", `Réf. ISBN-13 : ${isbn13(r).replace(/-/g, "")}`),
    ])(),
  version: (r) =>
    r.pick([
      () => en(`upgrade to v${r.int(1, 20)}.${r.int(0, 30)}.${r.int(0, 20)} before Friday`),
      () =>
        en(
          `Mozilla/5.0 Chrome/${r.int(100, 130)}.0.${r.int(4000, 6999)}.${
            r.int(10, 199)
          } Safari/537.36`,
        ),
      () => en(`Windows version 10.0.${r.int(19041, 22631)}.${r.int(1000, 4999)}`),
      () => at("ko", `node ${r.int(16, 22)}.${r.int(0, 12)}.${r.int(0, 9)} 에서 재현됩니다`),
    ])(),
  price: (r) =>
    r.pick([
      () => en(`Total: $${r.int(1, 9)},${r.digits(3)}.${r.digits(2)} (tax incl.)`),
      () => at("de", `Preis: ${r.int(1, 9)}.${r.digits(3)},${r.digits(2)} €`),
      () => at("ko", `결제 금액 ₩${r.int(1, 99)},${r.digits(3)},${r.digits(3)}원`),
      () => at("ja", `価格 ¥${r.int(1, 99)},${r.digits(3)}（税込）`),
      () => at("pt", `Valor R$ ${r.int(1, 9)}.${r.digits(3)},${r.digits(2)}`),
      () => at("hi", `Keemat ₹${r.int(1, 99)},${r.digits(3)} hai`),
    ])(),
  gps: (r) =>
    r.pick([
      () => en(`lat=${r.int(-60, 60)}.${r.digits(6)}&lon=${r.int(-170, 170)}.${r.digits(6)}`),
      () => at("ko", `위치: ${r.int(33, 38)}.${r.digits(4)}, ${r.int(124, 131)}.${r.digits(4)}`),
      () => en(`GPS: ${r.int(10, 60)}.${r.digits(4)}° N, ${r.int(10, 150)}.${r.digits(4)}° E`),
    ])(),
  placeholder: (r) =>
    en(r.pick([
      "password=<your-password>",
      "curl -H 'Authorization: Bearer $TOKEN' https://api.acme-corp.io/v1/me",
      "OPENAI_API_KEY=sk-...",
      "api_key: ${API_KEY}",
      'password: "********"',
      "token=YOUR_TOKEN_HERE",
      "GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
      "AWS_SECRET_ACCESS_KEY=<secret>",
      "const password = process.env.DB_PASSWORD;",
      "DATABASE_URL=postgres://app:${DB_PASSWORD}@db:5432/app",
      "Authorization: Bearer <token>",
      "my key starts with sk-proj-… and ends with …xQ2",
      "set SLACK_BOT_TOKEN=xoxb-your-token-here",
      "client_secret: REPLACE_ME",
    ])),
  base64_blob: (r) =>
    r.pick([
      () => en(`<img src="data:image/png;base64,iVBORw0KGgo${r.chars(B64, r.int(200, 600))}">`),
      () => en(`"thumbnail": "${r.chars(B64, 120)}=="`),
    ])(),
  digit_lookalike: (r) =>
    r.pick([
      () =>
        en(
          `Meeting 10:30-11:45 in room ${r.int(1, 9)}-${r.int(100, 999)}, 2024-05-${r.int(10, 28)}`,
        ),
      () => en(`pages ${r.int(100, 999)}-${r.int(1000, 1999)} of vol. ${r.int(1, 30)}`),
      () => en(`OID ${r.int(1, 2)}.3.6.1.4.1.${r.int(100, 60000)}.${r.int(1, 99)}.${r.int(1, 9)}`),
      () =>
        en(
          `route ${r.int(256, 999)}.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(0, 255)} is invalid`,
        ),
      () =>
        at(
          "ko",
          `2024년 ${r.int(1, 12)}월 ${r.int(1, 28)}일 ${r.int(10, 23)}:${r.int(10, 59)} 회의`,
        ),
    ])(),
  at_lookalike: (r) =>
    en(r.pick([
      `npm i @acme/ui@${r.int(1, 9)}.${r.int(0, 9)}.${r.int(0, 9)}`,
      "follow @haechi_dev for release notes",
      "@media (max-width: 600px) { .nav { display: none } }",
      "@Component({ selector: 'app-root' })",
    ])),
};

/**
 * Types whose broken look-alikes make good negatives (a checksum or structure fails).
 * Korean RRNs are left out: numbers issued since October 2020 no longer end in a check
 * digit, so a checksum-failing RRN can still be a real one.
 */
const BROKEN_TYPES = [
  "payment_card",
  "iban",
  "us_ssn",
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
];

/** Every negative kind, in a fixed order. */
export const NEGATIVE_KINDS: readonly string[] = [
  ...Object.keys(PLAIN),
  ...BROKEN_TYPES.map((t) => `broken_${t}`),
  "short_secret",
];

function broken(rng: Rng, type: string): Sample {
  const spec = ALL_SPECS.find((s) => s.type === type)!;
  const made = spec.make(rng, true);
  // Force a keyword template: the look-alike must fail on its checksum, not on context.
  const s = render(
    rng,
    spec,
    { ...made, needsKeyword: true },
    chooseTemplate(rng, spec, { ...made, needsKeyword: true }),
  );
  return { ...s, labels: [], kind: `neg:broken_${type}` };
}

function shortSecret(rng: Rng): Sample {
  const v = rng.pick([
    "AKIA" + rng.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 12),
    "ghp_" + rng.chars(DIGITS + "abcdefghijklmnop", 20),
    "xoxb-" + rng.digits(6),
    "sk-" + rng.chars(HEX, 8),
    "AIza" + rng.chars(B64.slice(0, 62), 12),
  ]);
  const tpl = rng.pick(SECRET_CODE_TEMPLATES);
  const text = tpl.text.replace(/\{NAME\}|\{name\}|\{camel\}/g, "prefix_example").replace("{v}", v);
  return {
    text,
    labels: [],
    kind: "neg:short_secret",
    lang: "code",
    template: tpl.text.slice(0, 24),
  };
}

/**
 * Generate `count` hard negatives spread evenly over {@linkcode NEGATIVE_KINDS}.
 *
 * @param rng Random stream.
 * @param count How many samples.
 * @returns Samples with empty `labels`.
 */
export function generateNegatives(rng: Rng, count: number): Sample[] {
  const out: Sample[] = [];
  const streams = NEGATIVE_KINDS.map((k) => rng.fork(k));
  for (let i = 0; i < count; i++) {
    const k = i % NEGATIVE_KINDS.length;
    const kind = NEGATIVE_KINDS[k];
    const r = streams[k];
    if (kind in PLAIN) {
      const { text, lang } = PLAIN[kind](r);
      out.push({ text, labels: [], kind: `neg:${kind}`, lang, template: kind });
    } else if (kind === "short_secret") {
      out.push(shortSecret(r));
    } else {
      out.push(broken(r, kind.slice("broken_".length)));
    }
  }
  return out;
}
