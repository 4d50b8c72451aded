import type { ChatMode, ConversationRecord } from '../../src/protocol/index.js';
import { alertNow, announce } from './announcer.js';
import { messageOf } from './api.js';
import { confirmDialog } from './dialogs.js';
import { byId, clear, h } from './dom.js';
import { progressApi, type Plan, type ProgressOverview } from './progress-api.js';
import { ProgressPanel } from './progress-panel.js';
import { planTime } from './progress-plans.js';
import { Reminders } from './progress-reminders.js';

export interface ProgressHooks {
  /** Her words as the first message of the new (coaching) conversation, with the check-in it answers. */
  send(text: string, options: Record<string, unknown>): void;
  /** Opens a rehearsal of this talk (she confirms the scene, his age and temperament first). */
  rehearse(scene: string, age: number | undefined): void;
  /** Goes to a new conversation, where "How did it go?" is asked. */
  newConversation(): void;
}

/** What the page shows now, as far as progress cares. */
export interface ProgressView {
  conversation: ConversationRecord | null;
  mode: ChatMode;
  /** Nothing in the transcript yet. */
  empty: boolean;
  /** Mend has finished at least one reply here. */
  replied: boolean;
  busy: boolean;
}

/**
 * The page's side of progress: the "Your progress" button and panel, "Save what I'll try"
 * under a coaching conversation, "How did it go?" when a new conversation opens after a
 * plan's time, and the reminders she chose. Nothing here shows in a private conversation.
 */
export class Progress {
  private overview: ProgressOverview | null = null;
  private view: ProgressView = { conversation: null, mode: 'coach', empty: true, replied: false, busy: false };
  private readonly panel: ProgressPanel;
  private readonly reminders = new Reminders();
  private readonly entry = h('button', { id: 'open-progress', type: 'button', class: 'button button-quiet progress-entry', 'aria-haspopup': 'dialog' }, 'Your progress');
  private readonly card = byId('checkin');
  private readonly offer = byId('plan-offer');
  /** "Not now" on the check-in: asked again next time the page opens. */
  private snoozed = new Set<string>();
  private saving = false;
  /** The plan she picked "How did it go?" on, asked about before the most recent one due. */
  private chosen: string | null = null;

  constructor(private readonly hooks: ProgressHooks) {
    this.panel = new ProgressPanel({
      practise: (plan) => { this.panel.close(); this.hooks.rehearse(plan.script, plan.age); },
      checkIn: (plan) => { this.snoozed.delete(plan.id); this.chosen = plan.id; this.panel.close(); this.hooks.newConversation(); },
      change: (plan, change) => this.changePlan(plan, change),
      remind: (plan, on, box) => void this.setReminder(plan, on, box),
      remove: (plan) => void this.removePlan(plan),
      changed: () => void this.refresh(),
    });
    this.entry.addEventListener('click', () => this.openPanel(this.entry));
    byId('progress-entry').appendChild(this.entry);
    // "Don't keep this conversation": a check-in can't be kept there, so it isn't asked.
    byId<HTMLInputElement>('dont-keep').addEventListener('change', () => this.drawCheckIn());
  }

  /** Shows what the page has at once, then the server's copy (a check-in may have changed a plan). */
  private openPanel(from: HTMLElement): void {
    this.panel.show(from, this.overview);
    void this.refresh();
  }

  async refresh(): Promise<void> {
    try {
      this.overview = await progressApi.overview();
    } catch {
      return; // the panel says so when she opens it; the chat is not held up
    }
    this.reminders.schedule(this.overview.plans, () => void this.refresh());
    if (this.panel.open) this.panel.render(this.overview);
    this.draw();
  }

  update(view: ProgressView): void {
    const wasNew = this.view.conversation === null;
    this.view = view;
    // Every new conversation reads her plans again: one may be due, or "delete everything" just ran.
    if (view.conversation === null && !wasNew) void this.refresh();
    this.draw();
  }

  private draw(): void {
    this.drawCheckIn();
    this.drawOffer();
  }

