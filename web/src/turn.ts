/**
 * One turn in the open conversation: she asks, Mend's reply starts, streams and ends. Kept as
 * one value so that "writing a reply" and "nothing in flight" can't both be true, and so a
 * stop she asked for can't outlive its turn and stop the next reply.
 *
 * The connection is not part of it: a reply is a job on the server and goes on while the
 * socket is down; the page follows it again after reconnecting (see ReplyController).
 */

/** What started the turn; decides what happens when its reply starts and ends. */
export type TurnRequest =
  | 'message' // her message, acknowledged by the server
  | 'regenerate' // the last reply written again: the old one goes when the new one starts
  | 'edit' // her last message edited, acknowledged by the server (which took back the replies to it)
  | 'action'; // a rehearsal action: the conversation is re-read when its reply ends

export type TurnState =
  | { readonly phase: 'idle' }
  /** Asked; no reply yet ("Mend is thinking…"). */
  | { readonly phase: 'waiting'; readonly request: TurnRequest }
  /** The reply is being written ("Mend is writing…"). */
  | { readonly phase: 'streaming'; readonly request: TurnRequest; readonly replyId: string }
  /** She pressed Stop. replyId null: the reply hadn't started, so the stop goes out when it does. */
  | { readonly phase: 'stopping'; readonly request: TurnRequest; readonly replyId: string | null };

export type TurnEvent =
  | { readonly type: 'asked'; readonly request: TurnRequest }
  /** reply.start, or the first delta of a reply whose start the page missed. */
  | { readonly type: 'replyStarted'; readonly replyId: string }
  | { readonly type: 'replyEnded'; readonly replyId: string }
  | { readonly type: 'stopPressed' }
  /** An error frame about the open conversation. */
  | { readonly type: 'refused' }
  /** The conversation was read from the server, which says which reply (if any) it is still writing. */
  | { readonly type: 'synced'; readonly activeReplyId: string | null }
  /** Nothing came back for a long while after she asked (see the watchdog). */
  | { readonly type: 'silence' }
  /** She opened another conversation, or a new one. */
  | { readonly type: 'left' };

export const IDLE: TurnState = { phase: 'idle' };

export function nextTurn(state: TurnState, event: TurnEvent): TurnState {
  switch (event.type) {
    case 'left':
      return IDLE;
    case 'asked':
      // A reply already in flight stays the turn; flushing the outbox waits for it to end.
      return state.phase === 'idle' ? { phase: 'waiting', request: event.request } : state;
    case 'replyStarted':
      return started(state, event.replyId);
    case 'synced':
      if (event.activeReplyId) return started(state, event.activeReplyId);
      // The server writes nothing now: a reply the page was following is over, but a turn that
      // hasn't started yet may still start (the watchdog ends it if not).
      return isPending(state) ? state : IDLE;
    case 'replyEnded': {
      const current = replyIdOf(state);
      // An older reply finishing late settles the stop and the request, not the reply in progress.
      if (current && current !== event.replyId) return { phase: 'streaming', request: 'message', replyId: current };
      return IDLE;
    }
    case 'stopPressed':
      if (state.phase === 'waiting') return { phase: 'stopping', request: state.request, replyId: null };
      if (state.phase === 'streaming') return { phase: 'stopping', request: state.request, replyId: state.replyId };
      return state;
    case 'refused': {
      // What she asked for was refused; a reply already being written goes on.
      const current = replyIdOf(state);
      return current ? { phase: 'streaming', request: 'message', replyId: current } : IDLE;
    }
    case 'silence':
      return isPending(state) ? IDLE : state;
  }
}

function started(state: TurnState, replyId: string): TurnState {
  if (state.phase === 'stopping') return { ...state, replyId };
  return { phase: 'streaming', request: state.phase === 'idle' ? 'message' : state.request, replyId };
}

/** Something is in flight: Stop replaces Send, and nothing else is sent into the conversation. */
export function isBusy(state: TurnState): boolean {
  return state.phase !== 'idle';
}

/** She has asked and no reply has started yet. */
export function isPending(state: TurnState): boolean {
  return state.phase === 'waiting' || (state.phase === 'stopping' && state.replyId === null);
}

export function requestOf(state: TurnState): TurnRequest | null {
  return state.phase === 'idle' ? null : state.request;
}

export function replyIdOf(state: TurnState): string | null {
  return state.phase === 'streaming' || state.phase === 'stopping' ? state.replyId : null;
}

/**
 * Holds the turn and tells its one listener after every event, even one that changes nothing:
 * the listener re-arms the watchdog, whose 15 seconds count from the latest thing that happened.
 */
export class Turn {
  private current: TurnState = IDLE;

  constructor(private readonly changed: (state: TurnState) => void) {}

  get state(): TurnState {
    return this.current;
  }

  /** Returns the state before the event, for the effects that depend on where the turn was. */
  dispatch(event: TurnEvent): TurnState {
    const previous = this.current;
    this.current = nextTurn(previous, event);
    this.changed(this.current);
    return previous;
  }
}
