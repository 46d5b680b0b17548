/**
 * Reading a PKCS#12 (`.pfx` / `.p12`) file into the PEM key and certificate chain Deno's TLS
 * server takes, with no third-party code: a small DER reader, the RFC 7292 MAC check, and
 * PBES2 (PBKDF2 + AES-CBC, what `openssl pkcs12 -export` writes by default since OpenSSL 3)
 * through WebCrypto.
 *
 * Legacy encryptions (RC2, 3DES, RC4 via `pbeWithSHAAnd…`) are refused by name with the
 * command that re-exports the file with modern algorithms: they are weak, and WebCrypto has
 * none of them. A file without a MAC is refused too, since nothing else proves it was not
 * altered.
 *
 * @module
 */
import { HaechiError } from "../errors.ts";

/** The PEM material of a PKCS#12 file. */
export interface Pkcs12Pem {
  /** The private key, PKCS#8 PEM. */
  readonly key: string;
  /** The certificate matching the key first, then the rest of the chain, PEM. */
  readonly cert: string;
}

/** Bytes on a plain ArrayBuffer, as WebCrypto takes them. */
type Bytes = Uint8Array<ArrayBuffer>;

/** One DER element. */
interface Der {
  readonly tag: number;
  /** The content octets (for a constructed OCTET STRING, its pieces joined). */
  readonly body: Bytes;
  /** The whole element, tag and length included. */
  readonly raw: Bytes;
}

const OID = {
  data: "1.2.840.113549.1.7.1",
  encryptedData: "1.2.840.113549.1.7.6",
  keyBag: "1.2.840.113549.1.12.10.1.1",
  shroudedKeyBag: "1.2.840.113549.1.12.10.1.2",
  certBag: "1.2.840.113549.1.12.10.1.3",
  x509: "1.2.840.113549.1.9.22.1",
  localKeyId: "1.2.840.113549.1.9.21",
  pbes2: "1.2.840.113549.1.5.13",
  pbkdf2: "1.2.840.113549.1.5.12",
  pbmac1: "1.2.840.113549.1.5.14",
} as const;

const HASHES: Record<string, { name: string; block: number; size: number }> = {
  "1.3.14.3.2.26": { name: "SHA-1", block: 64, size: 20 },
  "2.16.840.1.101.3.4.2.1": { name: "SHA-256", block: 64, size: 32 },
  "2.16.840.1.101.3.4.2.2": { name: "SHA-384", block: 128, size: 48 },
  "2.16.840.1.101.3.4.2.3": { name: "SHA-512", block: 128, size: 64 },
};

const PRFS: Record<string, string> = {
  "1.2.840.113549.2.7": "SHA-1",
  "1.2.840.113549.2.9": "SHA-256",
  "1.2.840.113549.2.10": "SHA-384",
  "1.2.840.113549.2.11": "SHA-512",
};

const AES_CBC: Record<string, number> = {
  "2.16.840.1.101.3.4.1.2": 16,
  "2.16.840.1.101.3.4.1.22": 24,
  "2.16.840.1.101.3.4.1.42": 32,
};

const LEGACY: Record<string, string> = {
  "1.2.840.113549.1.12.1.1": "pbeWithSHAAnd128BitRC4",
  "1.2.840.113549.1.12.1.2": "pbeWithSHAAnd40BitRC4",
  "1.2.840.113549.1.12.1.3": "pbeWithSHAAnd3-KeyTripleDES-CBC",
  "1.2.840.113549.1.12.1.4": "pbeWithSHAAnd2-KeyTripleDES-CBC",
  "1.2.840.113549.1.12.1.5": "pbeWithSHAAnd128BitRC2-CBC",
  "1.2.840.113549.1.12.1.6": "pbeWithSHAAnd40BitRC2-CBC",
  "1.2.840.113549.1.5.3": "pbeWithMD5AndDES-CBC",
  "1.2.840.113549.1.5.10": "pbeWithSHA1AndDES-CBC",
};

const CONVERT =
  "re-export it with modern algorithms: openssl pkcs12 -in old.pfx -nodes -legacy -out all.pem; " +
  "openssl pkcs12 -export -in all.pem -out server.pfx (OpenSSL 3 defaults: AES-256-CBC, PBKDF2, SHA-256 MAC)";

