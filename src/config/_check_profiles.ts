/**
 * Shape checks for `policy.profiles` and `policy.profileBinding`. Whether a binding names
 * real profiles is settled when the profiles compile at start-up (src/policy/caller_profiles.ts).
 *
 * @module
 */
import { ACTIONS } from "./types.ts";
import type { CheckContext, CheckResult, ConfigIssue, Subject } from "./_check.ts";
import { describeGot, issue } from "./_check.ts";
import { quoteList } from "./schema.ts";

const PROFILE_KEYS = ["actions", "modelAllowlist", "rate"];
/** Same ceiling as `policy.rate.requestsPerMinute`. */
const MAX_RPM = 10_000_000;

const isObj = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/** Check `policy.profiles`: names to `{actions?, modelAllowlist?, rate?}`. */
export function checkCallerProfiles(
  value: unknown,
  subject: Subject,
  context: CheckContext,
): CheckResult {
  if (!isObj(value)) {
    return {
      ok: false,
      issues: [issue(subject, `${subject.label} must be an object, got ${describeGot(value)}`)],
    };
  }
  const issues: ConfigIssue[] = [];
  const out: Record<string, unknown> = {};
  for (const [name, profile] of Object.entries(value)) {
    const at = subject.child(name);
    if (!isObj(profile)) {
      issues.push(issue(at, `${at.label} must be an object, got ${describeGot(profile)}`));
      continue;
    }
    const extra = Object.keys(profile).find((k) => !PROFILE_KEYS.includes(k));
    if (extra !== undefined) {
      issues.push(issue(at, `${at.label} has unknown key ${JSON.stringify(extra)}`));
      continue;
    }
    const entry: Record<string, unknown> = {};
    if (profile.actions !== undefined) {
      const actions = at.child("actions");
      if (!isObj(profile.actions)) {
        issues.push(issue(actions, `${actions.label} must be an object mapping types to actions`));
      } else {
        for (const [type, action] of Object.entries(profile.actions)) {
          const c = actions.child(type);
          if (!context.knownTypes.has(type)) {
            issues.push(issue(c, `${c.label}: unknown finding type`));
          } else if (typeof action !== "string" || !ACTIONS.includes(action as never)) {
            issues.push(
              issue(
                c,
                `${c.label} must be one of ${quoteList(ACTIONS)}, got ${describeGot(action)}`,
              ),
            );
          }
        }
        entry.actions = { ...profile.actions };
      }
    }
    if (profile.modelAllowlist !== undefined) {
      const m = at.child("modelAllowlist");
      const list = profile.modelAllowlist;
      if (!Array.isArray(list) || list.some((x) => typeof x !== "string" || x === "")) {
        issues.push(issue(m, `${m.label} must be an array of non-empty strings`));
      } else entry.modelAllowlist = [...list];
    }
    if (profile.rate !== undefined) {
      const r = at.child("rate");
      const rpm = isObj(profile.rate) ? profile.rate.requestsPerMinute : undefined;
      const extraRate = isObj(profile.rate)
        ? Object.keys(profile.rate).find((k) => k !== "requestsPerMinute")
        : undefined;
      if (extraRate !== undefined) {
        issues.push(issue(r, `${r.label} has unknown key ${JSON.stringify(extraRate)}`));
      } else if (!Number.isSafeInteger(rpm) || (rpm as number) < 1 || (rpm as number) > MAX_RPM) {
        const c = r.child("requestsPerMinute");
        issues.push(
          issue(c, `${c.label} must be an integer from 1 to ${MAX_RPM}, got ${describeGot(rpm)}`),
        );
      } else entry.rate = { requestsPerMinute: rpm };
    }
    out[name] = entry;
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: out };
}

/** Check `policy.profileBinding`: `{byScope?, byLabel?, default}`. */
export function checkProfileBinding(value: unknown, subject: Subject): CheckResult {
  const bad = (s: Subject, why: string): CheckResult => ({
    ok: false,
    issues: [issue(s, `${s.label} ${why}`)],
  });
  if (!isObj(value)) {
    return bad(subject, `must be {byScope?, byLabel?, default}, got ${describeGot(value)}`);
  }
  const extra = Object.keys(value).find((k) => !["byScope", "byLabel", "default"].includes(k));
  if (extra !== undefined) return bad(subject, `has unknown key ${JSON.stringify(extra)}`);
  const maps: Record<string, Record<string, string>> = {};
  for (const key of ["byScope", "byLabel"]) {
    const m = value[key] ?? {};
    const s = subject.child(key);
    if (!isObj(m) || Object.values(m).some((v) => typeof v !== "string" || v === "")) {
      return bad(s, "must be an object mapping names to profile names");
    }
    if (key === "byLabel") {
      const wrong = Object.keys(m).find((k) => !/^[^=]+=./.test(k));
      if (wrong !== undefined) return bad(s.child(wrong), 'must be written "key=value"');
    }
    maps[key] = { ...(m as Record<string, string>) };
  }
  const d = value.default;
  if (typeof d !== "string") {
    return bad(subject.child("default"), `must be a profile name, got ${describeGot(d)}`);
  }
  return { ok: true, value: { byScope: maps.byScope, byLabel: maps.byLabel, default: d } };
}
