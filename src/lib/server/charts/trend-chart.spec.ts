import { describe, expect, it } from 'vitest';
import { render } from 'svelte/server';
import TrendChart from '../../components/charts/TrendChart.svelte';
import { trendChart, type TrendEdition } from './trend-chart';
import { TREND_LABELS as labels } from './chart-labels.fixture';

const V1 = { key: 'gcm-benchmark', version: '1.0' };
const V2 = { key: 'gcm-benchmark', version: '2.0' };
const ed = (key: string, methodology = V1, extra: Partial<TrendEdition> = {}): TrendEdition => ({
	key,
	label: `Edition ${key}`,
	methodology,
	...extra
});

describe('trendChart', () => {
	it('0 and 100 sit on the bottom and top of the plot; consecutive points are joined', () => {
		const m = trendChart([ed('1'), ed('2'), ed('3')], [{ key: 'overall', label: 'Overall', values: [0, 50, 100] }]);
		const [a, b, c] = m.series[0]!.points;
		expect(a!.y).toBe(m.plot.bottom);
		expect(c!.y).toBe(m.plot.top);
		expect(b!.y).toBeCloseTo((m.plot.top + m.plot.bottom) / 2, 1);
		expect(a!.x).toBeLessThan(b!.x);
		expect(m.series[0]!.lines).toEqual([`M${a!.x},${a!.y}L${b!.x},${b!.y}L${c!.x},${c!.y}`]);
		expect(m.breaks).toEqual([]);
		expect(m.yTicks.map((t) => t.value)).toEqual([0, 20, 40, 60, 80, 100]);
	});

	it('a null is a gap: no point, and no line through it', () => {
		const m = trendChart(
			[ed('1'), ed('2'), ed('3'), ed('4')],
			[{ key: 'overall', label: 'Overall', values: [10, null, 30, 40] }]
		);
		const s = m.series[0]!;
		expect(s.points.map((p) => p.editionKey)).toEqual(['1', '3', '4']);
		expect(s.lines).toHaveLength(1); // 3–4 only; 1 stands alone
		expect(s.cells).toEqual(['10', null, '30', '40']);
	});

	it('a methodology change breaks the line and adds a marker between the editions', () => {
		const m = trendChart(
			[ed('1'), ed('2'), ed('3', V2), ed('4', V2)],
			[{ key: 'overall', label: 'Overall', values: [10, 20, 30, 40] }]
		);
		expect(m.breaks).toHaveLength(1);
		const br = m.breaks[0]!;
		expect(br).toMatchObject({ after: '2', before: '3', from: 'gcm-benchmark 1.0', to: 'gcm-benchmark 2.0' });
		const xs = m.editions.map((e) => e.x);
		expect(br.x).toBeGreaterThan(xs[1]!);
		expect(br.x).toBeLessThan(xs[2]!);
		expect(m.series[0]!.lines).toHaveLength(2);
		// An explicit comparable flag (from trends.ts) wins over the default rule.
		const forced = trendChart(
			[ed('1'), ed('2', V1, { comparableWithPrevious: false })],
			[{ key: 'o', label: 'O', values: [1, 2] }]
		);
		expect(forced.breaks).toHaveLength(1);
		expect(forced.series[0]!.lines).toEqual([]);
	});

	it('one edition, all null, and no editions', () => {
		const one = trendChart([ed('1')], [{ key: 'o', label: 'O', values: [55] }]);
		expect(one.series[0]!.points).toHaveLength(1);
		expect(one.series[0]!.lines).toEqual([]);
		expect(one.editions[0]!.x).toBeCloseTo((one.plot.left + one.plot.right) / 2, 1);
		const nulls = trendChart([ed('1'), ed('2')], [{ key: 'o', label: 'O', values: [null, null] }]);
		expect(nulls.allNull).toBe(true);
		expect(nulls.series[0]!.points).toEqual([]);
		const none = trendChart([], []);
		expect(none.allNull).toBe(true);
		expect(none.editions).toEqual([]);
	});

	it('RTL: first edition on the right, y ticks on the right, numbers ltr', () => {
		const ltr = trendChart([ed('1'), ed('2')], [{ key: 'o', label: 'O', values: [1, 2] }], { width: 500 });
		const rtl = trendChart([ed('1'), ed('2')], [{ key: 'o', label: 'O', values: [1, 2] }], { width: 500, rtl: true });
		expect(rtl.editions[0]!.x).toBeGreaterThan(rtl.editions[1]!.x);
		expect(rtl.editions[0]!.x).toBeCloseTo(500 - ltr.editions[0]!.x, 1);
		expect(rtl.yTickX).toBeGreaterThan(rtl.plot.right);
		expect(rtl.yTickAnchor).toBe('start');
	});

	it('rejects mismatched lengths, out-of-range values and duplicate keys', () => {
		expect(() => trendChart([ed('1')], [{ key: 'o', label: 'O', values: [1, 2] }])).toThrow(/2 values for 1 editions/);
		expect(() => trendChart([ed('1')], [{ key: 'o', label: 'O', values: [101] }])).toThrow(/edition "1".*outside/);
		expect(() => trendChart([ed('1'), ed('1')], [])).toThrow(/duplicate/);
	});

	it('renders escaped text, a table with breaks noted, and distinct markers', () => {
		const model = trendChart(
			[ed('1'), ed('2', V2)],
			[
				{ key: 'overall', label: 'Overall <b>', values: [12.5, null] },
				{ key: 'objectives', label: 'Objectives', values: [20, 30] }
			],
			{ locale: 'es' }
		);
		const { body } = render(TrendChart, { props: { model, labels } });
		expect(body).not.toContain('<script>');
		expect(body).not.toContain('<b>');
		expect(body).toMatch(/<svg[^>]*role="img"[^>]*aria-labelledby="trend-title-/);
		expect(body).toMatch(/<table>[\s\S]*12,5[\s\S]*Methodology changed[\s\S]*No score[\s\S]*<\/table>/);
		expect(body).toContain('class="break');
	});
});
