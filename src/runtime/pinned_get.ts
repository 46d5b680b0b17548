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
import {
  fail,
  HEAD_MAX,
  parseReply,
  type PinnedGetOptions,
  type PinnedReply,
} from "./_http_reply.ts";

export type { PinnedGetOptions, PinnedReply };

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
