import { customerWorksOneAction } from './autopilot.js';
import { EXPERTS, pendingCount } from './lifecycle.js';
import {
  closingText,
  moveConcludeAsScripted,
  moveHandOff,
  movePerform,
  moveResolve,
  moveStart,
} from './moves.js';
import type { Random } from './random.js';
import type { Scenario, Verdict } from './scenario-kit.js';
import { SCENARIOS } from './scenarios.js';
import { addIncident, type CustomerState, type World } from './world.js';

// The initial state: each customer starts with incidents at every stage of the lifecycle, played through
// the same moves as live steps but back-dated, so the console has something to show the moment it opens.

type Stage =
  | 'resolvedTP'
  | 'resolvedFP'
  | 'resolvedInfo'
  | 'awaiting'
  | 'awaitingPartial'
  | 'concluded'
  | 'investigating'
  | 'new';

const RANK: readonly Stage[] = [
  'resolvedTP',
  'resolvedFP',
  'resolvedInfo',
  'awaiting',
  'awaitingPartial',
  'concluded',
  'investigating',
  'new',
];

// The first stages guarantee the promised coverage; the fillers repeat in order after them.
const READER_REQUIRED: readonly Stage[] = [
  'resolvedTP',
  'resolvedFP',
  'resolvedInfo',
  'awaiting',
  'awaitingPartial',
  'investigating',
  'new',
];
const READER_FILLER: readonly Stage[] = [
  'resolvedTP',
  'resolvedFP',
  'resolvedInfo',
  'resolvedTP',
  'awaiting',
  'concluded',
  'investigating',
];
const OPERATOR_REQUIRED: readonly Stage[] = [
  'resolvedTP',
  'resolvedFP',
  'resolvedInfo',
  'investigating',
  'concluded',
  'new',
];
const OPERATOR_FILLER: readonly Stage[] = [
  'resolvedTP',
  'resolvedFP',
  'resolvedInfo',
  'resolvedTP',
  'investigating',
  'new',
  'resolvedTP',
];

/** The default number of incidents each customer starts with. */
export const DEFAULT_INITIAL_INCIDENTS = 14;

/** Which stages a customer starts with, oldest first (resolved history, then open work). */
export function stagePlan(count: number, operator: boolean): Stage[] {
  const required = operator ? OPERATOR_REQUIRED : READER_REQUIRED;
  const filler = operator ? OPERATOR_FILLER : READER_FILLER;
  const plan: Stage[] = [];
  for (let i = 0; i < count; i += 1) {
    plan.push(
      i < required.length ? (required[i] as Stage) : (filler[(i - required.length) % filler.length] as Stage),
    );
  }
  return plan.sort((a, b) => RANK.indexOf(a) - RANK.indexOf(b));
}

const verdictOf = (stage: Stage): Verdict | undefined =>
  stage === 'resolvedFP'
    ? 'falsePositive'
    : stage === 'resolvedInfo'
      ? 'informationalExpectedActivity'
      : stage === 'new' || stage === 'investigating'
        ? undefined
        : 'truePositive';

const SECOND = 1000;

/**
 * Draws scenarios without replacement per verdict (refilled when empty), so a customer's history shows
 * many different stories. The ClickFix story comes first among true positives: its determination is
 * outside the known list, and every customer should show one such incident.
 */
function scenarioDeck(rng: Random): (verdict: Verdict | undefined) => Scenario {
  const decks = new Map<string, Scenario[]>();
  return (verdict) => {
    const key = verdict ?? 'any';
    let deck = decks.get(key) ?? [];
    if (deck.length === 0) {
      deck = SCENARIOS.filter((s) => verdict === undefined || s.verdict === verdict);
      decks.set(key, deck);
      if (verdict === 'truePositive' && !decks.has('clickfix-placed')) {
        decks.set('clickfix-placed', []);
        const i = deck.findIndex((s) => s.key === 'clickfix');
        if (i >= 0) return deck.splice(i, 1)[0] as Scenario;
      }
    }
    return deck.splice(rng.int(0, deck.length - 1), 1)[0] as Scenario;
  };
}

/** Plays each planned stage for one customer with back-dated, strictly increasing timestamps. */
export function seedCustomer(world: World, cs: CustomerState, count: number, nowMs: number): void {
  const { rng } = cs;
  const operator = cs.customer.expertsAccess === 'operator';
  const plan = stagePlan(count, operator);
  const draw = scenarioDeck(rng);
  plan.forEach((stage, i) => {
    const left = plan.length - i;
    const minutesAgo =
      stage === 'new'
        ? left * rng.int(4, 12)
        : stage.startsWith('resolved')
          ? left * 300 + rng.int(0, 90)
          : left * 90 + rng.int(0, 30);
    let t = nowMs - minutesAgo * 60 * SECOND - rng.int(0, 59_999);
    // Each move a few minutes after the previous one, never in the future, always strictly later.
    const next = (): string => {
      t = Math.min(t + rng.int(180, 1500) * SECOND + rng.int(0, 999), Math.max(t + 1, nowMs - 1));
      return new Date(t).toISOString();
    };
    const e = addIncident(world, cs, draw(verdictOf(stage)), new Date(t).toISOString());
    if (stage === 'new') return;
    moveStart(world, e, EXPERTS, next());
    if (stage === 'investigating') return;
    moveConcludeAsScripted(world, e, next());
    if (stage === 'resolvedFP' || stage === 'resolvedInfo' || stage === 'concluded') return;
    if (stage === 'resolvedTP' && operator) {
      movePerform(world, e, next());
      moveResolve(world, e, EXPERTS, closingText(e, false), next(), true);
      return;
    }
    moveHandOff(world, e, null, next());
    if (stage === 'awaiting') return;
    if (stage === 'awaitingPartial') {
      customerWorksOneAction(world, cs, e, next());
      return;
    }
    while (pendingCount(e.raw) > 0) customerWorksOneAction(world, cs, e, next());
    moveResolve(world, e, EXPERTS, closingText(e, true), next(), false);
  });
}
