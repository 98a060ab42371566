import { type Kysely, sql } from 'kysely';

// A migration written as plain SQL: several DDL statements, each ended by ';' at the end of a line. Neither
// driver runs several statements in one prepared query, so they are split here; `--` comments are dropped.
// A literal holding ';' or '--' is not supported here: write such a step as a function instead.

/** Runs each statement of `text` in order on `db` (inside the migration's transaction). */
export async function execSql(db: Kysely<unknown>, text: string): Promise<void> {
  const statements = text
    .replace(/--[^\n]*/g, '')
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  for (const statement of statements) await sql.raw(statement).execute(db);
}
