// The cold-start reference: a bare Fastify hello-world with the same logger, run by plain node.
import Fastify from 'fastify';

const app = Fastify({ logger: true });
app.get('/api/health', async () => ({ status: 'ok' }));
await app.listen({ host: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT ?? 0) });
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
