import { FIXTURE_TENANT } from '../bot-connector-activities.js';
import { FIXTURE_MEMBERS } from '../bot-connector-members.js';
import type { ChannelName, Person } from './surface.js';

// Who is who on the Teams surface: each matrix person's Teams identity (the captured fixture users for
// Contoso's analyst and responder), the two channels, each person's 1:1 chat, and the customers file.

export const EXPERTS_TENANT = '22222222-2222-4222-8222-222222222222';
export const UNLINKED_TENANT = '99999999-0000-4000-8000-00000000dead';
export const SOC = '19:MatrixSocChannel000000000000@thread.tacv2';
export const SOC_TEAM = '19:MatrixSocTeam00000000000000@thread.tacv2';
export const QUEUE = '19:MatrixExpertsQueue0000000000@thread.tacv2';
export const QUEUE_TEAM = '19:MatrixExpertsTeam000000000000@thread.tacv2';

export interface TeamsPerson {
  readonly mri: string;
  readonly aad: string;
  readonly name: string;
  readonly tenant: string;
}

const [ALEX, DANA] = FIXTURE_MEMBERS;
export const PEOPLE: Readonly<Record<Person, TeamsPerson>> = {
  analyst: {
    mri: ALEX?.id ?? '',
    aad: ALEX?.aadObjectId ?? '',
    name: 'Alex Analyst',
    tenant: FIXTURE_TENANT,
  },
  responder: {
    mri: DANA?.id ?? '',
    aad: DANA?.aadObjectId ?? '',
    name: 'Dana Responder',
    tenant: FIXTURE_TENANT,
  },
  admin: {
    mri: '29:1MatrixAdamAdmin',
    aad: '00000000-0000-4000-8000-0000000ad001',
    name: 'Adam Admin',
    tenant: FIXTURE_TENANT,
  },
  expert: {
    mri: '29:1MatrixEveExpert',
    aad: '00000000-0000-4000-8000-0000000e0001',
    name: 'Eve Expert',
    tenant: EXPERTS_TENANT,
  },
  sdm: {
    mri: '29:1MatrixDanaReyes',
    aad: '00000000-0000-4000-8000-0000000005d0',
    name: 'Dana Reyes',
    tenant: EXPERTS_TENANT,
  },
  unlinked: {
    mri: '29:1MatrixVisitor',
    aad: '00000000-0000-4000-8000-00000000f00d',
    name: 'Visitor',
    tenant: UNLINKED_TENANT,
  },
};

export const CHANNELS: Readonly<Record<ChannelName, { id: string; team: string; tenant: string }>> = {
  soc: { id: SOC, team: SOC_TEAM, tenant: FIXTURE_TENANT },
  queue: { id: QUEUE, team: QUEUE_TEAM, tenant: EXPERTS_TENANT },
};

/** A person's 1:1 chat with the bot (the id the stand-in gives a chat the bot opens with them). */
export const personalChat = (p: Person): string => `a:dm-${PEOPLE[p].aad}`;

export const customersYaml = (serviceUrl: string): string =>
  [
    'customers:',
    '  - id: contoso',
    '    name: Contoso Ltd',
    '    expertsAccess: reader',
    `    teams: { tenantId: "${FIXTURE_TENANT}" }`,
    `    sdm: { name: Dana Reyes, email: dana@provider.example, teamsUserId: "${PEOPLE.sdm.aad}" }`,
    `    responders: [ "teams:${PEOPLE.responder.aad}" ]`,
    `    admins: [ "teams:${PEOPLE.admin.aad}" ]`,
    'experts:',
    `  teams: { tenantId: "${EXPERTS_TENANT}", channelId: "${QUEUE}", serviceUrl: "${serviceUrl}" }`,
    // The console's expert persona plays the provider's side of incidents (simulationControl).
    `  members: [ "teams:${PEOPLE.expert.aad}", "web:expert" ]`,
    '',
  ].join('\n');

export const personOfChat = (conversation: string): Person | null =>
  (Object.keys(PEOPLE) as Person[]).find((p) => personalChat(p) === conversation) ?? null;
export const channelOfBase = (base: string): ChannelName | null =>
  base === SOC ? 'soc' : base === QUEUE ? 'queue' : null;
