/**
 * An in-process token store: deterministic, scope-bound tokens that live as long as the
 * process. It serves one-shot commands such as `haechi protect`; the persistent vault
 * implements the same {@linkcode ReversibleActions} interface.
 *
 * @module
 */
import { HaechiError } from "../errors.ts";
import { createHmacSha256 } from "../crypto/mod.ts";
import { base32 } from "./_codec.ts";
import type { ReversibleActions, ReversibleContext } from "../protect/mod.ts";

/** The in-memory vault. */
export interface MemoryVault extends ReversibleActions {
  /** Replace tokens in `text` that were issued to `scope`; others stay as they are. */
  restore(text: string, scope: string): string;
  /** How many distinct tokens were issued. */
  readonly size: number;
}

const TOKEN = /\[TOKEN:([a-z0-9_]{1,40}):([a-z2-7]{20})\]/g;

/**
 * Create an in-memory vault keyed by `hmacKey`. The same value, type and scope always give
 * the same token; a different scope gives an unrelated one.
 *
 * @param hmacKey 32-byte secret.
 * @returns The vault.
 *
 * @example
 * ```ts
 * import { createMemoryVault } from "./memory.ts";
 * const v = await createMemoryVault(new Uint8Array(32));
 * const t = await v.tokenize("bob@corp.example", { type: "email", scope: "alice" });
 * if (v.restore(`hi ${t}`, "alice") !== "hi bob@corp.example") throw new Error("restore");
 * if (v.restore(t, "mallory") !== t) throw new Error("other scope must not restore");
 * ```
 */
export function createMemoryVault(hmacKey: Uint8Array): Promise<MemoryVault> {
  const mac = createHmacSha256(hmacKey);
  const byToken = new Map<string, { value: string; scope: string }>();
  const vault: MemoryVault = {
    tokenize(value: string, ctx: ReversibleContext): Promise<string> {
      const id = base32(mac(`${ctx.scope}\0${ctx.type}\0${value}`)).slice(0, 20);
      const token = `[TOKEN:${ctx.type}:${id}]`;
      byToken.set(token, { value, scope: ctx.scope });
      return Promise.resolve(token);
    },
    encrypt(_value: string, ctx: ReversibleContext): Promise<string> {
      return Promise.reject(
        new HaechiError(
          "action.unavailable",
          `The "encrypt" action for "${ctx.type}" needs the persistent token vault`,
          { action: "encrypt", type: ctx.type },
        ),
      );
    },
    restore(text: string, scope: string): string {
      return text.replace(TOKEN, (token) => {
        const entry = byToken.get(token);
        return entry !== undefined && entry.scope === scope ? entry.value : token;
      });
    },
    get size() {
      return byToken.size;
    },
  };
  return Promise.resolve(vault);
}
