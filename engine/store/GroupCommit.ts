import type Database from 'better-sqlite3';

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Group commit: every mutation runs at once inside a shared write transaction,
 * each in its own savepoint (so a failed operation undoes only itself), and the
 * transaction commits at the end of the event-loop turn (or after `windowUs`).
 * An operation's promise settles only after the COMMIT that contains it: that is
 * the *committed* acknowledgement. Concurrent writers share one commit.
 */
export class GroupCommit {
  private open = false;
  private waiters: Waiter[] = [];
  private cancelTimer: (() => void) | null = null;
  private readonly begin: Database.Statement;
  private readonly commit: Database.Statement;
  private readonly rollback: Database.Statement;
  private readonly savepoint: Database.Statement;
  private readonly release: Database.Statement;
  private readonly rollbackTo: Database.Statement;
  /** Told when a rollback undoes writes, so that caches of rows can drop what they saw. */
  onRollback: () => void = () => {};
  /** Transactions begun so far: a cache of a reader's rows is checked once per turn. */
  turns = 0;
  /** Operations committed so far, and commits: their ratio is the group size. */
  committedOps = 0;
  commits = 0;

  constructor(
    private readonly db: Database.Database,
    private readonly windowUs: number,
    private readonly maxGroupOps = 4096,
  ) {
    // Deferred: a turn that only reads never takes the write lock; the first write upgrades it,
    // which cannot fail for want of a fresh snapshot because this process is the only writer.
    this.begin = db.prepare('BEGIN');
    this.commit = db.prepare('COMMIT');
    this.rollback = db.prepare('ROLLBACK');
    this.savepoint = db.prepare('SAVEPOINT op');
    this.release = db.prepare('RELEASE op');
    this.rollbackTo = db.prepare('ROLLBACK TO op');
  }

  /**
   * Opens the turn's transaction unless one is open. Every statement of an event-loop turn
   * runs inside it: outside a transaction each statement would take and drop SQLite's WAL
   * read lock (fcntl calls on the -shm file), several times the cost of the read itself.
   */
  enterTurn(): void {
    if (this.open || this.db.inTransaction) return;
    this.begin.run();
    this.open = true;
    this.turns += 1;
    this.schedule();
  }

  /** Runs `mutate` now inside the group; resolves with its result once committed. */
  run<T>(mutate: () => T): Promise<T> {
    this.enterTurn();
    this.savepoint.run();
    let value: T;
    try {
      value = mutate();
      this.release.run();
    } catch (error) {
      this.undoOperation();
      return Promise.reject(error);
    }
    const settled = new Promise<T>((resolve, reject) => {
      this.waiters.push({ resolve: () => resolve(value), reject });
    });
    if (this.waiters.length >= this.maxGroupOps) this.flush();
    return settled;
  }

  /** Commits the open group now (used by sync and close). */
  flush(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
    if (!this.open) return;
    const waiters = this.waiters;
    this.waiters = [];
    this.open = false;
    try {
      this.commit.run();
    } catch (error) {
      try {
        this.rollback.run();
      } catch {
        // The transaction is already gone; nothing more to undo.
      }
      this.onRollback();
      for (const waiter of waiters) waiter.reject(error);
      return;
    }
    this.commits += 1;
    this.committedOps += waiters.length;
    for (const waiter of waiters) waiter.resolve();
  }

  get pending(): number {
    return this.waiters.length;
  }

  private schedule(): void {
    if (this.windowUs > 0) {
      const timer = setTimeout(() => this.flush(), Math.max(1, Math.round(this.windowUs / 1000)));
      this.cancelTimer = () => clearTimeout(timer);
    } else {
      const immediate = setImmediate(() => this.flush());
      this.cancelTimer = () => clearImmediate(immediate);
    }
  }

  private undoOperation(): void {
    this.onRollback();
    try {
      this.rollbackTo.run();
      this.release.run();
    } catch {
      // A failed savepoint rollback means the transaction itself is gone (SQLite rolled it
      // back on a fatal error): fail the whole group rather than commit half of it.
      this.open = false;
      this.cancelTimer?.();
      this.cancelTimer = null;
      if (this.db.inTransaction) this.rollback.run();
      const waiters = this.waiters;
      this.waiters = [];
      const error = new Error('the group transaction was aborted by the database');
      for (const waiter of waiters) waiter.reject(error);
    }
  }
}
