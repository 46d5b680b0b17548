import { assert, assertEquals, assertNotEquals } from "../assert.ts";
import { CORPUS_TYPES, generateCorpus, NEGATIVE_KINDS } from "../../scripts/corpus.ts";
import {
  brCpfCheck,
  esControlLetter,
  frNirKey,
  ibanCheck,
  ibanOk,
  iso7064Mod1110Check,
  itCheckChar,
  jpMyNumberCheck,
  luhnCheck,
  luhnOk,
  sgNricLetter,
  verhoeffCheck,
  verhoeffOk,
} from "../../scripts/corpus/checksums.ts";

const EXPECTED_TYPES = [
  "aws_access_key_id",
  "aws_secret_access_key",
  "github_token",
  "gitlab_token",
  "slack_token",
  "slack_webhook",
  "stripe_key",
  "openai_key",
  "anthropic_key",
  "google_api_key",
  "google_oauth_client_secret",
  "sendgrid_key",
  "twilio_api_key",
  "npm_token",
  "huggingface_token",
  "shopify_token",
  "databricks_token",
  "telegram_bot_token",
  "azure_storage_key",
  "jwt",
  "private_key",
  "url_password",
  "auth_header",
  "generic_secret",
  "email",
  "phone",
  "payment_card",
  "iban",
  "ip_address",
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
];

Deno.test("the same seed gives an identical corpus and another seed a different one", () => {
  const a = generateCorpus({ seed: 7, perType: 5, negatives: 60 });
  const b = generateCorpus({ seed: 7, perType: 5, negatives: 60 });
  const c = generateCorpus({ seed: 8, perType: 5, negatives: 60 });
  assertEquals(a, b);
  assertNotEquals(a.map((s) => s.text), c.map((s) => s.text));
});

Deno.test("restricting the type list leaves the other types' samples unchanged", () => {
  const all = generateCorpus({ seed: 3, perType: 4, negatives: 0 });
  const only = generateCorpus({ seed: 3, perType: 4, negatives: 0, types: ["iban"] });
  assertEquals(only, all.filter((s) => s.kind.startsWith("iban/")));
});

Deno.test("every required finding type has samples", () => {
  assertEquals([...CORPUS_TYPES].sort(), [...EXPECTED_TYPES].sort());
  const corpus = generateCorpus({ seed: 1, perType: 20, negatives: 0 });
  for (const type of EXPECTED_TYPES) {
    const n = corpus.filter((s) => s.labels.some((l) => l.type === type)).length;
    assert(n >= 20, `${type} has ${n} samples`);
  }
});

Deno.test("label spans slice exactly the generated value and never overlap", () => {
  const corpus = generateCorpus({ seed: 11, perType: 60, negatives: 0 });
  const shapes: Record<string, RegExp> = {
    email: /^[a-z0-9._+-]+@[a-z0-9.-]+\.[a-z]{2,}$/,
    github_token: /^(gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})$/,
    jwt: /^eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/,
    private_key: /^-----BEGIN [A-Z ]+-----(\n|\\n)[^]+(\n|\\n)-----END [A-Z ]+-----$/,
    aws_access_key_id: /^(AKIA|ASIA)[A-Z2-7]{16}$/,
    kr_rrn: /^\d{6}-?\d{7}$/,
    sg_nric: /^[STFG]\d{7}[A-Z]$/,
  };
  for (const s of corpus) {
    assert(s.labels.length > 0, s.kind);
    const sorted = [...s.labels].sort((x, y) => x.start - y.start);
    for (let i = 0; i < sorted.length; i++) {
      const l = sorted[i];
      const value = s.text.slice(l.start, l.end);
      assert(value.length > 0 && value.trim() === value, `${s.kind}: ${JSON.stringify(value)}`);
      if (i > 0) assert(sorted[i - 1].end <= l.start, `${s.kind}: overlapping labels`);
      const shape = shapes[l.type];
      if (shape !== undefined) assert(shape.test(value), `${l.type}: ${JSON.stringify(value)}`);
    }
  }
});

Deno.test("checksummed values pass their own check and JWT headers decode to JSON", () => {
  const corpus = generateCorpus({ seed: 5, perType: 50, negatives: 0 });
  const values = (type: string) =>
    corpus.flatMap((s) =>
      s.labels.filter((l) => l.type === type).map((l) => s.text.slice(l.start, l.end))
    );
  for (const v of values("payment_card")) assert(luhnOk(v), v);
  for (const v of values("ca_sin")) assert(luhnOk(v), v);
  for (const v of values("iban")) assert(ibanOk(v), v);
  for (const v of values("in_aadhaar")) assert(verhoeffOk(v), v);
  for (const v of values("jwt")) {
    const header = JSON.parse(atob(v.split(".")[0].replace(/-/g, "+").replace(/_/g, "/")));
    assert(typeof header.alg === "string", v);
  }
  for (const v of values("es_dni")) {
    const d = v.replace(/[.-]/g, "");
    assertEquals(esControlLetter(d.slice(0, 8)), d[8], v);
  }
});

Deno.test("check-digit implementations agree with published test vectors", () => {
  assertEquals(luhnCheck("7992739871"), "3");
  assertEquals(ibanCheck("GB", "WEST12345698765432"), "82");
  assertEquals(ibanCheck("DE", "370400440532013000"), "89");
  assertEquals(verhoeffCheck("236"), "3");
  assertEquals(iso7064Mod1110Check("8609574271"), "9");
  assertEquals(esControlLetter("12345678"), "Z");
  assertEquals(esControlLetter("X1234567"), "L");
  assertEquals(itCheckChar("RSSMRA85T10A562"), "S");
  assertEquals(jpMyNumberCheck("12345678901"), "8");
  assertEquals(sgNricLetter("S", "1234567"), "D");
  assertEquals(brCpfCheck("111444777"), "35");
  assertEquals(frNirKey("1840775123456").length, 2);
});

Deno.test("hard negatives carry no labels and cover every negative kind", () => {
  const corpus = generateCorpus({ seed: 2, perType: 0, negatives: NEGATIVE_KINDS.length * 3 });
  assertEquals(corpus.length, NEGATIVE_KINDS.length * 3);
  for (const s of corpus) assertEquals(s.labels, []);
  const kinds = new Set(corpus.map((s) => s.kind.slice(4)));
  assertEquals([...kinds].sort(), [...NEGATIVE_KINDS].sort());
});

Deno.test("checksum-failing look-alikes fail the check they imitate", () => {
  const corpus = generateCorpus({ seed: 9, perType: 0, negatives: NEGATIVE_KINDS.length * 20 });
  const values = (kind: string, re: RegExp) =>
    corpus.filter((s) => s.kind === kind).map((s) => s.text.match(re)?.[0] ?? "");
  const cards = values("neg:broken_payment_card", /\d[\d -]{12,21}\d/);
  assert(cards.length > 0);
  for (const v of cards) assert(!luhnOk(v), v);
  for (const v of values("neg:broken_iban", /[A-Z]{2}\d{2}[A-Z0-9 ]{10,34}[A-Z0-9]/)) {
    assert(!ibanOk(v), v);
  }
  for (const v of values("neg:broken_in_aadhaar", /\d{4}[ -]?\d{4}[ -]?\d{4}/)) {
    assert(!verhoeffOk(v), v);
  }
  for (const v of values("neg:broken_ca_sin", /\d{3}[ -]?\d{3}[ -]?\d{3}/)) assert(!luhnOk(v), v);
});
