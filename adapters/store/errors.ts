import type Database from 'better-sqlite3';
import { BotError } from '../../bot/errors.js';
import { mapPgError } from '../postgres/errors.js';
import { mapSqliteError } from '../sqlite/errors.js';

// Driver failures are mapped once, here, for both databases: a broken constraint (a duplicate id) is the
// caller's conflict; corruption stops the bot (SQLite); everything else is store_unavailable naming the
// database (never credentials). The driver-specific details stay in sqlite/errors.ts and postgres/errors.ts.

const codeOf = (error: unknown): string =>
  typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string'
    ? (error as { code: string }).code
    : '';

const conflict = (error: unknown, where: string): BotError =>
  new BotError('conflict', `${where}: ${error instanceof Error ? error.message : String(error)}`, {
    cause: error,
  });

/** True when the driver refused a write for a constraint (unique, check, not null). */
export const isConstraintError = (error: unknown): boolean => {
  const code = codeOf(error);
  return code.startsWith('SQLITE_CONSTRAINT') || /^23\d{3}$/.test(code);
};

/** The SQLite mapping for one open file. */
export const sqliteErrors =
  (file: string, db: Database.Database) =>
  (error: unknown): unknown =>
    error instanceof BotError
      ? error
      : isConstraintError(error)
        ? conflict(error, `SQLite database ${file}`)
        : mapSqliteError(error, file, db);

/** The PostgreSQL mapping for one server (host:port/database). */
export const postgresErrors =
  (target: string) =>
  (error: unknown): unknown =>
    error instanceof BotError
      ? error
      : isConstraintError(error)
        ? conflict(error, `PostgreSQL at ${target}`)
        : mapPgError(error, target);
