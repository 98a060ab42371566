import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  decodeShowCard,
  encodeShowCard,
  gatherInputs,
  SHOW_CARD_ID,
} from '../../../../../adapters/slack/render/action-codec.js';
import type { SlackBlock } from '../../../../../adapters/slack/render/block-kit.js';
import { messageText, renderCard } from '../../../../../adapters/slack/render/render-card.js';
import { cardModal, NO_ORIGIN, parseMeta } from '../../../../../adapters/slack/render/views.js';
import { escapeMarkdown } from '../../../../../cards/escape.js';
import {
  buttons,
  decodedActions,
  initialState,
  limitViolations,
  MESSAGE,
  VIEW,
} from '../../../../support/slack-blocks.js';
import { allCards, HOSTILE } from '../../../cards/fixtures.js';

// The Adaptive Card → Block Kit renderer over every card the core builds and over hand-made cards using
// each element and action of the subset: Slack's limits, the action round trip, inputs, escaping.

const card = (body: unknown[], actions: unknown[] = []) => ({
  type: 'AdaptiveCard',
  version: '1.5',
  body,
  actions,
});
const json = (blocks: readonly SlackBlock[]): string => JSON.stringify(blocks);

/** Every Execute action anywhere in a card, outside ShowCards. */
function executes(node: unknown): { verb: string; data: unknown }[] {
  if (Array.isArray(node)) return node.flatMap(executes);
  if (typeof node !== 'object' || node === null) return [];
  const n = node as Record<string, unknown>;
  const own = n.type === 'Action.Execute' ? [{ verb: String(n.verb), data: n.data ?? {} }] : [];
  return [
    ...own,
    ...Object.entries(n)
      .filter(([k]) => k !== 'card')
      .flatMap(([, v]) => executes(v)),
  ];
}

