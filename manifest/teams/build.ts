import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadConfig } from '../../bot/config/env.js';
import { ConfigError } from '../../bot/errors.js';
import { buildTeamsPackage, packageProblems } from './package.js';

// `npm run manifest:teams`: builds dist/defender-experts-teams.zip from the same configuration the bot
// runs with (MicrosoftAppId, PUBLIC_BASE_URL; a .env file is read like npm start does).

if (existsSync('.env')) process.loadEnvFile('.env');

function fail(problems: readonly string[]): never {
  process.stderr.write(`Cannot build the Teams app package:\n${problems.map((p) => `  - ${p}\n`).join('')}`);
  process.exit(1);
}

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (error instanceof ConfigError) fail(error.problems);
  throw error;
}
const values = { appId: config.MicrosoftAppId, publicBaseUrl: config.PUBLIC_BASE_URL };
const problems = packageProblems(values);
if (problems.length > 0 || values.appId === undefined || values.publicBaseUrl === undefined) fail(problems);
const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};
const { zip } = buildTeamsPackage({ appId: values.appId, publicBaseUrl: values.publicBaseUrl, version });
mkdirSync('dist', { recursive: true });
writeFileSync('dist/defender-experts-teams.zip', zip);
process.stdout.write(`wrote dist/defender-experts-teams.zip (${zip.length} bytes) for app ${values.appId}\n`);
