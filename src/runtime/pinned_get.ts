/**
 * One HTTPS GET to an address checked before connecting: the SSRF-guarded fetch behind
 * `auth.plugin.keyMaterial`.
 *
 * `fetch` resolves and connects on its own, so a name that resolves to a public address
 * when checked and to `169.254.169.254` when connected (DNS rebinding) would slip through a
 * check made beforehand. Here the name is resolved once, every address is checked, and the
 * connection goes to a checked address; TLS is then verified against the name. No redirect
 * is followed and the reply is size- and time-bounded.
 *
 * @module
 */
import { HaechiError } from "../errors.ts";

/** Limits and the address guard of {@linkcode pinnedGet}. */
export interface PinnedGetOptions {
  /** The whole exchange (resolve, connect, TLS, reply) must end within this (ms). */
  readonly timeoutMs: number;
  /** Largest reply body accepted, in bytes. */
  readonly maxBytes: number;
  /** Whether an address may be contacted; all the name resolves to must pass. */
  readonly allowAddress: (ip: string) => boolean;
  /** Extra CA certificates (PEM) to trust. */
  readonly caCerts?: readonly string[];
  /** User-Agent header. */
  readonly userAgent?: string;
}

/** What came back. */
export interface PinnedReply {
  /** HTTP status. */
  readonly status: number;
  /** Body, de-chunked. */
  readonly body: Uint8Array;
}

const fail = (message: string, reason: string): never => {
  throw new HaechiError("plugin.unavailable", message, { reason });
};

/**
 * GET `url` (https only) from an address `allowAddress` accepts.
 *
 * @param url The document's URL.
 * @param options Limits, guard and trust.
 * @returns Status and body.
 * @throws {HaechiError} `plugin.unavailable` with `details.reason`: `address-refused`,
 *   `unresolved`, `connect-failed`, `timeout`, `too-large` or `bad-reply`.
 */
export async function pinnedGet(url: URL, options: PinnedGetOptions): Promise<PinnedReply> {
  if (url.protocol !== "https:") fail("Only https URLs are fetched", "address-refused");
  const name = url.hostname.replace(/^\[|\]$/g, "");
  const port = url.port === "" ? 443 : Number(url.port);
  let conn: Deno.Conn | undefined;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      conn?.close();
    } catch { /* closed */ }
  }, options.timeoutMs);
  try {
    const addresses = await resolve(name);
    if (addresses.length === 0) fail(`Cannot resolve ${name}`, "unresolved");
    const refused = addresses.find((a) => !options.allowAddress(a));
    if (refused !== undefined) {
      fail(
        `${name} resolves to ${refused}, a loopback, private, link-local or otherwise non-public address`,
        "address-refused",
      );
    }
    for (const ip of addresses) {
      try {
        conn = await Deno.connect({ hostname: ip, port });
        break;
      } catch {
        // Try the next address.
      }
    }
    if (conn === undefined) return fail(`Cannot connect to ${name}`, "connect-failed");
    const tls = await Deno.startTls(conn as Deno.TcpConn, {
      hostname: name,
      ...(options.caCerts === undefined ? {} : { caCerts: [...options.caCerts] }),
    });
    conn = tls;
    const head = `GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\n` +
      `Accept: application/json\r\nUser-Agent: ${options.userAgent ?? "haechi"}\r\n` +
      "Accept-Encoding: identity\r\nConnection: close\r\n\r\n";
    const bytes = new TextEncoder().encode(head);
    for (let off = 0; off < bytes.length;) off += await tls.write(bytes.subarray(off));
    const raw = await readAll(tls, options.maxBytes + HEAD_MAX);
    return parseReply(raw, options.maxBytes);
  } catch (e) {
    if (timedOut) return fail(`No reply from ${name} within ${options.timeoutMs} ms`, "timeout");
    if (e instanceof HaechiError) throw e;
    return fail(`Cannot fetch from ${name}: ${(e as Error).message}`, "connect-failed");
  } finally {
    clearTimeout(timer);
    try {
      conn?.close();
    } catch { /* closed */ }
  }
}

/** Room for the reply's status line and headers. */
const HEAD_MAX = 16 * 1024;

async function resolve(name: string): Promise<string[]> {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name) || name.includes(":")) return [name];
  const out: string[] = [];
  for (const type of ["A", "AAAA"] as const) {
    try {
      out.push(...await Deno.resolveDns(name, type));
    } catch {
      // No record of this type.
    }
  }
  return out;
}

async function readAll(conn: Deno.Conn, cap: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const buf = new Uint8Array(16 * 1024);
  for (;;) {
    let n: number | null;
    try {
      n = await conn.read(buf);
    } catch (e) {
      // Servers often end TLS without close_notify; what arrived is the reply.
      if (e instanceof Deno.errors.UnexpectedEof) break;
      throw e;
    }
    if (n === null) break;
    size += n;
    if (size > cap) fail("The reply is larger than allowed", "too-large");
    chunks.push(buf.slice(0, n));
  }
  const out = new Uint8Array(size);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}

function parseReply(raw: Uint8Array, maxBytes: number): PinnedReply {
  let end = -1;
  for (let i = 0; i + 3 < raw.length && i < HEAD_MAX; i++) {
    if (raw[i] === 13 && raw[i + 1] === 10 && raw[i + 2] === 13 && raw[i + 3] === 10) {
      end = i;
      break;
    }
  }
  if (end < 0) return fail("The reply has no complete head", "bad-reply");
  const lines = new TextDecoder().decode(raw.subarray(0, end)).split("\r\n");
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0]);
  if (status === null) return fail("The reply is not HTTP/1.1", "bad-reply");
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    if (colon > 0) {
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
  }
  let body = raw.subarray(end + 4);
  if (/chunked/i.test(headers.get("transfer-encoding") ?? "")) body = dechunk(body);
  else if (headers.has("content-length")) {
    const len = Number(headers.get("content-length"));
    if (!Number.isSafeInteger(len) || len > body.length) {
      return fail("The reply ended before its content-length", "bad-reply");
    }
    body = body.subarray(0, len);
  }
  if (body.length > maxBytes) fail("The reply is larger than allowed", "too-large");
  return { status: Number(status[1]), body };
}

function dechunk(data: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  let at = 0;
  for (;;) {
    let nl = at;
    while (nl + 1 < data.length && !(data[nl] === 13 && data[nl + 1] === 10)) nl++;
    if (nl + 1 >= data.length) return fail("A chunked reply was cut short", "bad-reply");
    const size = parseInt(new TextDecoder().decode(data.subarray(at, nl)).split(";")[0], 16);
    if (!Number.isSafeInteger(size) || size < 0) return fail("Bad chunk size", "bad-reply");
    at = nl + 2;
    if (size === 0) break;
    if (at + size > data.length) return fail("A chunked reply was cut short", "bad-reply");
    parts.push(data.subarray(at, at + size));
    at += size + 2;
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}
