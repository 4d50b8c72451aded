import { Writable, type Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { buildApp } from '../app.js';
import { systemClock } from '../clock.js';
import { ConfigError, loadConfig, type Config } from '../config/env.js';
import { loadKnowledgeDocuments } from '../knowledge/knowledge-base.js';
import { modelFromConfig } from '../model-from-config.js';
import type { QuickReply, ServerFrame } from '../protocol/frames.js';
import { openDatabase } from '../store/database.js';
import { ConversationStore } from '../store/conversation-store.js';

export interface ChatCliOptions {
  input: Readable;
  output: Writable;
  env: Record<string, string | undefined>;
  /** Arguments after `mend chat`; `--memory` keeps nothing on disk. */
  args?: string[];
}

const HELP = 'Type what happened and press Enter. Commands: /new starts a new conversation, /memory shows what Mend remembers, /quit leaves.';

/**
 * `mend chat`: the same engine as the web page, in a terminal. The app is built in-process
 * and spoken to over an injected WebSocket, so every turn takes the real path (safety
 * screen, mode, knowledge, model, store). Resolves with the exit code.
 */
export async function runChatCli(options: ChatCliOptions): Promise<number> {
  const out = (text: string) => options.output.write(text);
  let config: Config;
  try {
    const inMemory = options.args?.includes('--memory') ?? false;
    config = loadConfig({ ...options.env, ...(inMemory ? { DATABASE_PATH: ':memory:' } : {}) });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    out(`mend: ${error.message}\n`);
    return 2;
  }
  const db = openDatabase(config.DATABASE_PATH);
  const store = new ConversationStore(db, systemClock);
  const app = await buildApp({ config, store, clock: systemClock, model: modelFromConfig(config), logStream: discard() });
  try {
    await app.ready();
    store.markInterruptedReplies();
    const session = await TerminalSession.open(app, out);
    out(`Mend (${session.provider}). ${HELP}\n`);
    await session.run(options.input);
    session.close();
    return 0;
  } finally {
    await app.close();
    db.close();
  }
}

/** Logs would interleave with the conversation; the terminal shows errors in the replies instead. */
function discard(): Writable {
  return new Writable({ write(_chunk, _enc, done) { done(); } });
}

class TerminalSession {
  private conversationId?: string;
  private turnDone?: () => void;
  private readonly stepLabels: Map<string, string>;

  private constructor(
    private readonly app: FastifyInstance,
    private readonly ws: WebSocket,
    private readonly cookie: string,
    readonly provider: string,
    private readonly out: (text: string) => void,
  ) {
    this.stepLabels = new Map(loadKnowledgeDocuments().filter((d) => d.kind === 'step').map((d) => [d.id, `Step ${d.step} · ${d.title}`]));
    ws.on('message', (data) => this.onFrame(JSON.parse(String(data)) as ServerFrame));
  }

  private choices: QuickReply[] = [];

  static async open(app: FastifyInstance, out: (text: string) => void): Promise<TerminalSession> {
    const health = await app.inject({ method: 'GET', url: '/api/health' });
    const cookie = String(health.headers['set-cookie'] ?? '').split(';')[0]!;
    const ws = await app.injectWS('/api/chat', { headers: { cookie } });
    return new TerminalSession(app, ws, cookie, String((health.json() as { provider: string }).provider), out);
  }

  async run(input: Readable): Promise<void> {
    const lines = createInterface({ input, crlfDelay: Infinity, terminal: false });
    this.prompt();
    for await (const raw of lines) {
      const line = raw.trim();
      if (line === '/quit' || line === '/exit') break;
      if (line) await this.handle(line);
      this.prompt();
    }
    lines.close();
  }

  close(): void {
    this.ws.terminate();
  }

  private async handle(line: string): Promise<void> {
    if (line === '/new') {
      this.conversationId = undefined;
      this.out('Started a new conversation.\n');
    } else if (line === '/memory') {
      await this.showMemory();
    } else if (line === '/help') {
      this.out(`${HELP}\n`);
    } else {
      // A number picks one of the choices listed under Mend's last reply.
      const choice = /^\d$/.test(line) ? this.choices[Number(line) - 1] : undefined;
      if (choice?.mode) this.out(`That opens ${choice.label.toLowerCase()} on the page; here, tell me in your own words.\n`);
      else await this.send(choice?.text ?? line);
    }
  }

  private send(text: string): Promise<void> {
    const done = new Promise<void>((resolve) => { this.turnDone = resolve; });
    const clientId = `cli${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
    this.ws.send(JSON.stringify({ type: 'send', clientId, text, ...(this.conversationId ? { conversationId: this.conversationId } : {}) }));
    return done;
  }

  private async showMemory(): Promise<void> {
    if (!this.conversationId) {
      this.out('Nothing yet: Mend remembers things within a conversation.\n');
      return;
    }
    const response = await this.app.inject({ method: 'GET', url: `/api/conversations/${this.conversationId}/memory`, headers: { cookie: this.cookie } });
    const { facts = [] } = response.json() as { facts?: Array<{ label: string; value: string }> };
    this.out(facts.length ? `${facts.map((f) => `  ${f.label}: ${f.value}`).join('\n')}\n` : 'Nothing remembered yet.\n');
  }

  private onFrame(frame: ServerFrame): void {
    switch (frame.type) {
      case 'ack':
        this.conversationId = frame.conversationId;
        break;
      case 'safety':
        this.out(`\n[${frame.level === 'crisis' ? 'Please read' : 'Safety'}] ${frame.notice}\n${frame.resources.map(resourceLine).join('')}`);
        break;
      case 'reply.start':
        this.out('\nMend: ');
        break;
      case 'reply.delta':
        this.out(frame.text);
        break;
      case 'reply.end':
        this.choices = frame.meta.quickReplies ?? [];
        this.out(`\n${this.endNote(frame)}${this.choiceList()}`);
        this.finishTurn();
        break;
      case 'error':
        this.out(`\nMend: ${frame.message}\n`);
        this.finishTurn();
        break;
      default:
        break;
    }
  }

  private endNote(frame: Extract<ServerFrame, { type: 'reply.end' }>): string {
    const steps = frame.meta.steps.map((s) => this.stepLabels.get(s) ?? s);
    const notes = [
      steps.length ? `(${steps.join(', ')})` : '',
      frame.error ? `(${frame.error.message})` : '',
      frame.status === 'stopped' ? '(stopped)' : '',
    ].filter(Boolean);
    return notes.length ? `${notes.join(' ')}\n` : '';
  }

  /** Mend's suggested replies as numbered choices; typing the number sends it, and free text still works. */
  private choiceList(): string {
    if (!this.choices.length) return '';
    return `${this.choices.map((c, i) => `  ${i + 1}. ${c.label}`).join('\n')}\n`;
  }

  private finishTurn(): void {
    const done = this.turnDone;
    this.turnDone = undefined;
    done?.();
  }

  private prompt(): void {
    this.out('\nYou: ');
  }
}

function resourceLine(r: { name: string; phone?: string; text?: string; web?: string }): string {
  return `  - ${[r.name, r.phone, r.text, r.web].filter(Boolean).join(' · ')}\n`;
}
