import { describe, expect, it } from 'vitest';
import { defenderScope } from '../../../../adapters/defender/defender-executor.js';
import { DEFENDER_SCOPE, machineStatus } from '../../../../adapters/defender/machine-actions.js';

// The Defender client's pure decisions: which token audience a DEFENDER_API_URL gets, and what each
// documented MachineAction status (and an undocumented one) means for a run.

describe('Defender for Endpoint calls', () => {
  it('asks the documented audience for the commercial hosts and the host’s own origin otherwise', () => {
    for (const host of [
      'https://api.security.microsoft.com',
      'https://eu.api.security.microsoft.com',
      'https://us.api.security.microsoft.com/',
      'https://api.securitycenter.microsoft.com',
      'https://api-eu.securitycenter.microsoft.com',
    ]) {
      expect(defenderScope(host), host).toBe(DEFENDER_SCOPE);
    }
    expect(defenderScope('https://api-gcc.securitycenter.microsoft.us')).toBe(
      'https://api-gcc.securitycenter.microsoft.us/.default',
    );
    expect(defenderScope('https://127.0.0.1:8443/')).toBe('https://127.0.0.1:8443/.default');
    // A look-alike host is not treated as Microsoft's.
    expect(defenderScope('https://api.security.microsoft.com.evil.example')).toBe(
      'https://api.security.microsoft.com.evil.example/.default',
    );
  });

  it('maps each documented status, and keeps following (with a note) a status it does not know', () => {
    expect(machineStatus({ status: 'Pending' })).toEqual({ state: 'inProgress', detail: null });
    expect(machineStatus({ status: 'InProgress' })).toEqual({ state: 'inProgress', detail: null });
    expect(machineStatus({ status: 'Succeeded' }).state).toBe('completed');
    expect(machineStatus({ status: 'Failed' }).state).toBe('failed');
    expect(machineStatus({ status: 'TimeOut' })).toEqual({
      state: 'failed',
      detail: 'The device did not respond in time (Defender: TimeOut).',
    });
    expect(machineStatus({ status: 'Cancelled' })).toEqual({
      state: 'failed',
      detail: 'The action was cancelled in Microsoft Defender.',
    });
    expect(machineStatus({ status: 'Paused<script>' })).toEqual({
      state: 'inProgress',
      detail: 'Microsoft Defender answered an unknown status "Pausedscript".',
    });
    expect(machineStatus(null).state).toBe('inProgress');
  });
});
