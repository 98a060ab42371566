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

const isInMemory = (file: string): boolean => file === ':memory:' || file === '';

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

function checkIntegrity(db: Database.Database, file: string, schema = 'main'): void {
  const rows = db.pragma(`${schema}.quick_check`) as { quick_check: string }[];
  const problems = rows.map((r) => r.quick_check).filter((p) => p !== 'ok');
  if (problems.length > 0) {
    const reason = `integrity check failed: ${problems.slice(0, 5).join('; ')}`;
    throw new StoreCorruptError(corruptMessage(file, reason));
  }
}

function checkOwnership(db: Database.Database, file: string, schema = 'main'): void {
  const appId = db.pragma(`${schema}.application_id`, { simple: true }) as number;
  if (appId === APPLICATION_ID) return;
  const objects = db.prepare(`SELECT count(*) AS n FROM ${schema}.sqlite_master`).get() as { n: number };
  const version = db.pragma(`${schema}.user_version`, { simple: true }) as number;
  if (appId === 0 && version === 0 && objects.n === 0) return; // a new, empty database
  const reason = `it is not a defender-experts-bot database (application_id ${appId}, ${objects.n} objects)`;
  throw new StoreCorruptError(corruptMessage(file, reason));
}

/** The file beside the main one that holds the idempotency claims. */
export const claimsFileOf = (file: string): string => (isInMemory(file) ? ':memory:' : `${file}-claims`);

/**
 * Idempotency claims are taken on every chat turn; with synchronous=FULL each would wait for an fsync on
 * the event loop. They live in a file of their own, attached as `claims`, in WAL with synchronous=NORMAL:
 * a commit there waits for no flush and survives a process crash (what redelivery dedup needs), while a
 * power loss can forget the last claims. The main file keeps synchronous=FULL for everything else.
 * The file is vetted like the main one before anything is written to it.
 */
function attachClaims(db: Database.Database, file: string): void {
  const path = claimsFileOf(file);
  const existed = !isInMemory(path) && vetLocation(path);
  try {
    db.prepare('ATTACH DATABASE ? AS claims').run(path);
    checkIntegrity(db, path, 'claims');
    checkOwnership(db, path, 'claims');
    db.pragma('claims.journal_mode = WAL');
    db.pragma('claims.synchronous = NORMAL');
    if (db.pragma('claims.application_id', { simple: true }) !== APPLICATION_ID) {
      db.pragma(`claims.application_id = ${APPLICATION_ID}`);
    }
    db.exec(`CREATE TABLE IF NOT EXISTS claims.claims (
        key        TEXT    NOT NULL PRIMARY KEY,
        expires_at INTEGER NOT NULL  -- epoch milliseconds
      ) STRICT;
      CREATE INDEX IF NOT EXISTS claims.claims_expiry ON claims (expires_at);`);
  } catch (error) {
    throw mapSqliteError(error, path, { existed });
  }
}

/**
 * Opens (creating if absent) the bot's SQLite database, verifies it and sets the connection up (WAL,
 * synchronous=FULL, foreign keys) with the claims file attached. Throws StoreCorruptError for a damaged, unreadable or foreign file.
 */
const CACHE_KIB = 64 * 1024;
const MMAP_BYTES = 256 * 1024 * 1024;

export function openSqliteDatabase(file: string, options: OpenOptions = {}): Database.Database {
  const logger = options.logger ?? silentLogger;
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  const existed = !isInMemory(file) && vetLocation(file);
  if (!isInMemory(file) && !existed) prepareDirectory(file);

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
    // The incident mirror is read on every list: keep up to 64 MiB of it in the page cache and map up to
    // 256 MiB of the file, so 100,000 incidents are answered from memory (SQLite's defaults: 2 MiB, none).
    db.pragma(`cache_size = -${CACHE_KIB}`);
    db.pragma(`mmap_size = ${MMAP_BYTES}`);
    attachClaims(db, file);
    logger.info({ file, journalMode }, 'sqlite store open');
    return db;
  } catch (error) {
    db.close();
    throw mapSqliteError(error, file, { existed });
  }
}
