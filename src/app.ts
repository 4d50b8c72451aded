import Fastify, { type FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import fastifyHelmet from '@fastify/helmet';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DestinationStream } from 'pino';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import type { Config } from './config/env.js';
import type { Clock } from './clock.js';
import type { ChatModel } from './llm/chat-model.js';
import { GuidedModel } from './llm/guided-model.js';
import type { ChatModeHandler } from './chat/mode.js';
import type { ChatMode } from './protocol/frames.js';
import type { ConversationStore } from './store/conversation-store.js';
import { loadKnowledgeDocuments, type KnowledgeDocument } from './knowledge/knowledge-base.js';
import { KnowledgeRetriever } from './knowledge/retriever.js';
import { ChatService } from './chat/chat-service.js';
import { RailedModel } from './chat/railed-model.js';
import { OUTPUT_SHAPE } from './safety/index.js';
import { ModelSafetyOpinion } from './chat/safety-opinion.js';
import { coachUnderstanding, createCoachMode, createGuidedCoachWriter, type CoachUnderstandingDeps } from './features/coach/index.js';
import { QuestionBank } from './knowledge/question-bank.js';
import { createRuleSafetyGate } from './chat/rule-safety-gate.js';
import type { SafetyGate } from './chat/safety-gate.js';
import { randomBytes } from 'node:crypto';
import { IdentityCookies, registerIdentity } from './http/identity.js';
import { registerSameOrigin } from './http/same-origin.js';
import { registerRateLimit } from './http/rate-limit.js';
import { sendClientError, sendError } from './http/http-error.js';
import { NotFoundError } from './protocol/errors.js';
import { healthRoutes } from './http/routes/health.js';
import { conversationRoutes } from './http/routes/conversations.js';
import { memoryRoutes } from './http/routes/memory.js';
import { createGuidedSummaryWriter } from './features/memory/index.js';
import { chatSocket } from './http/chat-socket.js';
import { createRehearseMode, rehearsalGuidedWriters } from './features/rehearse/index.js';
import { createDraftMode, draftGuidedWriters } from './features/draft/index.js';
import { BriefService, createReferralGuide, createReferralMode, referralGuidedWriters } from './features/referral/index.js';
import { briefRoutes } from './http/routes/brief.js';
import { referralRoutes } from './http/routes/referral.js';
import { exportRoutes } from './http/routes/export.js';
import { safetyRoutes } from './http/routes/safety.js';
import { knowledgeRoutes } from './http/routes/knowledge.js';
import { loadProgressWords, progressGuidedWriters, ProgressService, withProgress } from './features/progress/index.js';
import { progressOverviewRoutes } from './http/routes/progress/overview.js';
import { progressPlanRoutes } from './http/routes/progress/plans.js';
import { progressWinRoutes } from './http/routes/progress/wins.js';
import { registerLogin } from './http/login.js';
import type { MessageRateOptions } from './http/socket-guard.js';

export const VERSION = '0.1.0';

