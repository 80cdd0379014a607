/**
 * Server-side geometry and classification for the "initiatives per country" choropleth.
 *
 * - Shapes come from world-atlas `countries-110m.json` (Natural Earth 1:110m, public domain),
 *   projected once with an Equal Earth projection fitted to a 960×470 viewBox and cached at
 *   module level. Coordinates are rounded to one decimal (`geoPath().digits(1)`) to keep the
 *   inline SVG small. The absolute d3 strings are then rewritten with relative line-tos
 *   (`compactPath`): same vertices, ~39 % fewer bytes (71.5 KB instead of 116.9 KB in all).
 * - Features are keyed by UN M49 numeric code; ISO3 comes from the project's reference data.
 *   Features without an id (N. Cyprus, Somaliland, Kosovo) or whose M49 code is not in the
 *   reference list (Taiwan, "158") are kept with `iso3: null`: drawn in the neutral fill, never
 *   linked.
 *
 * No SvelteKit or server imports: `WorldMap.svelte` and `BenchmarkMap.svelte` import the shapes
 * directly, so the ~70 KB of path data never goes through a load function. (SvelteKit serializes
 * every load result for hydration, even with `csr = false`; for the home page that serialization
 * cost more server time than rendering the page.) The pages ship no JavaScript, so this module is
 * never sent to a browser.
 */
import { geoEqualEarth, geoPath } from 'd3-geo';
import type { GeoPermissibleObjects } from 'd3-geo';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import type { Feature, Geometry } from 'geojson';
import world from 'world-atlas/countries-110m.json' with { type: 'json' };
import { COUNTRIES } from '../../core/reference/countries.data';

export interface MapCountry {
	/** UN M49 numeric code, zero-padded ("004"); empty string when the feature has no id. */
	m49: string;
	/** ISO 3166-1 alpha-3 from the reference data, or null (no match: neutral fill, no link). */
	iso3: string | null;
	/** English name from the reference data, falling back to the Natural Earth name. */
	name: string;
	/** SVG path data in viewBox coordinates. */
	path: string;
}

export interface WorldMapShapes {
	width: number;
	height: number;
	countries: MapCountry[];
	/** Outline of the globe (Equal Earth sphere). */
	sphere: string;
}

export interface ChoroplethBin {
	/** Inclusive lower bound. */
	min: number;
	/** Inclusive upper bound; null = open-ended ("10+"). */
	max: number | null;
	fill: string;
}

export const MAP_WIDTH = 960;
export const MAP_HEIGHT = 470;

/**
 * Fill for "0 / no data": light neutral grey. Contrast against the #4a4a4a stroke 7.8:1, so
 * borders stay visible; against the lightest data class 1.6:1 plus a hue change (grey → teal).
 */
export const ZERO_FILL = '#f0f0f0';

/**
 * Five sequential classes, light → dark: ColorBrewer YlGnBu (9-class, entries 4–8), a
 * single-direction luminance ramp that is safe for the common forms of colour blindness.
 * The two lightest YlGnBu entries are skipped so the first class stands apart from the page
 * (white) and from the zero fill. Contrast against white: 1.85, 2.41, 3.58, 6.49, 10.5.
 *   #7fcdbb  #41b6c4  #1d91c0  #225ea8  #253494
 * The legend always shows the ranges as text too, so colour is never the only cue.
 */
export const SEQUENTIAL_FILLS: readonly string[] = ['#7fcdbb', '#41b6c4', '#1d91c0', '#225ea8', '#253494'];

const MAX_CLASSES = SEQUENTIAL_FILLS.length;

let cached: WorldMapShapes | null = null;

