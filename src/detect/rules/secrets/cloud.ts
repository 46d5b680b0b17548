/**
 * Cloud provider credentials: AWS, Google Cloud, Azure Storage and Databricks.
 *
 * @module
 */

import type { Rule } from "../../rule.ts";
import { NAME_VALUE_SEPARATOR } from "./_assign.ts";
import { ALPHABETS, fake } from "./_fake.ts";

const { alnum, base64, base64url, hex, upperAlnum } = ALPHABETS;

const AKID = fake("AKIA", 16, upperAlnum);
const AWS_SECRET = fake("", 40, base64, 3);
const GOOGLE_KEY = fake("AIza", 35, base64url);
const GOCSPX = fake("GOCSPX-", 28, base64url);
const AZURE_KEY = fake("", 86, base64) + "==";
const DAPI = fake("dapi", 32, hex);

// Azurite, the local storage emulator, ships one well-known account key in its docs and
// connection strings; it guards nothing.
const AZURITE_KEY =
  "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

/**
 * AWS, Google Cloud, Azure and Databricks rows.
 *
 * @example
 * ```ts
 * import { CLOUD_RULES } from "./cloud.ts";
 * if (!CLOUD_RULES.every((r) => r.category === "secret" && r.hardBlock)) throw new Error("soft");
 * ```
 */
