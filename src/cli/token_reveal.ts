/**
 * `haechi token-reveal`: print the value behind a token, when the reveal policy allows.
 *
 * @module
 */
import { HaechiError, toHaechiError } from "../errors.ts";
import { parseToken } from "../vault/mod.ts";
import { type Command, defineCommand } from "./command.ts";
import { CONFIG_FLAG, loadConfigFor } from "./_shared.ts";
import { openSession } from "../session/mod.ts";
import { EXIT } from "./exit_codes.ts";
import { requireRevealAllowed } from "./_reveal_policy.ts";

/** The `token-reveal` command. */
export const tokenRevealCommand: Command = defineCommand({
  name: "token-reveal",
  summary: "Print the value behind a token (policy-gated, audited)",
  usage:
    "haechi token-reveal <TOKEN> [--scope SCOPE] [--config PATH] [--allow-dev-reveal] [--json]",
  description: `Print the original value behind a token such as [TOKEN:email:abcdefghij234567abcd].
Only when tokenVault.revealPolicy is "allow" (the default is "deny"). Every attempt,
allowed or not, is written to the audit log, which records the token and its type but
never the value. Quote the token: brackets are special to most shells.`,
  details: `Arguments:
  TOKEN            The token to reveal.`,
  positionals: true,
  flags: {
    scope: { type: "string", value: "SCOPE", help: "Refuse unless the token was issued to SCOPE." },
    "allow-dev-reveal": {
      type: "boolean",
      help: `Reveal even when tokenVault.revealPolicy is "deny", for this run only
        (haechi 1.4's local development override; the audit record says so).`,
    },
    config: CONFIG_FLAG,
    json: {
      type: "boolean",
      help: 'Print {"token","type","scope","value","createdAt","expiresAt"}.',
    },
  },
  footer:
    "Exit status: 0 revealed, 1 unknown, expired or invalid token, 2 usage, 3 denied by policy.",
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) {
      throw new HaechiError("usage.invalid", "token-reveal takes exactly one token");
    }
    const token = positionals[0].trim();
    const parsed = parseToken(token);
    if (parsed === null) {
      throw new HaechiError(
        "token.invalid",
        "Not a token; expected [TOKEN:<type>:<20 characters a-z, 2-7>]",
      );
    }
    const config = await loadConfigFor(values.config, io);
    const session = await openSession(config, "cli.token-reveal", { keys: "require" });
    const correlationId = crypto.randomUUID();
    const devReveal = values["allow-dev-reveal"] === true;
    // The flag is haechi 1.4's per-run override, typed by whoever holds the key file; the
    // audit record says the policy was overridden.
    const details: Record<string, string | boolean> = devReveal
      ? { token, type: parsed.type, devReveal: true }
      : { token, type: parsed.type };
    try {
      if (!devReveal) {
        await requireRevealAllowed(config, session.audit, {
          kind: "token.reveal",
          correlationId,
          details,
        });
      }
      try {
        const r = await session.vault.reveal(token, { scope: values.scope });
        await session.audit.record({
          kind: "token.reveal",
          correlationId,
          outcome: "revealed",
          details,
        });
        if (values.json) {
          await io.stdout.write(
            JSON.stringify({
              token,
              type: r.type,
              scope: r.scope,
              value: r.value,
              createdAt: new Date(r.createdAt).toISOString(),
              expiresAt: r.expiresAt === null ? null : new Date(r.expiresAt).toISOString(),
            }) + "\n",
          );
        } else {
          await io.stdout.write(r.value + "\n");
        }
        return EXIT.ok;
      } catch (e) {
        const err = toHaechiError(e);
        await session.audit.record({
          kind: "token.reveal",
          correlationId,
          outcome: "error",
          details: { ...details, errorCode: err.code },
        });
        throw err;
      }
    } finally {
      await session.close();
    }
  },
});
