import { z } from 'zod/v4';
import { MAX_OFFSET, VERBS } from '../../../cards/verbs.js';
import { customers } from '../../authz/grants.js';
import { SEVERITIES } from '../../domain/enums.js';
import { INCIDENT_VIEWS } from '../../domain/incident.js';
import { customerCtx } from '../../flows/context.js';
import { listIncidents, showIncident } from '../../flows/incident-status.js';
import { defineAction } from '../define.js';
import { incidentId, offset } from '../fields.js';

// The incident list's paging and filters, "Open" on an incident, and "Show all N comments".

export const incidentsList = defineAction({
  verb: VERBS.incidentsList,
  schema: z.object({
    view: z.enum(INCIDENT_VIEWS),
    severity: z
      .enum(SEVERITIES)
      .nullish()
      .transform((v) => v ?? null),
    offset: offset(MAX_OFFSET)
      .nullish()
      .transform((v) => v ?? 0),
  }),
  requires: customers(),
  // A page or a filter replaces the list it was asked from.
  handle: (ctx, d) => listIncidents(customerCtx(ctx), { ...d, mode: 'replace' }),
});

export const incidentShow = defineAction({
  verb: VERBS.incidentShow,
  schema: z.object({ id: incidentId }),
  requires: customers(),
  handle: (ctx, d) => showIncident(customerCtx(ctx), d.id, false, 'new'),
});

export const incidentComments = defineAction({
  verb: VERBS.incidentComments,
  schema: z.object({ id: incidentId }),
  requires: customers(),
  handle: (ctx, d) => showIncident(customerCtx(ctx), d.id, true, 'replace'),
});
