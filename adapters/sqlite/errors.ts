import Database from 'better-sqlite3';
import { BotError, StoreCorruptError } from '../../bot/errors.js';

// Driver failures are mapped here, once (no driver error past the edge): corruption stops the bot with a message
// that names the file and the way out; anything else is "store unavailable" for /readyz and the hook.

/** The operator's way out of a broken database file, appended to every corruption message. */
export function corruptMessage(file: string, reason: string): string {
  return (
    `SQLite database ${file} cannot be used: ${reason}. The bot does not recreate or overwrite it. ` +
    `Restore it from a backup, or move it aside (for example to ${file}.corrupt) to start with an empty database.`
  );
}

/** The file was written by a newer build: running older code on it could corrupt data, so start-up stops. */
export class SchemaTooNewError extends BotError {
  readonly found: number;
  readonly known: number;
  constructor(file: string, found: number, known: number) {
    super(
      'store_unavailable',
      `SQLite database ${file} has schema version ${found}, but this build of defender-experts-bot knows ` +
        `versions up to ${known}: it was written by a newer version. Run that newer version, or restore a ` +
        'backup made by this version.',
    );
    this.name = 'SchemaTooNewError';
    this.found = found;
    this.known = known;
  }
}

const CORRUPT_CODES = new Set([
  'SQLITE_CORRUPT',
  'SQLITE_NOTADB',
  'SQLITE_CORRUPT_INDEX',
  'SQLITE_CORRUPT_SEQUENCE',
]);

/** True for driver errors that mean the file's content is damaged (not merely busy or closed). */
export function isCorruption(error: unknown): boolean {
  return (
    error instanceof Database.SqliteError &&
    (CORRUPT_CODES.has(error.code) || error.code.startsWith('SQLITE_CORRUPT'))
  );
}

/** Turns a driver error into the bot's error vocabulary; our own BotErrors and programming errors pass. */
export function mapSqliteError(error: unknown, file: string, db: Database.Database): unknown {
  if (error instanceof BotError) return error;
  if (isCorruption(error)) {
    const message = error instanceof Error ? error.message : String(error);
    return new StoreCorruptError(corruptMessage(file, message), { cause: error });
  }
  if (error instanceof Database.SqliteError) {
    return new BotError('store_unavailable', `SQLite database ${file}: ${error.message}`, { cause: error });
  }
  if (!db.open) {
    return new BotError('store_unavailable', `SQLite database ${file} is closed`, { cause: error });
  }
  return error;
}