/**
 * Decode a PKCS#12 file into PEM.
 *
 * @param bytes The file.
 * @param passphrase Its password ("" for none).
 * @param where The config key named in errors.
 * @returns The key and the certificate chain, PEM.
 * @throws {HaechiError} `config.invalid` naming the cause: not PKCS#12, a wrong passphrase
 *   (the MAC does not match), a legacy or unknown algorithm, no key or no certificate.
 *
 * @example
 * ```ts ignore
 * const { key, cert } = await readPkcs12(await Deno.readFile("server.pfx"), "secret");
 * ```
 */
export async function readPkcs12(
  bytes: Uint8Array,
  passphrase: string,
  where = "proxy.tls.pfxFile",
): Promise<Pkcs12Pem> {
  const fail = (why: string): never => {
    throw new HaechiError("config.invalid", `"${where}": ${why}`, { path: where });
  };
  let pfx: Der[];
  try {
    pfx = children(read(new Uint8Array(bytes), 0).el, 0x30);
  } catch {
    return fail("not a PKCS#12 file (expected DER; convert PEM or base64 back to binary)");
  }
  try {
    if (pfx.length < 2 || integer(pfx[0]) !== 3) fail("not a PKCS#12 v3 file");
    const auth = contentInfo(pfx[1]);
    if (auth.type !== OID.data) fail("the outer content is not plain data (public-key mode)");
    if (pfx[2] === undefined) {
      fail("the file has no integrity MAC, so its contents cannot be trusted; " + CONVERT);
    }
    await checkMac(pfx[2], auth.content, passphrase, fail);
    const keys: Array<{ der: Bytes; id?: string }> = [];
    const certs: Array<{ der: Bytes; id?: string }> = [];
    for (const ci of children(read(auth.content, 0).el, 0x30)) {
      const c = contentInfo(ci);
      let safe: Bytes;
      if (c.type === OID.data) safe = c.content;
      else if (c.type === OID.encryptedData) {
        const ed = children(read(c.raw, 0).el, 0x30);
        const eci = children(ed[1], 0x30);
        const encrypted = eci[2];
        if (encrypted === undefined || (encrypted.tag !== 0x80 && encrypted.tag !== 0xa0)) {
          return fail("encrypted data without content");
        }
        // [0] IMPLICIT OCTET STRING, primitive (DER) or in pieces (BER).
        const data = encrypted.tag === 0xa0 ? joinPieces(encrypted.body) : encrypted.body;
        safe = await decrypt(eci[1], data, passphrase, fail);
      } else return fail(`unsupported content type ${c.type}`);
      for (const bag of children(read(safe, 0).el, 0x30)) {
        const parts = children(bag, 0x30);
        const bagId = oid(parts[0]);
        const value = read(parts[1].body, 0).el;
        const id = localKeyId(parts[2]);
        if (bagId === OID.keyBag) keys.push({ der: value.raw, id });
        else if (bagId === OID.shroudedKeyBag) {
          const epki = children(value, 0x30);
          keys.push({ der: await decrypt(epki[0], epki[1].body, passphrase, fail), id });
        } else if (bagId === OID.certBag) {
          const cb = children(value, 0x30);
          if (oid(cb[0]) !== OID.x509) continue; // SDSI certificates: not for TLS
          certs.push({ der: read(cb[1].body, 0).el.body, id });
        }
      }
    }
    if (keys.length !== 1) {
      fail(
        keys.length === 0 ? "no private key in the file" : `${keys.length} private keys; give one`,
      );
    }
    if (certs.length === 0) fail("no certificate in the file");
    const key = keys[0];
    // The certificate of the key leads the chain; the rest follow in file order.
    const leaf = Math.max(0, certs.findIndex((c) => c.id !== undefined && c.id === key.id));
    const chain = [certs[leaf], ...certs.filter((_, i) => i !== leaf)];
    return {
      key: pem("PRIVATE KEY", key.der),
      cert: chain.map((c) => pem("CERTIFICATE", c.der)).join(""),
    };
  } catch (e) {
    if (e instanceof HaechiError) throw e;
    return fail("malformed PKCS#12 structure");
  }
}

