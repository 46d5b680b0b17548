/**
 * `haechi token-purge`: delete one token, or every expired token.
 *
 * @module
 */
import { HaechiError } from "../errors.ts";
import { loadKeyFile, openTokenVault, parseToken } from "../vault/mod.ts";
import { type Command, defineCommand } from "./command.ts";
import { CONFIG_FLAG, loadConfigFor } from "./_shared.ts";
import { openAuditSink } from "../session/mod.ts";
import { EXIT } from "./exit_codes.ts";

/** The `token-purge` command. */
export const tokenPurgeCommand: Command = defineCommand({
  name: "token-purge",
  summary: "Delete a token, or every expired token, from the vault",
  usage: "haechi token-purge (<TOKEN> | --expired) [--config PATH] [--json]",
  description:
    `Delete tokens from the vault (tokenVault.path). A purged token is never restored again;
text that still holds it keeps the token as it is. Audited.`,
  details: `Arguments:
  TOKEN            Delete this token, e.g. "[TOKEN:email:abcdefghij234567abcd]".`,
  positionals: true,
  flags: {
    expired: { type: "boolean", help: "Delete every token past its TTL instead." },
    config: CONFIG_FLAG,
    json: { type: "boolean", help: 'Print {"purged": N}.' },
  },
  footer: "Exit status: 0 purged, 1 unknown or invalid token, 2 usage.",
  async run({ values, positionals }, io) {
    const expired = values.expired === true;
    if ((expired ? 0 : 1) !== positionals.length) {
      throw new HaechiError("usage.invalid", "token-purge takes one token, or --expired alone");
    }
    const token = expired ? undefined : positionals[0].trim();
    const parsed = token === undefined ? null : parseToken(token);
    if (token !== undefined && parsed === null) {
      throw new HaechiError(
        "token.invalid",
        "Not a token; expected [TOKEN:<type>:<20 characters a-z, 2-7>]",
      );
    }
    const config = await loadConfigFor(values.config, io);
    const material = await loadKeyFile(config.keys.path);
    const audit = await openAuditSink(config, material.hmacKey, "cli.token-purge");
    const vault = await openTokenVault(config, { material, purgeEvery: 0 });
    try {
      const purged = token === undefined
        ? await vault.purgeExpired()
        : (await vault.purge(token) ? 1 : 0);
      await audit.record({
        kind: "token.purge",
        correlationId: crypto.randomUUID(),
        outcome: purged > 0 ? "purged" : "not-found",
        details: token === undefined
          ? { expired: true, purged }
          : { token, type: parsed?.type ?? "", purged },
      });
      if (token !== undefined && purged === 0) {
        throw new HaechiError("token.not_found", `Token ${token} is not in the vault`, { token });
      }
      await io.stdout.write(
        values.json ? JSON.stringify({ purged }) + "\n" : `Purged ${purged} token(s)\n`,
      );
      return EXIT.ok;
    } finally {
      await vault.close();
      await audit.close();
    }
  },
});
