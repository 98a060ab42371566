import { z } from 'zod/v4';
import { ConfigError } from '../errors.js';

// Configuration is read once (nothing else reads process.env): this module parses the environment into a frozen
// object and fails fast with one actionable line per problem. Nothing else reads process.env.

const optionalText = z
  .string()
  .trim()
  .transform((s) => (s === '' ? undefined : s))
  .optional();

const url = (what: string) =>
  z
    .string()
    .trim()
    .refine((s) => URL.canParse(s), { message: `must be an absolute URL (${what})` });

const intIn = (min: number, max: number, fallback: number) =>
  z
    .string()
    .trim()
    .optional()
    .transform((s, ctx) => {
      if (s === undefined || s === '') return fallback;
      const n = Number(s);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({
          code: 'custom',
          message: `must be a whole number from ${min} to ${max} (got "${s}")`,
        });
        return z.NEVER;
      }
      return n;
    });

const flag = z
  .enum(['auto', 'on', 'off', 'true', 'false', '1', '0'])
  .optional()
  .transform((v) => (v === undefined || v === 'auto' ? 'auto' : v === 'on' || v === 'true' || v === '1'));

const DEFAULT_TEAMS_HOSTS = [
  'smba.trafficmanager.net',
  'smba.infra.gcc.teams.microsoft.com',
  'smba.infra.gov.teams.microsoft.us',
  'smba.infra.dod.teams.microsoft.us',
];

const schema = z.object({
  PORT: intIn(0, 65535, 3978),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().trim().min(1).default('./data'),
  DATABASE_URL: optionalText.refine((s) => s === undefined || /^postgres(ql)?:\/\//.test(s), {
    message: 'must start with postgres:// (or leave it unset for the embedded SQLite store)',
  }),
  /** Scale-out: this process's name in the shared store's leases (default: host, pid and a random tail). */
  INSTANCE_ID: optionalText.refine((s) => s === undefined || /^[A-Za-z0-9._:-]{1,100}$/.test(s), {
    message: 'must be 1–100 letters, digits, ".", "_", ":" or "-" (a pod name fits)',
  }),
  /** Scale-out: an instance silent this long is gone; its alert lanes and poller leadership are taken over. */
  INSTANCE_TIMEOUT_SECONDS: intIn(2, 600, 15),
  INCIDENT_SOURCE: z.enum(['simulated', 'graph']).default('simulated'),
  POLL_INTERVAL_SECONDS: intIn(1, 86_400, 60),
  /** Guided response: how often running actions are checked (Defender machine actions take minutes). */
  RESPONSE_POLL_SECONDS: intIn(1, 3_600, 5),
  /**
   * Ask Defender Experts relay: how long a relayed message waits so that an earlier one the platform delivers
   * late still goes first (order by the platform's timestamp). 0 turns the wait off.
   */
  RELAY_SETTLE_MS: intIn(0, 60_000, 1_000),
  SIMULATION_STEP_SECONDS: intIn(0, 86_400, 30),
  SIMULATION_SEED: intIn(0, 2 ** 31 - 1, 42),
  TENANTS_FILE: optionalText,
  ALERT_REMINDER_HOURS: z
    .string()
    .trim()
    .optional()
    .transform((s, ctx) => {
      if (s === undefined || s === '') return [4, 24];
      const hours = s.split(',').map((h) => Number(h.trim()));
      if (
        hours.some((h) => !Number.isFinite(h) || h <= 0) ||
        hours.some((h, i) => i > 0 && h <= (hours[i - 1] ?? 0))
      ) {
        ctx.addIssue({
          code: 'custom',
          message: `must be increasing positive hours separated by commas, like 4,24 (got "${s}")`,
        });
        return z.NEVER;
      }
      return hours;
    }),
  PUBLIC_BASE_URL: optionalText.pipe(url('the bot public URL, e.g. https://bot.example.com').optional()),
  /** Signs report chart/CSV links (HMAC); every instance needs the same one. Unset: a per-process key. */
  REPORT_LINK_SECRET: optionalText.refine((s) => s === undefined || s.length >= 32, {
    message: 'must be at least 32 characters (e.g. openssl rand -base64 48), or unset for a per-process key',
  }),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DEV_CONSOLE: flag,

  MicrosoftAppId: optionalText,
  MicrosoftAppPassword: optionalText,
  MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).optional(),
  MicrosoftAppTenantId: optionalText,
  ToBotFromChannelOpenIdMetadataUrl: optionalText,
  ToBotFromChannelTokenIssuer: optionalText,
  ToChannelFromBotLoginUrl: optionalText,
  ToChannelFromBotOAuthScope: optionalText,
  OAuthUrl: optionalText,
  ValidateAuthority: optionalText,
  TEAMS_SERVICE_URL_ALLOWLIST: optionalText,
  /**
   * Microsoft 365 Agents Playground on this machine: /api/messages takes its unauthenticated activities
   * (loopback only, its own connector only). Never together with Bot Framework credentials.
   */
  TEAMS_PLAYGROUND: z
    .enum(['on', 'off'])
    .default('off')
    .transform((v) => v === 'on'),
  /** The Playground's port: the only place Playground-mode replies may go. */
  PLAYGROUND_PORT: intIn(1, 65535, 56150),

  SLACK_SIGNING_SECRET: optionalText,
  SLACK_BOT_TOKEN: optionalText,
  SLACK_APP_TOKEN: optionalText,
  SLACK_CLIENT_ID: optionalText,
  SLACK_CLIENT_SECRET: optionalText,
  /** Signs the OAuth install state; a short one could be guessed and an install forged. */
  SLACK_STATE_SECRET: optionalText.refine((s) => s === undefined || s.length >= 32, {
    message: 'must be at least 32 characters (e.g. openssl rand -base64 48)',
  }),
  SLACK_API_URL: url('Slack Web API base').default('https://slack.com/api/'),

  GRAPH_CLIENT_ID: optionalText,
  GRAPH_CLIENT_SECRET: optionalText,
  GRAPH_CLIENT_CERTIFICATE_PATH: optionalText,
  GRAPH_BASE_URL: url('Microsoft Graph base').default('https://graph.microsoft.com'),
  AZURE_AUTHORITY_HOST: url('Entra authority host').default('https://login.microsoftonline.com'),
  DEFENDER_API_URL: url('Defender for Endpoint API base').default('https://api.security.microsoft.com'),
});

