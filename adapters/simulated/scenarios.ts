import type { Random } from './random.js';
import type { Scenario, Verdict } from './scenario-kit.js';
import { ENDPOINT_SCENARIOS } from './scenarios-endpoint.js';
import { IDENTITY_SCENARIOS } from './scenarios-identity.js';

// The whole catalogue and how the simulation draws from it. A unit test checks that every guided-response
// action kind appears somewhere, so the console can show each button without a tenant.

/** Every scenario the simulation can play, endpoint stories first. */
export const SCENARIOS: readonly Scenario[] = [...ENDPOINT_SCENARIOS, ...IDENTITY_SCENARIOS];

/** Draws a scenario, optionally one with a given verdict (used to seed every lifecycle stage). */
export function pickScenario(rng: Random, verdict?: Verdict): Scenario {
  const pool = verdict ? SCENARIOS.filter((s) => s.verdict === verdict) : SCENARIOS;
  return rng.pick(pool);
}
