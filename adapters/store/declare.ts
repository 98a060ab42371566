import type { ColumnType } from 'kysely';
import type { DbBool, DbInt, DbJson, DbTimestamp } from './dialect.js';

// Every table is declared once, in a small vocabulary of column kinds. From that one declaration come its DDL
// on either database (reconciled on open, see migrator.ts) and the row type Kysely sees (Rows), so the SQL
// and the TypeScript cannot drift apart.

export type DialectName = 'sqlite' | 'postgres';
/** Something the two databases were given differently (kept so a fresh database matches the older ones). */
export type PerDialect<T> = T | { readonly sqlite?: T; readonly postgres?: T };

// The column kinds and their type on each database. `key` is text compared as bytes on PostgreSQL (ids and
// sort keys must order as they do in SQLite); `serial` is the table's own increasing id.
const TYPES = {
  text: ['TEXT', 'text'],
  key: ['TEXT', 'text COLLATE "C"'],
  int: ['INTEGER', 'integer'],
  smallint: ['INTEGER', 'smallint'],
  int8: ['INTEGER', 'bigint'],
  serial: ['INTEGER PRIMARY KEY AUTOINCREMENT', 'bigserial PRIMARY KEY'],
  bool: ['INTEGER', 'boolean'],
  json: ['TEXT', 'jsonb'],
  timestamp: ['TEXT', 'timestamptz'],
} as const;
type Kind = keyof typeof TYPES;

/** A default: a literal (booleans as 0/1 on SQLite), or an SQL expression. */
type Default = string | number | boolean | { readonly sql: string };

export interface ColumnSpec {
  readonly kind: Kind;
  readonly nullable: boolean;
  readonly default?: Default;
  /** "IN (0, 1)": checked as `CHECK (<column> IN (0, 1))`, on both databases or only on one. */
  readonly check?: { readonly rule: string; readonly only?: DialectName };
  /** SQLite: declared without NOT NULL although it is the primary key (see looseOnSqlite). */
  readonly loose?: boolean;
}

/** A column; S, I, U are what Kysely selects, inserts and updates (only the declaration carries them). */
export class Column<S, I = S, U = S> {
  declare readonly type: ColumnType<S, I, U>;
  constructor(readonly spec: ColumnSpec) {}
  nullable(): Column<S | null, I | null, U | null> {
    return new Column({ ...this.spec, nullable: true });
  }
  /** An insert may leave the column out. */
  default(value: Default): Column<S, I | undefined, U> {
    return new Column({ ...this.spec, default: value });
  }
  check(rule: string, only?: DialectName): Column<S, I, U> {
    return new Column({ ...this.spec, check: { rule, ...(only ? { only } : {}) } });
  }
  /**
   * SQLite lets NULL into a non-STRICT table's TEXT PRIMARY KEY declared without NOT NULL. A few tables were
   * made that way; a fresh database is made the same, so both kinds of database stay one schema.
   */
  looseOnSqlite(): Column<S, I, U> {
    return new Column({ ...this.spec, loose: true });
  }
}

const column = <S, I = S>(kind: Kind) => new Column<S, I, I>({ kind, nullable: false });
export const text = <T extends string = string>() => column<T>('text');
export const key = () => column<string>('key');
export const int = () => column<number>('int');
export const smallint = () => column<number>('smallint');
/** 0 or 1 in a smallint, checked on both databases. */
export const flag = () => smallint().check('IN (0, 1)');
/** Epoch milliseconds and counters; pg reads int8 back as text. */
export const int8 = () => column<DbInt, number>('int8');
export const serial = () => new Column<DbInt, DbInt | undefined, DbInt>({ kind: 'serial', nullable: false });
export const bool = () => column<DbBool>('bool');
/** Written as text (dialect.json); jsonb on PostgreSQL. */
export const json = () => column<DbJson, string>('json');
export const timestamp = () => column<DbTimestamp>('timestamp');

/** Columns named in an index or key, as SQL: "customer_id, last_update_key DESC". */
export type Index = string | { readonly on: string; readonly where?: string; readonly unique?: boolean };

export interface TableOptions {
  readonly primaryKey?: string;
  readonly unique?: readonly PerDialect<string>[];
  readonly indexes?: Readonly<Record<string, PerDialect<Index>>>;
  /** SQLite STRICT: the declared types are enforced. */
  readonly strict?: boolean;
  /** A table only this database has. */
  readonly only?: DialectName;
}