/** Verify the MacData over the authenticated safe: a mismatch is a wrong passphrase. */
async function checkMac(
  macData: Der,
  content: Bytes,
  passphrase: string,
  fail: (why: string) => never,
): Promise<void> {
  const [digestInfo, saltEl, iterEl] = children(macData, 0x30);
  const [algId, digestEl] = children(digestInfo, 0x30);
  const algOid = oid(children(algId, 0x30)[0]);
  if (algOid === OID.pbmac1) fail("PBMAC1 integrity is not supported; " + CONVERT);
  const hash = HASHES[algOid] ?? fail(`unsupported MAC digest ${algOid}; ${CONVERT}`);
  const iterations = iterEl === undefined ? 1 : integer(iterEl);
  const macKey = await pkcs12Kdf(hash, bmpPassword(passphrase), saltEl.body, 3, iterations);
  const key = await crypto.subtle.importKey(
    "raw",
    macKey,
    { name: "HMAC", hash: hash.name },
    false,
    ["verify"],
  );
  if (!await crypto.subtle.verify("HMAC", key, digestEl.body, content)) {
    fail(
      "wrong passphrase (proxy.tls.passphrase), or the file is corrupted: its MAC does not match",
    );
  }
}

/** Decrypt PBES2 content; legacy schemes are refused by name. */
async function decrypt(
  algId: Der,
  data: Bytes,
  passphrase: string,
  fail: (why: string) => never,
): Promise<Bytes> {
  const [algOidEl, params] = children(algId, 0x30);
  const algOid = oid(algOidEl);
  if (LEGACY[algOid] !== undefined) {
    fail(
      `the file is encrypted with ${LEGACY[algOid]}, a legacy algorithm not supported; ${CONVERT}`,
    );
  }
  if (algOid !== OID.pbes2) fail(`unsupported encryption ${algOid}; ${CONVERT}`);
  const [kdf, scheme] = children(params, 0x30);
  const [kdfOid, kdfParams] = children(kdf, 0x30);
  if (oid(kdfOid) !== OID.pbkdf2) fail(`unsupported key derivation ${oid(kdfOid)}; ${CONVERT}`);
  const p = children(kdfParams, 0x30);
  const salt = p[0].body;
  const iterations = integer(p[1]);
  let prf = "SHA-1";
  for (const extra of p.slice(2)) {
    if (extra.tag === 0x30) {
      const prfOid = oid(children(extra, 0x30)[0]);
      prf = PRFS[prfOid] ?? fail(`unsupported PBKDF2 hash ${prfOid}; ${CONVERT}`);
    }
  }
  const [schemeOid, ivEl] = children(scheme, 0x30);
  const keyLength = AES_CBC[oid(schemeOid)] ??
    fail(`unsupported cipher ${oid(schemeOid)} (AES-CBC only); ${CONVERT}`);
  const base = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(passphrase),
    "PBKDF2",
    false,
    ["deriveKey"],
  );
  const key = await crypto.subtle.deriveKey(
    { name: "PBKDF2", salt, iterations, hash: prf },
    base,
    { name: "AES-CBC", length: keyLength * 8 },
    false,
    ["decrypt"],
  );
  try {
    return new Uint8Array(
      await crypto.subtle.decrypt({ name: "AES-CBC", iv: ivEl.body }, key, data),
    );
  } catch {
    return fail("cannot decrypt the file's contents (wrong passphrase, or corrupted)");
  }
}

/** RFC 7292 appendix B.2: the PKCS#12 key derivation (here only for the MAC key, id 3). */
async function pkcs12Kdf(
  hash: { name: string; block: number; size: number },
  password: Bytes,
  salt: Bytes,
  id: number,
  iterations: number,
): Promise<Bytes> {
  const v = hash.block;
  const fill = (src: Bytes) => {
    const out = new Uint8Array(src.length === 0 ? 0 : v * Math.ceil(src.length / v));
    for (let i = 0; i < out.length; i++) out[i] = src[i % src.length];
    return out;
  };
  const d = new Uint8Array(v).fill(id);
  const i = new Uint8Array([...fill(salt), ...fill(password)]);
  let a = new Uint8Array([...d, ...i]);
  for (let r = 0; r < iterations; r++) {
    a = new Uint8Array(await crypto.subtle.digest(hash.name, a));
  }
  // One block of output covers every MAC key size (the key is the hash's size).
  return a.subarray(0, hash.size);
}

