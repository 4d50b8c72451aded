import type { MessageRecord } from '../../protocol/records.js';
import { answerToBriefOffer, asksForReferral, topicsAskedFor } from './asks.js';

const MOVE_ON = /\b(?:what next|what now|and then|go on|tell me more|next steps?|what else)\b/i;

/**
 * For coach mode: should this message of hers go to the referral flow? Yes when she asks
 * for help, and also when the reply just before was a referral reply and she is answering
 * it ("yes please" to the brief, "what if he refuses?", "what next?"), so a hand-over does
 * not drop her in the middle of finding help.
 */
export function handsToReferral(history: MessageRecord[], text: string): boolean {
  if (asksForReferral(text)) return true;
  const lastReply = history.findLast((m) => m.role === 'assistant');
  const referral = lastReply?.meta.referral as { brief?: string } | undefined;
  if (!referral) return false;
  return answerToBriefOffer(text, referral.brief === 'offer') !== 'none' || topicsAskedFor(text).length > 0 || MOVE_ON.test(text);
}
