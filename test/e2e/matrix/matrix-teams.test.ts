import { startTeamsSurface } from '../../support/surfaces/teams-surface.js';
import { runMatrix } from './run-matrix.js';

// The conversation matrix (cases.ts) on Teams: the real bot process against the Bot Connector stand-in.

runMatrix('Teams', startTeamsSurface);
