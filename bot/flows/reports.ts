import { randomUUID } from 'node:crypto';
import { reportCard } from '../../cards/builders/report.js';
import { reportPostConfirmCard } from '../../cards/builders/report-post.js';
import { noticeCard } from '../../cards/index.js';
import type { CardMessage } from '../../cards/types.js';
import { postToBinding } from '../alerts/binding-audience.js';
import type { ReportPeriod } from '../commands/command.js';
import type { Platform } from '../domain/actor.js';
import type { ChannelBinding } from '../domain/conversation.js';
import type { Customer } from '../domain/customer.js';
import type { Incident } from '../domain/incident.js';
import type { Reply } from '../ports.js';
import { cardReply } from '../replies.js';
import type { SdmDeps } from '../sdm/deps.js';
import { computeReport, type ReportFigures } from '../sdm/report-figures.js';
import { periodRange, previousMonth } from '../sdm/report-period.js';
import { resolveTarget } from '../sdm/target.js';
import type { FlowContext, FlowDeps } from './context.js';

// `report [<customer>] [7d|30d|90d|YYYY-MM]`: the business-review figures as a card with a
// chart and a CSV link; the SDM can post a month's report to the customer's service channel.

const PAGE = 200;
const USAGE = 'Try: report [7d|30d|90d|YYYY-MM], or as an SDM: report <customer> <period>.';
const PLATFORM_NAMES: Readonly<Record<Platform, string>> = { teams: 'Teams', slack: 'Slack', web: 'console' };

/** "30d" / "2026-10" ↔ ReportPeriod, as the card buttons carry it. */
export function periodFromKey(key: string): ReportPeriod {
  const days = { '7d': 7, '30d': 30, '90d': 90 } as const;
  const d = days[key as keyof typeof days];
  return d === undefined ? { kind: 'month', month: key } : { kind: 'days', days: d };
}

/** Every incident that can fall in the window: newest first, stopping at the first updated before it. */
async function incidentsSince(deps: FlowDeps, customerId: string, from: Date): Promise<Incident[]> {
  const out: Incident[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await deps.store.listIncidents({
      customerId,
      view: 'all',
      severity: null,
      limit: PAGE,
      offset,
    });
    for (const i of page.items) {
      if (Date.parse(i.lastUpdateDateTime) < from.getTime()) return out;
      out.push(i);
    }
    if (page.items.length < PAGE) return out;
  }
}

