import { describe, expect, it } from 'vitest';
import { render } from 'svelte/server';
import BarChart from '../../components/charts/BarChart.svelte';
import { barChart, type BarDatum } from './bar-chart';
import { BAR_LABELS as labels } from './chart-labels.fixture';

const HOSTILE = '<script>alert("x")</script> & «Ñandú» مرحبا 移民 ' + 'very long label '.repeat(12);

function rows(...values: (number | null)[]): BarDatum[] {
	return values.map((value, i) => ({ key: `O${i + 1}`, label: `Objective ${i + 1}`, value }));
}

describe('barChart', () => {
	it('maps 0 and 100 to the ends of the axis, and values in between proportionally', () => {
		const m = barChart(rows(0, 50, 100));
		const [zero, half, full] = m.rows.map((r) => r.bars[0]!);
		const axis = m.plot.right - m.plot.left;
		expect(zero!.x).toBe(m.plot.left);
		expect(zero!.width).toBe(0);
		expect(zero!.noScore).toBe(false);
		expect(zero!.text).toBe('0');
		expect(half!.width).toBeCloseTo(axis / 2, 1);
		expect(full!.x + full!.width).toBeCloseTo(m.plot.right, 1);
		expect(m.ticks.map((t) => t.value)).toEqual([0, 20, 40, 60, 80, 100]);
		expect(m.ticks[0]!.x).toBe(m.plot.left);
		expect(m.ticks.at(-1)!.x).toBe(m.plot.right);
		expect(m.allNull).toBe(false);
		expect(m.hasNoScore).toBe(false);
	});

	it('draws null as a full-width "no score" track, never as a zero bar', () => {
		const m = barChart(rows(null, 0));
		const [none, zero] = m.rows.map((r) => r.bars[0]!);
		expect(none).toMatchObject({ noScore: true, value: null, text: null });
		expect(none!.x).toBe(m.plot.left);
		expect(none!.width).toBeCloseTo(m.plot.right - m.plot.left, 1);
		expect(zero).toMatchObject({ noScore: false, value: 0, text: '0' });
		expect(m.hasNoScore).toBe(true);
		expect(m.allNull).toBe(false);
	});

	it('all null: flagged, every bar is "no score"', () => {
		const m = barChart(rows(null, null, null));
		expect(m.allNull).toBe(true);
		expect(m.rows.every((r) => r.bars.every((b) => b.noScore))).toBe(true);
	});

	it('no rows and one row', () => {
		const empty = barChart([]);
		expect(empty.rows).toEqual([]);
		expect(empty.allNull).toBe(true);
		const one = barChart(rows(42.25), { decimals: 1 });
		expect(one.rows).toHaveLength(1);
		expect(one.rows[0]!.bars[0]!.text).toBe('42.3');
		expect(one.height).toBeGreaterThan(one.plot.bottom);
	});

	it('formats numbers for the locale', () => {
		const m = barChart(rows(45.5), { locale: 'es' });
		expect(m.rows[0]!.bars[0]!.text).toBe('45,5');
	});

	it('rejects out-of-range, NaN, duplicate keys and too many series with clear errors', () => {
		expect(() => barChart(rows(101))).toThrow(/O1.*outside 0–100/);
		expect(() => barChart(rows(-0.1))).toThrow(RangeError);
		expect(() => barChart(rows(Number.NaN))).toThrow(/finite number or null/);
		expect(() => barChart([...rows(1), ...rows(2)])).toThrow(/duplicate key "O1"/);
		expect(() =>
			barChart(rows(1), {
				series: [
					{ key: 'a', label: 'A' },
					{ key: 'b', label: 'B' },
					{ key: 'c', label: 'C' },
					{ key: 'd', label: 'D' }
				]
			})
		).toThrow(/at most 3 series/);
		expect(() => barChart(rows(1), { decimals: 1.5 })).toThrow(/decimals/);
		expect(() => barChart(rows(1), { divergenceThreshold: -1 })).toThrow(/divergenceThreshold/);
	});

	it('RTL mirrors the axis: labels on the right, bars grow leftwards, numbers stay ltr', () => {
		const ltr = barChart(rows(30, null), { width: 600 });
		const rtl = barChart(rows(30, null), { width: 600, rtl: true });
		expect(rtl.rtl).toBe(true);
		expect(rtl.plot.left).toBeCloseTo(600 - ltr.plot.right, 1);
		expect(rtl.plot.right).toBeCloseTo(600 - ltr.plot.left, 1);
		// Tick 0 sits at the right end of the axis, 100 at the left.
		expect(rtl.ticks[0]!.x).toBe(rtl.plot.right);
		expect(rtl.ticks.at(-1)!.x).toBe(rtl.plot.left);
		const bar = rtl.rows[0]!.bars[0]!;
		expect(bar.x + bar.width).toBeCloseTo(rtl.plot.right, 1);
		expect(bar.width).toBeCloseTo(ltr.rows[0]!.bars[0]!.width, 1);
		expect(bar.textAt).toMatchObject({ dir: 'ltr', anchor: 'end' });
		expect(bar.textAt.x).toBeLessThan(bar.x);
		// The label sits to the right of the axis and is set right-to-left.
		expect(rtl.rows[0]!.labelAt.x).toBeGreaterThan(rtl.plot.right);
		expect(rtl.rows[0]!.labelAt.dir).toBe('rtl');
		// The no-score track covers the mirrored axis.
		const none = rtl.rows[1]!.bars[0]!;
		expect(none.x).toBeCloseTo(rtl.plot.left, 1);
		expect(none.x + none.width).toBeCloseTo(rtl.plot.right, 1);
	});

	it('grouped series: one bar per series, divergence strictly above the threshold is highlighted', () => {
		const series = [
			{ key: 'independent', label: 'Independent' },
			{ key: 'government', label: 'Government' },
			{ key: 'civil_society', label: 'Civil society' }
		];
		const m = barChart(
			[
				{ key: 'O1', label: 'One', value: 20, secondary: 60, tertiary: 40 },
				{ key: 'O2', label: 'Two', value: 50, secondary: 70, tertiary: null },
				{ key: 'O3', label: 'Three', value: 10, secondary: null, tertiary: null },
				{ key: 'O4', label: 'Four', value: 50, secondary: 69.9, tertiary: 55 }
			],
			{ series, divergenceThreshold: 20 }
		);
		expect(m.grouped).toBe(true);
		expect(m.rows.every((r) => r.bars.length === 3)).toBe(true);
		expect(m.rows.map((r) => r.divergence)).toEqual([40, 20, null, expect.closeTo(19.9, 5)]);
		expect(m.rows.map((r) => r.divergent)).toEqual([true, false, false, false]);
		expect(m.hasDivergent).toBe(true);
		expect(m.divergenceThresholdText).toBe('20');
		// Bars of one row do not overlap and stay inside its band.
		const [a, b, c] = m.rows[0]!.bars;
		expect(b!.y).toBeGreaterThanOrEqual(a!.y + a!.height);
		expect(c!.y).toBeGreaterThanOrEqual(b!.y + b!.height);
		const band = m.rows[0]!.band;
		expect(c!.y + c!.height).toBeLessThanOrEqual(band.y + band.height);
		// Rows do not overlap.
		expect(m.rows[1]!.band.y).toBeGreaterThanOrEqual(band.y + band.height);
	});

	it('keeps labels as data (unescaped) and shortens long ones by grapheme', () => {
		const m = barChart([{ key: 'x', label: HOSTILE, value: 10, flag: 'low coverage' }], { labelWidth: 140 });
		expect(m.rows[0]!.label).toBe(HOSTILE);
		expect(m.rows[0]!.shortLabel.endsWith('… *')).toBe(true);
		expect([...m.rows[0]!.shortLabel].length).toBeLessThan([...HOSTILE].length);
	});
});

