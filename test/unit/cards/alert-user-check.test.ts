import { describe, expect, it } from 'vitest';
import { renderCard } from '../../../adapters/slack/render/render-card.js';
import type { AffectedUserAnswer, Incident } from '../../../bot/domain/incident.js';
import { incidentAlertCard } from '../../../cards/index.js';
import { NOW, sampleIncidents } from './fixtures.js';

// The alert card with "Was this you?" laid over it: a "No" is an attention banner on top and raises the
// card's tone whatever the incident's stage; "Yes" is a calm line, "Not sure" a neutral one, an open
// question a quiet one. The same words reach Slack (Block Kit) and the plain-text fallback.

const UPN = 'alex.wilber@contoso.example';
const at = '2026-11-20T03:14:00.000Z';

function alertWith(userChecks: readonly AffectedUserAnswer[] | undefined, base = 'awaiting') {
  const incident = sampleIncidents()[base] as Incident;
  return incidentAlertCard({
    customerName: 'Contoso Ltd',
    incident: userChecks === undefined ? incident : { ...incident, userChecks },
    latest: 'Handed off to you',
    now: NOW,
  });
}

type El = Record<string, unknown> & { items?: El[] };
const body = (m: ReturnType<typeof alertWith>): El[] => m.card.body as unknown as El[];
/** A card element's words, without the cards' markdown escapes. */
const words = (el: unknown): string => JSON.stringify(el).replaceAll('\\\\', '');
const slack = (m: ReturnType<typeof alertWith>): string =>
  JSON.stringify(renderCard(m.card, { surface: 'message', nonce: 'n' }).blocks).replaceAll('\\\\', '');

describe('the alert card and the affected user’s answer', () => {
  it('without a question: the card as before (no banner, no line)', () => {
    const m = alertWith(undefined);
    expect(body(m)[0]?.style).toBe('warning');
    expect(m.fallbackText).not.toMatch(/NOT them|confirmed this was them|whether this was them/);
  });

  it('"No": an attention banner at the top with the time, and the tone raised', () => {
    const m = alertWith([{ upn: UPN, state: 'answered', answer: 'no', answeredAt: at }]);
    const [banner, lifecycle] = body(m);
    expect(banner?.style).toBe('attention');
    expect(banner?.items?.[0]?.color).toBe('attention');
    expect(words(banner)).toContain(
      `Affected user ${UPN} says this was NOT them (answered 2026-11-20 03:14 UTC)`,
    );
    expect(words(banner)).toContain('Treat the account as compromised');
    expect(lifecycle?.style).toBe('attention');
    expect(words(lifecycle)).toContain('Action needed: handed off to you');
    expect(m.fallbackText.split('\n')[0]).toBe(
      `URGENT: Affected user ${UPN} says this was NOT them (answered 2026-11-20 03:14 UTC)`,
    );
    // Slack: the banner leads, marked as an alarm (Block Kit has no colours).
    const blocks = slack(m);
    expect(blocks).toContain(`:rotating_light: *Affected user ${UPN} says this was NOT them`);
    expect(blocks.indexOf('NOT them')).toBeLessThan(blocks.indexOf('Action needed'));
  });

  it('"No" raises even a resolved incident’s card', () => {
    const m = alertWith([{ upn: UPN, state: 'answered', answer: 'no', answeredAt: at }], 'resolved');
    expect(body(m)[1]?.style).toBe('attention');
    expect(words(body(m)[1])).toContain('Resolved by Defender Experts');
  });

  it('"Yes": a calm line, the tone unchanged; "Not sure" and an open question: neutral lines', () => {
    const m = alertWith([
      { upn: UPN, state: 'answered', answer: 'yes', answeredAt: at },
      { upn: 'megan@contoso.example', state: 'answered', answer: 'unsure', answeredAt: at },
      { upn: 'lee@contoso.example', state: 'asked', answer: null, answeredAt: null },
    ]);
    const els = body(m);
    expect(els[0]?.style).toBe('warning');
    expect(words(els)).not.toContain('NOT them');
    const line = (text: string) => els.find((el) => words(el).includes(text));
    expect(line(`${UPN} confirmed this was them (answered 2026-11-20 03:14 UTC)`)?.style).toBe('good');
    expect(line('megan@contoso.example is not sure this was them')?.style).toBe('emphasis');
    expect(line('Asked lee@contoso.example whether this was them; no answer yet')?.style).toBe('default');
    expect(m.fallbackText).toContain(`${UPN} confirmed this was them`);
    const blocks = slack(m);
    expect(blocks).toContain(`:white_check_mark: ${UPN} confirmed this was them`);
    expect(blocks).toContain('megan@contoso.example is not sure this was them');
  });
});
