import type { ChatMode, ConversationRecord, HelpResource, Region } from '../../src/protocol/index.js';
import type { ConversationDetail, ConversationMemory, CounsellorBrief, Health, StepCard } from './types.js';

/** An error from the REST API, with the server's code and its plain-language message. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The server's plain-language reason, as a sentence to go between ours. */
export function messageOf(error: unknown): string {
  const message = error instanceof ApiError ? error.message.trim() : '';
  if (!message) return 'Something went wrong; please try again.';
  return /[.!?]$/.test(message) ? message : `${message}.`;
}

const OFFLINE_MESSAGE = "Mend can't reach its server right now. Check your connection; nothing you wrote is lost.";

export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'offline', OFFLINE_MESSAGE);
  }
  if (res.status === 204) return undefined as T;
  let json: unknown = null;
  try {
    json = await res.json();
  } catch { /* not JSON */ }
  if (!res.ok) {
    const err = (json as { error?: { code?: string; message?: string } } | null)?.error;
    // A Mend protected by a password (MEND_PASSWORD) whose session ended: sign in again.
    if (res.status === 401 && err?.code === 'unauthorized' && location.pathname !== '/login') location.assign('/login');
    throw new ApiError(res.status, err?.code ?? `http_${res.status}`, err?.message ?? `The server answered ${res.status}.`);
  }
  return json as T;
}

export const api = {
  health: () => request<Health>('GET', '/api/health'),
  listConversations: () => request<{ conversations: ConversationRecord[] }>('GET', '/api/conversations').then((r) => r.conversations),
  searchConversations: (q: string) =>
    request<{ conversations: ConversationRecord[] }>('GET', `/api/conversations?q=${encodeURIComponent(q)}`).then((r) => r.conversations),
  createConversation: (body: { title?: string; mode?: ChatMode; private?: boolean }) =>
    request<{ conversation: ConversationRecord }>('POST', '/api/conversations', body).then((r) => r.conversation),
  getConversation: (id: string) =>
    request<ConversationDetail>('GET', `/api/conversations/${encodeURIComponent(id)}`),
  renameConversation: (id: string, title: string) =>
    request<{ conversation: ConversationRecord }>('PATCH', `/api/conversations/${encodeURIComponent(id)}`, { title }).then((r) => r.conversation),
  deleteConversation: (id: string) => request<void>('DELETE', `/api/conversations/${encodeURIComponent(id)}`),
  deleteAll: () => request<void>('DELETE', '/api/conversations'),
  knowledge: (id: string) => request<StepCard>('GET', `/api/knowledge/${encodeURIComponent(id)}`),
  resources: (region: Region) =>
    request<{ region: Region; resources: HelpResource[] }>('GET', `/api/resources?region=${encodeURIComponent(region)}`).then((r) => r.resources),
  dismissCarried: (conversationId: string) =>
    request<void>('POST', `/api/conversations/${encodeURIComponent(conversationId)}/safety/dismiss-carried`),
  feedback: (messageId: string, rating: 'up' | 'down' | null) =>
    request<{ ok: true }>('POST', `/api/messages/${encodeURIComponent(messageId)}/feedback`, { rating }),
  /** Her brief, or null when none has been drafted (the server answers 404). */
  brief: (conversationId: string) =>
    request<{ brief: CounsellorBrief | null }>('GET', briefPath(conversationId)).then(
      (r) => r.brief,
      (error: unknown) => {
        if (error instanceof ApiError && error.status === 404 && error.code === 'not_found') return null;
        throw error;
      },
    ),
  draftBrief: (conversationId: string) => request<{ brief: CounsellorBrief }>('POST', briefPath(conversationId)).then((r) => r.brief),
  saveBrief: (conversationId: string, markdown: string) =>
    request<{ brief: CounsellorBrief }>('PUT', briefPath(conversationId), { markdown }).then((r) => r.brief),
  deleteBrief: (conversationId: string) => request<void>('DELETE', briefPath(conversationId)),
  /** What Mend remembers in a conversation: the facts she can correct, and its summary of older turns. */
  memory: (conversationId: string) => request<ConversationMemory>('GET', memoryPath(conversationId)),
  /** Her corrections; the answer is what Mend remembers now. */
  correctMemory: (conversationId: string, facts: Array<{ key: string; value: string }>) =>
    request<ConversationMemory>('PUT', memoryPath(conversationId), { facts }),
  forgetFact: (conversationId: string, key: string) => request<void>('DELETE', `${memoryPath(conversationId)}/${encodeURIComponent(key)}`),
};

function memoryPath(conversationId: string): string {
  return `/api/conversations/${encodeURIComponent(conversationId)}/memory`;
}

function briefPath(conversationId: string): string {
  return `/api/conversations/${encodeURIComponent(conversationId)}/brief`;
}

/** The saved brief as a Markdown file (the server sends it as an attachment). */
export function briefDownloadUrl(conversationId: string): string {
  return `${briefPath(conversationId)}.md`;
}
