import { describe, expect, it } from 'vitest';
import { parseIncidentLink } from '../../../../bot/links/incident-url.js';

// Portal links are read strictly: the two forms the portal produces, https, the exact host, a numeric id,
// and a GUID tenant when one is named. Anything else is not the bot's to preview.

const TID = '11111111-1111-4111-8111-111111111111';

describe('parseIncidentLink', () => {
  it.each([
    [`https://security.microsoft.com/incidents/42?tid=${TID}`, { id: '42', tenantId: TID }],
    ['https://security.microsoft.com/incidents/42', { id: '42', tenantId: null }],
    ['https://security.microsoft.com/incidents/42/', { id: '42', tenantId: null }],
    [`https://security.microsoft.com/incident2/30263/overview?tid=${TID}`, { id: '30263', tenantId: TID }],
    ['https://security.microsoft.com/incident2/30263/overview', { id: '30263', tenantId: null }],
    [
      'https://SECURITY.microsoft.com/incidents/7?tid=11111111-1111-4111-8111-11111111111A',
      {
        id: '7',
        tenantId: '11111111-1111-4111-8111-11111111111a',
      },
    ],
    ['https://security.microsoft.com/incidents/007', { id: '7', tenantId: null }],
  ])('reads %s', (url, expected) => {
    expect(parseIncidentLink(url)).toEqual(expected);
  });

  it.each([
    'http://security.microsoft.com/incidents/42',
    'https://security.microsoft.com.evil.example/incidents/42',
    'https://evil.example/security.microsoft.com/incidents/42',
    'https://xsecurity.microsoft.com/incidents/42',
    'https://security.microsoft.com:444/incidents/42',
    'https://user:pw@security.microsoft.com/incidents/42',
    'https://security.microsoft.com/incidents/42abc',
    'https://security.microsoft.com/incidents/-1',
    'https://security.microsoft.com/incidents/1234567890123',
    'https://security.microsoft.com/incidents/42/alerts',
    'https://security.microsoft.com/incident2/42',
    'https://security.microsoft.com/incident2/42/alerts',
    'https://security.microsoft.com/alerts/da42',
    'https://security.microsoft.com/incidents/42?tid=contoso',
    `https://security.microsoft.com/incidents/42?tid=${TID}&tid=${TID}`,
    'javascript:alert(1)',
    'not a url',
    `https://security.microsoft.com/incidents/42?x=${'a'.repeat(3000)}`,
  ])('ignores %s', (url) => {
    expect(parseIncidentLink(url)).toBeNull();
  });
});
