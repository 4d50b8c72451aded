import type { ChatMode, Region } from '../../src/protocol/index.js';
import { readJson, writeJson } from './storage.js';

/**
 * Messages she has sent that the server has not yet acknowledged. Kept in localStorage, so
 * a message written offline survives a reload and is sent (with the same clientId) once the
 * connection is back; the server stores a resend only once.
 */
export interface OutboxItem {
  clientId: string;
  /** null: this message starts a new conversation. */
  conversationId: string | null;
  text: string;
  mode: ChatMode;
  region?: Region;
  options?: Record<string, unknown>;
  createdAt: number;
  /** When it was last written to a socket; the ack may have been lost with the connection. */
  sentAt?: number;
  /** The server refused it (too long, rate limited…): shown as not sent, with Try again. */
  failed?: { code: string; message: string };
  /** For a conversation she asked Mend not to keep (starting one: it is created private). */
  unkept?: boolean;
}

const KEY = 'outbox';

export class Outbox {
  private items: OutboxItem[] = readJson<OutboxItem[]>(KEY, []).filter(
    (i) => i && typeof i.clientId === 'string' && typeof i.text === 'string',
  );

  all(): readonly OutboxItem[] {
    return this.items;
  }

  get(clientId: string): OutboxItem | undefined {
    return this.items.find((i) => i.clientId === clientId);
  }

  add(item: OutboxItem): void {
    this.items.push(item);
    this.save();
  }

  update(clientId: string, patch: Partial<OutboxItem>): void {
    const item = this.get(clientId);
    if (!item) return;
    Object.assign(item, patch);
    this.save();
  }

  remove(clientId: string): OutboxItem | undefined {
    const item = this.get(clientId);
    if (!item) return undefined;
    this.items = this.items.filter((i) => i !== item);
    this.save();
    return item;
  }

  forConversation(conversationId: string | null): OutboxItem[] {
    return this.items.filter((i) => i.conversationId === conversationId);
  }

  /** Messages for a conversation she isn't keeping stay in memory: a reload drops them. */
  private save(): void {
    writeJson(KEY, this.items.filter((i) => !i.unkept));
  }
}
