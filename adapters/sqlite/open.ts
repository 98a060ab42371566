import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { BotError, StoreCorruptError } from '../../bot/errors.js';
import type { Logger } from '../../bot/ports.js';
import { corruptMessage, mapSqliteError } from '../store/errors.js';

/** Marks the file as ours (PRAGMA application_id, "DEEX") so a foreign SQLite file is never migrated. */
export const APPLICATION_ID = 0x44454558;

// Opening is where a damaged or foreign file must be caught: every check here reads only, and runs
// before the first statement that writes (journal_mode=WAL, migrations), so a bad file is left as it was.
// The schema itself is the migrator's (adapters/store/migrator.ts), which refuses a newer file before writing.

export interface OpenOptions {
  readonly logger?: Logger;
  readonly busyTimeoutMs?: number;
}

/** Default for an optional logger, so adapters never branch on its presence. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** True when the path exists; an entry that is not a regular file, or cannot be inspected, is refused. */
function vetLocation(file: string): boolean {
  let stats: ReturnType<typeof statSync>;
  try {
    stats = statSync(file, { throwIfNoEntry: false });
  } catch (error) {
    const reason = `it cannot be inspected (${String(error)})`;
    throw new StoreCorruptError(corruptMessage(file, reason), { cause: error });
  }
  if (stats === undefined) return false;
  if (!stats.isFile()) throw new StoreCorruptError(corruptMessage(file, 'the path is not a regular file'));
  return true;
}

function prepareDirectory(file: string): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
  } catch (error) {
    throw new BotError(
      'store_unavailable',
      `cannot create the directory for SQLite database ${file}: ${String(error)}. Set DATA_DIR to a writable directory.`,
      { cause: error },
    );
  }
}

function checkIntegrity(db: Database.Database, file: string): void {
  const rows = db.pragma('quick_check') as { quick_check: string }[];
  const problems = rows.map((r) => r.quick_check).filter((p) => p !== 'ok');
  if (problems.length > 0) {
    const reason = `integrity check failed: ${problems.slice(0, 5).join('; ')}`;
    throw new StoreCorruptError(corruptMessage(file, reason));
  }
}

function checkOwnership(db: Database.Database, file: string): void {
  const appId = db.pragma('application_id', { simple: true }) as number;
  if (appId === APPLICATION_ID) return;
  const objects = db.prepare('SELECT count(*) AS n FROM sqlite_master').get() as { n: number };
  const version = db.pragma('user_version', { simple: true }) as number;
  if (appId === 0 && version === 0 && objects.n === 0) return; // a new, empty database
  const reason = `it is not a defender-experts-bot database (application_id ${appId}, ${objects.n} objects)`;
  throw new StoreCorruptError(corruptMessage(file, reason));
}

/**
 * Opens (creating if absent) the bot's SQLite database, verifies it and sets the connection up (WAL,
 * synchronous=FULL, foreign keys). Throws StoreCorruptError for a damaged, unreadable or foreign file.
 */
export function openSqliteDatabase(file: string, options: OpenOptions = {}): Database.Database {
  const logger = options.logger ?? silentLogger;
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  const inMemory = file === ':memory:' || file === '';
  const existed = !inMemory && vetLocation(file);
  if (!inMemory && !existed) prepareDirectory(file);

  let db: Database.Database;
  try {
    db = new Database(file, { timeout: busyTimeoutMs });
  } catch (error) {
    throw mapSqliteError(error, file, { existed });
  }
  try {
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    // Read-only checks first: nothing below this block may run against a file we have not vetted.
    checkIntegrity(db, file);
    checkOwnership(db, file);

    const journalMode = db.pragma('journal_mode = WAL', { simple: true });
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    logger.info({ file, journalMode }, 'sqlite store open');
    return db;
  } catch (error) {
    db.close();
    throw mapSqliteError(error, file, { existed });
  }
}
