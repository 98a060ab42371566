import { type Kysely, sql } from 'kysely';
import {
  type AnyTable,
  columnSql,
  conversionSql,
  createIndexSql,
  createTableSql,
  type DialectName,
  pick,
} from './declare.js';

// Brings declared tables (declare.ts) to their declaration on an open database: what is missing is created,
// and PostgreSQL's old text and smallint columns get their declared type in place. Run by migrator.ts inside
// its transaction; running it again changes nothing.

/** True when a table or index `name` exists in the store's own schema (PostgreSQL: current_schema()). */
export async function relationExists(
  db: Kysely<unknown>,
  dialect: DialectName,
  name: string,
): Promise<boolean> {
  const query =
    dialect === 'postgres'
      ? sql`SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = current_schema() AND c.relname = ${name}`
      : sql`SELECT 1 FROM sqlite_master WHERE name = ${name}`;
  return (await query.execute(db)).rows.length > 0;
}

/** Each existing column's type (PostgreSQL: information_schema's data_type); empty when there is no table. */
async function columnTypes(
  db: Kysely<unknown>,
  dialect: DialectName,
  table: string,
): Promise<Map<string, string>> {
  const query =
    dialect === 'postgres'
      ? sql<{ name: string; type: string }>`SELECT column_name AS name, data_type AS type
          FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ${table}`
      : sql<{ name: string; type: string }>`SELECT name, type FROM pragma_table_info(${table}, 'main')`;
  return new Map((await query.execute(db)).rows.map((c) => [c.name, c.type]));
}

/**
 * Brings the tables to their declaration. Returns the statements it ran (none when all was there), and
 * whether none of the tables existed before (a fresh database: there is no data for a named step to move).
 */
export async function reconcile(
  db: Kysely<unknown>,
  dialect: DialectName,
  tables: Readonly<Record<string, AnyTable>>,
): Promise<{ statements: string[]; fresh: boolean }> {
  const ran: string[] = [];
  let fresh = true;
  const run = async (statement: string): Promise<void> => {
    await sql.raw(statement).execute(db);
    ran.push(statement);
  };
  for (const [name, t] of Object.entries(tables)) {
    if ((t.only ?? dialect) !== dialect) continue;
    const existing = await columnTypes(db, dialect, name);
    if (existing.size === 0) await run(createTableSql(name, t, dialect));
    else fresh = false;
    const conversions: string[] = [];
    for (const [column, { spec }] of Object.entries(t.columns)) {
      const type = existing.get(column);
      if (existing.size > 0 && type === undefined) {
        await run(`ALTER TABLE ${name} ADD COLUMN ${columnSql(column, spec, dialect)}`);
      } else if (type !== undefined && dialect === 'postgres') {
        const conversion = conversionSql(column, spec, type);
        if (conversion !== undefined) conversions.push(conversion);
      }
    }
    if (conversions.length > 0) await run(`ALTER TABLE ${name} ${conversions.join(', ')}`);
    for (const [index, declared] of Object.entries(t.indexes ?? {})) {
      const spec = pick(declared, dialect);
      if (spec !== undefined && !(await relationExists(db, dialect, index))) {
        await run(createIndexSql(name, index, spec));
      }
    }
  }
  return { statements: ran, fresh };
}
