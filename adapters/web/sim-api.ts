import { Router } from 'express';
import { z } from 'zod/v4';
import {
  CLASSIFICATION_LABELS,
  DETERMINATION_LABELS,
  DETERMINATIONS,
  SEVERITY_LABELS,
  STATUS_LABELS,
} from '../../bot/domain/enums.js';
import { assigneeLabel, type Incident } from '../../bot/domain/incident.js';
import { tolerantLabel, tolerantToString } from '../../bot/domain/tolerant.js';
import type { SimulationControl } from '../../bot/ports.js';
import { personaOf } from './console-api.js';
import type { ConsoleDeps } from './console-deps.js';
import { HttpError, jsonBody, parseWith } from './http-json.js';
import type { Persona } from './personas.js';

// The expert panel's API: the console acting as the provider's own tooling on the simulated service.
// Every move goes through SimulationControl (which refuses invalid transitions) and is then synced into
// the store at once, so the customers' chats see it without waiting for the poller.

const CONCLUSIONS = ['truePositive', 'falsePositive', 'informationalExpectedActivity'] as const;
const DECIDED = DETERMINATIONS.filter((d) => d !== 'unknown');
const INCIDENT_LIST_LIMIT = 100;

const who = { personaId: z.string().min(1).max(200) };
const target = { ...who, customerId: z.string().min(1).max(100), incidentId: z.string().min(1).max(64) };
const text = z.string().trim().min(1).max(4000);

const bodies = {
  step: z.strictObject(who),
  pause: z.strictObject({ ...who, paused: z.boolean() }),
  create: z.strictObject({ ...who, customerId: z.string().min(1).max(100) }),
  start: z.strictObject(target),
  classify: z.strictObject({
    ...target,
    classification: z.enum(CONCLUSIONS),
    determination: z.enum(DETERMINATIONS),
    summary: text,
  }),
  handoff: z.strictObject(target),
  resolve: z.strictObject({ ...target, comment: text }),
  comment: z.strictObject({ ...target, text }),
};

/** The panel's view of one incident: display labels only, so the page needs no vocabulary of its own. */
export interface SimIncidentRow {
  readonly id: string;
  readonly title: string;
  readonly status: string;
  readonly statusValue: string;
  readonly severity: string;
  readonly assignedTo: string;
  readonly classification: string;
  readonly determination: string;
  readonly lastUpdate: string;
  readonly pendingActions: number;
}

const row = (i: Incident): SimIncidentRow => ({
  id: i.id,
  title: i.displayName,
  status: tolerantLabel(i.status, STATUS_LABELS),
  statusValue: tolerantToString(i.status),
  severity: tolerantLabel(i.severity, SEVERITY_LABELS),
  assignedTo: assigneeLabel(i.assignedTo),
  classification: tolerantLabel(i.classification, CLASSIFICATION_LABELS),
  determination: tolerantLabel(i.determination, DETERMINATION_LABELS),
  lastUpdate: i.lastUpdateDateTime,
  pendingActions: (i.guidedResponse?.actions ?? []).filter((a) => a.state === 'pending').length,
});

