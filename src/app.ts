import Fastify, { type FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DestinationStream } from 'pino';
import type { Config } from './config/env.js';
import type { Clock } from './clock.js';
import type { ChatModel } from './llm/chat-model.js';
import { GuidedModel } from './llm/guided-model.js';
import type { ConversationStore } from './store/conversation-store.js';
import { loadKnowledgeDocuments, type KnowledgeDocument } from './knowledge/knowledge-base.js';
import { KnowledgeRetriever } from './knowledge/retriever.js';
import { ChatService } from './chat/chat-service.js';
import { createCoachMode } from './chat/modes/coach.js';
import { createGuidedCoachWriter } from './chat/guided/coach-writer.js';
import { createRuleSafetyGate } from './chat/rule-safety-gate.js';
import type { SafetyGate } from './chat/safety-gate.js';
import { registerIdentity } from './http/identity.js';
import { sendError } from './http/http-error.js';
import { healthRoutes } from './http/routes/health.js';
import { conversationRoutes } from './http/routes/conversations.js';
import { chatSocket } from './http/chat-socket.js';

export const VERSION = '0.1.0';
const WEB_DIST = fileURLToPath(new URL('../web/dist/', import.meta.url));

export interface AppDeps {
  config: Config;
  store: ConversationStore;
  clock: Clock;
  /** The configured model; omitted means guided mode (no model). */
  model?: ChatModel;
  safety?: SafetyGate;
  /** Where logs go (tests capture them); stdout by default. */
  logStream?: DestinationStream;
  knowledge?: KnowledgeDocument[];
}

declare module 'fastify' {
  interface FastifyInstance {
    chat: ChatService;
  }
}

/** Builds the whole app with everything injected; it does not listen. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, store } = deps;
  const app = Fastify({
    logger: { level: config.LOG_LEVEL, ...(deps.logStream ? { stream: deps.logStream } : {}) },
    genReqId: () => crypto.randomUUID(),
    bodyLimit: 64 * 1024,
  });
  app.setErrorHandler(sendError);

  const documents = deps.knowledge ?? loadKnowledgeDocuments();
  const retriever = await KnowledgeRetriever.fromDocuments(documents);
  const guided = new GuidedModel({ coach: createGuidedCoachWriter(documents) }, config.MEND_GUIDED_DELAY_MS);
  const model = deps.model ?? guided;
  const chat = new ChatService({
    store, model, fallbackModel: guided, logger: app.log,
    modes: { coach: createCoachMode(retriever), rehearse: createCoachMode(retriever), draft: createCoachMode(retriever), referral: createCoachMode(retriever) },
    safety: deps.safety ?? createRuleSafetyGate(store),
    defaultRegion: config.MEND_REGION,
  });
  app.decorate('chat', chat);

  await app.register(fastifyCookie);
  registerIdentity(app, { secure: false });
  await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } });
  healthRoutes(app, { model: model.info, region: config.MEND_REGION, version: VERSION });
  conversationRoutes(app, { store, chat });
  chatSocket(app, chat);
  if (existsSync(WEB_DIST)) await app.register(fastifyStatic, { root: WEB_DIST });
  return app;
}
