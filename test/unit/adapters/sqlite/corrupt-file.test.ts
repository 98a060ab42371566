import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../../../../adapters/sqlite/sqlite-store.js';
import { StoreCorruptError } from '../../../../bot/errors.js';
import { makeIncident } from '../../../support/make-incident.js';

// A damaged database must stop start-up with a message that names the file and the way out, and must
// never be recreated or overwritten: every case checks the bytes and the directory afterwards.

let dir: string;
let good: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dxb-sqlite-corrupt-'));
  good = join(dir, 'good.sqlite');
  const store = await createSqliteStore({ file: good });
  const incidents = Array.from({ length: 300 }, (_, i) => makeIncident('contoso', { id: String(i + 1) }));
  await store.saveIncidentChanges('contoso', incidents, 'c');
  await store.close(); // checkpoints the WAL into the main file
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** `file` is the damaged one; `opened` the database asked for (the main file beside a damaged claims file). */
async function expectRefusedUnchanged(file: string, opened = file): Promise<StoreCorruptError> {
  const before = statSync(file).isFile() ? readFileSync(file) : null;
  const listing = readdirSync(dir).sort();
  let thrown: unknown;
  try {
    await createSqliteStore({ file: opened });
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(StoreCorruptError);
  const error = thrown as StoreCorruptError;
  expect(error.code).toBe('store_corrupt');
  expect(error.message).toContain(file);
  expect(error.message).toMatch(/restore it from a backup/i);
  expect(error.message).toMatch(/move it aside/i);
  if (before !== null) expect(readFileSync(file).equals(before)).toBe(true);
  expect(readdirSync(dir).sort()).toEqual(listing);
  return error;
}

function copyOfGood(name: string): string {
  const file = join(dir, name);
  copyFileSync(good, file);
  return file;
}

describe('a corrupt or unreadable database file', () => {
  it('random bytes', async () => {
    const file = join(dir, 'random.sqlite');
    writeFileSync(file, randomBytes(16 * 1024));
    expect((await expectRefusedUnchanged(file)).message).toMatch(/not a database/);
  });

  it('a file truncated to half its size', async () => {
    const file = copyOfGood('half.sqlite');
    truncateSync(file, Math.floor(statSync(file).size / 2));
    await expectRefusedUnchanged(file);
  });

  it('a file truncated inside its header', async () => {
    const file = copyOfGood('header.sqlite');
    truncateSync(file, 50);
    await expectRefusedUnchanged(file);
  });

  it('a page overwritten in the middle of the file', async () => {
    const file = copyOfGood('page.sqlite');
    const bytes = readFileSync(file);
    const pageSize = bytes.readUInt16BE(16);
    randomBytes(pageSize).copy(bytes, pageSize * Math.floor(bytes.length / pageSize / 2));
    writeFileSync(file, bytes);
    await expectRefusedUnchanged(file);
  });

  it('a damaged or foreign claims file beside a good database', async () => {
    const file = copyOfGood('with-claims.sqlite');
    writeFileSync(`${file}-claims`, randomBytes(16 * 1024));
    expect((await expectRefusedUnchanged(`${file}-claims`, file)).message).toMatch(/not a database/);
    rmSync(`${file}-claims`);
    const foreign = new Database(`${file}-claims`);
    foreign.exec('CREATE TABLE someone_elses (x)');
    foreign.close();
    expect((await expectRefusedUnchanged(`${file}-claims`, file)).message).toMatch(
      /not a defender-experts-bot/,
    );
  });

  it('a directory where the file should be', async () => {
    const path = join(dir, 'dir.sqlite');
    mkdirSync(path);
    writeFileSync(join(path, 'keep'), 'x');
    expect((await expectRefusedUnchanged(path)).message).toMatch(/not a regular file/);
    expect(readdirSync(path)).toEqual(['keep']);
  });

  // root reads any file regardless of its mode, so this case only means something for other users.
  it.skipIf(process.getuid?.() === 0)('a file without read permission', async () => {
    const file = copyOfGood('noread.sqlite');
    chmodSync(file, 0o200);
    try {
      await expectRefusedUnchanged(file);
    } finally {
      chmodSync(file, 0o600);
    }
  });

  it('the intact original still opens (the cases above are the damage, not the setup)', async () => {
    const store = await createSqliteStore({ file: copyOfGood('intact.sqlite') });
    expect((await store.countByView('contoso')).all).toBe(300);
    await store.close();
  });
});
