import type { ChatMode, Region } from '../../src/protocol/index.js';
import { byId } from './dom.js';
import { renderFindHelp } from './findhelp.js';

const COPY: Record<ChatMode, [string, string]> = {
  coach: ['What happened?', 'Tell Mend about the argument in your own words: what was said, how it ended, how you feel now. You’ll get calm, practical coaching, one step at a time.'],
  rehearse: ['Practise what you want to say', 'Mend will answer as your son might. Say your first line when you’re ready; you can try a line again or end the rehearsal at any time.'],
  draft: ['Check a message before you send it', 'Paste the text you’re thinking of sending him. Mend will look at how it may land and suggest a calmer way to say it if that would help.'],
  referral: ['Find the right help', 'Tell Mend what’s going on and what kind of support you’d like: a family therapist, a counsellor for him, support for you. For urgent help, use “Get help now”.'],
};

/** The welcome shown in a conversation with nothing in it yet; it depends on the mode. */
export function updateEmptyState(options: { empty: boolean; mode: ChatMode; region: Region; stillApplies: () => boolean }): void {
  const { empty, mode } = options;
  byId('empty').hidden = !empty;
  byId('empty-title').textContent = COPY[mode][0];
  byId('empty-text').textContent = COPY[mode][1];
  byId('starters').hidden = mode !== 'coach';
  const findHelp = byId('find-help');
  if (empty && mode === 'referral') {
    void renderFindHelp(findHelp, options.region).then(() => { if (!options.stillApplies()) findHelp.hidden = true; });
  } else {
    findHelp.hidden = true;
  }
}

/** The starter suggestions fill the message box (she still chooses to send). */
export function initStarters(fill: (text: string) => void): void {
  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-starter]')) {
    button.addEventListener('click', () => fill(button.dataset.starter ?? ''));
  }
}
