import { describe, expect, it } from 'vitest';
import { SLACK_CHANNEL_WINDOWS } from '../../../../adapters/slack/transport/slack-api.js';
import { TEAMS_CONVERSATION_WINDOWS } from '../../../../adapters/teams/delivery/teams-delivery.js';
import { backoffMs, createPacer, retryAfterMs } from '../../../../bot/pacing/windows.js';
import { fixedClock } from '../../../support/core-harness.js';

/** Sends as fast as the pacer allows for `durationMs` of simulated time; returns the send times. */
async function drive(windows: typeof TEAMS_CONVERSATION_WINDOWS, durationMs: number): Promise<number[]> {
  const clock = fixedClock('2026-11-27T00:00:00.000Z');
  const start = clock.now().getTime();
  const pacer = createPacer(windows, clock);
  const sends: number[] = [];
  for (;;) {
    await pacer.acquire('conv', async (ms) => clock.advance(ms));
    const at = clock.now().getTime() - start;
    if (at >= durationMs) return sends;
    sends.push(at);
  }
}

const maxIn = (sends: readonly number[], windowMs: number): number =>
  Math.max(...sends.map((t) => sends.filter((u) => u >= t && u < t + windowMs).length));

describe('createPacer', () => {
  it('never exceeds any Teams window, and uses what they allow', async () => {
    const sends = await drive(TEAMS_CONVERSATION_WINDOWS, 120_000);
    expect(maxIn(sends, 1_000)).toBeLessThanOrEqual(7);
    expect(maxIn(sends, 2_000)).toBeLessThanOrEqual(8);
    expect(maxIn(sends, 30_000)).toBeLessThanOrEqual(60);
    // 60 per 30 s is the binding limit over two minutes: 240 sends (the first window may fill at once).
    expect(sends.length).toBeGreaterThanOrEqual(235);
    expect(sends.length).toBeLessThanOrEqual(240);
  });

  it('keeps Slack to one per second per channel', async () => {
    const sends = await drive(SLACK_CHANNEL_WINDOWS, 10_000);
    expect(maxIn(sends, 1_000)).toBe(1);
    expect(sends.length).toBe(10);
  });

  it('paces keys independently and honours a block', () => {
    const clock = fixedClock();
    const pacer = createPacer(SLACK_CHANNEL_WINDOWS, clock);
    pacer.record('a');
    expect(pacer.delayFor('a')).toBe(1_000);
    expect(pacer.delayFor('b')).toBe(0);
    pacer.block('b', clock.now().getTime() + 30_000);
    expect(pacer.delayFor('b')).toBe(30_000);
    clock.advance(30_000);
    expect(pacer.delayFor('a')).toBe(0);
    expect(pacer.delayFor('b')).toBe(0);
  });
});

describe('memory', () => {
  it('forgets conversations idle for longer than the longest window, and keeps busy or blocked ones', () => {
    const clock = fixedClock();
    const pacer = createPacer(TEAMS_CONVERSATION_WINDOWS, clock);
    for (let i = 0; i < 1_000; i += 1) pacer.record(`idle-${i}`);
    pacer.block('blocked', clock.now().getTime() + 3 * 3_600_000);
    expect(pacer.size()).toBe(1_001);
    clock.advance(3_600_000 - 1);
    pacer.record('busy');
    expect(pacer.size()).toBe(1_002); // still inside the hour window: nothing may be forgotten yet
    clock.advance(2);
    expect(pacer.size()).toBe(2); // 'busy' (sent a moment ago) and 'blocked' (block not over)
    expect(pacer.delayFor('blocked')).toBeGreaterThan(0);
    expect(pacer.delayFor('idle-7')).toBe(0);
    clock.advance(3 * 3_600_000);
    expect(pacer.size()).toBe(0);
  });

  it('remembers at most maxKeys conversations, forgetting the one sent to least recently, still pacing the rest', () => {
    const clock = fixedClock();
    const pacer = createPacer(TEAMS_CONVERSATION_WINDOWS, clock, { maxKeys: 100 });
    for (let i = 0; i < 7; i += 1) pacer.record('busy');
    for (let i = 0; i < 10_000; i += 1) {
      clock.advance(1);
      pacer.record(`one-off-${i}`);
      if (i % 50 === 0) pacer.record('busy'); // sent to again and again: never the least recent
    }
    expect(pacer.size()).toBe(100);
    expect(pacer.delayFor('one-off-9999')).toBe(0);
    // 'busy' kept its history: 7 sends at the start plus one per 50 ms since, so the 60/30 s window binds.
    expect(pacer.delayFor('busy')).toBeGreaterThan(0);
    expect(pacer.delayFor('one-off-0')).toBe(0); // forgotten, so free to send
    expect(pacer.size()).toBe(100);
  });

  it('forgets an idle conversation on the next send, without waiting for a sweep of every key', () => {
    const clock = fixedClock();
    const pacer = createPacer(TEAMS_CONVERSATION_WINDOWS, clock);
    clock.advance(600_000);
    for (let i = 0; i < 500; i += 1) pacer.record(`c-${i}`);
    clock.advance(3_000_000);
    pacer.record('early'); // an hour after creation, while the 500 are still inside the hour window
    clock.advance(600_001); // now the 500 have been idle for just over an hour
    pacer.record('now');
    expect(pacer.size()).toBe(2);
  });

  it('still paces a conversation correctly after it was forgotten and comes back', () => {
    const clock = fixedClock();
    const pacer = createPacer(SLACK_CHANNEL_WINDOWS, clock);
    pacer.record('c');
    clock.advance(5_000);
    expect(pacer.size()).toBe(0);
    pacer.record('c');
    expect(pacer.delayFor('c')).toBe(1_000);
  });
});

describe('retryAfterMs and backoffMs', () => {
  const now = new Date('2026-11-27T10:00:00Z');
  it('reads seconds and HTTP dates, minutes included', () => {
    expect(retryAfterMs('3', now)).toBe(3_000);
    expect(retryAfterMs('600', now)).toBe(600_000);
    expect(retryAfterMs('Fri, 27 Nov 2026 10:02:00 GMT', now)).toBe(120_000);
    expect(retryAfterMs('soon', now)).toBeNull();
    expect(retryAfterMs(null, now)).toBeNull();
  });
  it('grows exponentially under a cap, with jitter', () => {
    expect(backoffMs(0, 500, 60_000, () => 0.999)).toBe(499);
    expect(backoffMs(3, 500, 60_000, () => 0.999)).toBe(3_996);
    expect(backoffMs(20, 500, 60_000, () => 0.999)).toBe(59_940);
    expect(backoffMs(5, 500, 60_000, () => 0)).toBe(0);
  });
});
