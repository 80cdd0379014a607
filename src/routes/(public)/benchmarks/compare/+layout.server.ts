/**
 * /benchmarks/compare: the form and the checked selection, for the page and for its error page (a
 * bad selection is a 400 that still shows the form with the errors, as submitted). Fewer than two,
 * more than four, repeated or unknown countries are refused here; the page compares the rest.
 */
import { COUNTRIES } from '$lib/core/reference';
import { translator } from '$lib/i18n';
import { getRuntime } from '$lib/server/runtime';
import type { LayoutServerLoad } from './$types';
import { localCountryName } from '../view.server';

/** How many country selects the form offers (the most that can be compared). */
const SLOTS = 4;

export const load: LayoutServerLoad = async ({ url, locals }) => {
	const locale = locals.locale;
	const t = translator(locale);
	const { services } = await getRuntime();
	const published = await services.benchmark.listPublishedAssessments();
	const assessedCodes = new Set(published.map((a) => a.country));
	const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name, locale);
	const options = {
		assessed: [...assessedCodes].map((iso3) => ({ iso3, name: localCountryName(iso3, locale) })).sort(byName),
		others: COUNTRIES.filter((c) => !assessedCodes.has(c.iso3))
			.map((c) => ({ iso3: c.iso3, name: localCountryName(c.iso3, locale) }))
			.sort(byName)
	};

	const chosen = url.searchParams
		.getAll('country')
		.map((c) => c.trim().toUpperCase())
		.filter((c) => c !== '');
	const selected = Array.from({ length: SLOTS }, (_, i) => chosen[i] ?? '');

	const errors: string[] = [];
	if (chosen.length > 0) {
		if (chosen.length > SLOTS) errors.push(t.t('bench.compare_error_count'));
		if (new Set(chosen).size !== chosen.length) errors.push(t.t('bench.compare_error_repeated'));
		if (chosen.length < 2) errors.push(t.t('bench.compare_error_count'));
		const unknown = chosen.filter(
			(c) => !/^[A-Z]{3}$/.test(c) || (!assessedCodes.has(c) && !COUNTRIES.some((x) => x.iso3 === c))
		);
		for (const c of unknown) errors.push(t.t('bench.compare_error_unknown', { code: c.slice(0, 12) }));
	}
	return { options, selected, slots: SLOTS, chosen, errors: [...new Set(errors)] };
};