export interface Table<C extends Record<string, Column<unknown, unknown, unknown>>> extends TableOptions {
  readonly columns: C;
}
export type AnyTable = Table<Record<string, Column<unknown, unknown, unknown>>>;

export const table = <C extends Record<string, Column<unknown, unknown, unknown>>>(
  columns: C,
  options: TableOptions = {},
): Table<C> => ({ ...options, columns });

// A column whose three types are the same is written as that type, as a hand-written table would be.
type Plain<S, I, U> = [S, I, U] extends [I, U, S] ? S : ColumnType<S, I, U>;
type RowOf<C> = {
  -readonly [K in keyof C]: C[K] extends Column<unknown, unknown, unknown>
    ? C[K]['type'] extends ColumnType<infer S, infer I, infer U>
      ? Plain<S, I, U>
      : never
    : never;
};
/** The row type Kysely sees for each declared table. */
export type Rows<T> = { -readonly [K in keyof T]: T[K] extends Table<infer C> ? RowOf<C> : never };

export function pick<T>(value: PerDialect<T> | undefined, dialect: DialectName): T | undefined {
  const split = typeof value === 'object' && value !== null && ('sqlite' in value || 'postgres' in value);
  return split ? (value as { sqlite?: T; postgres?: T })[dialect] : (value as T | undefined);
}

function literal(value: Default, dialect: DialectName): string {
  if (typeof value === 'object') return value.sql;
  if (typeof value === 'boolean') return dialect === 'sqlite' ? String(Number(value)) : String(value);
  return typeof value === 'number' ? String(value) : `'${value.replaceAll("'", "''")}'`;
}

/** One column's definition, for CREATE TABLE and ADD COLUMN. */
export function columnSql(name: string, spec: ColumnSpec, dialect: DialectName): string {
  const [sqliteType, postgresType] = TYPES[spec.kind];
  const parts: string[] = [name, dialect === 'sqlite' ? sqliteType : postgresType];
  const notNull = !spec.nullable && spec.kind !== 'serial' && !(spec.loose && dialect === 'sqlite');
  if (notNull) parts.push('NOT NULL');
  if (spec.default !== undefined) parts.push(`DEFAULT ${literal(spec.default, dialect)}`);
  if (spec.check && (spec.check.only ?? dialect) === dialect)
    parts.push(`CHECK (${name} ${spec.check.rule})`);
  return parts.join(' ');
}

export function createTableSql(name: string, t: AnyTable, dialect: DialectName): string {
  const lines = Object.entries(t.columns).map(([c, col]) => columnSql(c, col.spec, dialect));
  if (t.primaryKey !== undefined) lines.push(`PRIMARY KEY (${t.primaryKey})`);
  for (const unique of t.unique ?? []) {
    const columns = pick(unique, dialect);
    if (columns !== undefined) lines.push(`UNIQUE (${columns})`);
  }
  return `CREATE TABLE ${name} (\n  ${lines.join(',\n  ')}\n)${dialect === 'sqlite' && t.strict ? ' STRICT' : ''}`;
}

export function createIndexSql(table: string, name: string, index: Index): string {
  const { on, where, unique } = typeof index === 'string' ? { on: index } : index;
  return `CREATE ${unique ? 'UNIQUE ' : ''}INDEX ${name} ON ${table} (${on})${where ? ` WHERE ${where}` : ''}`;
}

const CONVERTED: Partial<Record<Kind, string>> = {
  json: 'jsonb',
  timestamp: 'timestamp with time zone',
  bool: 'boolean',
};

/**
 * PostgreSQL: a json, timestamp or bool column the old code made as text or smallint (found by its
 * information_schema data_type) is converted in place, keeping every row; a value that does not convert
 * fails the open and its transaction rolls back, the old column as it was.
 */
export function conversionSql(name: string, spec: ColumnSpec, dataType: string): string | undefined {
  const to = CONVERTED[spec.kind];
  if (to === undefined || to === dataType) return undefined;
  const using = spec.kind === 'bool' ? `${name} <> 0` : `${name}::${TYPES[spec.kind][1]}`;
  return `ALTER COLUMN ${name} TYPE ${TYPES[spec.kind][1]} USING ${using}`;
}
