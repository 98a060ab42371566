import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeInputBlockId,
  decodeShowCard,
  encodeExecute,
  encodeShowCard,
  gatherInputs,
  SHOW_CARD_ID,
} from '../../../../../adapters/slack/render/action-codec.js';
import type { SlackBlock } from '../../../../../adapters/slack/render/block-kit.js';
import { verbOf } from '../../../../../adapters/slack/render/card-actions.js';
import { renderCard } from '../../../../../adapters/slack/render/render-card.js';
import { cardModal, NO_ORIGIN, parseMeta } from '../../../../../adapters/slack/render/views.js';
import { escapeMarkdown, safeHttpsUrl } from '../../../../../cards/escape.js';
import {
  buttons,
  decodedActions,
  initialState,
  limitViolations,
  MESSAGE,
  VIEW,
} from '../../../../support/slack-blocks.js';
import { HOSTILE } from '../../../cards/fixtures.js';

// Property test over generated cards of the subset the core uses (TextBlock, RichTextBlock, FactSet,
// ColumnSet/Column, Container, Image, Table, ActionSet, Action.Execute/Submit/OpenUrl/ShowCard, Input.Text/
// ChoiceSet/Toggle/Date): the output always keeps Slack's limits, every action stays reachable, no input is
// lost, and no text becomes a live mention or link.

type J = Record<string, unknown>;

const text = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 120 }).map(escapeMarkdown) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 60 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      HOSTILE,
      escapeMarkdown(HOSTILE),
      '<!channel>',
      '&lt;',
      '**bold**',
      '[ok](https://ok.example/a)',
      '[x](javascript:1)',
      '',
    ),
  },
  { weight: 1, arbitrary: fc.string({ minLength: 2000, maxLength: 7000 }).map(escapeMarkdown) },
);
const short = fc.string({ maxLength: 90 });
const data = fc.dictionary(
  fc.string({ maxLength: 12 }),
  fc.oneof(fc.string({ maxLength: 60 }), fc.integer(), fc.boolean()),
  { maxKeys: 4 },
);
const verb = fc.oneof(
  fc.constantFrom('help', 'incident.show', 'incidents.list', 'incident.comments'),
  fc.string({ maxLength: 40 }),
);

const execute = fc.record({
  type: fc.constant('Action.Execute'),
  title: short,
  verb,
  data,
  style: fc.constantFrom(undefined, 'default', 'positive', 'destructive'),
  isEnabled: fc.constantFrom(undefined, true, true, false),
});
const submit = fc.record({
  type: fc.constant('Action.Submit'),
  title: short,
  data: fc.tuple(verb, data).map(([v, d]) => ({ ...d, verb: v })),
});
const openUrl = fc.record({
  type: fc.constant('Action.OpenUrl'),
  title: short,
  url: fc.oneof(
    fc.webUrl({ validSchemes: ['https'] }),
    fc.constantFrom('javascript:alert(1)', 'http://plain.example/', 'https://user:pw@x.example/'),
  ),
});

const choice = fc.record({ title: short, value: fc.string({ minLength: 1, maxLength: 40 }) });
const input = fc.oneof(
  fc.record({
    type: fc.constant('Input.Text'),
    id: short,
    label: short,
    isMultiline: fc.boolean(),
    value: fc.option(fc.string({ maxLength: 200 }), { nil: undefined }),
    isRequired: fc.boolean(),
  }),
  fc.record({
    type: fc.constant('Input.ChoiceSet'),
    id: short,
    label: short,
    choices: fc.uniqueArray(choice, { minLength: 1, maxLength: 12, selector: (c) => c.value }),
    isMultiSelect: fc.boolean(),
    style: fc.constantFrom('compact', 'expanded'),
    value: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
  }),
  fc.record({
    type: fc.constant('Input.Toggle'),
    id: short,
    title: short,
    valueOn: fc.option(short, { nil: undefined }),
    valueOff: fc.option(short, { nil: undefined }),
  }),
  fc.record({
    type: fc.constant('Input.Date'),
    id: short,
    value: fc.constantFrom(undefined, '2026-11-20', 'tomorrow'),
  }),
);