/** The page runs with no inline script or style, so the policy can stay this strict. */
const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  frameAncestors: ["'none'"],
  formAction: ["'self'"],
};
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
  /** Per-connection message rate on the chat socket. */
  socketRate?: MessageRateOptions;
  /** The guided coach's classifiers and question bank; by default the shipped ones (none with custom knowledge). */
  understanding?: CoachUnderstandingDeps;
  /** Semantic ranking for knowledge retrieval (MEND_EMBEDDINGS_MODEL); keywords alone without it. */
  embeddings?: EmbeddingsInterface;
  /** How often a streaming reply's progress is saved (tests use 0: every chunk). */
  progressSaveMs?: number;
  /** Signs identity cookies; a random one per app unless given (main.ts keeps one beside the database). */
  identitySecret?: Buffer;
  /** Chat modes swapped for others (the benchmark's pass-through coach), on top of the defaults. */
  modes?: Partial<Record<ChatMode, ChatModeHandler>>;
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
    // Behind a reverse proxy, which proxies to believe about her address (MEND_TRUST_PROXY).
    trustProxy: typeof config.MEND_TRUST_PROXY === 'number'
      ? ((hops: number) => (_address: string, hop: number) => hop < hops)(config.MEND_TRUST_PROXY)
      : config.MEND_TRUST_PROXY,
    bodyLimit: 64 * 1024,
    // Malformed URLs and over-long ids get the same typed error shape as everything else.
    frameworkErrors: (error, request, reply) => sendError(error, request, reply),
    clientErrorHandler: sendClientError,
  });
  app.setErrorHandler(sendError);

  const documents = deps.knowledge ?? loadKnowledgeDocuments();
  const retriever = await KnowledgeRetriever.fromDocuments(documents, deps.embeddings ? { embeddings: deps.embeddings } : {});
  const safety = deps.safety ?? createRuleSafetyGate(store, deps.clock);
  // Checked at start-up: a counsellor's edit that breaks the check-in words stops Mend here, with the file named.
  const progressWords = loadProgressWords();
  const progress = new ProgressService(store, deps.clock);
  // Every model call, guided or not, passes the output rail here, at the model boundary.
  const railed = (inner: ChatModel) => new RailedModel(inner, safety.checkOutput, app.log, OUTPUT_SHAPE, config.MEND_MAX_REPLY_CHARS);
  const guided = railed(new GuidedModel([
    createGuidedCoachWriter(documents), createGuidedSummaryWriter(),
    ...rehearsalGuidedWriters(), ...draftGuidedWriters(), ...referralGuidedWriters(documents),
    ...progressGuidedWriters(),
  ], config.MEND_GUIDED_DELAY_MS));
  const model = deps.model ? railed(deps.model) : guided;
  const chat = new ChatService({
    store, model, fallbackModel: guided, logger: app.log, progressSaveMs: deps.progressSaveMs,
    modes: {
      coach: withProgress(
        createCoachMode(retriever, deps.understanding ?? (deps.knowledge ? {} : { understanding: coachUnderstanding(), bank: QuestionBank.load(documents) })),
        { progress, words: progressWords }),
      rehearse: createRehearseMode({ documents }),
      draft: createDraftMode({ documents }),
      referral: createReferralMode({ documents, clock: deps.clock }),
      ...deps.modes,
    },
    safety,
    ...(deps.model && config.MEND_SAFETY_OPINION_MS > 0 ? { opinion: new ModelSafetyOpinion(model, config.MEND_SAFETY_OPINION_MS, app.log) } : {}),
    defaultRegion: config.MEND_REGION,
  });
  app.decorate('chat', chat);

  // Served over plain http on her own machine, so no upgrade-insecure-requests (nor HSTS) unless MEND_HTTPS.
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: { directives: { ...CONTENT_SECURITY_POLICY, upgradeInsecureRequests: config.MEND_HTTPS ? [] : null } },
    hsts: config.MEND_HTTPS,
  });
  await app.register(fastifyCookie);
  await registerRateLimit(app, { perMinute: config.MEND_RATE_LIMIT });
  registerSameOrigin(app);
  const identity = new IdentityCookies({
    secure: config.MEND_HTTPS, secret: deps.identitySecret ?? randomBytes(32),
    isKnownOwner: (ownerId) => store.listConversations(ownerId).length > 0,
  });
  await registerLogin(app, {
    password: config.MEND_PASSWORD, secure: config.MEND_HTTPS, clock: deps.clock, sessionDays: config.MEND_SESSION_DAYS,
    onSignIn: (request, reply) => identity.rotateAtSignIn(request, reply),
  });
  registerIdentity(app, identity);
  // Oversized frames are refused with a typed error by the socket guard; this cap only stops abuse.
  await app.register(fastifyWebsocket, { options: { maxPayload: 1024 * 1024 } });
  app.setNotFoundHandler((request, reply) =>
    sendError(new NotFoundError(`Nothing at ${request.method} ${request.url.split('?')[0]}.`), request, reply));
  healthRoutes(app, { model: model.info, region: config.MEND_REGION, version: VERSION });
  conversationRoutes(app, { store, chat });
  memoryRoutes(app, { store });
  knowledgeRoutes(app, { documents, defaultRegion: config.MEND_REGION });
  referralRoutes(app, { guide: createReferralGuide(documents), defaultRegion: config.MEND_REGION });
  briefRoutes(app, { store, briefs: new BriefService(store, model, deps.clock) });
  exportRoutes(app, { store, clock: deps.clock, progress });
  progressOverviewRoutes(app, { progress, words: progressWords });
  progressPlanRoutes(app, { progress });
  progressWinRoutes(app, { progress });
  safetyRoutes(app, { safety });
  chatSocket(app, chat, { rate: deps.socketRate });
  if (existsSync(WEB_DIST)) await app.register(fastifyStatic, { root: WEB_DIST });
  return app;
}
