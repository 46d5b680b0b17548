/**
 * A circuit breaker for plugin processes, so a plugin that crashes or hangs on every
 * call cannot make the host respawn it in a tight loop.
 *
 * Closed: calls go through. After `maxFailures` failures within `windowMs` it opens and
 * every call is refused for `cooldownMs`. Then it lets one trial through (half-open): a
 * success closes it, a failure opens it again.
 *
 * @module
 */

/** Breaker settings. */
export interface CircuitBreakerOptions {
  /** Failures within the window that open the breaker (default 3). */
  readonly maxFailures?: number;
  /** Window for counting failures, in ms (default 30 s). */
  readonly windowMs?: number;
  /** How long the breaker stays open, in ms (default 30 s). */
  readonly cooldownMs?: number;
  /** Clock, for tests. */
  readonly now?: () => number;
}

/** Breaker state. */
export type BreakerState = "closed" | "open" | "half-open";

/**
 * Track failures and decide whether another attempt may start.
 *
 * @example
 * ```ts
 * import { CircuitBreaker } from "./breaker.ts";
 * let t = 0;
 * const b = new CircuitBreaker({ maxFailures: 2, cooldownMs: 10, now: () => t });
 * b.failure(); b.failure();
 * if (b.allow()) throw new Error("open after two failures");
 * t = 11;
 * if (!b.allow() || b.allow()) throw new Error("one trial after the cooldown");
 * ```
 */
export class CircuitBreaker {
  #failures: number[] = [];
  #openedAt: number | null = null;
  #trialInFlight = false;
  readonly #max: number;
  readonly #window: number;
  readonly #cooldown: number;
  readonly #now: () => number;

  /** @param options Thresholds and clock. */
  constructor(options: CircuitBreakerOptions = {}) {
    this.#max = options.maxFailures ?? 3;
    this.#window = options.windowMs ?? 30_000;
    this.#cooldown = options.cooldownMs ?? 30_000;
    this.#now = options.now ?? Date.now;
  }

  /** Current state. */
  get state(): BreakerState {
    if (this.#openedAt === null) return "closed";
    return this.#now() - this.#openedAt >= this.#cooldown ? "half-open" : "open";
  }

  /** Whether an attempt may start now; in half-open only one trial at a time is allowed. */
  allow(): boolean {
    const state = this.state;
    if (state === "closed") return true;
    if (state === "open" || this.#trialInFlight) return false;
    this.#trialInFlight = true;
    return true;
  }

  /** Record a success: closes the breaker. */
  success(): void {
    this.#failures = [];
    this.#openedAt = null;
    this.#trialInFlight = false;
  }

  /** Record a failure: may open the breaker. */
  failure(): void {
    const now = this.#now();
    if (this.#openedAt !== null) {
      // A failed trial re-opens for a full cooldown.
      this.#openedAt = now;
      this.#trialInFlight = false;
      return;
    }
    this.#failures = this.#failures.filter((t) => now - t < this.#window);
    this.#failures.push(now);
    if (this.#failures.length >= this.#max) this.#openedAt = now;
  }
}
