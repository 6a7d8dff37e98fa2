/**
 * Delivers values to one consumer with backpressure and bounded memory: while the consumer
 * is busy (its callback's promise has not settled) new values replace the one waiting, so a
 * slow consumer receives fewer, always the latest, values and nothing queues up.
 */
export class LatestChannel<T> {
  #pending: T | null = null;
  #busy = false;
  #closed = false;
  delivered = 0;
  replaced = 0;

  constructor(private readonly consumer: (value: T) => void | Promise<void>) {}

  push(value: T): void {
    if (this.#closed) return;
    if (this.#busy) {
      if (this.#pending !== null) this.replaced++;
      this.#pending = value;
      return;
    }
    this.#deliver(value);
  }

  #deliver(value: T): void {
    this.#busy = true;
    this.delivered++;
    let result: void | Promise<void>;
    try {
      result = this.consumer(value);
    } catch {
      // A consumer's failure must not stop the run; it simply misses this value.
      result = undefined;
    }
    if (result && typeof (result as Promise<void>).then === 'function') {
      (result as Promise<void>).then(
        () => this.#next(),
        () => this.#next(),
      );
    } else {
      this.#next();
    }
  }

  #next(): void {
    this.#busy = false;
    const pending = this.#pending;
    this.#pending = null;
    if (pending !== null && !this.#closed) this.#deliver(pending);
  }

  /** Stops delivery; a value still waiting is delivered first when `flush` is true. */
  close(flush = true): void {
    if (flush && !this.#busy && this.#pending !== null) this.#next();
    this.#closed = true;
  }
}
