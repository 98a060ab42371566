import { exitIfUnsupportedNode } from './node-version.js';

// `npm start`. The Node.js version is checked before anything else is loaded: on an older release the
// rest of the bot would fail while linking (a missing export of node:zlib) with no hint of the cause.
// Only then is the bot itself imported (start.ts reads the configuration and starts).

exitIfUnsupportedNode();
await import('./start.js');
