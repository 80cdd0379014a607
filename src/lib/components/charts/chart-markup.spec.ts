/**
 * The server-rendered markup of every chart and map, for fixed inputs (LTR and RTL, grouped and
 * single series, null scores, divergent rows, flags, hostile text), kept as file snapshots. A
 * refactoring of the components must leave these files unchanged; a deliberate change to the
 * markup shows up as a diff to review. Normalised away: Svelte's scoping classes (`svelte-<hash>`,
 * which follow where a CSS rule lives, not what is drawn), its hydration comments and whitespace
 * between table cells (not rendered) or runs of it between tags (rendered as one space); long path
 * data is replaced by a digest (the geometry is still compared, the snapshot stays small).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { render } from 'svelte/server';
import BarChart from './BarChart.svelte';
import BenchmarkMap from './BenchmarkMap.svelte';
import SpreadChart from './SpreadChart.svelte';
import TrendChart from './TrendChart.svelte';
import WorldMap from '../map/WorldMap.svelte';
import { choroplethBins } from '../map/world-map';
import { barChart } from '../../server/charts/bar-chart';
import { benchmarkMap } from '../../server/charts/benchmark-map';
import { spreadChart } from '../../server/charts/spread-chart';
import { trendChart } from '../../server/charts/trend-chart';
import {
	BAR_LABELS as barLabels,
	MAP_LABELS as mapLabels,
	SPREAD_LABELS as spreadLabels,
	TREND_LABELS as trendLabels
} from '../../server/charts/chart-labels.fixture';

const HOSTILE = '<script>alert("x")</script> & «Ñandú» مرحبا 移民 ' + 'very long label '.repeat(4);

function normalise(html: string): string {
	return html
		.replace(/<!--[^]*?-->/g, '')
		.replace(/>\s{2,}</g, '> <')
		.replace(/(<\/t[hd]>|<tr[^>]*>)\s+(?=<t[hd][\s>]|<\/tr>)/g, '$1')
		.replace(/ class="([^"]*)"/g, (_, list: string) => {
			const kept = list.split(' ').filter((c) => c !== '' && !c.startsWith('svelte-'));
			return kept.length > 0 ? ` class="${kept.join(' ')}"` : '';
		})
		.replace(
			/ d="([^"]{60,})"/g,
			(_, d: string) => ` d="sha1:${createHash('sha1').update(d).digest('hex').slice(0, 12)}"`
		)
		.replace(/></g, '>\n<');
}

async function expectMarkup(name: string, html: string): Promise<void> {
	await expect(normalise(html)).toMatchFileSnapshot(`./__snapshots__/${name}.txt`);
}

const barRows = [
	{ key: 'O1', label: 'Objective 1', value: 0, href: '/objectives/1' },
	{ key: 'O2', label: HOSTILE, value: 45.55, flag: 'low coverage', lang: 'en' },
	{ key: 'O3', label: 'Objective 3', value: null },
	{ key: 'O4', label: 'Objective 4', value: 100 }
];

const groupedRows = [
	{ key: 'a', label: 'Alpha', value: 20, secondary: 80, tertiary: 50 },
	{ key: 'b', label: HOSTILE, value: null, secondary: 40, tertiary: 45, flag: 'few experts' },
	{ key: 'c', label: 'Gamma', value: null, secondary: null, tertiary: null }
];
const threeSeries = [
	{ key: 'government', label: 'Government' },
	{ key: 'civil_society', label: 'Civil society' },
	{ key: 'independent', label: 'Independent' }
];

const spreadItems = [
	{ key: 'O1', label: 'Objective 1', stats: { n: 5, min: 20, mean: 50.25, median: 55, max: 80, sd: 12.3 } },
	{ key: 'O2', label: HOSTILE, stats: { n: 1, min: 40, mean: 40, median: 40, max: 40, sd: null }, flag: 'x' },
	{ key: 'O3', label: 'Objective 3', stats: { n: 0, min: null, mean: null, median: null, max: null, sd: null } }
];

const V1 = { key: 'gcm-benchmark', version: '1.0' };
const V2 = { key: 'gcm-benchmark', version: '2.0' };
const editions = [
	{ key: '1', label: 'Edition 1', methodology: V1 },
	{ key: '2', label: 'Edition 2', methodology: V1 },
	{ key: '3', label: 'Edition 3', methodology: V2 }
];
const trendSeries = [
	{ key: 'overall', label: 'Overall', values: [10, 55.5, 70] },
	{ key: 'objectives', label: 'Objectives', values: [null, 60, 65] },
	{ key: 'principles', label: HOSTILE, values: [30, null, 40] }
];

describe('chart and map markup (file snapshots)', () => {
	for (const rtl of [false, true]) {
		const dir = rtl ? 'rtl' : 'ltr';

		it(`bar chart, one series, ${dir}`, async () => {
			const model = barChart(barRows, { rtl, locale: rtl ? 'ar' : 'en' });
			await expectMarkup(`bar-single-${dir}`, render(BarChart, { props: { model, labels: barLabels } }).body);
		});

		it(`bar chart, three series with divergence, table open, ${dir}`, async () => {
			const model = barChart(groupedRows, { rtl, series: threeSeries, divergenceThreshold: 30, locale: 'es' });
			await expectMarkup(
				`bar-grouped-${dir}`,
				render(BarChart, { props: { model, labels: barLabels, tableOpen: true } }).body
			);
		});

		it(`spread chart, ${dir}`, async () => {
			const model = spreadChart(spreadItems, { rtl, minExperts: 3 });
			await expectMarkup(`spread-${dir}`, render(SpreadChart, { props: { model, labels: spreadLabels } }).body);
		});

		it(`trend chart with a methodology break, ${dir}`, async () => {
			const model = trendChart(editions, trendSeries, { rtl });
			await expectMarkup(`trend-${dir}`, render(TrendChart, { props: { model, labels: trendLabels } }).body);
		});
	}

	it('bar, spread and trend charts without data', async () => {
		const html = [
			render(BarChart, { props: { model: barChart([]), labels: barLabels } }).body,
			render(SpreadChart, { props: { model: spreadChart([]), labels: spreadLabels } }).body,
			render(TrendChart, { props: { model: trendChart([], []), labels: trendLabels } }).body
		].join('\n');
		await expectMarkup('charts-empty', html);
	});

	it('benchmark map with scored, unscored, unmapped and unassessed countries', async () => {
		const model = benchmarkMap({ CHL: 72.5, MEX: null, FRA: 0, ZZZ: 40, TUV: 100 }, { locale: 'es' });
		const html = render(BenchmarkMap, {
			props: { model, labels: mapLabels, hrefFor: (iso3: string) => `/benchmarks/${iso3}`, tableOpen: true }
		}).body;
		await expectMarkup('benchmark-map', html);
	});

	it('world map of initiative counts', async () => {
		const counts = { CHL: 3, MEX: 12, FRA: 1, TUV: 40 };
		const html = render(WorldMap, {
			props: {
				counts,
				bins: choroplethBins(40),
				hrefFor: (iso3: string) => `/countries/${iso3}`,
				nameFor: (iso3: string) => (iso3 === 'MEX' ? HOSTILE : iso3),
				labels: {
					title: 'Initiatives by country',
					legend: 'Initiatives',
					noData: 'None',
					initiatives: (n: number) => `${n} initiatives`
				}
			}
		}).body;
		await expectMarkup('world-map', html);
	});
});
