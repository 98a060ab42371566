import { awaitingSummaryCard, incidentDetailCard, incidentListCard, noticeCard } from '../cards/index.js';
import { withFreshTemplates } from '../cards/template-engine.js';
import type { CardMessage } from '../cards/types.js';
import { makeIncident } from '../test/support/make-incident.js';
import { type Comparison, interleave, report } from './stats.js';

// Card building. Candidate: the builders as they run (templates parsed once, cached). Baseline, same run:
// the very same builders with each template parsed afresh per card (`new Template()` per call).

const now = new Date('2026-11-27T09:00:00Z');

function richIncident() {
  return makeIncident('contoso', {
    id: '4242',
    status: 'awaitingAction',
    assignedTo: 'Customer',
    classification: 'truePositive',
    determination: 'malware',
    comments: Array.from({ length: 12 }, (_, i) => ({
      comment: `Step ${i}: the experts checked WS-FIN-042 and found **nothing** new.`,
      createdBy: 'Defender Experts',
      createdDateTime: new Date(Date.UTC(2026, 10, 26, i)).toISOString(),
    })),
    guidedResponse: {
      investigationSummary: 'Emotet loader from a phishing attachment; one device affected.',
      actions: ['isolateDevice', 'runAntivirusScan', 'collectInvestigationPackage', 'forcePasswordReset'].map(
        (kind, i) => ({
          id: String(i + 1),
          kind,
          target: {
            type: i < 3 ? 'device' : 'user',
            id: `t${i}`,
            name: i < 3 ? 'WS-FIN-042' : 'alice@contoso.example',
          },
          state: i === 0 ? 'completed' : 'pending',
        }),
      ),
    },
  });
}

/** Runs the benchmark and returns its printed lines. */
export async function benchCardExpansion(): Promise<string[]> {
  const incident = richIncident();
  const list = Array.from({ length: 10 }, (_, i) => makeIncident('contoso', { id: String(5000 + i) }));
  const cards: Record<string, () => CardMessage> = {
    'notice card': () =>
      noticeCard({ title: 'Incident not found', text: 'I can’t find incident 42.', tone: 'warning' }),
    'incident list card (10 rows)': () =>
      incidentListCard({
        customerName: 'Contoso Ltd',
        view: 'open',
        severity: null,
        page: { items: list, total: 42 },
        offset: 0,
        pageSize: 10,
        now,
      }),
    'incident detail card (12 comments, 4 actions)': () =>
      incidentDetailCard({ incident, commentsShown: 3, now }),
    'awaiting summary card': () =>
      awaitingSummaryCard({
        customerName: 'Contoso Ltd',
        counts: { open: 12, awaiting: 3, investigating: 4, resolved: 30, all: 42 },
        awaiting: list.slice(0, 3),
        now,
      }),
  };
  const lines: string[] = [];
  for (const [name, build] of Object.entries(cards)) {
    for (let i = 0; i < 200; i += 1) {
      build();
      withFreshTemplates(build);
    }
    const r = await interleave(10, 200, build, () => withFreshTemplates(build));
    lines.push(report({ name: `${name}: cached vs fresh Template`, ...r } satisfies Comparison));
  }
  return lines;
}
