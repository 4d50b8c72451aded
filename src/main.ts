import { existsSync } from 'node:fs';
import { buildApp } from './app.js';
import { systemClock } from './clock.js';
import { ConfigError, loadConfig } from './config/env.js';
import { embeddingsFromConfig, modelFromConfig } from './model-from-config.js';
import { startRetention } from './store/retention.js';
import { identitySecretFor } from './http/identity.js';
import { openDatabase } from './store/database.js';
import { ConversationStore } from './store/conversation-store.js';

const SHUTDOWN_GRACE_MS = 10_000;

async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig();
  const db = openDatabase(config.DATABASE_PATH);
  const store = new ConversationStore(db, systemClock);
  const app = await buildApp({
    config, store, clock: systemClock, model: modelFromConfig(config), embeddings: embeddingsFromConfig(config),
    identitySecret: identitySecretFor(config.DATABASE_PATH),
  });
  const interrupted = store.markInterruptedReplies();
  if (interrupted > 0) app.log.warn({ interrupted }, 'replies cut off by the last shutdown are kept, marked incomplete');
  const stopRetention = startRetention({ db, clock: systemClock, days: config.MEND_RETENTION_DAYS, log: app.log });

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing open replies');
    stopRetention();
    await app.chat.drain(SHUTDOWN_GRACE_MS);
    await app.close();
    db.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ host: config.HOST, port: config.PORT });
  app.log.info({ provider: app.chat.modelInfo.provider, model: app.chat.modelInfo.model }, 'Mend is ready');
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`mend: ${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`mend: could not start: ${(error as Error).message}\n`);
  process.exit(1);
});
