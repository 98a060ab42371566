import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ORPHANED_RUN_MS } from '../../../bot/response/poll.js';
import type { IncidentWriter } from '../../../bot/response/response-ports.js';
import { createResponseService } from '../../../bot/response/service.js';
import {
  contosoResponder,
  createResponseHarness,
  HARNESS_BACKENDS,
  persona,
  type ResponseHarness,
} from './response-harness.js';

// What happens around the happy path: the experts' operator access, a run interrupted by a crash before the
// executor answered, and an audit comment that could not be written at first.

describe.each(HARNESS_BACKENDS)(
  'guided response: operator access, crashes and comment retries (%s)',
  (_backend, open) => {
    let h: ResponseHarness;
    beforeEach(async () => {
      h = await createResponseHarness({ open });
    });
    afterEach(async () => h.cleanup());
    const customers = () => new Map(h.directory.customers.map((c) => [c.id, c]));

    it('under operator access offers only Run, and records and shows the person who ran it', async () => {
      const { incident, action } = await h.pendingAction(
        'fabrikam',
        (a) =>
          a.kind === 'isolateDevice' ||
          a.kind === 'runAntivirusScan' ||
          a.kind === 'collectInvestigationPackage' ||
          a.kind === 'disableUser' ||
          a.kind === 'revokeSessions' ||
          a.kind === 'forcePasswordReset',
      );
      const responder = persona('fabrikam', 'responder');
      const [card] = await h.say(responder, `incident ${incident.id}`);
      const verbs = JSON.stringify(card?.card);
      expect(verbs).toContain(`"verb":"response.run","data":{"id":"${incident.id}","action":"${action.id}"`);
      expect(verbs).not.toContain(
        `"verb":"response.done","data":{"id":"${incident.id}","action":"${action.id}"`,
      );
      const [refused] = await h.click(responder, 'response.done', {
        id: incident.id,
        action: action.id,
        v: 0,
      });
      expect(refused?.text).toMatch(
        /Security Operator access for Fabrikam Inc and perform this action themselves/,
      );

      const [confirm] = await h.click(responder, 'response.run', {
        id: incident.id,
        action: action.id,
        v: 0,
      });
      expect(confirm?.text).toContain('Recorded as: fabrikam-responder (web:fabrikam-responder)');
      expect(confirm?.text).toContain(
        "Runs with: The bot's app registration in Fabrikam Inc's tenant (operator access",
      );
      expect(confirm?.text).not.toContain('Recorded as: Defender Experts');
      await h.runConfirmed(responder, { id: incident.id, action: action.id, v: 0 });
      expect(await h.responses.getRecord('fabrikam', incident.id, action.id)).toMatchObject({
        state: 'inProgress',
        by: 'fabrikam-responder',
      });
      const [line] = await h.responses.listAudit('fabrikam', incident.id);
      expect(line).toMatchObject({ actor: 'web:fabrikam-responder', actorName: 'fabrikam-responder' });
      expect(line?.text).toMatch(
        /run requested by fabrikam-responder \(web:fabrikam-responder\) at .* \(from chat; runs with the bot's app registration under operator access\)/,
      );
      const [shown] = await h.say(persona('fabrikam', 'analyst'), `incident ${incident.id}`);
      expect(shown?.text).toMatch(/In progress \([^)]*fabrikam-responder/);
      expect(shown?.text).not.toMatch(/by Defender Experts/);
    });

    it('fails a run whose start was never confirmed (a crash) once it is clearly orphaned', async () => {
      const { incident, action } = await h.pendingAction('contoso');
      const at = h.clock.now().toISOString();
      await h.responses.record({
        record: {
          customerId: 'contoso',
          incidentId: incident.id,
          actionId: action.id,
          state: 'inProgress',
          by: 'Alice',
          at,
          note: null,
          remoteId: null,
        },
        expectedVersion: 0,
        audit: {
          id: 'crash-1',
          customerId: 'contoso',
          incidentId: incident.id,
          actionId: action.id,
          event: 'runRequested',
          actor: 'web:alice',
          actorName: 'Alice',
          at,
          text: 'run requested',
        },
      });
      await h.service.pollOnce(customers());
      expect((await h.responses.getRecord('contoso', incident.id, action.id))?.state).toBe('inProgress');
      h.clock.advance(ORPHANED_RUN_MS + 1);
      await h.service.pollOnce(customers());
      const record = await h.responses.getRecord('contoso', incident.id, action.id);
      expect(record?.state).toBe('failed');
      expect(record?.note).toMatch(/interrupted before Microsoft Defender confirmed it; check the portal/);
    });

    it('ends runs it cannot follow (unknown customer or incident) so newer runs are not starved', async () => {
      const old = new Date(h.clock.now().getTime() - 3_600_000).toISOString();
      const stuck = async (customerId: string, incidentId: string, actionId: string) =>
        h.responses.record({
          record: {
            customerId,
            incidentId,
            actionId,
            state: 'inProgress',
            by: 'x',
            at: old,
            note: null,
            remoteId: 'sim-x',
          },
          expectedVersion: 0,
          audit: {
            id: randomUUID(),
            customerId,
            incidentId,
            actionId,
            event: 'runRequested',
            actor: 'web:x',
            actorName: 'x',
            at: old,
            text: 'run requested',
          },
        });
      for (let i = 0; i < 50; i += 1) await stuck('gone-customer', `inc-${i}`, 'a-1');
      await stuck('contoso', 'no-such-incident', 'a-1');
      const { incident, action } = await h.pendingAction('contoso');
      await h.runConfirmed(persona('contoso', 'responder'), { id: incident.id, action: action.id, v: 0 });
      h.clock.advance(11_000);
      await h.service.pollOnce(customers());
      await h.service.pollOnce(customers());
      // The newer run was followed to its end despite the 51 older rows nobody can act on.
      expect((await h.responses.getRecord('contoso', incident.id, action.id))?.state).toBe('completed');
      expect((await h.responses.getRecord('gone-customer', 'inc-7', 'a-1'))?.note).toMatch(
        /customer is no longer in the customers file/,
      );
      expect(await h.responses.getRecord('contoso', 'no-such-incident', 'a-1')).toMatchObject({
        state: 'failed',
        note: expect.stringMatching(/incident or action is no longer known/),
      });
      expect(await h.responses.listRunning(100)).toEqual([]);
    });

    it('counts comment attempts for a customer it no longer knows, so other comments are not starved', async () => {
      const at = h.clock.now().toISOString();
      for (let i = 0; i < 50; i += 1) {
        const ids = { customerId: 'gone-customer', incidentId: `inc-${i}`, actionId: 'a-1' };
        await h.responses.record({
          record: { ...ids, state: 'completed', by: 'x', at, note: null, remoteId: null },
          expectedVersion: 0,
          audit: {
            ...ids,
            id: randomUUID(),
            event: 'completed',
            actor: 'web:x',
            actorName: 'x',
            at,
            text: 'x',
          },
        });
      }
      const { incident, action } = await h.pendingAction('contoso');
      let down = true;
      const written: string[] = [];
      const writer: IncidentWriter = {
        async addComment(customer, incidentId, comment) {
          if (down) throw new Error('Graph answered 503');
          written.push(comment);
          return (await h.simulation.comment(customer.id, incidentId, 'Defender Experts bot', comment))
            .comments;
        },
      };
      const logger = { debug() {}, info() {}, warn() {}, error() {} };
      const service = createResponseService({ ...h.service.deps, writer, logger, changed: undefined });
      h.clock.advance(1_000);
      const decided = await service.decide({
        actor: contosoResponder,
        customer: h.customer('contoso'),
        incident,
        actionId: action.id,
        version: 0,
        decision: 'complete',
      });
      expect(decided.kind).toBe('done');
      down = false;
      h.clock.advance(60_000);
      for (let i = 0; i < 6 && written.length === 0; i += 1) await service.pollOnce(customers());
      expect(written).toHaveLength(1);
      expect(written[0]).toMatch(/marked completed by contoso-responder \(web:contoso-responder\)/);
    });

    it('keeps a decision whose comment could not be written, and writes the comment later, once', async () => {
      const { incident, action } = await h.pendingAction('contoso');
      let down = true;
      const written: string[] = [];
      const writer: IncidentWriter = {
        async addComment(customer, incidentId, comment) {
          if (down) throw new Error('Graph answered 503');
          written.push(comment);
          return (await h.simulation.comment(customer.id, incidentId, 'Defender Experts bot', comment))
            .comments;
        },
      };
      const service = createResponseService({
        responses: h.responses,
        store: h.store,
        executor: null,
        writer,
        clock: h.clock,
        logger: { debug() {}, info() {}, warn() {}, error() {} },
      });
      const customer = h.customer('contoso');
      const actor = contosoResponder;
      const outcome = await service.decide({
        actor,
        customer,
        incident,
        actionId: action.id,
        version: 0,
        decision: 'complete',
      });
      expect(outcome.kind).toBe('done');
      expect((await h.responses.listUncommented(5, 100)).map((a) => a.event)).toEqual(['completed']);
      await service.pollOnce(customers());
      expect(written).toEqual([]);
      down = false;
      await service.pollOnce(customers());
      await service.pollOnce(customers());
      expect(written).toHaveLength(1);
      expect(written[0]).toMatch(/marked completed by contoso-responder \(web:contoso-responder\)/);
      expect(await h.responses.listUncommented(5, 100)).toEqual([]);
    });

    it('lets only one of several instances retry a comment, and leaves a first attempt in flight alone', async () => {
      const { incident, action } = await h.pendingAction('contoso');
      let down = true;
      const written: string[] = [];
      const writer: IncidentWriter = {
        async addComment(customer, incidentId, comment) {
          if (down) throw new Error('Graph answered 503');
          written.push(comment);
          await new Promise((resolve) => setTimeout(resolve, 20));
          return (await h.simulation.comment(customer.id, incidentId, 'Defender Experts bot', comment))
            .comments;
        },
      };
      const logger = { debug() {}, info() {}, warn() {}, error() {} };
      const base = { responses: h.responses, store: h.store, executor: null, writer, clock: h.clock, logger };
      const [first, second, third] = [
        createResponseService(base),
        createResponseService(base),
        createResponseService(base),
      ];
      const actor = contosoResponder;
      const decided = await first?.decide({
        actor,
        customer: h.customer('contoso'),
        incident,
        actionId: action.id,
        version: 0,
        decision: 'complete',
      });
      expect(decided?.kind).toBe('done');
      down = false;
      await Promise.all([first, second, third].map((s) => s?.pollOnce(customers())));
      expect(written).toHaveLength(1);

      // An audit line whose first attempt has not been made yet is the recorder's, not the poller's.
      const at = h.clock.now().toISOString();
      const ids = { customerId: 'contoso', incidentId: 'in-flight', actionId: 'a-1' };
      await h.responses.record({
        record: { ...ids, state: 'completed', by: 'contoso-responder', at, note: null, remoteId: null },
        expectedVersion: 0,
        audit: {
          ...ids,
          id: 'audit-in-flight',
          event: 'completed',
          actor: 'web:x',
          actorName: 'x',
          at,
          text: 'x',
        },
      });
      await second?.pollOnce(customers());
      expect(written).toHaveLength(1);
    });
  },
);
