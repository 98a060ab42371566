import { startGraphHarness } from '../support/graph-stand-in/harness.js';
import { incidentSourceContract } from './incident-source-contract.js';

// The IncidentSource contract on the Microsoft Graph client, talking HTTPS to the loopback Graph stand-in:
// real tokens from its token endpoint, real paging ($top 4 so several pages), virtual time for waits.

incidentSourceContract('graph (stand-in)', async () => {
  const h = await startGraphHarness({ customers: { contoso: 9, fabrikam: 6 }, tuning: { pageSize: 4 } });
  return {
    source: h.source,
    customers: h.customers,
    mutate: async (customerId) => {
      const tenantId = h.tenantOf(customerId);
      const target = h.standIn.table.list(tenantId)[0];
      if (target === undefined) throw new Error('no incidents');
      h.time.advance(1_000);
      h.standIn.table.update(tenantId, target.id, {
        comments: [
          ...target.comments,
          {
            comment: 'Contract check: still monitoring.',
            createdByDisplayName: 'Defender Experts',
            createdDateTime: h.standIn.table.stamp(),
          },
        ],
      });
      return target.id;
    },
    cleanup: () => h.close(),
  };
});