export const CLOUD_RULES: readonly Rule[] = [
  {
    id: "aws-access-key-id",
    type: "aws_access_key_id",
    category: "secret",
    description: "AWS access key ID (AKIA/ASIA/ABIA/ACCA followed by 16 upper-case characters)",
    pattern: /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Za-z0-9])/,
    trigger: { keywords: ["akia", "asia", "abia", "acca"] },
    // AWS documentation's own sample IDs end in EXAMPLE.
    validate: (v) => !v.endsWith("EXAMPLE"),
    minEntropy: 3,
    confidence: 0.97,
    hardBlock: true,
    examples: {
      positive: [
        `aws_access_key_id = ${AKID}`,
        `export AWS_ACCESS_KEY_ID="${fake("ASIA", 16, upperAlnum)}"`,
        `{"AccessKeyId": "${fake("AKIA", 16, upperAlnum, 1)}", "Expiration": "2026-01-01"}`,
        `이 키 써도 돼? ${fake("ABIA", 16, upperAlnum)}`,
      ],
      negative: [
        "aws_access_key_id = AKIAIOSFODNN7EXAMPLE",
        `key: ${fake("AKIA", 15, upperAlnum)}`,
        `id=${fake("AKIA", 17, upperAlnum)}`,
        `akia${fake("", 16, upperAlnum)}`,
        "Travel notes: ASIA AAAAAAAAAAAAAAAA",
      ],
    },
  },
  {
    id: "aws-secret-access-key",
    type: "aws_secret_access_key",
    category: "secret",
    description: "AWS secret access key (40 base64 characters assigned to an AWS secret key name)",
    pattern: new RegExp(
      String.raw`(?:aws)?[_.-]?secret[_.-]?(?:access[_.-]?)?key${NAME_VALUE_SEPARATOR}` +
        String.raw`([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])`,
      "i",
    ),
    group: 1,
    trigger: { keywords: ["secret"] },
    context: { words: ["aws", "secretaccess", "secret_access", "secret-access"], before: 96 },
    // Base64 of 30 random bytes mixes cases; a hex digest in the same spot does not.
    validate: (v) => /[A-Z]/.test(v) && /[a-z]/.test(v) && !v.endsWith("EXAMPLEKEY"),
    minEntropy: 3.5,
    confidence: 0.96,
    hardBlock: true,
    examples: {
      positive: [
        `[default]\naws_access_key_id = ${AKID}\naws_secret_access_key = ${AWS_SECRET}`,
        `AWS_SECRET_ACCESS_KEY=${fake("", 40, base64, 4)}`,
        `{"SecretAccessKey": "${fake("", 40, base64, 5)}"}`,
        `aws configure set aws_secret_access_key ${fake("", 40, base64, 6)}`,
        `os.environ["AWS_SECRET_ACCESS_KEY"] = "${fake("", 40, base64, 9)}"`,
        `il mio AWS_SECRET_ACCESS_KEY è ${fake("", 40, base64, 10)} ma non va`,
        `AWS_SECRET_ACCESS_KEY 값이 ${fake("", 40, base64, 11)} 인데 인증이 안 돼요`,
        `aws_secret_access_key は ${fake("", 40, base64, 12)} です`,
        `settings:\n  aws_secret_access_key: ${fake("", 40, base64, 13)}\n`,
      ],
      negative: [
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        `aws_secret_access_key = ${fake("", 40, hex)}`,
        `aws_secret_access_key = ${fake("", 39, base64, 7)}`,
        `secret_key = ${fake("", 40, base64, 8)}`,
        `my aws secret key is rotated; ${fake("", 40, base64, 14)} is the build id`,
        `aws_secret_access_key is ${fake("", 41, base64, 15)}`,
      ],
    },
  },
  {
    id: "google-api-key",
    type: "google_api_key",
    category: "secret",
    description: "Google API key (AIza followed by 35 characters)",
    pattern: /(?<![A-Za-z0-9_-])AIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])/,
    trigger: { keywords: ["aiza"] },
    minEntropy: 3,
    confidence: 0.96,
    hardBlock: true,
    examples: {
      positive: [
        `const firebaseConfig = { apiKey: "${GOOGLE_KEY}" };`,
        `curl "https://maps.googleapis.com/maps/api/geocode/json?key=${
          fake("AIza", 35, base64url, 1)
        }"`,
        `GOOGLE_API_KEY=${fake("AIza", 35, base64url, 2)}`,
      ],
      negative: [
        `key=${fake("AIza", 34, base64url)}`,
        `key=${fake("AIza", 36, base64url)}`,
        "apiKey: AIzaXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
        `key=${fake("AIzb", 35, base64url)}`,
      ],
    },
  },
  {
    id: "google-oauth-client-secret",
    type: "google_oauth_client_secret",
    category: "secret",
    description: "Google OAuth client secret (GOCSPX- followed by 28 characters)",
    pattern: /(?<![A-Za-z0-9_-])GOCSPX-[A-Za-z0-9_-]{28}(?![A-Za-z0-9_-])/,
    trigger: { keywords: ["gocspx-"] },
    minEntropy: 3,
    confidence: 0.97,
    hardBlock: true,
    examples: {
      positive: [
        `{"web": {"client_id": "1234-x.apps.googleusercontent.com", "client_secret": "${GOCSPX}"}}`,
        `GOOGLE_CLIENT_SECRET=${fake("GOCSPX-", 28, base64url, 1)}`,
        `client secret is ${fake("GOCSPX-", 28, base64url, 2)} fyi`,
      ],
      negative: [
        `secret: ${fake("GOCSPX-", 27, base64url)}`,
        `secret: ${fake("GOCSPX-", 29, base64url)}`,
        "secret: GOCSPX-xxxxxxxxxxxxxxxxxxxxxxxxxxxx",
      ],
    },
  },
  {
    id: "azure-storage-account-key",
    type: "azure_storage_key",
    category: "secret",
    description: "Azure Storage account key inside a connection string (AccountKey=<88 base64>)",
    pattern: /AccountKey\s{0,2}=\s{0,2}([A-Za-z0-9+/]{86}==)(?![A-Za-z0-9+/=])/i,
    group: 1,
    trigger: { keywords: ["accountkey"] },
    validate: (v) => v !== AZURITE_KEY,
    minEntropy: 4,
    confidence: 0.97,
    hardBlock: true,
    examples: {
      positive: [
        `DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=${AZURE_KEY};EndpointSuffix=core.windows.net`,
        `"StorageConnection": "DefaultEndpointsProtocol=https;AccountName=logs;AccountKey=${
          fake("", 86, base64, 1)
        }=="`,
        `az storage blob list --connection-string 'AccountName=x;accountkey=${
          fake("", 86, base64, 2)
        }=='`,
      ],
      negative: [
        `AccountName=devstoreaccount1;AccountKey=${AZURITE_KEY};`,
        `AccountKey=${fake("", 85, base64, 3)}==;`,
        "AccountKey=<your-account-key>;",
        `SharedAccessSignature=${fake("", 86, base64, 4)}==`,
      ],
    },
  },
  {
    id: "azure-storage-key-assigned",
    type: "azure_storage_key",
    category: "secret",
    description:
      "Azure Storage account key (88 base64 characters) assigned to an Azure storage key name",
    pattern: new RegExp(
      String.raw`(?:azure[_.-]?storage(?:[_.-]?account)?|storage[_.-]?account)[_.-]?key` +
        NAME_VALUE_SEPARATOR + String.raw`([A-Za-z0-9+/]{86}==)(?![A-Za-z0-9+/=])`,
      "i",
    ),
    group: 1,
    trigger: { keywords: ["storage"] },
    validate: (v) => v !== AZURITE_KEY,
    minEntropy: 4,
    confidence: 0.96,
    hardBlock: true,
    examples: {
      positive: [
        `AZURE_STORAGE_KEY=${fake("", 86, base64, 5)}==`,
        `{\n  "AZURE_STORAGE_ACCOUNT_KEY": "${fake("", 86, base64, 6)}==",\n  "region": "eu"\n}`,
        `const azureStorageKey = "${fake("", 86, base64, 7)}==";`,
        `settings:\n  azure_storage_key: ${fake("", 86, base64, 8)}==\n  timeout: 30`,
        `os.environ["AZURE_STORAGE_ACCOUNT_KEY"] = "${fake("", 86, base64, 9)}=="`,
        `meu azure_storage_key é ${fake("", 86, base64, 10)}== e não funciona`,
        `azure_storage_key は ${fake("", 86, base64, 11)}== です`,
        `az storage account keys list → storage_account_key: ${fake("", 86, base64, 12)}==`,
      ],
      negative: [
        `AZURE_STORAGE_KEY=${AZURITE_KEY}`,
        `AZURE_STORAGE_KEY=${fake("", 85, base64, 13)}==`,
        "AZURE_STORAGE_KEY=<your-storage-key>",
        `storage_key = ${fake("", 86, base64, 14)}==`,
        `azure_storage_container: ${fake("", 86, base64, 15)}==`,
      ],
    },
  },
  {
    id: "databricks-token",
    type: "databricks_token",
    category: "secret",
    description: "Databricks personal access token (dapi + 32 hex, optional -N suffix)",
    pattern: /(?<![A-Za-z0-9])dapi[a-f0-9]{32}(?:-[0-9]{1,2})?(?![A-Za-z0-9])/,
    trigger: { keywords: ["dapi"] },
    minEntropy: 3,
    confidence: 0.96,
    hardBlock: true,
    examples: {
      positive: [
        `DATABRICKS_TOKEN=${DAPI}`,
        `databricks configure --token <<< ${fake("dapi", 32, hex, 1)}-2`,
        `host = https://adb-1.azuredatabricks.net\ntoken = ${fake("dapi", 32, hex, 2)}`,
      ],
      negative: [
        `token = ${fake("dapi", 31, hex)}`,
        `token = ${fake("dapi", 32, alnum)}`,
        "token = dapi00000000000000000000000000000000",
        `sha=${fake("", 64, hex)}`,
      ],
    },
  },
];
