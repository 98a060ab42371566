import { describe, expect, it } from 'vitest';
import { parseActionPayload } from '../../../../bot/actions/registry.js';
import { MAX_REASON_LENGTH, VERBS } from '../../../../cards/verbs.js';

// The guided-response buttons' data comes from any client: parsed, never trusted.

const ok = { id: '42', action: 'ga1', v: 3 };

describe('guided-response verbs', () => {
  it('parses every guided-response verb with its incident, action and version', () => {
    for (const verb of [
      VERBS.responseDone,
      VERBS.responseSkip,
      VERBS.responseRun,
      VERBS.responseRunConfirm,
      VERBS.responseCancel,
    ]) {
      expect(parseActionPayload(verb, { ...ok, extra: 'dropped' })).toEqual({ verb, data: ok });
    }
  });

  it('takes the skip reason the host merged in, and none when there is none', () => {
    expect(parseActionPayload(VERBS.responseSkipConfirm, ok)).toEqual({
      verb: 'response.skip.confirm',
      data: ok,
    });
    expect(parseActionPayload(VERBS.responseSkipConfirm, { ...ok, reason: 'reimaged' })).toEqual({
      verb: 'response.skip.confirm',
      data: { ...ok, reason: 'reimaged' },
    });
    expect(parseActionPayload(VERBS.responseSkipConfirm, { ...ok, reason: 7 })).toBeNull();
    // Too long for the flow, but parsed so the flow can say how long it was; only absurd input is dropped.
    expect(
      parseActionPayload(VERBS.responseSkipConfirm, { ...ok, reason: 'x'.repeat(MAX_REASON_LENGTH * 2 + 1) }),
    ).not.toBeNull();
    expect(
      parseActionPayload(VERBS.responseSkipConfirm, {
        ...ok,
        reason: 'x'.repeat(MAX_REASON_LENGTH * 10 + 1),
      }),
    ).toBeNull();
  });

  it('carries a run confirmation token when it is well formed, and refuses a malformed one', () => {
    const c = '5b0c3f0e-8f4a-4a53-9a3e-0d6c2b1f7e11';
    expect(parseActionPayload(VERBS.responseRunConfirm, { ...ok, c })).toEqual({
      verb: 'response.run.confirm',
      data: { ...ok, c },
    });
    for (const bad of [7, 'short', 'x'.repeat(65), '<script>alert(1)</script>xxxxxxxx']) {
      expect(parseActionPayload(VERBS.responseRunConfirm, { ...ok, c: bad }), String(bad)).toBeNull();
    }
  });

  it('refuses malformed ids, actions and versions', () => {
    for (const bad of [
      { ...ok, id: '../42' },
      { ...ok, id: 42 },
      { ...ok, action: '' },
      { ...ok, action: 'a b' },
      { ...ok, action: 'x'.repeat(65) },
      { ...ok, v: -1 },
      { ...ok, v: 1.5 },
      { ...ok, v: '3' },
      { id: '42', action: 'ga1' },
    ]) {
      expect(parseActionPayload(VERBS.responseRun, bad), JSON.stringify(bad)).toBeNull();
    }
  });
});
