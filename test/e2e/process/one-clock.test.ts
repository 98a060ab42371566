import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningBot, startBot } from '../../../adapters/wiring/composition.js';
import { loadConfig } from '../../../bot/config/env.js';
import type { Logger } from '../../../bot/ports.js';
import { testClock } from '../../support/test-clock.js';

// The composition hands one clock to every part it builds. The store used to be opened on the wall clock
// while the dispatcher claimed rows at the composition's clock: a row stamped "due now" by one clock was
// "in the future" for the other, and alerts waited until the wall clock caught up.

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };

describe('one clock through the composition', () => {
  let bot: RunningBot | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await bot?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('stamps outbox rows with the clock the dispatcher claims at, whatever the wall clock says', async () => {
    dir = await mkdtemp(join(tmpdir(), 'dxb-one-clock-'));
    // Years away from the wall clock in either direction, so a row stamped by the wall clock is never due.
    const clock = testClock('2001-02-03T04:05:06.000Z');
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dir,
      SIMULATION_STEP_SECONDS: '0',
      LOG_LEVEL: 'silent',
    });
    bot = await startBot(config, { logger: quiet, clock, autoStart: false });
    const bindingId = 'one-clock-binding';
    await bot.store.enqueueOutbox([
      { bindingId, customerId: 'contoso', incidentId: '1', kind: 'handedOff', version: 'v1', payload: {} },
    ]);
    const due = (await bot.store.claimOutbox(100, 60_000, clock.now())).filter(
      (i) => i.bindingId === bindingId,
    );
    expect(due.map((i) => i.incidentId)).toEqual(['1']);
  });
});
