import type Database from 'better-sqlite3';
import type pg from 'pg';

// A normalized description of what a database's schema is, to compare two databases (or one with a committed
// fixture) without caring how the DDL was spelled: tables, columns (type, nullability, default, collation),
// primary keys, unique constraints, checks, indexes with their partial WHERE, SQLite's STRICT and
// AUTOINCREMENT, plus the bookkeeping a build reads on open (step names, user_version, the legacy fence).
// Columns are keyed by name: their position is not part of the schema any query relies on.

export interface ColumnDescription {
  readonly type: string;
  readonly notNull: boolean;
  readonly default: string | null;
  readonly collation?: string | null;
}

export interface TableDescription {
  readonly columns: Record<string, ColumnDescription>;
  readonly primaryKey: string[];
  readonly uniques: string[];
  readonly checks: string[];
  /** Index name → its definition (normalized SQL), not counting those of the key and unique constraints. */
  readonly indexes: Record<string, string>;
  readonly strict?: boolean;
  readonly autoincrement?: boolean;
}

export interface SchemaDescription {
  readonly tables: Record<string, TableDescription>;
  /** kysely_migration_<feature> → the step names recorded there, sorted. */
  readonly steps: Record<string, string[]>;
  /** What the builds before the feature migrator read: SQLite's header fields, PostgreSQL's schema_migrations. */
  readonly legacy: Record<string, unknown>;
}

const squash = (text: string): string =>
  text.replace(/\s+/g, ' ').replace(/\( /g, '(').replace(/ \)/g, ')').trim();
const sorted = <T>(record: Record<string, T>): Record<string, T> =>
  Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** The CHECK (…) expressions of a CREATE TABLE statement, parentheses balanced. */
function checksOf(createSql: string): string[] {
  const out: string[] = [];
  const re = /\bCHECK\s*\(/gi;
  for (let m = re.exec(createSql); m !== null; m = re.exec(createSql)) {
    let depth = 1;
    let i = m.index + m[0].length;
    for (; i < createSql.length && depth > 0; i++)
      depth += createSql[i] === '(' ? 1 : createSql[i] === ')' ? -1 : 0;
    out.push(squash(createSql.slice(m.index + m[0].length, i - 1)));
  }
  return out.sort();
}

function steps(tables: string[], names: (table: string) => string[]): Record<string, string[]> {
  return sorted(
    Object.fromEntries(
      tables.filter((t) => /^kysely_migration_(?!lock$)/.test(t)).map((t) => [t, names(t).sort()]),
    ),
  );
}

export function describeSqlite(db: Database.Database): SchemaDescription {
  const list = db
    .prepare("SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND type = 'table'")
    .all() as { name: string; strict: number }[];
  const tables: Record<string, TableDescription> = {};
  for (const { name, strict } of list.filter((t) => !t.name.startsWith('sqlite_'))) {
    const createSql = (
      db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) as {
        sql: string;
      }
    ).sql;
    const info = db.prepare('SELECT * FROM pragma_table_info(?)').all(name) as {
      name: string;
      type: string;
      notnull: number;
      dflt_value: string | null;
      pk: number;
    }[];
    const indexList = db.prepare('SELECT * FROM pragma_index_list(?)').all(name) as {
      name: string;
      origin: string;
    }[];
    const indexColumns = (index: string): string =>
      (db.prepare('SELECT name FROM pragma_index_info(?) ORDER BY seqno').all(index) as { name: string }[])
        .map((c) => c.name)
        .join(', ');
    const indexes: Record<string, string> = {};
    for (const index of indexList.filter((i) => i.origin === 'c')) {
      const row = db
        .prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?")
        .get(index.name) as {
        sql: string;
      };
      indexes[index.name] = squash(row.sql);
    }
    tables[name] = {
      columns: sorted(
        Object.fromEntries(
          info.map((c) => [
            c.name,
            { type: c.type.toLowerCase(), notNull: c.notnull === 1, default: c.dflt_value },
          ]),
        ),
      ),
      primaryKey: info
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name),
      uniques: indexList
        .filter((i) => i.origin === 'u')
        .map((i) => indexColumns(i.name))
        .sort(),
      checks: checksOf(createSql),
      indexes: sorted(indexes),
      strict: strict === 1,
      autoincrement: /\bAUTOINCREMENT\b/i.test(createSql),
    };
  }
  const names = (t: string): string[] =>
    (db.prepare(`SELECT name FROM "${t}"`).all() as { name: string }[]).map((r) => r.name);
  return {
    tables: sorted(tables),
    steps: steps(Object.keys(tables), names),
    legacy: {
      application_id: db.pragma('application_id', { simple: true }),
      user_version: db.pragma('user_version', { simple: true }),
    },
  };
}

