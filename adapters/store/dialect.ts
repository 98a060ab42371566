// What really differs between the two databases, in one place. Feature stores write their queries once with
// Kysely and pass values through these codecs; nothing else in a store may branch on the dialect, except the
// few modules that do what only PostgreSQL can (FOR UPDATE SKIP LOCKED, advisory locks, lanes).

/** A stored instant: ISO text in SQLite, timestamptz (a Date from the driver) in PostgreSQL. */
export type DbTimestamp = string | Date;
/** A stored JSON value: text in SQLite, jsonb in PostgreSQL (parsed by the driver on the way out). */
export type DbJson = string | object;
/** A stored flag: 0/1 in SQLite, boolean in PostgreSQL. */
export type DbBool = number | boolean;
/** A stored 64-bit integer: a number from SQLite, text from pg (int8 and count(*) come back as text). */
export type DbInt = number | string | bigint;

export interface Dialect {
  readonly name: 'sqlite' | 'postgres';
  /** An ISO instant (or Date) for a timestamp column. */
  timestamp(value: string | Date): DbTimestamp;
  /** A timestamp column back to ISO text ("…T…Z" with milliseconds). */
  readTimestamp(value: DbTimestamp): string;
  readTimestamp(value: DbTimestamp | null): string | null;
  /** Any JSON-able value for a json column (always sent as text; PostgreSQL casts it to jsonb). */
  json(value: unknown): string;
  /** A json column back to a value. */
  readJson<T>(value: DbJson): T;
  /** A flag for a boolean column. */
  bool(value: boolean): DbBool;
  /** A boolean column back to a flag. */
  readBool(value: DbBool): boolean;
  /** An integer column or aggregate back to a number (ids, counts and epoch milliseconds fit a double). */
  readInt(value: DbInt): number;
}

const common = {
  json: (value: unknown) => JSON.stringify(value),
  readBool: (value: DbBool) => value === 1 || value === true,
  readInt: (value: DbInt) => (typeof value === 'number' ? value : Number(value)),
};

export const sqliteDialect: Dialect = {
  ...common,
  name: 'sqlite',
  timestamp: (value) => (typeof value === 'string' ? value : value.toISOString()),
  readTimestamp: ((value: DbTimestamp | null) =>
    value === null || typeof value === 'string' ? value : value.toISOString()) as Dialect['readTimestamp'],
  readJson: <T>(value: DbJson): T => (typeof value === 'string' ? JSON.parse(value) : value) as T,
  bool: (value) => (value ? 1 : 0),
};

export const postgresDialect: Dialect = {
  ...common,
  name: 'postgres',
  // A Date: the driver sends it with its offset, so the column holds the instant whatever the session zone.
  timestamp: (value) => (typeof value === 'string' ? new Date(value) : value),
  readTimestamp: ((value: DbTimestamp | null) =>
    value === null ? null : new Date(value).toISOString()) as Dialect['readTimestamp'],
  readJson: <T>(value: DbJson): T => value as T,
  bool: (value) => value,
};