describe('every card the core builds', () => {
  for (const [name, message] of allCards()) {
    it(`${name}: within Slack's limits on every surface, every button reachable and round-tripping`, () => {
      const m = renderCard(message.card, { surface: 'message', nonce: 'n' });
      for (const page of [m.blocks, ...m.continuation]) {
        expect(limitViolations(page, MESSAGE.blocks, MESSAGE.chars)).toEqual([]);
      }
      for (const surface of ['modal', 'home'] as const) {
        const v = renderCard(message.card, { surface, nonce: 'n' });
        expect(limitViolations(v.blocks, VIEW.blocks, VIEW.chars)).toEqual([]);
      }
      const sent = [m.blocks, ...m.continuation].flatMap((p) => decodedActions(p));
      for (const action of executes(message.card)) expect(sent).toContainEqual(action);
    });
  }

  it('keeps hostile text inert: no live mention, broadcast or link, every mrkdwn verbatim', () => {
    for (const [name, message] of allCards()) {
      const m = renderCard(message.card, { surface: 'message', nonce: 'n' });
      const out = [m.blocks, ...m.continuation].map(json).join('');
      expect(out, name).not.toMatch(/<[!@#]/);
      expect(out, name).not.toMatch(/<https?:\/\/evil/);
      expect(out.match(/"type":"mrkdwn"/g)?.length ?? 0).toBe(out.match(/"verbatim":true/g)?.length ?? 0);
    }
    const m = renderCard(card([{ type: 'TextBlock', text: escapeMarkdown(HOSTILE) }]), {
      surface: 'message',
    });
    expect(json(m.blocks)).toContain('&lt;!here&gt;');
    expect(json(m.blocks)).toContain('[click](https://evil.example)');
  });
});

describe('elements', () => {
  it('TextBlock: heading → header, subtle → context, bolder → bold, monospace → code', () => {
    const { blocks } = renderCard(
      card([
        { type: 'TextBlock', text: 'Incident \\#42', style: 'heading' },
        { type: 'TextBlock', text: 'small print', isSubtle: true },
        { type: 'TextBlock', text: 'Loud', weight: 'bolder' },
        { type: 'TextBlock', text: 'cmd.exe', fontType: 'monospace' },
      ]),
      { surface: 'message' },
    );
    expect(blocks.map((b) => b.type)).toEqual(['header', 'context', 'section', 'section']);
    expect(json(blocks)).toContain('"text":"Incident #42"');
    expect(json(blocks)).toContain('*Loud*');
    expect(json(blocks)).toContain('`cmd.exe`');
  });

  it('RichTextBlock keeps run styles; TextRun text is not markdown', () => {
    const { blocks } = renderCard(
      card([
        {
          type: 'RichTextBlock',
          inlines: [
            'plain ',
            { type: 'TextRun', text: 'b', weight: 'bolder' },
            { type: 'TextRun', text: '<i>', italic: true },
          ],
        },
      ]),
      { surface: 'message' },
    );
    expect(json(blocks)).toContain('plain *b*_&lt;i&gt;_');
  });

  it('FactSet → fields (10 per section); a fact too long for a field gets a section', () => {
    const facts = Array.from({ length: 12 }, (_, i) => ({ title: `T${i}`, value: `v${i}` }));
    facts.push({ title: 'Long', value: 'x'.repeat(2500) });
    const { blocks } = renderCard(card([{ type: 'FactSet', facts }]), { surface: 'message' });
    const sections = blocks.filter((b) => b.type === 'section');
    expect(sections.map((s) => (s.type === 'section' ? (s.fields?.length ?? 0) : 0))).toEqual([10, 2, 0]);
    expect(limitViolations(blocks, MESSAGE.blocks, MESSAGE.chars)).toEqual([]);
  });

  it('ColumnSet of text → fields; with other content → flattened in order', () => {
    const textOnly = renderCard(
      card([
        {
          type: 'ColumnSet',
          columns: [
            { type: 'Column', items: [{ type: 'TextBlock', text: 'A' }] },
            { type: 'Column', items: [{ type: 'TextBlock', text: 'B', isSubtle: true }] },
          ],
        },
      ]),
      { surface: 'message' },
    );
    expect(textOnly.blocks).toEqual([
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: 'A', verbatim: true },
          { type: 'mrkdwn', text: '_B_', verbatim: true },
        ],
      },
    ]);
    const mixed = renderCard(
      card([
        {
          type: 'ColumnSet',
          columns: [
            { type: 'Column', items: [{ type: 'TextBlock', text: 'A' }] },
            {
              type: 'Column',
              items: [{ type: 'Image', url: 'https://img.example/a.png', altText: 'chart' }],
            },
          ],
        },
      ]),
      { surface: 'message' },
    );
    expect(mixed.blocks.map((b) => b.type)).toEqual(['section', 'image']);
  });

  it('Container: tone as emoji, a row with one button becomes a section with the button beside it', () => {
    const { blocks } = renderCard(
      card([
        {
          type: 'Container',
          style: 'warning',
          items: [
            { type: 'TextBlock', text: 'Handed over to you' },
            {
              type: 'ActionSet',
              actions: [{ type: 'Action.Execute', title: 'Open', verb: 'incident.show', data: { id: '42' } }],
            },
          ],
        },
      ]),
      { surface: 'message' },
    );
    expect(blocks).toHaveLength(1);
    expect(blocks[0]).toMatchObject({
      type: 'section',
      text: { text: ':warning: Handed over to you' },
      accessory: { type: 'button' },
    });
  });

  it('Image: https only; anything else is a visible note', () => {
    const { blocks } = renderCard(
      card([
        { type: 'Image', url: 'https://img.example/chart.png', altText: 'Chart' },
        { type: 'Image', url: 'http://img.example/x.png', altText: 'Old' },
        { type: 'Image', url: 'data:image/png;base64,AAAA' },
      ]),
      { surface: 'message' },
    );
    expect(blocks[0]).toEqual({
      type: 'image',
      image_url: 'https://img.example/chart.png',
      alt_text: 'Chart',
    });
    expect(json(blocks.slice(1))).toMatch(/Image not shown: Old/);
    expect(blocks).toHaveLength(3);
  });

  it('Table → header row in bold and one line per row', () => {
    const cell = (t: string) => ({ type: 'TableCell', items: [{ type: 'TextBlock', text: t }] });
    const { blocks } = renderCard(
      card([
        {
          type: 'Table',
          columns: [{ width: 1 }, { width: 1 }],
          rows: [
            { type: 'TableRow', cells: [cell('Asset'), cell('Count')] },
            { type: 'TableRow', cells: [cell('WS-1'), cell('3')] },
          ],
        },
      ]),
      { surface: 'message' },
    );
    expect(blocks).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: '*Asset | Count*\nWS-1 | 3', verbatim: true } },
    ]);
  });

  it('unknown elements use their fallback, or say that Slack cannot show them', () => {
    const { blocks } = renderCard(
      card([
        { type: 'Media', sources: [], fallback: { type: 'TextBlock', text: 'Video: see portal' } },
        { type: 'Media', sources: [], fallback: 'drop' },
        { type: 'CodeBlock', codeSnippet: 'x' },
      ]),
      { surface: 'message' },
    );
    expect(json(blocks)).toContain('Video: see portal');
    expect(json(blocks)).toMatch(/cannot show \(CodeBlock\)/);
    expect(blocks).toHaveLength(2);
  });

  it('splits text over 3,000 characters into several sections, never cutting an entity', () => {
    const { blocks } = renderCard(card([{ type: 'TextBlock', text: '&'.repeat(4000) }]), {
      surface: 'message',
    });
    expect(blocks.length).toBeGreaterThan(1);
    for (const b of blocks.filter((x) => x.type === 'section')) {
      const t = b.type === 'section' ? (b.text?.text ?? '') : '';
      expect(t).toMatch(/^(&amp;)+$/);
      expect(t.length).toBeLessThanOrEqual(3000);
    }
  });
});

