import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { ChatService } from '../chat/chat-service.js';
import { errorFrameFor } from '../chat/error-frame.js';
import { ClientFrame, type ServerFrame } from '../protocol/frames.js';
import { frameRefusal, MessageRateLimiter, refuseForeignOrigin, upgradeRequired, type MessageRateOptions } from './socket-guard.js';

/**
 * The chat WebSocket: only from the app's own page, rate- and size-limited per connection;
 * parses every frame, hands it to the chat service, sends typed errors back.
 */
export function chatSocket(app: FastifyInstance, chat: ChatService, options: { rate?: MessageRateOptions } = {}): void {
  app.route({
    method: 'GET',
    url: '/api/chat',
    preValidation: refuseForeignOrigin,
    handler: upgradeRequired,
    wsHandler: (socket: WebSocket, request: FastifyRequest) => {
      const limiter = new MessageRateLimiter(options.rate);
      const send = (frame: ServerFrame) => {
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
      };
      socket.on('message', (data, isBinary) => {
        const refusal = frameRefusal(limiter, data);
        if (refusal) return send(refusal);
        void handleFrame(chat, request, send, isBinary ? null : data.toString());
      });
    },
  });
}

async function handleFrame(chat: ChatService, request: FastifyRequest, send: (f: ServerFrame) => void, raw: string | null): Promise<void> {
  const frame = parseFrame(raw);
  if (!frame.ok) {
    send({ type: 'error', code: 'bad_frame', message: frame.message });
    return;
  }
  const f = frame.value;
  try {
    switch (f.type) {
      case 'send': return await chat.send(request.ownerId, f, send);
      case 'stop': return chat.stop(request.ownerId, f.conversationId);
      case 'resume': return void chat.resume(request.ownerId, f.conversationId, send);
      case 'regenerate': return chat.regenerate(request.ownerId, f.conversationId, send);
      case 'edit': return await chat.edit(request.ownerId, f, send);
      case 'action': return chat.action(request.ownerId, f.conversationId, f.action, send);
      case 'ping': return send({ type: 'pong' });
    }
  } catch (error) {
    const ids = { clientId: 'clientId' in f ? f.clientId : undefined, conversationId: 'conversationId' in f ? f.conversationId : undefined };
    send(errorFrameFor(error, ids, request.log));
  }
}

type Parsed = { ok: true; value: ClientFrame } | { ok: false; message: string };

function parseFrame(raw: string | null): Parsed {
  if (raw === null) return { ok: false, message: 'Frames must be JSON text, not binary.' };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, message: 'That frame is not valid JSON.' };
  }
  const parsed = ClientFrame.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0]!;
  return { ok: false, message: `${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}` };
}
