import { describe, it, expect } from 'vitest';
import { geoEqualEarth, geoPath } from 'd3-geo';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import world from 'world-atlas/countries-110m.json' with { type: 'json' };
import {
	choroplethBins,
	choroplethCountriesMarkup,
	compactPath,
	escapeMarkup,
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

describe('choroplethCountriesMarkup', () => {
	const shapes = worldMapShapes();
	const bins = choroplethBins(500);
	const base = {
		bins,
		hrefFor: (iso3: string) => `/countries/${iso3}`,
		nameFor: (iso3: string) => `name-of-${iso3}`,
		countText: (n: number) => `${n} initiatives`,
		noData: 'None recorded'
	};
	const shape = (iso3: string) => shapes.countries.find((c) => c.iso3 === iso3)!;

	/** Splits the markup into one element per shape (a linked path or a bare path). */
	function elements(markup: string): string[] {
		return (
			markup.match(
				/<a [^>]*><path [^>]*><title>[^<]*<\/title><\/path><\/a>|<path [^>]*><title>[^<]*<\/title><\/path>/g
			) ?? []
		);
	}

	it('draws every shape once, in the order of the shapes, and nothing else', () => {
		const markup = choroplethCountriesMarkup(shapes, { ...base, counts: { KEN: 3 } });
		const els = elements(markup);
		expect(els.join('')).toBe(markup);
		expect(els).toHaveLength(shapes.countries.length);
		els.forEach((el, i) => expect(el).toContain(`<path d="${shapes.countries[i]!.path}"`));
	});

	it('links a country with initiatives, named and titled by its count, filled by its bin', () => {
		const markup = choroplethCountriesMarkup(shapes, { ...base, counts: { KEN: 3, MEX: 250 } });
		expect(markup).toContain(
			`<a href="/countries/KEN" aria-label="name-of-KEN: 3 initiatives"><path d="${shape('KEN').path}" fill="${fillFor(3, bins)}"><title>name-of-KEN: 3 initiatives</title></path></a>`
		);
		expect(markup).toContain(`fill="${fillFor(250, bins)}"><title>name-of-MEX: 250 initiatives</title>`);
		expect(fillFor(250, bins)).not.toBe(fillFor(3, bins));
		expect(elements(markup).filter((el) => el.startsWith('<a '))).toHaveLength(2);
	});

	it('leaves countries without initiatives and unmatched shapes unlinked, in the zero fill', () => {
		const markup = choroplethCountriesMarkup(shapes, { ...base, counts: { KEN: 0 } });
		expect(markup).not.toContain('<a ');
		expect(markup).toContain(
			`<path d="${shape('KEN').path}" fill="${ZERO_FILL}"><title>name-of-KEN: 0 initiatives</title></path>`
		);
		const unmatched = shapes.countries.find((c) => c.iso3 === null)!;
		expect(markup).toContain(
			`<path d="${unmatched.path}" fill="${ZERO_FILL}"><title>${unmatched.name}: None recorded</title></path>`
		);
	});

	it('escapes names, labels and links', () => {
		const markup = choroplethCountriesMarkup(shapes, {
			...base,
			counts: { KEN: 1 },
			nameFor: (iso3) => (iso3 === 'KEN' ? '<script>alert("x")</script> & مرحبا' : iso3),
			hrefFor: (iso3) => `/countries/${iso3}?a=1&b="2"`,
			noData: '<b>none</b>'
		});
		expect(markup).not.toMatch(/<script|<b>|"2"/);
		expect(markup).toContain(
			'<a href="/countries/KEN?a=1&amp;b=&quot;2&quot;" aria-label="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; مرحبا: 1 initiatives">'
		);
		expect(markup).toContain(': &lt;b&gt;none&lt;/b&gt;</title>');
		expect(elements(markup)).toHaveLength(shapes.countries.length);
	});

	it('gives the same markup for the same input (no state between calls)', () => {
		const a = choroplethCountriesMarkup(shapes, { ...base, counts: { KEN: 3, FRA: 9 } });
		choroplethCountriesMarkup(shapes, { ...base, counts: { USA: 40 } });
		expect(choroplethCountriesMarkup(shapes, { ...base, counts: { FRA: 9, KEN: 3 } })).toBe(a);
	});
});

describe('escapeMarkup', () => {
	it('escapes the four characters that end text or a double-quoted attribute', () => {
		expect(escapeMarkup(`a&b<c>d"e'f`)).toBe("a&amp;b&lt;c&gt;d&quot;e'f");
		expect(escapeMarkup('M1,2l.5-1z')).toBe('M1,2l.5-1z');
	});
});
