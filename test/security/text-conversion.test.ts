import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SLACK_TEXT_CAP, slackToPlain } from '../../adapters/slack/render/slack-text.js';
import { stripBotMention, TEAMS_TEXT_CAP } from '../../adapters/teams/conversion/teams-inbound.js';

// Slack and Teams text reaches the conversion before any workspace check, so the conversion must cost time
// in proportion to the text and stop at the platform's own length limit. Its meaning is pinned against the
// former regex conversion (kept here as the reference) over text shaped the way Slack sends it.

/** The regex conversion the adapter used before: right on Slack's text, but it rescans from every "<". */
function reference(text: string, botUserId: string | undefined): string {
  let t = text;
  if (botUserId) t = t.replace(new RegExp(`<@${botUserId}(?:\\|[^>]*)?>`, 'g'), ' ');
  return t
    .replace(/<@([UW][A-Z0-9]+)(?:\|([^>]*))?>/g, (_m, id: string, name?: string) => `@${name ?? id}`)
    .replace(/<#([CG][A-Z0-9]+)(?:\|([^>]*))?>/g, (_m, id: string, name?: string) => `#${name || id}`)
    .replace(/<!subteam\^[A-Z0-9]+(?:\|([^>]*))?>/g, (_m, name?: string) => name ?? '@group')
    .replace(/<!(here|channel|everyone)(?:\|[^>]*)?>/g, '@$1')
    .replace(/<((?:https?|mailto):[^|>]+)\|([^>]*)>/g, '$2 ($1)')
    .replace(/<((?:https?|mailto):[^>]+)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .trim();
}

const BOT = 'U0BOT';
const id = (first: string) => fc.stringMatching(new RegExp(`^${first}[A-Z0-9]{1,8}$`));
// What people type, as Slack sends it: "<", ">" and "&" escaped.
const typed = fc
  .string({ maxLength: 12 })
  .map((s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
const label = fc.stringMatching(/^[^<>|&]{0,10}$/);
const token = fc.oneof(
  typed,
  fc.constantFrom('&lt;', '&gt;', '&amp;', '&amp;lt;', ' ', '\n'),
  fc
    .tuple(id('[UW]'), fc.option(label, { nil: undefined }))
    .map(([u, n]) => `<@${u}${n === undefined ? '' : `|${n}`}>`),
  fc.constant(`<@${BOT}>`),
  fc
    .tuple(id('[CG]'), fc.option(label, { nil: undefined }))
    .map(([c, n]) => `<#${c}${n === undefined ? '' : `|${n}`}>`),
  fc
    .tuple(id('S'), fc.option(label, { nil: undefined }))
    .map(([g, n]) => `<!subteam^${g}${n === undefined ? '' : `|${n}`}>`),
  fc.constantFrom('<!here>', '<!channel>', '<!everyone|everyone>'),
  fc
    .tuple(
      fc.constantFrom('https://a.example/x', 'http://b.example', 'mailto:x@y.example'),
      fc.option(label, { nil: undefined }),
    )
    .map(([u, n]) => `<${u}${n === undefined ? '' : `|${n}`}>`),
);

describe('Slack text to plain text', () => {
  it('means what the regex conversion meant, for text shaped as Slack sends it', () => {
    fc.assert(
      fc.property(fc.array(token, { maxLength: 30 }), fc.boolean(), (parts, withBot) => {
        const text = parts.join('');
        const bot = withBot ? BOT : undefined;
        expect(slackToPlain(text, bot)).toBe(reference(text, bot));
      }),
      { numRuns: 2_000 },
    );
  });

  it('stops at Slack’s own limit and turns pathological text into bounded output', () => {
    // Each of these made the regex conversion rescan to the end from every "<".
    const shapes = ['<', '<@U1|', '<#C1|', '<!subteam^S1|', '<https://x|', '<mailto:a'];
    for (const unit of shapes) {
      const text = unit.repeat(Math.ceil((SLACK_TEXT_CAP * 1.5) / unit.length));
      const plain = slackToPlain(text, BOT);
      expect(plain.length, unit).toBeLessThanOrEqual(SLACK_TEXT_CAP);
      expect(plain, unit).toBe(text.slice(0, SLACK_TEXT_CAP).trim());
    }
  });
});

describe('Teams text', () => {
  it('stops at the platform’s own limit and counts only a few of the bot’s mentions', () => {
    const tag = '<at>Defender Experts</at>';
    const entities = Array.from({ length: 5_000 }, () => ({
      type: 'mention',
      text: tag,
      mentioned: { id: '28:bot', name: 'Defender Experts' },
    }));
    const text = `${tag} incidents ${'x'.repeat(TEAMS_TEXT_CAP * 2)}`;
    const plain = stripBotMention({ type: 'message', text, recipient: { id: '28:bot' }, entities } as never);
    expect(plain.startsWith('incidents x')).toBe(true);
    expect(plain.length).toBeLessThanOrEqual(TEAMS_TEXT_CAP);
  });
});
