import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Customer } from '../../bot/domain/customer.js';
import type { Clock, Logger } from '../../bot/ports.js';
import { createSimulatedSource, type SimulatedSource } from './simulated-source.js';

// Makes the simulation survive restarts: its world is a pure function of the seed and of how many steps
// have passed since an anchor time kept in DATA_DIR. A restarted process replays the same steps at the same
// virtual times and reaches the same incidents, so the poller sees no false changes and no alert is lost
// or invented across a crash. Changes made by hand from the console are not replayed.

export interface AnchoredSimulationOptions {
  readonly customers: readonly Customer[];
  readonly seed: number;
  /** Length of one step; 0 = paused (no anchor: a fresh world each start, stepped only by hand). */
  readonly stepMs: number;
  readonly anchorFile: string;
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
    if (anchor !== null)
      options.logger.info(
        { file: options.anchorFile },
        'simulation restarted from a new anchor (seed, step or age changed)',
      );
    anchor = { version: 1, seed, stepMs, anchorMs: now };
    if (stepMs > 0) writeAnchor(options.anchorFile, anchor);
  }
  const anchorMs = (anchor as Anchor).anchorMs;

  // Steps run at their virtual time; anything else (console actions) at the real time.
  let virtualMs: number | null = anchorMs;
  const simClock: Clock = { now: () => (virtualMs === null ? clock.now() : new Date(virtualMs)) };
  const source = createSimulatedSource({ customers: options.customers, seed, clock: simClock });
  virtualMs = null;

  let played = 0;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> | null = null;

  async function catchUp(): Promise<number> {
    if (stepMs <= 0) return 0;
    const due = Math.floor((clock.now().getTime() - anchorMs) / stepMs);
    let count = 0;
    while (played < due) {
      played += 1;
      // A paused demo lets its steps pass unplayed: resuming continues from "now", not with a burst.
      if (source.isPaused()) continue;
      virtualMs = anchorMs + played * stepMs;
      try {
        await source.step();
      } finally {
        virtualMs = null;
      }
      count += 1;
    }
    return count;
  }

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
        source.setPaused(true);
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
