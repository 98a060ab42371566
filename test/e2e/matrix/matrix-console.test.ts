import { startConsoleSurface } from '../../support/surfaces/console-surface.js';
import { runMatrix } from './run-matrix.js';

// The conversation matrix (cases.ts) on the dev console, through its HTTP API against the real bot process.

runMatrix('the dev console', startConsoleSurface);
