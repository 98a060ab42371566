import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { buildTeamsPackage, fillManifest, manifestTemplate } from '../../../manifest/teams/package.js';
import { pngHeader } from '../../../manifest/teams/png.js';
import { readZip } from '../../../manifest/teams/zip.js';
import { repoRoot } from '../../support/spawn-bot.js';

// The Teams app package: manifest.json checked offline against Microsoft's v1.29 schema (draft-04), the
// command lists against the user guide's command table, the zip's contents and the icons' sizes — and `npm run manifest:teams`.

const APP_ID = '3f0c1a6e-2b7d-4c8e-9f10-112233445566';
const BASE = 'https://bot.contoso.example';

// JSON Schema draft-04's meta-schema (json-schema.org/draft-04/schema), as ajv 8 reads it: its root `id`
// becomes `$id`, and its one draft-04-only construct (boolean exclusiveMinimum on multipleOf) is written
// as minimum 0. ajv then checks the Teams schema against it before compiling.
const draft04 = {
  $id: 'http://json-schema.org/draft-04/schema#',
  $schema: 'http://json-schema.org/draft-04/schema#',
  definitions: {
    schemaArray: { type: 'array', minItems: 1, items: { $ref: '#' } },
    positiveInteger: { type: 'integer', minimum: 0 },
    positiveIntegerDefault0: { allOf: [{ $ref: '#/definitions/positiveInteger' }, { default: 0 }] },
    simpleTypes: { enum: ['array', 'boolean', 'integer', 'null', 'number', 'object', 'string'] },
    stringArray: { type: 'array', items: { type: 'string' }, minItems: 1, uniqueItems: true },
  },
  type: 'object',
  properties: {
    id: { type: 'string' },
    $schema: { type: 'string' },
    title: { type: 'string' },
    description: { type: 'string' },
    default: {},
    multipleOf: { type: 'number', minimum: 0 },
    maximum: { type: 'number' },
    exclusiveMaximum: { type: 'boolean', default: false },
    minimum: { type: 'number' },
    exclusiveMinimum: { type: 'boolean', default: false },
    maxLength: { $ref: '#/definitions/positiveInteger' },
    minLength: { $ref: '#/definitions/positiveIntegerDefault0' },
    pattern: { type: 'string', format: 'regex' },
    additionalItems: { anyOf: [{ type: 'boolean' }, { $ref: '#' }], default: {} },
    items: { anyOf: [{ $ref: '#' }, { $ref: '#/definitions/schemaArray' }], default: {} },
    maxItems: { $ref: '#/definitions/positiveInteger' },
    minItems: { $ref: '#/definitions/positiveIntegerDefault0' },
    uniqueItems: { type: 'boolean', default: false },
    maxProperties: { $ref: '#/definitions/positiveInteger' },
    minProperties: { $ref: '#/definitions/positiveIntegerDefault0' },
    required: { $ref: '#/definitions/stringArray' },
    additionalProperties: { anyOf: [{ type: 'boolean' }, { $ref: '#' }], default: {} },
    definitions: { type: 'object', additionalProperties: { $ref: '#' }, default: {} },
    properties: { type: 'object', additionalProperties: { $ref: '#' }, default: {} },
    patternProperties: { type: 'object', additionalProperties: { $ref: '#' }, default: {} },
    dependencies: {
      type: 'object',
      additionalProperties: { anyOf: [{ $ref: '#' }, { $ref: '#/definitions/stringArray' }] },
    },
    enum: { type: 'array', minItems: 1, uniqueItems: true },
    type: {
      anyOf: [
        { $ref: '#/definitions/simpleTypes' },
        { type: 'array', items: { $ref: '#/definitions/simpleTypes' }, minItems: 1, uniqueItems: true },
      ],
    },
    format: { type: 'string' },
    allOf: { $ref: '#/definitions/schemaArray' },
    anyOf: { $ref: '#/definitions/schemaArray' },
    oneOf: { $ref: '#/definitions/schemaArray' },
    not: { $ref: '#' },
  },
  dependencies: { exclusiveMaximum: ['maximum'], exclusiveMinimum: ['minimum'] },
  default: {},
};

