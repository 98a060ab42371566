import { describe, expect, it } from 'vitest';
import { factsOfChannel } from '../../../adapters/slack/slack-audience.js';
import { channelShape } from '../../../adapters/teams/delivery/teams-audience.js';
import { decideAudience, mayAnswerOpenly } from '../../../bot/audience.js';
import { resolveActor } from '../../../bot/authz/resolve-actor.js';
import { demoDirectory } from '../../../bot/config/demo-customers.js';
import type { Principal } from '../../../bot/domain/actor.js';
import { connectChannel, internalChannel } from '../../support/slack-standin.js';

// The one rule of where customer data may be said, over the facts each adapter reports.

const directory = demoDirectory();
const slack = (userId: string, workspaceId: string): Principal => ({
  platform: 'slack',
  userId,
  workspaceId,
  displayName: userId,
});
const alice = slack('U0ALICE', 'T0CONTOSO');
const expert = slack('U0EXPERT1', 'T0EXPERTS');
const openly = (p: Principal, facts: Parameters<typeof decideAudience>[3]) =>
  mayAnswerOpenly(decideAudience(directory, 'slack', p.workspaceId, facts), resolveActor(directory, p));

describe('where customer data may be said', () => {
  it('lets a customer be answered openly only among their own organisation and the provider', () => {
    expect(openly(alice, { kind: 'private' })).toBe(true);
    expect(openly(alice, undefined)).toBe(true);
    expect(openly(alice, { kind: 'organisations', organisations: [] })).toBe(true);
    expect(openly(alice, { kind: 'organisations', organisations: ['T0CONTOSO', 'T0EXPERTS'] })).toBe(true);
    expect(openly(alice, { kind: 'organisations', organisations: ['T0CONTOSO', 'T0FABRIKAM'] })).toBe(false);
    expect(openly(alice, { kind: 'organisations', organisations: ['T0CONTOSO', 'T0NOBODY'] })).toBe(false);
    expect(openly(alice, { kind: 'unknown', reason: 'lookup failed' })).toBe(false);
  });

  it('lets the provider’s people be answered openly only among the provider', () => {
    expect(openly(expert, { kind: 'organisations', organisations: [] })).toBe(true);
    expect(openly(expert, { kind: 'private' })).toBe(true);
    expect(openly(expert, { kind: 'organisations', organisations: ['T0EXPERTS', 'T0CONTOSO'] })).toBe(false);
  });

  it('answers which customers a conversation may carry', () => {
    const shared = decideAudience(directory, 'slack', 'T0CONTOSO', {
      kind: 'organisations',
      organisations: ['T0EXPERTS'],
    });
    expect(shared.mayCarry('contoso')).toBe(true);
    expect(shared.mayCarry('fabrikam')).toBe(false);
    const teams = decideAudience(directory, 'teams', '11111111-1111-4111-8111-111111111111', {
      kind: 'organisations',
      organisations: ['22222222-2222-4222-8222-222222222222'],
    });
    expect(teams.mayCarry('contoso')).toBe(false);
    expect(teams.customers).toEqual(new Set(['contoso', 'fabrikam']));
  });
});

describe('what the adapters read', () => {
  it('reads Slack Connect channels from conversations.info’s shape', () => {
    expect(factsOfChannel({ ...internalChannel('C1') })).toEqual({
      kind: 'organisations',
      organisations: [],
    });
    expect(factsOfChannel({ ...connectChannel('C2', 'T0CONTOSO', ['T0FABRIKAM']) })).toEqual({
      kind: 'organisations',
      organisations: ['T0CONTOSO', 'T0FABRIKAM'],
    });
    expect(factsOfChannel({ id: 'C3', is_ext_shared: true })).toMatchObject({ kind: 'unknown' });
    expect(factsOfChannel({ id: 'D1', is_im: true })).toEqual({ kind: 'private' });
  });

  it('reads a Teams channel’s membership type and host tenant', () => {
    expect(
      channelShape({ channel: { id: '19:x', membershipType: 'shared' }, team: { tenantId: 't1' } }),
    ).toEqual({ membershipType: 'shared', hostTenant: 't1' });
    expect(channelShape(null)).toEqual({ membershipType: '', hostTenant: '' });
  });
});
