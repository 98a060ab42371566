import Database from 'better-sqlite3';
import { BotError, StoreCorruptError } from '../../bot/errors.js';

// Driver failures are mapped here, once, for both databases (no driver error past the edge): a broken
// constraint (a duplicate id) is the caller's conflict; SQLite corruption stops the bot with a message that
// names the file and the way out; anything else is store_unavailable naming the database — never credentials.

/** The operator's way out of a broken database file, appended to every corruption message. */
export function corruptMessage(file: string, reason: string): string {
  return (
    `SQLite database ${file} cannot be used: ${reason}. The bot does not recreate or overwrite it. ` +
    `Restore it from a backup, or move it aside (for example to ${file}.corrupt) to start with an empty database.`
  );
}

/** The database was written by a newer build: running older code on it could corrupt data, so start-up stops. */
export class SchemaTooNewError extends BotError {
  constructor(
    label: string,
    readonly found: number,
    readonly known: number,
  ) {
    super(
      'store_unavailable',
      `Database ${label} has schema version ${found}, but this build of defender-experts-bot knows ` +
        `versions up to ${known}: it was written by a newer version. Run that newer version, or restore a ` +
        'backup made by this version.',
    );
    this.name = 'SchemaTooNewError';
  }
}

/** A save carrying a stale poller fence: another instance took over this customer's polling. */
export class FencedOffError extends BotError {
  constructor(customerId: string, held: number, current: number) {
    super(
      'conflict',
      `poller fence ${held} for customer ${customerId} is stale (current ${current}): another instance took over its polling`,
    );
    this.name = 'FencedOffError';
  }
}

const codeOf = (error: unknown): string => {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' ? code : '';
};
const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
const unavailable = (message: string, cause: unknown): BotError =>
  new BotError('store_unavailable', message, { cause });

/** True when the driver refused a write for a constraint (unique, check, not null). */
export const isConstraintError = (error: unknown): boolean => {
  const code = codeOf(error);
  return code.startsWith('SQLITE_CONSTRAINT') || /^23\d{3}$/.test(code);
};

/** True for SQLite errors that mean the file's content is damaged (not merely busy or closed). */
export const isCorruption = (error: unknown): boolean =>
  error instanceof Database.SqliteError &&
  (error.code === 'SQLITE_NOTADB' || error.code.startsWith('SQLITE_CORRUPT'));

/**
 * A SQLite failure for `file`; our own BotErrors pass. While opening (`existed` says whether the file was
 * there before) every failure is mapped; afterwards programming errors pass unless the database is closed.
 */
export function mapSqliteError(
  error: unknown,
  file: string,
  state: { readonly open: boolean } | { readonly existed: boolean },
): unknown {
  if (error instanceof BotError) return error;
  const message = messageOf(error);
  if (isConstraintError(error)) {
    return new BotError('conflict', `SQLite database ${file}: ${message}`, { cause: error });
  }
  if (isCorruption(error)) return new StoreCorruptError(corruptMessage(file, message), { cause: error });
  const code = codeOf(error);
  if ('existed' in state) {
    if (code.startsWith('SQLITE_READONLY')) {
      return unavailable(`SQLite database ${file} is read-only (${message}): make it writable.`, error);
    }
    if (state.existed && /^SQLITE_(CANTOPEN|IOERR|PERM|AUTH)/.test(code)) {
      const reason = `it cannot be read (${message}); if it is intact, check its owner and permissions`;
      return new StoreCorruptError(corruptMessage(file, reason), { cause: error });
    }
    return unavailable(`cannot open SQLite database ${file}: ${message}`, error);
  }
  if (error instanceof Database.SqliteError) return unavailable(`SQLite database ${file}: ${message}`, error);
  if (!state.open) return unavailable(`SQLite database ${file} is closed`, error);
  return error;
}

/** "host:port/database" from a connection string, safe to log (no user, no password, no query). */
export function describeTarget(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || '(default database)';
    return `${url.hostname || 'localhost'}:${url.port || '5432'}/${database}`;
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}

const UNREACHABLE = /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|EHOSTUNREACH)$/;
const CLOSED_BY_US = /after calling end on the pool|driver has already been destroyed/i;
const CONNECTION_LOST =
  /Connection terminated|Client was closed|not queryable|Query read timeout|connection timeout/i;

/** What went wrong with PostgreSQL, in one line an operator can act on. */
function pgReason(code: string, message: string, target: string): string {
  if (UNREACHABLE.test(code)) {
    return `cannot reach PostgreSQL at ${target} (${code}): is the server running and DATABASE_URL right?`;
  }
  if (code === '28P01' || code === '28000') return `PostgreSQL at ${target} refused the login: ${message}`;
  if (code === '3D000') return `PostgreSQL at ${target}: ${message} — create the database first`;
  if (code.startsWith('57P') || code.startsWith('08')) {
    return `PostgreSQL at ${target} closed the connection (${code}): ${message}`;
  }
  // Only our own close() ends the pool; a client that "was closed" lost its connection (server restart,
  // network drop, our timeouts) and the next query gets a fresh one: say so, do not call the store closed.
  if (CLOSED_BY_US.test(message)) return `PostgreSQL store for ${target} is closed`;
  if (CONNECTION_LOST.test(message)) {
    return `lost the connection to PostgreSQL at ${target} (${message}): is the server up and reachable? the next request reconnects`;
  }
  return `PostgreSQL at ${target}: ${message}${code ? ` (${code})` : ''}`;
}

/**
 * Any pg driver error for one server (host:port/database): a broken constraint is a conflict, the rest
 * store_unavailable naming the server; our BotErrors and programming errors pass.
 */
export function mapPgError(error: unknown, target: string): unknown {
  if (error instanceof BotError || error instanceof TypeError || error instanceof RangeError) return error;
  const message = messageOf(error);
  if (isConstraintError(error)) {
    return new BotError('conflict', `PostgreSQL at ${target}: ${message}`, { cause: error });
  }
  return unavailable(pgReason(codeOf(error), message, target), error);
}
