/**
 * The table of finding types the corpus covers: how to make each value and which words,
 * field names or assignment names surround it in real documents.
 *
 * @module
 */
import type { Lang, Template } from "./templates.ts";
import type { MakeValue } from "./values.ts";
import * as c from "./contact_values.ts";
import * as id from "./id_values.ts";
import * as s from "./secret_values.ts";

/** How one finding type is generated. */
export interface TypeSpec {
  /** Finding type, exactly as the detectors name it. */
  readonly type: string;
  /** Credential or personal data. */
  readonly category: "secret" | "pii";
  /** Value generator. */
  readonly make: MakeValue;
  /** PII: keywords by language; the keys are the languages the type appears in. */
  readonly keywords?: Partial<Record<Lang, readonly string[]>>;
  /** PII: field names used in structured records. */
  readonly fields?: readonly string[];
  /** Secrets: assignment names (env vars, config keys). */
  readonly names?: readonly string[];
  /** Secrets: recognisable without a name (a distinctive prefix). */
  readonly bare?: boolean;
  /** Extra templates specific to this type. */
  readonly templates?: readonly Template[];
}

const code = (text: string, json = false): Template => ({ lang: "code", text, json });

const ALL_LANG_EMAIL = {
  en: ["email", "e-mail address"],
  ko: ["이메일", "이메일 주소"],
  ja: ["メールアドレス"],
  de: ["E-Mail-Adresse"],
  fr: ["adresse e-mail"],
  es: ["correo electrónico"],
  it: ["indirizzo email"],
  nl: ["e-mailadres"],
  pt: ["e-mail"],
  hi: ["email id"],
};

/** PII types. */
export const PII_SPECS: readonly TypeSpec[] = [
  {
    type: "email",
    category: "pii",
    make: c.email,
    keywords: ALL_LANG_EMAIL,
    fields: ["email", "contact_email"],
  },
  {
    type: "phone",
    category: "pii",
    make: c.phone,
    keywords: {
      en: ["phone", "mobile number"],
      ko: ["전화번호", "연락처", "휴대폰 번호"],
      ja: ["電話番号", "携帯番号"],
      de: ["Telefonnummer", "Handynummer"],
      fr: ["numéro de téléphone", "portable"],
      es: ["teléfono", "móvil"],
      it: ["numero di telefono", "cellulare"],
      nl: ["telefoonnummer", "mobiele nummer"],
      pt: ["telefone", "celular"],
      hi: ["phone number", "mobile number"],
    },
    fields: ["phone", "mobile", "tel", "phone_number"],
  },
  {
    type: "payment_card",
    category: "pii",
    make: c.paymentCard,
    keywords: {
      en: ["card number", "credit card"],
      ko: ["카드번호", "신용카드 번호"],
      ja: ["カード番号"],
      de: ["Kartennummer"],
      fr: ["numéro de carte"],
      es: ["número de tarjeta"],
      it: ["numero della carta"],
      nl: ["kaartnummer"],
      pt: ["número do cartão"],
      hi: ["card number"],
    },
    fields: ["card_number", "cc_number", "pan"],
  },
  {
    type: "iban",
    category: "pii",
    make: c.iban,
    keywords: {
      en: ["IBAN", "bank account (IBAN)"],
      ko: ["IBAN 계좌"],
      ja: ["IBAN"],
      de: ["IBAN", "Bankverbindung (IBAN)"],
      fr: ["IBAN", "RIB / IBAN"],
      es: ["IBAN", "cuenta IBAN"],
      it: ["IBAN", "codice IBAN"],
      nl: ["IBAN", "rekeningnummer (IBAN)"],
      pt: ["IBAN"],
      hi: ["IBAN"],
    },
    fields: ["iban", "bank_iban"],
  },
  {
    type: "ip_address",
    category: "pii",
    make: c.ipAddress,
    keywords: {
      en: ["IP address", "client IP"],
      ko: ["IP 주소", "접속 IP"],
      ja: ["IPアドレス"],
      de: ["IP-Adresse"],
      fr: ["adresse IP"],
      es: ["dirección IP"],
      it: ["indirizzo IP"],
      nl: ["IP-adres"],
      pt: ["endereço IP"],
      hi: ["IP address"],
    },
    fields: ["ip", "client_ip", "remote_addr", "ip_address"],
  },
  {
    type: "us_ssn",
    category: "pii",
    make: id.usSsn,
    keywords: {
      en: ["SSN", "social security number", "Social Security No."],
      es: ["número de seguro social (SSN)"],
    },
    fields: ["ssn", "social_security_number"],
  },
  {
    type: "kr_rrn",
    category: "pii",
    make: id.krRrn,
    keywords: { ko: ["주민등록번호", "주민번호"], en: ["resident registration number", "RRN"] },
    fields: ["rrn", "jumin_no", "resident_registration_number"],
  },
  {
    type: "fr_nir",
    category: "pii",
    make: id.frNir,
    keywords: {
      fr: ["numéro de sécurité sociale", "NIR", "n° de sécu"],
      en: ["French social security number (NIR)"],
    },
    fields: ["nir", "numero_securite_sociale"],
  },
  {
    type: "es_dni",
    category: "pii",
    make: id.esDni,
    keywords: { es: ["DNI", "documento nacional de identidad (DNI)"], en: ["Spanish DNI"] },
    fields: ["dni"],
  },
  {
    type: "es_nie",
    category: "pii",
    make: id.esNie,
    keywords: { es: ["NIE", "número de identidad de extranjero (NIE)"], en: ["NIE"] },
    fields: ["nie"],
  },
  {
    type: "it_codice_fiscale",
    category: "pii",
    make: id.itCodiceFiscale,
    keywords: { it: ["codice fiscale", "C.F."], en: ["codice fiscale", "Italian tax code"] },
    fields: ["codice_fiscale", "cf"],
  },
  {
    type: "de_steuer_id",
    category: "pii",
    make: id.deSteuerId,
    keywords: {
      de: [
        "Steuer-ID",
        "steuerliche Identifikationsnummer",
        "Steueridentifikationsnummer",
        "IdNr.",
      ],
      en: ["German tax ID (Steuer-ID)"],
    },
    fields: ["steuer_id", "steueridentifikationsnummer"],
  },
  {
    type: "nl_bsn",
    category: "pii",
    make: id.nlBsn,
    keywords: { nl: ["BSN", "burgerservicenummer"], en: ["BSN"] },
    fields: ["bsn", "burgerservicenummer"],
  },
  {
    type: "in_aadhaar",
    category: "pii",
    make: id.inAadhaar,
    keywords: {
      hi: ["aadhaar number", "aadhaar card no", "aadhar number"],
      en: ["Aadhaar", "Aadhaar number"],
    },
    fields: ["aadhaar", "aadhaar_number"],
  },
  {
    type: "sg_nric",
    category: "pii",
    make: id.sgNric,
    keywords: { en: ["NRIC", "NRIC/FIN", "FIN"] },
    fields: ["nric", "nric_fin"],
  },
  {
    type: "jp_my_number",
    category: "pii",
    make: id.jpMyNumber,
    keywords: {
      ja: ["マイナンバー", "個人番号"],
      en: ["My Number", "Individual Number (My Number)"],
    },
    fields: ["my_number", "mynumber"],
  },
  {
    type: "br_cpf",
    category: "pii",
    make: id.brCpf,
    keywords: { pt: ["CPF", "número do CPF"], en: ["CPF"] },
    fields: ["cpf"],
  },
  {
    type: "uk_nino",
    category: "pii",
    make: id.ukNino,
    keywords: { en: ["National Insurance number", "NI number", "NINO"] },
    fields: ["nino", "ni_number"],
  },
  {
    type: "ca_sin",
    category: "pii",
    make: id.caSin,
    keywords: {
      en: ["SIN", "social insurance number"],
      fr: ["numéro d'assurance sociale (NAS)", "NAS"],
    },
    fields: ["sin", "social_insurance_number"],
  },
];

