/**
 * Refuse upstream URLs that point at link-local or cloud metadata addresses.
 *
 * A gateway that can be pointed at `169.254.169.254` hands whoever controls its config
 * (or a `--upstream` flag in a wrapper script) the instance's cloud credentials. The
 * check runs once, when the gateway is built, on the URL as the WHATWG parser normalises
 * it (so `http://0xA9FEA9FE/` is seen as `169.254.169.254`). Loopback and private ranges
 * stay allowed: local vLLM, Ollama and tests live there. Host names are compared, not
 * resolved: a DNS name that resolves to a metadata address is not caught here.
 *
 * @module
 */
import { octetsOfIpv4, parseIpv4, parseIpv6 } from "../detect/mod.ts";
import { HaechiError } from "../errors.ts";

/** Host names of cloud metadata services. */
const METADATA_HOSTS = new Set([
  "metadata.google.internal",
  "metadata.goog",
  "metadata",
  "instance-data",
  "instance-data.ec2.internal",
  "metadata.azure.internal",
]);

/** Options for {@linkcode checkUpstreamUrl}. */
export interface UpstreamCheckOptions {
  /** Host names or address literals exempt from the refusal (operator's explicit choice). */
  readonly allowHosts?: readonly string[];
}

/**
 * Parse and check an upstream base URL.
 *
 * @param raw The configured URL.
 * @param options Explicit exemptions.
 * @returns The parsed URL.
 * @throws {HaechiError} `config.invalid` for an unparsable, non-HTTP, credential-bearing,
 *   link-local or metadata URL.
 *
 * @example
 * ```ts
 * import { checkUpstreamUrl } from "./upstream_url.ts";
 * checkUpstreamUrl("http://127.0.0.1:8000");
 * let refused = false;
 * try { checkUpstreamUrl("http://169.254.169.254/"); } catch { refused = true; }
 * if (!refused) throw new Error("metadata address must be refused");
 * ```
 */
export function checkUpstreamUrl(raw: string, options: UpstreamCheckOptions = {}): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new HaechiError("config.invalid", "proxy.upstream is not a valid URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new HaechiError(
      "config.invalid",
      `proxy.upstream must be http or https, not ${url.protocol}`,
    );
  }
  if (url.username !== "" || url.password !== "") {
    throw new HaechiError(
      "config.invalid",
      "proxy.upstream must not carry credentials; use proxy.upstreamAuthHeader and proxy.upstreamAuthEnv",
    );
  }
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase().replace(/\.$/, "");
  const allowed = new Set((options.allowHosts ?? []).map((h) => h.toLowerCase()));
  if (allowed.has(host)) return url;
  const reason = refusalReason(host);
  if (reason !== null) {
    throw new HaechiError(
      "config.invalid",
      `proxy.upstream points at ${reason} (${host}); list it in proxy.upstreamAllowHosts to allow it`,
      { host },
    );
  }
  return url;
}

/** Why `host` is refused, or `null`. */
function refusalReason(host: string): string | null {
  if (METADATA_HOSTS.has(host)) return "a cloud metadata service";
  const v4 = parseIpv4(host);
  if (v4 !== null) return ipv4Reason(octetsOfIpv4(v4));
  if (host.includes(":")) return ipv6Reason(host);
  return null;
}

function ipv4Reason(a: number[]): string | null {
  if (a[0] === 169 && a[1] === 254) return "a link-local address";
  if (a.every((x) => x === 0)) return "the unspecified address";
  // Alibaba Cloud's metadata service sits outside the link-local range.
  if (a[0] === 100 && a[1] === 100 && a[2] === 100 && a[3] === 200) {
    return "a cloud metadata service";
  }
  return null;
}

function ipv6Reason(host: string): string | null {
  const groups = parseIpv6(host);
  if (groups === null) return null;
  if ((groups[0] & 0xffc0) === 0xfe80) return "a link-local address";
  if (groups.every((g) => g === 0)) return "the unspecified address";
  // AWS's IPv6 metadata endpoint fd00:ec2::254.
  if (groups[0] === 0xfd00 && groups[1] === 0x0ec2 && groups.slice(2, 7).every((g) => g === 0)) {
    if (groups[7] === 0x254) return "a cloud metadata service";
  }
  // IPv4-mapped (::ffff:a.b.c.d) inherits the IPv4 verdict.
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return ipv4Reason([groups[6] >> 8, groups[6] & 255, groups[7] >> 8, groups[7] & 255]);
  }
  return null;
}
