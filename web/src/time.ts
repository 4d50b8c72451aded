/** Timestamps for messages and the conversation list, in her locale. */
const timeFmt = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const dayFmt = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short' });
const fullFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' });

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/** "14:32" today, "Yesterday 14:32", otherwise "Tue 4 Nov, 14:32". */
export function messageTime(ms: number, now = new Date()): string {
  const d = new Date(ms);
  if (sameDay(d, now)) return timeFmt.format(d);
  const yesterday = new Date(now);
  yesterday.setDate(now.getDate() - 1);
  if (sameDay(d, yesterday)) return `Yesterday ${timeFmt.format(d)}`;
  return `${dayFmt.format(d)}, ${timeFmt.format(d)}`;
}

/** Short form for the conversation list. */
export function listTime(ms: number, now = new Date()): string {
  const d = new Date(ms);
  if (sameDay(d, now)) return timeFmt.format(d);
  const yesterday = new Date(now);
  yesterday.setDate(now.getDate() - 1);
  if (sameDay(d, yesterday)) return 'Yesterday';
  return dayFmt.format(d);
}

const monthFmt = new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric' });

/** The conversation list's headings: Today, Yesterday, Previous 7 days, Previous 30 days, then by month. */
export function dayGroup(ms: number, now = new Date()): string {
  const d = new Date(ms);
  const startOfToday = new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime();
  const day = 24 * 60 * 60 * 1000;
  if (ms >= startOfToday) return 'Today';
  if (ms >= startOfToday - day) return 'Yesterday';
  if (ms >= startOfToday - 7 * day) return 'Previous 7 days';
  if (ms >= startOfToday - 30 * day) return 'Previous 30 days';
  return monthFmt.format(d);
}

export function fullTime(ms: number): string {
  return fullFmt.format(new Date(ms));
}

export function timeElement(ms: number): HTMLTimeElement {
  const el = document.createElement('time');
  el.dateTime = new Date(ms).toISOString();
  el.textContent = messageTime(ms);
  el.title = fullTime(ms);
  return el;
}
