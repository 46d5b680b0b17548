/**
 * The signed envelope shared by plugin manifests and policy bundles:
 * `{format, alg, payload, signature}`, where `signature` is the base64 Ed25519 signature
 * of the canonical JSON of `payload` (src/signing/canonical_json.ts).
 *
 * Each payload carries a `purpose` string, so a signature made for a policy bundle can
 * never be replayed as a plugin manifest or the other way round.
 *
 * @module
 */
import { canonicalJson } from "./canonical_json.ts";
import { fromBase64, toBase64 } from "./pem.ts";
import { signBytes, verifyBytes } from "./keys.ts";

/** Envelope format tag. */
export const ENVELOPE_FORMAT = "haechi.signed/v1";
/** The only accepted signature algorithm. */
export const SIGNATURE_ALG = "Ed25519";
/** Largest envelope file accepted, so a hostile file cannot exhaust memory while parsing. */
export const MAX_ENVELOPE_BYTES = 256 * 1024;

/** A parsed envelope whose payload has not been checked yet. */
export interface SignedEnvelope {
  readonly format: typeof ENVELOPE_FORMAT;
  readonly alg: string;
  readonly payload: Record<string, unknown>;
  /** Base64 Ed25519 signature over `canonicalJson(payload)`. */
  readonly signature: string;
}

/** Why an envelope could not be read. */
export type EnvelopeProblem =
  | { readonly reason: "manifest-invalid"; readonly message: string }
  | { readonly reason: "alg-not-ed25519"; readonly message: string };

/**
 * Parse envelope text: JSON shape first, then the algorithm.
 *
 * @param text File text.
 * @returns The envelope, or the first problem found.
 *
 * @example
 * ```ts
 * import { parseEnvelope } from "./envelope.ts";
 * const r = parseEnvelope('{"format":"haechi.signed/v1","alg":"RS256","payload":{},"signature":""}');
 * if (r.ok || r.problem.reason !== "alg-not-ed25519") throw new Error("alg refused");
 * ```
 */
export function parseEnvelope(
  text: string,
): { ok: true; envelope: SignedEnvelope } | { ok: false; problem: EnvelopeProblem } {
  const invalid = (message: string) => ({
    ok: false as const,
    problem: { reason: "manifest-invalid" as const, message },
  });
  if (text.length > MAX_ENVELOPE_BYTES) {
    return invalid(`Signed file is larger than ${MAX_ENVELOPE_BYTES} bytes`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return invalid("Signed file is not valid JSON");
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    return invalid("Signed file must be a JSON object");
  }
  const o = raw as Record<string, unknown>;
  const extra = Object.keys(o).filter((k) =>
    !["format", "alg", "payload", "signature"].includes(k)
  );
  if (extra.length > 0) return invalid(`Signed file has unknown key ${JSON.stringify(extra[0])}`);
  if (o.format !== ENVELOPE_FORMAT) {
    return invalid(`Signed file "format" must be ${JSON.stringify(ENVELOPE_FORMAT)}`);
  }
  if (typeof o.alg !== "string") return invalid('Signed file "alg" must be a string');
  if (o.alg !== SIGNATURE_ALG) {
    return {
      ok: false,
      problem: {
        reason: "alg-not-ed25519",
        message: `Signature algorithm must be "Ed25519", got ${JSON.stringify(o.alg.slice(0, 32))}`,
      },
    };
  }
  const payload = o.payload;
  if (payload === null || typeof payload !== "object" || Array.isArray(payload)) {
    return invalid('Signed file "payload" must be an object');
  }
  if (typeof o.signature !== "string" || fromBase64(o.signature)?.length !== 64) {
    return invalid('Signed file "signature" must be a base64 Ed25519 signature (64 bytes)');
  }
  return {
    ok: true,
    envelope: {
      format: ENVELOPE_FORMAT,
      alg: o.alg,
      payload: payload as Record<string, unknown>,
      signature: o.signature,
    },
  };
}

/**
 * Sign `payload` and wrap it in an envelope.
 *
 * @param payload A JSON-compatible payload with a `purpose`.
 * @param key Ed25519 private key.
 * @returns Envelope text (pretty JSON with a trailing newline).
 *
 * @example
 * ```ts ignore
 * const text = await signEnvelope({ purpose: "haechi.plugin/v1", ... }, privateKey);
 * ```
 */
export async function signEnvelope(
  payload: Record<string, unknown>,
  key: CryptoKey,
): Promise<string> {
  const bytes = new TextEncoder().encode(canonicalJson(payload));
  const signature = toBase64(await signBytes(key, bytes));
  const envelope = { format: ENVELOPE_FORMAT, alg: SIGNATURE_ALG, payload, signature };
  return JSON.stringify(envelope, null, 2) + "\n";
}

/**
 * Check an envelope's signature with one public key.
 *
 * @example
 * ```ts ignore
 * if (!await envelopeSignatureValid(envelope, anchorKey)) refuse("invalid-signature");
 * ```
 */
export async function envelopeSignatureValid(
  envelope: SignedEnvelope,
  key: CryptoKey,
): Promise<boolean> {
  let text: string;
  try {
    text = canonicalJson(envelope.payload);
  } catch {
    return false;
  }
  const signature = fromBase64(envelope.signature);
  if (signature === null) return false;
  return await verifyBytes(key, signature, new TextEncoder().encode(text));
}
