// A customer of the MDR service, as configured in the customers file.

export type ExpertsAccess = 'reader' | 'operator';

export interface SdmContact {
  readonly name: string;
  readonly email: string | null;
  readonly slackUserId: string | null;
  readonly teamsUserId: string | null;
}

export interface Customer {
  readonly id: string;
  readonly name: string;
  readonly entraTenantId: string | null;
  readonly expertsAccess: ExpertsAccess;
  readonly teamsTenantId: string | null;
  readonly slackTeamId: string | null;
  readonly sdm: SdmContact | null;
  /** Qualified user ids ("slack:U0ALICE", "teams:<aad-object-id>", "web:<persona>") who may act. */
  readonly responders: readonly string[];
  readonly admins: readonly string[];
  /**
   * Guided response: responders may run actions from chat (isolate a device, disable a user…) through
   * the bot's executor. Off unless the customers file says `responseExecution: true`.
   */
  readonly responseExecution?: boolean;
  /**
   * Ask Defender Experts: questions allowed per calendar quarter (UTC); absent or null = no limit. From the
   * customers file's optional `questionsPerQuarter`.
   */
  readonly questionsPerQuarter?: number | null;
}

/** The provider's own workspace: where the experts' queue lives and who the experts are. */
export interface ExpertsWorkspace {
  readonly slackTeamId: string | null;
  readonly slackChannelId: string | null;
  readonly teamsTenantId: string | null;
  readonly teamsChannelId: string | null;
  readonly teamsServiceUrl: string | null;
  readonly members: readonly string[];
}

export interface Directory {
  readonly customers: readonly Customer[];
  readonly experts: ExpertsWorkspace;
}
