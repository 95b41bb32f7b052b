import { describe, expect, it } from 'vitest';
import { dayLabels } from './labels.js';
import { barChart, lineChart, niceMax, ticks } from './svg.js';

describe('svg charts', () => {
  it('uses round integer ticks that cover the data', () => {
    expect(ticks(0)).toEqual([0, 1]);
    expect(ticks(5)).toEqual([0, 2, 4, 6]);
    expect(ticks(4)).toEqual([0, 1, 2, 3, 4]);
    expect(ticks(930)).toEqual([0, 500, 1000]);
    expect(niceMax(37)).toBe(50);
  });

  it('escapes labels taken from audit data', () => {
    const svg = lineChart('t', ['2026-03-01'], [{ label: '<script>x</script>', color: '#000', values: [3] }]);
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;');
    expect(barChart('t', [{ label: 'a&b', value: 2, color: '#000' }])).toContain('a&amp;b');
  });
});

describe('dayLabels', () => {
  it('drops the year only while every day is in the same year', () => {
    expect(dayLabels(['2026-03-01', '2026-03-02'])).toEqual(['03-01', '03-02']);
    expect(dayLabels(['2025-12-31', '2026-01-01'])).toEqual(['2025-12-31', '2026-01-01']);
  });

  it('labels the chart with whole dates across a year boundary', () => {
    const svg = lineChart('t', ['2025-12-31', '2026-01-01'], [{ label: 'c', color: '#000', values: [1, 2] }]);
    expect(svg).toContain('>2025-12-31<');
    expect(svg).not.toContain('>12-31<');
  });
});
