import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import type { KnownClassification, KnownDetermination } from '../../bot/domain/enums.js';
import type { ResponseAction } from '../../bot/domain/incident.js';
import type { Logger } from '../../bot/ports.js';
import type { ActionOutcome } from './simulated-source.js';

// The console's hand-made changes to the simulation, kept in DATA_DIR one JSON line each, so a restarted
// process replays them at the same step and time as the first run did and reaches the very same world.

/** One change made through SimulationControl (or the guided-response write path), as it is replayed. */
export type JournalOp =
  | { readonly op: 'step' }
  | { readonly op: 'pause'; readonly paused: boolean }
  | { readonly op: 'create'; readonly customerId: string }
  | {
      readonly op: 'start';
      readonly customerId: string;
      readonly incidentId: string;
      readonly expert: string;
    }
  | {
      readonly op: 'classify';
      readonly customerId: string;
      readonly incidentId: string;
      readonly classification: KnownClassification;
      readonly determination: KnownDetermination;
      readonly summary: string;
    }
  | {
      readonly op: 'handoff';
      readonly customerId: string;
      readonly incidentId: string;
      readonly actions: readonly ResponseAction[] | null;
    }
  | {
      readonly op: 'resolve';
      readonly customerId: string;
      readonly incidentId: string;
      readonly comment: string;
    }
  | {
      readonly op: 'comment';
      readonly customerId: string;
      readonly incidentId: string;
      readonly author: string;
      readonly text: string;
    }
  | {
      readonly op: 'outcome';
      readonly customerId: string;
      readonly incidentId: string;
      readonly actionId: string;
      readonly outcome: ActionOutcome;
      readonly by: string;
      readonly note: string | null;
    };

/** A journalled change: after how many timer steps it happened, and at what time (ms since epoch). */
export type JournalEntry = JournalOp & { readonly step: number; readonly atMs: number };

const OPS = new Set([
  'step',
  'pause',
  'create',
  'start',
  'classify',
  'handoff',
  'resolve',
  'comment',
  'outcome',
]);

function valid(value: unknown): value is JournalEntry {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.op === 'string' &&
    OPS.has(v.op) &&
    Number.isInteger(v.step) &&
    (v.step as number) >= 0 &&
    Number.isFinite(v.atMs) &&
    (v.op === 'step' || v.op === 'pause' || typeof v.customerId === 'string')
  );
}

/** Reads the journal; a torn last line (a crash mid-write) is skipped with a warning, never fatal. */
export function readJournal(file: string, logger: Logger): JournalEntry[] {
  if (!existsSync(file)) return [];
  const entries: JournalEntry[] = [];
  let skipped = 0;
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    try {
      const parsed: unknown = JSON.parse(line);
      if (valid(parsed)) {
        entries.push(parsed);
        return;
      }
    } catch {
      // reported below
    }
    skipped += 1;
    logger.warn({ file, line: index + 1 }, 'simulation journal: skipped an unreadable line');
  });
  // Rewrite without the bad lines, so the next append never joins a torn line.
  if (skipped > 0) {
    const tmp = `${file}.tmp`;
    writeFileSync(tmp, entries.map((e) => `${JSON.stringify(e)}\n`).join(''), { mode: 0o600 });
    renameSync(tmp, file);
  }
  return entries;
}

/** Appends one entry and flushes it to disk before the change is reported as done. */
export function appendJournal(file: string, entry: JournalEntry): void {
  mkdirSync(dirname(file), { recursive: true });
  const fd = openSync(file, 'a', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(entry)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Forgets the journal (the world starts from a new anchor, so the old changes no longer apply). */
export function clearJournal(file: string): void {
  rmSync(file, { force: true });
}