/** Projected country shapes, computed on first call and cached for the life of the process. */
export function worldMapShapes(): WorldMapShapes {
	if (cached) return cached;

	const topology = world as unknown as Topology<{ countries: GeometryCollection<{ name: string }> }>;
	const collection = feature(topology, topology.objects.countries);

	const projection = geoEqualEarth().fitExtent(
		[
			[1, 1],
			[MAP_WIDTH - 1, MAP_HEIGHT - 1]
		],
		{ type: 'Sphere' }
	);
	const path = geoPath(projection).digits(1);

	const byM49 = new Map(COUNTRIES.map((c) => [c.m49, c]));

	const countries: MapCountry[] = [];
	for (const f of collection.features as Feature<Geometry, { name: string }>[]) {
		const abs = path(f as GeoPermissibleObjects);
		if (!abs) continue;
		const d = compactPath(abs);
		const m49 = f.id === undefined ? '' : String(f.id).padStart(3, '0');
		const ref = m49 ? byM49.get(m49) : undefined;
		countries.push({
			m49,
			iso3: ref?.iso3 ?? null,
			name: ref?.name ?? f.properties?.name ?? m49,
			path: d
		});
	}
	// Stable, meaningful DOM (and keyboard tab) order.
	countries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

	cached = {
		width: MAP_WIDTH,
		height: MAP_HEIGHT,
		countries,
		sphere: compactPath(path({ type: 'Sphere' }) ?? '')
	};
	return cached;
}

/** Tenths of a unit → shortest SVG number: 12 → "1.2", 3 → ".3", -3 → "-.3", 20 → "2". */
function tenths(n: number): string {
	const s = String(n / 10);
	return s.startsWith('0.') ? s.slice(1) : s.startsWith('-0.') ? '-' + s.slice(2) : s;
}

/**
 * Rewrites a d3 absolute path (`M x,y L x,y … Z`, coordinates with at most one decimal) into
 * absolute `M` + relative `l` with implicit repetition, dropping zero-length segments created
 * by the rounding. Integer arithmetic on tenths, so no drift: every vertex lands exactly where
 * the absolute path put it. Anything else (arcs from point geometries) is returned unchanged.
 */
export function compactPath(d: string): string {
	if (!/^[MLZ0-9.,\-\s]*$/.test(d)) return d;
	const tokens = d.match(/[MLZ]|-?[0-9]*\.?[0-9]+/g) ?? [];
	let out = '';
	let cmd = '';
	let x = 0;
	let y = 0;
	let inRun = false;
	let i = 0;
	while (i < tokens.length) {
		const t = tokens[i++] as string;
		if (t === 'Z') {
			out += 'z';
			inRun = false;
			continue;
		}
		if (t === 'M' || t === 'L') {
			cmd = t;
			continue;
		}
		const nx = Math.round(Number(t) * 10);
		const ny = Math.round(Number(tokens[i++]) * 10);
		if (cmd === 'M') {
			out += 'M' + tenths(nx) + ',' + tenths(ny);
			inRun = false;
			cmd = 'L'; // further pairs after M are line-tos
		} else {
			const dx = nx - x;
			const dy = ny - y;
			if (dx === 0 && dy === 0) continue;
			const sx = tenths(dx);
			const sy = tenths(dy);
			out += (inRun ? (dx < 0 ? '' : ' ') : 'l') + sx + (dy < 0 ? '' : ',') + sy;
			inRun = true;
		}
		x = nx;
		y = ny;
	}
	return out;
}

/** 1, 2, 3, 5, 10, 20, 30, 50, 100, … up to and including `limit`. */
function niceSteps(limit: number): number[] {
	const out: number[] = [];
	for (let decade = 1; decade <= limit; decade *= 10) {
		for (const m of [1, 2, 3, 5]) {
			if (m * decade <= limit) out.push(m * decade);
		}
	}
	return out;
}

/** Lower bounds of the positive classes (ascending, starting at 1). */
function lowerBounds(maxValue: number): number[] {
	// Small maxima: one class per integer (max 5 → 1, 2, 3, 4, 5+).
	if (maxValue <= MAX_CLASSES) return Array.from({ length: maxValue }, (_, i) => i + 1);
	const steps = niceSteps(maxValue);
	// 6–9: the nice steps are only 1, 2, 3, 5; integers 1–5 read better.
	if (steps.length < MAX_CLASSES) return Array.from({ length: MAX_CLASSES }, (_, i) => i + 1);
	// Pick 5 nice steps spread evenly (roughly geometric), always keeping 1 and the largest.
	const last = steps.length - 1;
	const picked = Array.from(
		{ length: MAX_CLASSES },
		(_, i) => steps[Math.round((i * last) / (MAX_CLASSES - 1))] as number
	);
	return [...new Set(picked)];
}

