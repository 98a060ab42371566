import { startSlackSurface } from '../../support/surfaces/slack-surface.js';
import { runMatrix } from './run-matrix.js';

// The conversation matrix (cases.ts) on Slack: signed events and interactions to the real bot process,
// the Web API stand-in recording what it sends.

runMatrix('Slack', startSlackSurface);
