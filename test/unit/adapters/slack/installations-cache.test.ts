import type { Installation, InstallationStore } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { cachedInstallations } from '../../../../adapters/slack/transport/slack-installations.js';
import { testClock } from '../../../support/test-clock.js';

// Bolt looks the installation up before a request can be acknowledged: from memory, but never after this
// process stored or deleted one, and not for longer than a minute (a missing one: seconds).

const installation = (team: string): Installation =>
  ({ team: { id: team }, bot: { token: `xoxb-${team}`, userId: 'UBOT', id: 'BBOT', scopes: [] } }) as never;

function counting(): InstallationStore & { reads: number; kept: Map<string, Installation> } {
  const kept = new Map<string, Installation>();
  const s = {
    reads: 0,
    kept,
    async storeInstallation(i: Installation) {
      kept.set(i.team?.id ?? '', i);
    },
    async fetchInstallation(q: { teamId?: string }) {
      s.reads += 1;
      const found = kept.get(q.teamId ?? '');
      if (found === undefined) throw new Error('no installation');
      return found;
    },
    async deleteInstallation(q: { teamId?: string }) {
      kept.delete(q.teamId ?? '');
    },
  };
  return s;
}

const query = (teamId: string) => ({ teamId, enterpriseId: undefined, isEnterpriseInstall: false });

describe('the installation cache in front of Bolt’s authorize', () => {
  it('reads a workspace’s installation once a minute, and forgets it when it is deleted here', async () => {
    const clock = testClock();
    const inner = counting();
    const cached = cachedInstallations(inner, clock);
    await cached.storeInstallation(installation('T1'));
    for (let i = 0; i < 5; i += 1)
      expect((await cached.fetchInstallation(query('T1'))).bot?.token).toBe('xoxb-T1');
    expect(inner.reads).toBe(1);
    clock.advance(60_000);
    await cached.fetchInstallation(query('T1'));
    expect(inner.reads).toBe(2);
    await cached.deleteInstallation?.(query('T1'));
    await expect(cached.fetchInstallation(query('T1'))).rejects.toThrow('no installation');
  });

  it('remembers a missing installation for seconds only, and not past a new install', async () => {
    const clock = testClock();
    const inner = counting();
    const cached = cachedInstallations(inner, clock);
    await expect(cached.fetchInstallation(query('T2'))).rejects.toThrow();
    await expect(cached.fetchInstallation(query('T2'))).rejects.toThrow();
    expect(inner.reads).toBe(1);
    clock.advance(5_000);
    await expect(cached.fetchInstallation(query('T2'))).rejects.toThrow();
    expect(inner.reads).toBe(2);
    await cached.storeInstallation(installation('T2'));
    expect((await cached.fetchInstallation(query('T2'))).bot?.token).toBe('xoxb-T2');
  });
});
