/**
 * Sentence and snippet templates that place values in realistic surroundings: chat
 * messages, support tickets, log lines, config files and JSON, in several languages.
 *
 * Placeholders: `{v}` the value, `{k}` a keyword naming it in the template's language,
 * `{field}` a field name, `{name}`/`{NAME}`/`{camel}` an assignment name, `{who}` a
 * person, `{n}` a ticket number, `{ts}` an ISO timestamp, `{acct}` an account name and
 * `{@type}` a second labelled value of another type.
 *
 * @module
 */

/** Languages the corpus writes in (`hi` is romanised Hindi). */
export type Lang = "en" | "ko" | "ja" | "de" | "fr" | "es" | "it" | "nl" | "pt" | "hi";

/** Every language, in a fixed order. */
export const LANGS: readonly Lang[] = ["en", "ko", "ja", "de", "fr", "es", "it", "nl", "pt", "hi"];

/** One template; `json` means values are JSON-string-escaped when inserted. */
export interface Template {
  /** Language, or `code` for config and source snippets. */
  readonly lang: Lang | "code";
  /** Text with placeholders. */
  readonly text: string;
  /** Insert values escaped as inside a JSON string literal. */
  readonly json?: boolean;
}

/** People's names per language, for `{who}`. */
export const PEOPLE: Record<Lang, readonly string[]> = {
  en: ["Olivia Smith", "James Wilson", "Emma Johnson"],
  ko: ["김민지", "박지호", "이서연"],
  ja: ["田中陽翔", "佐藤結衣", "鈴木蓮"],
  de: ["Lukas Müller", "Lea Schmidt", "Jonas Weber"],
  fr: ["Hugo Martin", "Chloé Bernard", "Léa Dubois"],
  es: ["Lucía García", "Pablo López", "Mateo Sánchez"],
  it: ["Giulia Rossi", "Marco Bianchi", "Sara Ricci"],
  nl: ["Sanne Jansen", "Daan de Vries", "Emma Bakker"],
  pt: ["João Silva", "Ana Santos", "Pedro Oliveira"],
  hi: ["Priya Sharma", "Arjun Patel", "Rahul Verma"],
};

function lang(l: Lang, texts: readonly string[]): Template[] {
  return texts.map((text) => ({ lang: l, text }));
}

/** Templates where a keyword names a personal value. */
export const PII_TEMPLATES: readonly Template[] = [
  ...lang("en", [
    "Hi, this is {who}. My {k} is {v}, please update my profile.",
    "Ticket #{n}: customer confirmed {k} {v} over the phone.",
    "{k}: {v}",
    "Can you check the account? {k} = {v}. Thanks!",
    "[support] {who} wrote: my {k} changed, the new one is {v}",
  ]),
  ...lang("ko", [
    "안녕하세요, {who}입니다. 제 {k}는 {v} 입니다.",
    "{k}: {v} 로 확인 부탁드립니다.",
    "고객 문의 #{n} - {k} {v} 변경 요청",
    "상담 메모: 고객이 {k}({v})를 알려줌",
  ]),
  ...lang("ja", [
    "お世話になっております。{who}です。{k}は{v}です。",
    "{k}：{v} で登録をお願いします。",
    "問い合わせ #{n}：{k} {v} の確認",
  ]),
  ...lang("de", [
    "Hallo, hier ist {who}. Meine {k} lautet {v}.",
    "{k}: {v} – bitte im Kundenkonto ändern.",
    "Ticket #{n}: Kunde hat {k} {v} telefonisch bestätigt.",
  ]),
  ...lang("fr", [
    "Bonjour, c'est {who}. Mon {k} est {v}, merci de mettre à jour.",
    "{k} : {v}",
    "Ticket n°{n} : le client a donné son {k} {v}.",
  ]),
  ...lang("es", [
    "Hola, soy {who}. Mi {k} es {v}.",
    "{k}: {v}, por favor actualícenlo.",
    "Incidencia #{n}: el cliente confirmó {k} {v}.",
  ]),
  ...lang("it", [
    "Buongiorno, sono {who}. Il mio {k} è {v}.",
    "{k}: {v} – grazie per l'aggiornamento.",
    "Richiesta #{n}: il cliente ha comunicato {k} {v}.",
  ]),
  ...lang("nl", [
    "Hoi, met {who}. Mijn {k} is {v}.",
    "{k}: {v} graag aanpassen in het dossier.",
    "Ticket #{n}: klant bevestigde {k} {v}.",
  ]),
  ...lang("pt", [
    "Olá, sou {who}. Meu {k} é {v}.",
    "{k}: {v}, por favor atualizem o cadastro.",
    "Chamado #{n}: cliente informou {k} {v}.",
  ]),
  ...lang("hi", [
    "Namaste, main {who} hoon. Mera {k} {v} hai.",
    "{k}: {v} kripya update kar dijiye.",
    "Ticket #{n}: customer ne {k} {v} bataya.",
  ]),
];

