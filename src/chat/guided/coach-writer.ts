import { bulletsOf, type KnowledgeDocument } from '../../knowledge/knowledge-base.js';
import type { RetrievedChunk } from '../../knowledge/retriever.js';
import type { GuidedWriter } from '../../llm/guided-model.js';

/** Guided (no-model) coaching reply: reflect, name the step, offer a script, ask one question. */
export function createGuidedCoachWriter(documents: KnowledgeDocument[]): GuidedWriter {
  const byId = new Map(documents.map((d) => [d.id, d]));
  return (context) => {
    const userText = String(context.userText ?? '');
    const chunks = (context.chunks ?? []) as RetrievedChunk[];
    const step = byId.get(chunks.find((c) => c.stepId)?.stepId ?? 'listen');
    const phrases = step ? bulletsOf(step, 'Phrases you can use') : [];
    const phrase = phrases[userText.length % Math.max(phrases.length, 1)];
    return [
      `It sounds like this is weighing on you: “${firstSentence(userText)}”.`,
      step ? `The step that fits now is **${step.title}**. ${step.summary}` : '',
      phrase ? `Something you could say to him: ${phrase}` : '',
      'What happened just before things got heated?',
    ].filter(Boolean).join('\n\n');
  };
}

function firstSentence(text: string): string {
  const sentence = text.split(/(?<=[.!?])\s/)[0]!.trim();
  return sentence.length > 160 ? `${sentence.slice(0, 157)}…` : sentence;
}
