import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSimulatedExecutor } from '../../../adapters/simulated/response-executor.js';
import type { Reply } from '../../../bot/ports.js';
import { ORPHANED_RUN_MS } from '../../../bot/response/poll.js';
import type { ResponseExecutor } from '../../../bot/response/response-ports.js';
import {
  createResponseHarness,
  HARNESS_BACKENDS,
  persona,
  type ResponseHarness,
} from './response-harness.js';

// Guided response end to end in the core: real SQLite, the simulation as incident source and comment
// writer, the simulated executor — the confirmation, a double click, a remote failure, skip with a reason.

type Button = { title: string; verb: string; data: Record<string, unknown> };

function buttons(reply: Reply | undefined): Button[] {
  const out: Button[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (typeof node === 'object' && node !== null) {
      const o = node as Record<string, unknown>;
      if (
        o.type === 'Action.Execute' &&
        typeof o.verb === 'string' &&
        o !== (reply?.card?.refresh as { action?: unknown })?.action
      )
        out.push({ title: String(o.title), verb: o.verb, data: o.data as Record<string, unknown> });
      for (const [k, v] of Object.entries(o)) if (k !== 'refresh') walk(v);
    }
  };
  walk(reply?.card?.body ?? []);
  return out;
}

const forAction = (reply: Reply | undefined, actionId: string): Button[] =>
  buttons(reply).filter((b) => b.verb.startsWith('response.') && b.data.action === actionId);

/** Counts starts (and can hold them), so a test can prove a run reached the executor once, and when. */
function counting(
  inner: ResponseExecutor,
  onStart: (request: Parameters<ResponseExecutor['start']>[0]) => Promise<void> = async () => undefined,
): ResponseExecutor & { starts: number } {
  const wrapped = {
    starts: 0,
    kinds: inner.kinds,
    simulated: inner.simulated,
    canRun: inner.canRun,
    start: async (request: Parameters<ResponseExecutor['start']>[0]) => {
      wrapped.starts += 1;
      await onStart(request);
      return inner.start(request);
    },
    status: inner.status,
  };
  return wrapped;
}