type Parsed = z.infer<typeof schema>;

export interface AppConfig extends Omit<Parsed, 'DEV_CONSOLE' | 'TEAMS_SERVICE_URL_ALLOWLIST'> {
  /** Whether the dev console (persona switcher; impersonates anyone) is served at GET /. */
  readonly devConsole: boolean;
  /** Said at start-up when the console was forced on beside a real platform; null otherwise. */
  readonly devConsoleWarning: string | null;
  readonly teamsServiceUrlAllowlist: readonly string[];
}

/** Names whose values are secrets: never logged, never echoed in errors. */
export const SECRET_KEYS = [
  'MicrosoftAppPassword',
  'SLACK_SIGNING_SECRET',
  'SLACK_BOT_TOKEN',
  'SLACK_APP_TOKEN',
  'SLACK_CLIENT_SECRET',
  'SLACK_STATE_SECRET',
  'GRAPH_CLIENT_SECRET',
  'DATABASE_URL',
  'REPORT_LINK_SECRET',
] as const;

/** Which real chat platform has credentials, if any: Teams (an app id) or Slack (any of its secrets). */
function realPlatform(c: Omit<Parsed, 'DEV_CONSOLE' | 'TEAMS_SERVICE_URL_ALLOWLIST'>): string | null {
  if (c.MicrosoftAppId !== undefined) return 'Teams';
  const slack = [c.SLACK_SIGNING_SECRET, c.SLACK_BOT_TOKEN, c.SLACK_APP_TOKEN, c.SLACK_CLIENT_SECRET];
  return slack.some((v) => v !== undefined) ? 'Slack' : null;
}

const isLoopback = (host: string): boolean => ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host);

/**
 * Playground mode takes activities nobody signed, so it exists only where nobody else can reach the bot and
 * where no real bot identity could be borrowed: no app id, a loopback HOST.
 */
function playgroundProblems(env: Readonly<Record<string, string | undefined>>): string[] {
  if (env.TEAMS_PLAYGROUND?.trim() !== 'on') return [];
  const problems: string[] = [];
  if ((env.MicrosoftAppId ?? '').trim() !== '') {
    problems.push(
      'TEAMS_PLAYGROUND: on is refused while MicrosoftAppId is set — Playground mode accepts unsigned activities; unset MicrosoftAppId (and the other Bot Framework credentials) or set TEAMS_PLAYGROUND=off',
    );
  }
  const host = (env.HOST ?? '127.0.0.1').trim();
  if (!isLoopback(host)) {
    problems.push(
      `TEAMS_PLAYGROUND: on is refused with HOST=${host} — Playground mode listens on loopback only; set HOST=127.0.0.1 (or ::1, localhost) or TEAMS_PLAYGROUND=off`,
    );
  }
  // The mode trusts anything on this machine that speaks like the Playground, so it runs on the demo world
  // only: never beside real customers, a real incident source, a shared database or a real Slack app.
  const real: ReadonlyArray<readonly [string, boolean]> = [
    ['TENANTS_FILE', (env.TENANTS_FILE ?? '').trim() !== ''],
    ['INCIDENT_SOURCE=graph', env.INCIDENT_SOURCE?.trim() === 'graph'],
    ['DATABASE_URL', (env.DATABASE_URL ?? '').trim() !== ''],
    ['SLACK_SIGNING_SECRET', (env.SLACK_SIGNING_SECRET ?? '').trim() !== ''],
  ];
  for (const [name, present] of real) {
    if (present)
      problems.push(
        `TEAMS_PLAYGROUND: on is refused with ${name} — Playground mode accepts unsigned activities and runs on the demo customers only; unset ${name.split('=')[0]} or set TEAMS_PLAYGROUND=off`,
      );
  }
  return problems;
}

