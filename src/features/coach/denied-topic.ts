import type { KnowledgeDocument } from '../../knowledge/knowledge-base.js';

const NEGATION = new Set(['not', 'no', 'never', 'nothing', "didn't", 'didnt', "don't", 'dont', "doesn't", 'doesnt', "isn't", 'isnt', "wasn't", 'wasnt', "hasn't", 'hasnt', "haven't", 'havent', "won't", 'wont', "wouldn't", "aren't", "weren't"]);
/** How far back a "not" still reaches a topic word ("it's not about the phone"). */
const REACH = 3;

/**
 * "He didn't lie to me, he told me himself" is not about lying, however sure the topic
 * classifier is: word n-grams don't read negation. A topic counts as denied when every one of
 * its page's keywords in her message comes shortly after a negation in the same clause.
 */
export function deniesTopic(text: string, topic: KnowledgeDocument): boolean {
  const keywords = new Set(topic.keywords.map((k) => k.toLowerCase()).filter((k) => !k.includes(' ')));
  let hits = 0;
  let denied = 0;
  for (const clause of text.toLowerCase().replace(/[’‘]/g, "'").split(/[.!?;,]+|\bbut\b/)) {
    const words = clause.match(/[a-z']+/g) ?? [];
    words.forEach((word, i) => {
      if (!keywords.has(word)) return;
      hits++;
      if (words.slice(Math.max(0, i - REACH), i).some((w) => NEGATION.has(w))) denied++;
    });
  }
  return hits > 0 && denied === hits;
}
