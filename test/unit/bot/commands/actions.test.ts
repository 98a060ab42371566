import { describe, expect, it } from 'vitest';
import { z } from 'zod/v4';
import { defineAction } from '../../../../bot/actions/define.js';
import {
  type AnyActionDefinition,
  actions,
  checkActions,
  parseActionPayload,
} from '../../../../bot/actions/registry.js';
import { VERB_PERMISSIONS } from '../../../../bot/authz/permissions.js';
import { permissionsTableMarkdown } from '../../../../bot/authz/permissions-table.js';
import { isVerb, VERBS } from '../../../../cards/verbs.js';

// Card actions are declared once (bot/actions/defs): the verbs cards send, the permission table and the data
// a click may carry all come from the registry.

describe('the action registry', () => {
  it('has one definition for every verb cards send, and no other', () => {
    expect(
      actions()
        .map((a) => a.verb)
        .sort(),
    ).toEqual(Object.values(VERBS).sort());
    for (const a of actions()) expect(isVerb(a.verb), a.verb).toBe(true);
  });

  it('is the permission table, in its own order, and the security docs show it', () => {
    expect(Object.keys(VERB_PERMISSIONS)).toEqual(actions().map((a) => a.verb));
    for (const a of actions())
      expect(VERB_PERMISSIONS[a.verb as keyof typeof VERB_PERMISSIONS]).toBe(a.requires);
    const rows = permissionsTableMarkdown()
      .split('\n')
      .filter((r) => r.includes('| card verb |'))
      .map((r) => /^\| `([^`]+)`/.exec(r)?.[1]);
    expect(rows).toEqual(actions().map((a) => a.verb));
  });

  it("validates a click's data with the verb's schema: unknown keys dropped, anything malformed refused", () => {
    expect(parseActionPayload(VERBS.incidentShow, { id: '42', extra: 1 })).toEqual({
      verb: VERBS.incidentShow,
      data: { id: '42' },
    });
    expect(parseActionPayload(VERBS.incidentShow, { id: '42; drop' })).toBeNull();
    expect(parseActionPayload(VERBS.help, null)).toEqual({ verb: VERBS.help, data: {} });
    expect(parseActionPayload(VERBS.help, 'text')).toBeNull();
    expect(parseActionPayload('no.such.verb', {})).toBeNull();
  });

  it('refuses a verb registered twice', () => {
    const make = (verb: string): AnyActionDefinition =>
      defineAction({
        verb,
        schema: z.object({}),
        requires: { who: ['member'], scope: 'nothing' },
        handle: async () => [],
      });
    expect(() => checkActions([make('a.b'), make('a.c')])).not.toThrow();
    expect(() => checkActions([make('a.b'), make('a.b')])).toThrow(/"a\.b" is registered twice/);
    expect(() => checkActions(actions())).not.toThrow();
  });
});
