import { describe, it, expect } from 'vitest';
import { geoEqualEarth, geoPath } from 'd3-geo';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import world from 'world-atlas/countries-110m.json' with { type: 'json' };
import {
	choroplethBins,
	compactPath,
	fillFor,
	worldMapShapes,
	ZERO_FILL,
	SEQUENTIAL_FILLS,
	type ChoroplethBin
} from './world-map';

/** Every positive bin is contiguous with the previous one and the last is open-ended. */
function expectContiguous(bins: ChoroplethBin[]): void {
	expect(bins[0]).toEqual({ min: 0, max: 0, fill: ZERO_FILL });
	const positive = bins.slice(1);
	expect(positive.length).toBeGreaterThan(0);
	expect(positive.length).toBeLessThanOrEqual(5);
	expect(positive[0]?.min).toBe(1);
	for (let i = 0; i < positive.length; i++) {
		const bin = positive[i]!;
		expect(Number.isInteger(bin.min)).toBe(true);
		if (i < positive.length - 1) {
			expect(bin.max).not.toBeNull();
			expect(bin.max!).toBeGreaterThanOrEqual(bin.min);
			expect(positive[i + 1]!.min).toBe(bin.max! + 1);
		} else {
			expect(bin.max).toBeNull();
		}
	}
	// Fills distinct from each other and from the zero fill.
	expect(new Set(bins.map((b) => b.fill)).size).toBe(bins.length);
}

/** Absolute vertices (in tenths) of an M/L/Z or M/l/z path; consecutive duplicates removed. */
function vertices(d: string): string[] {
	const out: string[] = [];
	const tokens = d.match(/[MLZlz]|-?[0-9]*\.?[0-9]+/g) ?? [];
	let cmd = '';
	let x = 0;
	let y = 0;
	for (let i = 0; i < tokens.length;) {
		const t = tokens[i++]!;
		if (/^[MLZlz]$/.test(t)) {
			cmd = t;
			if (t === 'Z' || t === 'z') out.push('Z');
			continue;
		}
		const a = Math.round(Number(t) * 10);
		const b = Math.round(Number(tokens[i++]) * 10);
		x = cmd === 'l' ? x + a : a;
		y = cmd === 'l' ? y + b : b;
		const p = `${x},${y}`;
		if (cmd === 'M') {
			out.push('M' + p);
			cmd = 'L';
		} else if (out.at(-1) !== p && out.at(-1) !== 'M' + p) {
			out.push(p);
		}
	}
	return out;
}

describe('compactPath', () => {
	it('rewrites to relative line-tos without moving any vertex', () => {
		expect(compactPath('M10,20L10.5,20L10.5,20L9.2,18.1Z')).toBe('M10,20l.5,0-1.3-1.9z');
		expect(compactPath('M0,0L0.3,0.4L1.3,0.4ZM5,5L6,6Z')).toBe('M0,0l.3,.4 1,0zM5,5l1,1z');
	});

	it('round-trips real d3 output exactly', () => {
		const path = geoPath(geoEqualEarth().fitSize([960, 470], { type: 'Sphere' })).digits(1);
		const topology = world as unknown as Topology<{ countries: GeometryCollection }>;
		const features = feature(topology, topology.objects.countries).features;
		const samples = [
			{ type: 'Sphere' } as const,
			...features.filter((f) => ['152', '124', '360'].includes(String(f.id)))
		];
		expect(samples).toHaveLength(4);
		for (const f of samples) {
			const abs = path(f)!;
			const compact = compactPath(abs);
			expect(vertices(compact)).toEqual(vertices(abs));
			expect(compact.length).toBeLessThan(abs.length);
		}
		const shapes = worldMapShapes();
		expect(shapes.countries.length).toBeGreaterThan(0);
		// Every compact country path only uses M, l and z.
		for (const c of shapes.countries) expect(c.path).toMatch(/^M[Mlz0-9.,\- ]*$/);
	});

	it('leaves unexpected commands untouched', () => {
		expect(compactPath('M0,0A1,1,0,1,1,0,2Z')).toBe('M0,0A1,1,0,1,1,0,2Z');
	});
});

