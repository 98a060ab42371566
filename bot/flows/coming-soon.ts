import { noticeCard } from '../../cards/index.js';
import type { Reply } from '../ports.js';
import { cardReply } from '../replies.js';

// Commands of the grammar whose feature has not landed yet answer honestly instead of staying silent or
// pretending (issue 2.6). Each is replaced by its real flow when its issue lands.

/** A polite "not yet" naming the feature, so nobody mistakes silence for a lost request. */
export function comingSoon(feature: string, instead: string): readonly Reply[] {
  return [
    cardReply(
      noticeCard({
        title: `${feature} is coming soon`,
        text: `This bot does not handle ${feature} yet, so nothing was sent or saved. ${instead}`,
        tone: 'info',
      }),
    ),
  ];
}
