import { readFileSync } from 'node:fs';
import { teamsCommandLists } from './command-lists.js';
import { writeZip } from './zip.js';

// Builds the Teams app package: manifest.json with the placeholders filled (app and bot id from
// MicrosoftAppId, the bot's public host from PUBLIC_BASE_URL, the version from package.json) plus the
// two icons, zipped flat as Teams expects. The bot's command menus are added from the command registry.

const here = (name: string): URL => new URL(`./${name}`, import.meta.url);

/** The values a deployment fills in; everything else in the package is fixed. */
export interface PackageValues {
  /** The bot's Microsoft App ID (a GUID): the Teams app id and the bot id. */
  readonly appId: string;
  /** The bot's public https URL; its host is the one valid domain. */
  readonly publicBaseUrl: string;
  readonly version: string;
}

const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;

/** What is wrong with the values, one line each (empty when they can be packaged). */
export function packageProblems(values: {
  appId?: string | undefined;
  publicBaseUrl?: string | undefined;
}): string[] {
  const problems: string[] = [];
  if (values.appId === undefined || !GUID.test(values.appId)) {
    problems.push(
      'MicrosoftAppId: must be set to the bot’s app id (a GUID) — it is the Teams app id and the bot id',
    );
  }
  let url: URL | null = null;
  try {
    url = values.publicBaseUrl === undefined ? null : new URL(values.publicBaseUrl);
  } catch {
    url = null;
  }
  if (url === null || url.protocol !== 'https:') {
    problems.push(
      'PUBLIC_BASE_URL: must be the bot’s public https URL (e.g. https://bot.example.com) — Teams needs its host',
    );
  }
  return problems;
}

/** The manifest template as committed (with {{placeholders}}). */
export const manifestTemplate = (): string => readFileSync(here('manifest.json'), 'utf8');

/** Fills the template; every placeholder must be known, and values are JSON-escaped. */
export function fillManifest(template: string, values: PackageValues): Record<string, unknown> {
  const base = values.publicBaseUrl.replace(/\/+$/, '');
  const known: Record<string, string> = {
    MicrosoftAppId: values.appId.toLowerCase(),
    PUBLIC_BASE_URL: base,
    PUBLIC_HOST: new URL(base).host,
    VERSION: values.version,
  };
  const filled = template.replace(/\{\{(\w+)\}\}/g, (_m, key: string) => {
    const value = known[key];
    if (value === undefined) throw new Error(`manifest.json: unknown placeholder {{${key}}}`);
    return JSON.stringify(value).slice(1, -1);
  });
  return JSON.parse(filled) as Record<string, unknown>;
}

/** The manifest with each bot's command menus (`commandLists`) generated from the command registry. */
export function withCommandLists(manifest: Record<string, unknown>): Record<string, unknown> {
  const bots = manifest.bots;
  if (!Array.isArray(bots)) throw new Error('manifest.json: no bots to give command lists');
  const commandLists = teamsCommandLists();
  return { ...manifest, bots: bots.map((bot: Record<string, unknown>) => ({ ...bot, commandLists })) };
}

/** The zip Teams uploads: manifest.json, color.png, outline.png at the root. */
export function buildTeamsPackage(values: PackageValues): {
  readonly zip: Buffer;
  readonly manifest: Record<string, unknown>;
} {
  const manifest = withCommandLists(fillManifest(manifestTemplate(), values));
  const zip = writeZip([
    { name: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) },
    { name: 'color.png', data: readFileSync(here('color.png')) },
    { name: 'outline.png', data: readFileSync(here('outline.png')) },
  ]);
  return { zip, manifest };
}
