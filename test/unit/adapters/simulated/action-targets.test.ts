import { describe, expect, it } from 'vitest';
import type { GraphActionTarget } from '../../../../adapters/simulated/graph-json.js';
import { recommendedActions } from '../../../../adapters/simulated/lifecycle.js';
import { createRandom } from '../../../../adapters/simulated/random.js';
import { buildContext } from '../../../../adapters/simulated/scenario-kit.js';
import { SCENARIOS } from '../../../../adapters/simulated/scenarios.js';
import { makeCustomer } from '../../../support/make-customer.js';

// A guided-response card that resets the password of someone the incident never mentions teaches the demo's
// audience the wrong thing. Every recommended action of every scenario, the scenario's own or the generic
// set a handoff falls back to, targets an entity of its own incident: an asset of one of its alerts, or one
// its description or investigation summary names.

const customers = [makeCustomer('contoso', 'reader', 'Contoso Ltd'), makeCustomer('woodgrove', 'operator')];

/** How the incident names the target: device and user by name, a file by name, mail by subject, app by name. */
function nameOf(t: GraphActionTarget): string {
  if (t.type === 'file') return t.name.replace(/ \(SHA-256 [0-9a-f]+\)$/, '');
  if (t.type === 'mailMessage') return /^"(.*)" from /.exec(t.name)?.[1] ?? t.name;
  return t.name;
}

describe('recommended actions of the simulation', () => {
  for (const scenario of SCENARIOS) {
    it(`${scenario.key}: target only entities of their own incident`, () => {
      for (const customer of customers) {
        for (let seed = 1; seed <= 40; seed += 1) {
          const ctx = buildContext(createRandom(seed), customer, scenario);
          const entities = [
            ...scenario.alerts.flatMap((a) => a.assets(ctx)),
            scenario.description(ctx),
            scenario.investigationSummary(ctx),
          ].join('\n');
          const actions = recommendedActions(scenario, ctx);
          expect(actions.length, scenario.key).toBeGreaterThan(0);
          for (const a of actions) {
            if (a.target.excluded) continue;
            expect(entities, `${scenario.key} seed ${seed}: ${a.kind} on ${a.target.name}`).toContain(
              nameOf(a.target),
            );
          }
        }
      }
    });
  }
});
