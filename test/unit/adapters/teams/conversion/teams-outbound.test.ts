import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json' with { type: 'json' };
import { describe, expect, it } from 'vitest';
import {
  CARD_CONTENT_TYPE,
  cardInvokeResponse,
  drawnInPlace,
  messageInvokeResponse,
  replyActivity,
  teamsCard,
} from '../../../../../adapters/teams/conversion/teams-outbound.js';
import { parseActionPayload } from '../../../../../bot/actions/registry.js';
import { withNote } from '../../../../../cards/builders/card-note.js';
import type { AdaptiveCard } from '../../../../../cards/types.js';
import { allCards } from '../../../cards/fixtures.js';

// Replies → Teams activities: cards as sent (refresh block, Action.Submit fallbacks) stay valid Adaptive
// Cards 1.5 per the official schema; text goes out as plain text; invoke responses are never empty.

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', '..');
const schemaPath = path.join(repoRoot, 'test', 'fixtures', 'schemas', 'adaptive-card-1.5.schema.json');
const { id, ...schemaBody } = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
ajv.addMetaSchema(draft06);
const validate = ajv.compile({ ...schemaBody, $id: String(id) });

const regeneration = { verb: 'incidents.list', data: { view: 'open', severity: null, offset: 0 } };

function findAll(
  node: unknown,
  type: string,
  out: Array<Record<string, unknown>> = [],
): Array<Record<string, unknown>> {
  if (Array.isArray(node)) for (const n of node) findAll(n, type, out);
  else if (typeof node === 'object' && node !== null) {
    const o = node as Record<string, unknown>;
    if (o.type === type) out.push(o);
    for (const v of Object.values(o)) findAll(v, type, out);
  }
  return out;
}

describe('core reply → Teams activity', () => {
  it.each(allCards())(
    '%s stays a valid Adaptive Card 1.5 with refresh and Submit fallbacks',
    (_name, message) => {
      const card = teamsCard(message.card, regeneration, ['29:a', '29:b']);
      const valid = validate(card);
      expect(ajv.errorsText(validate.errors, { separator: '\n' })).toBe('No errors');
      expect(valid).toBe(true);
      expect(card.refresh).toEqual({
        action: { type: 'Action.Execute', ...regeneration },
        userIds: ['29:a', '29:b'],
      });
      const executes = findAll(card.body, 'Action.Execute').concat(findAll(card.actions, 'Action.Execute'));
      for (const action of executes) {
        expect(action.fallback).toEqual({
          type: 'Action.Submit',
          title: action.title,
          data: { verb: action.verb, data: action.data },
          // A button that sends no input (the Ask form's Cancel) sends none from older clients either.
          ...(action.associatedInputs === undefined ? {} : { associatedInputs: action.associatedInputs }),
        });
      }
      expect(message.card.refresh).toBeUndefined(); // the core's card is not modified
    },
  );

  it('keeps a refresh the card builder declared, lists at most 60 viewers, newest kept', () => {
    const own: AdaptiveCard = {
      type: 'AdaptiveCard',
      version: '1.5',
      body: [],
      refresh: { action: { type: 'Action.Execute', verb: 'alert.view', data: { id: '7' } } },
    };
    const ids = Array.from({ length: 75 }, (_, i) => `29:user-${i}`);
    const card = teamsCard(own, regeneration, ids);
    expect(card.refresh).toEqual({
      action: own.refresh && (own.refresh as Record<string, unknown>).action,
      userIds: ids.slice(15),
    });
    expect(teamsCard({ type: 'AdaptiveCard', version: '1.5', body: [] }, null, ids).refresh).toBeUndefined();
  });

  it('sends cards with the fallback text as summary, and text as plain text', () => {
    const [, message] = allCards()[0] ?? [];
    if (message === undefined) throw new Error('no card fixtures');
    const activity = replyActivity({ text: message.fallbackText, card: message.card, mode: 'new' }, null, []);
    expect(activity.summary).toBe(message.fallbackText.slice(0, 1000));
    expect(activity.attachments?.[0]?.contentType).toBe(CARD_CONTENT_TYPE);
    expect(activity.text).toBeUndefined();
    expect(replyActivity({ text: '**not bold** <at>x</at>', card: null, mode: 'new' }, null, [])).toEqual({
      type: 'message',
      text: '**not bold** <at>x</at>',
      textFormat: 'plain',
    });
  });

  it('builds invoke responses Teams accepts, never with an empty message', () => {
    const card: AdaptiveCard = { type: 'AdaptiveCard', version: '1.5', body: [] };
    expect(cardInvokeResponse(card)).toEqual({
      status: 200,
      body: { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card },
    });
    expect(messageInvokeResponse('  ').body).toEqual({
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
      value: 'Done.',
    });
    expect(String(messageInvokeResponse('x'.repeat(900)).body?.value).length).toBe(500);
  });

  it('marks every button of a form drawn in place, fallbacks included, leaving the core card alone', () => {
    const form = allCards().find(([name]) => name === 'question/form-incident')?.[1];
    if (form === undefined) throw new Error('no Ask form fixture');
    const before = JSON.stringify(form.card);
    const card = teamsCard(drawnInPlace(form.card), null, []);
    const executes = findAll(card.actions, 'Action.Execute');
    expect(executes.length).toBeGreaterThan(0);
    for (const action of executes) {
      expect(action.data).toMatchObject({ inPlace: true });
      expect((action.fallback as { data: { data: unknown } }).data.data).toEqual(action.data);
      // The submit still parses; only a form drawn in place answers with its source card.
      const data = { ...(action.data as object), from: 'alert', qText: 'Why?' };
      expect(parseActionPayload(String(action.verb), data)?.data).toMatchObject({ from: 'alert' });
      const elsewhere = { ...data, inPlace: undefined };
      expect(parseActionPayload(String(action.verb), elsewhere)?.data).not.toHaveProperty('from');
    }
    expect(JSON.stringify(form.card)).toBe(before);
  });

  it('keeps a card given back with a note a valid Adaptive Card, the note first', () => {
    const alert = allCards().find(([name]) => name === 'alert/hostile')?.[1];
    if (alert === undefined) throw new Error('no alert fixture');
    const noted = withNote(alert, 'Sent to Defender Experts as Q-7K2M9P — follow it **in** the thread.');
    const card = teamsCard(noted.card, null, []);
    expect(validate(card)).toBe(true);
    expect(JSON.stringify(card.body[0])).toContain('Sent to Defender Experts as Q-7K2M9P');
    expect(JSON.stringify(card.body[0])).not.toContain('**in**');
    expect(card.body.slice(1)).toEqual(teamsCard(alert.card, null, []).body);
    expect(noted.fallbackText.startsWith('Sent to Defender Experts as Q-7K2M9P')).toBe(true);
    // Cancel's note ("nothing sent") is not styled as a success, and stays valid.
    const cancelled = teamsCard(withNote(alert, 'Question not sent.', 'emphasis').card, null, []);
    expect(validate(cancelled)).toBe(true);
    expect(cancelled.body[0]).toMatchObject({ type: 'Container', style: 'emphasis' });
  });
});