const schema = JSON.parse(
  readFileSync(join(repoRoot, 'test', 'fixtures', 'schemas', 'teams-manifest-1.29.schema.json'), 'utf8'),
) as Record<string, unknown>;
const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addMetaSchema(draft04, 'http://json-schema.org/draft-04/schema');
ajv.addFormat('uri', (s: string) => URL.canParse(s));
ajv.addFormat('regex', (s: string) => {
  try {
    new RegExp(s, 'u');
    return true;
  } catch {
    return false;
  }
});
const validate = ajv.compile(schema);
const errors = (): string => ajv.errorsText(validate.errors, { separator: '\n' });

const built = buildTeamsPackage({ appId: APP_ID, publicBaseUrl: `${BASE}/`, version: '0.1.0' });
const manifest = built.manifest as {
  manifestVersion: string;
  id: string;
  validDomains: string[];
  icons: { color: string; outline: string };
  bots: Array<{
    botId: string;
    scopes: string[];
    commandLists: Array<{ scopes: string[]; commands: Array<{ title: string }> }>;
  }>;
};

/** The first word of every command in the user guide's command table (docs/usage.md, "## Commands"). */
function documentedCommands(): string[] {
  const usage = readFileSync(join(repoRoot, 'docs', 'usage.md'), 'utf8');
  const start = usage.indexOf('## Commands\n');
  expect(start, 'docs/usage.md has a "## Commands" section').toBeGreaterThan(-1);
  const end = usage.indexOf('\n## ', start + 1);
  const table = usage.slice(start, end === -1 ? undefined : end);
  const words = [...table.matchAll(/^\| (.+?) \|/gm)].flatMap((row) =>
    [...(row[1] ?? '').matchAll(/`([a-z]+)/g)].map((m) => m[1] ?? ''),
  );
  return [...new Set(words.filter((w) => w !== '' && w !== 'command'))];
}

/** RGBA pixels of a PNG written with filter 0 on every row (what our encoder writes). */
function pixels(png: Buffer): Uint8Array {
  const { width, height } = pngHeader(png);
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    if (png.toString('ascii', at + 4, at + 8) === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const out = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y += 1) {
    expect(raw[y * (width * 4 + 1)]).toBe(0);
    out.set(raw.subarray(y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1)), y * width * 4);
  }
  return out;
}

describe('Teams app package', () => {
  it('builds a manifest that Microsoft’s v1.29 schema accepts — and the check can fail', () => {
    expect(validate(manifest), errors()).toBe(true);
    expect(manifest.manifestVersion).toBe('1.29');
    const broken = structuredClone(manifest) as Record<string, unknown>;
    delete broken.icons;
    (broken.bots as Array<Record<string, unknown>>)[0] = { botId: 'not-a-guid', scopes: ['everywhere'] };
    expect(validate(broken)).toBe(false);
    expect(errors()).toMatch(/icons/);
    expect(errors()).toMatch(/botId|scopes/);
  });

  it('fills the app and bot ids and the valid domain from configuration, and nothing else is a placeholder', () => {
    const template = manifestTemplate();
    expect([...new Set([...template.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]))].sort()).toEqual([
      'MicrosoftAppId',
      'PUBLIC_BASE_URL',
      'PUBLIC_HOST',
      'VERSION',
    ]);
    expect(manifest.id).toBe(APP_ID);
    expect(manifest.bots[0]?.botId).toBe(APP_ID);
    expect(manifest.validDomains).toEqual(['bot.contoso.example']);
    expect(() =>
      fillManifest('{"id": "{{SURPRISE}}"}', { appId: APP_ID, publicBaseUrl: BASE, version: '1' }),
    ).toThrow(/unknown placeholder/);
  });

  it('puts the bot in personal chats, teams and group chats with the documented commands', () => {
    const [bot] = manifest.bots;
    expect(bot?.scopes).toEqual(['personal', 'team', 'groupChat']);
    const titles = (scope: string) =>
      bot?.commandLists.find((l) => l.scopes.includes(scope))?.commands.map((c) => c.title) ?? [];
    const commands = documentedCommands();
    expect(commands).toEqual(
      expect.arrayContaining([
        'help',
        'incidents',
        'incident',
        'ask',
        'questions',
        'sdm',
        'escalate',
        'report',
        'checkin',
        'subscribe',
        'unsubscribe',
      ]),
    );
    // `find` is Slack's: Teams searches from the compose box. A command list holds at most 12 commands, so
    // channels leave out `escalate` (the SDM card's button escalates); personal chats list it.
    const teamsCommands = commands.filter((c) => c !== 'find');
    expect(commands).toContain('messages');
    for (const scope of ['team', 'groupChat']) {
      expect(titles(scope)).toEqual(expect.arrayContaining(teamsCommands.filter((c) => c !== 'escalate')));
      expect(titles(scope).length).toBeLessThanOrEqual(12);
    }
    const channelOnly = ['subscribe', 'unsubscribe'];
    expect(titles('personal')).toEqual(
      expect.arrayContaining(teamsCommands.filter((c) => !channelOnly.includes(c))),
    );
    expect(titles('personal')).not.toContain('subscribe');
  });

  it('zips manifest.json and the icons at the root, icons at Teams’ sizes, the outline white on transparent', () => {
    const entries = readZip(built.zip);
    expect(entries.map((e) => e.name)).toEqual([
      'manifest.json',
      manifest.icons.color,
      manifest.icons.outline,
    ]);
    const byName = new Map(entries.map((e) => [e.name, e.data]));
    expect(JSON.parse(byName.get('manifest.json')?.toString('utf8') ?? '')).toEqual(manifest);
    const color = byName.get('color.png') ?? Buffer.alloc(0);
    const outline = byName.get('outline.png') ?? Buffer.alloc(0);
    expect(pngHeader(color)).toMatchObject({ width: 192, height: 192 });
    expect(pngHeader(outline)).toMatchObject({ width: 32, height: 32, colorType: 6 });
    const px = pixels(outline);
    let opaque = 0;
    for (let i = 0; i < px.length; i += 4) {
      if ((px[i + 3] ?? 0) > 0) {
        expect([px[i], px[i + 1], px[i + 2]]).toEqual([255, 255, 255]);
        opaque += 1;
      }
    }
    expect(opaque).toBeGreaterThan(50);
    expect(opaque).toBeLessThan(32 * 32 - 100);
  });

  it('`npm run manifest:teams` writes dist/defender-experts-teams.zip, and refuses without the settings', () => {
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root' };
    const ok = spawnSync('npm', ['run', '--silent', 'manifest:teams'], {
      cwd: repoRoot,
      env: { ...env, MicrosoftAppId: APP_ID, PUBLIC_BASE_URL: BASE },
      encoding: 'utf8',
    });
    expect(ok.status, ok.stderr).toBe(0);
    const zip = readFileSync(join(repoRoot, 'dist', 'defender-experts-teams.zip'));
    const written = JSON.parse(
      readZip(zip)
        .find((e) => e.name === 'manifest.json')
        ?.data.toString('utf8') ?? '{}',
    );
    expect(validate(written), errors()).toBe(true);

    const refused = spawnSync('npm', ['run', '--silent', 'manifest:teams'], {
      cwd: repoRoot,
      env,
      encoding: 'utf8',
    });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/MicrosoftAppId: must be set/);
    expect(refused.stderr).toMatch(/PUBLIC_BASE_URL: must be/);
  });
});
