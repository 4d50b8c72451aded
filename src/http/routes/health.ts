import type { FastifyInstance } from 'fastify';
import type { ModelInfo } from '../../llm/chat-model.js';
import type { Region } from '../../protocol/safety.js';

export function healthRoutes(app: FastifyInstance, info: { model: ModelInfo; region: Region; version: string }): void {
  app.get('/api/health', async () => ({
    status: 'ok', provider: info.model.provider, model: info.model.model, region: info.region, version: info.version,
  }));
}
