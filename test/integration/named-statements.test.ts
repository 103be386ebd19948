// The portal's pool sends each query as a named statement, so PostgreSQL
// parses and plans it once per connection (decision 052): the statement is
// in the connection's pg_prepared_statements after its first run, the same
// text has the same name every time, and results are the same as unnamed.
// Statements that are not queries, and a pool without the option, go unnamed.
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { createDatabase, statementName } from "#app/database/connection";
import { useTestDatabase } from "#test/support/database";

const { db, url } = await useTestDatabase();

/** The named statements of the connection the work runs on, with the work's answer. */
async function onOneConnection<T>(handle: typeof db, work: (c: typeof db) => Promise<T>) {
  return handle.connection().execute(async (c) => {
    const answer = await work(c);
    const prepared = await sql<{ name: string; statement: string }>`SELECT name, statement FROM pg_prepared_statements ORDER BY name`.execute(c);
    return { answer, prepared: prepared.rows };
  });
}

describe("named statements", () => {
  it("gives a text one name, different texts different names, and leaves out what is not a query", () => {
    const a = statementName("select 1 as one where 1 = $1");
    expect(a).toMatch(/^portal_\d+$/);
    expect(statementName("select 1 as one where 1 = $1")).toBe(a);
    expect(statementName("select 2 as two where 2 = $1")).not.toBe(a);
    expect(statementName("  WITH x AS (select 1) select * from x")).toMatch(/^portal_\d+$/);
    for (const text of ["begin", "commit", "rollback", "set local statement_timeout = 1000", "lock table x"]) expect(statementName(text)).toBeNull();
  });

  it("prepares a query once on its connection and gives the same rows as an unnamed statement", async () => {
    const query = (c: typeof db, upTo: number) => sql<{ n: number; square: number }>`select n, n * n as square from generate_series(1, ${upTo}::int) as n order by n`;
    const text = query(db, 1).compile(db).sql;
    const runs = (c: typeof db) => Promise.all([3, 1, 4].map(async (upTo) => (await query(c, upTo).execute(c)).rows));
    const named = await onOneConnection(db, runs);
    expect(named.answer[0]).toEqual([{ n: 1, square: 1 }, { n: 2, square: 4 }, { n: 3, square: 9 }]);
    const mine = named.prepared.filter((p) => p.statement === text);
    // One statement for the three runs of the text on this connection.
    expect(mine).toHaveLength(1);
    expect(mine[0]!.name).toBe(statementName(text));

    const plain = createDatabase({ connectionString: url, max: 1 });
    try {
      const unnamed = await onOneConnection(plain, runs);
      expect(unnamed.answer).toEqual(named.answer);
      expect(unnamed.prepared).toEqual([]);
    } finally {
      await plain.destroy();
    }
  });

  it("keeps a transaction's statements and errors as they were", async () => {
    const failure = await db
      .transaction()
      .execute(async (trx) => {
        await sql`SET LOCAL statement_timeout = 5000`.execute(trx);
        await sql`select 1 as one`.execute(trx);
        await sql`select 1 / 0`.execute(trx);
      })
      .then(
        () => null,
        (error: Error) => error.message,
      );
    expect(failure).toMatch(/division by zero/);
    // The connection is usable afterwards, the same statement again included.
    expect((await sql<{ one: number }>`select 1 as one`.execute(db)).rows).toEqual([{ one: 1 }]);
  });
});
