/**
 * Ed25519 signing keys through WebCrypto: generate, export as PEM (PKCS#8 private,
 * SPKI public), import, sign and verify. Plugins and policy bundles share these.
 *
 * Private keys are imported non-extractable, so once loaded the bytes cannot be read
 * back out of the `CryptoKey`.
 *
 * @module
 */
import { HaechiError } from "../errors.ts";
import { fromPem, parseEd25519Spki, toHex, toPem } from "./pem.ts";

/** A freshly generated key pair as PEM text. */
export interface GeneratedKeyPair {
  /** PKCS#8 PEM of the private key; write it with mode 0600 and never print it. */
  readonly privatePem: string;
  /** SPKI PEM of the public key: the trust anchor operators configure. */
  readonly publicPem: string;
  /** Default key id derived from the public key ({@linkcode keyIdFor}). */
  readonly derivedKeyId: string;
}

const ED25519 = { name: "Ed25519" } as const;

/**
 * Generate an Ed25519 key pair.
 *
 * @returns Both keys as PEM and the derived key id.
 *
 * @example
 * ```ts
 * import { generateSigningKeyPair } from "./keys.ts";
 * const pair = await generateSigningKeyPair();
 * if (!pair.publicPem.includes("BEGIN PUBLIC KEY")) throw new Error("spki");
 * ```
 */
export async function generateSigningKeyPair(): Promise<GeneratedKeyPair> {
  const pair = await crypto.subtle.generateKey(ED25519, true, ["sign", "verify"]) as CryptoKeyPair;
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey("pkcs8", pair.privateKey));
  const spki = new Uint8Array(await crypto.subtle.exportKey("spki", pair.publicKey));
  return {
    privatePem: toPem("PRIVATE KEY", pkcs8),
    publicPem: toPem("PUBLIC KEY", spki),
    derivedKeyId: await keyIdFor(spki),
  };
}

/**
 * The default key id for a public key: `ed25519-` and the first 16 hex digits of the
 * SHA-256 of its SPKI DER. Used when an operator names no id.
 *
 * @param spki SPKI DER bytes.
 * @returns The key id.
 *
 * @example
 * ```ts
 * import { keyIdFor } from "./keys.ts";
 * const id = await keyIdFor(new Uint8Array(44));
 * if (!/^ed25519-[0-9a-f]{16}$/.test(id)) throw new Error(id);
 * ```
 */
export async function keyIdFor(spki: Uint8Array): Promise<string> {
  return `ed25519-${(await sha256Hex(spki)).slice(0, 16)}`;
}

/**
 * Lowercase hex SHA-256 of bytes.
 *
 * @example
 * ```ts
 * import { sha256Hex } from "./keys.ts";
 * const h = await sha256Hex(new Uint8Array(0));
 * if (!h.startsWith("e3b0c442")) throw new Error(h);
 * ```
 */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  return toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as BufferSource)));
}

/**
 * Import a PKCS#8 PEM private key for signing.
 *
 * @param pem File text.
 * @returns A non-extractable signing key.
 * @throws {HaechiError} `keys.invalid` when the text is not an Ed25519 PKCS#8 key; the
 *   message never quotes the text.
 *
 * @example
 * ```ts ignore
 * const key = await importPrivateKeyPem(await readTextFile("signer.key.pem"));
 * ```
 */
export async function importPrivateKeyPem(pem: string): Promise<CryptoKey> {
  const der = fromPem(pem, "PRIVATE KEY");
  if (der === null) {
    throw new HaechiError("keys.invalid", "Private key file is not a PKCS#8 PEM block");
  }
  try {
    return await crypto.subtle.importKey("pkcs8", der as BufferSource, ED25519, false, ["sign"]);
  } catch {
    throw new HaechiError("keys.invalid", "Private key file is not an Ed25519 PKCS#8 key");
  }
}

/**
 * Import an Ed25519 public key (SPKI PEM or base64 SPKI DER) for verifying.
 *
 * @param text PEM or base64.
 * @returns The verifying key, or null when the text is not an Ed25519 public key.
 *
 * @example
 * ```ts
 * import { generateSigningKeyPair, importPublicKey } from "./keys.ts";
 * const { publicPem } = await generateSigningKeyPair();
 * if ((await importPublicKey(publicPem)) === null) throw new Error("imported");
 * ```
 */
export async function importPublicKey(text: string): Promise<CryptoKey | null> {
  const spki = parseEd25519Spki(text);
  if (spki === null) return null;
  try {
    return await crypto.subtle.importKey("spki", spki as BufferSource, ED25519, false, [
      "verify",
    ]);
  } catch {
    return null;
  }
}

/**
 * Sign `data` with an Ed25519 private key.
 *
 * @example
 * ```ts ignore
 * const sig = await signBytes(key, new TextEncoder().encode("payload"));
 * ```
 */
export async function signBytes(key: CryptoKey, data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign(ED25519, key, data as BufferSource));
}

/**
 * Verify an Ed25519 signature; false on any malformed input rather than a throw.
 *
 * @example
 * ```ts ignore
 * const ok = await verifyBytes(publicKey, signature, payloadBytes);
 * ```
 */
export async function verifyBytes(
  key: CryptoKey,
  signature: Uint8Array,
  data: Uint8Array,
): Promise<boolean> {
  if (signature.length !== 64) return false;
  try {
    return await crypto.subtle.verify(
      ED25519,
      key,
      signature as BufferSource,
      data as BufferSource,
    );
  } catch {
    return false;
  }
}
