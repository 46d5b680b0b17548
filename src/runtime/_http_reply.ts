/**
 * The runtime-neutral half of `pinned_get.ts`: its option types and the parsing of an
 * HTTP/1.1 reply read off a socket (status, length or chunked framing, size cap). Both the
 * Deno and the Node transport use it.
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

/** Room for the reply's status line and headers. */
export const HEAD_MAX = 16 * 1024;

/** Throw the fetch's error with a reason code. */
export const fail = (message: string, reason: string): never => {
  throw new HaechiError("plugin.unavailable", message, { reason });
};

/**
 * Parse a whole HTTP/1.1 reply.
 *
 * @param raw Everything read until the server closed.
 * @param maxBytes Largest body accepted.
 * @returns Status and de-chunked body.
 */
export function parseReply(raw: Uint8Array, maxBytes: number): PinnedReply {
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
