import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  type AppManifest,
  AppManifestUtils,
  type TeamsManifest,
  TeamsManifestConverter,
} from '@microsoft/app-manifest';
import type { JSONSchemaType } from 'ajv';
import { describe, expect, it } from 'vitest';
import { buildTeamsPackage } from '../../../manifest/teams/package.js';
import { readZip } from '../../../manifest/teams/zip.js';

// The Teams app package checked by Microsoft's own validator (@microsoft/app-manifest, what the Microsoft
// 365 Agents Toolkit runs), offline: the package ships every Teams schema version, and its validator takes
// the schema as an argument, so the manifest is checked against the bundled v1.29 schema with no fetch.
// Given only the manifest, the validator resolves a developer.microsoft.com schema URL to that same
// bundled file — also pinned here, so a manifest whose $schema would need the network fails the test.

const APP_ID = '3f0c1a6e-2b7d-4c8e-9f10-112233445566';
const packageDir = dirname(createRequire(import.meta.url).resolve('@microsoft/app-manifest/package.json'));

/** A schema file the package ships, cleaned the way its own loader cleans it (\a is not valid JSON). */
function bundledSchema(version: string): JSONSchemaType<AppManifest> {
  const file = join(
    packageDir,
    'build',
    'json-schemas',
    'teams',
    `v${version}`,
    'MicrosoftTeams.schema.json',
  );
  const raw = readFileSync(file, 'utf8').replace(/\\a/g, '\\u0007').replace(/\\v/g, '\\u000b');
  return JSON.parse(raw) as JSONSchemaType<AppManifest>;
}

/** manifest.json as it is inside the zip Teams uploads. */
function manifestInZip(): string {
  const { zip } = buildTeamsPackage({
    appId: APP_ID,
    publicBaseUrl: 'https://bot.contoso.example/',
    version: '0.1.0',
  });
  const entry = readZip(zip).find((e) => e.name === 'manifest.json');
  if (entry === undefined) throw new Error('manifest.json is not in the package');
  return entry.data.toString('utf8');
}

describe('the Teams app package, by Microsoft’s validator (@microsoft/app-manifest)', () => {
  const text = manifestInZip();
  const manifest = TeamsManifestConverter.jsonToManifest(text);
  const version = manifest.manifestVersion;

  it('is read by Microsoft’s manifest converter and passes its schema validation offline', async () => {
    expect(version).toBe('1.29');
    expect(await AppManifestUtils.validateAgainstSchema(manifest, bundledSchema(version))).toEqual([]);
  });

  it('names a $schema the validator resolves to its bundled copy (no network needed)', async () => {
    const schemaUrl = (JSON.parse(text) as { $schema: string }).$schema;
    expect(schemaUrl).toBe(
      `https://developer.microsoft.com/en-us/json-schemas/teams/v${version}/MicrosoftTeams.schema.json`,
    );
    expect(await AppManifestUtils.fetchSchema(schemaUrl)).toEqual(bundledSchema(version));
  });

  it('catches what Teams would refuse (the check can fail)', async () => {
    const broken = JSON.parse(text) as Record<string, unknown> & {
      bots: Array<Record<string, unknown>>;
    };
    const firstBot = broken.bots[0];
    if (firstBot === undefined) throw new Error('the manifest has no bot');
    broken.id = 'defender-experts';
    firstBot.scopes = ['personal', 'everywhere'];
    delete broken.developer;
    const errors = await AppManifestUtils.validateAgainstSchema(
      broken as unknown as TeamsManifest,
      bundledSchema(version),
    );
    expect(errors.join('\n')).toMatch(/^\/id must match pattern/m);
    expect(errors.join('\n')).toMatch(/scopes\/1 must be equal to one of the allowed values/);
    expect(errors.join('\n')).toMatch(/must have required property 'developer'/);
  });
});