const textBlock = fc.record({
  type: fc.constant('TextBlock'),
  text,
  weight: fc.constantFrom(undefined, 'bolder'),
  isSubtle: fc.boolean(),
  style: fc.constantFrom(undefined, undefined, 'heading'),
  fontType: fc.constantFrom(undefined, 'monospace'),
  separator: fc.boolean(),
});
const leaf = fc.oneof(
  { weight: 6, arbitrary: textBlock },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('RichTextBlock'),
      inlines: fc.array(
        fc.oneof(
          text,
          fc.record({
            type: fc.constant('TextRun'),
            text,
            weight: fc.constantFrom(undefined, 'bolder'),
            italic: fc.boolean(),
          }),
        ),
        { maxLength: 4 },
      ),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      type: fc.constant('FactSet'),
      facts: fc.array(fc.record({ title: short, value: text }), { maxLength: 14 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('Image'),
      url: fc.oneof(fc.webUrl({ validSchemes: ['https'] }), fc.constant('data:x')),
      altText: short,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('Table'),
      rows: fc.array(
        fc.record({
          type: fc.constant('TableRow'),
          cells: fc.array(
            fc.record({ type: fc.constant('TableCell'), items: fc.array(textBlock, { maxLength: 2 }) }),
            { maxLength: 4 },
          ),
        }),
        { maxLength: 8 },
      ),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      type: fc.constant('ActionSet'),
      actions: fc.array(fc.oneof(execute, execute, submit, openUrl), { maxLength: 6 }),
    }),
  },
  { weight: 1, arbitrary: input },
  // A long form (a readiness checklist): more inputs than one message holds, so it opens in a modal.
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('Container'),
      items: fc.array(
        fc.record({
          type: fc.constantFrom('Input.Text', 'Input.Date', 'Input.Toggle'),
          id: fc.constantFrom('owner', 'due', 'done', 'note'),
          label: fc.constantFrom('Owner', 'Due date', 'Done', 'Notes for the SDM'),
          title: fc.constant('Done'),
          isRequired: fc.boolean(),
        }),
        { minLength: 20, maxLength: 40 },
      ),
    }),
  },
);

const showCard = fc.record({
  type: fc.constant('Action.ShowCard'),
  title: short,
  card: fc.record({
    type: fc.constant('AdaptiveCard'),
    body: fc.array(fc.oneof(input, textBlock), { maxLength: 4 }),
    actions: fc.array(execute, { maxLength: 3 }),
  }),
});

const { element } = fc.letrec<{ element: unknown; container: unknown; columnSet: unknown }>((tie) => ({
  element: fc.oneof({ maxDepth: 2, depthIdentifier: 'card' }, leaf, tie('container'), tie('columnSet')),
  container: fc.record({
    type: fc.constant('Container'),
    style: fc.constantFrom(undefined, 'emphasis', 'warning', 'attention', 'good'),
    items: fc.array(tie('element'), { maxLength: 4, depthIdentifier: 'card' }),
  }),
  columnSet: fc.record({
    type: fc.constant('ColumnSet'),
    columns: fc.array(
      fc.record({
        type: fc.constant('Column'),
        items: fc.array(tie('element'), { maxLength: 3, depthIdentifier: 'card' }),
      }),
      { maxLength: 4 },
    ),
  }),
}));