/** Structured records where a field name labels a personal value. */
export const PII_STRUCT_TEMPLATES: readonly Template[] = [
  { lang: "code", text: '{"{field}": "{v}", "updated_by": "{who}"}', json: true },
  { lang: "code", text: "{field}={v}" },
  { lang: "code", text: "name,{field}\n{who},{v}\n" },
  { lang: "code", text: '<input type="text" name="{field}" value="{v}">' },
  { lang: "code", text: "{ts} INFO user_update {field}={v} status=ok" },
];

/** Templates with no naming keyword, for formats recognisable on their own. */
export const PII_BARE_TEMPLATES: readonly Template[] = [
  ...lang("en", ["ok here you go: {v}", "Sure — {v}. Let me know if anything else is needed."]),
  ...lang("ko", ["네 여기요 {v}", "{v} 이걸로 해주세요"]),
  ...lang("ja", ["こちらです：{v}", "{v} でお願いします"]),
  ...lang("de", ["Hier bitte: {v}"]),
  ...lang("fr", ["Voilà : {v}"]),
  ...lang("es", ["Aquí tienes: {v}"]),
  ...lang("it", ["Ecco: {v}"]),
  ...lang("nl", ["Alsjeblieft: {v}"]),
  ...lang("pt", ["Segue: {v}"]),
  ...lang("hi", ["Yeh lijiye: {v}"]),
];

/** Config and source snippets that assign a secret to a name. */
export const SECRET_CODE_TEMPLATES: readonly Template[] = [
  { lang: "code", text: "{NAME}={v}" },
  { lang: "code", text: 'export {NAME}="{v}"' },
  { lang: "code", text: '{\n  "{name}": "{v}",\n  "region": "eu-west-1"\n}', json: true },
  { lang: "code", text: "settings:\n  {name}: {v}\n  timeout: 30" },
  { lang: "code", text: 'const {camel} = "{v}";' },
  { lang: "code", text: 'os.environ["{NAME}"] = "{v}"' },
  { lang: "code", text: "docker run -e {NAME}={v} acme/app:latest" },
];

/** Chat messages that name the secret. */
export const SECRET_NAMED_CHAT: readonly Template[] = [
  ...lang("en", ["my {name} is {v} — is it safe to paste here?"]),
  ...lang("ko", ["{name} 값이 {v} 인데 인증이 안 돼요"]),
  ...lang("ja", ["{name} は {v} です、動きません"]),
  ...lang("de", ["mein {name} ist {v}, warum 403?"]),
  ...lang("fr", ["mon {name} est {v}, ça ne marche pas"]),
  ...lang("es", ["mi {name} es {v} y falla"]),
  ...lang("it", ["il mio {name} è {v} ma non va"]),
  ...lang("nl", ["mijn {name} is {v} maar werkt niet"]),
  ...lang("pt", ["meu {name} é {v} e não funciona"]),
  ...lang("hi", ["mera {name} {v} hai, kaam nahi kar raha"]),
];

/** Chat and log lines where a self-identifying credential appears unnamed. */
export const SECRET_BARE_CHAT: readonly Template[] = [
  ...lang("en", [
    "why does this not work? {v}",
    "I accidentally committed {v} to the repo, how do I rotate it?",
  ]),
  ...lang("ko", ["이걸로 호출하면 401 에러가 나요 {v}", "여기요: {v}"]),
  ...lang("ja", ["これ {v} でエラーになります"]),
  ...lang("de", ["Das hier funktioniert nicht mehr: {v}"]),
  ...lang("fr", ["voici ce que j'utilise : {v}, pourquoi ça échoue ?"]),
  ...lang("es", ["uso {v} y me da error 401"]),
  ...lang("it", ["ho incollato {v} per sbaglio nel canale"]),
  ...lang("nl", ["dit werkt niet: {v}"]),
  ...lang("pt", ["isso {v} parou de funcionar"]),
  ...lang("hi", ["yeh {v} kaam nahi kar raha, kya karun?"]),
  { lang: "code", text: "{ts} ERROR upstream rejected credential {v} (401)" },
];
