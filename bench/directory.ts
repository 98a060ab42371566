import type { Directory } from '../bot/domain/customer.js';
import type { Logger } from '../bot/ports.js';
import { makeCustomer } from '../test/support/make-customer.js';

// Synthetic customers for the benchmarks: many customers, no workspaces, half of them with experts
// holding operator access.

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** `count` customers named `${prefix}${i}`, and an experts workspace with nobody in it. */
export function benchDirectory(count: number, prefix: string): Directory {
  const customers = Array.from({ length: count }, (_, i) =>
    makeCustomer(`${prefix}${i}`, i % 2 === 0 ? 'reader' : 'operator', `Customer ${i}`),
  );

  return {
    customers,
    experts: {
      slackTeamId: null,
      slackChannelId: null,
      teamsTenantId: null,
      teamsChannelId: null,
      teamsServiceUrl: null,
      members: [],
    },
  };
}
