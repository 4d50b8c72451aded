import type { ChatMode } from '../../src/protocol/index.js';
import { announce } from './announcer.js';
import type { Composer } from './composer.js';
import type { MessageSettings } from './delivery.js';
import { askRehearsal, MODES, ONE_OFF_MODES, type Modes, type RehearsalPhase } from './modes.js';
import type { Session } from './session.js';
import { readJson, writeJson } from './storage.js';
import type { Transcript } from './transcript.js';
import type { RehearsalOptions } from './types.js';

/** Where a conversation's rehearsal settings are kept on this computer. */
export function rehearsalKey(conversationId: string): string {
  return `rehearsal.${conversationId}`;
}

/** Whether coach notes were on when the rehearsal's settings last went to the server. */
export function notesSentKey(conversationId: string): string {
  return `rehearsal-notes-sent.${conversationId}`;
}

/** The conversation to start next; a new one started from one she isn't keeping isn't kept either. */
export interface NextConversation {
  mode: ChatMode;
  rehearsal: RehearsalOptions | null;
  unkept: boolean;
}

export interface ModeHooks {
  /** Opens a new conversation set up like this (the mode can't change under one already started). */
  startNew(next: NextConversation): void;
  /** The mode changed: the welcome of an empty conversation depends on it. */
  changed(): void;
  /** A reply is in flight: the rehearsal's actions wait for it. */
  busy(): boolean;
}

/**
 * Which mode the composer is in, and the rehearsal around it: a rehearsal is set up before its
 * first line, and switching into or out of one that has started starts a new conversation.
 */
export class ModeController {
  constructor(
    private readonly modes: Modes,
    private readonly composer: Composer,
    private readonly transcript: Transcript,
    private readonly session: Session,
    private readonly hooks: ModeHooks,
  ) {}

  get mode(): ChatMode {
    return this.modes.mode;
  }

  async select(mode: ChatMode): Promise<void> {
    const { session } = this;
    const inRehearsal = session.conversation?.mode === 'rehearse' || (session.id === null && session.rehearsal !== null);
    const started = this.transcript.hasUserMessages(true);
    if (mode === 'rehearse') {
      if (inRehearsal && session.rehearsal) {
        this.set('rehearse');
        return;
      }
      const options = await askRehearsal(session.rehearsal ?? undefined);
      if (!options) {
        this.composer.focus();
        return;
      }
      if (started || session.id) {
        this.hooks.startNew({ mode: 'rehearse', rehearsal: options, unkept: session.unkept });
      } else {
        session.rehearsal = options;
        this.set('rehearse');
      }
      this.composer.focus();
      return;
    }
    if (inRehearsal && started) {
      this.hooks.startNew({ mode, rehearsal: null, unkept: session.unkept });
      announce(`Started a new ${MODES.find((m) => m.id === mode)?.label ?? ''} conversation.`);
    } else {
      if (session.id === null) session.rehearsal = null;
      this.set(mode);
    }
    this.composer.focus();
  }

  /** A rehearsal of a talk she planned: the dialog opens with it filled in, and a new conversation starts. */
  async rehearse(scene: string, age?: number): Promise<void> {
    const previous = this.session.rehearsal;
    const options = await askRehearsal({
      scene, age: age ?? previous?.age ?? 15, temperament: previous?.temperament ?? 'defensive', notes: previous?.notes ?? true,
    });
    if (options) this.hooks.startNew({ mode: 'rehearse', rehearsal: options, unkept: false });
    this.composer.focus();
  }

  set(mode: ChatMode): void {
    this.modes.set(mode);
    this.composer.setSendLabel(MODES.find((m) => m.id === mode)?.send ?? 'Send');
    this.updatePlaceholder();
    this.refreshRehearsalBar();
    this.hooks.changed();
  }

  refreshRehearsalBar(): void {
    this.updatePlaceholder();
    const rehearsal = this.modes.mode === 'rehearse' ? this.session.rehearsal : null;
    const sent = this.transcript.hasUserMessages(false);
    this.modes.showRehearsal(rehearsal, this.rehearsalPhase());
    if (rehearsal) this.modes.setRehearsalEnabled(!this.hooks.busy() && sent);
  }

  /** After the debrief: the same kind of rehearsal set up again, in a new conversation. */
  async startAnother(): Promise<void> {
    const options = await askRehearsal(this.session.rehearsal ?? undefined);
    if (!options) return;
    this.hooks.startNew({ mode: 'rehearse', rehearsal: options, unkept: this.session.unkept });
    this.composer.focus();
  }

  private rehearsalPhase(): RehearsalPhase {
    const views = this.transcript.messages();
    const last = [...views].reverse().find((v) => v.role === 'assistant' || v.role === 'user');
    if (!last) return 'setup';
    if (last.role === 'assistant' && last.meta.voice === 'debrief') return last.status === 'streaming' ? 'his-turn' : 'ended';
    return this.hooks.busy() ? 'his-turn' : 'her-turn';
  }

  /** What her next message goes with; null when a rehearsal has to be set up first (the dialog opens). */
  settingsForSend(): MessageSettings | null {
    const mode = this.modes.mode;
    const { rehearsal, id } = this.session;
    if (mode === 'rehearse' && !rehearsal) {
      void this.select('rehearse');
      return null;
    }
    if (mode !== 'rehearse' || !rehearsal || !this.optionsDue()) return { mode };
    if (id) writeJson(notesSentKey(id), rehearsal.notes);
    return { mode, options: { ...rehearsal } };
  }

  /** A draft check or a Find help question has gone: her next message is coaching again. */
  sent(mode: ChatMode): void {
    if (!ONE_OFF_MODES.has(mode) || this.modes.mode !== mode) return;
    this.set('coach');
    announce(`Sent to ${MODES.find((m) => m.id === mode)?.label ?? mode}. Your next message goes to Coach.`);
  }

  setNotes(on: boolean): void {
    const { session } = this;
    if (!session.rehearsal) return;
    session.rehearsal = { ...session.rehearsal, notes: on };
    if (session.id) writeJson(rehearsalKey(session.id), session.rehearsal);
    this.refreshRehearsalBar();
    announce(`Coach notes ${on ? 'on' : 'off'}.`);
  }

  private updatePlaceholder(): void {
    const mode = this.modes.mode;
    this.composer.setPlaceholder(mode === 'rehearse' && this.transcript.hasUserMessages(true)
      ? 'What do you say next?'
      : MODES.find((m) => m.id === mode)?.placeholder ?? 'Message');
  }

  /**
   * The rehearsal's settings go with its first line, and again only when she has switched
   * coach notes on or off since they were last sent.
   */
  private optionsDue(): boolean {
    const { rehearsal, id } = this.session;
    if (!this.transcript.hasUserMessages(true) || !id || !rehearsal) return true;
    return readJson<boolean | null>(notesSentKey(id), null) !== rehearsal.notes;
  }
}