describe('BarChart.svelte', () => {
	it('renders an accessible SVG and a table with the same numbers, escaping every label', () => {
		const model = barChart(
			[
				{ key: 'O1', label: HOSTILE, value: 12.5, flag: '<img src=x onerror=alert(1)>', lang: 'en' },
				{ key: 'O2', label: 'Two', value: null }
			],
			{ locale: 'en' }
		);
		const { body } = render(BarChart, { props: { model, labels } });
		expect(body).not.toContain('<script>');
		expect(body).not.toContain('<img');
		expect(body).not.toContain('<b>by</b>');
		expect(body).toContain('&lt;script>');
		expect(body).toMatch(/<svg[^>]*role="img"[^>]*aria-labelledby="bar-title-[^"]+"/);
		expect(body).toMatch(/<title id="bar-title-[^"]+">Scores &lt;b>by&lt;\/b> objective<\/title>/);
		expect(body).toContain('<desc');
		// The table has both rows, the number and the "no score" text.
		expect(body).toMatch(/<table>[\s\S]*12\.5[\s\S]*No score[\s\S]*<\/table>/);
		expect(body).toContain('lang="en"');
		// The hatch pattern is defined and used.
		const hatch = /<pattern id="([^"]+)"/.exec(body)?.[1];
		expect(hatch).toBeTruthy();
		expect(body).toContain(`fill="url(#${hatch})"`);
	});

	it('grouped: legend lists the series and the divergence highlight', () => {
		const model = barChart([{ key: 'O1', label: 'One', value: 10, secondary: 90 }], {
			series: [
				{ key: 'policy', label: 'Policy' },
				{ key: 'implementation', label: 'Implementation' }
			],
			divergenceThreshold: 25
		});
		const { body } = render(BarChart, { props: { model, labels, tableOpen: true } });
		expect(body).toMatch(/class="legend-block[^"]*">[\s\S]*Policy[\s\S]*Implementation[\s\S]*Spread above 25 points/);
		expect(body).toContain('<details open');
		expect(body).toContain('class="divergent-band');
	});
});
