import type { Platform } from '../../bot/domain/actor.js';
import { LIMITS, plainLine } from '../escape.js';
import type { CardMessage } from '../types.js';
import { cardMessage, md } from '../view.js';

// A Teams tenant or Slack workspace that no customer owns sees no data at all, only how to
// get linked: the provider adds the id to the customers file.

export interface UnlinkedWorkspaceInput {
  readonly platform: Platform;
  readonly workspaceId: string;
}

const WHAT: Record<
  Platform,
  { readonly place: string; readonly idName: string; readonly key: string | null }
> = {
  teams: { place: 'Microsoft Teams tenant', idName: 'Teams tenant id', key: 'teams: { tenantId: ' },
  slack: { place: 'Slack workspace', idName: 'Slack team id', key: 'slack: { teamId: ' },
  web: { place: 'console workspace', idName: 'Workspace key', key: null },
};

/** Says the workspace is not linked and how to link it; shows nothing else. */
export function unlinkedWorkspaceCard(input: UnlinkedWorkspaceInput): CardMessage {
  const what = WHAT[input.platform];
  const id = plainLine(input.workspaceId, LIMITS.name) || 'unknown';
  const title = `This ${what.place} is not linked to Defender Experts`;
  const explanation =
    'No customer of the Defender Experts service is linked to it, so I cannot show any incident here.';
  const howTo =
    what.key === null
      ? 'Pick one of the demo personas in the console, or ask your provider to link this workspace.'
      : `To link it, ask your Defender Experts provider to add this ${what.idName} to your entry in the customers file:`;
  const snippet = what.key === null ? '' : `${what.key}${id} }`;

  return cardMessage(
    'unlinked-workspace',
    {
      title: md(title),
      explanation: md(explanation),
      howTo: md(howTo),
      hasSnippet: snippet !== '',
      snippet: md(snippet),
      facts: [{ title: md(what.idName), value: md(id) }],
    },
    [title, explanation, howTo, snippet, `${what.idName}: ${id}`],
  );
}
