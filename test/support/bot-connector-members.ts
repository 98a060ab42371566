import type { ServerResponse } from 'node:http';

// The Bot Connector's member lists (GET v3/conversations/{id}/pagedmembers and /members), as Teams answers
// them: each member with its MRI, Entra object id and tenantId, so a shared channel or a chat with people
// of other tenants shows who is there. Paged with an opaque continuation token, like the real service.

/** A conversation member as Teams lists it (TeamsChannelAccount). */
export interface TeamsMember {
  readonly id: string;
  readonly name: string;
  readonly aadObjectId: string;
  readonly tenantId: string;
  readonly userRole: 'user' | 'guest' | 'anonymous';
  readonly email?: string;
  readonly userPrincipalName?: string;
}

/** The captured fixture users (test/fixtures/teams), members of the fixture tenant. */
export const FIXTURE_MEMBERS: readonly TeamsMember[] = [
  {
    id: '29:1ScrubbedAlexAnalystMri',
    name: 'Alex Analyst',
    aadObjectId: '00000000-0000-4000-8000-00000000a11c',
    tenantId: '11111111-1111-4111-8111-111111111111',
    userRole: 'user',
  },
  {
    id: '29:1ScrubbedDanaResponderMri',
    name: 'Dana Responder',
    aadObjectId: '00000000-0000-4000-8000-00000000da0a',
    tenantId: '11111111-1111-4111-8111-111111111111',
    userRole: 'user',
  },
];

export interface MemberLists {
  /** Members per base conversation id; conversations not listed have the fixture users. */
  readonly rosters: Map<string, readonly TeamsMember[]>;
  /** Every member read, by base conversation id (reads are not conversation calls: nothing was sent). */
  readonly reads: string[];
  /** Answers a member-list request, or returns false when the path is not one. */
  answer(method: string, path: string, query: URLSearchParams, res: ServerResponse): boolean;
}

const MEMBERS = /^\/amer\/v3\/conversations\/([^/]+)\/(pagedmembers|members)\/?$/;

/** The member lists of the stand-in's conversations. */
export function memberLists(send: (res: ServerResponse, status: number, body: unknown) => void): MemberLists {
  const rosters = new Map<string, readonly TeamsMember[]>();
  const reads: string[] = [];
  return {
    rosters,
    reads,
    answer(method, path, query, res) {
      const m = MEMBERS.exec(path);
      if (m?.[1] === undefined || method !== 'GET') return false;
      const base = decodeURIComponent(m[1]).split(';messageid=')[0] ?? '';
      reads.push(base);
      const all = rosters.get(base) ?? FIXTURE_MEMBERS;
      if (m[2] === 'members') {
        send(res, 200, all);
        return true;
      }
      const size = Math.min(Math.max(Number(query.get('pageSize')) || 200, 1), 500);
      const token = query.get('continuationToken') ?? '';
      const from = token === '' ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8'));
      if (!Number.isInteger(from) || from < 0 || from > all.length) {
        send(res, 400, { error: { code: 'BadArgument', message: 'invalid continuation token' } });
        return true;
      }
      const page = all.slice(from, from + size);
      const next =
        from + size < all.length ? Buffer.from(String(from + size)).toString('base64url') : undefined;
      send(res, 200, { members: page, ...(next === undefined ? {} : { continuationToken: next }) });
      return true;
    },
  };
}
