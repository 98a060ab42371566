import type { CardMessage } from '../cards/types.js';
import type { Reply } from './ports.js';

// Small constructors so flows say what they answer, not how a Reply is shaped.

export const cardReply = (message: CardMessage, mode: Reply['mode'] = 'new'): Reply => ({
  text: message.fallbackText,
  card: message.card,
  mode,
});

export const textReply = (text: string): Reply => ({ text, card: null, mode: 'new' });
