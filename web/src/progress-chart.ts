import { CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import type { TrendWeek } from './progress-api.js';
import { SCALE, weekLabel } from './progress-trend.js';

// Only the parts of Chart.js a two-line chart needs. This module is loaded when she opens her
// progress, so the chat page does not carry the charting library.
Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Legend, Tooltip);

/** The chart's colours come from the page's own (light or dark) custom properties. */
function colours(): { text: string; grid: string; checkIns: string; calm: string } {
  const css = getComputedStyle(document.documentElement);
  const get = (name: string) => css.getPropertyValue(name).trim();
  return { text: get('--muted'), grid: get('--border'), checkIns: get('--accent'), calm: get('--son-label') };
}

/** Draws the two lines (higher is better on both) into `canvas`; the returned chart is destroyed before redrawing. */
export function drawTrend(canvas: HTMLCanvasElement, weeks: TrendWeek[]): Chart {
  const c = colours();
  return new Chart(canvas, {
    type: 'line',
    data: {
      labels: weeks.map((w) => weekLabel(w.start)),
      datasets: [
        { label: 'How your talks went', data: weeks.map((w) => w.checkInScore), borderColor: c.checkIns, backgroundColor: c.checkIns, clip: 8, spanGaps: true, cubicInterpolationMode: 'monotone', pointRadius: 4 },
        { label: 'How calm your conversations were', data: weeks.map((w) => w.calmScore), borderColor: c.calm, backgroundColor: c.calm, borderDash: [6, 4], clip: 8, spanGaps: true, cubicInterpolationMode: 'monotone', pointRadius: 3 },
      ],
    },
    options: {
      responsive: true, maintainAspectRatio: false, animation: false, layout: { padding: { top: 6, right: 6 } },
      scales: {
        y: { min: 0, max: 3, ticks: { stepSize: 1, color: c.text, callback: (v) => SCALE[Number(v)] ?? '' }, grid: { color: c.grid } },
        x: { ticks: { color: c.text }, grid: { display: false } },
      },
      plugins: {
        legend: { labels: { color: c.text, boxWidth: 14 } },
        tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${SCALE[Math.round(Number(item.raw))] ?? ''}` } },
      },
    },
  });
}
