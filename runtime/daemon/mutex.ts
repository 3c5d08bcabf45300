/**
 * The writer lock inside ipnd: one apply (or rollback, destroy, confirm) at
 * a time, with its owner on record so a refused request can say who holds it.
 *
 * @module
 */
import { RequestError } from "./errors.ts";

export interface Holder {
  what: string;
  by: string;
  since?: string;
}

export class Mutex {
  #held?: Required<Holder>;
  #waiters: (() => void)[] = [];

  get holder(): Required<Holder> | undefined {
    return this.#held;
  }

  /** Run `fn` holding the lock; wait up to `timeoutMs` (0: refuse at once). */
  async run<T>(who: Holder, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
    if (this.#held) {
      const h = this.#held;
      const busy = () =>
        new RequestError(
          409,
          "busy",
          `ipnd is busy: ${h.what} by ${h.by} in progress since ${h.since}; try again or use --lock-timeout`,
        );
      if (timeoutMs <= 0) throw busy();
      await new Promise<void>((resolve, reject) => {
        const wake = () => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          this.#waiters = this.#waiters.filter((w) => w !== wake);
          reject(busy());
        }, timeoutMs);
        this.#waiters.push(wake);
      });
      // Woken with the lock handed over (see the finally below).
    }
    this.#held = { what: who.what, by: who.by, since: new Date().toISOString() };
    try {
      return await fn();
    } finally {
      this.#held = undefined;
      this.#waiters.shift()?.();
    }
  }
}
