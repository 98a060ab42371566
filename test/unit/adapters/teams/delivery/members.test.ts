import { describe, expect, it } from 'vitest';
import { createMemberRoster } from '../../../../../adapters/teams/delivery/members.js';

describe('member roster for refresh.userIds', () => {
  it('keeps the 60 most recently active users per conversation, newest last', () => {
    const roster = createMemberRoster();
    for (let i = 0; i < 70; i += 1) roster.seen('c1', `29:u${i}`);
    roster.seen('c1', '29:u20');
    const recent = roster.recent('c1');
    expect(recent).toHaveLength(60);
    expect(recent.at(-1)).toBe('29:u20');
    expect(recent).not.toContain('29:u0');
    roster.left('c1', '29:u20');
    expect(roster.recent('c1')).not.toContain('29:u20');
    expect(roster.recent('other')).toEqual([]);
  });

  it('forgets the least recently used conversations beyond its bound', () => {
    const roster = createMemberRoster(2);
    roster.seen('a', '29:x');
    roster.seen('b', '29:y');
    roster.seen('a', '29:z');
    roster.seen('c', '29:w');
    expect(roster.recent('b')).toEqual([]);
    expect(roster.recent('a')).toEqual(['29:x', '29:z']);
  });
});
