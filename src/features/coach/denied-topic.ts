import type { KnowledgeDocument } from '../../knowledge/knowledge-base.js';
import { clausesOf, clauseWords, negatedAt } from '../../text/index.js';

/**
 * "He didn't lie to me, he told me himself" is not about lying, however sure the topic
 * classifier is: word n-grams don't read negation. A topic counts as denied when every one of
 * its page's keywords in her message comes shortly after a negation in the same clause.
 */
export function deniesTopic(text: string, topic: KnowledgeDocument): boolean {
  const keywords = new Set(topic.keywords.map((k) => k.toLowerCase()).filter((k) => !k.includes(' ')));
  let hits = 0;
  let denied = 0;
  for (const clause of clausesOf(text)) {
    const words = clauseWords(clause);
    words.forEach((word, i) => {
      if (!keywords.has(word)) return;
      hits++;
      if (negatedAt(words, i)) denied++;
    });
  }
  return hits > 0 && denied === hits;
}
