/**
 * IP address parsing and the public/special-purpose split.
 *
 * Only public addresses identify a subscriber; private, loopback, link-local, CGNAT,
 * multicast, reserved and documentation ranges (RFC 6890 and its IPv6 counterparts) are
 * everywhere in configs and docs and say nothing about a person.
 *
 * @module
 */

/**
 * Parse a dotted-quad IPv4 address with no leading zeros.
 *
 * @param value Text such as `"203.0.113.7"`.
 * @returns The address as an unsigned 32-bit number, or null when malformed.
 *
 * @example
 * ```ts
 * import { parseIpv4 } from "./ip.ts";
 * if (parseIpv4("1.2.3.4") !== 0x01020304) throw new Error("parse");
 * if (parseIpv4("01.2.3.4") !== null) throw new Error("leading zero is rejected");
 * ```
 */
export function parseIpv4(value: string): number | null {
  const parts = value.split(".");
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    if (!/^(?:0|[1-9]\d{0,2})$/.test(p)) return null;
    const octet = Number(p);
    if (octet > 255) return null;
    n = n * 256 + octet;
  }
  return n;
}

/**
 * The four octets of an address from {@linkcode parseIpv4}, for range checks by octet.
 *
 * @param n The address as an unsigned 32-bit number.
 * @returns `[a, b, c, d]` of `a.b.c.d`.
 *
 * @example
 * ```ts
 * import { octetsOfIpv4, parseIpv4 } from "./ip.ts";
 * if (octetsOfIpv4(parseIpv4("10.1.2.3")!).join(".") !== "10.1.2.3") throw new Error("octets");
 * ```
 */
export function octetsOfIpv4(n: number): number[] {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
}

/** `[network, prefix length]` pairs of IPv4 ranges that are not public unicast. */
const V4_SPECIAL: readonly (readonly [string, number])[] = [
  ["0.0.0.0", 8], // "this network"
  ["10.0.0.0", 8], // private
  ["100.64.0.0", 10], // CGNAT shared space
  ["127.0.0.0", 8], // loopback
  ["169.254.0.0", 16], // link-local
  ["172.16.0.0", 12], // private
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.0.2.0", 24], // TEST-NET-1
  ["192.88.99.0", 24], // deprecated 6to4 relay anycast
  ["192.168.0.0", 16], // private
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24], // TEST-NET-2
  ["203.0.113.0", 24], // TEST-NET-3
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, including the limited broadcast address
];

const V4_SPECIAL_MASKS = V4_SPECIAL.map(([net, bits]) => {
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return [parseIpv4(net)! & mask, mask] as const;
});

function publicV4Number(n: number): boolean {
  for (const [net, mask] of V4_SPECIAL_MASKS) if (((n & mask) >>> 0) === net >>> 0) return false;
  return true;
}

/**
 * Whether `value` is a well-formed IPv4 address outside every special-purpose range.
 *
 * @param value Dotted quad.
 * @returns True for a public unicast address.
 *
 * @example
 * ```ts
 * import { isPublicIpv4 } from "./ip.ts";
 * if (!isPublicIpv4("81.2.69.160")) throw new Error("public");
 * if (isPublicIpv4("192.168.1.10") || isPublicIpv4("203.0.113.7")) throw new Error("special");
 * ```
 */
export function isPublicIpv4(value: string): boolean {
  const n = parseIpv4(value);
  return n !== null && publicV4Number(n);
}

/**
 * Parse an IPv6 address in full, compressed (`::`) or IPv4-embedded form. Zone ids and
 * prefix lengths are not accepted.
 *
 * @param value Text such as `"2001:db8::1"` or `"::ffff:192.0.2.1"`.
 * @returns Eight 16-bit groups, or null when malformed.
 *
 * @example
 * ```ts
 * import { parseIpv6 } from "./ip.ts";
 * const g = parseIpv6("2001:db8::ff00:42:8329");
 * if (g === null || g[0] !== 0x2001 || g[7] !== 0x8329 || g[3] !== 0) throw new Error("parse");
 * if (parseIpv6("1:2:3") !== null) throw new Error("too few groups");
 * ```
 */
export function parseIpv6(value: string): number[] | null {
  if (value.length > 45) return null;
  const halves = value.split("::");
  if (halves.length > 2) return null;
  const head = parseGroups(halves[0], halves.length === 1);
  if (head === null) return null;
  if (halves.length === 1) return head.length === 8 ? head : null;
  const tail = parseGroups(halves[1], true);
  if (tail === null || head.length + tail.length > 7) return null;
  return [...head, ...new Array(8 - head.length - tail.length).fill(0), ...tail];
}

/** Colon-separated hex groups; the last may be a dotted quad when `allowV4` is set. */
function parseGroups(text: string, allowV4: boolean): number[] | null {
  if (text === "") return [];
  const parts = text.split(":");
  const out: number[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (allowV4 && i === parts.length - 1 && p.includes(".")) {
      const v4 = parseIpv4(p);
      if (v4 === null) return null;
      out.push(v4 >>> 16, v4 & 0xffff);
    } else if (/^[0-9A-Fa-f]{1,4}$/.test(p)) {
      out.push(parseInt(p, 16));
    } else {
      return null;
    }
  }
  return out;
}

/**
 * Whether `value` is a well-formed public IPv6 address: global unicast (2000::/3) outside
 * the documentation (2001:db8::/32, 3fff::/20), benchmarking and ORCHID prefixes, or an
 * IPv4-mapped or NAT64 address whose embedded IPv4 is public. Loopback, unspecified,
 * link-local, unique-local and multicast addresses are not public.
 *
 * @param value IPv6 text.
 * @returns True for a public address.
 *
 * @example
 * ```ts
 * import { isPublicIpv6 } from "./ip.ts";
 * if (!isPublicIpv6("2a00:1450:4001:81c::200e")) throw new Error("global unicast");
 * if (isPublicIpv6("fe80::1") || isPublicIpv6("2001:db8::1")) throw new Error("special");
 * ```
 */
export function isPublicIpv6(value: string): boolean {
  const g = parseIpv6(value);
  if (g === null) return false;
  const upperZero = g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0;
  if (upperZero && g[5] === 0xffff) return publicV4Number(g[6] * 65536 + g[7]);
  const nat64 = g[0] === 0x64 && g[1] === 0xff9b && g[2] === 0 && g[3] === 0 && g[4] === 0 &&
    g[5] === 0;
  if (nat64) return publicV4Number(g[6] * 65536 + g[7]);
  if (g[0] < 0x2000 || g[0] > 0x3fff) return false;
  if (g[0] === 0x2001 && g[1] === 0x0db8) return false;
  if (g[0] === 0x3fff && g[1] < 0x1000) return false;
  if (g[0] === 0x2001 && g[1] === 0x0002 && g[2] === 0) return false;
  if (g[0] === 0x2001 && g[1] >= 0x0010 && g[1] <= 0x002f) return false;
  return true;
}
