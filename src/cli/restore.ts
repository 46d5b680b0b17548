/**
 * `haechi restore`: put the values back into text that came back from a model or tool,
 * for the scope the tokens were issued to.
 *
 * @module
 */
import { HaechiError } from "../errors.ts";
import { type Command, defineCommand } from "./command.ts";
import { CONFIG_FLAG, loadConfigFor, readInputText } from "./_shared.ts";
import { openSession } from "../session/mod.ts";
import { EXIT } from "./exit_codes.ts";
import { requireRevealAllowed } from "./_reveal_policy.ts";

/** The `restore` command. */
export const restoreCommand: Command = defineCommand({
  name: "restore",
  summary: "Put values back in place of tokens issued to a scope",
  usage: "haechi restore [FILE|-] [--scope SCOPE] [--config PATH] [--json]",
  description:
    `Replace [TOKEN:type:id] tokens in the input with their values, but only tokens issued to
SCOPE that have not expired. Tokens from another scope, unknown or forged tokens and
expired ones stay as they are; every refusal is counted in the audit log.

Restoring reveals values to whoever runs it, so it obeys the same policy as token-reveal:
only when tokenVault.revealPolicy is "allow" (the default is "deny"; exit 3, audited).`,
  positionals: true,
  flags: {
    scope: {
      type: "string",
      value: "SCOPE",
      default: "default",
      help: "Scope the tokens were issued to.",
    },
    config: CONFIG_FLAG,
    json: { type: "boolean", help: "Print the counts on stderr as JSON." },
  },
  async run({ values, positionals }, io) {
    if (positionals.length > 1) {
      throw new HaechiError("usage.invalid", "restore takes at most one input file");
    }
    const config = await loadConfigFor(values.config, io);
    const scope = values.scope;
    const session = await openSession(config, "cli.restore", { keys: "require" });
    try {
      const correlationId = crypto.randomUUID();
      await requireRevealAllowed(config, session.audit, { kind: "token.restore", correlationId });
      const text = await readInputText(positionals[0], io, config.limits.maxBytes);
      const { text: restored, counts } = await session.vault.restoreTokens(text, scope);
      const refused = counts.foreignScope + counts.unknown + counts.expired + counts.corrupt;
      await session.audit.record({
        kind: "token.restore",
        correlationId,
        outcome: refused > 0 ? "partial" : "restored",
        details: { ...counts },
      });
      await io.stdout.write(restored);
      if (values.json) await io.stderr.write(JSON.stringify(counts) + "\n");
      else {
        await io.stderr.write(
          `haechi: restored ${counts.restored} token(s); left ${refused} in place ` +
            `(${counts.foreignScope} other scope, ${counts.unknown} unknown, ` +
            `${counts.expired} expired, ${counts.corrupt} unreadable)\n`,
        );
      }
      return EXIT.ok;
    } finally {
      await session.close();
    }
  },
});
