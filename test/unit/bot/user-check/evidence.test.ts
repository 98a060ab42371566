import { describe, expect, it } from 'vitest';
import { incidentFromGraph } from '../../../../adapters/graph/incident-json.js';
import { affectedUsers, seenFor } from '../../../../bot/domain/user-check.js';

// "Was this you?" is asked from the evidence: who an incident names (Graph userEvidence with its Entra
// object id, or UPN-shaped entities), and what was seen, in words ("Sign-in to Exchange Online from …").

const alert = (title: string, evidence: unknown[], extra: Record<string, unknown> = {}) => ({
  id: `da-${title.length}`,
  title,
  severity: 'medium',
  status: 'new',
  createdDateTime: '2026-11-20T03:12:40Z',
  evidence,
  ...extra,
});
const user = (upn: string, azureAdUserId?: string) => ({
  '@odata.type': '#microsoft.graph.security.userEvidence',
  userAccount: {
    accountName: upn.split('@')[0],
    userPrincipalName: upn,
    ...(azureAdUserId ? { azureAdUserId } : {}),
  },
});
const ip = {
  '@odata.type': '#microsoft.graph.security.ipEvidence',
  ipAddress: '203.0.113.7',
  location: { city: 'Lagos', countryName: 'Nigeria' },
};
const exo = {
  '@odata.type': '#microsoft.graph.security.cloudApplicationEvidence',
  displayName: 'Exchange Online',
};

describe('what "Was this you?" asks about', () => {
  it('names the people of the evidence once each, with the object id Graph gives', () => {
    const incident = incidentFromGraph(
      {
        id: '42',
        alerts: [
          alert('Unfamiliar sign-in properties', [
            user('Megan.Bowen@contoso.example', 'A1B2C3D4-0000-4000-8000-000000000001'),
            ip,
            exo,
          ]),
          alert('Suspicious inbox rule', [
            user('megan.bowen@contoso.example'),
            user('nestor@contoso.example'),
          ]),
          alert('Process on device', [
            {
              '@odata.type': '#microsoft.graph.security.userEvidence',
              userAccount: { accountName: 'svc', domainName: 'CONTOSO' },
            },
          ]),
        ],
      },
      'contoso',
    );
    expect(affectedUsers(incident)).toEqual([
      { upn: 'Megan.Bowen@contoso.example', objectId: 'A1B2C3D4-0000-4000-8000-000000000001' },
      { upn: 'nestor@contoso.example', objectId: null },
    ]);
  });

  it('describes a sign-in from its evidence, and an alert without one by its title and time', () => {
    const incident = incidentFromGraph(
      {
        id: '42',
        displayName: 'Two things',
        alerts: [
          alert('Unfamiliar sign-in properties', [user('megan@contoso.example'), ip, exo], {
            firstActivityDateTime: '2026-11-20T03:12:00Z',
          }),
          // An IP address in a PowerShell alert is no sign-in.
          alert('Suspicious PowerShell command line', [user('nestor@contoso.example'), ip]),
        ],
      },
      'contoso',
    );
    expect(seenFor(incident, 'MEGAN@contoso.example')).toBe(
      'Sign-in to Exchange Online from 203.0.113.7, Lagos, Nigeria, at 03:12 UTC, new device',
    );
    expect(seenFor(incident, 'nestor@contoso.example')).toBe(
      'Suspicious PowerShell command line, at 03:12 UTC',
    );
  });

  it('keeps records written before the evidence fields as they were (no new keys)', () => {
    const incident = incidentFromGraph(
      { id: '7', alerts: [{ id: 'a', title: 'x', assets: ['alice@contoso.example'] }] },
      'c',
    );
    expect(Object.keys(incident.alerts[0] ?? {})).not.toContain('users');
    expect(Object.keys(incident.alerts[0] ?? {})).not.toContain('signIn');
    expect(affectedUsers(incident)).toEqual([{ upn: 'alice@contoso.example', objectId: null }]);
  });
});