/** Checks across variables, on the raw values so they are reported together with the per-variable ones. */
function crossChecks(env: Readonly<Record<string, string | undefined>>): string[] {
  const set = (name: string): boolean => (env[name] ?? '').trim() !== '';
  const problems: string[] = [];
  if (env.INCIDENT_SOURCE?.trim() === 'graph') {
    if (!set('GRAPH_CLIENT_ID')) {
      problems.push(
        'GRAPH_CLIENT_ID: required when INCIDENT_SOURCE=graph — set it to the app registration’s client id',
      );
    }
    if (!set('GRAPH_CLIENT_SECRET') && !set('GRAPH_CLIENT_CERTIFICATE_PATH')) {
      problems.push(
        'GRAPH_CLIENT_SECRET: required when INCIDENT_SOURCE=graph — set it, or GRAPH_CLIENT_CERTIFICATE_PATH to a PEM with the private key and certificate',
      );
    }
    // Tokens and customer incidents travel to these two: never over plain HTTP.
    for (const name of ['GRAPH_BASE_URL', 'AZURE_AUTHORITY_HOST']) {
      const value = env[name]?.trim() ?? '';
      if (URL.canParse(value) && new URL(value).protocol !== 'https:') {
        problems.push(
          `${name}: must be an https:// URL when INCIDENT_SOURCE=graph (got ${new URL(value).origin})`,
        );
      }
    }
  }
  if (set('MicrosoftAppPassword') && !set('MicrosoftAppId')) {
    problems.push(
      'MicrosoftAppId: MicrosoftAppPassword is set without it — set MicrosoftAppId to the bot app id',
    );
  }
  problems.push(...playgroundProblems(env));
  if (env.MicrosoftAppType?.trim() === 'SingleTenant' && !set('MicrosoftAppTenantId')) {
    problems.push(
      'MicrosoftAppTenantId: required when MicrosoftAppType=SingleTenant — set it to your Entra tenant id',
    );
  }
  return problems;
}

/**
 * Parses the environment. Throws ConfigError listing every problem at once, each as
 * "NAME: what is wrong — what to set", without echoing secret values.
 */
export function loadConfig(rawEnv: Readonly<Record<string, string | undefined>>): Readonly<AppConfig> {
  // An empty value means "unset" (a copied .env.example leaves many empty).
  const env = Object.fromEntries(
    Object.entries(rawEnv).filter(([, v]) => v !== undefined && v.trim() !== ''),
  );
  const result = schema.safeParse(env);
  const problems: string[] = [];
  if (!result.success) {
    for (const issue of result.error.issues) {
      const name = String(issue.path[0] ?? 'environment');
      problems.push(
        `${name}: ${issue.message.replace(/^Invalid option: expected one of/, 'must be one of')}`,
      );
    }
  }
  problems.push(...crossChecks(env));
  if (!result.success || problems.length > 0) throw new ConfigError(problems);
  const { DEV_CONSOLE, TEAMS_SERVICE_URL_ALLOWLIST, ...rest } = result.data;
  // The console lets anyone impersonate anyone. 'auto' serves it only for the simulation on a loopback address
  // with no real platform configured: beside real Teams or Slack people it takes an explicit DEV_CONSOLE=on.
  const platform = realPlatform(rest);
  const devConsole =
    DEV_CONSOLE === 'auto'
      ? rest.INCIDENT_SOURCE === 'simulated' && isLoopback(rest.HOST) && platform === null
      : DEV_CONSOLE;
  const devConsoleWarning =
    devConsole && platform !== null
      ? `the dev console is on (DEV_CONSOLE=on) while ${platform} is configured: whoever reaches ${rest.HOST}:${rest.PORT} from this machine can act as any person of any customer`
      : null;
  const allowlist = (TEAMS_SERVICE_URL_ALLOWLIST ?? DEFAULT_TEAMS_HOSTS.join(','))
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== '');
  return Object.freeze({
    ...rest,
    devConsole,
    devConsoleWarning,
    teamsServiceUrlAllowlist: Object.freeze(allowlist),
  });
}

/** A copy safe to log: secret values replaced by "[set]" so operators can see what is configured. */
export function redactedConfig(config: Readonly<AppConfig>): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...config };
  for (const key of SECRET_KEYS) if (copy[key] !== undefined) copy[key] = '[set]';
  return copy;
}

/** Every variable the bot reads (the .env.example test checks each is documented). */
export const CONFIG_KEYS: readonly string[] = Object.keys(schema.shape);
