import { type Incident, parseIncident } from '../../bot/domain/incident.js';

// Builds realistic incidents for tests through the same tolerant parser the sources use, so fixtures
// can never drift from the wire shape. Override any Graph field; unknown enum text stays text.

let counter = 0;

export function makeIncident(customerId: string, overrides: Record<string, unknown> = {}): Incident {
  counter += 1;
  const id = String(overrides.id ?? 5000 + counter);
  const created = String(overrides.createdDateTime ?? '2026-11-20T08:00:00.000Z');
  return parseIncident(
    {
      id,
      displayName: `Multi-stage incident involving Initial access & Execution on one endpoint (${id})`,
      description: null,
      status: 'inProgress',
      severity: 'high',
      assignedTo: 'Defender Experts',
      classification: 'unknown',
      determination: 'unknown',
      createdDateTime: created,
      lastUpdateDateTime: overrides.lastUpdateDateTime ?? created,
      systemTags: ['Defender Experts'],
      customTags: [],
      priorityScore: 71,
      incidentWebUrl: `https://security.microsoft.com/incidents/${id}?tid=00000000-0000-0000-0000-000000000001`,
      redirectIncidentId: null,
      summary: null,
      resolvingComment: null,
      comments: [],
      alerts: [
        {
          id: `da${id}`,
          title: 'Suspicious PowerShell command line',
          severity: 'high',
          status: 'new',
          category: 'Execution',
          serviceSource: 'microsoftDefenderForEndpoint',
          detectionSource: 'microsoftDefenderForEndpoint',
          createdDateTime: created,
          assets: ['WS-FIN-042', 'alice@contoso.example'],
        },
      ],
      guidedResponse: null,
      ...overrides,
    },
    customerId,
  );
}
