import type Database from 'better-sqlite3';

/**
 * The database handle the engine's code gets from a Store: the same API, but every call
 * that reaches SQLite turns its errors into the engine's through `translate` (damage found
 * mid-read becomes E_CORRUPT naming store.db and marks the store damaged), so that no
 * caller can leak a raw library error, whichever statement it prepared itself.
 */
export function guardDatabase(
  db: Database.Database,
  translate: (error: unknown) => unknown,
  beforeStatement: () => void = () => {},
): Database.Database {
  const guard =
    <A extends unknown[], R>(call: (...args: A) => R) =>
    (...args: A): R => {
      try {
        return call(...args);
      } catch (error) {
        throw translate(error);
      }
    };
  const wrappers = new Map<PropertyKey, unknown>([
    ['prepare', guard((source: string) => guardStatement(db.prepare(source), guard, beforeStatement))],
    ['exec', guard((source: string) => (db.exec(source), proxy))],
    ['pragma', guard((source: string, options?: Database.PragmaOptions) => db.pragma(source, options))],
    [
      'transaction',
      (body: (...args: unknown[]) => unknown) => {
        const run = db.transaction(body);
        return Object.assign(guard(run), {
          deferred: guard(run.deferred),
          immediate: guard(run.immediate),
          exclusive: guard(run.exclusive),
        });
      },
    ],
  ]);
  const proxy: Database.Database = new Proxy(db, {
    get(target, property) {
      const wrapper = wrappers.get(property);
      if (wrapper !== undefined) return wrapper;
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return proxy;
}

type Guard = <A extends unknown[], R>(call: (...args: A) => R) => (...args: A) => R;

/** Methods that return the statement itself, so the chain keeps the guarded one. */
const CHAINING = new Set<PropertyKey>(['pluck', 'raw', 'expand', 'bind', 'safeIntegers']);
const RUNNING = new Set<PropertyKey>(['run', 'get', 'all']);

function guardStatement(statement: Database.Statement, guard: Guard, beforeStatement: () => void): Database.Statement {
  const cache = new Map<PropertyKey, unknown>();
  const proxy: Database.Statement = new Proxy(statement, {
    get(target, property) {
      const cached = cache.get(property);
      if (cached !== undefined) return cached;
      const value = Reflect.get(target, property, target) as unknown;
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      let wrapper: unknown;
      if (RUNNING.has(property)) {
        wrapper = guard((...args: unknown[]) => {
          beforeStatement();
          return method.apply(target, args);
        });
      } else if (CHAINING.has(property)) wrapper = guard((...args: unknown[]) => (method.apply(target, args), proxy));
      else if (property === 'iterate') {
        wrapper = guard((...args: unknown[]) => {
          beforeStatement();
          return guardIterator(method.apply(target, args) as IterableIterator<unknown>, guard);
        });
      } else wrapper = method.bind(target);
      cache.set(property, wrapper);
      return wrapper;
    },
  });
  return proxy;
}

function guardIterator<T>(iterator: IterableIterator<T>, guard: Guard): IterableIterator<T> {
  const guarded: IterableIterator<T> = {
    next: guard(() => iterator.next()),
    return: guard((value?: unknown) => iterator.return?.(value as T) ?? { done: true as const, value: undefined as T }),
    [Symbol.iterator]: () => guarded,
  };
  return guarded;
}
