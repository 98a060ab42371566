import { describe, expect, it } from 'vitest';
import {
  inertText,
  queryOf,
  SEARCH_COMMAND_ID,
} from '../../../../../adapters/teams/conversion/compose-extension.js';

// The message extension's pure edges: what a composeExtension/query asks for (Microsoft's documented
// value shape, every field untrusted) and the thumbnail text that can carry no markup.

describe('queryOf', () => {
  it('reads the search text and paging', () => {
    expect(
      queryOf({
        commandId: SEARCH_COMMAND_ID,
        parameters: [{ name: 'query', value: 'LAPTOP-7' }],
        queryOptions: { skip: 25, count: 10 },
      }),
    ).toEqual({ text: 'LAPTOP-7', skip: 25, count: 10 });
  });

  it('treats the initial run as an empty search', () => {
    expect(
      queryOf({
        commandId: SEARCH_COMMAND_ID,
        parameters: [{ name: 'initialRun', value: 'true' }],
        queryOptions: { skip: 0, count: 25 },
      }),
    ).toEqual({ text: '', skip: 0, count: 25 });
  });

  it('refuses another command and falls back on odd paging and parameters', () => {
    expect(queryOf({ commandId: 'somethingElse', parameters: [] })).toBeNull();
    expect(queryOf('nonsense')).toBeNull();
    expect(
      queryOf({
        commandId: SEARCH_COMMAND_ID,
        parameters: [{ name: 'query', value: { $gt: '' } }, 7],
        queryOptions: { skip: -3, count: 1.5 },
      }),
    ).toEqual({ text: '', skip: 0, count: 10 });
  });
});

describe('inertText', () => {
  it('leaves no tags, links or emphasis', () => {
    const out = inertText('<at>Alice</at> [click](https://evil.example) **bold** `x`');
    expect(out).not.toMatch(/[<>[\]*`]|:\/\//);
    expect(out).toContain('Alice');
  });
});