/** The password as a NUL-terminated big-endian BMPString, as the PKCS#12 KDF takes it. */
function bmpPassword(passphrase: string): Bytes {
  const out = new Uint8Array((passphrase.length + 1) * 2);
  for (let i = 0; i < passphrase.length; i++) {
    const c = passphrase.charCodeAt(i);
    out[i * 2] = c >> 8;
    out[i * 2 + 1] = c & 0xff;
  }
  return out;
}

/** ContentInfo: its type and, for data, the octets inside; `raw` is the `[0]` content. */
function contentInfo(el: Der): { type: string; content: Bytes; raw: Bytes } {
  const [typeEl, explicit] = children(el, 0x30);
  const inner = read(explicit.body, 0).el;
  return { type: oid(typeEl), content: inner.body, raw: inner.raw };
}

/** The localKeyId of a bag's attributes, hex; undefined when absent. */
function localKeyId(attrs: Der | undefined): string | undefined {
  if (attrs === undefined || attrs.tag !== 0x31) return undefined;
  for (const attr of children(attrs, 0x31)) {
    const [type, values] = children(attr, 0x30);
    if (oid(type) === OID.localKeyId) {
      const v = children(values, 0x31)[0];
      return v === undefined ? undefined : [...v.body].map((b) => b.toString(16)).join(",");
    }
  }
  return undefined;
}

/** Read one element at `at`. */
function read(buf: Bytes, at: number): { el: Der; next: number } {
  const tag = buf[at];
  let len = buf[at + 1];
  let p = at + 2;
  if (tag === undefined || len === undefined) throw new Error("truncated");
  if (len === 0x80) throw new Error("indefinite length");
  if (len > 0x80) {
    const n = len & 0x7f;
    if (n > 4) throw new Error("too long");
    len = 0;
    for (let k = 0; k < n; k++) len = len * 256 + buf[p + k];
    p += n;
  }
  if (p + len > buf.length) throw new Error("truncated");
  let body = buf.subarray(p, p + len);
  // A constructed OCTET STRING (BER, some exporters) is its pieces joined.
  if (tag === 0x24) body = joinPieces(body);
  return {
    el: { tag: tag === 0x24 ? 0x04 : tag, body, raw: buf.subarray(at, p + len) },
    next: p + len,
  };
}

/** The pieces of a constructed string, joined. */
function joinPieces(body: Bytes): Bytes {
  const parts: Bytes[] = [];
  for (let at = 0; at < body.length;) {
    const { el, next } = read(body, at);
    parts.push(el.body);
    at = next;
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** The elements inside a constructed element with the expected tag. */
function children(el: Der, tag: number): Der[] {
  if (el.tag !== tag) throw new Error(`expected tag ${tag}, got ${el.tag}`);
  const out: Der[] = [];
  for (let at = 0; at < el.body.length;) {
    const { el: child, next } = read(el.body, at);
    out.push(child);
    at = next;
  }
  return out;
}

/** An OBJECT IDENTIFIER, dotted. */
function oid(el: Der): string {
  if (el.tag !== 0x06) throw new Error("expected an OID");
  const b = el.body;
  const out = [Math.floor(b[0] / 40), b[0] % 40];
  let n = 0;
  for (let i = 1; i < b.length; i++) {
    n = n * 128 + (b[i] & 0x7f);
    if ((b[i] & 0x80) === 0) {
      out.push(n);
      n = 0;
    }
  }
  return out.join(".");
}

/** A small non-negative INTEGER. */
function integer(el: Der): number {
  if (el.tag !== 0x02 || el.body.length > 6) throw new Error("expected a small integer");
  let n = 0;
  for (const b of el.body) n = n * 256 + b;
  return n;
}

/** DER as PEM. */
function pem(label: string, der: Bytes): string {
  let bin = "";
  for (const b of der) bin += String.fromCharCode(b);
  const b64 = btoa(bin).replace(/.{64}/g, "$&\n").replace(/\n$/, "");
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}
