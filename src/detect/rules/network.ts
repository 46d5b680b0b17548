/**
 * Network identifiers as personal data: public IPv4 and IPv6 addresses. Private, reserved,
 * loopback and documentation ranges are not reported.
 *
 * @module
 */
import type { Rule } from "../rule.ts";
import { isPublicIpv4, isPublicIpv6 } from "../validators/ip.ts";

/** A compressed or full IPv6 address; hex-pair runs without `::` are EUI-64/MAC addresses. */
function ipv6Valid(value: string): boolean {
  const groups = value.split(":").filter((g) => g.length > 0);
  if (groups.length < 2) return false;
  if (!value.includes("::") && groups.every((g) => g.length <= 2)) return false;
  return isPublicIpv6(value);
}

/** Public IP address rows; they follow the contact rows in the built-in table. */
export const NETWORK_RULES: readonly Rule[] = [
  {
    id: "ip-v4-public",
    type: "ip_address",
    category: "pii",
    description: "Public IPv4 address (private, reserved and documentation ranges excluded)",
    pattern: new RegExp(
      // `Product/1.2.3.4` is a version (a user agent's `Chrome/120.0.0.0`), not an address:
      // the product is a whole token of letters, digits, `_` and `-`. A path or URL segment
      // (`/srv/…`, `host.io/…`, `http://…`) is not a product and keeps matching.
      String.raw`(?<![\w.\-])(?<!:[0-9A-Fa-f]{1,4}:|::)` +
        String.raw`(?<!(?:^|[^\w./:@%+~\-])[A-Za-z][\w\-]{0,31}\/)` +
        String
          .raw`(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)` +
        String.raw`(?![\w\-]|\.\d)`,
    ),
    trigger: { digits: 4 },
    validate: isPublicIpv4,
    excludeContext: {
      words: [
        "version",
        "ver.",
        "ver ",
        "build",
        "release",
        "firmware",
        "section",
        "chapter",
        "§",
      ],
      before: 12,
      after: 0,
    },
    confidence: 0.85,
    hardBlock: false,
    examples: {
      positive: [
        "Failed login from 81.2.69.160 at 03:12",
        '{"client_ip":"89.160.20.112","status":401}',
        "접속 IP: 175.45.176.3",
        "GET https://ipinfo.io/81.2.69.160/json",
        "archived under /srv/logs/81.2.69.160/access.log",
        "proxy http://89.160.20.112:8080 failed",
        "peer=175.45.176.3/32 blocked",
      ],
      negative: [
        "gateway 192.168.1.1, dns 10.0.0.53, lo 127.0.0.1",
        "docs use 203.0.113.7 and 198.51.100.20",
        "upgrade to v1.2.3.4 or 1.2.3.4-beta",
        "version 1.2.3.4",
        "Windows 10.0.19041.1, OID 1.3.6.1.4.1",
        "Seoul is at 37.5665, 126.9780",
        "010.1.2.3 has a leading zero",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) " +
        "Chrome/120.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15 Version/17.0.1.2 Safari/605.1.15",
        "Edg/120.0.0.0 OPR/106.0.0.0 YaBrowser/23.11.0.0",
        "ua=SamsungBrowser/81.2.69.160",
      ],
    },
  },
  {
    id: "ip-v6-public",
    type: "ip_address",
    category: "pii",
    description: "Public IPv6 address, full or compressed (special-purpose ranges excluded)",
    pattern: new RegExp(
      // A colon may precede the address when no hex digit or colon sits before it
      // ("IPアドレス：2001:…" folds to "…ス:2001:…"); otherwise it is the middle of one. A
      // match starts with a colon only as part of "::".
      String
        .raw`(?<![\w.])(?<![0-9A-Fa-f:]:)(?!:(?!:))(?=[0-9A-Fa-f]{0,4}:[0-9A-Fa-f]{0,4}:)[0-9A-Fa-f:]{2,39}` +
        String.raw`(?:(?<=:)(?:\d{1,3}\.){3}\d{1,3})?(?![\w:]|\.\d)`,
    ),
    // Letters-only groups ("2a01:d6:cb:…") end a digit cluster, so a full address may
    // offer no more than its first two groups' digits to the trigger.
    trigger: { keywords: ["::"], digits: 3 },
    // Every match holds a colon, so a window without one is skipped (a run of base64 or
    // digits wakes the digit trigger all along).
    windowRequires: [":"],
    validate: ipv6Valid,
    confidence: 0.9,
    hardBlock: false,
    examples: {
      positive: [
        "client 2a00:1450:4001:81c::200e connected",
        "[2001:4860:4860:0000:0000:0000:0000:8888]:443",
        "mapped ::ffff:81.2.69.160 in the log",
        "IPアドレス：2a01:4f8:c0c:1f2::5 で登録",
        "Voilà : 2a01:d6:cb:0:fa9:ecf:a:5a7",
      ],
      negative: [
        "loopback ::1 and any ::",
        "link fe80::1ff:fe23:4567:890a, ula fd12:3456:789a::1",
        "docs 2001:db8::8a2e:370:7334",
        "mapped ::ffff:192.168.1.1",
        "at 10:30:45 use std::vec::Vec",
        "mac 00:1a:2b:3c:4d:5e",
        "id:2a01:4f8:c0c:1f2::5 is cut from a longer token",
      ],
    },
  },
];
