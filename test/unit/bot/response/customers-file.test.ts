import { describe, expect, it } from 'vitest';
import { parseCustomersFile } from '../../../../bot/config/customers-file.js';
import { demoDirectory } from '../../../../bot/config/demo-customers.js';
import { ConfigError } from '../../../../bot/errors.js';

// Guided response's one setting in the customers file: whether a customer's responders may run actions.

const file = (extra: string): string => `
customers:
  - id: contoso
    name: Contoso Ltd
    responders: [ "slack:U0ALICE" ]
${extra}
experts:
  members: []
`;

describe('customers file: responseExecution', () => {
  it('is off unless the file turns it on', () => {
    expect(parseCustomersFile('t.yaml', file('')).customers[0]?.responseExecution).toBe(false);
    expect(
      parseCustomersFile('t.yaml', file('    responseExecution: true')).customers[0]?.responseExecution,
    ).toBe(true);
  });

  it('refuses anything but true or false, naming the setting', () => {
    let error: unknown;
    try {
      parseCustomersFile('t.yaml', file('    responseExecution: "sometimes"'));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.join('\n')).toMatch(/responseExecution/);
  });

  it('runs from chat for the demo customers of the dev console, except Woodgrove (done and skip only)', () => {
    const byId = new Map(demoDirectory().customers.map((c) => [c.id, c.responseExecution]));
    expect(Object.fromEntries(byId)).toEqual({ contoso: true, fabrikam: true, woodgrove: false });
  });
});