describe('actions', () => {
  it('Execute and Submit round-trip verb and data through action_id and value', () => {
    const { blocks } = renderCard(
      card(
        [],
        [
          { type: 'Action.Execute', title: 'Open', verb: 'incident.show', data: { id: '42' } },
          { type: 'Action.Submit', title: 'Send', data: { verb: 'help', extra: 1 } },
        ],
      ),
      { surface: 'message' },
    );
    expect(decodedActions(blocks)).toEqual([
      { verb: 'incident.show', data: { id: '42' } },
      { verb: 'help', data: { verb: 'help', extra: 1 } },
    ]);
  });

  it('a destructive action gets a danger button with a confirm dialog naming it', () => {
    const { blocks } = renderCard(
      card(
        [],
        [
          {
            type: 'Action.Execute',
            title: 'Isolate WS-FIN-042',
            verb: 'incident.show',
            style: 'destructive',
            data: { id: '42' },
          },
        ],
      ),
      { surface: 'message' },
    );
    const [b] = buttons(blocks);
    expect(b?.style).toBe('danger');
    expect(b?.confirm?.text.text).toContain('Isolate WS-FIN-042');
    expect(b?.confirm?.style).toBe('danger');
  });

  it('OpenUrl: https link buttons only; a disabled action is listed, not clickable', () => {
    const { blocks } = renderCard(
      card(
        [],
        [
          { type: 'Action.OpenUrl', title: 'Portal', url: 'https://security.microsoft.com/incidents/42' },
          { type: 'Action.OpenUrl', title: 'Bad', url: 'javascript:alert(1)' },
          { type: 'Action.Execute', title: 'Isolate', verb: 'x', isEnabled: false },
        ],
      ),
      { surface: 'message' },
    );
    expect(buttons(blocks).map((b) => b.url)).toEqual(['https://security.microsoft.com/incidents/42']);
    expect(json(blocks)).toMatch(/link “Bad” is not shown/);
    expect(json(blocks)).toMatch(/Not available to you: Isolate/);
  });

  it('more than 25 buttons are split over several actions blocks', () => {
    const actions = Array.from({ length: 30 }, (_, i) => ({
      type: 'Action.Execute',
      title: `B${i}`,
      verb: 'help',
    }));
    const { blocks } = renderCard(card([], actions), { surface: 'message' });
    expect(
      blocks.filter((b) => b.type === 'actions').map((b) => (b.type === 'actions' ? b.elements.length : 0)),
    ).toEqual([25, 5]);
    expect(new Set(buttons(blocks).map((b) => b.action_id)).size).toBe(30);
  });

  it('ShowCard travels in its button and opens as a modal whose submit sends the action with the inputs', () => {
    const sub = {
      type: 'AdaptiveCard',
      body: [{ type: 'Input.Text', id: 'q', label: 'Question', isRequired: true }],
      actions: [{ type: 'Action.Execute', title: 'Ask', verb: 'help', data: { k: 1 } }],
    };
    const { blocks } = renderCard(
      card([], [{ type: 'Action.ShowCard', title: 'Ask the experts', card: sub }]),
      { surface: 'message' },
    );
    const [b] = buttons(blocks);
    expect(b?.action_id).toMatch(SHOW_CARD_ID);
    expect(decodeShowCard(b?.value)).toEqual(sub);
    const modal = cardModal(decodeShowCard(b?.value), NO_ORIGIN, 'Ask the experts', 'n');
    expect(modal.submit?.text).toBe('Ask');
    expect(parseMeta(modal.private_metadata)).toMatchObject({ v: 'help', d: { k: 1 } });
    const input = modal.blocks.find((x) => x.type === 'input');
    expect(input).toMatchObject({ optional: false, label: { text: 'Question' } });
  });

  it('a ShowCard too big for a button is shown expanded instead', () => {
    const big = {
      type: 'AdaptiveCard',
      body: Array.from({ length: 100 }, () => ({ type: 'TextBlock', text: randomBytes(32).toString('hex') })),
    };
    expect(encodeShowCard(big)).toBeNull();
    const { blocks } = renderCard(card([], [{ type: 'Action.ShowCard', title: 'Details', card: big }]), {
      surface: 'message',
    });
    expect(buttons(blocks)).toEqual([]);
    expect(json(blocks)).toContain('Details');
  });
});

