import { describe, expect, it } from 'vitest';
import { readableLine } from '../../../../bot/alerts/alert-messages.js';
import type { ResponseAction } from '../../../../bot/domain/incident.js';
import { auditComment, runVia } from '../../../../bot/response/state.js';

// Thread lines in the customer's alert channel: the portal keeps the full audit comment, the
// chat line says what happened in people's words, signed "Defender Experts" for the provider.

const action: ResponseAction = {
  id: '10498-3',
  kind: 'forcePasswordReset',
  target: {
    type: 'user',
    id: 'fa352cc7-b3cb-49eb-b522-18c8e076cf3d',
    name: 'lidia.robbins@contoso.example',
    excluded: false,
  },
  state: 'completed',
  by: null,
  at: null,
  note: null,
};
const responder = { name: 'Contoso Ltd responder', id: 'web:contoso-responder' };
const at = '2026-11-27T07:38:36.571Z';
const line = (comment: string, author = 'Defender Experts bot') =>
  readableLine(`${author} commented: ${comment}`);

describe('readable thread lines', () => {
  it('shortens a completed run to what happened and who ran it, with no ids or ISO times', () => {
    const audit = auditComment({
      event: 'runCompleted',
      action,
      who: responder,
      at,
      note: 'Completed (simulated).',
      via: runVia('reader'),
    });
    expect(line(audit)).toBe(
      '✔ Force password reset for lidia.robbins@contoso.example — completed (run by Contoso Ltd responder)',
    );
  });

  it('says a failed run failed, not the person, with the reason', () => {
    const audit = auditComment({
      event: 'runFailed',
      action,
      who: responder,
      at,
      note: 'the device is offline',
    });
    expect(line(audit)).toBe(
      '✖ Force password reset for lidia.robbins@contoso.example — failed (run by Contoso Ltd responder): the device is offline',
    );
  });

  it('keeps a skip reason and names who skipped', () => {
    const audit = auditComment({ event: 'skipped', action, who: responder, at, note: 'Reset yesterday.' });
    expect(line(audit)).toBe(
      'Force password reset for lidia.robbins@contoso.example — skipped by Contoso Ltd responder: Reset yesterday.',
    );
  });

  it('signs every provider comment "Defender Experts" and keeps other authors', () => {
    expect(line('Checking the download volume.', 'Defender Experts analyst')).toBe(
      'Defender Experts commented: Checking the download volume.',
    );
    expect(line('Handing over.', 'Microsoft Defender Experts')).toBe(
      'Defender Experts commented: Handing over.',
    );
    expect(line('Done on our side.', 'alice@contoso.example')).toBe(
      'alice@contoso.example commented: Done on our side.',
    );
  });

  it('writes ISO times as the cards do, and strips ids from a clipped audit line', () => {
    expect(readableLine(`Someone commented: seen at ${at}`)).toBe(
      'Someone commented: seen at 2026-11-27 07:38 UTC',
    );
    const clipped = `[Guided response] Force password reset on user lidia.robbins@contoso.example (id fa352cc7-b3cb-49eb-b522-18c8e076cf3d): run completed at ${at} (requested by Contoso Ltd responder (web:contoso-responder) from ch…`;
    const out = line(clipped);
    expect(out).not.toMatch(/fa352cc7|web:contoso|T07:38/);
    expect(out).toContain('2026-11-27 07:38 UTC');
  });

  it('spells out a determination we do not know yet', () => {
    expect(readableLine('Resolved as True positive (clickFix).')).toBe(
      'Resolved as True positive (Click fix).',
    );
    expect(readableLine('Resolved as True positive (Malware).')).toBe('Resolved as True positive (Malware).');
  });

  it('leaves lifecycle lines alone', () => {
    expect(readableLine('Defender Experts started investigating.')).toBe(
      'Defender Experts started investigating.',
    );
  });
});
