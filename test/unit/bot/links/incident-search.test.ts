import { describe, expect, it } from 'vitest';
import { incidentMatches, searchTerms } from '../../../../bot/links/incident-search.js';
import { makeIncident } from '../../../support/make-incident.js';

// The search matches an incident by id, title and the entities it names (user, device, file, and an IP
// address where the description names it); every term must match; text is never a pattern.

const incident = makeIncident('contoso', {
  id: '10432',
  displayName: 'Ransomware staged on a finance laptop',
  description: 'Beaconing to 203.0.113.7 was blocked.',
  alerts: [
    {
      id: 'da1',
      title: 'Suspicious PowerShell command line',
      severity: 'high',
      assets: ['LAPTOP-FIN-07', 'alice@contoso.example', 'invoice.pdf.exe'],
    },
  ],
  guidedResponse: {
    investigationSummary: '',
    actions: [
      {
        id: '1',
        kind: 'isolateDevice',
        target: { type: 'device', id: 'mde-1234', name: 'SRV-DC-01', excluded: false },
        state: 'pending',
      },
    ],
  },
});

describe('incident search', () => {
  it.each([
    '10432',
    '#10432',
    'ransomware',
    'FINANCE laptop',
    'alice@contoso.example',
    'laptop-fin-07',
    'invoice.pdf.exe',
    '203.0.113.7',
    'srv-dc-01',
    'powershell',
  ])('finds it by %s', (text) => {
    expect(incidentMatches(incident, searchTerms(text))).toBe(true);
  });

  it.each(['1043', 'ransomware fabrikam', 'bob@contoso.example', '.*', '(srv-dc-0[12])', 'SRV-DC-02'])(
    'does not find it by %s',
    (text) => {
      expect(incidentMatches(incident, searchTerms(text))).toBe(false);
    },
  );

  it('reads at most a few terms of a bounded text', () => {
    expect(searchTerms(`a ${'b '.repeat(500)}`).length).toBeLessThanOrEqual(8);
    expect(searchTerms('  "Quoted"  (words), ')).toEqual(['quoted', 'words']);
  });
});
