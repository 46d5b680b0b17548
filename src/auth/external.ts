/**
 * `auth.provider: "external"`: a caller authenticator injected by the program that embeds
 * haechi (haechi 1.4's `authProvider` seam), for identity systems haechi does not ship.
 *
 * The provider is trusted code in the same process, yet what it returns is still checked:
 * a subject must be a short printable string, labels must use `auth.allowedLabelKeys` and
 * identifier-like values (they pick policy profiles and reach audit records), and a
 * provider that throws or answers anything else denies the request. Each decision is
 * audited with a reason code, never the subject or a credential.
 *
 * @module
 */
import { type AuthHasher, LABEL_KEY_RE, LABEL_VALUE_RE } from "./store.ts";

/** What an injected provider says about one request. */
export interface ExternalIdentity {
  /** Who the caller is; becomes its token scope. */
  readonly subject: string;
  /** Labels that pick a policy profile (`team`, `env`, ...), keys in `auth.allowedLabelKeys`. */
  readonly labels?: Readonly<Record<string, string>>;
}

/** The contract an embedding program implements for `auth.provider: "external"`. */
export interface ExternalAuthProvider {
  /**
   * Decide one request from its method, URL and headers (the body is not read yet).
   *
   * @returns The caller's identity, or `null` to refuse it (401).
   */
  authenticate(request: Request): Promise<ExternalIdentity | null>;
}

/** An authenticated caller, as the gateway takes it. */
export interface ExternalCaller {
  /** Token scope. */
  readonly subject: string;
  /** Keyed fingerprint of the subject, for audit and rate limits. */
  readonly identity: string;
  /** Checked labels. */
  readonly labels: Readonly<Record<string, string>>;
}

/** Where decisions are recorded. */
export interface ExternalAuthAudit {
  /** Record one decision; a failure to record denies the request. */
  (decision: { allowed: boolean; reason: string; correlationId: string }): Promise<void>;
}

const SUBJECT_MAX = 256;

/**
 * Wrap `provider` so every answer is checked and audited.
 *
 * @param provider The injected provider.
 * @param options Hasher for identity fingerprints, allowed label keys, audit.
 * @returns The authenticator: the caller, or `null` for a refusal.
 *
 * @example
 * ```ts
 * import { createExternalAuth } from "./external.ts";
 * import { createAuthHasher } from "./store.ts";
 * const auth = createExternalAuth(
 *   { authenticate: (r) => Promise.resolve(r.headers.get("x-user") === "ok" ? { subject: "alice" } : null) },
 *   { hasher: createAuthHasher(new Uint8Array(32)), allowedLabelKeys: [], audit: () => Promise.resolve() },
 * );
 * const who = await auth(new Request("http://gw/", { headers: { "x-user": "ok" } }));
 * if (who?.subject !== "alice") throw new Error("allowed");
 * ```
 */
export function createExternalAuth(
  provider: ExternalAuthProvider,
  options: {
    readonly hasher: AuthHasher;
    readonly allowedLabelKeys: readonly string[];
    readonly audit: ExternalAuthAudit;
  },
): (request: Request) => Promise<ExternalCaller | null> {
  const allowed = new Set(options.allowedLabelKeys);
  return async (request) => {
    const correlationId = crypto.randomUUID();
    let answer: unknown;
    try {
      answer = await provider.authenticate(request);
    } catch {
      answer = undefined;
    }
    const checked = check(answer, allowed);
    await options.audit({
      allowed: checked.caller !== null,
      reason: checked.reason,
      correlationId,
    });
    if (checked.caller === null) return null;
    return {
      ...checked.caller,
      identity: options.hasher.identity(`external\0${checked.caller.subject}`),
    };
  };
}

function check(
  answer: unknown,
  allowedKeys: ReadonlySet<string>,
): { caller: Omit<ExternalCaller, "identity"> | null; reason: string } {
  if (answer === undefined) return { caller: null, reason: "provider-failed" };
  if (answer === null) return { caller: null, reason: "denied-by-provider" };
  if (typeof answer !== "object" || Array.isArray(answer)) {
    return { caller: null, reason: "provider-bad-reply" };
  }
  const a = answer as { subject?: unknown; labels?: unknown };
  if (
    typeof a.subject !== "string" || a.subject === "" || a.subject.length > SUBJECT_MAX ||
    [...a.subject].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)
  ) {
    return { caller: null, reason: "provider-bad-reply" };
  }
  const labels: Record<string, string> = {};
  if (a.labels !== undefined) {
    if (a.labels === null || typeof a.labels !== "object" || Array.isArray(a.labels)) {
      return { caller: null, reason: "provider-bad-labels" };
    }
    for (const [k, v] of Object.entries(a.labels)) {
      if (
        !allowedKeys.has(k) || !LABEL_KEY_RE.test(k) || typeof v !== "string" ||
        !LABEL_VALUE_RE.test(v)
      ) {
        return { caller: null, reason: "provider-bad-labels" };
      }
      labels[k] = v;
    }
  }
  return { caller: { subject: a.subject, labels }, reason: "allowed" };
}
