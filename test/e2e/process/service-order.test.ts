import { expect, it } from 'vitest';
import { startTestBot } from '../../support/start-test-bot.js';

// The real composition's order of its services, as it logs them: the chat ports are up before the loops
// that send through them and down only after those stopped (the alert dispatcher's last passes after the
// last sync pass still reach Teams and Slack), while acknowledged Slack work finishes before those loops stop.

it('starts the chat ports before the loops that send, and stops intake first and the ports last', async () => {
  const lines: string[] = [];
  const onDebug = (obj: object, msg?: string): void => {
    const service = (obj as { service?: unknown }).service;
    if ((msg === 'starting' || msg === 'stopping') && typeof service === 'string')
      lines.push(`${msg} ${service}`);
  };
  const t = await startTestBot({}, { autoStart: true, onDebug });
  await t.cleanup();
  const at = (line: string): number => {
    const i = lines.indexOf(line);
    expect(i, `${line} in ${JSON.stringify(lines)}`).toBeGreaterThanOrEqual(0);
    return i;
  };
  for (const loop of ['alert dispatcher', 'relay', 'guided response', 'sdm reminders', 'user checks']) {
    expect(at('starting platforms')).toBeLessThan(at(`starting ${loop}`));
    expect(at(`stopping ${loop}`)).toBeLessThan(at('stopping platforms'));
    expect(at('stopping platform intake')).toBeLessThan(at(`stopping ${loop}`));
  }
  // The last sync pass ends before the dispatcher's last passes, which deliver what it made due.
  expect(at('stopping incident sync')).toBeLessThan(at('stopping alert dispatcher'));
});
