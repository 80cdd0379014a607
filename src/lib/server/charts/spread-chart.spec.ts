import { describe, expect, it } from 'vitest';
import { render } from 'svelte/server';
import SpreadChart from '../../components/charts/SpreadChart.svelte';
import type { SpreadStats } from '../../core/benchmarking/types';
import { spreadChart } from './spread-chart';
import { SPREAD_LABELS as labels } from './chart-labels.fixture';

const HOSTILE = '<script>alert(1)</script> حقوق الإنسان ' + 'x'.repeat(300);
const NONE: SpreadStats = { n: 0, mean: null, median: null, sd: null, min: null, max: null };
const stats = (n: number, min: number, mean: number, median: number, max: number, sd: number | null = 10) => ({
	n,
	min,
	mean,
	median,
	max,
	sd
});

describe('spreadChart', () => {
	it('places min, max, mean and median on the 0–100 axis, 0 and 100 at the ends', () => {
		const m = spreadChart([{ key: 'O1', label: 'One', stats: stats(5, 0, 40, 50, 100) }]);
		const row = m.rows[0]!;
		expect(row.range).toEqual({ x1: m.plot.left, x2: m.plot.right });
		const axis = m.plot.right - m.plot.left;
		expect(row.mean!.x).toBeCloseTo(m.plot.left + axis * 0.4, 1);
		expect(row.median!.x).toBeCloseTo(m.plot.left + axis / 2, 1);
		expect(row).toMatchObject({ n: 5, empty: false, few: false, min: '0', max: '100', sd: '10' });
		expect(row.mean!.text).toBe('40');
	});

	it('n = 0 is an empty, hatched row, never a dot at 0; all empty is flagged', () => {
		const m = spreadChart([{ key: 'O1', label: 'One', stats: NONE }]);
		expect(m.rows[0]).toMatchObject({ empty: true, range: null, mean: null, median: null, n: 0 });
		expect(m.allEmpty).toBe(true);
		expect(m.hasEmpty).toBe(true);
	});

	it('n = 1: a dot, no range line; few ratings are marked', () => {
		const m = spreadChart(
			[
				{ key: 'a', label: 'A', stats: stats(1, 70, 70, 70, 70, null) },
				{ key: 'b', label: 'B', stats: stats(3, 20, 30, 30, 40) }
			],
			{ minExperts: 3, locale: 'es', decimals: 1 }
		);
		expect(m.rows[0]).toMatchObject({ range: null, few: true, sd: null });
		expect(m.rows[0]!.mean).not.toBeNull();
		expect(m.rows[1]!.few).toBe(false);
		expect(m.hasFew).toBe(true);
		expect(m.allEmpty).toBe(false);
	});

	it('rejects inconsistent statistics with the item key', () => {
		expect(() => spreadChart([{ key: 'O9', label: 'x', stats: stats(3, 50, 40, 50, 60) }])).toThrow(/O9.*inconsistent/);
		expect(() => spreadChart([{ key: 'O9', label: 'x', stats: stats(3, 0, 50, 50, 120) }])).toThrow(/outside/);
		expect(() => spreadChart([{ key: 'O9', label: 'x', stats: { ...NONE, mean: 3 } }])).toThrow(/null when n = 0/);
		expect(() => spreadChart([{ key: 'O9', label: 'x', stats: { ...stats(2, 1, 2, 2, 3), n: 1.5 } }])).toThrow(
			/integer/
		);
		expect(() => spreadChart([{ key: 'O9', label: 'x', stats: { ...stats(2, 1, 2, 2, 3), mean: null } }])).toThrow(
			/required/
		);
	});

	it('RTL mirrors positions and keeps n left-to-right', () => {
		const s = stats(4, 10, 20, 25, 30);
		const ltr = spreadChart([{ key: 'a', label: 'A', stats: s }], { width: 500 });
		const rtl = spreadChart([{ key: 'a', label: 'A', stats: s }], { width: 500, rtl: true });
		expect(rtl.rows[0]!.mean!.x).toBeCloseTo(500 - ltr.rows[0]!.mean!.x, 1);
		expect(rtl.rows[0]!.range!.x1).toBeLessThan(rtl.rows[0]!.range!.x2);
		expect(rtl.rows[0]!.nAt.dir).toBe('ltr');
		expect(rtl.rows[0]!.nAt.x).toBeLessThan(rtl.plot.left);
		expect(rtl.rows[0]!.labelAt.x).toBeGreaterThan(rtl.plot.right);
	});

	it('renders escaped labels, an accessible SVG and a table with the statistics', () => {
		const model = spreadChart(
			[
				{ key: 'a', label: HOSTILE, stats: stats(2, 10, 15, 15, 20), flag: '<i>x</i>' },
				{ key: 'b', label: 'B', stats: NONE }
			],
			{ minExperts: 3 }
		);
		const { body } = render(SpreadChart, { props: { model, labels } });
		expect(body).not.toContain('<script>');
		expect(body).not.toContain('<i>x</i>');
		expect(body).toMatch(/<svg[^>]*role="img"[^>]*aria-labelledby="spread-title-/);
		expect(body).toMatch(/<table>[\s\S]*10–20[\s\S]*fewer than 3[\s\S]*No ratings[\s\S]*<\/table>/);
	});
});
