import { describe, expect, it } from 'vitest';
import { buildPersonas } from '../../../../adapters/web/personas.js';
import { demoDirectory } from '../../../../bot/config/demo-customers.js';

// The console's personas are plain web principals; their roles come from the customers file.

describe('buildPersonas', () => {
  const personas = buildPersonas(demoDirectory());
  const byId = new Map(personas.map((p) => [p.id, p]));

  it('offers analyst, responder and admin per customer, the expert and each distinct SDM once', () => {
    expect(personas.map((p) => p.id)).toEqual([
      'contoso-analyst',
      'contoso-responder',
      'contoso-admin',
      'contoso-user',
      'fabrikam-analyst',
      'fabrikam-responder',
      'fabrikam-admin',
      'fabrikam-user',
      'woodgrove-analyst',
      'woodgrove-responder',
      'woodgrove-admin',
      'woodgrove-user',
      'expert',
      'sdm:dana@provider.example',
      'sdm:sam@provider.example',
      'unlinked',
    ]);
  });

  it('offers a visitor from an unlinked workspace, whom the core resolves to no customer and no role', () => {
    const visitor = byId.get('unlinked');
    expect(visitor?.principal).toMatchObject({ platform: 'web', workspaceId: 'unlinked' });
    expect(visitor?.roles).toEqual([]);
    expect(visitor?.customerId).toBeNull();
  });

  it('builds the principals resolve-actor expects', () => {
    expect(byId.get('contoso-responder')?.principal).toEqual({
      platform: 'web',
      userId: 'contoso-responder',
      workspaceId: 'customer:contoso',
      displayName: 'Contoso Ltd responder',
    });
    expect(byId.get('expert')?.principal).toMatchObject({ userId: 'expert', workspaceId: 'experts' });
    expect(byId.get('sdm:dana@provider.example')?.principal).toMatchObject({
      userId: 'dana@provider.example',
      workspaceId: 'experts',
    });
  });

  it('carries the roles the core resolves and the alert conversation to show', () => {
    expect(byId.get('contoso-analyst')?.roles).toEqual(['analyst']);
    expect(byId.get('contoso-admin')?.roles).toEqual(['admin', 'analyst', 'responder']);
    expect(byId.get('expert')?.roles).toEqual(['expert']);
    expect(byId.get('sdm:sam@provider.example')?.roles).toEqual(['sdm']);
    expect(byId.get('woodgrove-analyst')?.alertsConversationId).toBe('web:alerts:woodgrove');
    expect(byId.get('expert')?.alertsConversationId).toBe('web:experts-queue');
    // The onboarding persona: a workspace no customer owns, with no role at all.
    expect(byId.get('unlinked')?.roles).toEqual([]);
    expect(byId.get('unlinked')?.customerId).toBeNull();
  });
});
