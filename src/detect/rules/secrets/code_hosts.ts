/**
 * Source-hosting and package-registry tokens: GitHub, GitLab, npm and Hugging Face.
 *
 * GitHub tokens are `<kind>_` plus base62; GitLab tokens are `gl<kind>-` plus base64url.
 * Each kind gets its own row so a finding names exactly what leaked.
 *
 * @module
 */

import type { Rule } from "../../rule.ts";
import { ALPHABETS, fake } from "./_fake.ts";

const { alnum, base64url, hex, letters } = ALPHABETS;

/** One row per GitHub `<kind>_` prefix; they share a shape and differ in what they unlock. */
function githubRow(prefix: string, id: string, what: string, max: number): Rule {
  const t = (seed: number) => fake(prefix, 36, alnum, seed);
  return {
    id,
    type: "github_token",
    category: "secret",
    description: `GitHub ${what} (${prefix} followed by base62)`,
    pattern: new RegExp(`(?<![A-Za-z0-9_])${prefix}[A-Za-z0-9]{36,${max}}(?![A-Za-z0-9_])`),
    trigger: { keywords: [prefix] },
    minEntropy: 3,
    confidence: 0.98,
    hardBlock: true,
    examples: {
      positive: [
        `export GITHUB_TOKEN=${t(1)}`,
        `git clone https://${t(2)}@github.com/acme/private.git`,
        `{"token": "${t(3)}", "scope": "repo"}`,
        `토큰 여기 있어: ${t(4)}`,
      ],
      negative: [
        `token: ${fake(prefix, 35, alnum, 5)}`,
        `token: ${prefix}${"x".repeat(36)}`,
        `token: ${fake(prefix.slice(0, 2) + "z_", 36, alnum, 6)}`,
        `commit ${fake("", 40, hex, 7)}`,
      ],
    },
  };
}

/** One row per GitLab `gl<kind>-` prefix. */
function gitlabRow(prefixes: readonly string[], id: string, what: string): Rule {
  const alt = prefixes.map((p) => p.replace(/-$/, "")).join("|");
  const t = (seed: number) => fake(prefixes[seed % prefixes.length], 20, base64url, seed);
  return {
    id,
    type: "gitlab_token",
    category: "secret",
    description: `GitLab ${what} (${prefixes.join(", ")} followed by 20 or more characters)`,
    // Newer routable tokens append `.<version>.<checksum>`; older ones end after the body.
    pattern: new RegExp(
      `(?<![A-Za-z0-9_-])(?:${alt})-[A-Za-z0-9_-]{20,300}(?:\\.[A-Za-z0-9]{1,16}){0,2}(?![A-Za-z0-9_-])`,
    ),
    trigger: { keywords: prefixes },
    minEntropy: 3,
    confidence: 0.97,
    hardBlock: true,
    examples: {
      positive: [
        `GITLAB_TOKEN=${t(0)}`,
        `curl --header "PRIVATE-TOKEN: ${t(1)}" https://gitlab.example.com/api/v4/projects`,
        `token = "${t(2)}"`,
        `${prefixes[0]}${fake("", 27, base64url, 3)}.01.${fake("", 9, hex, 3)}`,
      ],
      negative: [
        `token: ${fake(prefixes[0], 19, base64url, 4)}`,
        `token: ${prefixes[0]}${"x".repeat(20)}`,
        `see the ${prefixes[0]} prefix in the docs`,
      ],
    },
  };
}

/**
 * GitHub, GitLab, npm and Hugging Face rows.
 *
 * @example
 * ```ts
 * import { CODE_HOST_RULES } from "./code_hosts.ts";
 * if (!CODE_HOST_RULES.some((r) => r.id === "github-pat-fine-grained")) throw new Error("missing");
 * ```
 */
