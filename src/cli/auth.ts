/**
 * `haechi auth`: manage the bearer tokens callers present to the gateway
 * (`auth.provider: "bearer"`).
 *
 * @module
 */
import { HaechiError } from "../errors.ts";
import {
  addToken,
  checkNewToken,
  createAuthHasher,
  readTokenStore,
  revokeToken,
  type StoredToken,
  type TokenType,
} from "../auth/mod.ts";
import { loadKeyFile } from "../vault/mod.ts";
import { hasKeyedState, openAuditSink } from "../session/mod.ts";
import type { HaechiConfig } from "../config/mod.ts";
import { type CliIO, type Command, defineCommand } from "./command.ts";
import { CONFIG_FLAG, loadConfigFor } from "./_shared.ts";
import { EXIT } from "./exit_codes.ts";

/** The `auth` command. */
export const authCommand: Command = defineCommand({
  name: "auth",
  summary: "Add, list or revoke gateway bearer tokens",
  usage: "haechi auth <add|list|revoke> [options]",
  description: `Manage the bearer tokens callers send as "Authorization: Bearer <token>" when
auth.provider is "bearer". The store (auth.store, mode 0600) keeps only a keyed
hash of each token under the key file's HMAC key; a token is printed once, by add.`,
  details: `Subcommands:
  add --type service|user --scope SCOPE [--label key=value ...]
                  Mint a token. SCOPE becomes the caller's token scope: values it
                  tokenizes restore only for it. Label keys must be listed in
                  auth.allowedLabelKeys.
  list            Show ids, types, scopes, labels and revocations (never tokens).
  revoke ID       Revoke a token; a running gateway refuses it from its next request.`,
  positionals: true,
  flags: {
    type: { type: "string", value: "service|user", help: "Caller type (add)." },
    scope: { type: "string", value: "SCOPE", help: "Token scope of the caller (add)." },
    label: {
      type: "string",
      value: "key=value",
      multiple: true,
      help: "Label for the caller (add; repeatable).",
    },
    config: CONFIG_FLAG,
    json: { type: "boolean", help: "Machine-readable output." },
  },
  footer: "Exit status: 0 ok, 2 usage or unknown id, 1 other errors.",
  async run({ values, positionals }, io) {
    const [sub, ...rest] = positionals;
    const json = values.json === true;
    if (sub === "add" && rest.length === 0) {
      if (values.type === undefined || values.scope === undefined) {
        throw new HaechiError("usage.invalid", "auth add needs --type and --scope");
      }
      const config = await loadConfigFor(values.config, io);
      const labels = checkNewToken(
        { type: values.type, scope: values.scope, labels: values.label ?? [] },
        config.auth.allowedLabelKeys,
      );
      return await add(config, io, json, {
        type: values.type as TokenType,
        scope: values.scope,
        labels,
      });
    }
    if (sub === "list" && rest.length === 0) {
      const config = await loadConfigFor(values.config, io);
      return await list(config, io, json);
    }
    if (sub === "revoke" && rest.length === 1) {
      const config = await loadConfigFor(values.config, io);
      return await revoke(config, io, json, rest[0]);
    }
    throw new HaechiError(
      "usage.invalid",
      sub === "revoke"
        ? "auth revoke takes one token id (see haechi auth list)"
        : 'auth takes a subcommand: "add", "list" or "revoke"',
    );
  },
});

async function add(
  config: HaechiConfig,
  io: CliIO,
  json: boolean,
  entry: { type: TokenType; scope: string; labels: Record<string, string> },
): Promise<number> {
  const material = await loadKeyFile(config.keys.path, {
    createIfMissing: !(await hasKeyedState(config)),
  });
  const hasher = createAuthHasher(material.hmacKey);
  const audit = await openAuditSink(config, material.hmacKey, "cli.auth");
  try {
    const { entry: stored, token } = await addToken(config.auth.store, hasher, entry);
    await audit.record({
      kind: "auth.add",
      correlationId: crypto.randomUUID(),
      outcome: "added",
      details: { identity: hasher.identity(stored.id), type: stored.type },
    });
    if (json) {
      await io.stdout.write(JSON.stringify({ ...publicView(stored), token }) + "\n");
    } else {
      await io.stdout.write(
        `Added ${stored.type} token ${stored.id} (scope ${stored.scope}` +
          `${labelText(stored.labels, ", labels ")}) to ${config.auth.store}\n` +
          `Token, shown only now; give it to the caller as "Authorization: Bearer <token>":\n` +
          `${token}\n`,
      );
    }
    return EXIT.ok;
  } finally {
    await audit.close();
  }
}

async function list(config: HaechiConfig, io: CliIO, json: boolean): Promise<number> {
  const file = await readTokenStore(config.auth.store);
  if (json) {
    await io.stdout.write(
      JSON.stringify({ store: config.auth.store, tokens: file.tokens.map(publicView) }) + "\n",
    );
    return EXIT.ok;
  }
  if (file.tokens.length === 0) {
    await io.stdout.write(`No tokens in ${config.auth.store}; add one with "haechi auth add"\n`);
    return EXIT.ok;
  }
  const lines = [`Tokens in ${config.auth.store}:`];
  for (const t of file.tokens) {
    const state = t.revokedAt === null ? "active" : `revoked ${t.revokedAt}`;
    lines.push(
      `  ${t.id}  ${t.type.padEnd(7)}  scope ${t.scope}${labelText(t.labels, "  labels ")}  ` +
        `created ${t.createdAt}  ${state}`,
    );
  }
  await io.stdout.write(lines.join("\n") + "\n");
  return EXIT.ok;
}

async function revoke(config: HaechiConfig, io: CliIO, json: boolean, id: string): Promise<number> {
  const material = await loadKeyFile(config.keys.path);
  const hasher = createAuthHasher(material.hmacKey);
  const found = await revokeToken(config.auth.store, id);
  if (found === null) {
    throw new HaechiError(
      "usage.invalid",
      `No token with id ${id.slice(0, 40)} in ${config.auth.store}`,
    );
  }
  const audit = await openAuditSink(config, material.hmacKey, "cli.auth");
  try {
    await audit.record({
      kind: "auth.revoke",
      correlationId: crypto.randomUUID(),
      outcome: "revoked",
      details: { identity: hasher.identity(found.id) },
    });
  } finally {
    await audit.close();
  }
  if (json) {
    await io.stdout.write(JSON.stringify(publicView(found)) + "\n");
  } else {
    await io.stdout.write(`Revoked token ${found.id} (${found.revokedAt})\n`);
  }
  return EXIT.ok;
}

/** A stored entry without its hash. */
function publicView(t: StoredToken) {
  return {
    id: t.id,
    type: t.type,
    scope: t.scope,
    labels: t.labels,
    createdAt: t.createdAt,
    revokedAt: t.revokedAt,
  };
}

function labelText(labels: Readonly<Record<string, string>>, prefix: string): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  return pairs.length === 0 ? "" : prefix + pairs.join(",");
}
