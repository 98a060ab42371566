import { describe, expect, it } from 'vitest';
import {
  assetsOfEvidence,
  incidentFromGraph,
  isIncidentId,
} from '../../../../adapters/graph/incident-json.js';
import { incidentsPageUrl } from '../../../../adapters/graph/read-changes.js';
import { isExpertsIncident } from '../../../../bot/domain/incident.js';

// Graph v1.0 incident JSON (as documented, with $expand=alerts) into our Incident: evidence becomes
// assets, alertComment's createdByDisplayName becomes createdBy, evolving enums stay tolerant.

const graphIncident = {
  '@odata.type': '#microsoft.graph.security.incident',
  id: '2972395',
  incidentWebUrl: 'https://security.microsoft.com/incidents/2972395?tid=12f988bf-16f1-11af-11ab-1d7cd011db47',
  redirectIncidentId: null,
  displayName: 'Multi-stage incident involving Initial access & Command and control on multiple endpoints',
  tenantId: '12f988bf-16f1-11af-11ab-1d7cd011db47',
  createdDateTime: '2021-08-13T08:43:35.5533333Z',
  lastUpdateDateTime: '2021-09-30T09:35:45.1133333Z',
  assignedTo: 'Defender Experts',
  classification: 'truePositive',
  determination: 'multiStagedAttack',
  status: 'awaitingAction',
  severity: 'unknownFutureValue',
  customTags: ['Demo'],
  systemTags: ['Defender Experts'],
  comments: [
    {
      comment: 'Demo incident',
      createdByDisplayName: 'DavidS@contoso.onmicrosoft.com',
      createdDateTime: '2021-09-30T12:07:37.2756993Z',
    },
  ],
  alerts: [
    {
      '@odata.type': '#microsoft.graph.security.alert',
      id: 'da637551227677560813_-961444813',
      title: 'Suspicious execution of hidden file',
      severity: 'high',
      status: 'new',
      category: 'DefenseEvasion',
      serviceSource: 'microsoftDefenderForEndpoint',
      detectionSource: 'antivirus',
      createdDateTime: '2021-04-27T12:19:27.7211305Z',
      evidence: [
        {
          '@odata.type': '#microsoft.graph.security.deviceEvidence',
          deviceDnsName: 'tempDns',
          mdeDeviceId: '73e7e2de709dff64ef64b1d0c30e67fab63279db',
        },
        {
          '@odata.type': '#microsoft.graph.security.userEvidence',
          userAccount: { accountName: 'ntuser', domainName: 'DOMAIN' },
        },
        {
          '@odata.type': '#microsoft.graph.security.userEvidence',
          userAccount: { userPrincipalName: 'alice@contoso.example' },
        },
        { '@odata.type': '#microsoft.graph.security.mailboxEvidence', primaryAddress: 'ceo@contoso.example' },
        { '@odata.type': '#microsoft.graph.security.fileEvidence', fileDetails: { fileName: 'MsSense.exe' } },
        {
          '@odata.type': '#microsoft.graph.security.processEvidence',
          imageFile: { fileName: 'mssense.EXE' },
        },
        { '@odata.type': '#microsoft.graph.security.ipEvidence', ipAddress: '203.0.113.7' },
        { '@odata.type': '#microsoft.graph.security.deviceEvidence', deviceDnsName: 'TEMPDNS' },
      ],
    },
  ],
};

describe('Graph incident JSON', () => {
  it('maps a documented incident with expanded alerts', () => {
    const incident = incidentFromGraph(graphIncident, 'contoso');
    expect(incident).toMatchObject({
      id: '2972395',
      customerId: 'contoso',
      status: 'awaitingAction',
      classification: 'truePositive',
      determination: 'multiStagedAttack',
      severity: { unrecognised: 'unknownFutureValue' },
      comments: [{ comment: 'Demo incident', createdBy: 'DavidS@contoso.onmicrosoft.com' }],
      guidedResponse: null,
    });
    expect(incident.alerts[0]).toMatchObject({
      title: 'Suspicious execution of hidden file',
      severity: 'high',
      detectionSource: 'antivirus',
      assets: ['tempDns', 'DOMAIN\\ntuser', 'alice@contoso.example', 'ceo@contoso.example', 'MsSense.exe'],
    });
    expect(isExpertsIncident(incident)).toBe(true);
    expect(JSON.parse(JSON.stringify(incident))).toEqual(incident);
  });

  it('keeps an awaitingAction sent without the Prefer header as the text Graph sent', () => {
    expect(incidentFromGraph({ ...graphIncident, status: 'unknownFutureValue' }, 'contoso').status).toEqual({
      unrecognised: 'unknownFutureValue',
    });
  });

  it('tolerates missing lists and odd evidence', () => {
    expect(assetsOfEvidence(null)).toEqual([]);
    expect(assetsOfEvidence([{ '@odata.type': '#microsoft.graph.security.fileEvidence' }, 7, null])).toEqual(
      [],
    );
    expect(incidentFromGraph({ id: '1' }, 'contoso')).toMatchObject({
      alerts: [],
      comments: [],
      systemTags: [],
    });
    expect(() => incidentFromGraph({ displayName: 'no id' }, 'contoso')).toThrow(/without an id/);
  });

  it('accepts only plain incident ids in a URL path', () => {
    expect(isIncidentId('2972395')).toBe(true);
    for (const bad of ['', '../x', '1/comments', 'a b', 'x'.repeat(65)])
      expect(isIncidentId(bad)).toBe(false);
  });

  it('asks for changes since a mark, newest first, with alerts', () => {
    const url = incidentsPageUrl(16_000_000_000_000_000n, 50);
    expect(decodeURIComponent(url)).toBe(
      '/v1.0/security/incidents?$filter=lastUpdateDateTime ge 2020-09-13T12:26:40.0000000Z&$expand=alerts&$orderby=lastUpdateDateTime desc&$top=50',
    );
    expect(incidentsPageUrl(null, 10)).not.toContain('$filter');
  });
});
