import type { App, InstallationStore } from '@slack/bolt';
import { type ListenerDeps, rec, text } from './common.js';

// Uninstalls and revoked tokens: with OAuth distribution the stored installation is deleted at once, so no
// token that Slack has withdrawn is kept (or tried) afterwards. With one configured token, it is logged.

/** Registers app_uninstalled and tokens_revoked. */
export function registerLifecycleListeners(
  app: App,
  deps: ListenerDeps,
  installations: InstallationStore | null,
): void {
  const forget = async (body: unknown, why: string): Promise<void> => {
    const b = rec(body);
    const enterpriseId = text(b.enterprise_id) ?? undefined;
    const teamId = text(b.team_id) ?? undefined;
    const isEnterpriseInstall = b.is_enterprise_install === true;
    if (installations?.deleteInstallation === undefined) {
      deps.logger.warn(
        { teamId, enterpriseId, why },
        'Slack: the app lost access to a workspace; update SLACK_BOT_TOKEN',
      );
      return;
    }
    await installations.deleteInstallation(
      isEnterpriseInstall
        ? { isEnterpriseInstall: true, enterpriseId: enterpriseId ?? '', teamId: undefined }
        : { isEnterpriseInstall: false, teamId: teamId ?? '', enterpriseId },
    );
    deps.logger.info({ teamId, enterpriseId, why }, 'Slack: installation removed');
  };

  // Never shed when the queue is full (mustRun): a dropped uninstall would keep the withdrawn token stored
  // and tried. It still goes through the queue rather than running here, so it stays after the ack, counted
  // in `running` and waited for at stop. Only Slack can send these (signed), and rarely: going past the
  // queue's bounds for them cannot grow it in any way that matters.
  const later = (body: unknown, why: string): void => {
    const b = rec(body);
    deps.later({
      team: text(b.team_id) ?? text(b.enterprise_id) ?? 'unknown',
      kind: 'event',
      responseUrl: null,
      run: () => forget(body, why),
      mustRun: true,
    });
  };

  app.event('app_uninstalled', async ({ body }) => {
    later(body, 'app_uninstalled');
  });

  app.event('tokens_revoked', async ({ event, body }) => {
    const bots = rec(rec(event).tokens).bot;
    if (Array.isArray(bots) && bots.length > 0) later(body, 'tokens_revoked');
  });
}
