import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json' with { type: 'json' };
import { describe, expect, it } from 'vitest';
import { parseActionPayload } from '../../../bot/actions/registry.js';
import { VERBS } from '../../../cards/verbs.js';
import { allCards, allStrings, findAll } from './fixtures.js';

// Every card every builder produces, checked against the official Adaptive Card 1.5 schema (offline,
// from test/fixtures/schemas) and against our own rules: fallback text, verbs, data, links, size.

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const schemaPath = path.join(repoRoot, 'test', 'fixtures', 'schemas', 'adaptive-card-1.5.schema.json');
// The official file declares draft-06 but names its root id with draft-04's `id`; ajv 8 wants `$id`.
const { id, ...schemaBody } = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;
const schema = { ...schemaBody, $id: String(id) };

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
ajv.addMetaSchema(draft06);
const validate = ajv.compile(schema);

const cards = allCards();
const verbs: readonly string[] = Object.values(VERBS);

describe.each(cards)('%s', (_name, message) => {
  it('is a valid Adaptive Card 1.5', () => {
    const ok = validate(message.card);
    expect(ajv.errorsText(validate.errors, { separator: '\n' }), 'schema errors').toBe('No errors');
    expect(ok).toBe(true);
    expect(message.card.version).toBe('1.5');
  });

  it('has meaningful fallback text on the message and in the card', () => {
    expect(message.fallbackText.trim().length).toBeGreaterThan(20);
    expect(message.card.fallbackText?.trim().length ?? 0).toBeGreaterThan(20);
    expect(message.fallbackText).not.toMatch(/undefined|\[object Object\]/);
  });

  it('sends a known verb and parseable data from every Action.Execute', () => {
    for (const action of findAll(message.card, 'Action.Execute')) {
      expect(verbs).toContain(action.verb);
      expect(typeof action.title).toBe('string');
      expect(parseActionPayload(action.verb, action.data), JSON.stringify(action)).toEqual({
        verb: action.verb,
        data: action.data,
      });
    }
  });

  it('has only Execute and https OpenUrl actions', () => {
    for (const type of ['Action.Submit', 'Action.ShowCard', 'Action.ToggleVisibility']) {
      expect(findAll(message.card, type)).toEqual([]);
    }
    for (const link of findAll(message.card, 'Action.OpenUrl')) {
      expect(String(link.url)).toMatch(/^https:\/\//);
    }
  });

  it('leaves no unresolved binding and stays under the Teams card size limit', () => {
    const strings = allStrings(message.card);
    expect(strings.filter((s) => s.includes('${'))).toEqual([]);
    expect(strings.filter((s) => /undefined|\[object Object\]/.test(s))).toEqual([]);
    expect(new TextEncoder().encode(JSON.stringify(message.card)).length).toBeLessThan(26_000);
  });
});

it('covers every builder', () => {
  const kinds = new Set(cards.map(([name]) => name.split('/')[0]));
  expect([...kinds].sort()).toEqual([
    'alert',
    'checkin',
    'detail',
    'help',
    'list',
    'messages',
    'notice',
    'preview',
    'question',
    'relay',
    'report',
    'report-post',
    'response',
    'sdm',
    'search',
    'summary',
    'unlinked',
    'user-check',
    'welcome',
  ]);
});
