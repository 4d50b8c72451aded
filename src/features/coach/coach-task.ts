import type { RetrievedChunk } from '../../knowledge/retriever.js';
import { defineTask } from '../../llm/guided-task.js';
import type { SafetyLevel } from '../../protocol/safety.js';
import type { Fact } from '../memory/index.js';
import type { CoachMove } from './coach-planner.js';

/** What a coaching reply is written from: the planned move, and what an LLM also gets as context. */
export interface CoachPlan {
  userText: string;
  level: SafetyLevel;
  move: CoachMove | undefined;
  facts: Fact[];
  chunks: RetrievedChunk[];
}

export const COACH_TASK = defineTask<CoachPlan>('coach');
