import { describe, expect, it } from 'vitest';
import type { Role } from '../../../../bot/domain/actor.js';
import type { ExpertsAccess } from '../../../../bot/domain/customer.js';
import type { ResponseAction } from '../../../../bot/domain/incident.js';
import type { ResponseDecision } from '../../../../bot/response/response-ports.js';
import { permit } from '../../../../bot/response/rules.js';

// The permission matrix of guided response: role × experts' access × decision, with
// execution on and off, plus the asset and state rules. The expected table is written out by hand.

const action = (over: Partial<ResponseAction> = {}): ResponseAction => ({
  id: 'a1',
  kind: 'isolateDevice',
  target: { type: 'device', id: 'd1', name: 'WS-0042', excluded: false },
  state: 'pending',
  by: null,
  at: null,
  note: null,
  ...over,
});

type Who = 'analyst' | 'responder' | 'admin' | 'expert' | 'sdm' | 'other-customer-responder';
const ROLES: Record<Who, { roles: Role[]; own: boolean }> = {
  analyst: { roles: ['analyst'], own: true },
  responder: { roles: ['analyst', 'responder'], own: true },
  admin: { roles: ['analyst', 'responder', 'admin'], own: true },
  expert: { roles: ['expert'], own: false },
  sdm: { roles: ['sdm'], own: false },
  'other-customer-responder': { roles: ['analyst', 'responder'], own: false },
};

// Who may do what, by hand: [who, access, execution] → the decisions allowed.
const EXPECTED: [Who, ExpertsAccess, boolean, ResponseDecision[]][] = [
  ['analyst', 'reader', true, []],
  ['analyst', 'operator', true, []],
  ['responder', 'reader', true, ['complete', 'skip', 'run']],
  ['responder', 'reader', false, ['complete', 'skip']],
  ['responder', 'operator', true, ['run']],
  ['responder', 'operator', false, []],
  ['admin', 'reader', true, ['complete', 'skip', 'run']],
  ['admin', 'reader', false, ['complete', 'skip']],
  ['admin', 'operator', true, ['run']],
  ['admin', 'operator', false, []],
  ['expert', 'reader', true, []],
  ['expert', 'operator', true, []],
  ['sdm', 'reader', true, []],
  ['sdm', 'operator', true, []],
  ['other-customer-responder', 'reader', true, []],
  ['other-customer-responder', 'operator', true, []],
];

const DECISIONS: ResponseDecision[] = ['complete', 'skip', 'run'];

const ask = (
  who: Who,
  access: ExpertsAccess,
  execution: boolean,
  decision: ResponseDecision,
  a = action(),
  runnable = true,
) =>
  permit(
    {
      roles: new Set(ROLES[who].roles),
      ownCustomer: ROLES[who].own,
      customerName: 'Contoso',
      expertsAccess: access,
      executionEnabled: execution,
      runnable,
      action: a,
    },
    decision,
  );

describe('guided-response permission matrix', () => {
  it.each(EXPECTED)('%s with %s access, execution %s may: %j', (who, access, execution, allowed) => {
    for (const decision of DECISIONS) {
      expect(ask(who, access, execution, decision).allowed, decision).toBe(allowed.includes(decision));
    }
  });

  it('tells people without the role why, before anything else', () => {
    const p = ask(
      'analyst',
      'reader',
      true,
      'run',
      action({ target: { ...action().target, excluded: true } }),
    );
    expect(p).toMatchObject({ allowed: false, code: 'role' });
    if (!p.allowed) expect(p.reason).toBe('Only Contoso responders and admins can act on guided response.');
  });

  it('gives an excluded asset guidance only: no decision at all, for anyone', () => {
    const excluded = action({ target: { ...action().target, excluded: true } });
    for (const decision of DECISIONS) {
      expect(ask('admin', 'reader', true, decision, excluded)).toMatchObject({
        allowed: false,
        code: 'excluded',
      });
    }
  });

  it('lets pending and failed actions be decided, never finished or running ones', () => {
    for (const state of ['completed', 'skipped', 'inProgress'] as const) {
      for (const decision of DECISIONS) {
        expect(ask('responder', 'reader', true, decision, action({ state }))).toMatchObject({
          code: 'state',
        });
      }
    }
    for (const decision of DECISIONS) {
      expect(ask('responder', 'reader', true, decision, action({ state: 'failed' })).allowed).toBe(true);
    }
    expect(
      ask('responder', 'reader', true, 'run', action({ state: { unrecognised: 'paused' } })).allowed,
    ).toBe(false);
  });

  it('offers Run only for what the executor can run', () => {
    expect(ask('responder', 'reader', true, 'run', action(), false)).toMatchObject({ code: 'not_runnable' });
    expect(ask('responder', 'reader', true, 'complete', action(), false).allowed).toBe(true);
  });
});
