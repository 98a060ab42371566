import type { SimulationControl } from './surface.js';

// The provider's side of an incident, played through the dev console's expert panel API (the simulated
// incident source's controls). A bot process started with DEV_CONSOLE=on beside Teams or Slack serves it
// too, so every surface hands incidents over the same way; each move is synced into the store at once.

async function post(
  url: string,
  path: string,
  body: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const res = await fetch(`${url}/console/api/sim/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ personaId: 'expert', ...body }),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status !== 200) throw new Error(`sim ${path} answered ${res.status}: ${JSON.stringify(json)}`);
  return json;
}

/** Controls Contoso's simulated incidents through the bot at `url`. */
export function simulationControl(url: string, customerId = 'contoso'): SimulationControl {
  return {
    async handoff() {
      const created = (await post(url, 'create', { customerId })).incident as { id: string };
      const target = { customerId, incidentId: created.id };
      await post(url, 'start', target);
      await post(url, 'classify', {
        ...target,
        classification: 'truePositive',
        determination: 'malware',
        summary: 'Confirmed malware on one device.',
      });
      await post(url, 'handoff', target);
      return created.id;
    },
    async incidents() {
      const res = await fetch(`${url}/console/api/sim/incidents?customer=${customerId}`);
      const json = (await res.json()) as { incidents: { id: string; status: string; title: string }[] };
      return json.incidents;
    },
  };
}