describe('inputs', () => {
  const form = card(
    [
      { type: 'Input.Text', id: 'note', label: 'Note', isMultiline: true, value: 'pre' },
      {
        type: 'Input.ChoiceSet',
        id: 'sev',
        label: 'Severity',
        value: 'high',
        choices: [
          { title: 'High', value: 'high' },
          { title: 'Low', value: 'low' },
        ],
      },
      {
        type: 'Input.ChoiceSet',
        id: 'tags',
        isMultiSelect: true,
        style: 'expanded',
        value: 'a,b',
        choices: [
          { title: 'A', value: 'a' },
          { title: 'B', value: 'b' },
          { title: 'C', value: 'c' },
        ],
      },
      { type: 'Input.ChoiceSet', id: 'one', style: 'expanded', choices: [{ title: 'X', value: 'x' }] },
      { type: 'Input.Toggle', id: 'ok', title: 'I have done it', valueOn: 'yes', valueOff: 'no' },
      { type: 'Input.Date', id: 'due', value: '2026-12-01' },
    ],
    [{ type: 'Action.Execute', title: 'Save', verb: 'help' }],
  );

  it('each input kind becomes its Slack element, and Slack’s state maps back to the card ids', () => {
    const { blocks } = renderCard(form, { surface: 'message', nonce: 'n' });
    const kinds = blocks
      .filter((b) => b.type === 'input')
      .map((b) => (b.type === 'input' ? b.element.type : ''));
    expect(kinds).toEqual([
      'plain_text_input',
      'static_select',
      'checkboxes',
      'radio_buttons',
      'checkboxes',
      'datepicker',
    ]);
    expect(gatherInputs(initialState(blocks))).toEqual({
      note: 'pre',
      sev: 'high',
      tags: 'a,b',
      one: '',
      ok: 'no',
      due: '2026-12-01',
    });
  });

  it('a ticked toggle sends valueOn; unknown blocks in the state are ignored', () => {
    const { blocks } = renderCard(form, { surface: 'message', nonce: 'n' });
    const toggle = blocks.find(
      (b) => b.type === 'input' && b.element.type === 'checkboxes' && b.element.options.length === 1,
    );
    const id = toggle?.type === 'input' ? toggle.block_id : '';
    expect(
      gatherInputs({
        [id]: { 'dxb:in': { selected_options: [{ value: 'yes' }] } },
        other: { x: { value: 'y' } },
      }),
    ).toEqual({ ok: 'yes' });
  });

  it('inputs and the buttons that submit them stay in the first message even when content overflows', () => {
    const filler = Array.from({ length: 70 }, (_, i) => ({
      type: 'TextBlock',
      text: `Line ${i} ${'words '.repeat(60)}`,
    }));
    const big = { ...form, body: [...filler, ...form.body] };
    const r = renderCard(big, { surface: 'message', nonce: 'n' });
    expect(r.continuation.length).toBeGreaterThan(0);
    expect(r.blocks.filter((b) => b.type === 'input')).toHaveLength(6);
    expect(decodedActions(r.blocks)).toEqual([{ verb: 'help', data: {} }]);
    expect(json(r.blocks)).toContain('the rest follows in the thread');
    for (const page of [r.blocks, ...r.continuation])
      expect(limitViolations(page, MESSAGE.blocks, MESSAGE.chars)).toEqual([]);
  });
});

