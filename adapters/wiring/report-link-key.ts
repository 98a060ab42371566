import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  existsSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../bot/ports.js';

// The embedded default's report-link signing key when REPORT_LINK_SECRET is unset: made once and kept in
// DATA_DIR (mode 0600), so links already posted in a channel keep working after a restart. Only one
// process can use it: replicas have their own DATA_DIR, so they must share REPORT_LINK_SECRET instead.

/** The key file's name inside DATA_DIR. */
export const REPORT_LINK_KEY_FILE = 'report-link.key';

const MIN_LENGTH = 32;

function readKey(file: string): string | null {
  if (!existsSync(file)) return null;
  const key = readFileSync(file, 'utf8').trim();
  return key.length >= MIN_LENGTH ? key : null;
}

/** Writes a fresh key beside the file and links it into place: two starting processes agree on one key. */
function createKey(file: string): void {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, `${randomBytes(32).toString('base64url')}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** A random key kept in DATA_DIR under `name` (mode 0600), created on first use; never logged. */
export function keptKey(dataDir: string, name: string): { readonly key: string; readonly created: boolean } {
  const file = join(dataDir, name);
  mkdirSync(dataDir, { recursive: true });
  let key = readKey(file);
  const created = key === null;
  if (key === null) {
    // An empty or short file (a crash mid-write) is replaced, never used.
    if (existsSync(file)) rmSync(file, { force: true });
    createKey(file);
    key = readKey(file);
    if (key === null) throw new Error(`could not keep a key in ${file}`);
  }
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  return { key, created };
}

/** Returns the kept report-link key, creating it on first use; the key itself is never logged. */
export function reportLinkKey(dataDir: string, logger: Logger): string {
  const { key, created } = keptKey(dataDir, REPORT_LINK_KEY_FILE);
  logger.info(
    { file: join(dataDir, REPORT_LINK_KEY_FILE), created },
    'REPORT_LINK_SECRET unset: report links are signed with a key kept in DATA_DIR, so they survive a restart; several replicas need REPORT_LINK_SECRET set to one shared value',
  );
  return key;
}
