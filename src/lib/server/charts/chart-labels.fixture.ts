/**
 * Chart and map labels for tests: hostile where it matters (markup in titles, so escaping is
 * checked), otherwise plain English. Shared by the builders' specs and the markup snapshots.
 */

export const BAR_LABELS = {
	title: 'Scores <b>by</b> objective',
	description: 'Scores from 0 to 100.',
	item: 'Objective',
	value: 'Score',
	noScore: 'No score',
	table: 'Show the data',
	divergence: 'Spread (points)',
	divergent: (t: string) => `Spread above ${t} points`,
	notes: 'Notes'
};

export const SPREAD_LABELS = {
	title: 'Expert spread',
	description: 'Ratings by the expert panel.',
	item: 'Item',
	n: 'Ratings',
	mean: 'Mean',
	median: 'Median',
	range: 'Range',
	sd: 'SD',
	noRatings: 'No ratings',
	few: (min: number) => `fewer than ${min}`,
	table: 'Show the data',
	notes: 'Notes'
};

export const TREND_LABELS = {
	title: 'Trend <script>',
	description: 'Overall score by edition.',
	edition: 'Edition',
	methodology: 'Methodology',
	noScore: 'No score',
	notComparable: 'Methodology changed: not comparable',
	table: 'Show the data'
};

export const MAP_LABELS = {
	title: 'Overall compliance',
	description: 'Countries by overall score.',
	legend: 'Overall score (0–100)',
	range: (min: string, max: string, last: boolean) => (last ? `${min}–${max}` : `${min} to under ${max}`),
	notAssessed: 'Not assessed',
	noScore: 'No overall score',
	country: 'Country',
	score: 'Score',
	table: 'Show the data',
	unmapped: 'Assessed but not on the map'
};