describe('worldMapShapes', () => {
	const shapes = worldMapShapes();

	it('returns the fixed viewBox and a sphere outline', () => {
		expect(shapes.width).toBe(960);
		expect(shapes.height).toBe(470);
		expect(shapes.sphere.startsWith('M')).toBe(true);
	});

	it('has more than 150 countries, each with a path starting with M', () => {
		expect(shapes.countries.length).toBeGreaterThan(150);
		for (const c of shapes.countries) {
			expect(c.path.startsWith('M'), c.name).toBe(true);
			expect(c.name.length).toBeGreaterThan(0);
		}
	});

	it('maps M49 to ISO3 through the reference data', () => {
		const chile = shapes.countries.find((c) => c.m49 === '152');
		expect(chile?.iso3).toBe('CHL');
		expect(shapes.countries.find((c) => c.m49 === '004')?.iso3).toBe('AFG');
		expect(shapes.countries.find((c) => c.m49 === '076')?.iso3).toBe('BRA');
	});

	it('keeps features without id or reference match, with iso3 null', () => {
		const unmatched = shapes.countries.filter((c) => c.iso3 === null).map((c) => c.name);
		expect(unmatched).toEqual(expect.arrayContaining(['Kosovo', 'N. Cyprus', 'Somaliland']));
		// ISO3 codes are unique among matched shapes (one link per country).
		const iso = shapes.countries.flatMap((c) => (c.iso3 ? [c.iso3] : []));
		expect(new Set(iso).size).toBe(iso.length);
	});

	it('is cached (same object on every call)', () => {
		expect(worldMapShapes()).toBe(shapes);
	});

	it('keeps the total SVG path text under 120 KB', () => {
		// Measured: 71,534 bytes for 177 countries + sphere (110m atlas, digits(1), compactPath);
		// the plain absolute d3 strings would be 116,875 bytes.
		const bytes =
			shapes.countries.reduce((n, c) => n + Buffer.byteLength(c.path), 0) + Buffer.byteLength(shapes.sphere);
		expect(bytes).toBeLessThan(120 * 1024);
	});
});

describe('choroplethBins', () => {
	it('maxValue 0 gives only the zero bin', () => {
		expect(choroplethBins(0)).toEqual([{ min: 0, max: 0, fill: ZERO_FILL }]);
	});

	it('maxValue 12 gives 1, 2, 3–4, 5–9, 10+', () => {
		expect(choroplethBins(12).map((b) => [b.min, b.max])).toEqual([
			[0, 0],
			[1, 1],
			[2, 2],
			[3, 4],
			[5, 9],
			[10, null]
		]);
		expect(
			choroplethBins(12)
				.slice(1)
				.map((b) => b.fill)
		).toEqual([...SEQUENTIAL_FILLS]);
	});

	it('maxValue 3 gives 1, 2, 3+ spread over the palette', () => {
		const bins = choroplethBins(3);
		expect(bins.map((b) => [b.min, b.max])).toEqual([
			[0, 0],
			[1, 1],
			[2, 2],
			[3, null]
		]);
		expect(bins.slice(1).map((b) => b.fill)).toEqual([SEQUENTIAL_FILLS[0], SEQUENTIAL_FILLS[2], SEQUENTIAL_FILLS[4]]);
	});

	it('is deterministic, ordered and gap-free for many maxima', () => {
		for (const max of [1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 19, 20, 47, 99, 100, 250, 1000, 12345]) {
			const bins = choroplethBins(max);
			expect(choroplethBins(max)).toEqual(bins);
			expectContiguous(bins);
			// The maximum itself falls in a positive bin, and no bin starts above it.
			expect(bins.every((b) => b.min <= max)).toBe(true);
			expect(fillFor(max, bins)).not.toBe(ZERO_FILL);
		}
	});

	it('every positive integer gets exactly one bin (up to and beyond maxValue)', () => {
		for (const max of [1, 3, 7, 12, 100]) {
			const bins = choroplethBins(max);
			for (let v = 1; v <= max * 3; v++) {
				const matching = bins.filter((b) => v >= b.min && (b.max === null || v <= b.max));
				expect(matching, `max=${max} v=${v}`).toHaveLength(1);
				expect(fillFor(v, bins)).toBe(matching[0]!.fill);
			}
		}
	});

	it('treats non-integer, negative and NaN maxima safely', () => {
		expect(choroplethBins(-4)).toHaveLength(1);
		expect(choroplethBins(Number.NaN)).toHaveLength(1);
		expect(choroplethBins(3.7)).toEqual(choroplethBins(3));
	});
});

describe('fillFor', () => {
	it('0 (and no data) is the zero fill, different from all positive fills', () => {
		const bins = choroplethBins(12);
		expect(fillFor(0, bins)).toBe(ZERO_FILL);
		expect(fillFor(-1, bins)).toBe(ZERO_FILL);
		expect(fillFor(Number.NaN, bins)).toBe(ZERO_FILL);
		for (const b of bins.slice(1)) expect(b.fill).not.toBe(ZERO_FILL);
	});

	it('values above the last bound use the darkest class', () => {
		const bins = choroplethBins(12);
		expect(fillFor(500, bins)).toBe(bins.at(-1)!.fill);
		expect(fillFor(1, bins)).toBe(bins[1]!.fill);
		expect(fillFor(4, bins)).toBe(bins[3]!.fill);
	});
});
