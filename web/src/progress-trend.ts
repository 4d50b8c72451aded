import { h } from './dom.js';
import type { TrendWeek } from './progress-api.js';

/** The chart's scale, higher is better on both lines. */
export const SCALE: Record<number, string> = { 0: 'Very hard', 1: 'Hard', 2: 'Mixed', 3: 'Good' };
const LEVEL_WORDS: Record<string, string> = { calm: 'calm', strained: 'strained', high: 'worrying', crisis: 'crisis' };

export function weekLabel(start: number): string {
  return new Date(start).toLocaleDateString(undefined, { day: 'numeric', month: 'short' });
}

/** A few plain sentences on the trend, for everyone and for screen readers before the table. */
export function trendSummary(weeks: TrendWeek[]): string {
  const checkIns = weeks.reduce((n, w) => n + Object.values(w.checkIns).reduce((a, b) => a + b, 0), 0);
  const conversations = weeks.reduce((n, w) => n + w.conversations, 0);
  const parts = [`Over the last ${weeks.length === 1 ? 'week' : `${weeks.length} weeks`}: ${count(conversations, 'conversation')} with Mend and ${count(checkIns, 'check-in')} on how a talk went.`];
  const scored = weeks.filter((w) => w.checkInScore !== null);
  if (scored.length >= 2) {
    parts.push(direction(scored[0]!.checkInScore!, scored.at(-1)!.checkInScore!,
      ['Your talks with him have been going better lately.', 'Your talks with him have been harder lately; that happens, and it doesn’t undo what you’ve built.', 'Your talks with him have gone about the same.']));
  }
  const calm = weeks.filter((w) => w.calmScore !== null);
  if (calm.length >= 2) {
    parts.push(direction(calm[0]!.calmScore!, calm.at(-1)!.calmScore!,
      ['What you’ve told Mend has been calmer lately.', 'What you’ve told Mend has been more worrying lately. If things feel unsafe, “Get help now” is always there.', 'What you’ve told Mend has stayed about as calm.']));
  }
  const better = weeks.reduce((n, w) => n + w.checkIns.better, 0);
  if (better) parts.push(`${count(better, 'talk')} went better than you expected.`);
  return parts.join(' ');
}

/** Compares the first and the latest week with something in it: better, harder or about the same. */
function direction(first: number, last: number, [better, harder, same]: [string, string, string]): string {
  if (last > first + 0.25) return better;
  if (last < first - 0.25) return harder;
  return same;
}

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The same numbers as a table: the chart is a picture of this. */
export function trendTable(weeks: TrendWeek[]): HTMLTableElement {
  const head = h('tr', {}, ...['Week of', 'How your talks went', 'Conversations with Mend', 'Hardest moment'].map((t) => h('th', { scope: 'col' }, t)));
  const rows = weeks.map((w) => {
    const c = w.checkIns;
    const talks = [c.better && `${c.better} better`, c.same && `${c.same} the same`, c.badly && `${c.badly} badly`, c['not-yet'] && `${c['not-yet']} not yet`].filter(Boolean).join(', ') || '—';
    return h('tr', {}, h('th', { scope: 'row' }, weekLabel(w.start)), h('td', {}, talks), h('td', {}, String(w.conversations)), h('td', {}, w.highest ? LEVEL_WORDS[w.highest] ?? w.highest : '—'));
  });
  return h('table', { class: 'trend-table' }, h('caption', { class: 'visually-hidden' }, 'Your weeks, one a row'), h('thead', {}, head), h('tbody', {}, ...rows));
}

