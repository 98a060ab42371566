import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Customer } from '../../bot/domain/customer.js';
import type { Clock, Logger } from '../../bot/ports.js';
import { appendJournal, clearJournal, type JournalEntry, type JournalOp, readJournal } from './journal.js';
import { createSimulatedSource, type SimulatedSource } from './simulated-source.js';

// Makes the simulation survive restarts: its world is a pure function of the seed and of how many steps
// have passed since an anchor time kept in DATA_DIR. A restarted process replays the same steps at the same
// virtual times and reaches the same incidents, so the poller sees no false changes and no alert is lost
// or invented across a crash. Changes made by hand from the console (and the guided-response writes) are
// journalled beside the anchor with their step and time and replayed in order, so an id keeps its incident.

export interface AnchoredSimulationOptions {
  readonly customers: readonly Customer[];
  readonly seed: number;
  /** Length of one step; 0 = paused (no anchor: a fresh world each start, stepped only by hand). */
  readonly stepMs: number;
  readonly anchorFile: string;
  /** The journal of hand-made changes (default: simulation-journal.jsonl beside the anchor). */
  readonly journalFile?: string;
  readonly clock: Clock;
  readonly logger: Logger;
  /** A world older than this many steps is started afresh instead of replayed (default 20,000). */
  readonly maxReplaySteps?: number;
}

export interface AnchoredSimulation {
  readonly source: SimulatedSource;
  /** Plays every step that is due by now; returns how many it played. */
  catchUp(): Promise<number>;
  start(): void;
  stop(): void;
}

interface Anchor {
  readonly version: 1;
  readonly seed: number;
  readonly stepMs: number;
  readonly anchorMs: number;
  /** Fresh worlds started in this DATA_DIR before this one (absent in older files: 0). */
  readonly generation?: number;
}

function readAnchor(file: string): Anchor | null {
  if (!existsSync(file)) return null;
  try {
    const a = JSON.parse(readFileSync(file, 'utf8')) as Partial<Anchor>;
    return a.version === 1 &&
      typeof a.seed === 'number' &&
      typeof a.stepMs === 'number' &&
      typeof a.anchorMs === 'number'
      ? (a as Anchor)
      : null;
  } catch {
    return null;
  }
}

const generationOf = (anchor: Anchor): number =>
  Number.isInteger(anchor.generation) && (anchor.generation as number) >= 0
    ? (anchor.generation as number)
    : 0;

function writeAnchor(file: string, anchor: Anchor): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify(anchor));
  renameSync(tmp, file);
}

