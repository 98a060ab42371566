import { describe, expect, it } from 'vitest';
import { toMessage } from '../../../../adapters/slack/transport/slack-deliver.js';
import type { Reply } from '../../../../bot/ports.js';

// The on-call mention of an aging handoff: the only live mention a message may carry, and only for a
// well-formed Slack id.

const reply = (text: string, mention?: Reply['mention']): Reply => ({
  text,
  card: null,
  mode: 'new',
  ...(mention ? { mention } : {}),
});

describe('toMessage with a mention', () => {
  it('renders a user id or a user-group id as a real mention', () => {
    expect(
      toMessage(reply('@U0ONCALL This handoff has waited 24 h.', { id: 'U0ONCALL', name: 'U0ONCALL' }), '')
        .text,
    ).toBe('<@U0ONCALL> This handoff has waited 24 h.');
    expect(toMessage(reply('@S0SOC waited', { id: 'S0SOC', name: 'S0SOC' }), '').text).toBe(
      '<!subteam^S0SOC> waited',
    );
  });

  it('leaves anything else inert', () => {
    const m = toMessage(reply('@<!channel> waited <!here>', { id: '<!channel>', name: '<!channel>' }), '');
    expect(m.text).not.toMatch(/<!|<@/);
    expect(toMessage(reply('@U0ONCALL waited'), '').text).toBe('@U0ONCALL waited');
  });
});
