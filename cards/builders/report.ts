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

/**
 * The whole and its parts in one unit (the one the whole reads best in). The parts are rounded and the whole
 * is printed as their sum, so what the card says adds up; it is then at most one last digit off the mean.
 */
function inOneUnit(whole: number, parts: readonly number[]): string[] {
  const [unit, hoursPer, step] =
    whole < 1 ? ['min', 1 / 60, 1] : whole < 48 ? ['h', 1, 10] : ['days', 24, 10];
  const rounded = parts.map((h) => Math.round((h / hoursPer) * step));
  const sum = rounded.reduce((a, b) => a + b, 0);
  return [sum, ...rounded].map((n) => `${n / step} ${unit}`);
}

/** Fewer incidents than this and the period is called quiet: the figures say little, and the card says so. */
export const QUIET_PERIOD = 3;

/** What an empty or nearly empty period is told, or null for a normal one. */
export function quietPeriodText(f: ReportFigures): string | null {
  if (f.investigated === 0)
    return `No Defender Experts incidents in ${f.periodLabel}: nothing was investigated, so there are no figures to compare.`;
  if (f.investigated < QUIET_PERIOD)
    return `A quiet period: only ${f.investigated} Defender Experts incident${f.investigated === 1 ? '' : 's'} in ${f.periodLabel}, too few for the averages to mean much.`;
  return null;
}

/** [a, b, c, d] → [[a, b], [c, d]]. */
const pairsOf = <T>(xs: readonly T[]): T[][] =>
  xs.flatMap((x, i) => (i % 2 === 0 ? [[x, ...xs.slice(i + 1, i + 2)]] : []));

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The time figures: each line names the incidents it covers, and the shares add up to the whole. */
function timeFigures(f: ReportFigures): { heading: string; facts: { title: string; value: string }[] } {
  const measured = f.timesMeasured;
  if (f.avgHoursToResolve === null || f.avgExpertsHours === null || f.avgCustomerHours === null)
    return { heading: 'Average times: no resolved incident with measured times yet', facts: [] };
  // A snapshot from before the averages shared one set: its parts are shown with the sets they had.
  if (measured === undefined)
    return {
      heading: 'Average times',
      facts: [
        { title: 'Time to resolve', value: hoursText(f.avgHoursToResolve) },
        { title: 'Experts’ investigation time', value: hoursText(f.avgExpertsHours) },
        { title: 'Your action time, after a handoff', value: hoursText(f.avgCustomerHours) },
      ],
    };
  const [whole, experts, yours] = inOneUnit(f.avgHoursToResolve, [f.avgExpertsHours, f.avgCustomerHours]);
  const facts = [{ title: 'Time to resolve', value: `${whole} (experts ${experts} + you ${yours})` }];
  const handoffs = f.handoffsMeasured ?? 0;
  if (handoffs > 0 && f.avgHoursAfterHandoff !== null && f.avgHoursAfterHandoff !== undefined)
    facts.push({
      title: 'Your time after a handoff',
      value: `${hoursText(f.avgHoursAfterHandoff)} on average (${plural(handoffs, 'handed-off incident')})`,
    });
  return {
    heading: `Average times over the ${plural(measured, 'resolved incident')} with measured times`,
    facts,
  };
}

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
  const times = timeFigures(f);
  const unmeasured = f.timesNotMeasured ?? 0;
  const unmeasuredText =
    unmeasured === 0
      ? ''
      : `Times not measured for ${plural(unmeasured, 'resolved incident')} (${NOT_MEASURED_WHY}).`;
  if (unmeasured > 0)
    times.facts.push({ title: 'Not measured', value: `${unmeasured} first seen already resolved` });
  const links =
    chartUrl === null
      ? 'The chart and CSV need the bot’s public address (PUBLIC_BASE_URL); ask your provider to set it.'
      : 'The chart link expires in 30 days, the CSV link in 7.';
  const note = unmeasuredText === '' ? links : `${unmeasuredText} ${links}`;
  const quiet = quietPeriodText(f);
  const severities = f.bySeverity.map((b) => `${b.label} ${b.count}`).join(', ');
  const alt = `Bar chart, ${f.periodLabel}: investigated ${f.investigated}, resolved by the experts ${f.resolvedByExperts}, resolved with your help ${f.resolvedWithYou}, still open ${f.stillOpen}; by severity: ${severities}.`;
  return cardMessage(
    'report',
    {
      title: md('Defender Experts report'),
      subtitle: md(`${customer} · ${f.periodLabel} (${range})`),
      // Two by two: four figures side by side break their labels mid-word on a 320 px card.
      statRows: pairsOf([
        { value: md(String(f.investigated)), label: md('Investigated'), color: 'accent' },
        { value: md(String(f.resolvedByExperts)), label: md('Resolved by the experts'), color: 'good' },
        { value: md(String(f.resolvedWithYou)), label: md('Resolved with your help'), color: 'good' },
        { value: md(pct), label: md(`Resolved (${resolved} of ${f.investigated})`), color: 'default' },
      ]).map((cells) => ({ cells })),
      hasQuiet: quiet !== null,
      quiet: md(quiet ?? ''),
      timesHeading: md(times.heading),
      hasTimes: times.facts.length > 0,
      times: times.facts.map((t) => ({ title: md(t.title), value: md(t.value) })),
      // A chart of zeros says nothing an empty period's sentence does not.
      hasChart: chartUrl !== null && f.investigated > 0,
      chartUrl: chartUrl ?? '',
      chartAlt: plainLine(alt, LIMITS.summary),
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
      quiet ?? '',
      headline,
      times.facts.length === 0
        ? times.heading
        : `${times.heading}: ${times.facts.map((t) => `${t.title} ${t.value}`).join('; ')}`,
      unmeasuredText,
      `By severity: ${severities}`,
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