describe('a form too big for a message', () => {
  it('keeps the content in the message and opens every input in a modal from one button', () => {
    const fields = Array.from({ length: 60 }, (_, i) => ({
      type: 'Input.Text',
      id: `f${i}`,
      label: `Field ${i}`,
    }));
    const card = {
      type: 'AdaptiveCard',
      body: [
        { type: 'TextBlock', text: 'Readiness check-in', style: 'heading' },
        { type: 'Container', items: fields },
        {
          type: 'ActionSet',
          actions: [{ type: 'Action.OpenUrl', title: 'Guide', url: 'https://learn.example/guide' }],
        },
      ],
      actions: [{ type: 'Action.Execute', title: 'Save', verb: 'help', data: { step: 2 } }],
    };
    const { blocks, continuation } = renderCard(card, { surface: 'message', nonce: 'n' });
    expect(continuation).toEqual([]);
    expect(blocks.filter((b) => b.type === 'input')).toEqual([]);
    expect(json(blocks)).toContain('This form has 60 fields');
    expect(buttons(blocks).map((b) => b.url ?? b.text.text)).toEqual([
      'https://learn.example/guide',
      'Open the form',
    ]);
    const open = buttons(blocks).find((b) => SHOW_CARD_ID.test(b.action_id));
    const modal = cardModal(decodeShowCard(open?.value), NO_ORIGIN, null, 'm');
    expect(modal.blocks.filter((b) => b.type === 'input')).toHaveLength(60);
    expect(parseMeta(modal.private_metadata)).toMatchObject({ v: 'help', d: { step: 2 } });
    expect(modal.submit?.text).toBe('Save');
    expect(limitViolations(modal.blocks, VIEW.blocks, VIEW.chars)).toEqual([]);
  });
});

describe('a form too big even for a button', () => {
  it('shows what fits and says visibly how much could not be shown', () => {
    const noise = () => randomBytes(24).toString('hex');
    const fields = Array.from({ length: 40 }, (_, i) => ({
      type: 'Input.ChoiceSet',
      id: `f${i}`,
      label: noise(),
      choices: Array.from({ length: 10 }, () => ({ title: noise(), value: noise() })),
    }));
    const { blocks } = renderCard(
      {
        type: 'AdaptiveCard',
        body: fields,
        actions: [{ type: 'Action.Execute', title: 'Save', verb: 'help' }],
      },
      { surface: 'message', nonce: 'n' },
    );
    expect(limitViolations(blocks, MESSAGE.blocks, MESSAGE.chars)).toEqual([]);
    expect(json(blocks)).toMatch(
      /\d+ field\(s\) or button\(s\) could not be shown: this form is too large for Slack/,
    );
  });
});

describe('message text', () => {
  it('escapes the notification text so it cannot mention or link', () => {
    expect(messageText('Hi <!channel> & <@U1>')).toBe('Hi &lt;!channel&gt; &amp; &lt;@U1&gt;');
    expect(messageText('')).toBe('Defender Experts');
  });
});
