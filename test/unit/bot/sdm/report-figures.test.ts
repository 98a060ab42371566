import { describe, expect, it } from 'vitest';
import { reportCsv } from '../../../../bot/sdm/report-csv.js';
import { categoryLabel, computeReport, sourceLabel } from '../../../../bot/sdm/report-figures.js';
import { periodRange } from '../../../../bot/sdm/report-period.js';
import type { IncidentTimeline } from '../../../../bot/sdm/sdm-ports.js';
import { reportCard } from '../../../../cards/builders/report.js';
import { makeIncident } from '../../../support/make-incident.js';

// Report figures against a hand-computed fixture: eight incidents, of which six are Defender Experts
// incidents created in October 2026. The expected numbers below were worked out by hand (see comments).

const C = 'fig-customer';
const alert = (category: string, serviceSource: string, assets: string[]) => ({
  id: `a-${category}-${assets.join('-')}`,
  title: 't',
  severity: 'high',
  status: 'resolved',
  category,
  serviceSource,
  detectionSource: serviceSource,
  createdDateTime: '2026-10-01T00:00:00Z',
  assets,
});
const MDE = 'microsoftDefenderForEndpoint';

const incidents = [
  // A: handed off after 4 h, resolved 6 h later → with you; experts 4 h, customer 6 h, total 10 h.
  makeIncident(C, {
    id: 'A',
    severity: 'high',
    status: 'resolved',
    assignedTo: null,
    createdDateTime: '2026-10-02T00:00:00Z',
    lastUpdateDateTime: '2026-10-03T00:00:00Z',
    alerts: [alert('Execution', MDE, ['WS-1', 'alice'])],
  }),
  // B: resolved by the experts after 2 h.
  makeIncident(C, {
    id: 'B',
    severity: 'medium',
    status: 'resolved',
    assignedTo: null,
    createdDateTime: '2026-10-05T00:00:00Z',
    lastUpdateDateTime: '2026-10-05T02:00:00Z',
    alerts: [alert('Phishing', 'microsoftDefenderForOffice365', ['alice'])],
  }),
  // C: handed off, still awaiting the customer.
  makeIncident(C, {
    id: 'C',
    severity: 'low',
    status: 'awaitingAction',
    assignedTo: 'Customer',
    createdDateTime: '2026-10-10T00:00:00Z',
    alerts: [alert('Execution', MDE, ['WS-1', 'WS-2'])],
  }),
  // D: no recorded timeline; the body shows the customer acted, so it was resolved with you, but its
  // times are unknown (handoff = resolution = last update would say experts 24 h, customer 0 h): not averaged.
  makeIncident(C, {
    id: 'D',
    severity: 'high',
    status: 'resolved',
    assignedTo: null,
    createdDateTime: '2026-10-20T00:00:00Z',
    lastUpdateDateTime: '2026-10-21T00:00:00Z',
    alerts: [alert('CredentialAccess', 'microsoftDefenderForIdentity', ['alice'])],
    guidedResponse: {
      investigationSummary: 's',
      actions: [
        {
          id: 'D-1',
          kind: 'disableUser',
          target: { type: 'user', id: 'u', name: 'alice' },
          state: 'completed',
          by: 'alice@contoso.example',
          at: '2026-10-20T20:00:00Z',
        },
      ],
    },
  }),
  // E: created before the month → out.
  makeIncident(C, {
    id: 'E',
    status: 'resolved',
    createdDateTime: '2026-09-30T23:00:00Z',
    lastUpdateDateTime: '2026-10-01T05:00:00Z',
  }),
  // F: not a Defender Experts incident → out.
  makeIncident(C, {
    id: 'F',
    status: 'active',
    assignedTo: null,
    systemTags: [],
    displayName: 'Suspicious sign-in',
    createdDateTime: '2026-10-15T00:00:00Z',
  }),
  // H: first seen already resolved (the bot started after it ended): the inferred timeline has
  // handoff = resolution = last update, so it counts as resolved with you but its times are unknown.
  makeIncident(C, {
    id: 'H',
    severity: 'medium',
    status: 'resolved',
    assignedTo: null,
    createdDateTime: '2026-10-28T00:00:00Z',
    lastUpdateDateTime: '2026-10-29T00:00:00Z',
    alerts: [],
  }),
  // G: informational, resolved by the experts after 6 h, no alerts.
  makeIncident(C, {
    id: 'G',
    severity: 'informational',
    status: 'resolved',
    assignedTo: null,
    createdDateTime: '2026-10-25T00:00:00Z',
    lastUpdateDateTime: '2026-10-26T00:00:00Z',
    alerts: [],
  }),
];

