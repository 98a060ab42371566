import { type Breakdown, NOT_MEASURED_WHY, type ReportFigures } from '../../bot/sdm/report-figures.js';
import { rangeText } from '../../bot/sdm/report-period.js';
import { LIMITS, plainLine, safeHttpsUrl } from '../escape.js';
import { SDM_VERBS } from '../sdm-verbs.js';
import type { CardMessage } from '../types.js';
import { cardMessage, type ExecuteView, md } from '../view.js';

// The business-review report: the figures, the chart image and the CSV link. The builder only
// formats; every number comes from computeReport.

export interface ReportCardInput {
  readonly figures: ReportFigures;
  /** Signed chart and CSV links, or null when this platform cannot reach the bot. */
  readonly links: { readonly chart: string; readonly csv: string } | null;
  /** The customer id the period buttons name (the SDM's view); null for the customer's own people. */
  readonly customerParam: string | null;
  /** Offer "Post to the service channel" (the SDM, for a calendar month). */
  readonly canPost: boolean;
  /** Local http links are allowed on the dev console only. */
  readonly allowHttp?: boolean;
}

const hoursText = (h: number | null): string => {
  if (h === null) return '—';
  if (h < 1) return `${Math.round(h * 60)} min`;
  if (h < 48) return `${Math.round(h * 10) / 10} h`;
  return `${Math.round((h / 24) * 10) / 10} days`;
};

const facts = (items: readonly Breakdown[], empty: string) =>
  items.length === 0
    ? [{ title: md(empty), value: '' }]
    : items.map((b) => ({ title: md(plainLine(b.label, LIMITS.name)), value: md(String(b.count)) }));

const button = (title: string, verb: string, data: { [k: string]: string | null }): ExecuteView => ({
  title: plainLine(title, 60),
  verb,
  data,
});

/** The report card; the fallback text carries every headline figure. */
export function reportCard(input: ReportCardInput): CardMessage {
  const f = input.figures;
  const customer = plainLine(f.customerName, LIMITS.name);
  const range = rangeText(f.from, f.to);
  const pct = f.percentResolved === null ? '—' : `${f.percentResolved}%`;
  const resolved = f.resolvedByExperts + f.resolvedWithYou;
  const chartUrl = input.links === null ? null : checkedUrl(input.links.chart, input.allowHttp === true);
  const csvUrl = input.links === null ? null : checkedUrl(input.links.csv, input.allowHttp === true);
  const periods: ExecuteView[] = ['7d', '30d', '90d']
    .filter((p) => p !== f.periodKey)
    .map((p) =>
      button(`Last ${p.replace('d', ' days')}`, SDM_VERBS.reportShow, {
        customer: input.customerParam,
        period: p,
      }),
    );
  const post =
    input.canPost && input.customerParam !== null
      ? [
          button('Post to the service channel', SDM_VERBS.reportPost, {
            customer: input.customerParam,
            period: f.periodKey,
          }),
        ]
      : [];
  const headline = `Investigated ${f.investigated} · resolved by the experts ${f.resolvedByExperts} · resolved with your help ${f.resolvedWithYou} · ${pct} resolved`;
  const times = [
    { title: 'Average time to resolve', value: hoursText(f.avgHoursToResolve) },
    { title: 'Experts’ investigation time', value: hoursText(f.avgExpertsHours) },
    { title: 'Your action time (after handoff)', value: hoursText(f.avgCustomerHours) },
  ];
  const unmeasured = f.timesNotMeasured ?? 0;
  const unmeasuredText =
    unmeasured === 0
      ? ''
      : `Times not measured for ${unmeasured} resolved incident${unmeasured === 1 ? '' : 's'} (${NOT_MEASURED_WHY}).`;
  if (unmeasured > 0)
    times.push({ title: 'Not measured', value: `${unmeasured} first seen already resolved` });
  const links =
    chartUrl === null
      ? 'The chart and CSV need the bot’s public address (PUBLIC_BASE_URL); ask your provider to set it.'
      : 'The chart link expires in 30 days, the CSV link in 7.';
  const note = unmeasuredText === '' ? links : `${unmeasuredText} ${links}`;
  return cardMessage(
    'report',
    {
      title: md('Defender Experts report'),
      subtitle: md(`${customer} · ${f.periodLabel} (${range})`),
      stats: [
        { value: md(String(f.investigated)), label: md('Investigated'), color: 'accent' },
        { value: md(String(f.resolvedByExperts)), label: md('Resolved by the experts'), color: 'good' },
        { value: md(String(f.resolvedWithYou)), label: md('Resolved with your help'), color: 'good' },
        { value: md(pct), label: md(`Resolved (${resolved} of ${f.investigated})`), color: 'default' },
      ],
      times: times.map((t) => ({ title: md(t.title), value: md(t.value) })),
      hasChart: chartUrl !== null,
      chartUrl: chartUrl ?? '',
      chartAlt: plainLine(`Bar chart: ${headline}`, LIMITS.line),
      sections: [
        { heading: md('By severity'), facts: facts(f.bySeverity, 'No incidents') },
        { heading: md('By category'), facts: facts(f.byCategory, 'No alerts') },
        { heading: md('By service source'), facts: facts(f.bySource, 'No alerts') },
        { heading: md('Most impacted assets'), facts: facts(f.topAssets, 'No assets named') },
      ],
      hasNote: true,
      note: md(note),
      hasCsv: csvUrl !== null,
      csvUrl: csvUrl ?? '',
      actions: [...post, ...periods],
    },
    [
      `Defender Experts report — ${customer} — ${f.periodLabel} (${range})`,
      headline,
      `Average time to resolve: ${hoursText(f.avgHoursToResolve)} (experts ${hoursText(f.avgExpertsHours)}, your action ${hoursText(f.avgCustomerHours)})`,
      unmeasuredText,
      `By severity: ${f.bySeverity.map((b) => `${b.label} ${b.count}`).join(', ')}`,
      f.topAssets.length > 0
        ? `Most impacted: ${f.topAssets.map((b) => `${plainLine(b.label, 80)} (${b.count})`).join(', ')}`
        : '',
    ],
  );
}

function checkedUrl(url: string, allowHttp: boolean): string | null {
  if (safeHttpsUrl(url) !== null) return url;
  return allowHttp && /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//.test(url) ? url : null;
}
