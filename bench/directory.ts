import type { Customer, Directory } from '../bot/domain/customer.js';
import type { Logger } from '../bot/ports.js';

// Synthetic customers for the benchmarks: many customers, no workspaces, half of them with experts
// holding operator access.

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** `count` customers named `${prefix}${i}`, and an experts workspace with nobody in it. */
export function benchDirectory(count: number, prefix: string): Directory {
  const customers: Customer[] = Array.from({ length: count }, (_, i) => ({
    id: `${prefix}${i}`,
    name: `Customer ${i}`,
    entraTenantId: null,
    expertsAccess: i % 2 === 0 ? 'reader' : 'operator',
    teamsTenantId: null,
    slackTeamId: null,
    sdm: null,
    responders: [],
    admins: [],
  }));
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
