import { createSimulatedSource } from '../../adapters/simulated/simulated-source.js';
import type { Customer, ExpertsAccess } from '../../bot/domain/customer.js';
import type { Clock } from '../../bot/ports.js';
import { makeCustomer } from '../support/make-customer.js';
import { incidentSourceContract } from './incident-source-contract.js';

// The IncidentSource contract on the simulation, with a clock that moves a second per change, as a
// poller's world would.

const customer = (id: string, name: string, expertsAccess: ExpertsAccess): Customer =>
  makeCustomer(id, expertsAccess, name);

incidentSourceContract('simulated', async () => {
  let t = Date.parse('2026-11-20T08:00:00.000Z');
  const clock: Clock = { now: () => new Date(t) };
  const customers = [
    customer('contoso', 'Contoso Ltd', 'reader'),
    customer('fabrikam', 'Fabrikam Inc', 'operator'),
  ];
  const sim = createSimulatedSource({ customers, seed: 7, clock });
  return {
    source: sim,
    customers,
    mutate: async (customerId) => {
      const target = customers.find((c) => c.id === customerId);
      if (!target) throw new Error(`no customer ${customerId}`);
      const first = (await sim.readChanges(target, null)).incidents[0];
      if (!first) throw new Error('no incidents');
      t += 1000;
      await sim.comment(
        customerId,
        first.id,
        'Defender Experts',
        'Contract check: still monitoring this one.',
      );
      return first.id;
    },
    cleanup: async () => sim.stop(),
  };
});