/** Creates (or resumes) the simulated world and replays it up to now. */
export function createAnchoredSimulation(options: AnchoredSimulationOptions): AnchoredSimulation {
  const { clock, stepMs, seed } = options;
  const now = clock.now().getTime();
  const maxSteps = options.maxReplaySteps ?? 20_000;
  let anchor = stepMs > 0 ? readAnchor(options.anchorFile) : null;
  const usable =
    anchor !== null &&
    anchor.seed === seed &&
    anchor.stepMs === stepMs &&
    anchor.anchorMs <= now &&
    (now - anchor.anchorMs) / stepMs <= maxSteps;
  if (!usable) {
    // The next generation numbers its incidents above the old world's, so an old id never changes meaning.
    const generation = anchor === null ? 0 : generationOf(anchor) + 1;
    if (anchor !== null)
      options.logger.info(
        { file: options.anchorFile, generation },
        'simulation restarted from a new anchor (seed, step or age changed); new incident ids start higher',
      );
    anchor = { version: 1, seed, stepMs, anchorMs: now, generation };
    if (stepMs > 0) writeAnchor(options.anchorFile, anchor);
  }
  const anchorMs = (anchor as Anchor).anchorMs;
  const journalFile = options.journalFile ?? join(dirname(options.anchorFile), 'simulation-journal.jsonl');
  // A paused demo (no anchor) and a new anchor both start a new world: old hand-made changes no longer apply.
  if (stepMs <= 0 || !usable) clearJournal(journalFile);
  const pending: JournalEntry[] = stepMs > 0 && usable ? readJournal(journalFile, options.logger) : [];

  // Steps run at their virtual time; anything else (console actions) at the real time.
  let virtualMs: number | null = anchorMs;
  const simClock: Clock = { now: () => (virtualMs === null ? clock.now() : new Date(virtualMs)) };
  const inner = createSimulatedSource({
    customers: options.customers,
    seed,
    clock: simClock,
    generation: generationOf(anchor as Anchor),
  });
  virtualMs = null;

  let played = 0;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> | null = null;

  /** Applies one change at the given time; the world moves synchronously, so the time is exact. */
  function apply(op: JournalOp, atMs: number): Promise<unknown> {
    virtualMs = atMs;
    try {
      return applyOp(inner, op);
    } finally {
      virtualMs = null;
    }
  }
  /** A live change: applied, then flushed to the journal before the caller hears it is done. */
  async function live<T>(op: JournalOp, run: () => Promise<T>): Promise<T> {
    const atMs = clock.now().getTime();
    const step = played;
    virtualMs = atMs;
    let result: Promise<T>;
    try {
      result = run();
    } finally {
      virtualMs = null;
    }
    const value = await result;
    if (stepMs > 0) appendJournal(journalFile, { ...op, step, atMs } as JournalEntry);
    return value;
  }
  async function replayDue(): Promise<void> {
    while (pending.length > 0 && (pending[0] as JournalEntry).step <= played) {
      const entry = pending.shift() as JournalEntry;
      try {
        await apply(entry, entry.atMs);
      } catch (err) {
        options.logger.warn(
          { err, op: entry.op, step: entry.step },
          'simulation journal: a change no longer applies',
        );
      }
    }
  }

  async function catchUp(): Promise<number> {
    if (stepMs <= 0) return 0;
    const due = Math.floor((clock.now().getTime() - anchorMs) / stepMs);
    let count = 0;
    await replayDue();
    while (played < due) {
      played += 1;
      // A paused demo lets its steps pass unplayed: resuming continues from "now", not with a burst.
      if (!inner.isPaused()) {
        virtualMs = anchorMs + played * stepMs;
        try {
          await inner.step();
        } finally {
          virtualMs = null;
        }
        count += 1;
      }
      await replayDue();
    }
    return count;
  }

  const source: SimulatedSource = {
    ...inner,
    kind: 'simulated',
    step: () => live({ op: 'step' }, () => inner.step()),
    setPaused(paused: boolean) {
      if (paused === inner.isPaused()) return;
      inner.setPaused(paused);
      if (stepMs > 0)
        appendJournal(journalFile, { op: 'pause', paused, step: played, atMs: clock.now().getTime() });
    },
    createIncident: (customerId) =>
      live({ op: 'create', customerId }, () => inner.createIncident(customerId)),
    startInvestigation: (customerId, incidentId, expert) =>
      live({ op: 'start', customerId, incidentId, expert }, () =>
        inner.startInvestigation(customerId, incidentId, expert),
      ),
    classify: (customerId, incidentId, classification, determination, summary) =>
      live({ op: 'classify', customerId, incidentId, classification, determination, summary }, () =>
        inner.classify(customerId, incidentId, classification, determination, summary),
      ),
    handOff: (customerId, incidentId, actions) =>
      live({ op: 'handoff', customerId, incidentId, actions: actions ?? null }, () =>
        inner.handOff(customerId, incidentId, actions),
      ),
    resolve: (customerId, incidentId, comment) =>
      live({ op: 'resolve', customerId, incidentId, comment }, () =>
        inner.resolve(customerId, incidentId, comment),
      ),
    comment: (customerId, incidentId, author, text) =>
      live({ op: 'comment', customerId, incidentId, author, text }, () =>
        inner.comment(customerId, incidentId, author, text),
      ),
    recordActionOutcome: (customerId, incidentId, actionId, outcome, by, note = null) =>
      live({ op: 'outcome', customerId, incidentId, actionId, outcome, by, note: note ?? null }, () =>
        inner.recordActionOutcome(customerId, incidentId, actionId, outcome, by, note),
      ),
  };

  return {
    source,
    catchUp() {
      running ??= catchUp().finally(() => {
        running = null;
      });
      return running;
    },
    start() {
      if (stepMs <= 0) {
        inner.setPaused(true);
        return;
      }
      if (timer !== null) return;
      timer = setInterval(() => void this.catchUp(), Math.min(stepMs, 1_000));
      timer.unref();
    },
    stop() {
      if (timer !== null) clearInterval(timer);
      timer = null;
    },
  };
}

/** Runs one journalled change against the plain simulation. */
function applyOp(sim: SimulatedSource, op: JournalOp): Promise<unknown> {
  switch (op.op) {
    case 'step':
      return sim.step();
    case 'pause':
      sim.setPaused(op.paused);
      return Promise.resolve();
    case 'create':
      return sim.createIncident(op.customerId);
    case 'start':
      return sim.startInvestigation(op.customerId, op.incidentId, op.expert);
    case 'classify':
      return sim.classify(op.customerId, op.incidentId, op.classification, op.determination, op.summary);
    case 'handoff':
      return sim.handOff(op.customerId, op.incidentId, op.actions ?? undefined);
    case 'resolve':
      return sim.resolve(op.customerId, op.incidentId, op.comment);
    case 'comment':
      return sim.comment(op.customerId, op.incidentId, op.author, op.text);
    case 'outcome':
      return sim.recordActionOutcome(op.customerId, op.incidentId, op.actionId, op.outcome, op.by, op.note);
  }
}
