import { exitIfUnsupportedNode } from './node-version.js';

// Loaded first (`--import`) by commands other than `npm start` that run the bot's modules, such as
// `npm run manifest:teams`: the same one-line refusal on an unsupported Node.js, before anything else links.

exitIfUnsupportedNode();
