import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod/v4';
import type { Customer, Directory } from '../domain/customer.js';
import { ConfigError } from '../errors.js';

// The customers file (TENANTS_FILE, YAML or JSON). Errors name the file, the path inside it
// and the fix, because a provider edits this by hand for every new customer.

// Teams names a person by their Entra object id (activity.from.aadObjectId), a GUID in any letter case.
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ENTRA_ID_HINT =
  'must be the Entra object id (a GUID like 3f2b0c1e-…, from Entra ID > Users), not a Teams "29:" id';

const qualifiedId = z
  .string()
  .regex(/^(slack|teams|web):\S+$/, 'must look like "slack:U0ALICE" or "teams:<Entra object id>"')
  .refine((s) => !s.startsWith('teams:') || GUID.test(s.slice(6)), { message: `teams:… ${ENTRA_ID_HINT}` })
  .transform((s) => (s.startsWith('teams:') ? s.toLowerCase() : s));

/** The SDM's Teams identity: the Entra object id, compared in lower case as Teams sends it. */
const teamsUserId = z
  .string()
  .trim()
  .refine((s) => GUID.test(s), { message: ENTRA_ID_HINT })
  .transform((s) => s.toLowerCase());

const customerSchema = z.object({
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lowercase letters, digits and dashes (e.g. contoso)'),
  name: z.string().trim().min(1, 'must not be empty'),
  entraTenantId: z.string().trim().min(1).optional(),
  expertsAccess: z.enum(['reader', 'operator'], { message: 'must be reader or operator' }).default('reader'),
  teams: z.object({ tenantId: z.string().trim().min(1, 'must not be empty') }).optional(),
  slack: z
    .object({ teamId: z.string().regex(/^[TE][A-Z0-9]+$/, 'must be a Slack team id like T0CONTOSO') })
    .optional(),
  sdm: z
    .object({
      name: z.string().trim().min(1),
      email: z.string().email('must be an email address').optional(),
      slackUserId: z.string().optional(),
      teamsUserId: teamsUserId.optional(),
    })
    .optional(),
  responders: z.array(qualifiedId).default([]),
  admins: z.array(qualifiedId).default([]),
  /** Guided response: whether responders may run actions from chat (Defender for Endpoint, Entra). */
  responseExecution: z.boolean({ message: 'must be true or false' }).default(false),
  /** Ask Defender Experts: questions allowed per calendar quarter; absent = no limit. */
  questionsPerQuarter: z
    .number({ message: 'must be a whole number' })
    .int('must be a whole number')
    .min(0, 'must be 0 or more')
    .optional(),
});

const fileSchema = z.object({
  customers: z.array(customerSchema).min(1, 'must list at least one customer'),
  experts: z
    .object({
      slack: z.object({ teamId: z.string(), channelId: z.string() }).partial().optional(),
      teams: z
        .object({ tenantId: z.string(), channelId: z.string(), serviceUrl: z.string() })
        .partial()
        .optional(),
      members: z.array(qualifiedId).default([]),
    })
    .default({ members: [] }),
});

const pathText = (path: readonly PropertyKey[]): string =>
  path.reduce<string>(
    (acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc === '' ? String(p) : `${acc}.${String(p)}`),
    '',
  );

/** Parses and validates file content; `fileName` is used only in messages. */
export function parseCustomersFile(fileName: string, text: string): Directory {
  let raw: unknown;
  try {
    raw = fileName.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ConfigError([
      `${fileName}: not valid ${fileName.endsWith('.json') ? 'JSON' : 'YAML'} — ${String(error instanceof Error ? error.message : error).split('\n')[0]}`,
    ]);
  }
  const result = fileSchema.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((i) => `${fileName}: ${pathText(i.path) || '(top level)'}: ${i.message}`),
    );
  }
  const data = result.data;
  const problems: string[] = [];
  const seen = new Map<string, string>();
  const unique = (kind: string, value: string | undefined, where: string): void => {
    if (value === undefined) return;
    const key = `${kind}:${value}`;
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push(
        `${fileName}: ${where}: ${kind} "${value}" is already used by ${first} — each must belong to exactly one customer`,
      );
    } else seen.set(key, where);
  };
  data.customers.forEach((c, i) => {
    const where = `customers[${i}]`;
    unique('id', c.id, `${where}.id`);
    unique('Teams tenant', c.teams?.tenantId, `${where}.teams.tenantId`);
    unique('Slack workspace', c.slack?.teamId, `${where}.slack.teamId`);
  });
  unique('Teams tenant', data.experts.teams?.tenantId, 'experts.teams.tenantId');
  unique('Slack workspace', data.experts.slack?.teamId, 'experts.slack.teamId');
  if (problems.length > 0) throw new ConfigError(problems);

  const customers: Customer[] = data.customers.map((c) => ({
    id: c.id,
    name: c.name,
    entraTenantId: c.entraTenantId ?? null,
    expertsAccess: c.expertsAccess,
    teamsTenantId: c.teams?.tenantId ?? null,
    slackTeamId: c.slack?.teamId ?? null,
    sdm: c.sdm
      ? {
          name: c.sdm.name,
          email: c.sdm.email ?? null,
          slackUserId: c.sdm.slackUserId ?? null,
          teamsUserId: c.sdm.teamsUserId ?? null,
        }
      : null,
    responders: c.responders,
    admins: c.admins,
    responseExecution: c.responseExecution,
    questionsPerQuarter: c.questionsPerQuarter ?? null,
  }));
  return deepFreeze({
    customers,
    experts: {
      slackTeamId: data.experts.slack?.teamId ?? null,
      slackChannelId: data.experts.slack?.channelId ?? null,
      teamsTenantId: data.experts.teams?.tenantId ?? null,
      teamsChannelId: data.experts.teams?.channelId ?? null,
      teamsServiceUrl: data.experts.teams?.serviceUrl ?? null,
      members: data.experts.members,
    },
  });
}

/** Reads TENANTS_FILE; an unreadable file is a start-up error naming the file. */
export function loadCustomersFile(path: string): Directory {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError([
      `TENANTS_FILE: cannot read ${path} (${code}) — point TENANTS_FILE at a readable YAML or JSON file, or unset it for the demo customers`,
    ]);
  }
  return parseCustomersFile(path, text);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
