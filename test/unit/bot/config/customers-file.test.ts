import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCustomersFile, parseCustomersFile } from '../../../../bot/config/customers-file.js';
import { demoDirectory } from '../../../../bot/config/demo-customers.js';
import { ConfigError } from '../../../../bot/errors.js';

const problems = (name: string, text: string): readonly string[] => {
  try {
    parseCustomersFile(name, text);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

const VALID = `
customers:
  - id: contoso
    name: Contoso Ltd
    entraTenantId: 7c1f0000-0000-0000-0000-000000000001
    expertsAccess: reader
    teams: { tenantId: 7c1f0000-0000-0000-0000-000000000001 }
    slack: { teamId: T0CONTOSO }
    sdm: { name: Dana Reyes, email: dana@provider.example, slackUserId: U0DANA, teamsUserId: "3F2B0C1E-0000-4000-8000-0000000005D0" }
    responders: [ "slack:U0ALICE", "teams:0A1B2C3D-0000-4000-8000-00000000A11C" ]
    admins: [ "slack:U0ADMIN" ]
experts:
  slack: { teamId: T0EXPERTS, channelId: C0QUEUE }
  teams: { tenantId: provider-tenant, channelId: "19:abc@thread.tacv2", serviceUrl: "https://smba.trafficmanager.net/emea/" }
  members: [ "slack:U0EXPERT1" ]
`;

describe('customers file', () => {
  it('reads the documented example (YAML) into a frozen directory', () => {
    const dir = parseCustomersFile('customers.yaml', VALID);
    expect(dir.customers[0]).toMatchObject({
      id: 'contoso',
      expertsAccess: 'reader',
      teamsTenantId: '7c1f0000-0000-0000-0000-000000000001',
      slackTeamId: 'T0CONTOSO',
      sdm: { name: 'Dana Reyes', teamsUserId: '3f2b0c1e-0000-4000-8000-0000000005d0' },
      responders: ['slack:U0ALICE', 'teams:0a1b2c3d-0000-4000-8000-00000000a11c'],
    });
    expect(dir.experts).toMatchObject({ slackTeamId: 'T0EXPERTS', teamsChannelId: '19:abc@thread.tacv2' });
    expect(Object.isFrozen(dir.customers[0])).toBe(true);
  });

  it('reads JSON too', () => {
    const json = JSON.stringify({
      customers: [{ id: 'fabrikam', name: 'Fabrikam', expertsAccess: 'operator' }],
    });
    expect(parseCustomersFile('c.json', json).customers[0]?.expertsAccess).toBe('operator');
  });

  it('names the file, the path inside it and the fix', () => {
    const found = problems(
      'customers.yaml',
      `customers:\n  - id: Contoso Ltd\n    name: ""\n    expertsAccess: admin\n    slack: { teamId: contoso }\n    responders: [ "U0ALICE" ]\n`,
    );
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^customers\.yaml: customers\[0\]\.id: must be lowercase letters/),
        expect.stringMatching(/^customers\.yaml: customers\[0\]\.name: must not be empty/),
        expect.stringMatching(/^customers\.yaml: customers\[0\]\.expertsAccess: must be reader or operator/),
        expect.stringMatching(/^customers\.yaml: customers\[0\]\.slack\.teamId: must be a Slack team id/),
        expect.stringMatching(
          /^customers\.yaml: customers\[0\]\.responders\[0\]: must look like "slack:U0ALICE"/,
        ),
      ]),
    );
  });

  it('refuses a workspace claimed by two customers: it would show one customer the other’s incidents', () => {
    const text = `customers:
  - { id: a, name: A, slack: { teamId: T0SHARED } }
  - { id: b, name: B, slack: { teamId: T0SHARED } }
  - { id: a, name: A again }
experts: { slack: { teamId: T0SHARED } }`;
    const found = problems('c.yaml', text);
    expect(found).toHaveLength(3);
    expect(found[0]).toMatch(
      /customers\[1\]\.slack\.teamId: Slack workspace "T0SHARED" is already used by customers\[0\]/,
    );
    expect(found.join('\n')).toMatch(/customers\[2\]\.id: id "a"/);
    expect(found.join('\n')).toMatch(/experts\.slack\.teamId/);
  });

  it('reports syntax errors and unreadable files with the file name', () => {
    expect(problems('bad.yaml', 'customers: [ { id: x')[0]).toMatch(/^bad\.yaml: not valid YAML/);
    expect(problems('bad.json', '{"customers": ')[0]).toMatch(/^bad\.json: not valid JSON/);
    expect(problems('empty.yaml', '')[0]).toMatch(/^empty\.yaml: \(top level\)/);
    expect(() => loadCustomersFile('/nonexistent/customers.yaml')).toThrow(
      /TENANTS_FILE: cannot read \/nonexistent\/customers\.yaml \(ENOENT\)/,
    );
  });

  it('loads a file from disk', () => {
    const dir = mkdtempSync(join(tmpdir(), 'deb-customers-'));
    const file = join(dir, 'customers.yaml');
    writeFileSync(file, VALID);
    expect(loadCustomersFile(file).customers).toHaveLength(1);
  });

  it('ships demo customers with both experts access levels', () => {
    const demo = demoDirectory();
    const access = new Set(demo.customers.map((c) => c.expertsAccess));
    expect(demo.customers.length).toBeGreaterThanOrEqual(2);
    expect(access).toEqual(new Set(['reader', 'operator']));
  });
});
