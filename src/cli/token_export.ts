/**
 * `haechi token-export`: list token metadata, never values or ciphertext.
 *
 * @module
 */
import { HaechiError } from "../errors.ts";
import { formatToken, isTokenType, loadKeyFile, openTokenVault } from "../vault/mod.ts";
import { type Command, defineCommand } from "./command.ts";
import { CONFIG_FLAG, loadConfigFor } from "./_shared.ts";
import { openAuditSink } from "../session/mod.ts";
import { EXIT } from "./exit_codes.ts";

/** Rows buffered before each write, to keep writes few without holding the vault. */
const WRITE_BATCH = 500;

/** The `token-export` command. */
export const tokenExportCommand: Command = defineCommand({
  name: "token-export",
  summary: "List token metadata (never values)",
  usage: "haechi token-export [--type TYPE] [--config PATH] [--json]",
  description: `List the tokens in the vault with their metadata: token, type, scope, created and
expires (ISO times; expires is "never" for a TTL of 0). Values and ciphertext are
never printed. Output streams, so large vaults export in constant memory. Audited.`,
  flags: {
    type: { type: "string", value: "TYPE", help: "Only tokens of this finding type, e.g. email." },
    config: CONFIG_FLAG,
    json: { type: "boolean", help: "One JSON object per line instead of tab-separated columns." },
  },
  footer: "Exit status: 0 ok, 1 missing key file or unreadable vault, 2 usage.",
  async run({ values }, io) {
    if (values.type !== undefined && !isTokenType(values.type)) {
      throw new HaechiError(
        "usage.invalid",
        "--type must be a finding type (1-40 characters of a-z, 0-9 and _)",
      );
    }
    const config = await loadConfigFor(values.config, io);
    const material = await loadKeyFile(config.keys.path);
    const audit = await openAuditSink(config, material.hmacKey, "cli.token-export");
    const vault = await openTokenVault(config, { material });
    try {
      let count = 0;
      let buffer: string[] = values.json ? [] : ["token\ttype\tscope\tcreated\texpires"];
      for await (const m of vault.list({ type: values.type })) {
        count++;
        const token = formatToken(m.type, m.id);
        const created = new Date(m.createdAt).toISOString();
        const expires = m.expiresAt === null ? null : new Date(m.expiresAt).toISOString();
        buffer.push(
          values.json
            ? JSON.stringify({ token, type: m.type, scope: m.scope, created, expires })
            : [token, m.type, m.scope, created, expires ?? "never"].join("\t"),
        );
        if (buffer.length >= WRITE_BATCH) {
          await io.stdout.write(buffer.join("\n") + "\n");
          buffer = [];
        }
      }
      if (buffer.length > 0) await io.stdout.write(buffer.join("\n") + "\n");
      await audit.record({
        kind: "token.export",
        correlationId: crypto.randomUUID(),
        outcome: "exported",
        details: { count, ...(values.type === undefined ? {} : { type: values.type }) },
      });
      return EXIT.ok;
    } finally {
      await vault.close();
      await audit.close();
    }
  },
});
