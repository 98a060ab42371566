import type { AffectedUserAnswer } from '../../bot/domain/incident.js';
import { LIMITS, plainLine } from '../escape.js';
import { type CardColor, formatStamp } from '../format.js';
import { md } from '../view.js';

// What the alert card says about "Was this you?": a "No" is an attention banner at the top of the card and
// raises the card's tone; "Yes", "Not sure" and a question still open are one quiet line each.

export interface AffectedUserLine {
  readonly text: string;
  readonly style: 'good' | 'emphasis' | 'default';
  readonly color: CardColor;
}

export interface AffectedUserView {
  /** Plain text of the "NOT them" banner; null when nobody said "No". */
  readonly notThem: string | null;
  readonly lines: readonly AffectedUserLine[];
  /** The lines in plain text, for the card's fallback. */
  readonly plainLines: readonly string[];
}

const answeredAt = (iso: string | null): string =>
  iso === null || Number.isNaN(Date.parse(iso)) ? '' : ` (answered ${formatStamp(iso)})`;

/** The quiet line for a question that is not a "No": "Yes" calm, "Not sure" neutral, open quiet. */
function quietLine(c: AffectedUserAnswer, who: string, when: string): PlainLine | null {
  if (c.state === 'asked')
    return { plain: `Asked ${who} whether this was them; no answer yet`, style: 'default', color: 'default' };
  if (c.answer === 'yes')
    return { plain: `${who} confirmed this was them${when}`, style: 'good', color: 'good' };
  if (c.answer === 'unsure')
    return { plain: `${who} is not sure this was them${when}`, style: 'emphasis', color: 'default' };
  return null;
}

type PlainLine = {
  readonly plain: string;
  readonly style: AffectedUserLine['style'];
  readonly color: CardColor;
};

/** The banner and lines for the questions laid over an incident (none: nothing shown). */
export function affectedUserView(checks: readonly AffectedUserAnswer[] | undefined): AffectedUserView {
  const nos: string[] = [];
  const lines: PlainLine[] = [];
  for (const c of checks ?? []) {
    const who = plainLine(c.upn, LIMITS.name);
    const when = answeredAt(c.answeredAt);
    if (c.state === 'answered' && c.answer === 'no') nos.push(`${who} says this was NOT them${when}`);
    else {
      const line = quietLine(c, who, when);
      if (line !== null) lines.push(line);
    }
  }
  const notThem = nos.length === 0 ? null : `Affected user ${nos.join('; ')}`;
  return {
    notThem,
    lines: lines.map((l) => ({ text: md(l.plain), style: l.style, color: l.color })),
    plainLines: lines.map((l) => l.plain),
  };
}

/** Said under the banner: what a "No" means for the responders. */
export const NOT_THEM_NEXT =
  'Treat the account as compromised until shown otherwise: verify the user (MFA) and act on the account.';
