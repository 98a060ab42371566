import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AlertsHarness, createAlertsHarness, slackChannel } from '../../../support/alerts-harness.js';

// A channel that keeps failing with an error the post surely did not get through: the dispatcher retries
// the row with a growing backoff, then gives it up after its attempts (kept for audit, never claimed again)
// instead of retrying for ever; one that recovers in between is delivered once.

const SOC = 'slack:T0CONTOSO:C0SOCALERTS';
let h: AlertsHarness;
beforeEach(async () => {
  h = await createAlertsHarness();
});
afterEach(async () => {
  await h.cleanup();
});

/** Runs the dispatcher now and after each backoff (at most ten minutes each), `rounds` times. */
async function rounds(n: number): Promise<void> {
  for (let i = 0; i < n; i += 1) {
    await h.settle();
    h.clock.advance(11 * 60_000);
  }
}

describe('alert rows that keep failing', () => {
  it('are retried, then given up after their attempts, never posted twice', async () => {
    await h.bind('b-soc', slackChannel(SOC));
    h.chat.failNext(SOC, 'transient', 1_000);
    await h.handOffNew();
    await rounds(3);
    expect(await h.store.countPendingOutbox()).toBeGreaterThan(0);
    await rounds(15);
    expect(await h.store.countPendingOutbox()).toBe(0);
    expect(h.chat.postsIn(SOC)).toHaveLength(0);
  });

  it('are delivered once when the channel recovers before the attempts run out', async () => {
    await h.bind('b-soc', slackChannel(SOC));
    h.chat.failNext(SOC, 'transient', 3);
    await h.handOffNew();
    await rounds(6);
    expect(h.chat.postsIn(SOC)).toHaveLength(1);
  });
});
