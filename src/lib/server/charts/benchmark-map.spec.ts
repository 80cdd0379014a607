import { describe, expect, it } from 'vitest';
import { render } from 'svelte/server';
import BenchmarkMap from '../../components/charts/BenchmarkMap.svelte';
import { worldMapShapes } from '../../components/map/world-map';
import { benchmarkMap, classFor, scoreClasses, SCORE_FILLS } from './benchmark-map';
import { MAP_LABELS as labels } from './chart-labels.fixture';

/** WCAG 2 relative luminance of #rrggbb. */
function luminance(hex: string): number {
	const [r, g, b] = [1, 3, 5].map((i) => {
		const c = parseInt(hex.slice(i, i + 2), 16) / 255;
		return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
	});
	return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}
function contrast(a: string, b: string): number {
	const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
	return (hi! + 0.05) / (lo! + 0.05);
}

describe('benchmark map classes', () => {
	it('neighbouring fills differ by at least 3:1 contrast, light to dark', () => {
		for (let i = 1; i < SCORE_FILLS.length; i++) {
			expect(contrast(SCORE_FILLS[i - 1]!, SCORE_FILLS[i]!)).toBeGreaterThanOrEqual(3);
			expect(luminance(SCORE_FILLS[i]!)).toBeLessThan(luminance(SCORE_FILLS[i - 1]!));
		}
	});

	it('classes cover 0–100 contiguously; boundaries go to the higher class; 0 and 100 at the ends', () => {
		const classes = scoreClasses('en', 1);
		expect(classes.map((c) => [c.min, c.max, c.last])).toEqual([
			[0, 33, false],
			[33, 67, false],
			[67, 100, true]
		]);
		expect(classFor(0, classes).index).toBe(0);
		expect(classFor(32.9, classes).index).toBe(0);
		expect(classFor(33, classes).index).toBe(1);
		expect(classFor(67, classes).index).toBe(2);
		expect(classFor(100, classes).index).toBe(2);
	});
});

describe('benchmarkMap', () => {
	it('tells scored, assessed-without-score and not-assessed apart; lists assessed countries not on the map', () => {
		const m = benchmarkMap({ CHL: 72.5, MEX: null, FRA: 0, ZZZ: 40, TUV: 100 }, { locale: 'es' });
		const by = new Map(m.countries.filter((c) => c.iso3).map((c) => [c.iso3, c]));
		expect(by.get('CHL')).toMatchObject({ status: 'scored', value: 72.5, text: '72,5', classIndex: 2 });
		expect(by.get('FRA')).toMatchObject({ status: 'scored', value: 0, text: '0', classIndex: 0, fill: SCORE_FILLS[0] });
		expect(by.get('MEX')).toMatchObject({ status: 'no_score', value: null, fill: null });
		expect(by.get('BRA')).toMatchObject({ status: 'not_assessed', fill: null, classIndex: null });
		expect(by.get('MEX')!.name).toBe('México');
		expect(m.counts.scored).toBe(2);
		expect(m.counts.no_score).toBe(1);
		expect(m.counts.not_assessed).toBe(m.countries.length - 3);
		// A fictional code and a state too small for the 1:110m map are listed, not lost.
		expect(m.unmapped.map((u) => u.iso3).sort()).toEqual(['TUV', 'ZZZ']);
		expect(m.unmapped.find((u) => u.iso3 === 'ZZZ')).toMatchObject({ name: 'ZZZ', value: 40, text: '40' });
	});

	it('no scores at all: everything not assessed', () => {
		const m = benchmarkMap(new Map());
		expect(m.counts.scored + m.counts.no_score).toBe(0);
		expect(m.unmapped).toEqual([]);
	});

	it('rejects scores outside 0–100', () => {
		expect(() => benchmarkMap({ CHL: 100.1 })).toThrow(/"CHL".*outside/);
		expect(() => benchmarkMap({ CHL: Number.NaN })).toThrow(/finite/);
	});

	it('renders patterns, legend entries and an escaped table', () => {
		const model = benchmarkMap(
			{ CHL: 50, MEX: null, ZZZ: 10 },
			{ nameFor: (iso3) => (iso3 === 'ZZZ' ? '<script>alert(1)</script> Ruritania' : undefined) }
		);
		const { body } = render(BenchmarkMap, { props: { model, labels, hrefFor: (iso3: string) => `/c/${iso3}` } });
		expect(body).not.toContain('<script>');
		expect(body).toContain('&lt;script>alert(1)&lt;/script> Ruritania');
		expect(body).toMatch(/<svg[^>]*role="img"[^>]*aria-labelledby="bmap-title-/);
		expect(body).toContain('Not assessed');
		expect(body).toContain('No overall score');
		expect(body).toContain('0 to under 33');
		expect(body).toContain('67–100');
		expect(body).toMatch(/<pattern id="bmap-na-[^"]+"/);
		expect(body).toContain('href="/c/ZZZ"');
		expect(body).toMatch(/<table>[\s\S]*Chile[\s\S]*50[\s\S]*<\/table>/);
	});

	it('draws every shape with its own geometry although the model carries none', () => {
		const model = benchmarkMap({ CHL: 50, MEX: null });
		expect(model.countries.every((c) => !('path' in c))).toBe(true);
		const { body } = render(BenchmarkMap, { props: { model, labels } });
		const shapes = worldMapShapes().countries;
		const drawn = [...body.matchAll(/<path d="([^"]*)" fill="([^"]*)"[^>]*><title>([^<]*)<\/title>/g)];
		expect(drawn.map((m) => m[1])).toEqual(shapes.map((c) => c.path));
		const chile = drawn[shapes.findIndex((c) => c.iso3 === 'CHL')]!;
		expect(chile[2]).toBe(classFor(50, scoreClasses('en', 0))!.fill);
		expect(chile[3]).toBe('Chile: 50');
	});
});
