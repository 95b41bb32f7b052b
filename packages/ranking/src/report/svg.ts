import { esc } from './escape.js';
import { dayLabels } from './labels.js';

export const PALETTE = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#ff7f0e',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#17becf',
  '#bcbd22',
  '#7f7f7f',
];

/** A round axis maximum (1, 2, 5 x 10^n) at or above the data's maximum. */
export function niceMax(max: number): number {
  if (max <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 5, 10]) if (m * p >= max) return m * p;
  return 10 * p;
}

/** Integer ticks at a round step (1, 2, 5 x 10^n), about four of them, covering max. */
export function ticks(max: number): number[] {
  const raw = Math.max(1, max / 4);
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p;
  const out: number[] = [];
  for (let v = 0; out.length < 2 || out[out.length - 1]! < max; v += step) out.push(v);
  return out;
}

export interface Series {
  label: string;
  color: string;
  values: number[];
}

/** Lines of values per day with a legend; an inline SVG, no script. */
export function lineChart(title: string, days: readonly string[], series: readonly Series[]): string {
  const w = 760;
  const h = 300;
  const left = 56;
  const right = 200;
  const top = 16;
  const bottom = 40;
  const plotW = w - left - right;
  const plotH = h - top - bottom;
  const yTicks = ticks(Math.max(0, ...series.flatMap((s) => s.values)));
  const max = yTicks[yTicks.length - 1]!;
  const x = (i: number) => left + (days.length <= 1 ? plotW / 2 : (i * plotW) / (days.length - 1));
  const y = (v: number) => top + plotH - (v / max) * plotH;
  const parts: string[] = [];
  for (const v of yTicks) {
    parts.push(
      `<line x1="${left}" x2="${left + plotW}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>`,
      `<text x="${left - 6}" y="${y(v) + 4}" text-anchor="end" font-size="11">${esc(v)}</text>`,
    );
  }
  const step = Math.max(1, Math.ceil(days.length / 10));
  const labels = dayLabels(days);
  labels.forEach((d, i) => {
    if (i % step === 0) {
      parts.push(
        `<text x="${x(i)}" y="${h - bottom + 16}" text-anchor="middle" font-size="11">${esc(d)}</text>`,
      );
    }
  });
  series.forEach((s, k) => {
    const pts = s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    parts.push(`<polyline class="series" fill="none" stroke="${s.color}" stroke-width="2" points="${pts}"/>`);
    s.values.forEach((v, i) => {
      parts.push(
        `<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="3" fill="${s.color}"><title>${esc(`${s.label} ${days[i]}: ${v}`)}</title></circle>`,
      );
    });
    const ly = top + 14 + k * 18;
    parts.push(
      `<rect x="${left + plotW + 16}" y="${ly - 9}" width="10" height="10" fill="${s.color}"/>`,
      `<text x="${left + plotW + 32}" y="${ly}" font-size="12">${esc(s.label.length > 26 ? `${s.label.slice(0, 25)}…` : s.label)}</text>`,
    );
  });
  parts.push(
    `<line x1="${left}" x2="${left}" y1="${top}" y2="${top + plotH}" stroke="#333"/>`,
    `<line x1="${left}" x2="${left + plotW}" y1="${top + plotH}" y2="${top + plotH}" stroke="#333"/>`,
  );
  return `<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${esc(title)}" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}"><title>${esc(title)}</title>${parts.join('')}</svg>`;
}

export interface Bar {
  label: string;
  value: number;
  color: string;
}

/** Horizontal bars, largest first as given. */
export function barChart(title: string, bars: readonly Bar[]): string {
  const w = 760;
  const left = 240;
  const right = 70;
  const rowH = 22;
  const h = Math.max(1, bars.length) * rowH + 20;
  const max = niceMax(Math.max(0, ...bars.map((b) => b.value)));
  const plotW = w - left - right;
  const parts = bars.map((b, i) => {
    const y = 10 + i * rowH;
    const bw = Math.max(1, (b.value / max) * plotW);
    const label = b.label.length > 34 ? `${b.label.slice(0, 33)}…` : b.label;
    return (
      `<text x="${left - 8}" y="${y + 14}" text-anchor="end" font-size="12">${esc(label)}</text>` +
      `<rect class="bar" x="${left}" y="${y + 3}" width="${bw.toFixed(1)}" height="${rowH - 6}" fill="${b.color}"><title>${esc(`${b.label}: ${b.value}`)}</title></rect>` +
      `<text x="${left + bw + 6}" y="${y + 14}" font-size="12">${esc(b.value)}</text>`
    );
  });
  return `<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${esc(title)}" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}"><title>${esc(title)}</title>${parts.join('')}</svg>`;
}
