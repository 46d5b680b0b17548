/**
 * The Node twin of `pinned_get.ts`: one HTTPS GET to an address checked before connecting
 * (`node:dns` to resolve, `node:tls` to a checked address, the certificate verified against
 * the name). `deno task build:npm` puts this file in place of `pinned_get.ts`.
 *
 * @module
 */
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { checkServerIdentity, connect, rootCertificates, type TLSSocket } from "node:tls";
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
  let socket: TLSSocket | undefined;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    socket?.destroy();
  }, options.timeoutMs);
  try {
    let addresses: string[];
    try {
      addresses = isIP(name) !== 0
        ? [name]
        : (await lookup(name, { all: true })).map((a) => a.address);
    } catch {
      addresses = [];
    }
    if (addresses.length === 0) fail(`Cannot resolve ${name}`, "unresolved");
    const refused = addresses.find((a) => !options.allowAddress(a));
    if (refused !== undefined) {
      fail(
        `${name} resolves to ${refused}, a loopback, private, link-local or otherwise non-public address`,
        "address-refused",
      );
    }
    const head = `GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\n` +
      `Accept: application/json\r\nUser-Agent: ${options.userAgent ?? "haechi"}\r\n` +
      "Accept-Encoding: identity\r\nConnection: close\r\n\r\n";
    const cap = options.maxBytes + HEAD_MAX;
    const raw = await new Promise<Uint8Array>((resolve, reject) => {
      const s = connect({
        host: addresses[0],
        port,
        ...(isIP(name) === 0 ? { servername: name } : {}),
        ...(options.caCerts === undefined ? {} : { ca: [...rootCertificates, ...options.caCerts] }),
        // The socket goes to a checked address; the certificate must still name the host.
        checkServerIdentity: (_host, cert) => checkServerIdentity(name, cert),
      });
      socket = s;
      const chunks: Uint8Array[] = [];
      let size = 0;
      s.once("secureConnect", () => s.write(head));
      s.on("data", (chunk: Uint8Array) => {
        size += chunk.length;
        if (size > cap) {
          s.destroy();
          reject(
            new HaechiError("plugin.unavailable", "The reply is larger than allowed", {
              reason: "too-large",
            }),
          );
          return;
        }
        chunks.push(chunk);
      });
      s.once("error", reject);
      s.once("end", () => {
        const out = new Uint8Array(size);
        let off = 0;
        for (const c of chunks) {
          out.set(c, off);
          off += c.length;
        }
        resolve(out);
      });
      s.once("close", () => reject(new Error("closed")));
    });
    return parseReply(raw, options.maxBytes);
  } catch (e) {
    if (timedOut) return fail(`No reply from ${name} within ${options.timeoutMs} ms`, "timeout");
    if (e instanceof HaechiError) throw e;
    return fail(`Cannot fetch from ${name}: ${(e as Error).message}`, "connect-failed");
  } finally {
    clearTimeout(timer);
    socket?.destroy();
  }
}
