import type { Directory } from '../domain/customer.js';
import { parseCustomersFile } from './customers-file.js';

// Built-in demo customers for the embedded default (TENANTS_FILE unset): one whose experts hold Security
// Reader access (handoffs to the customer) and one with Security Operator access (experts act themselves).
// Written as a customers file so the demo goes through the same validation as a real one.

const DEMO_YAML = `
customers:
  - id: contoso
    name: Contoso Ltd
    entraTenantId: 11111111-1111-4111-8111-111111111111
    expertsAccess: reader
    teams: { tenantId: 11111111-1111-4111-8111-111111111111 }
    slack: { teamId: T0CONTOSO }
    sdm: { name: Dana Reyes, email: dana@provider.example, slackUserId: U0DANA }
    responders: [ "web:contoso-responder", "slack:U0ALICE" ]
    admins: [ "web:contoso-admin", "slack:U0ADMIN" ]
    responseExecution: true
  - id: fabrikam
    name: Fabrikam Inc
    entraTenantId: 22222222-2222-4222-8222-222222222222
    expertsAccess: operator
    teams: { tenantId: 22222222-2222-4222-8222-222222222222 }
    slack: { teamId: T0FABRIKAM }
    sdm: { name: Sam Okafor, email: sam@provider.example, slackUserId: U0SAM }
    responders: [ "web:fabrikam-responder" ]
    admins: [ "web:fabrikam-admin" ]
    responseExecution: true
  - id: woodgrove
    name: Woodgrove Bank
    entraTenantId: 33333333-3333-4333-8333-333333333333
    expertsAccess: reader
    slack: { teamId: T0WOODGROVE }
    sdm: { name: Dana Reyes, email: dana@provider.example, slackUserId: U0DANA }
    responders: [ "web:woodgrove-responder" ]
    admins: [ "web:woodgrove-admin" ]
experts:
  slack: { teamId: T0EXPERTS, channelId: C0QUEUE }
  members: [ "web:expert", "slack:U0EXPERT1" ]
`;

/**
 * The Microsoft 365 Agents Playground's current user (its config file in the repository root names the same
 * id, in Contoso's Teams tenant). Contoso's responder and admin only in Playground mode, so that every
 * command can be tried there; never otherwise.
 */
export const PLAYGROUND_USER_AAD_ID = '11111111-0000-4000-8000-000000000020';

export interface DemoOptions {
  /** TEAMS_PLAYGROUND=on: the Playground's user becomes Contoso's responder and admin. */
  readonly teamsPlayground?: boolean;
}

/** The demo directory used when TENANTS_FILE is unset. */
export function demoDirectory(options: DemoOptions = {}): Directory {
  const playgroundUser = `"teams:${PLAYGROUND_USER_AAD_ID}", `;
  const yaml = options.teamsPlayground
    ? DEMO_YAML.replace(
        'responders: [ "web:contoso-responder"',
        `responders: [ ${playgroundUser}"web:contoso-responder"`,
      ).replace('admins: [ "web:contoso-admin"', `admins: [ ${playgroundUser}"web:contoso-admin"`)
    : DEMO_YAML;
  return parseCustomersFile('built-in demo customers', yaml);
}