describe.each(HARNESS_BACKENDS)('guided response from chat (embedded default, %s)', (_backend, open) => {
  let h: ResponseHarness;
  let executor: ReturnType<typeof counting>;
  let failure: string | null = null;
  /** Guided-response comments on the incident at the moment each start reached the executor. */
  let commentsAtStart: number[] = [];
  /** When set, a start waits for it (a slow remote call). */
  let hold: Promise<void> | null = null;
  let reached: () => void = () => undefined;
  beforeEach(async () => {
    failure = null;
    commentsAtStart = [];
    hold = null;
    executor = counting(
      createSimulatedExecutor({
        clock: { now: () => h.clock.now() },
        durationMs: 10_000,
        fails: () => failure,
      }),
      async (request) => {
        const incident = await h.simulation.getIncident(request.customer, request.incidentId);
        commentsAtStart.push(
          (incident?.comments ?? []).filter((c) => c.comment.startsWith('[Guided response]')).length,
        );
        reached();
        if (hold !== null) await hold;
      },
    );
    h = await createResponseHarness({ executor, open });
  });
  afterEach(async () => h.cleanup());

  it('shows each person the buttons of their role and the experts’ access', async () => {
    const { incident, action } = await h.pendingAction(
      'contoso',
      (a) => executor.kinds.has(a.kind as never) && executor.canRun(a),
    );
    const open = async (who: ReturnType<typeof persona>) => (await h.say(who, `incident ${incident.id}`))[0];
    const responder = forAction(await open(persona('contoso', 'responder')), action.id).map((b) => b.verb);
    expect(responder).toEqual(['response.done', 'response.skip', 'response.run']);
    const admin = forAction(await open(persona('contoso', 'admin')), action.id).map((b) => b.verb);
    expect(admin).toEqual(['response.done', 'response.skip', 'response.run']);
    const analystCard = await open(persona('contoso', 'analyst'));
    expect(forAction(analystCard, action.id)).toEqual([]);
    expect(JSON.stringify(analystCard?.card)).toContain('Only Contoso Ltd responders and admins can act');
    expect(JSON.stringify(analystCard?.card)).not.toContain('Running actions from chat is not enabled');
    // Woodgrove has execution off: its responder gets Done and Skip, and is told why there is no Run.
    const wood = await h.pendingAction(
      'woodgrove',
      (a) => executor.kinds.has(a.kind as never) && executor.canRun(a),
    );
    const [woodCard] = await h.say(persona('woodgrove', 'responder'), `incident ${wood.incident.id}`);
    expect(forAction(woodCard, wood.action.id).map((b) => b.verb)).toEqual([
      'response.done',
      'response.skip',
    ]);
    expect(JSON.stringify(woodCard?.card)).toContain(
      'Running actions from chat is not enabled for Woodgrove Bank.',
    );
  });

  it('names the target before a run, records nothing until confirmed, and runs once on a double click', async () => {
    const { incident, action } = await h.pendingAction(
      'contoso',
      (a) => executor.kinds.has(a.kind as never) && executor.canRun(a),
    );
    const alice = persona('contoso', 'responder');
    const data = { id: incident.id, action: action.id, v: 0 };
    const [confirm] = await h.click(alice, 'response.run', data);
    expect(confirm?.ephemeral).toBe(true);
    expect(confirm?.mode).toBe('replace');
    const text = JSON.stringify(confirm?.card);
    expect(text).toContain(action.target.id);
    expect(confirm?.text).toContain('Excluded asset: No');
    expect(confirm?.text).toMatch(
      /through Microsoft (Defender|Entra) \(simulated\)\. Nothing has been sent yet/,
    );
    expect(await h.responses.getRecords('contoso', incident.id)).toEqual([]);
    expect(executor.starts).toBe(0);

    const confirmButton = buttons(confirm).find((b) => b.verb === 'response.run.confirm');
    expect(confirmButton?.data).toMatchObject(data);
    const token = confirmButton?.data.c;
    expect(token).toMatch(/^[0-9a-f-]{36}$/);

    // The Run button's data alone, a made-up token, or another person's token cannot start the run.
    const bare = await h.click(alice, 'response.run.confirm', data);
    expect(bare[0]?.ephemeral).toBe(true);
    expect(bare[0]?.text).toMatch(/confirm the run on its confirmation card/);
    const crafted = await h.click(alice, 'response.run.confirm', { ...data, c: randomUUID() });
    expect(crafted[0]?.text).toMatch(/confirmation is not valid/);
    const [adminConfirm] = await h.click(persona('contoso', 'admin'), 'response.run', data);
    const adminToken = buttons(adminConfirm).find((b) => b.verb === 'response.run.confirm')?.data.c;
    const stolen = await h.click(alice, 'response.run.confirm', { ...data, c: adminToken });
    expect(stolen[0]?.text).toMatch(/confirmation is not valid/);
    expect(executor.starts).toBe(0);
    expect(await h.responses.getRecords('contoso', incident.id)).toEqual([]);

    const first = await h.click(alice, 'response.run.confirm', { ...data, c: token });
    const second = await h.click(alice, 'response.run.confirm', { ...data, c: token });
    expect(executor.starts).toBe(1);
    expect(first[0]?.text).toContain('In progress');
    expect(second.some((r) => /already acted/.test(r.text))).toBe(true);
    // The remote call went out before any comment was written (Graph never delays the action).
    expect(commentsAtStart).toEqual([0]);

    const running = await h.responses.getRecord('contoso', incident.id, action.id);
    expect(running).toMatchObject({ state: 'inProgress', by: 'contoso-responder' });
    h.clock.advance(11_000);
    expect(await h.service.pollOnce(new Map(h.directory.customers.map((c) => [c.id, c])))).toBeGreaterThan(0);
    expect(await h.responses.getRecord('contoso', incident.id, action.id)).toMatchObject({
      state: 'completed',
    });
    const audit = await h.responses.listAudit('contoso', incident.id);
    expect(audit.map((a) => a.event)).toEqual(['runRequested', 'runCompleted']);
    expect(audit.every((a) => a.commentedAt !== null)).toBe(true);

    // Comments and history carry who and when; every copy of the card shows the end state.
    const comments = (await h.simulation.getIncident(h.customer('contoso'), incident.id))?.comments ?? [];
    expect(comments.filter((c) => c.comment.startsWith('[Guided response]')).length).toBe(2);
    expect(comments.at(-2)?.comment).toMatch(
      /run requested by contoso-responder \(web:contoso-responder\) at 2026-.* \(from chat; runs with the bot's app registration\)/,
    );
    expect(comments.at(-1)?.comment).toMatch(
      /run completed at 2026-.* \(requested by contoso-responder \(web:contoso-responder\) from chat\)/,
    );
    const [card] = await h.say(persona('contoso', 'analyst'), `incident ${incident.id}`);
    expect(card?.text).toMatch(/Completed \(Completed by contoso-responder/);
  });

  it('reports a remote failure on the card and lets a responder try again', async () => {
    failure = 'Device is offline (simulated)';
    const { incident, action } = await h.pendingAction(
      'contoso',
      (a) => executor.kinds.has(a.kind as never) && executor.canRun(a),
    );
    const alice = persona('contoso', 'responder');
    await h.runConfirmed(alice, { id: incident.id, action: action.id, v: 0 });
    h.clock.advance(11_000);
    await h.service.pollOnce(new Map(h.directory.customers.map((c) => [c.id, c])));
    const record = await h.responses.getRecord('contoso', incident.id, action.id);
    expect(record).toMatchObject({ state: 'failed', note: 'Device is offline (simulated)' });
    const [card] = await h.say(alice, `incident ${incident.id}`);
    expect(card?.text).toContain('Failed');
    const again = forAction(card, action.id);
    expect(again.map((b) => b.verb)).toEqual(['response.done', 'response.skip', 'response.run']);
    expect(again[0]?.data.v).toBe(record?.version);
    const comments = (await h.simulation.getIncident(h.customer('contoso'), incident.id))?.comments ?? [];
    expect(comments.at(-1)?.comment).toMatch(
      /run failed at .* \(requested by contoso-responder \(web:contoso-responder\) from chat\) — Device is offline/,
    );
    // The retry is a new decision on the new version: it runs again.
    failure = null;
    await h.runConfirmed(alice, { id: incident.id, action: action.id, v: record?.version });
    expect(executor.starts).toBe(2);
  });

  it('asks why before a skip and writes the reason into the comments', async () => {
    const { incident, action } = await h.pendingAction('contoso');
    const alice = persona('contoso', 'responder');
    const data = { id: incident.id, action: action.id, v: 0 };
    const [form] = await h.click(alice, 'response.skip', data);
    expect(JSON.stringify(form?.card)).toContain('"id":"reason"');
    const [empty] = await h.click(alice, 'response.skip.confirm', { ...data, reason: '   ' });
    expect(empty?.ephemeral).toBe(true);
    expect(await h.responses.getRecords('contoso', incident.id)).toEqual([]);
    await h.click(alice, 'response.skip.confirm', { ...data, reason: 'Device is being reimaged' });
    expect(await h.responses.getRecord('contoso', incident.id, action.id)).toMatchObject({
      state: 'skipped',
      note: 'Device is being reimaged',
    });
    const comments = (await h.simulation.getIncident(h.customer('contoso'), incident.id))?.comments ?? [];
    expect(comments.at(-1)?.comment).toMatch(
      /skipped by contoso-responder \(web:contoso-responder\) at .* — Device is being reimaged/,
    );
  });

  it('refuses every click on an excluded asset, however crafted, and never calls the executor', async () => {
    const page = await h.store.listIncidents({
      customerId: 'contoso',
      view: 'all',
      severity: null,
      limit: 500,
      offset: 0,
    });
    const found = page.items
      .map((incident) => ({
        incident,
        action: incident.guidedResponse?.actions.find((a) => a.target.excluded && a.state === 'pending'),
      }))
      .find((x) => x.action !== undefined);
    if (found?.action === undefined) throw new Error('the demo world has no pending excluded action');
    const { incident, action } = found;
    const alice = persona('contoso', 'responder');
    const [card] = await h.say(alice, `incident ${incident.id}`);
    expect(forAction(card, action.id)).toEqual([]);
    const data = { id: incident.id, action: action.id, v: 0 };
    for (const verb of ['response.run', 'response.done', 'response.skip', 'response.skip.confirm']) {
      const [answer] = await h.click(alice, verb, { ...data, reason: 'crafted' });
      expect(answer?.ephemeral, verb).toBe(true);
      expect(answer?.text, verb).toMatch(/This asset is excluded/);
    }
    const [confirm] = await h.click(alice, 'response.run.confirm', { ...data, c: randomUUID() });
    expect(confirm?.text).toMatch(/This asset is excluded/);
    expect(executor.starts).toBe(0);
    expect(await h.responses.getRecords('contoso', incident.id)).toEqual([]);
  });

  it('never fails a run whose start is merely slow, and attaches its remote id when it answers', async () => {
    const { incident, action } = await h.pendingAction(
      'contoso',
      (a) => executor.kinds.has(a.kind as never) && executor.canRun(a),
    );
    let release: () => void = () => undefined;
    hold = new Promise<void>((resolve) => {
      release = resolve;
    });
    const atExecutor = new Promise<void>((resolve) => {
      reached = resolve;
    });
    const clicked = h.runConfirmed(persona('contoso', 'responder'), {
      id: incident.id,
      action: action.id,
      v: 0,
    });
    await atExecutor;
    // The start hangs far beyond the orphan limit; the poller leaves it alone.
    h.clock.advance(ORPHANED_RUN_MS * 3);
    await h.service.pollOnce(new Map(h.directory.customers.map((c) => [c.id, c])));
    expect(await h.responses.getRecord('contoso', incident.id, action.id)).toMatchObject({
      state: 'inProgress',
      remoteId: null,
    });
    release();
    const replies = await clicked;
    expect(replies[0]?.text).toContain('In progress');
    const record = await h.responses.getRecord('contoso', incident.id, action.id);
    expect(record).toMatchObject({ state: 'inProgress', version: 2 });
    expect(record?.remoteId).toMatch(/^sim-/);
  });

  it('refuses an analyst’s click privately and changes nothing', async () => {
    const { incident, action } = await h.pendingAction('contoso');
    const replies = await h.click(persona('contoso', 'analyst'), 'response.done', {
      id: incident.id,
      action: action.id,
      v: 0,
    });
    expect(replies).toHaveLength(1);
    expect(replies[0]?.ephemeral).toBe(true);
    expect(replies[0]?.text).toMatch(/Only Contoso Ltd responders and admins/);
    expect(await h.responses.getRecords('contoso', incident.id)).toEqual([]);
  });

  it('answers another customer’s incident exactly like an unknown one', async () => {
    const { incident, action } = await h.pendingAction('woodgrove');
    const replies = await h.click(persona('contoso', 'responder'), 'response.done', {
      id: incident.id,
      action: action.id,
      v: 0,
    });
    expect(replies[0]?.text).toContain('Incident not found');
    expect(await h.responses.getRecords('woodgrove', incident.id)).toEqual([]);
  });

  it('cancels a confirmation without sending or recording anything', async () => {
    const { incident, action } = await h.pendingAction('contoso');
    const [back] = await h.click(persona('contoso', 'responder'), 'response.cancel', {
      id: incident.id,
      action: action.id,
      v: 0,
    });
    expect(back?.card).not.toBeNull();
    expect(executor.starts).toBe(0);
    expect(await h.responses.getRecords('contoso', incident.id)).toEqual([]);
  });
});
