import type { Chart } from 'chart.js';
import { announce } from './announcer.js';
import { messageOf } from './api.js';
import { panelDialog, type PanelDialog } from './dialogs.js';
import { clear, h, icon } from './dom.js';
import { progressApi, type Plan, type ProgressOverview, type TrendWeek, type Win } from './progress-api.js';
import { trendSummary, trendTable } from './progress-trend.js';
import { planItem, type PlanActions } from './progress-plans.js';
import { readJson, writeJson } from './storage.js';

const CHART_HIDDEN_KEY = 'progress.chart-hidden';
const WIN_MAX = 160;

/**
 * "Your progress": her plans, her small wins and how things have been over the weeks. The
 * chart is shown gently (a summary first, the numbers as a table) and she can hide it.
 */
export class ProgressPanel {
  private readonly panel: PanelDialog;
  private readonly plans = h('ul', { class: 'plan-list' });
  private readonly plansEmpty = h('p', { class: 'muted' }, 'At the end of a coaching conversation, tap “Save what I’ll try”: your plan appears here, ready to practise.');
  private readonly wins = h('ul', { class: 'win-list' });
  private readonly winsEmpty = h('p', { class: 'muted' }, 'Nothing noted yet. A good moment can be small: a laugh, a thank-you, a question he asked you.');
  private readonly status = h('p', { class: 'progress-status', role: 'status' });
  private readonly trendBox = h('div', { class: 'trend', id: 'trend-box' });
  private readonly chartToggle = h('button', { type: 'button', class: 'button button-small button-quiet', 'aria-controls': 'trend-box' });
  private chart: Chart | null = null;
  private weeks: TrendWeek[] = [];

