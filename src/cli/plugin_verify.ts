/**
 * `haechi plugin-verify`: run the runtime's trust gate on a signed manifest and its entry
 * file, and report a stable reason code when it refuses.
 *
 * @module
 */
import { loadConfig } from "../config/mod.ts";
import { HaechiError } from "../errors.ts";
import { type PluginTrustPolicy, verifyPlugin } from "../plugin/mod.ts";
import { loadAnchor, positionals, required } from "./_signing.ts";
import { readFile, readTextFile } from "../runtime/mod.ts";
import { VERSION } from "../version.ts";
import { type Command, defineCommand } from "./command.ts";
import { EXIT } from "./exit_codes.ts";

/** The `plugin-verify` command. */
export const pluginVerifyCommand: Command = defineCommand({
  name: "plugin-verify",
  summary: "Check a signed plugin against trust anchors, exactly as the runtime does",
  usage: `haechi plugin-verify <signed.json> --entry FILE
         (--anchor PEM [--anchor-key-id ID] | --config PATH)
         [--pin SHA256] [--core-version V] [--allow-capability NAME]...
         [--version-floor V] [--revoke ID|SHA256]... [--json]`,
  description: `Verify a signed plugin exactly as the gateway does before running it.

Trust comes from one public key (--anchor, with its key id; default the signer key id
the envelope names) or from the config's auth.plugin section (trustAnchors, allowCapabilities, pin,
versionFloor, revoked). Flags add to the config's lists and override its pin and floor.`,
  positionals: true,
  flags: {
    entry: {
      type: "string",
      value: "FILE",
      help: "The plugin entry file (its bytes must match the signature).",
    },
    anchor: { type: "string", value: "PEM", help: "Trusted SPKI public key file." },
    "anchor-key-id": {
      type: "string",
      value: "ID",
      help: "Key id of --anchor (default: the envelope's signerKeyId).",
    },
    config: { type: "string", value: "PATH", help: "Read trust settings from this config file." },
    pin: { type: "string", value: "SHA256", help: "Expected SHA-256 of the entry file." },
    "core-version": {
      type: "string",
      value: "V",
      default: VERSION,
      help: "Core version to check the range against.",
    },
    "allow-capability": {
      type: "string",
      value: "NAME",
      multiple: true,
      help: "Allow a capability (repeatable).",
    },
    "version-floor": { type: "string", value: "V", help: "Lowest accepted plugin version." },
    revoke: {
      type: "string",
      value: "ID|SHA256",
      multiple: true,
      help: "Revoked signer key id or entry digest (repeatable).",
    },
    json: { type: "boolean", help: "Print {ok, reason, message, plugin} as JSON." },
  },
  footer: `Refusal reasons: manifest-invalid, alg-not-ed25519, unknown-signer, invalid-signature,
tampered-entry, expired-window, below-version-floor, revoked, pin-mismatch,
capability-not-allowlisted, core-range-mismatch.

Exit status: 0 trusted, 3 refused, 1 unreadable file, 2 usage error.`,
  async run(parsed, io) {
    const [manifestPath] = positionals(parsed, 1, "one signed manifest file");
    const v = parsed.values;
    const entryPath = required(parsed, "entry");
    const anchorPath = v.anchor;
    const configPath = v.config;
    if ((anchorPath === undefined) === (configPath === undefined)) {
      throw new HaechiError("usage.invalid", "Give exactly one of --anchor or --config");
    }
    if (v["anchor-key-id"] !== undefined && anchorPath === undefined) {
      throw new HaechiError("usage.invalid", "--anchor-key-id needs --anchor");
    }
    const allow = v["allow-capability"];
    const revoke = v.revoke;
    let text: string;
    try {
      text = await readTextFile(manifestPath);
    } catch {
      throw new HaechiError("input.read_failed", `Cannot read signed manifest ${manifestPath}`);
    }
    let policy: Omit<PluginTrustPolicy, "now" | "coreVersion">;
    if (anchorPath !== undefined) {
      // As in haechi 1.4, the anchor's key id defaults to the one the envelope names.
      const keyId = v["anchor-key-id"] ?? envelopeSignerKeyId(text);
      const anchor = await loadAnchor(anchorPath, keyId);
      policy = {
        anchors: [anchor],
        allowCapabilities: allow,
        pin: v.pin,
        versionFloor: v["version-floor"],
        revoked: revoke,
      };
    } else {
      const p = (await loadConfig({ path: configPath, env: io.env })).auth.plugin;
      policy = {
        anchors: p.trustAnchors,
        allowCapabilities: [...p.allowCapabilities, ...allow],
        pin: v.pin ?? p.pin,
        pinVersion: p.pinVersion,
        pinManifestSha256: p.pinManifestSha256,
        versionFloor: v["version-floor"] ?? p.versionFloor,
        revoked: [...p.revoked, ...revoke],
      };
    }
    let entry: Uint8Array;
    try {
      entry = await readFile(entryPath);
    } catch {
      throw new HaechiError("input.read_failed", `Cannot read entry file ${entryPath}`);
    }
    const verdict = await verifyPlugin(text, entry, {
      ...policy,
      coreVersion: v["core-version"],
      now: Date.now(),
    });
    const m = verdict.manifest;
    const plugin = m === undefined
      ? null
      : { id: m.id, version: m.version, kind: m.kind, signerKeyId: m.signerKeyId };
    if (v.json === true) {
      await io.stdout.write(
        JSON.stringify(
          verdict.ok
            ? { ok: true, plugin }
            : { ok: false, reason: verdict.reason, message: verdict.message, plugin },
        ) + "\n",
      );
    } else if (verdict.ok) {
      await io.stdout.write(
        `Trusted: ${m!.id} ${m!.version} (${m!.kind}) signed by ${m!.signerKeyId}\n` +
          `  capabilities: ${m!.capabilities.join(", ")}\n  entry sha256: ${m!.entrySha256}\n`,
      );
    } else {
      await io.stderr.write(`Refused: ${verdict.reason}: ${verdict.message}\n`);
    }
    return verdict.ok ? EXIT.ok : EXIT.blocked;
  },
});

/**
 * The signer key id an envelope names (top level in haechi 1.4's shape, in the payload in
 * ours), or `undefined` when the text is not such an envelope; verification then refuses it.
 */
function envelopeSignerKeyId(text: string): string | undefined {
  try {
    const o = JSON.parse(text);
    const id = o?.signerKeyId ?? o?.payload?.signerKeyId;
    return typeof id === "string" && id !== "" ? id : undefined;
  } catch {
    return undefined;
  }
}
