/**
 * Test builders for the assessment templates: a small methodology and hostile-by-default text
 * (markup, Arabic, CJK, emoji, formula-looking prefixes), plus a minimal zip writer for crafting
 * hostile containers without a zip library.
 */
import { deflateRawSync } from 'node:zlib';
import type { DeskAnswer, ExpertRating, Methodology, Variable } from '../../../core/benchmarking/types';

export const HOSTILE = {
	script: '<script>alert("x")</script> & </sheetData>',
	arabic: 'الهجرة الآمنة والمنظمة والنظامية',
	cjk: '安全、有序和正常移民全球契约',
	emoji: 'Families 👨‍👩‍👧 at the border 🚧',
	formulas: ['=HYPERLINK("http://evil.example","click")', '+1', '-2', '@SUM(A1)', "'=already quoted"]
} as const;

function variable(key: string, objective: Variable['objective'], over: Partial<Variable> = {}): Variable {
	return {
		key,
		objective,
		question: {
			en: `Does national law address ${key}? ${HOSTILE.script}`,
			es: `¿Aborda la ley nacional ${key}? ${HOSTILE.arabic}`
		},
		guidance: { en: `Count laws in force. ${HOSTILE.cjk}` },
		gcmParagraph: '23(a)',
		weight: 1,
		...over
	};
}

export function buildMethodology(over: Partial<Methodology> = {}): Methodology {
	return {
		key: 'gcm-test',
		version: '1.0',
		status: 'published',
		title: { en: `Test method ${HOSTILE.script}`, es: 'Método de prueba' },
		summary: { en: 'For tests.' },
		objectives: [
			{ number: 7, scored: true, weight: 1 },
			{ number: 13, scored: true, weight: 1 },
			{ number: 23, scored: false, weight: 1 }
		],
		principles: [
			{ key: 'human_rights', scored: true, weight: 1 },
			{ key: 'national_sovereignty', scored: false, weight: 1 },
			{ key: 'child_sensitive', scored: true, weight: 1 }
		],
		variables: [variable('O7.1', 7), variable('O7.2', 7), variable('O13.1', 13), variable('O13.2', 13)],
		answerScale: [
			{ key: 'yes', kind: 'scored', value: 100, label: { en: 'Yes', es: 'Sí' }, description: { en: 'Fully in place' } },
			{ key: 'partial', kind: 'scored', value: 50, label: { en: 'Partly', es: 'En parte' } },
			{ key: 'no', kind: 'scored', value: 0, label: { en: 'No', es: 'No' } },
			{ key: 'not_applicable', kind: 'not_applicable', value: null, label: { en: 'Not applicable' } },
			{ key: 'unknown', kind: 'unknown', value: null, label: { en: 'Unknown' } }
		],
		ratingScale: [1, 2, 3, 4, 5].map((value) => ({
			value,
			score: (value - 1) * 25,
			label: { en: `Level ${value}`, es: `Nivel ${value}` }
		})),
		weights: { objectives: 0.8, principles: 0.2 },
		objectiveScoreSource: { kind: 'policy' },
		missingData: { minCoverage: 0.5, minExperts: 3, unscoredItems: 'exclude' },
		divergenceThreshold: 15,
		decimals: 1,
		...over
	};
}

export const ASSESSMENT = {
	id: '7b0c6a52-8d1e-4f4a-9c2e-1f0a2b3c4d5e',
	country: 'CHL',
	countryName: 'Chile',
	edition: 2026,
	perspective: 'independent'
} as const;

export function buildAnswers(): DeskAnswer[] {
	return [
		{
			variableKey: 'O7.1',
			answer: 'yes',
			note: `${HOSTILE.arabic}\n${HOSTILE.script}\n${HOSTILE.emoji}`,
			evidence: [
				{
					title: `Ley 21.325 de Migración ${HOSTILE.cjk}`,
					type: 'law',
					issuingBody: 'Congreso Nacional',
					date: '2021-04-20',
					url: 'https://www.bcn.cl/leychile/navegar?idNorma=1158549',
					excerpt: HOSTILE.formulas[0]
				},
				{ title: HOSTILE.formulas[2], type: 'data', issuingBody: '', date: '2021', url: '', excerpt: '' }
			]
		},
		{ variableKey: 'O7.2', answer: 'partial', note: HOSTILE.formulas[1], evidence: [] },
		{
			variableKey: 'O13.1',
			answer: 'not_applicable',
			note: HOSTILE.formulas[3],
			evidence: [
				{
					title: HOSTILE.formulas[4],
					type: 'policy',
					issuingBody: HOSTILE.arabic,
					date: '2019-05',
					url: 'http://example.org/a?b=c&d=<e>',
					excerpt: 'Line one\nLine two'
				}
			]
		}
	];
}

export function buildRatings(rater: string): ExpertRating[] {
	return [
		{ rater, itemType: 'objective', itemKey: 'O7', value: 4, comment: `${HOSTILE.arabic} ${HOSTILE.script}` },
		{ rater, itemType: 'objective', itemKey: 'O13', value: null, comment: HOSTILE.formulas[0] },
		{ rater, itemType: 'principle', itemKey: 'human_rights', value: 1, comment: HOSTILE.emoji },
		{ rater: 'someone-else', itemType: 'principle', itemKey: 'child_sensitive', value: 5, comment: 'not mine' }
	];
}

/** A minimal zip writer: entries are deflated unless `stored`; sizes may be overridden to lie. */
export function makeZip(entries: { name: string; data: Buffer; stored?: boolean; declaredSize?: number }[]): Buffer {
	const locals: Buffer[] = [];
	const centrals: Buffer[] = [];
	let offset = 0;
	for (const e of entries) {
		const name = Buffer.from(e.name, 'utf8');
		const body = e.stored ? e.data : deflateRawSync(e.data);
		const size = e.declaredSize ?? e.data.length;
		const local = Buffer.alloc(30);
		local.writeUInt32LE(0x04034b50, 0);
		local.writeUInt16LE(20, 4);
		local.writeUInt16LE(e.stored ? 0 : 8, 8);
		local.writeUInt32LE(body.length, 18);
		local.writeUInt32LE(size, 22);
		local.writeUInt16LE(name.length, 26);
		const central = Buffer.alloc(46);
		central.writeUInt32LE(0x02014b50, 0);
		central.writeUInt16LE(20, 4);
		central.writeUInt16LE(20, 6);
		central.writeUInt16LE(e.stored ? 0 : 8, 10);
		central.writeUInt32LE(body.length, 20);
		central.writeUInt32LE(size, 24);
		central.writeUInt16LE(name.length, 28);
		central.writeUInt32LE(offset, 42);
		locals.push(local, name, body);
		centrals.push(central, name);
		offset += 30 + name.length + body.length;
	}
	const cd = Buffer.concat(centrals);
	const eocd = Buffer.alloc(22);
	eocd.writeUInt32LE(0x06054b50, 0);
	eocd.writeUInt16LE(entries.length, 8);
	eocd.writeUInt16LE(entries.length, 10);
	eocd.writeUInt32LE(cd.length, 12);
	eocd.writeUInt32LE(offset, 16);
	return Buffer.concat([...locals, cd, eocd]);
}