  constructor(private readonly actions: PlanActions & { changed(): void }) {
    this.panel = panelDialog({
      id: 'progress-dialog', className: 'progress-dialog', labelledBy: 'progress-title', closeLabel: 'Close your progress',
      head: h('div', {}, h('h2', { id: 'progress-title', tabindex: '-1' }, 'Your progress')),
      onClose: () => this.destroyChart(),
    });
    this.chartToggle.addEventListener('click', () => this.setChartHidden(!readJson(CHART_HIDDEN_KEY, false)));
    this.panel.dialog.append(h('div', { class: 'dialog-body progress-body' },
      h('section', { 'aria-labelledby': 'plans-title' }, h('h3', { id: 'plans-title' }, 'Your plans'), this.plansEmpty, this.plans),
      h('section', { 'aria-labelledby': 'wins-title' }, h('h3', { id: 'wins-title' }, 'Small wins'),
        h('p', { class: 'field-hint', id: 'wins-hint' }, 'Good moments with him, in a few words. When things feel hard, Mend reminds you of them.'),
        this.winForm(), this.winsEmpty, this.wins),
      h('section', { 'aria-labelledby': 'trend-title' },
        h('div', { class: 'trend-head' }, h('h3', { id: 'trend-title' }, 'How things have been'), this.chartToggle), this.trendBox),
      this.status));
    // Light and dark: the chart's colours are read when it is drawn, so it is drawn again on a change.
    window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => this.redraw());
    new MutationObserver(() => this.redraw()).observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  }

  get open(): boolean {
    return this.panel.dialog.open;
  }

  show(from: HTMLElement | null, overview: ProgressOverview | null): void {
    this.status.textContent = ''; // what she did last time is not news now
    this.render(overview);
    this.destroyChart();
    clear(this.trendBox);
    if (!this.labelToggle()) this.trendBox.append(h('p', { class: 'muted' }, 'Loading how things have been…'));
    this.panel.show(from);
    this.panel.dialog.querySelector<HTMLElement>('#progress-title')?.focus();
    void this.loadTrend();
  }

  close(): void {
    this.panel.close();
  }

  render(overview: ProgressOverview | null): void {
    const plans = overview?.plans ?? [];
    clear(this.plans);
    for (const plan of plans) this.plans.appendChild(planItem(plan, this.actions));
    this.plansEmpty.hidden = plans.length > 0;
    this.renderWins(overview?.wins ?? []);
  }

  say(text: string): void {
    this.status.textContent = text;
  }

  private renderWins(wins: Win[]): void {
    clear(this.wins);
    for (const win of wins) {
      const remove = h('button', { type: 'button', class: 'icon-button', 'aria-label': `Delete “${win.text}”`, title: 'Delete' }, icon('trash'));
      remove.addEventListener('click', () => void this.removeWin(win));
      const day = new Date(win.at).toLocaleDateString(undefined, { day: 'numeric', month: 'short' });
      this.wins.appendChild(h('li', { class: 'win' }, h('span', { class: 'win-text' }, win.text), h('span', { class: 'muted win-day' }, day), remove));
    }
    this.winsEmpty.hidden = wins.length > 0;
  }

  private winForm(): HTMLFormElement {
    const input = h('input', { id: 'win-text', class: 'input', type: 'text', maxlength: WIN_MAX, 'aria-describedby': 'wins-hint', placeholder: 'He laughed at my joke at dinner' });
    const form = h('form', { class: 'win-form', novalidate: true },
      h('label', { for: 'win-text', class: 'visually-hidden' }, 'A good moment with him'), input,
      h('button', { type: 'submit', class: 'button button-small button-secondary' }, 'Note it'));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const text = input.value.trim();
      if (!text) {
        this.say('Write a few words about the moment first.');
        input.focus();
        return;
      }
      void progressApi.addWin(text).then(() => {
        input.value = '';
        this.say('Noted. It’s in your small wins.');
        this.actions.changed();
        input.focus();
      }, (error: unknown) => this.say(`It couldn’t be noted. ${messageOf(error)}`));
    });
    return form;
  }

  private async removeWin(win: Win): Promise<void> {
    try {
      await progressApi.deleteWin(win.id);
      this.say('Deleted.');
      this.actions.changed();
      this.panel.dialog.querySelector<HTMLInputElement>('#win-text')?.focus();
    } catch (error) {
      this.say(`It couldn’t be deleted. ${messageOf(error)}`);
    }
  }

  private async loadTrend(): Promise<void> {
    try {
      this.weeks = await progressApi.trend();
    } catch (error) {
      this.weeks = [];
      this.say(`The trend can’t be shown right now. ${messageOf(error)}`);
    }
    this.redraw();
  }

  private setChartHidden(hidden: boolean): void {
    writeJson(CHART_HIDDEN_KEY, hidden);
    this.redraw();
    announce(hidden ? 'Chart hidden.' : 'Chart shown.');
  }

  /** The toggle is named before the trend arrives, so it is never a button without a name. */
  private labelToggle(): boolean {
    const hidden = readJson(CHART_HIDDEN_KEY, false);
    this.chartToggle.textContent = hidden ? 'Show the chart' : 'Hide the chart';
    this.chartToggle.setAttribute('aria-expanded', String(!hidden));
    this.trendBox.hidden = hidden;
    return hidden;
  }

  private redraw(): void {
    if (!this.open) return;
    this.destroyChart();
    clear(this.trendBox);
    const hidden = this.labelToggle();
    if (hidden) return;
    const weeks = this.weeks;
    if (weeks.length < 2) {
      this.trendBox.append(h('p', { class: 'muted' }, 'After a couple of weeks of talking with Mend and telling it how your talks went, a small chart of how things have been appears here.'));
      return;
    }
    const summary = trendSummary(weeks);
    const canvas = h('canvas', { role: 'img', 'aria-label': `Chart of the last ${weeks.length} weeks. ${summary}` });
    this.trendBox.append(
      h('p', { class: 'trend-summary', id: 'trend-summary' }, summary),
      h('div', { class: 'chart-box' }, canvas),
      h('p', { class: 'field-hint' }, 'Higher is better on both lines. Where a week had nothing to show, the line runs on to the next.'),
      h('details', { class: 'trend-numbers' }, h('summary', {}, 'Show the numbers'), trendTable(weeks)));
    void this.drawChart(canvas, weeks);
  }

  /** Chart.js comes in its own file, fetched the first time she opens her progress. */
  private async drawChart(canvas: HTMLCanvasElement, weeks: TrendWeek[]): Promise<void> {
    try {
      const { drawTrend } = await import('./progress-chart.js');
      if (canvas.isConnected) this.chart = drawTrend(canvas, weeks);
    } catch {
      canvas.replaceWith(h('p', { class: 'muted' }, 'The chart can’t be drawn just now; the summary and the numbers are all here.'));
    }
  }

  private destroyChart(): void {
    this.chart?.destroy();
    this.chart = null;
  }
}

export type { Plan };