export async function describePostgres(client: pg.Client, schema: string): Promise<SchemaDescription> {
  const unqualify = (text: string): string => squash(text.replaceAll(`${schema}.`, ''));
  const columns = await client.query<{
    table_name: string;
    column_name: string;
    data_type: string;
    is_nullable: string;
    column_default: string | null;
    collation_name: string | null;
  }>(
    `SELECT table_name, column_name, data_type, is_nullable, column_default, collation_name
       FROM information_schema.columns WHERE table_schema = $1`,
    [schema],
  );
  const constraints = await client.query<{ table_name: string; contype: string; name: string; def: string }>(
    `SELECT c.relname AS table_name, k.contype, k.conname AS name, pg_get_constraintdef(k.oid) AS def
       FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1`,
    [schema],
  );
  const indexes = await client.query<{ tablename: string; indexname: string; indexdef: string }>(
    `SELECT i.tablename, i.indexname, i.indexdef FROM pg_indexes i
      WHERE i.schemaname = $1 AND NOT EXISTS (
        SELECT 1 FROM pg_constraint k JOIN pg_class x ON x.oid = k.conindid
          JOIN pg_namespace n ON n.oid = x.relnamespace WHERE x.relname = i.indexname AND n.nspname = $1)`,
    [schema],
  );
  const tables: Record<string, TableDescription> = {};
  const table = (name: string): TableDescription => {
    tables[name] ??= { columns: {}, primaryKey: [], uniques: [], checks: [], indexes: {} };
    return tables[name];
  };
  for (const c of columns.rows) {
    table(c.table_name).columns[c.column_name] = {
      type: c.data_type,
      notNull: c.is_nullable === 'NO',
      default: c.column_default === null ? null : unqualify(c.column_default),
      collation: c.collation_name,
    };
  }
  for (const k of constraints.rows) {
    const t = table(k.table_name);
    const cols = (/\((.*)\)/.exec(k.def)?.[1] ?? '').split(', ');
    if (k.contype === 'p') t.primaryKey.push(...cols);
    else if (k.contype === 'u') t.uniques.push(`${k.name}: ${k.def}`);
    else t.checks.push(`${k.name}: ${k.def}`);
  }
  for (const i of indexes.rows) table(i.tablename).indexes[i.indexname] = unqualify(i.indexdef);
  for (const [name, t] of Object.entries(tables)) {
    tables[name] = {
      ...t,
      columns: sorted(t.columns),
      uniques: t.uniques.sort(),
      checks: t.checks.sort(),
      indexes: sorted(t.indexes),
    };
  }
  const recorded: Record<string, string[]> = {};
  for (const t of Object.keys(tables).filter((x) => /^kysely_migration_(?!lock$)/.test(x))) {
    recorded[t] = (await client.query<{ name: string }>(`SELECT name FROM "${schema}"."${t}"`)).rows.map(
      (r) => r.name,
    );
  }
  const fence = Object.hasOwn(tables, 'schema_migrations')
    ? (
        await client.query<{ version: number }>(
          `SELECT version FROM "${schema}".schema_migrations ORDER BY 1`,
        )
      ).rows
    : [];
  return {
    tables: sorted(tables),
    steps: steps(Object.keys(tables), (t) => recorded[t] ?? []),
    legacy: { schema_migrations: fence.map((r) => r.version) },
  };
}