/** Secret types. */
export const SECRET_SPECS: readonly TypeSpec[] = [
  {
    type: "aws_access_key_id",
    category: "secret",
    make: s.awsAccessKeyId,
    bare: true,
    names: ["aws_access_key_id", "AccessKeyId"],
  },
  {
    type: "aws_secret_access_key",
    category: "secret",
    make: s.awsSecretAccessKey,
    names: ["aws_secret_access_key", "AWS_SECRET_ACCESS_KEY", "secretAccessKey"],
    templates: [
      code("[default]\naws_access_key_id = {@aws_access_key_id}\naws_secret_access_key = {v}\n"),
      code('{"AccessKeyId": "{@aws_access_key_id}", "SecretAccessKey": "{v}"}', true),
    ],
  },
  {
    type: "github_token",
    category: "secret",
    make: s.githubToken,
    bare: true,
    names: ["github_token", "GH_TOKEN"],
  },
  {
    type: "gitlab_token",
    category: "secret",
    make: s.gitlabToken,
    bare: true,
    names: ["gitlab_token", "GITLAB_PRIVATE_TOKEN"],
  },
  {
    type: "slack_token",
    category: "secret",
    make: s.slackToken,
    bare: true,
    names: ["slack_bot_token", "SLACK_TOKEN"],
  },
  {
    type: "slack_webhook",
    category: "secret",
    make: s.slackWebhook,
    bare: true,
    names: ["slack_webhook_url", "webhookUrl"],
    templates: [
      code(
        "curl -X POST -H 'Content-type: application/json' --data '{\"text\":\"deploy done\"}' {v}",
      ),
    ],
  },
  {
    type: "stripe_key",
    category: "secret",
    make: s.stripeKey,
    bare: true,
    names: ["stripe_secret_key", "STRIPE_API_KEY"],
  },
  {
    type: "openai_key",
    category: "secret",
    make: s.openaiKey,
    bare: true,
    names: ["openai_api_key", "OPENAI_API_KEY"],
  },
  {
    type: "anthropic_key",
    category: "secret",
    make: s.anthropicKey,
    bare: true,
    names: ["anthropic_api_key"],
  },
  {
    type: "google_api_key",
    category: "secret",
    make: s.googleApiKey,
    bare: true,
    names: ["google_api_key", "apiKey", "MAPS_API_KEY"],
  },
  {
    type: "google_oauth_client_secret",
    category: "secret",
    make: s.googleOauthClientSecret,
    bare: true,
    names: ["google_client_secret", "client_secret"],
  },
  {
    type: "sendgrid_key",
    category: "secret",
    make: s.sendgridKey,
    bare: true,
    names: ["sendgrid_api_key"],
  },
  {
    type: "twilio_api_key",
    category: "secret",
    make: s.twilioApiKey,
    names: ["twilio_api_key", "TWILIO_API_KEY_SID"],
  },
  {
    type: "npm_token",
    category: "secret",
    make: s.npmToken,
    bare: true,
    names: ["npm_token", "NODE_AUTH_TOKEN"],
    templates: [code("//registry.npmjs.org/:_authToken={v}\n")],
  },
  {
    type: "huggingface_token",
    category: "secret",
    make: s.huggingfaceToken,
    bare: true,
    names: ["hf_token", "HUGGING_FACE_HUB_TOKEN"],
  },
  {
    type: "shopify_token",
    category: "secret",
    make: s.shopifyToken,
    bare: true,
    names: ["shopify_access_token"],
  },
  {
    type: "databricks_token",
    category: "secret",
    make: s.databricksToken,
    bare: true,
    names: ["databricks_token"],
  },
  {
    type: "telegram_bot_token",
    category: "secret",
    make: s.telegramBotToken,
    bare: true,
    names: ["telegram_bot_token", "BOT_TOKEN"],
    templates: [code("curl https://api.telegram.org/bot{v}/getMe")],
  },
  {
    type: "azure_storage_key",
    category: "secret",
    make: s.azureStorageKey,
    names: ["azure_storage_key", "AZURE_STORAGE_ACCOUNT_KEY"],
    templates: [
      code(
        "DefaultEndpointsProtocol=https;AccountName={acct};AccountKey={v};EndpointSuffix=core.windows.net",
      ),
      code(
        '"ConnectionStrings": {"Blob": "DefaultEndpointsProtocol=https;AccountName={acct};AccountKey={v}"}',
        true,
      ),
    ],
  },
  {
    type: "jwt",
    category: "secret",
    make: s.jwt,
    bare: true,
    names: ["id_token", "access_token", "SESSION_JWT"],
    templates: [
      code("Cookie: session={v}; theme=dark"),
      code("https://app.acme-corp.io/callback#id_token={v}&state=af0ifjsldkj"),
    ],
  },
  {
    type: "private_key",
    category: "secret",
    make: s.privateKey,
    templates: [
      code("{v}\n"),
      code("$ cat deploy_key\n{v}\n$ chmod 600 deploy_key"),
      code(
        '{\n  "type": "service_account",\n  "project_id": "acme-prod",\n  "private_key": "{v}\\n"\n}',
        true,
      ),
      { lang: "ko", text: "이 키 써도 되나요?\n{v}" },
      { lang: "en", text: "here is the key from the server, can you check it?\n\n{v}\n\nthanks" },
    ],
  },
  {
    type: "url_password",
    category: "secret",
    make: s.urlPassword,
    bare: true,
    names: ["database_url", "REDIS_URL", "mongo_uri", "broker_url"],
    templates: [code("{ts} INFO connecting to {v}")],
  },
  {
    type: "auth_header",
    category: "secret",
    make: s.authHeader,
    templates: [
      code('curl -s -H "{v}" https://api.acme-corp.io/v1/orders'),
      code("GET /v1/orders HTTP/1.1\nHost: api.acme-corp.io\n{v}\nAccept: */*\n"),
      code("{ts} DEBUG request headers: {v}"),
      { lang: "en", text: "this header returns 401, any idea?\n{v}" },
      { lang: "ko", text: "헤더를 이렇게 보냈는데 401이 떠요\n{v}" },
      { lang: "de", text: "Mit diesem Header bekomme ich 401:\n{v}" },
    ],
  },
  {
    type: "generic_secret",
    category: "secret",
    make: s.genericSecret,
    names: [
      "password",
      "db_password",
      "api_key",
      "secret_key",
      "client_secret",
      "auth_token",
      "passwd",
    ],
    templates: [
      { lang: "ko", text: "서버 비밀번호: {v} 입니다, 공유 금지" },
      { lang: "ja", text: "パスワード：{v} です" },
      { lang: "de", text: "Das Passwort lautet {v}" },
      { lang: "fr", text: "le mot de passe est {v}" },
      { lang: "es", text: "la contraseña es {v}" },
      { lang: "it", text: "la password è {v}" },
      { lang: "nl", text: "het wachtwoord is {v}" },
      { lang: "pt", text: "a senha é {v}" },
      { lang: "hi", text: "password hai {v}, kisi ko mat batana" },
    ],
  },
];

/** Every type, secrets first. */
export const ALL_SPECS: readonly TypeSpec[] = [...SECRET_SPECS, ...PII_SPECS];