export const CODE_HOST_RULES: readonly Rule[] = [
  githubRow("ghp_", "github-pat-classic", "classic personal access token", 36),
  githubRow("gho_", "github-oauth-token", "OAuth access token", 36),
  githubRow("ghu_", "github-user-to-server-token", "user-to-server token", 251),
  githubRow("ghs_", "github-server-to-server-token", "server-to-server token", 251),
  githubRow("ghr_", "github-refresh-token", "refresh token", 251),
  {
    id: "github-pat-fine-grained",
    type: "github_token",
    category: "secret",
    description: "GitHub fine-grained personal access token (github_pat_ + 22 + _ + 59)",
    pattern: /(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}(?![A-Za-z0-9_])/,
    trigger: { keywords: ["github_pat_"] },
    minEntropy: 3,
    confidence: 0.98,
    hardBlock: true,
    examples: {
      positive: [
        `GH_TOKEN=github_pat_${fake("", 22, alnum)}_${fake("", 59, alnum)}`,
        `- uses: actions/checkout@v4\n  with:\n    token: github_pat_${fake("", 22, alnum, 1)}_${
          fake("", 59, alnum, 1)
        }`,
        `"github_pat_${fake("", 22, alnum, 2)}_${fake("", 59, alnum, 2)}" 이거 만료됐나요?`,
      ],
      negative: [
        `github_pat_${fake("", 21, alnum)}_${fake("", 59, alnum)}`,
        `github_pat_${fake("", 22, alnum)}_${fake("", 58, alnum)}`,
        `github_pat_${fake("", 82, alnum)}`,
        "Create a github_pat_ token in Settings",
      ],
    },
  },
  gitlabRow(["glpat-"], "gitlab-pat", "personal, project or group access token"),
  gitlabRow(["gldt-"], "gitlab-deploy-token", "deploy token"),
  gitlabRow(["glptt-"], "gitlab-pipeline-trigger-token", "pipeline trigger token"),
  gitlabRow(["glrt-"], "gitlab-runner-token", "runner authentication token"),
  gitlabRow(
    ["gloas-", "glcbt-", "glft-", "glimt-", "glagent-", "glsoat-", "glffct-"],
    "gitlab-other-token",
    "OAuth secret, CI job, feed, incoming-mail, agent, SCIM or feature-flag token",
  ),
  {
    id: "npm-access-token",
    type: "npm_token",
    category: "secret",
    description: "npm access token (npm_ followed by 36 base62 characters)",
    pattern: /(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9_])/,
    trigger: { keywords: ["npm_"] },
    minEntropy: 3,
    confidence: 0.97,
    hardBlock: true,
    examples: {
      positive: [
        `//registry.npmjs.org/:_authToken=${fake("npm_", 36)}`,
        `NPM_TOKEN: ${fake("npm_", 36, alnum, 1)}`,
        `npm config set //registry.npmjs.org/:_authToken "${fake("npm_", 36, alnum, 2)}"`,
      ],
      negative: [
        `token=${fake("npm_", 35)}`,
        `token=npm_${"X".repeat(36)}`,
        "run npm_config_cache=/tmp npm ci",
        `token=${fake("npm_", 37)}`,
      ],
    },
  },
  {
    id: "huggingface-access-token",
    type: "huggingface_token",
    category: "secret",
    description: "Hugging Face access token (hf_ followed by 34 letters)",
    pattern: /(?<![A-Za-z0-9_])hf_[A-Za-z]{34}(?![A-Za-z0-9_])/,
    trigger: { keywords: ["hf_"] },
    validate: (v) => /[A-Z]/.test(v) && /[a-z]/.test(v.slice(3)),
    minEntropy: 3.5,
    confidence: 0.96,
    hardBlock: true,
    examples: {
      positive: [
        `HF_TOKEN=${fake("hf_", 34, letters)}`,
        `huggingface-cli login --token ${fake("hf_", 34, letters, 1)}`,
        `from huggingface_hub import login\nlogin("${fake("hf_", 34, letters, 2)}")`,
      ],
      negative: [
        `token=${fake("hf_", 33, letters)}`,
        `token=${fake("hf_", 34, alnum, 3).replace(/[A-Za-z]$/, "7")}`,
        "token=hf_abcdefghijklmnopqrstuvwxyzabcdefgh",
        "the hf_hub_download function caches files",
      ],
    },
  },
];
