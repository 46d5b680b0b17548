/**
 * A time bound on each read of a stream, with one timer per stream instead of one per read.
 *
 * A streamed reply is read in hundreds of small chunks; a `setTimeout`, a `clearTimeout` and
 * a `Promise.race` for every read cost more than the rest of the read. Here a read only
 * records when it must be done by; the one timer, when it fires, checks whether a read is
 * still waiting past its due time, and otherwise re-arms itself for the read in progress (or
 * lapses while no read is waiting). A late read is reported once through `onLate`; the
 * caller then cancels the reader, which settles the waiting read at once.
 *
 * @module
 */

/** The watch over one stream's reads. */
export interface ReadWatch {
  /** A read starts; it must be done by `due` (`performance.now()` time). */
  begin(due: number): void;
  /** The read in progress is done. */
  end(): void;
  /** Stop watching for good: clears the timer. Call on every way the stream ends. */
  stop(): void;
  /** Whether a read went past its due time. */
  readonly late: boolean;
}

/**
 * Watch a stream's reads.
 *
 * @param onLate Called once, from the timer, when a read is still waiting past its due time.
 * @returns The watch.
 *
 * @example
 * ```ts
 * import { createReadWatch } from "./read_watch.ts";
 * let late = false;
 * const w = createReadWatch(() => late = true);
 * w.begin(performance.now() + 5);
 * await new Promise((r) => setTimeout(r, 30));
 * w.stop();
 * if (!late || !w.late) throw new Error("a read waiting past its due time is late");
 * ```
 */
export function createReadWatch(onLate: () => void): ReadWatch {
  let timer: ReturnType<typeof setTimeout> | undefined;
  // When the armed timer fires (performance.now() time), and the waiting read's due time.
  let armedFor = Infinity;
  let due = Infinity;
  let waiting = false;
  let late = false;
  let stopped = false;

  const arm = (at: number) => {
    armedFor = at;
    timer = setTimeout(fire, Math.max(0, Math.ceil(at - performance.now())));
  };

  function fire(): void {
    timer = undefined;
    armedFor = Infinity;
    if (stopped || !waiting) return;
    if (performance.now() >= due) {
      late = true;
      stopped = true;
      onLate();
      return;
    }
    arm(due);
  }

  return {
    begin(at) {
      if (stopped) return;
      waiting = true;
      due = at;
      if (timer === undefined) arm(at);
      else if (at < armedFor) {
        clearTimeout(timer);
        arm(at);
      }
    },
    end() {
      waiting = false;
    },
    stop() {
      stopped = true;
      waiting = false;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
    get late() {
      return late;
    },
  };
}
