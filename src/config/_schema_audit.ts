/**
 * Schema rows for the audit log, keys and the token vault.
 * Part of the table that `schema.ts` concatenates, in key order.
 *
 * @module
 */
import type { ConfigKeySpec } from "./schema.ts";
import { anchorPathFor } from "./defaults.ts";
import { valueAt } from "./_value_at.ts";

/** Schema rows for the audit log, keys and the token vault. */
export const AUDIT_SPECS: readonly ConfigKeySpec[] = [
  {
    path: "audit.enabled",
    envOnly: [true],
    type: { kind: "boolean" },
    description: "Write audit events.",
  },
  {
    path: "audit.path",
    env: null,
    type: { kind: "string", nonEmpty: true },
    description: "Audit log file (JSON lines).",
  },
  {
    path: "audit.anchorPath",
    env: null,
    type: { kind: "string" },
    description: "Anchor file for the audit hash chain; empty for none. Unless set, it follows " +
      "audit.path: the log's name with .anchors.jsonl in place of .jsonl.",
    derive: (partial) => anchorPathFor(String(valueAt(partial, "audit.path"))),
  },
  {
    path: "audit.anchorEvery",
    type: { kind: "integer", min: 0, max: 1_000_000_000 },
    description: "Write an anchor every this many events; 0 writes one only on close.",
  },
  {
    path: "keys.provider",
    env: null,
    type: { kind: "enum", values: ["local", "external"] },
    description:
      "local: the key file at keys.path; external: a crypto provider injected through the library (the CLI cannot).",
  },
  {
    path: "keys.path",
    env: null,
    type: { kind: "string", nonEmpty: true },
    description: "Key file written by haechi init (mode 0600).",
  },
  {
    path: "keys.nonceBudget",
    env: null,
    type: { kind: "integer", min: 1, max: 2 ** 32 },
    description:
      "AES-GCM encryptions per data key before haechi keys rotate is required (NIST limit 2^32).",
  },
  {
    path: "tokenVault.path",
    env: null,
    type: { kind: "string", nonEmpty: true },
    description: "SQLite database holding encrypted token records (mode 0600).",
  },
  {
    path: "tokenVault.deterministicTypes",
    env: null,
    type: { kind: "stringArray" },
    description: "Types whose same value in the same scope always maps to the same token.",
  },
  {
    path: "tokenVault.ttlSeconds",
    env: null,
    type: { kind: "integer", min: 0, max: 10 * 365 * 24 * 60 * 60 },
    description: "Token lifetime in seconds; 0 means tokens never expire.",
  },
  {
    path: "tokenVault.ttlByType",
    env: null,
    type: { kind: "integerMap", min: 0, max: 10 * 365 * 24 * 60 * 60 },
    description: "Per-type token lifetimes in seconds, overriding tokenVault.ttlSeconds.",
  },
  {
    path: "tokenVault.revealPolicy",
    envOnly: ["deny"],
    type: { kind: "enum", values: ["deny", "allow"] },
    description: "Whether haechi token-reveal may print a token's value (always audited).",
  },
  {
    path: "tokenVault.decryptPolicy",
    envOnly: ["deny"],
    type: { kind: "enum", values: ["deny", "allow"] },
    description: "Whether haechi decrypt may print an [ENC:...] envelope's value (always audited).",
  },
  {
    path: "tokenVault.synchronous",
    envOnly: ["full"],
    type: { kind: "enum", values: ["normal", "full"] },
    description: "SQLite sync level: normal survives process crashes, full also power loss.",
  },
  {
    path: "tokenVault.redisUrl",
    type: { kind: "string" },
    sensitive: true,
    description: "redis:// URL of a vault shared by replicas (ciphertext only); empty: SQLite.",
  },
];
