/**
 * /methodology: docs/methodology.md rendered to safe HTML (bundled at build time with Vite's
 * `?raw`, so the adapter-node build needs no docs/ folder at run time), then the default
 * methodology's variable bank straight from DEFAULT_METHODOLOGY (never a copy).
 *
 * Text of the methodology comes in the reader's language where the methodology has it, else in
 * English marked `lang="en"` (STYLE rule 8); objective titles and principle names are English
 * reference data, marked the same way on other-language pages.
 */
import { DEFAULT_METHODOLOGY } from '$lib/core/benchmarking/default-methodology';
import type { Translatable } from '$lib/core/benchmarking/types';
import { getObjective, getPrinciple } from '$lib/core/reference';
import { renderMarkdown, type RenderedMarkdown } from '$lib/server/charts/markdown';
import type { PageServerLoad } from './$types';

/** Text in the page's language, or English marked as such. */
interface Localised {
	text: string;
	/** Set when the text is not in the page's language. */
	lang: string | null;
}

function pick(t: Translatable, locale: string): Localised {
	const own = (t as unknown as Record<string, string | undefined>)[locale];
	if (own) return { text: own, lang: null };
	return { text: t.en, lang: locale === 'en' ? null : 'en' };
}

const english = (text: string, locale: string): Localised => ({ text, lang: locale === 'en' ? null : 'en' });

const methodologyJsonUrl = `/api/v1/methodologies/${encodeURIComponent(DEFAULT_METHODOLOGY.key)}/${encodeURIComponent(
	DEFAULT_METHODOLOGY.version
)}`;

/**
 * Link targets in the document are written for the repository (e.g. `../data/methodology/…json`,
 * `adr/0004-….md`). On the site: the methodology JSON goes to its API route; in-page anchors,
 * site paths and http(s) URLs stay; other repository-relative files do not exist on the site, so
 * the link is dropped and its text kept.
 */
function rewriteHref(href: string): string | null {
	if (/^https?:/i.test(href) || href.startsWith('#') || href.startsWith('/')) return href;
	const file = href.split(/[?#]/)[0]!.split('/').at(-1);
	if (file === `${DEFAULT_METHODOLOGY.key}-${DEFAULT_METHODOLOGY.version}.json`) return methodologyJsonUrl;
	return null;
}

/**
 * The page supplies its own <h1>, so a leading `# Title` of the document is dropped and the
 * document's `##` sections become the page's <h2>s.
 */
function renderDocument(source: string): RenderedMarkdown {
	const body = source.replace(/^\uFEFF?\s*# [^\n]*\n/, '');
	return renderMarkdown(body, { idPrefix: 'doc-', tocLevels: [2, 2], rewriteHref });
}

// Bundled at build time. import.meta.glob rather than a plain `?raw` import so that a missing
// document (e.g. while it is being written) leaves the section empty instead of failing the build.
const sources = import.meta.glob<string>('../../../../docs/methodology.md', {
	query: '?raw',
	import: 'default',
	eager: true
});
// Rendered once per process.
const DOCUMENT = renderDocument(Object.values(sources)[0] ?? '');

export const load: PageServerLoad = ({ locals }) => {
	const locale = locals.locale;
	const m = DEFAULT_METHODOLOGY;
	const byObjective = new Map<number, (typeof m.variables)[number][]>();
	for (const v of m.variables) byObjective.set(v.objective, [...(byObjective.get(v.objective) ?? []), v]);

	return {
		document: DOCUMENT,
		methodology: {
			key: m.key,
			version: m.version,
			status: m.status,
			title: pick(m.title, locale),
			summary: pick(m.summary, locale),
			jsonUrl: methodologyJsonUrl,
			weights: m.weights,
			objectiveScoreSource: m.objectiveScoreSource,
			missingData: m.missingData,
			divergenceThreshold: m.divergenceThreshold,
			decimals: m.decimals,
			answerScale: m.answerScale.map((a) => ({
				key: a.key,
				kind: a.kind,
				value: a.value,
				label: pick(a.label, locale),
				description: a.description ? pick(a.description, locale) : null
			})),
			ratingScale: m.ratingScale.map((r) => ({ value: r.value, score: r.score, label: pick(r.label, locale) })),
			principles: m.principles.map((p) => {
				const ref = getPrinciple(p.key);
				return {
					key: p.key,
					letter: ref?.letter ?? '',
					name: english(ref?.name ?? p.key, locale),
					scored: p.scored,
					weight: p.weight
				};
			}),
			objectives: m.objectives.map((o) => {
				const ref = getObjective(o.number);
				return {
					number: o.number,
					title: english(ref?.title ?? `Objective ${o.number}`, locale),
					roundtable: ref?.roundtable ?? null,
					gcmParagraph: ref?.gcmParagraph ?? null,
					scored: o.scored,
					weight: o.weight,
					variables: (byObjective.get(o.number) ?? []).map((v) => {
						const guidance = pick(v.guidance, locale);
						return {
							key: v.key,
							question: pick(v.question, locale),
							// Guidance is written as one line per answer level ("Full: …", "Partial: …").
							guidance: { lines: guidance.text.split('\n').filter((l) => l.trim() !== ''), lang: guidance.lang },
							gcmParagraph: v.gcmParagraph,
							weight: v.weight
						};
					})
				};
			})
		}
	};
};