/** Gives every input a unique id (some long), and keeps at most 40 inputs outside ShowCards. */
function normalise(card: J): J {
  let n = 0;
  let kept = 0;
  const walk = (node: unknown, inShowCard: boolean): unknown => {
    if (Array.isArray(node)) return node.map((x) => walk(x, inShowCard));
    if (typeof node !== 'object' || node === null) return node;
    const o = node as J;
    if (typeof o.type === 'string' && o.type.startsWith('Input.')) {
      if (!inShowCard) {
        kept += 1;
        if (kept > 40) return { type: 'TextBlock', text: 'x' };
      }
      n += 1;
      return { ...o, id: `${n}-${String(o.id).slice(0, n % 4 === 0 ? 90 : 8)}` };
    }
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, walk(v, inShowCard || k === 'card')]));
  };
  return walk(card, false) as J;
}

const cards = fc
  .record({
    type: fc.constant('AdaptiveCard'),
    version: fc.constant('1.5'),
    body: fc.array(element, { maxLength: 14 }),
    actions: fc.array(fc.oneof(execute, execute, submit, openUrl, showCard), { maxLength: 6 }),
  })
  .map((c) => normalise(c as J));

/** Walks a card as the renderer sees it: ShowCards that travel in a button are not expanded. */
function walkCard(node: unknown, visit: (o: J) => void): void {
  if (Array.isArray(node)) {
    for (const x of node) walkCard(x, visit);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const o = node as J;
  visit(o);
  for (const [k, v] of Object.entries(o)) {
    if (k === 'card' && o.type === 'Action.ShowCard' && encodeShowCard(v) !== null) continue;
    if (k === 'fallback') continue;
    walkCard(v, visit);
  }
}

const usableInput = (o: J): boolean => {
  if (o.type === 'Input.ChoiceSet')
    return (o.choices as J[]).some(
      (c) => typeof c.value === 'string' && c.value !== '' && c.value.length <= 150,
    );
  if (o.type === 'Input.Toggle')
    return typeof o.valueOn !== 'string' || (o.valueOn !== '' && o.valueOn.length <= 150);
  return true;
};

const inputIds = (blocks: readonly SlackBlock[]): string[] =>
  blocks.flatMap((b) => (b.type === 'input' ? [decodeInputBlockId(b.block_id)?.id ?? '?'] : []));

/** Every mrkdwn text of the blocks. */
const mrkdwnTexts = (blocks: readonly SlackBlock[]): string[] =>
  blocks.flatMap((b) => {
    if (b.type === 'section')
      return [...(b.text ? [b.text.text] : []), ...(b.fields ?? []).map((f) => f.text)];
    if (b.type === 'context') return b.elements.flatMap((e) => ('text' in e ? [e.text] : []));
    return [];
  });

describe('renderer properties (generated cards)', () => {
  it('always within Slack’s limits, every action reachable, no input lost, nothing live', () => {
    const seen = { continued: 0, inputs: 0, showCards: 0, notes: 0, bigForms: 0, tooBig: 0 };
    fc.assert(
      fc.property(cards, (card) => {
        const m = renderCard(card, { surface: 'message', nonce: 'n' });
        const pages = [m.blocks, ...m.continuation];
        for (const page of pages) expect(limitViolations(page, MESSAGE.blocks, MESSAGE.chars)).toEqual([]);
        for (const surface of ['modal', 'home'] as const) {
          expect(
            limitViolations(renderCard(card, { surface, nonce: 'n' }).blocks, VIEW.blocks, VIEW.chars),
          ).toEqual([]);
        }

        // mrkdwn is what Slack parses (plain_text never is): no mention, broadcast or link but an author's https one.
        for (const t of pages.flatMap(mrkdwnTexts)) {
          expect(t).not.toMatch(/<[!@#]/);
          for (const lt of t.matchAll(/</g)) expect(t.slice(lt.index, lt.index + 9)).toBe('<https://');
        }
        // A form that fits neither a message nor a button says so visibly; everything else is checked strictly.
        const tooBig = JSON.stringify(m.blocks).includes('this form is too large for Slack');
        if (tooBig) {
          seen.tooBig += 1;
          return;
        }
        const links = pages.flatMap((p) => buttons(p).map((b) => b.url)).filter(Boolean);
        const shown = pages.flatMap((p) => buttons(p).filter((b) => SHOW_CARD_ID.test(b.action_id)));
        const modalOf = (b: (typeof shown)[number]) =>
          cardModal(decodeShowCard(b.value), NO_ORIGIN, null, 'm');
        const modalActions = (b: (typeof shown)[number]) => {
          const meta = parseMeta(modalOf(b).private_metadata);
          return [
            ...decodedActions(modalOf(b).blocks),
            ...(meta.v === null ? [] : [{ verb: meta.v, data: meta.d }]),
          ];
        };
        // A form too big for a message opens in a modal from its own button ("dxb:s:0").
        const formButton = shown.find((b) => b.action_id === 'dxb:s:0');
        const sent = [
          ...pages.flatMap((p) => decodedActions(p)),
          ...(formButton ? modalActions(formButton) : []),
        ];
        const expectedInputs: string[] = [];
        walkCard(card, (o) => {
          if (
            (o.type === 'Action.Execute' || o.type === 'Action.Submit') &&
            o.isEnabled !== false &&
            encodeExecute(1, verbOf(o), o.data) !== null
          ) {
            expect(sent).toContainEqual({ verb: verbOf(o), data: o.data ?? {} });
          }
          const url = o.type === 'Action.OpenUrl' ? safeHttpsUrl(String(o.url)) : null;
          if (url !== null) expect(links).toContain(url);
          if (o.type === 'Action.ShowCard' && encodeShowCard(o.card) !== null) {
            expect(shown.map((b) => decodeShowCard(b.value))).toContainEqual(o.card);
          }
          if (typeof o.type === 'string' && o.type.startsWith('Input.') && usableInput(o))
            expectedInputs.push(String(o.id));
        });
        // Inputs stay in the first message beside the buttons that submit them, or all move to the form modal;
        // either way Slack's state maps back to every one of them.
        const formBlocks = formButton ? modalOf(formButton).blocks : [];
        expect([...inputIds(m.blocks), ...inputIds(formBlocks)].sort()).toEqual([...expectedInputs].sort());
        const state = { ...initialState(m.blocks), ...initialState(formBlocks) };
        expect(Object.keys(gatherInputs(state)).sort()).toEqual([...expectedInputs].sort());

        // A ShowCard opens as a modal with its inputs, and its actions as buttons or as the modal's submit.
        for (const b of shown) {
          const sub = decodeShowCard(b.value) as J;
          const modal = cardModal(sub, NO_ORIGIN, null, 'm');
          expect(limitViolations(modal.blocks, VIEW.blocks, VIEW.chars)).toEqual([]);
          const subInputs = (sub.body as J[])
            .filter((o) => String(o.type).startsWith('Input.') && usableInput(o))
            .map((o) => String(o.id));
          expect(inputIds(modal.blocks).sort()).toEqual(subInputs.sort());
          const reachable = modalActions(b);
          for (const a of sub.actions as J[]) {
            if (a.isEnabled !== false)
              expect(reachable).toContainEqual({ verb: verbOf(a), data: a.data ?? {} });
          }
        }

        if (formButton) seen.bigForms += 1;
        if (m.continuation.length > 0) seen.continued += 1;
        if (expectedInputs.length > 0) seen.inputs += 1;
        if (shown.length > 0) seen.showCards += 1;
        if (JSON.stringify(m.blocks).includes('not shown')) seen.notes += 1;
      }),
      // A failure shrinks for at most 25 s (big cards shrink slowly) and is still reported as one.
      { numRuns: 250, interruptAfterTimeLimit: 25_000, markInterruptAsFailure: true },
    );
    // The generator really reaches the hard cases: long cards, forms, modals, things Slack cannot show.
    const { tooBig, ...reached } = seen;
    expect(Math.min(...Object.values(reached)), JSON.stringify(seen)).toBeGreaterThan(0);
    // …and the strictly checked cards are the large majority.
    expect(tooBig, JSON.stringify(seen)).toBeLessThan(25);
  });
});
