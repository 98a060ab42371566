import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RecordedCall } from '../../support/slack-standin.js';

// Reads what reached the Slack stand-in against the outbox: per channel and incident, the post and every
// thread line in order. A repeat of the message just delivered counts as a duplicate (the one-per-crash
// allowance); anything missing is lost; anything else is out of order. Shared by the scale tests.

export interface OutboxRecord {
  readonly binding_id: string;
  readonly incident_id: string;
  readonly kind: string;
  readonly payload: string;
  readonly state: string;
}

export interface DeliveryReport {
  readonly lost: string[];
  readonly unexpected: string[];
  readonly duplicates: number;
  /** Which messages were repeated, for the test's message. */
  readonly repeated: string[];
  readonly posts: number;
  readonly lines: number;
}

const unescapeSlack = (s: string): string =>
  s.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');

/** Compares the outbox (one channel per binding) with the stand-in's recorded calls. */
export function checkDeliveries(
  rows: readonly OutboxRecord[],
  posts: ReadonlyMap<string, string>,
  channelOf: ReadonlyMap<string, string>,
  calls: readonly RecordedCall[],
): DeliveryReport {
  const report: DeliveryReport = {
    lost: [],
    unexpected: [],
    duplicates: 0,
    repeated: [],
    posts: 0,
    lines: 0,
  };
  let duplicates = 0;
  let postCount = 0;
  let lineCount = 0;
  const groups = new Map<string, OutboxRecord[]>();
  for (const r of rows) {
    const k = `${r.binding_id}\u0000${r.incident_id}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  for (const [k, list] of groups) {
    const [bindingId = '', incidentId = ''] = k.split('\u0000');
    const channel = channelOf.get(bindingId) ?? '?';
    const mine = calls.filter((c) => c.args.channel === channel);
    const first = list.findIndex((r) => (JSON.parse(r.payload) as { matchesRule: boolean }).matchesRule);
    const postTs = posts.get(k);
    if (first === -1) {
      if (postTs !== undefined)
        report.unexpected.push(`${channel} ${incidentId}: a post without a rule match`);
      continue;
    }
    const top = mine.filter(
      (c) =>
        c.method === 'chat.postMessage' &&
        c.args.thread_ts === undefined &&
        unescapeSlack(JSON.stringify(c.args)).includes(`Incident ${incidentId} `),
    );
    if (top.length === 0 || postTs === undefined) {
      report.lost.push(
        `${channel} ${incidentId}: no post (recorded ${postTs ?? 'none'}, ${top.length} at Slack)`,
      );
    }
    postCount += 1;
    duplicates += Math.max(0, top.length - 1);
    if (top.length > 1) report.repeated.push(`${channel} ${incidentId}: post x${top.length}`);
    const expected = list.slice(first + 1).map((r) => (JSON.parse(r.payload) as { line: string }).line);
    const seen = mine
      .filter((c) => c.method === 'chat.postMessage' && postTs !== undefined && c.args.thread_ts === postTs)
      .map((c) => unescapeSlack(String(c.args.text ?? '')));
    let j = 0;
    for (const line of seen) {
      if (j < expected.length && line === expected[j]) j += 1;
      else if (j > 0 && line === expected[j - 1]) {
        duplicates += 1;
        report.repeated.push(`${channel} ${incidentId}: ${line}`);
      } else report.unexpected.push(`${channel} ${incidentId}: ${line}`);
    }
    for (const missing of expected.slice(j))
      report.lost.push(`${channel} ${incidentId}: line not delivered: ${missing}`);
    lineCount += expected.length;
  }
  return { ...report, duplicates, posts: postCount, lines: lineCount };
}

/** Writes what a failed chaos run needs for diagnosis: outbox rows, Slack calls, each process's log. */
export function dumpRun(
  dir: string,
  run: { outbox: unknown[]; calls: readonly RecordedCall[]; logs: readonly string[]; events: object },
): void {
  writeFileSync(join(dir, 'outbox.json'), JSON.stringify(run.outbox, null, 1));
  const calls = run.calls.map((c) => ({
    seq: c.seq,
    method: c.method,
    channel: c.args.channel,
    thread: c.args.thread_ts,
    ts: (c.result as { ts?: string } | undefined)?.ts,
    text: String(c.args.text ?? '').slice(0, 80),
  }));
  writeFileSync(join(dir, 'calls.json'), JSON.stringify(calls, null, 1));
  run.logs.forEach((log, i) => {
    writeFileSync(join(dir, `bot-${i}.log`), log);
  });
  writeFileSync(join(dir, 'events.json'), JSON.stringify(run.events));
}
