import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { PostgresStore } from '../../adapters/postgres/postgres-store.js';
import { createQuestionsStore } from '../../adapters/store/questions/questions-store.js';
import { createRelayStore } from '../../adapters/store/relay/relay-store.js';
import { createResponseStore } from '../../adapters/store/response/response-store.js';
import { createSdmStore } from '../../adapters/store/sdm/sdm-store.js';
import { createUserCheckStore } from '../../adapters/store/user-check/user-check-store.js';
import type { ConversationRef } from '../../bot/domain/conversation.js';
import type { Question } from '../../bot/domain/question.js';
import type { NewPair, RelayDraft } from '../../bot/relay/relay-ports.js';
import type { RecordDraft } from '../../bot/response/response-ports.js';
import type { UserCheckDraft } from '../../bot/user-check/user-check-ports.js';
import { usePgFeatureHosts } from '../support/pg-feature-host.js';

// What the backend-neutral contracts cannot show: several bot instances (each its own PostgresStore, pool and
// instance id) on one database, racing for the same compare-and-set, allocation, queue head or number. Every
// race runs many times at once, so a lost update or a double lease would show, not merely be possible.

const hosts = usePgFeatureHosts('instances');
let open: PostgresStore[] = [];
afterEach(async () => {
  await Promise.all(open.map((s) => s.close()));
  open = [];
});
/** Two bot instances on this file's schema, closed after the test. */
async function two(): Promise<[PostgresStore, PostgresStore]> {
  const made = await Promise.all([hosts.open(), hosts.open()]);
  open.push(...made);
  return made;
}
/** Three bot instances on this file's schema, closed after the test. */
async function three(): Promise<[PostgresStore, PostgresStore, PostgresStore]> {
  const made = await Promise.all([hosts.open(), hosts.open(), hosts.open()]);
  open.push(...made);
  return made;
}

const rid = (label: string): string => `${label}-${randomUUID().slice(0, 8)}`;
const T0 = Date.parse('2026-11-20T08:00:00.000Z');
const at = (s: number): string => new Date(T0 + s * 1000).toISOString();

