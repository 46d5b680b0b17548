/**
 * Messaging and notification credentials: Slack, Telegram, Twilio and SendGrid.
 *
 * @module
 */

import type { Rule } from "../../rule.ts";
import { lastSegmentRandom } from "./_checks.ts";
import { ALPHABETS, fake } from "./_fake.ts";

const { alnum, base64url, digits, hex, upperAlnum } = ALPHABETS;

const n = (len: number, seed = 0) => fake("", len, digits, seed);
const botToken = (seed: number) =>
  `xoxb-${n(12, seed)}-${n(13, seed)}-${fake("", 24, alnum, seed)}`;
const userToken = (seed: number) =>
  `xoxp-${n(12, seed)}-${n(12, seed + 1)}-${n(13, seed)}-${fake("", 32, hex, seed)}`;
const clientToken = (seed: number) =>
  `xoxc-${n(12, seed)}-${n(12, seed + 1)}-${n(13, seed)}-${fake("", 64, hex, seed)}`;
const appToken = (seed: number) =>
  `xapp-1-A${fake("", 10, upperAlnum, seed)}-${n(13, seed)}-${fake("", 64, hex, seed)}`;
const webhook = (seed: number) =>
  `https://hooks.slack.com/services/T${fake("", 8, upperAlnum, seed)}/B${
    fake("", 10, upperAlnum, seed)
  }/${fake("", 24, alnum, seed)}`;
const telegram = (seed: number) => `${n(10, seed)}:AA${fake("", 33, base64url, seed)}`;
const twilio = (seed: number) => fake("SK", 32, hex, seed);
const sendgrid = (seed: number) =>
  `SG.${fake("", 22, base64url, seed)}.${fake("", 43, base64url, seed)}`;

/**
 * Slack, Telegram, Twilio and SendGrid rows.
 *
 * @example
 * ```ts
 * import { MESSAGING_RULES } from "./messaging.ts";
 * if (!MESSAGING_RULES.some((r) => r.type === "slack_webhook")) throw new Error("missing");
 * ```
 */
