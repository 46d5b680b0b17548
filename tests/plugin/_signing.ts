// Shared helpers for plugin tests: a fresh key pair and a signed manifest for some bytes.
import { generateSigningKeyPair, importPrivateKeyPem } from "../../src/signing/keys.ts";
import { type PluginSignOptions, signPlugin } from "../../src/plugin/sign.ts";
import type { TrustAnchor } from "../../src/signing/trust.ts";

export interface TestSigner {
  readonly keyId: string;
  readonly anchor: TrustAnchor;
  readonly privatePem: string;
  sign(entry: Uint8Array, patch?: Partial<PluginSignOptions>): Promise<string>;
}

export async function testSigner(keyId = "team-a"): Promise<TestSigner> {
  const pair = await generateSigningKeyPair();
  const key = await importPrivateKeyPem(pair.privatePem);
  return {
    keyId,
    anchor: { keyId, publicKey: pair.publicPem },
    privatePem: pair.privatePem,
    async sign(entry, patch = {}) {
      const { text } = await signPlugin(entry, {
        id: "bearer-auth",
        kind: "authProvider",
        version: "1.2.0",
        coreRange: ">=1.0.0 <2.0.0",
        capabilities: ["readsCredentials"],
        signerKeyId: keyId,
        ...patch,
      }, key);
      return text;
    },
  };
}

export const ENTRY = new TextEncoder().encode(
  "export function authenticate() { return { allowed: false }; }\n",
);