/** The routes under /console/api/sim; 404 for all of them when the source is not the simulation. */
export function simApi(deps: ConsoleDeps, personas: ReadonlyMap<string, Persona>): Router {
  const router = Router();
  const customerIds = new Set(deps.directory.customers.map((c) => c.id));

  const sim = (): SimulationControl => {
    if (deps.simulation === null) {
      throw new HttpError(404, 'no_simulation', 'The incident source is not the simulation.');
    }
    return deps.simulation;
  };
  const expert = (personaId: string): Persona => {
    const persona = personaOf(personas, personaId);
    if (!persona.roles.includes('expert')) {
      throw new HttpError(403, 'not_expert', `Persona "${personaId}" is not one of the provider's experts.`);
    }
    return persona;
  };
  const customer = (customerId: string): string => {
    if (!customerIds.has(customerId)) {
      throw new HttpError(400, 'unknown_customer', `There is no customer "${customerId}".`);
    }
    return customerId;
  };
  const synced = async (customerId: string, incident: Incident): Promise<{ incident: SimIncidentRow }> => {
    await deps.sync.syncCustomer(customerId);
    return { incident: row(incident) };
  };

  router.get('/state', (_req, res) => {
    const s = sim();
    res.json({
      paused: s.isPaused(),
      customers: deps.directory.customers.map((c) => ({
        id: c.id,
        name: c.name,
        expertsAccess: c.expertsAccess,
      })),
      classifications: CONCLUSIONS.map((value) => ({ value, label: CLASSIFICATION_LABELS[value] })),
      determinations: DECIDED.map((value) => ({ value, label: DETERMINATION_LABELS[value] })),
    });
  });

  router.get('/incidents', async (req, res) => {
    sim();
    const q = parseWith(z.object({ customer: z.string().min(1).max(100) }), req.query);
    const page = await deps.store.listIncidents({
      customerId: customer(q.customer),
      view: 'all',
      severity: null,
      limit: INCIDENT_LIST_LIMIT,
      offset: 0,
    });
    res.json({ total: page.total, incidents: page.items.map(row) });
  });

  router.post('/step', ...jsonBody, async (req, res) => {
    const s = sim();
    expert(parseWith(bodies.step, req.body).personaId);
    await s.step();
    await Promise.all(deps.directory.customers.map((c) => deps.sync.syncCustomer(c.id)));
    res.json({ paused: s.isPaused() });
  });

  router.post('/pause', ...jsonBody, (req, res) => {
    const s = sim();
    const body = parseWith(bodies.pause, req.body);
    expert(body.personaId);
    s.setPaused(body.paused);
    res.json({ paused: s.isPaused() });
  });

  router.post('/create', ...jsonBody, async (req, res) => {
    const s = sim();
    const body = parseWith(bodies.create, req.body);
    expert(body.personaId);
    const id = customer(body.customerId);
    res.json(await synced(id, await s.createIncident(id)));
  });

  router.post('/start', ...jsonBody, async (req, res) => {
    const s = sim();
    const body = parseWith(bodies.start, req.body);
    const by = expert(body.personaId).principal.displayName;
    const id = customer(body.customerId);
    res.json(await synced(id, await s.startInvestigation(id, body.incidentId, by)));
  });

  router.post('/classify', ...jsonBody, async (req, res) => {
    const s = sim();
    const b = parseWith(bodies.classify, req.body);
    expert(b.personaId);
    const id = customer(b.customerId);
    const incident = await s.classify(id, b.incidentId, b.classification, b.determination, b.summary);
    res.json(await synced(id, incident));
  });

  router.post('/handoff', ...jsonBody, async (req, res) => {
    const s = sim();
    const body = parseWith(bodies.handoff, req.body);
    expert(body.personaId);
    const id = customer(body.customerId);
    if (deps.directory.customers.find((c) => c.id === id)?.expertsAccess === 'operator') {
      // With Security Operator access the experts act themselves; nothing is handed over.
      throw new HttpError(400, 'bad_input', `The experts hold operator access for ${id}: resolve instead.`);
    }
    res.json(await synced(id, await s.handOff(id, body.incidentId)));
  });

  router.post('/resolve', ...jsonBody, async (req, res) => {
    const s = sim();
    const body = parseWith(bodies.resolve, req.body);
    expert(body.personaId);
    const id = customer(body.customerId);
    res.json(await synced(id, await s.resolve(id, body.incidentId, body.comment)));
  });

  router.post('/comment', ...jsonBody, async (req, res) => {
    const s = sim();
    const body = parseWith(bodies.comment, req.body);
    const by = expert(body.personaId).principal.displayName;
    const id = customer(body.customerId);
    res.json(await synced(id, await s.comment(id, body.incidentId, by, body.text)));
  });

  return router;
}
