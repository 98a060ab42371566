import type { ReportFigures } from '../../bot/sdm/report-figures.js';
import { LIMITS, plainLine } from '../escape.js';
import { SDM_VERBS } from '../sdm-verbs.js';
import type { CardMessage } from '../types.js';
import { cardMessage, md } from '../view.js';
import { quietPeriodText } from './report.js';

// The question before a business review goes to the customer's channels: which channels, which month, and
// whether the month was empty or nearly so. Nothing is posted until the SDM presses the confirm button.

export interface ReportPostConfirmInput {
  readonly figures: ReportFigures;
  /** One line per channel the report would go to ("Teams channel subscribed on 2026-11-02"). */
  readonly channels: readonly string[];
}

/** The confirmation card; its buttons post (confirmed) or go back to the report. */
export function reportPostConfirmCard(input: ReportPostConfirmInput): CardMessage {
  const f = input.figures;
  const customer = plainLine(f.customerName, LIMITS.name);
  const n = input.channels.length;
  const title = `Post the ${f.periodLabel} report to ${customer}?`;
  const intro = `It goes to ${n} service channel${n === 1 ? '' : 's'} ${customer} can see:`;
  const lines = input.channels.map((c) => `• ${plainLine(c, LIMITS.line)}`);
  const period = quietPeriodText(f);
  const quiet = period === null ? null : `${period} The posted card says so.`;
  const note = 'Each channel gets the report once; posting again later says where it already went.';
  return cardMessage(
    'report-post-confirm',
    {
      title: md(title),
      intro: md(intro),
      channels: lines.map((line) => ({ line: md(line) })),
      hasQuiet: quiet !== null,
      quiet: md(quiet ?? ''),
      note: md(note),
      confirm: {
        title: `Post to ${n} channel${n === 1 ? '' : 's'}`,
        verb: SDM_VERBS.reportPost,
        data: { customer: f.customerId, period: f.periodKey, confirmed: true },
      },
      cancel: {
        title: 'Cancel',
        verb: SDM_VERBS.reportShow,
        data: { customer: f.customerId, period: f.periodKey },
      },
    },
    [title, intro, ...lines, quiet ?? '', note],
  );
}