describe('feature stores on PostgreSQL with several instances', () => {
  it('guided response: of two instances writing one action at one version, exactly one wins', async () => {
    const [a, b] = await two();
    const stores = [await createResponseStore(a.host), await createResponseStore(b.host)] as const;
    const customerId = rid('cust');
    const draft = (actionId: string, who: number): RecordDraft => ({
      record: {
        customerId,
        incidentId: 'inc-1',
        actionId,
        state: 'completed',
        by: `p${who}`,
        at: at(who),
        note: null,
        remoteId: null,
      },
      expectedVersion: 0,
      audit: {
        id: randomUUID(),
        customerId,
        incidentId: 'inc-1',
        actionId,
        event: 'completed',
        actor: `web:p${who}`,
        actorName: `p${who}`,
        at: at(who),
        text: 'done',
      },
    });
    const actions = Array.from({ length: 20 }, (_, i) => `act-${i}`);
    const results = await Promise.all(
      actions.flatMap((actionId) => stores.map((s, who) => s.record(draft(actionId, who)))),
    );
    expect(results.filter((r) => r !== null)).toHaveLength(actions.length);
    const audit = await stores[0].listAudit(customerId, 'inc-1');
    expect(audit).toHaveLength(actions.length);
    const records = await stores[1].getRecords(customerId, 'inc-1');
    expect(records.map((r) => r.version)).toEqual(actions.map(() => 1));
    // Each winner's record is the one its audit line speaks for.
    for (const r of records) expect(audit.find((x) => x.actionId === r.actionId)?.actorName).toBe(r.by);
  });

  it('questions: an allocation is never overdrawn, and one claim of two wins', async () => {
    const [a, b] = await two();
    const stores = [await createQuestionsStore(a.host), await createQuestionsStore(b.host)] as const;
    const customerId = rid('cust');
    const q = (n: number): Question => ({
      id: `Q-${randomUUID().slice(0, 8)}${n}`,
      customerId,
      askerId: 'web:alice',
      askerName: 'Alice',
      topic: 'other',
      text: `question ${n}`,
      context: null,
      incidentId: null,
      state: 'open',
      claimedBy: null,
      claimedByName: null,
      createdAt: at(n),
      firstResponseAt: null,
      resolvedAt: null,
      resolvedBy: null,
      reopenCount: 0,
      lastActivityAt: at(n),
    });
    const allocation = { limit: 3, from: at(0), to: at(1000) };
    const created = await Promise.all(
      Array.from({ length: 12 }, (_, n) =>
        (n % 2 === 0 ? stores[0] : stores[1]).create(q(n + 1), allocation),
      ),
    );
    expect(created.filter((r) => r.ok)).toHaveLength(3);
    expect(await stores[0].countCreated(customerId, allocation.from, allocation.to)).toBe(3);

    const first = created.find((r) => r.ok);
    if (first === undefined || !first.ok) throw new Error('no question created');
    const claims = await Promise.all(
      stores.map((s, who) =>
        s.transition(customerId, first.question.id, {
          from: ['open'],
          patch: { state: 'claimed', claimedBy: `web:expert${who}`, lastActivityAt: at(500) },
        }),
      ),
    );
    expect(claims.filter((c) => c !== null)).toHaveLength(1);
  });

  describe('relay', () => {
    const conv = (id: string): ConversationRef => ({
      platform: 'slack',
      id,
      threadId: null,
      kind: 'channel',
    });
    const pair = (subjectId = rid('Q'), customerId = rid('cust')): NewPair => ({
      id: rid('pair'),
      kind: 'question',
      customerId,
      subjectId,
      customer: { conversation: conv(rid('C')), threadId: rid('ts'), wholeConversation: false },
      provider: { conversation: conv(rid('C')), threadId: rid('ts'), wholeConversation: false },
      providerLabel: 'Defender Experts',
      createdAt: at(0),
    });
    const draft = (pairId: string, n: number, dedupKey = `${pairId}:${n}`): RelayDraft => ({
      pairId,
      dedupKey,
      to: 'provider',
      op: 'post',
      sourceId: `src-${n}`,
      sourceAt: at(n),
      message: { text: `m${n}`, card: null, mode: 'new' },
      notBefore: at(0),
    });

    it('opens a pair once and queues a dedup key once, whichever instance is first', async () => {
      const [a, b, c] = await three();
      const stores = await Promise.all([a, b, c].map((h) => createRelayStore(h.host)));
      const [s0] = stores;
      if (s0 === undefined) throw new Error('no relay store');
      const subject = rid('Q');
      const customerId = rid('cust');
      const opened = await Promise.all(
        stores.map((s) =>
          s.openPair(pair(subject, customerId), (id) => [{ ...draft(id, 0, `root:${subject}`), op: 'root' }]),
        ),
      );
      expect(opened.filter((o) => o.created)).toHaveLength(1);
      expect(new Set(opened.map((o) => o.pair.id)).size).toBe(1);
      const pairId = opened[0]?.pair.id ?? '';
      const added = await Promise.all(
        stores.map((s) => s.enqueue([draft(pairId, 1, `dup:${pairId}`)], at(1))),
      );
      expect(added.reduce((x, y) => x + y, 0)).toBe(1);
      const heads = (await s0.claimHeads(new Date(at(10)), 60_000, 1000)).filter((i) => i.pairId === pairId);
      expect(heads.map((i) => i.op)).toEqual(['root']);
    });

    it('never hands one item, or two items of one pair, to two instances at once', async () => {
      const [a, b, c] = await three();
      const stores = await Promise.all([a, b, c].map((h) => createRelayStore(h.host)));
      const [s0] = stores;
      if (s0 === undefined) throw new Error('no relay store');
      const pairs = Array.from({ length: 15 }, () => pair());
      for (const p of pairs) await s0.openPair(p, (id) => [1, 2, 3].map((n) => draft(id, n)));
      const ours = new Set(pairs.map((p) => p.id));
      const delivered: string[] = [];
      // Rounds of concurrent claims; each instance completes what it got before the next round.
      for (let round = 0; round < 4; round += 1) {
        const claimed = await Promise.all(
          stores.map((s) => s.claimHeads(new Date(at(100 + round)), 60_000, 1000)),
        );
        const mine = claimed.flat().filter((i) => ours.has(i.pairId));
        expect(new Set(mine.map((i) => i.seq)).size).toBe(mine.length);
        expect(new Set(mine.map((i) => i.pairId)).size).toBe(mine.length);
        await Promise.all(
          stores.map((s, k) =>
            Promise.all((claimed[k] ?? []).filter((i) => ours.has(i.pairId)).map((i) => s.complete(i.seq))),
          ),
        );
        delivered.push(...mine.map((i) => `${i.pairId}:${i.sourceId}`));
      }
      expect(delivered).toHaveLength(pairs.length * 3);
      expect(new Set(delivered).size).toBe(delivered.length);
      for (const p of pairs) {
        expect(delivered.filter((d) => d.startsWith(`${p.id}:`))).toEqual(
          ['src-1', 'src-2', 'src-3'].map((s) => `${p.id}:${s}`),
        );
      }
    });

    it('a restarting instance frees only leases of instances that are gone, not a live one’s', async () => {
      const [a, b] = await two();
      const [sa, sb] = await Promise.all([createRelayStore(a.host), createRelayStore(b.host)]);
      const p = pair();
      await sa.openPair(p, (id) => [draft(id, 1)]);
      const mine = async (s: typeof sa, t: number) =>
        (await s.claimHeads(new Date(at(t)), 600_000, 1000)).filter((i) => i.pairId === p.id);
      expect(await mine(sa, 10)).toHaveLength(1);
      await sb.recover();
      expect(await mine(sb, 11)).toEqual([]); // a is alive and may be sending right now
      await a.close(); // a leaves (its instance row goes)
      open = open.filter((s) => s !== a);
      expect(await sb.recover()).toBeGreaterThanOrEqual(1);
      expect((await mine(sb, 12)).map((i) => i.sourceId)).toEqual(['src-1']);
    });
  });

  it('SDM: instances starting check-ins at once get 1, 2, 3… (with or without seeds)', async () => {
    const [a, b] = await two();
    const stores = [await createSdmStore(a.host), await createSdmStore(b.host)] as const;
    const seed = {
      key: 'readiness:a',
      kind: 'readiness' as const,
      title: 'A',
      detail: 'd',
      priority: 1,
      expertsNote: 'n',
    };
    // Shared seeds serialise on their rows anyway; no seeds leaves only the store's own lock to do it.
    for (const seeds of [[seed], []]) {
      const customerId = rid('cust');
      const started = await Promise.all(
        [0, 1, 2, 3].map((n) =>
          (n % 2 === 0 ? stores[0] : stores[1]).startCheckin(customerId, seeds, `sdm${n}`, at(n)),
        ),
      );
      expect(started.map((s) => s.checkin.number).sort()).toEqual([1, 2, 3, 4]);
      for (const s of started) expect(s.previous?.number ?? 0).toBe(s.checkin.number - 1);
      expect((await stores[1].latestCheckin(customerId))?.number).toBe(4);
    }
  });

  it('SDM: of starts at once while none is open, exactly one creates; the others get that one, open', async () => {
    const [a, b] = await two();
    const stores = [await createSdmStore(a.host), await createSdmStore(b.host)] as const;
    for (const round of [0, 1, 2]) {
      const customerId = rid(`open${round}`);
      // A week-old check-in is closed: it does not stop the next one.
      await stores[0].startCheckin(customerId, [], 'sdm', at(-8 * 86_400));
      const openAfter = at(-7 * 86_400);
      const started = await Promise.all(
        [0, 1, 2, 3].map((n) =>
          (n % 2 === 0 ? stores[0] : stores[1]).startCheckin(customerId, [], `sdm${n}`, at(n), openAfter),
        ),
      );
      const created = started.filter((s) => s.created);
      expect(created).toHaveLength(1);
      for (const s of started) {
        expect(s.checkin).toEqual(created[0]?.checkin);
        expect(s.previous?.number).toBe(1);
      }
      expect((await stores[1].latestCheckin(customerId))?.number).toBe(2);
    }
  });

  it('"Was this you?": of instances asking one person about one incident at once, one asks; one answer wins', async () => {
    const [a, b] = await two();
    const stores = [await createUserCheckStore(a.host), await createUserCheckStore(b.host)] as const;
    const customerId = rid('uc');
    // The upn in either case: the same person.
    const draft = (incidentId: string, n: number): UserCheckDraft => ({
      id: `UC-${incidentId}-${n}`,
      customerId,
      incidentId,
      upn: n % 2 === 0 ? 'alex@contoso.example' : 'Alex@contoso.example',
      platform: 'web',
      targetUserId: 'alex',
      dm: null,
      seen: 'a sign-in',
      requesterId: 'web:dana',
      requester: { platform: 'web', workspace: 'console', userId: 'dana', name: 'Dana', direct: null },
      createdAt: at(n),
    });
    const incidents = Array.from({ length: 10 }, (_, i) => `inc-${i}`);
    const made = await Promise.all(
      incidents.flatMap((inc) => [0, 1, 2, 3].map((n) => stores[n % 2 === 0 ? 0 : 1].create(draft(inc, n)))),
    );
    for (const inc of incidents) {
      const asked = made.filter((m) => m.check.incidentId === inc);
      expect(
        asked.filter((m) => m.created),
        inc,
      ).toHaveLength(1);
      const one = asked.find((m) => m.created)?.check;
      for (const m of asked) expect(m.check, inc).toEqual(one);
      expect(await stores[1].listForIncident(customerId, inc)).toEqual([one]);
    }
    const answers = await Promise.all(
      incidents.flatMap((inc) =>
        stores.map((s, who) => {
          const id = made.find((m) => m.created && m.check.incidentId === inc)?.check.id ?? '';
          return s.answer(customerId, id, who === 0 ? 'yes' : 'no', null, at(10 + who));
        }),
      ),
    );
    expect(answers.filter((x) => x !== null)).toHaveLength(incidents.length);
  });
});
