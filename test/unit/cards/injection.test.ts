import { describe, expect, it } from 'vitest';
import { unescapeMarkdown } from '../../../cards/escape.js';
import { incidentDetailCard, incidentListCard, noticeCard } from '../../../cards/index.js';
import { makeIncident } from '../../support/make-incident.js';
import { allCards, allStrings, HOSTILE, NOW, textsOf } from './fixtures.js';

// Relayed text must stay text: no live link, mention, emphasis, HTML or template expression in any card,
// while the reader still sees exactly what was written.

/** Removes escaped pairs, leaving only what a markdown renderer would interpret. */
const live = (s: string): string => s.replace(/\\[\s\S]/g, '');

const hostile = makeIncident('contoso', {
  id: '48',
  displayName: HOSTILE,
  summary: HOSTILE,
  assignedTo: '<at>Mallory</at>',
  comments: [
    {
      comment: HOSTILE,
      createdBy: '[Mallory](https://evil.example)',
      createdDateTime: '2026-11-20T09:00:00Z',
    },
  ],
});

describe.each([
  ['detail', incidentDetailCard({ incident: hostile, commentsShown: 5, now: NOW })],
  [
    'list',
    incidentListCard({
      customerName: HOSTILE,
      view: 'open',
      severity: null,
      page: { items: [hostile], total: 1 },
      offset: 0,
      pageSize: 10,
      now: NOW,
    }),
  ],
  ['notice', noticeCard({ title: HOSTILE, text: HOSTILE, tone: 'error' })],
])('%s card with hostile text', (_name, message) => {
  const texts = textsOf(message.card);

  it('shows the text, escaped', () => {
    const joined = texts.join('\n');
    expect(joined).toContain('\\[click\\](https\\://evil\\.example)');
    expect(joined).toContain('\\<at\\>');
    expect(joined).toContain('$\\{customerName\\}');
    expect(texts.map(unescapeMarkdown).join('\n')).toContain(HOSTILE.slice(0, 60));
  });

  it('leaves nothing a renderer would turn into a link, mention, emphasis or HTML', () => {
    for (const t of texts) {
      const bare = live(t);
      expect(bare, t).not.toMatch(/\[[^\]]*\]\(|<\/?[a-z!@]|\*\*|https?:\/\/|www\.[a-z]/i);
    }
  });

  it('contains no template expression', () => {
    expect(allStrings(message.card).filter((s) => s.includes('${'))).toEqual([]);
  });

  it('keeps hostile text out of verbs and action data', () => {
    const actions = JSON.stringify(message.card.actions ?? []);
    expect(actions).not.toContain('evil');
  });
});

it('no fixture card anywhere has live markup in its texts', () => {
  for (const [name, message] of allCards()) {
    for (const t of textsOf(message.card)) {
      expect(live(t), `${name}: ${t}`).not.toMatch(/\[[^\]]*\]\(|<\/?[a-z!@]|\*\*|https?:\/\/|www\.[a-z]/i);
    }
  }
});