/** Computes and stores a report snapshot (the chart and CSV are served from it). */
export async function buildReport(
  deps: FlowDeps,
  sdm: SdmDeps,
  customer: Customer,
  period: ReportPeriod,
): Promise<{ readonly id: string; readonly figures: ReportFigures }> {
  const now = deps.clock.now();
  const range = periodRange(period, now);
  const incidents = await incidentsSince(deps, customer.id, range.from);
  const timelines = await sdm.store.listTimelines(
    customer.id,
    incidents.map((i) => i.id),
  );
  const figures = computeReport({
    customerId: customer.id,
    customerName: customer.name,
    range,
    incidents,
    timelines,
    now,
  });
  const id = `${range.key}-${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  await sdm.store.saveReport({
    id,
    customerId: customer.id,
    createdAt: now.toISOString(),
    figures: JSON.stringify(figures),
  });
  return { id, figures };
}

function card(
  deps: FlowDeps,
  sdm: SdmDeps,
  report: { id: string; figures: ReportFigures },
  platform: Platform,
  view: { customerParam: string | null; canPost: boolean },
): CardMessage {
  const links = sdm.links.urls(report.figures.customerId, report.id, platform, deps.clock.now());
  return reportCard({ figures: report.figures, links, ...view, allowHttp: platform === 'web' });
}

/** Answers `report`: the caller's customer, or the named customer for their SDM. */
export async function showReport(
  ctx: FlowContext,
  args: { readonly customerId: string | null; readonly period: ReportPeriod; readonly mode: Reply['mode'] },
): Promise<readonly Reply[]> {
  const target = resolveTarget(ctx, args.customerId, USAGE);
  if (!target.ok) return target.replies;
  const report = await buildReport(ctx, target.sdm, target.customer, args.period);
  const message = card(ctx, target.sdm, report, ctx.conversation.platform, {
    customerParam: target.asSdm ? target.customer.id : null,
    // Only a completed month goes to the business review: posting a partial one would stand for the month.
    canPost:
      target.asSdm && args.period.kind === 'month' && periodRange(args.period, ctx.clock.now()).complete,
  });
  return [cardReply(message, args.mode)];
}

/**
 * The SDM posts a month's report to the customer's service channels (its alert channels), after a
 * confirmation that names them.
 */
export async function postReport(
  ctx: FlowContext,
  args: { readonly customerId: string; readonly period: ReportPeriod; readonly confirmed: boolean },
): Promise<readonly Reply[]> {
  const target = resolveTarget(ctx, args.customerId, USAGE);
  if (!target.ok) return target.replies;
  const notice = (title: string, text: string, tone: 'info' | 'warning') => [
    cardReply(noticeCard({ title, text, tone })),
  ];
  if (!target.asSdm || args.period.kind !== 'month')
    return notice(
      'Only the SDM posts reviews',
      'The SDM posts a calendar month’s report for the business review.',
      'warning',
    );
  const { customer, sdm } = target;
  const now = ctx.clock.now();
  const range = periodRange(args.period, now);
  if (!range.complete) {
    const nextStart = new Date(Date.UTC(range.from.getUTCFullYear(), range.from.getUTCMonth() + 1, 1));
    const last = previousMonth(now);
    return notice(
      `${range.label} is not over yet`,
      `The business review covers a whole month, so the ${range.label} report can be posted from ` +
        `${nextStart.toISOString().slice(0, 10)}. Nothing was posted. To post the last complete month, say ` +
        `"report ${customer.id} ${last.kind === 'month' ? last.month : ''}" and press "Post".`,
      'warning',
    );
  }
  const channels = (await ctx.store.listBindings(customer.id)).filter((b) => !b.paused);
  if (channels.length === 0)
    return notice(
      'No service channel',
      `${customer.name} has no channel bound with "subscribe" yet, so there is nowhere to post.`,
      'warning',
    );
  const report = await buildReport(ctx, sdm, customer, args.period);
  // The SDM first sees where it would go (and whether the month was empty); only that card's button posts.
  if (!args.confirmed)
    return [
      cardReply(
        reportPostConfirmCard({
          figures: report.figures,
          channels: channels.map(
            (b) =>
              `${PLATFORM_NAMES[b.conversation.platform]} ${b.conversation.kind === 'channel' ? 'channel' : 'chat'} subscribed on ${b.createdAt.slice(0, 10)}`,
          ),
        }),
      ),
    ];
  const outcome = await postToChannels(ctx, sdm, report, channels, args.period.month);
  const label = report.figures.periodLabel;
  const lines = [
    outcome.posted.length > 0
      ? `Posted the ${label} report to ${outcome.posted.length} ${customer.name} channel(s) (${outcome.posted.join(', ')}).`
      : `Nothing new was posted to ${customer.name}.`,
    ...outcome.already.map((a) => `Already posted to the ${a.where} channel on ${a.at.slice(0, 10)}.`),
    ...outcome.busy.map((w) => `Being posted to the ${w} channel right now.`),
    ...outcome.failed.map((w) => `The ${w} channel could not be reached; try "Post" again later.`),
  ];
  const tone = outcome.failed.length > 0 || outcome.posted.length === 0 ? 'warning' : 'info';
  return notice('Business-review report', lines.join('\n'), tone);
}

/** A claim that never completed (the process died mid-post) is taken over after this long. */
const POST_STALE_MS = 10 * 60_000;

/** Posts the report once per channel: claimed before, completed after, released when the post fails. */
async function postToChannels(
  ctx: FlowContext,
  sdm: SdmDeps,
  report: { id: string; figures: ReportFigures },
  channels: readonly ChannelBinding[],
  month: string,
): Promise<{
  readonly posted: string[];
  readonly already: { readonly where: string; readonly at: string }[];
  readonly busy: string[];
  readonly failed: string[];
}> {
  const out = {
    posted: [] as string[],
    already: [] as { where: string; at: string }[],
    busy: [] as string[],
    failed: [] as string[],
  };
  for (const b of channels) {
    const where = PLATFORM_NAMES[b.conversation.platform];
    const chat = sdm.chatFor(b.conversation.platform);
    if (chat === undefined) {
      out.failed.push(where);
      continue;
    }
    const key = { customerId: b.customerId, month, bindingId: b.id };
    const now = ctx.clock.now();
    const claim = await sdm.store.claimReportPost(
      key,
      now.toISOString(),
      new Date(now.getTime() - POST_STALE_MS).toISOString(),
    );
    if (claim.status === 'posted') {
      out.already.push({ where, at: claim.at });
      continue;
    }
    if (claim.status === 'inProgress') {
      out.busy.push(where);
      continue;
    }
    const message = card(ctx, sdm, report, b.conversation.platform, { customerParam: null, canPost: false });
    try {
      await postToBinding(ctx.directory, chat, b, cardReply(message));
    } catch (error) {
      ctx.logger.warn(
        { err: error, customer: b.customerId, binding: b.id },
        'business-review report not posted',
      );
      await sdm.store.releaseReportPost(key);
      out.failed.push(where);
      continue;
    }
    await sdm.store.completeReportPost(key, ctx.clock.now().toISOString());
    out.posted.push(where);
  }
  return out;
}
