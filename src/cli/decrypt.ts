/**
 * `haechi decrypt`: open an `[ENC:…]` envelope for an operator, when policy allows.
 *
 * @module
 */
import { HaechiError, toHaechiError } from "../errors.ts";
import { decodeEnvelope } from "../vault/mod.ts";
import { type Command, defineCommand } from "./command.ts";
import { CONFIG_FLAG, loadConfigFor } from "./_shared.ts";
import { openSession } from "../session/mod.ts";
import { EXIT } from "./exit_codes.ts";

/** The `decrypt` command. */
export const decryptCommand: Command = defineCommand({
  name: "decrypt",
  summary: "Open an [ENC:...] envelope (policy-gated, audited)",
  usage: "haechi decrypt <ENVELOPE> [--scope SCOPE] [--config PATH] [--json]",
  description: `Print the value inside an [ENC:...] envelope written by the encrypt action.
Only when tokenVault.decryptPolicy is "allow" (the default is "deny"). Every attempt is
written to the audit log (type and key id, never the value). Quote the envelope:
brackets are special to most shells; the bare text between "[ENC:" and "]" works too.`,
  details: `Arguments:
  ENVELOPE         The envelope to open.`,
  positionals: true,
  flags: {
    scope: {
      type: "string",
      value: "SCOPE",
      default: "default",
      help: `Scope the envelope was made for; envelopes are
        bound to their scope and do not open for another.`,
    },
    config: CONFIG_FLAG,
    json: { type: "boolean", help: 'Print {"type","value"}.' },
  },
  footer:
    "Exit status: 0 decrypted, 1 malformed or undecryptable envelope, 2 usage, 3 denied by policy.",
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) {
      throw new HaechiError("usage.invalid", "decrypt takes exactly one envelope");
    }
    const envelope = positionals[0].trim();
    const parts = decodeEnvelope(envelope);
    if (parts === null) {
      throw new HaechiError("vault.invalid_envelope", "Not an [ENC:...] envelope of format 1");
    }
    const scope = values.scope;
    const config = await loadConfigFor(values.config, io);
    const session = await openSession(config, "cli.decrypt", { keys: "require" });
    const correlationId = crypto.randomUUID();
    const details = { type: parts.type, keyId: parts.keyId };
    try {
      if (config.tokenVault.decryptPolicy !== "allow") {
        await session.audit.record({ kind: "decrypt", correlationId, outcome: "denied", details });
        throw new HaechiError(
          "vault.decrypt_denied",
          'Decrypting envelopes is disabled: tokenVault.decryptPolicy is "deny"; ' +
            'set it to "allow" to permit it',
        );
      }
      try {
        const r = await session.vault.decryptEnvelope(envelope, scope);
        await session.audit.record({
          kind: "decrypt",
          correlationId,
          outcome: "decrypted",
          details,
        });
        await io.stdout.write(
          values.json ? JSON.stringify({ type: r.type, value: r.value }) + "\n" : r.value + "\n",
        );
        return EXIT.ok;
      } catch (e) {
        const err = toHaechiError(e);
        await session.audit.record({
          kind: "decrypt",
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
