import type { Incident } from '../../../bot/domain/incident.js';
import { incidentPreviewCard, incidentSearchCard, neutralPreviewCard } from '../../../cards/index.js';
import type { CardMessage } from '../../../cards/types.js';

// Cards of shared portal links and searches: an incident's preview in every state, the neutral preview,
// and search results (found, none, hostile search text).

export function linkCards(
  incidents: Readonly<Record<string, Incident>>,
  hostile: string,
  now: Date,
): Array<[string, CardMessage]> {
  const cards: Array<[string, CardMessage]> = [];
  for (const [name, incident] of Object.entries(incidents))
    cards.push([`preview/${name}`, incidentPreviewCard({ incident })]);
  const first = Object.values(incidents)[0] as Incident;
  cards.push([
    'preview/shared-link',
    incidentPreviewCard({
      incident: first,
      url: `https://security.microsoft.com/incident2/${first.id}/overview`,
    }),
  ]);
  cards.push(['preview/neutral', neutralPreviewCard()]);
  const list = Object.values(incidents);
  cards.push([
    'search/found',
    incidentSearchCard({
      customerName: 'Contoso Ltd',
      text: 'laptop',
      page: { items: list.slice(0, 3), total: 12 },
      now,
    }),
  ]);
  cards.push([
    'search/none',
    incidentSearchCard({ customerName: 'Contoso Ltd', text: hostile, page: { items: [], total: 0 }, now }),
  ]);
  return cards;
}
