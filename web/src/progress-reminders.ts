import type { Plan } from './progress-api.js';

/** setTimeout's longest wait; a plan further off is scheduled when the page is next opened. */
const LONGEST_WAIT = 2 ** 31 - 1;

/**
 * Reminders she asked for, as browser notifications from this page while it is open. Nothing
 * is sent anywhere: no push service, no server, and the notification names no words of hers
 * (it may show on a locked screen).
 */
export class Reminders {
  private readonly timers = new Map<string, number>();

  static get supported(): boolean {
    return 'Notification' in window;
  }

  /** Asks the browser once; true when notifications may be shown. */
  static async allow(): Promise<boolean> {
    if (!Reminders.supported) return false;
    if (Notification.permission === 'granted') return true;
    if (Notification.permission === 'denied') return false;
    return (await Notification.requestPermission()) === 'granted';
  }

  schedule(plans: Plan[], due: () => void): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    const now = Date.now();
    for (const plan of plans) {
      const wait = plan.when - now;
      if (plan.outcome || wait <= 0 || wait > LONGEST_WAIT) continue;
      // Even without a reminder, the page asks "How did it go?" once the time has come.
      this.timers.set(plan.id, window.setTimeout(() => {
        if (plan.remind) notify(plan);
        due();
      }, wait));
    }
  }
}

function notify(plan: Plan): void {
  if (!Reminders.supported || Notification.permission !== 'granted') return;
  const note = new Notification('Mend', {
    body: 'A reminder you asked for: the talk you planned. Mend is here if you’d like to practise first.',
    tag: `mend-plan-${plan.id}`,
  });
  note.addEventListener('click', () => window.focus());
}
