import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../../bot/commands/parse.js';

describe('parseCommand: the documented command grammar', () => {
  it.each([
    ['help', { name: 'help' }],
    ['  HELP  ', { name: 'help' }],
    ['', { name: 'help' }],
    ['incidents', { name: 'incidents', view: 'open', severity: null, offset: 0 }],
    ['incidents awaiting', { name: 'incidents', view: 'awaiting', severity: null, offset: 0 }],
    [
      'incidents investigating high',
      { name: 'incidents', view: 'investigating', severity: 'high', offset: 0 },
    ],
    ['incidents low resolved', { name: 'incidents', view: 'resolved', severity: 'low', offset: 0 }],
    ['incidents all', { name: 'incidents', view: 'all', severity: null, offset: 0 }],
    ['incident 42', { name: 'incident', id: '42', allComments: false }],
    ["what's the status of 30263", { name: 'incident', id: '30263', allComments: false }],
    ['what is the status for #30263?', { name: 'incident', id: '30263', allComments: false }],
    ['incident #42', { name: 'incident', id: '42', allComments: false }],
    ['/experts incident 42', { name: 'incident', id: '42', allComments: false }],
    ['questions', { name: 'questions' }],
    ['find LAPTOP-7', { name: 'find', text: 'LAPTOP-7' }],
    ['find alice@contoso.com  device', { name: 'find', text: 'alice@contoso.com  device' }],
    ['/experts find 10432', { name: 'find', text: '10432' }],
    [
      'find',
      { name: 'unknown', hint: 'Try: find <text>, for example find LAPTOP-7 or find alice@contoso.com' },
    ],
    ['sdm', { name: 'sdm', message: null }],
    ['sdm please call me', { name: 'sdm', message: 'please call me' }],
    ['escalate the handoff for 42 is stuck', { name: 'escalate', message: 'the handoff for 42 is stuck' }],
    ['report', { name: 'report', period: { kind: 'days', days: 30 } }],
    ['report 7d', { name: 'report', period: { kind: 'days', days: 7 } }],
    ['report 2026-10', { name: 'report', period: { kind: 'month', month: '2026-10' } }],
    ['checkin', { name: 'checkin', startFor: null }],
    ['checkin start Contoso', { name: 'checkin', startFor: 'contoso' }],
    ['messages', { name: 'messages', filter: '30d' }],
    ['messages 7d', { name: 'messages', filter: '7d' }],
    ['messages OPEN', { name: 'messages', filter: 'open' }],
    ['show my messages', { name: 'messages', filter: '30d' }],
    ['conversation history', { name: 'messages', filter: '30d' }],
    ['open threads', { name: 'messages', filter: 'open' }],
    ['my messages from the last 7 days', { name: 'messages', filter: '7d' }],
    ['messages from the last 7 days', { name: 'unknown', hint: 'Try: messages [7d|30d|open]' }],
    ['subscribe', { name: 'subscribe', rules: null, onCall: null }],
    [
      'subscribe all',
      {
        name: 'subscribe',
        rules: [
          'handedOff',
          'resolvedTruePositive',
          'resolvedOther',
          'expertsStarted',
          'classificationChanged',
          'commentAdded',
          'actionChanged',
          'reopened',
        ],
        onCall: null,
      },
    ],
    [
      'subscribe handoff comments oncall <!subteam^S0SOC|soc-oncall>',
      {
        name: 'subscribe',
        rules: ['handedOff', 'commentAdded'],
        onCall: 'S0SOC',
      },
    ],
    ['subscribe oncall <@U0ALICE>', { name: 'subscribe', rules: null, onCall: 'U0ALICE' }],
    ['unsubscribe', { name: 'unsubscribe' }],
    ['summary', { name: 'summary' }],
  ])('%j', (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it('keeps the question text, line breaks included', () => {
    expect(parseCommand('ask Is this\nIP malicious?')).toEqual({
      name: 'ask',
      incidentId: null,
      text: 'Is this\nIP malicious?',
    });
    expect(parseCommand('ask incident 42 why was WS-1 isolated?')).toEqual({
      name: 'ask',
      incidentId: '42',
      text: 'why was WS-1 isolated?',
    });
  });
});

describe('parseCommand: light natural phrasing', () => {
  it.each([
    ["what's the status of incident 42", { name: 'incident', id: '42', allComments: false }],
    ['What’s the status of incident 42?', { name: 'incident', id: '42', allComments: false }],
    ['show me incident #1234', { name: 'incident', id: '1234', allComments: false }],
    ['tell me about incident 7', { name: 'incident', id: '7', allComments: false }],
    ['what needs my action?', { name: 'incidents', view: 'awaiting', severity: null, offset: 0 }],
    ['show open incidents', { name: 'incidents', view: 'open', severity: null, offset: 0 }],
    ['high severity incidents', { name: 'incidents', view: 'open', severity: 'high', offset: 0 }],
    [
      'what are the experts investigating',
      { name: 'incidents', view: 'investigating', severity: null, offset: 0 },
    ],
    ['list resolved incidents', { name: 'incidents', view: 'resolved', severity: null, offset: 0 }],
    ['who is my SDM?', { name: 'sdm', message: null }],
    [
      'ask the experts: is 10.0.0.5 part of this?',
      { name: 'ask', incidentId: null, text: 'is 10.0.0.5 part of this?' },
    ],
    ['hello', { name: 'help' }],
    ['status 10493', { name: 'incident', id: '10493', allComments: false }],
    ['Status of #10493?', { name: 'incident', id: '10493', allComments: false }],
    ['details 42', { name: 'incident', id: '42', allComments: false }],
    ['#10493', { name: 'incident', id: '10493', allComments: false }],
    ['10493', { name: 'incident', id: '10493', allComments: false }],
    ['status', { name: 'summary' }],
    ["what's the overall status", { name: 'summary' }],
  ])('%j', (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });
});

describe('parseCommand: bad input gets a hint, never a throw', () => {
  it.each([
    ['incident', /incident <id>/],
    ['incident 42 43', /incident <id>/],
    ['incidents purple', /not a view or severity/],
    ['report yesterday', /report \[7d/],
    ['ask', /ask <your question/],
    ['ask incident 42', /ask incident <id>/],
    ['escalate', /escalate/],
    ['subscribe everything', /not an alert type/],
    ['subscribe oncall', /subscribe oncall <user or group id>/],
    ['make me a sandwich', /help/],
    ['any new incidents today?', /can’t filter incidents by time/],
    ['incidents from the last 24h', /can’t filter incidents by time/],
    ['incidents today', /can’t filter incidents by time/],
    ['thanks', /You’re welcome/],
    ['config', /alert settings/],
    ['incidnets', /^Did you mean "incidents"\? I did not understand that/],
    ['Questons please', /^Did you mean "questions"\?/],
    ['Settings', /alert settings/],
    ['Thank you!', /You’re welcome/],
    ['\u0000\u0001<script>', /help/],
  ])('%j', (text, hint) => {
    const result = parseCommand(text);
    expect(result.name).toBe('unknown');
    expect(result.name === 'unknown' && result.hint).toMatch(hint);
  });

  it('never throws on arbitrary input', () => {
    for (let i = 0; i < 2000; i += 1) {
      const text = Array.from({ length: i % 60 }, (_, j) =>
        String.fromCharCode(((i * 31 + j * 17) % 500) + 1),
      ).join('');
      expect(() => parseCommand(text)).not.toThrow();
    }
  });
});
