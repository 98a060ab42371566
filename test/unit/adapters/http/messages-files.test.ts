import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMessagesFilesRouter } from '../../../../adapters/http/messages-files.js';
import { createReportLinks, REPORT_CSV_TTL_MS } from '../../../../adapters/http/report-files.js';
import { createLinkSigner } from '../../../../adapters/http/signed-links.js';
import { createSqliteStore, type SqliteStore } from '../../../../adapters/sqlite/sqlite-store.js';
import { createRelayStore } from '../../../../adapters/store/relay/relay-store.js';
import type { Directory } from '../../../../bot/domain/customer.js';
import type { RelayStore } from '../../../../bot/relay/relay-ports.js';
import { fixedClock } from '../../../support/core-harness.js';
import { makeCustomer } from '../../../support/make-customer.js';

// The messages CSV on a real HTTP server over a real SQLite file, signed like the report's: a valid link
// serves one scope's threads with labels and raw values (UTF-8 with BOM); a link moved to another customer,
// to every customer or to another reader is refused, and an expired one is gone.

const clock = fixedClock('2026-11-27T09:00:00.000Z');
const signer = createLinkSigner('m'.repeat(40));
const directory: Directory = {
  customers: [makeCustomer('contoso', 'reader', 'Société Contoso'), makeCustomer('woodgrove')],
  experts: {
    slackTeamId: null,
    slackChannelId: null,
    teamsTenantId: null,
    teamsChannelId: null,
    teamsServiceUrl: null,
    members: [],
  },
} as unknown as Directory;
let dir = '';
let base: SqliteStore;
let relay: RelayStore;
let server: Server;
let url = '';

const pair = (customerId: string, subjectId: string, kind: 'handoff' | 'question') => ({
  id: `p-${customerId}-${subjectId}`,
  kind,
  customerId,
  subjectId,
  customer: {
    conversation: {
      platform: 'web' as const,
      id: `web:${customerId}`,
      threadId: null,
      kind: 'channel' as const,
    },
    threadId: 't1',
    wholeConversation: false,
  },
  provider: {
    conversation: { platform: 'web' as const, id: 'web:queue', threadId: null, kind: 'channel' as const },
    threadId: 't2',
    wholeConversation: false,
  },
  providerLabel: 'Defender Experts',
  title: '=cmd|calc',
  createdAt: '2026-11-26T09:00:00.000Z',
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'deb-messages-files-'));
  base = await createSqliteStore({ file: join(dir, 'bot.sqlite') });
  relay = await createRelayStore(base.host);
  await relay.openPair(pair('contoso', 'b1:42', 'handoff'), () => []);
  await relay.openPair(pair('woodgrove', 'b2:77', 'handoff'), () => []);
  await relay.enqueue(
    [
      {
        pairId: 'p-contoso-b1:42',
        dedupKey: 'k1',
        to: 'customer',
        op: 'post',
        sourceId: 's1',
        sourceAt: '2026-11-27T08:00:00.000Z',
        message: { text: 'x', card: null, mode: 'new' },
        notBefore: '2026-11-27T08:00:00.000Z',
      },
    ],
    '2026-11-27T08:00:00.000Z',
  );
  const app = express();
  app.use(createMessagesFilesRouter({ signer, relay, questions: undefined, store: base, directory, clock }));
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await base.close();
  rmSync(dir, { recursive: true, force: true });
});

const link = (scope: string, reader = 'web:contoso-analyst') =>
  createReportLinks({ signer, publicBase: undefined, localBase: () => url }).messagesCsv(
    scope,
    '30d',
    reader,
    'web',
    clock.now(),
  ) ?? '';

describe('messages CSV link', () => {
  it('serves the scope’s threads: BOM, labels and raw values, unread for this reader', async () => {
    const res = await fetch(link('contoso'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(
      /filename="defender-experts-messages-contoso-30d\.csv"/,
    );
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = bytes.subarray(3).toString('utf8').split('\r\n');
    expect(lines[0]).toBe(
      'Customer,Type,Request,Incident,Title,State,Last activity (UTC),Unread by you,customerId,type,state',
    );
    expect(lines[1]).toBe(
      'Société Contoso,Managed response,,42,Incident 42,No longer in Microsoft Defender,2026-11-27T08:00:00.000Z,Yes,contoso,managedResponse,unknown',
    );
    expect(lines.filter((l) => l.includes('woodgrove'))).toEqual([]);
    const all = (await (await fetch(link('all', 'web:expert'))).text()).split('\r\n');
    expect(all.some((l) => l.includes(',woodgrove,'))).toBe(true);
  });

  it('refuses a link moved to another customer, to every customer or to another reader', async () => {
    const mine = link('contoso');
    for (const moved of [
      mine.replace('/messages/contoso/', '/messages/woodgrove/'),
      mine.replace('/messages/contoso/', '/messages/all/'),
      mine.replace('/messages/contoso/', '/messages/contoso,woodgrove/'),
      mine.replace('contoso-analyst', 'someone-else'),
      mine.replace('/30d/', '/open/'),
    ]) {
      const res = await fetch(moved);
      expect(res.status, moved).toBe(403);
      expect(await res.text()).not.toContain('woodgrove');
    }
  });

  it('expires with the report CSV’s lifetime', async () => {
    const l = link('contoso');
    clock.advance(REPORT_CSV_TTL_MS + 1000);
    try {
      expect((await fetch(l)).status).toBe(410);
    } finally {
      clock.advance(-(REPORT_CSV_TTL_MS + 1000));
    }
  });
});
