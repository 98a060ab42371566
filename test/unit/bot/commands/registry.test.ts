import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_PERMISSIONS } from '../../../../bot/authz/permissions.js';
import { permissionsTableMarkdown } from '../../../../bot/authz/permissions-table.js';
import { defineCommand } from '../../../../bot/commands/define.js';
import { parseCommand } from '../../../../bot/commands/parse.js';
import {
  type AnyCommandDefinition,
  checkRegistry,
  commands,
  teamsMenu,
  wordsOf,
} from '../../../../bot/commands/registry.js';
import { commandWordOf, commandWords } from '../../../../bot/relay/command-words.js';
import { buildTeamsPackage } from '../../../../manifest/teams/package.js';
import { type CoreHarness, createCoreHarness, webUser } from '../../../support/core-harness.js';

// Everything said about a command outside its definition is generated from the registry: the parser's and the
// relay's command words, help, the permission table and Teams' command menus. These checks hold them together.

const ALL_COMMANDS = commands();
const words = ALL_COMMANDS.flatMap(wordsOf);

describe('the command registry', () => {
  it('gives the relay and the parser the same command words, each held to its own grammar', () => {
    expect(commandWords()).toEqual(words);
    expect(words).toEqual(expect.arrayContaining(['help', '?', 'incident', 'ask', 'subscribe']));
    for (const word of words) {
      expect(commandWordOf(`${word} something`), word).toEqual({ word, exact: true });
      const parsed = parseCommand(word);
      // A word alone is its command, or that command's own hint; never the general "did not understand".
      if (parsed.name === 'unknown') expect(parsed.hint, word).not.toMatch(/did not understand/);
      else
        expect(
          ALL_COMMANDS.map((c) => c.name),
          word,
        ).toContain(parsed.name);
    }
  });

  it('is the permission table, in help order, and the security docs show it', () => {
    expect(Object.keys(COMMAND_PERMISSIONS)).toEqual(ALL_COMMANDS.map((c) => c.name));
    for (const c of ALL_COMMANDS)
      expect(COMMAND_PERMISSIONS[c.name as keyof typeof COMMAND_PERMISSIONS]).toBe(c.requires);
    const rows = permissionsTableMarkdown()
      .split('\n')
      .filter((r) => r.includes('| command |'))
      .map((r) => /^\| `([^`]+)`/.exec(r)?.[1]);
    expect(rows).toEqual(ALL_COMMANDS.map((c) => c.name));
  });

  it('is what the built Teams manifest lists, in both menus', () => {
    const { manifest } = buildTeamsPackage({
      appId: '00000000-0000-4000-8000-000000000001',
      publicBaseUrl: 'https://bot.contoso.example',
      version: '1.0.0',
    });
    const [bot] = (
      manifest as { bots: Array<{ commandLists: Array<{ scopes: string[]; commands: unknown[] }> }> }
    ).bots;
    const list = (scope: string) => bot?.commandLists.find((l) => l.scopes.includes(scope))?.commands;
    expect(list('personal')).toEqual(teamsMenu('personal'));
    expect(list('team')).toEqual(teamsMenu('channel'));
    expect(list('groupChat')).toEqual(teamsMenu('channel'));
    for (const c of [...teamsMenu('personal'), ...teamsMenu('channel')]) {
      expect(words).toContain(c.title);
      expect(c.description).toBe(ALL_COMMANDS.find((d) => d.name === c.title)?.description);
    }
    // Channel-only and personal-only commands land where their definitions say.
    expect(teamsMenu('personal').map((c) => c.title)).not.toContain('subscribe');
    expect(teamsMenu('channel').map((c) => c.title)).toContain('subscribe');
    expect(teamsMenu('channel').map((c) => c.title)).not.toContain('escalate');
  });

  it('refuses a name, word or phrasing rank used twice', () => {
    const base = {
      usage: 'x',
      description: 'x',
      requires: { who: ['member' as const], scope: 'nothing' },
      handle: async () => [],
    };
    const make = (name: string, extra: Partial<AnyCommandDefinition> = {}): AnyCommandDefinition =>
      defineCommand({ ...base, name, parse: () => ({ name }), ...extra });
    expect(() => checkRegistry([make('a'), make('b')])).not.toThrow();
    expect(() => checkRegistry([make('a'), make('a')])).toThrow(/name "a"/);
    expect(() => checkRegistry([make('a'), make('b', { aliases: ['a'] })])).toThrow(/word "a"/);
    const phrasing = { rank: 5, match: () => null };
    expect(() =>
      checkRegistry([
        make('a', { phrasings: { loose: [phrasing] } }),
        make('b', { phrasings: { loose: [phrasing] } }),
      ]),
    ).toThrow(/rank "5"/);
    expect(() => checkRegistry(ALL_COMMANDS)).not.toThrow();
  });
});

describe('help, generated from the registry', () => {
  let h: CoreHarness;
  beforeAll(async () => {
    h = await createCoreHarness();
  });
  afterAll(async () => {
    await h.cleanup();
  });

  it("lists for a customer's admin every command they may use, with its usage", async () => {
    const [reply] = await h.say(webUser('contoso-admin', 'customer:contoso'), 'help');
    const text = reply?.text ?? '';
    for (const c of ALL_COMMANDS) {
      const line =
        c.helpFor === undefined ? { usage: c.usage, description: c.description } : c.helpFor.customer;
      const admitted = c.requires.who.some((g) => g === 'member' || g === 'admin');
      if (line === null || !admitted) continue;
      expect(text, c.name).toContain(`- ${line.usage}: ${line.description}`);
    }
    expect(text).not.toContain('incident <customer>');
  });
});
