import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, ExpressReceiver } from '@slack/bolt';
import express from 'express';

// The baseline of the Slack ack benchmark, run as its own process: a bare Bolt app on an ExpressReceiver
// at POST /slack/events with the same signing secret (Bolt's own signature check), a slash command
// listener that only acknowledges and event listeners that do nothing. No store, no core, no answer.

export function serveBoltBaseline(signingSecret: string, botToken: string): void {
  const receiver = new ExpressReceiver({
    signingSecret,
    endpoints: '/slack/events',
    processBeforeResponse: false,
  });
  const app = new App({
    receiver,
    authorize: async () => ({ botToken, botId: 'BBOT', botUserId: 'UBOT' }),
    convoStore: false,
  });
  app.command('/experts', async ({ ack }) => {
    await ack();
  });
  app.event('app_mention', async () => {});
  app.event('message', async () => {});
  const server: Server = express()
    .use(receiver.router)
    .listen(0, '127.0.0.1', () => {
      process.stdout.write(`listening http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
    });
  process.stdin.on('end', () => {
    server.close();
    process.exit(0);
  });
  process.stdin.resume();
}
