import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyTokenError } from '../../../../adapters/graph/credentials.js';
import { createSource } from '../../../../adapters/wiring/sources.js';
import { parseCustomersFile } from '../../../../bot/config/customers-file.js';
import { loadConfig } from '../../../../bot/config/env.js';
import { ConfigError } from '../../../../bot/errors.js';
import { systemClock } from '../../../../bot/ports.js';

// INCIDENT_SOURCE=graph start-up checks: every problem on its own line naming the setting and the fix.

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const graphEnv = {
  // Building the source keeps the metrics-label key in DATA_DIR: never the repository's own ./data.
  DATA_DIR: mkdtempSync(join(tmpdir(), 'graph-config-')),
  INCIDENT_SOURCE: 'graph',
  GRAPH_CLIENT_ID: 'app',
  GRAPH_CLIENT_SECRET: 'secret',
  TENANTS_FILE: 'customers.yaml',
};

function problemsOf(env: Record<string, string>, yaml: string): readonly string[] {
  try {
    const source = createSource(loadConfig(env), {
      directory: parseCustomersFile('customers.yaml', yaml),
      clock: systemClock,
      logger: quiet,
    });
    void source.stop();
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('Graph source configuration', () => {
  it('names each customer without an entraTenantId, and one tenant claimed twice', () => {
    const yaml = `customers:
  - { id: contoso, name: Contoso, entraTenantId: 7c1f0000-0000-4000-8000-00000000a001 }
  - { id: fabrikam, name: Fabrikam }
  - { id: tailspin, name: Tailspin, entraTenantId: 7C1F0000-0000-4000-8000-00000000A001 }
`;
    expect(problemsOf(graphEnv, yaml)).toEqual([
      'customers.yaml: customers[1].entraTenantId: customer "fabrikam" has none — set it to the customer\'s Microsoft Entra tenant id (required when INCIDENT_SOURCE=graph)',
      expect.stringMatching(
        /^customers\.yaml: customers\[2\]\.entraTenantId: tenant .* is already customer "contoso"'s/,
      ),
    ]);
  });

  it('needs a customers file and a readable certificate', () => {
    const yaml =
      'customers:\n  - { id: contoso, name: Contoso, entraTenantId: 7c1f0000-0000-4000-8000-00000000a001 }\n';
    const { TENANTS_FILE: _, ...noFile } = graphEnv;
    expect(problemsOf(noFile, yaml)).toEqual([
      expect.stringMatching(/^TENANTS_FILE: required when INCIDENT_SOURCE=graph/),
    ]);
    expect(problemsOf({ ...graphEnv, GRAPH_CLIENT_CERTIFICATE_PATH: '/nonexistent/app.pem' }, yaml)).toEqual([
      expect.stringMatching(/^GRAPH_CLIENT_CERTIFICATE_PATH: cannot read \/nonexistent\/app\.pem \(ENOENT\)/),
    ]);
    expect(problemsOf(graphEnv, yaml)).toEqual([]);
  });

  it('refuses plain-HTTP Graph and authority URLs', () => {
    expect(() =>
      loadConfig({
        ...graphEnv,
        GRAPH_BASE_URL: 'http://127.0.0.1:1',
        AZURE_AUTHORITY_HOST: 'http://127.0.0.1:2',
      }),
    ).toThrow(
      expect.objectContaining({
        problems: [
          expect.stringMatching(/^GRAPH_BASE_URL: must be an https:\/\/ URL/),
          expect.stringMatching(/^AZURE_AUTHORITY_HOST: must be an https:\/\/ URL/),
        ],
      }),
    );
  });

  it('tells a refused token from an unreachable Entra', () => {
    expect(
      classifyTokenError(
        new Error('invalid_client: Error(s): 7000215 - AADSTS7000215: Invalid client secret provided.'),
      ).kind,
    ).toBe('access_lost');
    expect(
      classifyTokenError(
        new Error('unauthorized_client: AADSTS700016: Application not found in the directory'),
      ).kind,
    ).toBe('access_lost');
    expect(classifyTokenError(new Error('connect ECONNREFUSED 127.0.0.1:443')).kind).toBe('unavailable');
    expect(classifyTokenError(new Error('temporarily_unavailable: AADSTS90033: service busy')).kind).toBe(
      'unavailable',
    );
  });
});