/** Palette indices for n classes (n ≤ 5), spread over the ramp so few classes stay distinct. */
function paletteIndices(n: number): number[] {
	if (n <= 0) return [];
	if (n === 1) return [2];
	return Array.from({ length: n }, (_, i) => Math.round((i * (MAX_CLASSES - 1)) / (n - 1)));
}

/**
 * Classes for counts in [0, maxValue]: first the "0 / no data" bin, then up to five positive
 * bins with integer bounds, contiguous, the last one open-ended. Deterministic in maxValue.
 * maxValue 12 → 0 | 1 | 2 | 3–4 | 5–9 | 10+.
 */
export function choroplethBins(maxValue: number): ChoroplethBin[] {
	const max = Number.isFinite(maxValue) ? Math.max(0, Math.floor(maxValue)) : 0;
	const bins: ChoroplethBin[] = [{ min: 0, max: 0, fill: ZERO_FILL }];
	if (max === 0) return bins;
	const lows = lowerBounds(max);
	const fills = paletteIndices(lows.length);
	lows.forEach((low, i) => {
		const next = lows[i + 1];
		bins.push({
			min: low,
			max: next === undefined ? null : next - 1,
			fill: SEQUENTIAL_FILLS[fills[i] as number] as string
		});
	});
	return bins;
}

/** Fill for a count: the last bin whose lower bound it reaches; 0, negatives and NaN → zero fill. */
export function fillFor(value: number, bins: ChoroplethBin[]): string {
	if (!(value > 0)) return bins[0]?.fill ?? ZERO_FILL;
	let fill = bins[0]?.fill ?? ZERO_FILL;
	for (const bin of bins) {
		if (value >= bin.min) fill = bin.fill;
		else break;
	}
	return fill;
}

const MARKUP_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** Text made safe for SVG/HTML markup, inside an attribute value (double-quoted) or as content. */
export function escapeMarkup(text: string): string {
	return text.replace(/[&<>"]/g, (ch) => MARKUP_ESCAPES[ch] as string);
}

export interface ChoroplethMarkupOptions {
	/** ISO3 → number of initiatives. Missing = 0. */
	counts: Readonly<Record<string, number>>;
	bins: ChoroplethBin[];
	hrefFor: (iso3: string) => string;
	/** Country name in the reader's language (shapes without a reference country keep their map name). */
	nameFor: (iso3: string) => string;
	/** The count as text, e.g. "3 initiatives"; the title reads "<name>: <countText>". */
	countText: (n: number) => string;
	/** Text for shapes that are not a reference country ("<name>: <noData>"). */
	noData: string;
}

/**
 * The country shapes of the choropleth as SVG markup, in the order of `shapes.countries`: one
 * `<path>` per shape with its fill and a `<title>` ("Kenya: 3 initiatives"), wrapped in a link
 * (named by the same text) when the country has initiatives. Built as one string because it is
 * ~100 KB per page: a template with one element per shape cost the home page more server time
 * than the rest of the page. Strokes are set by the component's stylesheet.
 */
export function choroplethCountriesMarkup(shapes: WorldMapShapes, options: ChoroplethMarkupOptions): string {
	const { counts, bins, hrefFor, nameFor, countText, noData } = options;
	let out = '';
	for (const c of shapes.countries) {
		const n = c.iso3 ? (counts[c.iso3] ?? 0) : 0;
		const label = escapeMarkup(c.iso3 ? `${nameFor(c.iso3)}: ${countText(n)}` : `${c.name}: ${noData}`);
		const path = `<path d="${escapeMarkup(c.path)}" fill="${escapeMarkup(fillFor(n, bins))}"><title>${label}</title></path>`;
		out += c.iso3 && n > 0 ? `<a href="${escapeMarkup(hrefFor(c.iso3))}" aria-label="${label}">${path}</a>` : path;
	}
	return out;
}