const tl = (incidentId: string, handedOffAt: string | null, resolvedAt: string | null): IncidentTimeline => ({
  customerId: C,
  incidentId,
  expertsStartedAt: null,
  handedOffAt,
  resolvedAt,
  inferred: false,
});
const timelines = [
  tl('A', '2026-10-02T04:00:00Z', '2026-10-02T10:00:00Z'),
  tl('B', null, '2026-10-05T02:00:00Z'),
  tl('C', '2026-10-10T03:00:00Z', null),
  tl('G', null, '2026-10-25T06:00:00Z'),
  { ...tl('H', '2026-10-29T00:00:00Z', '2026-10-29T00:00:00Z'), inferred: true },
];

const NOW = new Date('2026-11-27T09:00:00Z');
const figures = computeReport({
  customerId: C,
  customerName: 'Fixture Ltd',
  range: periodRange({ kind: 'month', month: '2026-10' }, NOW),
  incidents,
  timelines,
  now: NOW,
});

describe('computeReport', () => {
  it('counts what the experts investigated and how it ended', () => {
    expect(figures.investigated).toBe(6);
    expect(figures.resolvedByExperts).toBe(2); // B, G
    expect(figures.resolvedWithYou).toBe(3); // A, D, H
    expect(figures.stillOpen).toBe(1);
    expect(figures.percentResolved).toBe(83); // 5 of 6
    expect(figures.rows.map((r) => r.id).sort()).toEqual(['A', 'B', 'C', 'D', 'G', 'H']);
  });

  it('averages the time to resolve over one set of incidents, split into shares that add up to it', () => {
    // Measured: A, B, G. D (no timeline) and H (inferred) are left out, not averaged in as 0 min.
    expect(figures.timesMeasured).toBe(3);
    expect(figures.avgHoursToResolve).toBe(6); // (10 + 2 + 6) / 3
    expect(figures.avgExpertsHours).toBe(4); // (4 + 2 + 6) / 3
    expect(figures.avgCustomerHours).toBe(2); // (6 + 0 + 0) / 3: B and G were never handed off
    expect((figures.avgExpertsHours ?? 0) + (figures.avgCustomerHours ?? 0)).toBe(figures.avgHoursToResolve);
    // The customer's time after a handoff, stated with its own (smaller) set: A only.
    expect(figures.handoffsMeasured).toBe(1);
    expect(figures.avgHoursAfterHandoff).toBe(6);
    expect(figures.timesNotMeasured).toBe(2);
    expect(figures.rows.filter((r) => r.timesMeasured === false).map((r) => r.id)).toEqual(['D', 'H']);
    const card = reportCard({ figures, links: null, customerParam: null, canPost: false });
    expect(card.fallbackText).toMatch(
      /Times not measured for 2 resolved incidents \(first seen already resolved/,
    );
    expect(JSON.stringify(card.card)).toContain('2 first seen already resolved');
    // Each average says which incidents it covers, and the card's figures add up as printed.
    const text = JSON.stringify(card.card);
    expect(text).toContain('Average times over the 3 resolved incidents with measured times');
    expect(text).toContain('6 h (experts 4 h + you 2 h)');
    expect(text).toContain('6 h on average (1 handed-off incident)');
  });

  it('keeps the stated shares adding up when the means are not round', () => {
    // Three incidents, each resolved: 1 h (experts 1), 2 h (experts 1, you 1), 2 h (experts 2).
    // Experts (1 + 1 + 2) / 3 = 1.333… → 1.33; you (0 + 1 + 0) / 3 = 0.333… → 0.33; whole 1.66.
    const mk = (id: string, created: string) =>
      makeIncident(C, {
        id,
        status: 'resolved',
        assignedTo: null,
        createdDateTime: created,
        lastUpdateDateTime: created,
      });
    const f = computeReport({
      customerId: C,
      customerName: 'Fixture Ltd',
      range: periodRange({ kind: 'month', month: '2026-10' }, NOW),
      incidents: [
        mk('P', '2026-10-01T00:00:00Z'),
        mk('Q', '2026-10-02T00:00:00Z'),
        mk('R', '2026-10-03T00:00:00Z'),
      ],
      timelines: [
        tl('P', null, '2026-10-01T01:00:00Z'),
        tl('Q', '2026-10-02T01:00:00Z', '2026-10-02T02:00:00Z'),
        tl('R', null, '2026-10-03T02:00:00Z'),
      ],
      now: NOW,
    });
    expect([f.avgExpertsHours, f.avgCustomerHours, f.avgHoursToResolve]).toEqual([1.33, 0.33, 1.66]);
    expect(f.avgHoursAfterHandoff).toBe(1);
  });

  it('breaks down by severity, category, service source and impacted asset', () => {
    expect(figures.bySeverity).toEqual([
      { label: 'High', count: 2 },
      { label: 'Medium', count: 2 },
      { label: 'Low', count: 1 },
      { label: 'Informational', count: 1 },
    ]);
    expect(figures.byCategory).toEqual([
      { label: 'Execution', count: 2 },
      { label: 'Credential access', count: 1 },
      { label: 'Phishing', count: 1 },
    ]);
    expect(figures.bySource).toEqual([
      { label: 'Defender for Endpoint', count: 2 },
      { label: 'Defender for Identity', count: 1 },
      { label: 'Defender for Office 365', count: 1 },
    ]);
    expect(figures.topAssets).toEqual([
      { label: 'alice', count: 3 },
      { label: 'WS-1', count: 2 },
      { label: 'WS-2', count: 1 },
    ]);
  });

  it('names categories and service sources in words, not Graph enum values', () => {
    expect(categoryLabel('InitialAccess')).toBe('Initial access');
    expect(categoryLabel('CommandAndControl')).toBe('Command and control');
    expect(categoryLabel('')).toBe('Unknown');
    expect(sourceLabel('microsoftAppGovernance')).toBe('App Governance');
    expect(sourceLabel('microsoftSomethingNew')).toBe('Something new');
  });

  it('covers exactly the calendar month, and the last N days up to now', () => {
    expect(figures.from).toBe('2026-10-01T00:00:00.000Z');
    expect(figures.to).toBe('2026-11-01T00:00:00.000Z');
    const week = periodRange({ kind: 'days', days: 7 }, NOW);
    expect(week.to.toISOString()).toBe(NOW.toISOString());
    expect(week.from.toISOString()).toBe('2026-11-20T09:00:00.000Z');
    expect(() => periodRange({ kind: 'month', month: '2026-12' }, NOW)).toThrow(/not started/);
  });

  it('answers an empty period with zeros and no averages', () => {
    const empty = computeReport({
      customerId: C,
      customerName: 'Fixture Ltd',
      range: periodRange({ kind: 'month', month: '2026-08' }, NOW),
      incidents,
      timelines,
      now: NOW,
    });
    expect(empty.investigated).toBe(0);
    expect(empty.percentResolved).toBeNull();
    expect(empty.avgHoursToResolve).toBeNull();
  });

  it('writes the CSV with the same figures, one line per incident, formulas neutralised', () => {
    const hostile = computeReport({
      customerId: C,
      customerName: 'Fixture Ltd',
      range: periodRange({ kind: 'month', month: '2026-10' }, NOW),
      incidents: [
        makeIncident(C, {
          id: 'H',
          displayName: '=HYPERLINK("http://evil","x")',
          createdDateTime: '2026-10-03T00:00:00Z',
        }),
      ],
      timelines: [],
      now: NOW,
    });
    const file = reportCsv(figures);
    // UTF-8 with a byte-order mark, so Excel reads accents and non-Latin names right.
    expect(Buffer.from(file, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const csv = file.slice(1).split('\r\n');
    expect(csv).toContain('Investigated,6,investigated');
    expect(csv).toContain('Average hours to resolve (over 3 resolved incidents),6,avgHoursToResolve');
    expect(csv).toContain('Average your action hours (over 3 resolved incidents),2,avgCustomerHours');
    expect(csv).toContain(
      'Average your hours after a handoff (over 1 handed-off incidents),6,avgHoursAfterHandoff',
    );
    expect(
      csv.some((l) => /^"?Times not measured \(first seen already resolved.*,2,timesNotMeasured$/.test(l)),
    ).toBe(true);
    // Labels people read, then the raw values for tools in their own columns.
    expect(csv).toContain(
      'Incident ID,Title,Severity,Status,Created (UTC),Handed off (UTC),Resolved (UTC),Resolved by,Times measured,Categories,Service sources,Assets,severity,status,resolvedBy',
    );
    expect(csv.find((l) => l.startsWith('H,'))).toMatch(
      /,Medium,Resolved,.*,With your help,No,.*,medium,resolved,withCustomer$/,
    );
    expect(csv.find((l) => l.startsWith('A,'))).toMatch(/,High,Resolved,.*,With your help,Yes,/);
    expect(csv.find((l) => l.startsWith('C,'))).toMatch(
      /,Low,Awaiting customer action,.*,low,awaitingAction,$/,
    );
    expect(csv.find((l) => l.startsWith('B,'))).toMatch(/,Defender Experts,Yes,.*,experts$/);
    expect(csv).toContain('Asset: alice,3,topAssets');
    expect(csv.filter((l) => /^[ABCDGH],/.test(l))).toHaveLength(6);
    expect(reportCsv(hostile)).toContain(`"'=HYPERLINK(""http://evil"",""x"")"`);
  });
});
