import { describe, expect, it } from 'vitest';
import { parseActionPayload } from '../../../bot/actions/registry.js';
import {
  commentsPayload,
  helpPayload,
  isVerb,
  listPayload,
  MAX_OFFSET,
  showPayload,
  VERBS,
} from '../../../cards/verbs.js';

// Inbound card data comes from any client: every payload the builders make parses back to itself, and
// anything malformed is refused with null.

describe('parseActionPayload', () => {
  it('round-trips every payload the builders make', () => {
    for (const p of [
      listPayload('awaiting', 'high', 20),
      listPayload('open', null, 0),
      showPayload('42'),
      commentsPayload('sim-7'),
      helpPayload(),
    ]) {
      expect(parseActionPayload(p.verb, JSON.parse(JSON.stringify(p.data)))).toEqual(p);
    }
  });

  it('fills defaults and drops keys it does not know (hosts merge inputs into data)', () => {
    expect(parseActionPayload(VERBS.incidentsList, { view: 'resolved', extra: 1 })).toEqual({
      verb: 'incidents.list',
      data: { view: 'resolved', severity: null, offset: 0 },
    });
    expect(parseActionPayload(VERBS.incidentShow, { id: '42', msteams: {} })).toEqual({
      verb: 'incident.show',
      data: { id: '42' },
    });
    expect(parseActionPayload(VERBS.help, undefined)).toEqual({ verb: 'help', data: {} });
  });

  it.each([
    ['unknown verb', 'incident.delete', { id: '42' }],
    ['verb not a string', 42, {}],
    ['data an array', VERBS.help, []],
    ['data a string', VERBS.incidentShow, '42'],
    ['missing id', VERBS.incidentShow, {}],
    ['id with spaces', VERBS.incidentShow, { id: '4 2' }],
    ['id too long', VERBS.incidentComments, { id: 'x'.repeat(65) }],
    ['id a number', VERBS.incidentComments, { id: 42 }],
    ['id with markup', VERBS.incidentShow, { id: '<at>x</at>' }],
    ['unknown view', VERBS.incidentsList, { view: 'deleted' }],
    ['missing view', VERBS.incidentsList, { offset: 0 }],
    ['unknown severity', VERBS.incidentsList, { view: 'open', severity: 'critical' }],
    ['negative offset', VERBS.incidentsList, { view: 'open', offset: -1 }],
    ['fractional offset', VERBS.incidentsList, { view: 'open', offset: 1.5 }],
    ['string offset', VERBS.incidentsList, { view: 'open', offset: '10' }],
    ['huge offset', VERBS.incidentsList, { view: 'open', offset: MAX_OFFSET + 1 }],
  ])('refuses %s', (_why, verb, data) => {
    expect(parseActionPayload(verb, data)).toBeNull();
  });

  it('knows exactly its verbs', () => {
    // Each feature adds its own verbs (question.* from Ask Defender Experts, sdm/report/checkin, response.*);
    // every verb is distinct.
    const verbs = Object.values(VERBS);
    expect(verbs).toEqual(
      expect.arrayContaining([
        'incidents.list',
        'incident.show',
        'incident.comments',
        'help',
        'question.form',
        'question.ask',
        'question.claim',
        'question.resolve',
        'questions.list',
        'response.done',
        'response.skip',
        'response.skip.confirm',
        'response.run',
        'response.run.confirm',
        'response.cancel',
      ]),
    );
    expect(new Set(verbs).size).toBe(verbs.length);
    expect(isVerb('help')).toBe(true);
    expect(isVerb('HELP')).toBe(false);
  });
});

describe('question verbs', () => {
  it('takes the incident typed into a form opened without one, the opening incident first', () => {
    expect(parseActionPayload('question.ask', { incidentId: null, qIncident: ' #42 ', qText: 'hi' })).toEqual(
      {
        verb: 'question.ask',
        data: { incidentId: '42', qText: 'hi' },
      },
    );
    expect(parseActionPayload('question.ask', { incidentId: '7', qIncident: '42', qText: 'hi' })).toEqual({
      verb: 'question.ask',
      data: { incidentId: '7', qText: 'hi' },
    });
    expect(parseActionPayload('question.ask', { incidentId: null, qIncident: '', qText: 'hi' })).toEqual({
      verb: 'question.ask',
      data: { incidentId: null, qText: 'hi' },
    });
    expect(parseActionPayload('question.ask', { qIncident: '42; drop', qText: 'hi' })).toBeNull();
  });

  it('parses the form submit with its inputs, and refuses bad ids, topics and oversized text', () => {
    expect(
      parseActionPayload('question.ask', { incidentId: '42', qTopic: 'threatIntelligence', qText: 'hi' }),
    ).toEqual({
      verb: 'question.ask',
      data: { incidentId: '42', qTopic: 'threatIntelligence', qText: 'hi' },
    });
    expect(parseActionPayload('question.ask', { incidentId: null, qText: '   ' })).toEqual({
      verb: 'question.ask',
      data: { incidentId: null },
    });
    expect(parseActionPayload('question.ask', { incidentId: '42; drop', qText: 'x' })).toBeNull();
    expect(parseActionPayload('question.ask', { incidentId: null, qTopic: 'gossip' })).toBeNull();
    expect(parseActionPayload('question.ask', { incidentId: null, qText: 'x'.repeat(8001) })).toBeNull();
    expect(parseActionPayload('question.claim', { id: 'Q-7K2M9P' })).toEqual({
      verb: 'question.claim',
      data: { id: 'Q-7K2M9P' },
    });
    expect(parseActionPayload('question.claim', { id: 'Q-1; drop' })).toBeNull();
    expect(parseActionPayload('question.resolve', {})).toBeNull();
    expect(parseActionPayload('questions.list', { extra: 1 })).toEqual({ verb: 'questions.list', data: {} });
  });
});
