import { describe, expect, it } from 'vitest';
import { MACHINE, SHA1, TENANT, USER, useDefenderWorld } from './defender-world.js';
import { confirmButtonData } from './response-harness.js';

// The production path on loopback (defender-world.ts): incidents and comments through the Graph stand-in,
// machine actions against the Defender for Endpoint stand-in, user actions through Graph. A run goes out
// once, is followed to its end, and every decision lands in the incident's comments.

describe('guided response against Defender for Endpoint and Graph stand-ins', () => {
  const w = useDefenderWorld();

  it('isolates a device once, follows the machine action to Succeeded, and comments each step', async () => {
    const [confirm] = await w.click('response.run', { id: w.incidentId, action: 'iso', v: 0 });
    expect(confirm?.text).toContain(`Device id: ${MACHINE}`);
    expect(confirm?.text).toContain('through Microsoft Defender. Nothing has been sent yet');
    expect(w.defender.requests.filter((r) => r.method === 'POST')).toHaveLength(0);

    const before = w.defender.actions.length;
    const go = confirmButtonData(confirm) ?? {};
    await w.click('response.run.confirm', go);
    await w.click('response.run.confirm', go);
    const sent = w.defender.actions.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ type: 'Isolate', machineId: MACHINE, body: { IsolationType: 'Full' } });
    expect(String(sent[0]?.body.Comment)).toContain(
      `incident ${w.incidentId}, requested by alice (web:alice)`,
    );
    // The token went to the Defender API with the Defender audience, not Graph's.
    const post = w.defender.requests.filter((r) => r.method === 'POST').at(-1);
    expect(post?.status).toBe(201);

    await w.poll(); // InProgress
    expect((await w.responses.getRecord('contoso', w.incidentId, 'iso'))?.state).toBe('inProgress');
    await w.poll(); // Succeeded
    expect(await w.responses.getRecord('contoso', w.incidentId, 'iso')).toMatchObject({
      state: 'completed',
      by: 'alice',
    });
    const lines = w.comments().map((c) => c.comment);
    expect(
      lines.some((c) =>
        /Isolate device on device WS-0042 \(id a{40}\): run requested by alice \(web:alice\)/.test(c),
      ),
    ).toBe(true);
    expect(lines.some((c) => /run completed at .*requested by alice \(web:alice\).*succeeded/.test(c))).toBe(
      true,
    );
  });

  it('shows a remote failure (the device never answered) and comments it', async () => {
    await w.run('off');
    await w.poll();
    await w.poll();
    expect(await w.responses.getRecord('contoso', w.incidentId, 'off')).toMatchObject({
      state: 'failed',
      note: 'Microsoft Defender reports the action failed on the device.',
    });
    expect(w.comments().at(-1)?.comment).toMatch(/run failed at .*requested by alice \(web:alice\)/);
  });

  it('never repeats a POST the API answered with 500, and says the run failed', async () => {
    const posts = w.defender.requests.filter((r) => r.method === 'POST').length;
    const [confirm] = await w.click('response.run', { id: w.incidentId, action: 'file', v: 0 });
    w.defender.fail(500);
    const replies = await w.click('response.run.confirm', confirmButtonData(confirm) ?? {});
    expect(w.defender.requests.filter((r) => r.method === 'POST').length).toBe(posts + 1);
    expect(replies.some((r) => /The run failed: Microsoft Defender refused the action/.test(r.text))).toBe(
      true,
    );
    expect((await w.responses.getRecord('contoso', w.incidentId, 'file'))?.state).toBe('failed');
  });

  it('stops and quarantines a file by device and SHA-1, and disables a user through Graph', async () => {
    const [confirm] = await w.click('response.run', { id: w.incidentId, action: 'file', v: 0 });
    // The confirmation names the device the file is stopped on, apart from the hash.
    expect(confirm?.text).toContain(`File hash (SHA-1): ${SHA1}`);
    expect(confirm?.text).toContain(`On device (id): ${MACHINE}`);
    await w.click('response.run.confirm', confirmButtonData(confirm) ?? {});
    expect(w.defender.actions.at(-1)).toMatchObject({ type: 'StopAndQuarantineFile', body: { Sha1: SHA1 } });
    await w.run('user');
    expect(w.graph.users.get(TENANT, USER)?.accountEnabled).toBe(false);
    await w.run('revoke');
    await w.run('reset');
    expect(w.graph.users.get(TENANT, USER)).toMatchObject({
      revocations: 1,
      forceChangePasswordNextSignIn: true,
    });
    expect(await w.responses.getRecord('contoso', w.incidentId, 'user')).toMatchObject({
      state: 'completed',
    });
  });

  it('offers no Run for what neither API can do, only done and skip', async () => {
    const [card] = await w.click('incident.show', { id: w.incidentId });
    const text = JSON.stringify(card?.card);
    expect(text).toContain(`"verb":"response.run","data":{"id":"${w.incidentId}","action":"iso"`);
    expect(text).not.toContain(`"verb":"response.run","data":{"id":"${w.incidentId}","action":"mail"`);
    expect(text).toContain(`"verb":"response.done","data":{"id":"${w.incidentId}","action":"mail"`);
  });
});