export const MESSAGING_RULES: readonly Rule[] = [
  {
    id: "slack-bot-token",
    type: "slack_token",
    category: "secret",
    description: "Slack bot token (xoxb-<team>-<bot>-<secret>, legacy xoxb-<bot>-<secret>)",
    pattern:
      /(?<![A-Za-z0-9-])xoxb-[0-9]{8,14}-(?:[0-9]{8,14}-[A-Za-z0-9]{20,40}|[A-Za-z0-9]{18,40})(?![A-Za-z0-9-])/,
    trigger: { keywords: ["xoxb-"] },
    minEntropy: 3,
    confidence: 0.98,
    hardBlock: true,
    examples: {
      positive: [
        `SLACK_BOT_TOKEN=${botToken(1)}`,
        `app = App(token="${botToken(2)}")`,
        `슬랙 봇 토큰: ${botToken(3)}`,
        // Legacy bot users: one number, then a shorter secret.
        `"bot_token": "xoxb-${n(12, 4)}-${fake("", 19, alnum, 4)}"`,
        `SLACK_TOKEN=xoxb-${n(11, 5)}-${fake("", 24, alnum, 5)}`,
      ],
      negative: [
        "SLACK_BOT_TOKEN=xoxb-your-bot-token",
        `token: xoxb-${n(12)}-${n(13)}-${fake("", 19, alnum)}`,
        "token: xoxb-000000000000-0000000000000-xxxxxxxxxxxxxxxxxxxxxxxx",
      ],
    },
  },
  {
    id: "slack-user-token",
    type: "slack_token",
    category: "secret",
    description: "Slack user or browser-session token (xoxp-/xoxc-<team>-<user>-<id>-<secret>)",
    pattern:
      /(?<![A-Za-z0-9-])xox[pc]-[0-9]{8,14}-[0-9]{8,14}-[0-9]{8,14}-[A-Za-z0-9]{28,64}(?![A-Za-z0-9-])/,
    trigger: { keywords: ["xoxp-", "xoxc-"] },
    minEntropy: 3,
    confidence: 0.98,
    hardBlock: true,
    examples: {
      positive: [
        `SLACK_USER_TOKEN=${userToken(1)}`,
        `curl -d token=${userToken(2)} https://slack.com/api/auth.test`,
        `{"access_token": "${userToken(3)}", "ok": true}`,
        `localConfig token ${clientToken(4)}`,
      ],
      negative: [
        "token: xoxp-your-user-token",
        `token: xoxp-${n(12)}-${n(12)}-${fake("", 32, hex)}`,
        `token: xoxp-${n(12)}-${n(12)}-${n(13)}-${fake("", 27, hex)}`,
        "token: xoxc-your-client-token",
      ],
    },
  },
  {
    id: "slack-app-token",
    type: "slack_token",
    category: "secret",
    description: "Slack app-level token (xapp-<n>-<app>-<ts>-<secret>)",
    pattern:
      /(?<![A-Za-z0-9-])xapp-[0-9]{1,2}-[A-Z0-9]{8,14}-[0-9]{8,14}-[A-Za-z0-9]{32,80}(?![A-Za-z0-9-])/,
    trigger: { keywords: ["xapp-"] },
    minEntropy: 3,
    confidence: 0.98,
    hardBlock: true,
    examples: {
      positive: [
        `SLACK_APP_TOKEN=${appToken(1)}`,
        `socket_mode_client = SocketModeClient(app_token="${appToken(2)}")`,
        `here: ${appToken(3)}`,
      ],
      negative: [
        "SLACK_APP_TOKEN=xapp-1-your-app-token",
        `xapp-1-A${fake("", 10, upperAlnum)}-${n(13)}-${fake("", 31, hex)}`,
        `xapp-1-a${fake("", 10, hex)}-${n(13)}-${fake("", 64, hex)}`,
      ],
    },
  },
  {
    id: "slack-legacy-token",
    type: "slack_token",
    category: "secret",
    description: "Slack legacy, workspace, refresh, configuration, workflow and session " +
      "tokens (xoxa/xoxo/xoxr/xoxs/xoxe/xoxe.xoxb/xoxe.xoxp/xwfp, xoxd cookies)",
    // Shapes: numbered legacy tokens (xoxs-<n>-<n>-<n>-<hex>); workspace and refresh tokens
    // with an optional version and one random part (xoxa-2-…, xoxr-…); configuration and
    // rotating tokens (xoxe-1-…, xoxe.xoxp-1-…); workflow tokens (xwfp-…); and the `d`
    // session cookie (xoxd-…), which is URL-encoded base64.
    pattern: new RegExp(
      String.raw`(?<![A-Za-z0-9-])(?:xox[aorse]-(?:[0-9]{1,2}-)?[0-9]{6,14}-[A-Za-z0-9-]{10,250}|` +
        String.raw`xox[ar]-(?:[0-9]{1,2}-)?[A-Za-z0-9]{20,250}|` +
        String.raw`xoxe(?:\.xox[bp])?-[0-9]-[A-Za-z0-9]{60,300}|xwfp-[A-Za-z0-9-]{20,250}|` +
        String.raw`xoxd-(?:[A-Za-z0-9+/=]|%[0-9A-Fa-f]{2}){40,400})(?![A-Za-z0-9-])`,
    ),
    trigger: {
      keywords: ["xoxa-", "xoxo-", "xoxr-", "xoxs-", "xoxe-", "xoxe.", "xwfp-", "xoxd-"],
    },
    minEntropy: 3,
    confidence: 0.97,
    hardBlock: true,
    examples: {
      positive: [
        `token=xoxa-2-${n(12)}-${n(12)}-${n(12)}-${fake("", 64, hex)}`,
        `SLACK_TOKEN="xoxs-${n(10)}-${n(11)}-${n(12)}-${fake("", 64, hex, 1)}"`,
        `config token: xoxe.xoxp-1-${fake("", 140, alnum, 2)}`,
        `refresh: xoxe-1-${fake("", 120, alnum, 3)}`,
        `rotated: xoxe.xoxb-1-${fake("", 165, alnum, 4)}`,
        `"access_token": "xoxa-2-${fake("", 30, alnum, 5)}"`,
        `"refresh_token": "xoxr-${fake("", 40, alnum, 6)}"`,
        `workflow token xwfp-${fake("", 48, alnum, 7)}`,
        `Cookie: d=xoxd-${fake("", 60, alnum, 8)}%2F${fake("", 30, alnum, 9)}%3D%3D; d-s=1`,
        `user token xoxe-${n(13, 10)}-${n(13, 11)}-${n(13, 12)}-${fake("", 32, hex, 10)}`,
      ],
      negative: [
        "xoxo-love-you-all",
        "token: xoxs-your-session-token-here",
        `token: xoxe-1-${fake("", 40, alnum)}`,
        "https://github.com/xoxa-nyc/xoxa-nyc.github.io",
        "refresh: xoxr-your-refresh-token",
        "cookie d=xoxd-REPLACE_ME",
        `xoxr-${"x".repeat(30)}`,
      ],
    },
  },
  {
    id: "slack-webhook-url",
    type: "slack_webhook",
    category: "secret",
    description: "Slack incoming-webhook or workflow URL (hooks.slack.com/services/T…/B…/…)",
    pattern:
      /(?:https?:\/\/)?hooks\.slack\.com\/(?:services\/T[A-Z0-9]{8,12}\/B[A-Z0-9]{8,12}\/[A-Za-z0-9]{24}|(?:workflows|triggers)\/T[A-Z0-9]{8,12}\/A[A-Z0-9]{8,12}\/[0-9]{8,20}\/[A-Za-z0-9]{32})(?![A-Za-z0-9])/,
    trigger: { keywords: ["hooks.slack.com"] },
    validate: (v) => lastSegmentRandom(v, 3),
    confidence: 0.98,
    hardBlock: true,
    examples: {
      positive: [
        `SLACK_WEBHOOK_URL=${webhook(1)}`,
        `curl -X POST -H 'Content-type: application/json' --data '{"text":"hi"}' ${webhook(2)}`,
        `notify:\n  url: "${webhook(3)}"`,
        `https://hooks.slack.com/triggers/T${fake("", 9, upperAlnum)}/A${
          fake("", 10, upperAlnum)
        }/${n(13)}/${fake("", 32, alnum, 4)}`,
      ],
      negative: [
        "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
        "Post to https://hooks.slack.com/services/ with your webhook path",
        `https://hooks.slack.com/services/T${fake("", 8, upperAlnum)}/B${
          fake("", 10, upperAlnum)
        }/${fake("", 23, alnum)}`,
      ],
    },
  },
  {
    id: "telegram-bot-token",
    type: "telegram_bot_token",
    category: "secret",
    description: "Telegram Bot API token (<bot id>:AA<33 characters>)",
    pattern: /(?<![0-9])[0-9]{8,10}:AA[A-Za-z0-9_-]{33}(?![A-Za-z0-9_-])/,
    trigger: { keywords: [":aa"] },
    minEntropy: 3,
    confidence: 0.96,
    hardBlock: true,
    examples: {
      positive: [
        `TELEGRAM_BOT_TOKEN=${telegram(1)}`,
        `curl https://api.telegram.org/bot${telegram(2)}/sendMessage -d chat_id=1`,
        `bot = telebot.TeleBot("${telegram(3)}")`,
      ],
      negative: [
        `token=${n(7)}:AA${fake("", 33, base64url)}`,
        `token=${n(10)}:AA${fake("", 32, base64url)}`,
        `token=${n(12)}:AA${fake("", 33, base64url, 1)}`,
        "meeting at 10:AA room, 2024-05-01",
      ],
    },
  },
  {
    id: "twilio-api-key",
    type: "twilio_api_key",
    category: "secret",
    description: "Twilio API key SID (upper-case SK followed by 32 lower-case hex digits)",
    pattern: /(?<![A-Za-z0-9])SK[0-9a-f]{32}(?![A-Za-z0-9])/,
    // "sk" is common in prose ("ask", "task"); the value starts at the keyword, so a
    // narrow window keeps those hits cheap.
    trigger: { keywords: ["sk"] },
    windowBefore: 0,
    windowAfter: 40,
    // 32 random hex digits hold letters and digits; a run of one kind is filler.
    validate: (v) => /[a-f]/.test(v) && /[0-9]/.test(v),
    minEntropy: 3,
    confidence: 0.95,
    hardBlock: true,
    examples: {
      positive: [
        `TWILIO_API_KEY=${twilio(1)}`,
        `client = Client("${twilio(2)}", api_secret, account_sid)`,
        `twilio api key: ${twilio(3)}`,
      ],
      negative: [
        `sha=${fake("sk", 32, hex)}`,
        `id=${fake("SK", 32, hex).toUpperCase()}`,
        `id=${fake("SK", 31, hex)}`,
        `digest ${fake("", 64, hex)}`,
        "SK00000000000000000000000000000000",
      ],
    },
  },
  {
    id: "sendgrid-api-key",
    type: "sendgrid_key",
    category: "secret",
    description: "SendGrid API key (SG.<22>.<43>)",
    pattern: /(?<![A-Za-z0-9_-])SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/,
    trigger: { keywords: ["sg."] },
    minEntropy: 3,
    confidence: 0.97,
    hardBlock: true,
    examples: {
      positive: [
        `SENDGRID_API_KEY=${sendgrid(1)}`,
        `sg = SendGridAPIClient("${sendgrid(2)}")`,
        `메일 키 ${sendgrid(3)} 입니다`,
      ],
      negative: [
        `key=SG.${fake("", 21, base64url)}.${fake("", 43, base64url)}`,
        `key=SG.${fake("", 22, base64url)}.${fake("", 42, base64url)}`,
        "Read SG.docs.example for setup",
      ],
    },
  },
];