  /** "How did it go?" in the welcome of a new coaching conversation, once a plan's time has passed. */
  private drawCheckIn(): void {
    const now = Date.now();
    const due = this.overview?.plans.find((p) => p.id === this.chosen && !p.outcome && p.when <= now) ?? this.overview?.due;
    const unkept = byId<HTMLInputElement>('dont-keep').checked;
    const show = !!due && !!this.overview && this.view.conversation === null && this.view.empty && this.view.mode === 'coach' && !unkept && !this.snoozed.has(due.id);
    if (!show) {
      this.card.hidden = true;
      clear(this.card);
      return;
    }
    if (this.card.dataset.plan === due.id && !this.card.hidden) return;
    const words = this.overview!.checkIn;
    const replies = h('div', { class: 'quick-replies', role: 'group', 'aria-labelledby': 'checkin-title' });
    for (const reply of words.replies) {
      const button = h('button', { type: 'button', class: 'quick-reply' }, reply.label);
      button.addEventListener('click', () => {
        this.snoozed.add(due.id);
        this.card.hidden = true;
        this.hooks.send(reply.text, { checkin: { planId: due.id, outcome: reply.outcome } });
      });
      replies.appendChild(button);
    }
    const later = h('button', { type: 'button', class: 'link-button' }, 'Not now');
    later.addEventListener('click', () => {
      this.snoozed.add(due.id);
      this.drawCheckIn();
      byId('message').focus();
    });
    clear(this.card);
    this.card.dataset.plan = due.id;
    this.card.append(
      h('h2', { id: 'checkin-title', class: 'checkin-title' }, words.question),
      h('p', {}, words.lead),
      ...(due.script ? [h('blockquote', { class: 'plan-script' }, `“${due.script}”`)] : []),
      h('p', { class: 'muted plan-meta' }, `Planned for ${planTime(due.when)}${due.where ? ` · ${due.where}` : ''}`),
      replies, later);
    this.card.hidden = false;
  }

  /** "Save what I'll try" under a kept coaching conversation Mend has answered; once saved, what was saved. */
  private drawOffer(): void {
    const { conversation, mode, replied, busy } = this.view;
    const show = !!conversation && !conversation.private && mode === 'coach' && replied;
    this.offer.hidden = !show;
    if (!show) {
      clear(this.offer);
      return;
    }
    const saved = this.overview?.plans.find((p) => p.conversationId === conversation.id && !p.outcome);
    const key = `${conversation.id}:${saved ? `${saved.id}:${saved.when}:${saved.where}` : 'none'}:${busy}`;
    if (this.offer.dataset.key === key) return;
    this.offer.dataset.key = key;
    clear(this.offer);
    if (!saved) {
      const save = h('button', { type: 'button', class: 'button button-small button-secondary', disabled: busy || this.saving }, 'Save what I’ll try');
      save.addEventListener('click', () => void this.save(conversation.id));
      this.offer.append(h('p', { class: 'plan-offer-text muted' }, 'Ready to try it with him?'), save);
      return;
    }
    const practise = h('button', { type: 'button', class: 'button button-small button-secondary' }, 'Practise it');
    practise.addEventListener('click', () => this.hooks.rehearse(saved.script, saved.age));
    const open = h('button', { type: 'button', class: 'button button-small button-quiet' }, 'Change');
    open.addEventListener('click', () => this.openPanel(open));
    this.offer.append(h('p', { class: 'plan-offer-text' }, h('strong', {}, 'In your plans: '), `${planTime(saved.when)}${saved.where ? ` · ${saved.where}` : ''}`), practise, open);
  }

  private async save(conversationId: string): Promise<void> {
    this.saving = true;
    try {
      const plan = await progressApi.savePlan(conversationId);
      await this.refresh();
      announce(`Saved in your plans, for ${planTime(plan.when)}. You can change the time or practise it.`);
      this.offer.querySelector<HTMLButtonElement>('button')?.focus();
    } catch (error) {
      alertNow(`Your plan couldn’t be saved. ${messageOf(error)}`);
    } finally {
      this.saving = false;
    }
  }

  private async changePlan(plan: Plan, change: { script: string; when: number; where: string }): Promise<boolean> {
    try {
      await progressApi.changePlan(plan.id, change);
      await this.refresh();
      this.panel.say('Your plan is changed.');
      return true;
    } catch (error) {
      this.panel.say(`It couldn’t be changed. ${messageOf(error)}`);
      return false;
    }
  }

  private async setReminder(plan: Plan, on: boolean, box: HTMLInputElement): Promise<void> {
    if (on && !(await Reminders.allow())) {
      box.checked = false;
      this.panel.say('Your browser isn’t allowing notifications from Mend. You can allow them in its site settings, then try again.');
      return;
    }
    try {
      await progressApi.changePlan(plan.id, { remind: on });
      await this.refresh();
      this.panel.say(on ? 'Mend will remind you on this device at that time, while Mend is open in this browser.' : 'No reminder for this plan.');
      byId(`plan-${plan.id}-remind`).focus();
    } catch (error) {
      box.checked = !on;
      this.panel.say(`The reminder couldn’t be changed. ${messageOf(error)}`);
    }
  }

  private async removePlan(plan: Plan): Promise<void> {
    const ok = await confirmDialog({ title: 'Delete this plan?', body: 'The plan and how it went are deleted. Your conversations stay.', confirm: 'Delete plan', danger: true });
    if (!ok) return;
    try {
      await progressApi.deletePlan(plan.id);
      await this.refresh();
      this.panel.say('Plan deleted.');
      byId('progress-title').focus();
    } catch (error) {
      this.panel.say(`It couldn’t be deleted. ${messageOf(error)}`);
    }
  }
}
