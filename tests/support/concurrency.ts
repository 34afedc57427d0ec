/**
 * Two connections to one SQLite file, as two server processes (or a later
 * PostgreSQL pool) would have, and a way to interleave them at the moment a
 * read-then-write goes wrong: after a domain function has read and checked
 * the row, before its write transaction begins.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { migrateToLatest, openDatabase, type Db } from "~/db/connection.server";

/** A new, migrated database file and two independent connections to it. */
export async function twoConnections(): Promise<{ first: Db; second: Db; close: () => Promise<void> }> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "portal-race-")), "portal.sqlite");
  const first = openDatabase(`file:${file}`);
  await migrateToLatest(first);
  const second = openDatabase(`file:${file}`);
  return {
    first,
    second,
    close: async () => {
      await first.destroy();
      await second.destroy();
    },
  };
}

/**
 * The same connection, except that its first transaction waits until
 * `meanwhile` (run on the other connection) has committed. Everything the
 * caller read before that transaction is then out of date.
 */
export function interleaved(db: Db, meanwhile: () => Promise<unknown>): Db {
  let pending = true;
  return new Proxy(db, {
    get(target, property, receiver) {
      if (property !== "transaction") {
        const value = Reflect.get(target, property, receiver);
        return typeof value === "function" ? value.bind(target) : value;
      }
      return () => {
        const builder = target.transaction();
        return new Proxy(builder, {
          get(b, p, r) {
            const value = Reflect.get(b, p, r);
            if (p !== "execute") return typeof value === "function" ? value.bind(b) : value;
            return async (work: Parameters<typeof builder.execute>[0]) => {
              if (pending) {
                pending = false;
                await meanwhile();
              }
              return b.execute(work);
            };
          },
        });
      };
    },
  });
}
