import { describe, expect, it } from 'vitest';
import { createDefenderExecutor } from '../../../adapters/defender/defender-executor.js';
import { DEFENDER_SCOPE } from '../../../adapters/defender/machine-actions.js';
import type { ResponseExecutor } from '../../../bot/response/response-ports.js';
import { createResponseService } from '../../../bot/response/service.js';
import { customer, MACHINE, quiet, SHA1, TENANT, USER, useDefenderWorld } from './defender-world.js';

// Every Defender machine action against the stand-in (exact path and body), the documented end states and an
// unknown one, the token audience both APIs check, and the executor's own refusal of excluded assets.

type StartRequest = Parameters<ResponseExecutor['start']>[0];

describe('Defender for Endpoint machine actions, statuses and tokens', () => {
  const w = useDefenderWorld();

  it.each([
    ['iso', 'isolate', 'Isolate', { IsolationType: 'Full' }],
    ['unisolate', 'unisolate', 'Unisolate', {}],
    ['scan', 'runAntiVirusScan', 'RunAntiVirusScan', { ScanType: 'Quick' }],
    ['collect', 'collectInvestigationPackage', 'CollectInvestigationPackage', {}],
    ['restrict', 'restrictCodeExecution', 'RestrictCodeExecution', {}],
    ['unrestrict', 'unrestrictCodeExecution', 'UnrestrictCodeExecution', {}],
    ['file', 'StopAndQuarantineFile', 'StopAndQuarantineFile', { Sha1: SHA1 }],
  ])('sends %s as POST /api/machines/{id}/%s with the documented body', async (action, path, type, extra) => {
    const before = w.defender.requests.length;
    await w.run(action);
    const posts = w.defender.requests.slice(before).filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({
      path: `/api/machines/${MACHINE}/${path}`,
      status: 201,
      tenantId: TENANT,
    });
    const body = JSON.parse(posts[0]?.body ?? '{}') as Record<string, unknown>;
    expect(body).toEqual({
      Comment: `Defender Experts bot: incident ${w.incidentId}, requested by alice (web:alice)`,
      ...extra,
    });
    expect(w.defender.actions.at(-1)?.type).toBe(type);
    expect(await w.responses.getRecord('contoso', w.incidentId, action)).toMatchObject({
      state: 'inProgress',
    });
  });

  it('maps TimeOut and Cancelled to a failed run, and keeps following a status it does not know', async () => {
    await w.run('timeout');
    await w.run('cancelled');
    await w.run('odd');
    await w.poll();
    await w.poll();
    await w.poll();
    expect(await w.responses.getRecord('contoso', w.incidentId, 'timeout')).toMatchObject({
      state: 'failed',
      note: 'The device did not respond in time (Defender: TimeOut).',
    });
    expect(await w.responses.getRecord('contoso', w.incidentId, 'cancelled')).toMatchObject({
      state: 'failed',
      note: 'The action was cancelled in Microsoft Defender.',
    });
    const odd = await w.responses.getRecord('contoso', w.incidentId, 'odd');
    expect(odd).toMatchObject({ state: 'inProgress' });
    expect(odd?.remoteId).toMatch(/^mde:/);
    // A day later it is given up, with what Defender said.
    const later = createResponseService({
      responses: w.responses,
      store: w.store,
      executor: w.executor,
      writer: w.source,
      clock: { now: () => new Date(Date.now() + 25 * 3_600_000) },
      logger: quiet,
    });
    await later.pollOnce(new Map([[customer.id, customer]]));
    expect(await w.responses.getRecord('contoso', w.incidentId, 'odd')).toMatchObject({
      state: 'failed',
      note: 'Microsoft Defender answered an unknown status "Paused".',
    });
  });

  it('asks for the Defender audience: a token for Graph is refused by the Defender API, and the other way round', async () => {
    const action = (id: string) => {
      const a = w.actionsOf().find((x) => x.id === id);
      if (a === undefined) throw new Error(id);
      return a as unknown as StartRequest['action'];
    };
    const request = (id: string) => ({
      customer,
      incidentId: w.incidentId,
      action: action(id),
      comment: 'audience test',
    });
    const wrongForDefender = createDefenderExecutor(w.clientsFor({ defender: `${w.graph.url}/.default` }));
    const before = w.defender.requests.length;
    await expect(wrongForDefender.start(request('scan'))).rejects.toThrow(/Microsoft Defender refused/);
    expect(w.defender.requests.slice(before).map((r) => r.status)).toContain(401);
    expect(w.defender.actions.filter((a) => a.body.Comment === 'audience test')).toEqual([]);

    const documented = createDefenderExecutor(w.clientsFor({ defender: DEFENDER_SCOPE }));
    await expect(documented.start(request('scan'))).resolves.toMatchObject({
      remoteId: expect.stringMatching(/^mde:/),
    });

    const revocations = w.graph.users.get(TENANT, USER)?.revocations;
    const wrongForGraph = createDefenderExecutor(w.clientsFor({ graph: DEFENDER_SCOPE }));
    await expect(wrongForGraph.start(request('revoke'))).rejects.toThrow(/Microsoft Entra refused/);
    expect(w.graph.users.get(TENANT, USER)?.revocations).toBe(revocations);
  });

  it('refuses an excluded asset in the executor itself: nothing is sent', async () => {
    const a = w.actionsOf().find((x) => x.id === 'excluded');
    const before = w.defender.requests.length;
    await expect(
      w.executor.start({
        customer,
        incidentId: w.incidentId,
        action: a as unknown as StartRequest['action'],
        comment: 'x',
      }),
    ).rejects.toThrow('excluded assets are never run');
    expect(w.defender.requests.length).toBe(before);
  });
});
