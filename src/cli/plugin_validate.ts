/**
 * `haechi plugin-validate`: check a signed manifest's shape only (no keys, no entry).
 *
 * @module
 */
import { HaechiError } from "../errors.ts";
import { checkManifest, readV14PluginEnvelope } from "../plugin/mod.ts";
import { parseEnvelope } from "../signing/mod.ts";
import { positionals } from "./_signing.ts";
import { readTextFile } from "../runtime/mod.ts";
import { type Command, defineCommand } from "./command.ts";
import { EXIT } from "./exit_codes.ts";

/** The `plugin-validate` command. */
export const pluginValidateCommand: Command = defineCommand({
  name: "plugin-validate",
  summary: "Check a signed plugin manifest's shape (no signature check)",
  usage: "haechi plugin-validate <manifest> [--json]",
  description: `Check that a signed plugin manifest is well formed: envelope, algorithm and every
manifest field. It does not check the signature or the entry file; use plugin-verify.`,
  positionals: true,
  flags: {
    json: { type: "boolean", help: "Print {ok, reason?, message?} as JSON." },
  },
  footer: `Exit status: 0 well formed, 2 malformed (manifest-invalid or alg-not-ed25519) or a
usage error, 1 unreadable file.`,
  async run(parsed, io) {
    const [path] = positionals(parsed, 1, "one manifest file");
    let text: string;
    try {
      text = await readTextFile(path);
    } catch {
      throw new HaechiError("input.read_failed", `Cannot read manifest ${path}`);
    }
    const v14 = readV14PluginEnvelope(text);
    const envelope = parseEnvelope(text);
    const problem = v14 !== undefined
      ? (v14.ok ? null : v14.problem)
      : !envelope.ok
      ? envelope.problem
      : (() => {
        const c = checkManifest(envelope.envelope.payload);
        return c.ok ? null : { reason: "manifest-invalid" as const, message: c.message };
      })();
    if (parsed.values.json === true) {
      await io.stdout.write(
        JSON.stringify(problem === null ? { ok: true } : { ok: false, ...problem }) + "\n",
      );
    } else if (problem === null) {
      await io.stdout.write(`Well formed: ${path}\n`);
    } else {
      await io.stderr.write(`Invalid: ${problem.reason}: ${problem.message}\n`);
    }
    // A manifest is configuration: a malformed one is a config error (2, as in haechi
    // 1.4), unlike plugin-verify's refusal of a well-formed but untrusted one (3).
    return problem === null ? EXIT.ok : EXIT.usage;
  },
});
