import type { PGlite } from "@electric-sql/pglite";

/**
 * The PGlite that the embedded database's socket serves, holding the same lock as the owning
 * process's own queries.
 *
 * PGlite is one session. The process that opened it (the web server) runs each query and each
 * transaction under PGlite's transaction lock. pglite-socket, serving the same session to the CLI
 * and other processes, runs a client's queries under a narrower lock, and only one query at a time.
 * So a CLI query could land inside the server's open transaction (and be rolled back with it). The
 * server's queries could also land inside a CLI transaction. That was seen: a `seed-demo` run beside
 * a running server failed in the middle of its rollup.
 *
 * Here each socket query takes the transaction lock, and keeps it from a client's BEGIN until its
 * COMMIT or ROLLBACK. The calls are queued one after another, so the lock is taken once per
 * transaction.
 */
export function lockedForSocket(client: PGlite): PGlite {
  let release: (() => void) | null = null;
  let tail: Promise<unknown> = Promise.resolve();

  /** Resolves once the lock is held, with the function that lets it go. */
  const takeLock = () =>
    new Promise<() => void>((held) => {
      void client._runExclusiveTransaction(() => new Promise<void>((done) => held(done)));
    });

  async function underLock<T>(fn: () => Promise<T>): Promise<T> {
    release ??= await takeLock();
    try {
      return await client._runExclusiveQuery(fn);
    } finally {
      if (!client.isInTransaction()) {
        release();
        release = null;
      }
    }
  }

  function exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = tail.then(() => underLock(fn));
    tail = run.catch(() => undefined);
    return run;
  }

  return new Proxy(client, {
    get(target, prop) {
      if (prop === "runExclusive") return exclusive;
      // pglite-socket rolls back a disconnected client's open transaction with `exec`; PGlite's own
      // `exec` would wait for the lock that transaction holds.
      if (prop === "exec") return (sql: string) => exclusive(() => target.execProtocolRaw(simpleQuery(sql)));
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** A protocol "simple query" message: 'Q', its length, the text, a NUL. */
function simpleQuery(sql: string): Uint8Array {
  const text = Buffer.from(`${sql}\0`, "utf8");
  const message = Buffer.alloc(5 + text.length);
  message.write("Q", 0, "latin1");
  message.writeInt32BE(4 + text.length, 1);
  text.copy(message, 5);
  return message;
}
