import { describe, expect, it } from 'vitest';
import {
	deskChanged,
	deskFieldOf,
	deskInputOf,
	deskName,
	deskValuesFromForm,
	deskValuesOf,
	importIssueRows,
	navOf,
	ratingFieldOf,
	ratingsToSave,
	ratingValuesFromForm,
	ratingValuesOf,
	stepsFor
} from './assessment-forms';

const HOSTILE = '<script>alert(1)</script> الهجرة 移民 ' + 'x'.repeat(300);

/** FormData as a browser would post the form for the given values (textareas with CRLF). */
function post(entries: Record<string, string>): FormData {
	const f = new FormData();
	for (const [k, v] of Object.entries(entries)) f.append(k, v);
	return f;
}

const stored = {
	answer: 'partial',
	note: `Line one\nLine two ${HOSTILE}`,
	version: 3,
	evidence: [
		{
			title: 'Ley 21.325 <b>',
			type: 'law' as const,
			issuingBody: 'Congreso',
			date: '2021-04',
			url: 'https://example.org/ley',
			excerpt: 'Artículo 1'
		}
	]
};

/** Re-posts the form exactly as rendered from `values` (what an untouched submit sends). */
function reposted(i: number, v: ReturnType<typeof deskValuesOf>, crlf = true): Record<string, string> {
	const nl = (s: string) => (crlf ? s.replace(/\n/g, '\r\n') : s);
	const out: Record<string, string> = {
		[deskName.answer(i)]: v.answer,
		[deskName.note(i)]: nl(v.note),
		[deskName.version(i)]: String(v.version),
		[deskName.base(i)]: v.base,
		[deskName.rows(i)]: String(v.evidence.length)
	};
	v.evidence.forEach((e, r) => {
		for (const f of ['title', 'type', 'issuingBody', 'date', 'url', 'excerpt'] as const) {
			out[deskName.evidence(i, r, f)] = nl(e[f]);
		}
	});
	return out;
}

describe('desk form values', () => {
	it('an untouched section is not changed, even with CRLF line breaks and an empty extra row', () => {
		const v = deskValuesOf('O1.2', stored);
		expect(v.evidence).toHaveLength(2);
		const [back] = deskValuesFromForm(post(reposted(0, v)), ['O1.2']);
		expect(back).toBeDefined();
		expect(deskChanged(back!)).toBe(false);
		expect(back!.version).toBe(3);
	});

	it('an unanswered variable left empty is not changed; choosing an answer is', () => {
		const v = deskValuesOf('O1.3', null);
		expect(v).toMatchObject({ answer: '', note: '', version: 0 });
		const [same] = deskValuesFromForm(post(reposted(0, v)), ['O1.3']);
		expect(deskChanged(same!)).toBe(false);
		const [answered] = deskValuesFromForm(post({ ...reposted(0, v), [deskName.answer(0)]: 'full' }), ['O1.3']);
		expect(deskChanged(answered!)).toBe(true);
		expect(deskInputOf(answered!).input).toEqual({
			variableKey: 'O1.3',
			answer: 'full',
			note: '',
			evidence: [],
			expectedVersion: 0
		});
	});

	it('a new evidence row, a removed row and an edited note are changes; input keeps row positions', () => {
		const v = deskValuesOf('O1.2', stored);
		const posted = {
			...reposted(0, v),
			[deskName.evidence(0, 0, 'remove')]: 'on',
			[deskName.evidence(0, 1, 'title')]: `  ${HOSTILE}  `,
			[deskName.evidence(0, 1, 'url')]: 'ftp://bad'
		};
		const [back] = deskValuesFromForm(post(posted), ['O1.2']);
		expect(deskChanged(back!)).toBe(true);
		const { input, rowOf } = deskInputOf(back!);
		expect(input.evidence).toHaveLength(1);
		expect(input.evidence[0]!.title).toBe(HOSTILE.trim());
		expect(input.note).toBe(stored.note);
		expect(rowOf).toEqual([1]);
		// The service reports evidence.0.url: it belongs to the second row of the form.
		expect(deskFieldOf('evidence.0.url', 0, rowOf)).toBe('q0-e1-url');
		expect(deskFieldOf('answer', 2, rowOf)).toBe('q2-answer');
		expect(deskFieldOf('evidence', 0, rowOf)).toBe('q0-e1-title');
		expect(deskFieldOf('variableKey', 0, rowOf)).toBeNull();
	});

	it('caps evidence rows and refuses garbage row counts and versions', () => {
		const [v] = deskValuesFromForm(post({ 'q0-rows': '100000', 'q0-version': '-4' }), ['O2.1']);
		expect(v!.evidence.length).toBe(50);
		expect(v!.version).toBe(0);
		const [w] = deskValuesFromForm(post({ 'q0-rows': 'abc' }), ['O2.1']);
		expect(w!.evidence).toEqual([]);
	});
});

describe('rating form values', () => {
	const items = [
		{ itemType: 'objective' as const, itemKey: 'O1', rated: true, value: 4, comment: 'Good' },
		{ itemType: 'objective' as const, itemKey: 'O2', rated: true, value: null, comment: '' },
		{ itemType: 'principle' as const, itemKey: 'human_rights', rated: false, value: null, comment: '' }
	];

	it('round-trips stored ratings and saves only what changed', () => {
		const storedValues = ratingValuesOf(items);
		expect(storedValues.map((v) => v.choice)).toEqual(['4', 'none', '']);
		const form = post({ 'rate-O1': '4', 'comment-O1': 'Good\r\n', 'rate-O2': 'none', 'rate-human_rights': '5' });
		const posted = ratingValuesFromForm(form, items);
		const { ratings, issues } = ratingsToSave(posted, storedValues);
		expect(issues).toEqual([]);
		expect(ratings).toEqual([{ itemType: 'principle', itemKey: 'human_rights', value: 5, comment: '' }]);
	});

	it('"cannot rate" is a null value; a comment without a choice is refused', () => {
		const storedValues = ratingValuesOf(items);
		const posted = ratingValuesFromForm(
			post({ 'rate-O1': 'none', 'comment-human_rights': HOSTILE, 'rate-O2': 'none' }),
			items
		);
		const { ratings, issues } = ratingsToSave(posted, storedValues);
		expect(ratings).toEqual([{ itemType: 'objective', itemKey: 'O1', value: null, comment: '' }]);
		expect(issues).toEqual([{ field: 'rate-human_rights', message: expect.stringContaining('cannot rate') }]);
	});

	it('passes values off the scale to the service as typed, and maps its issues back', () => {
		const posted = ratingValuesFromForm(post({ 'rate-human_rights': '7' }), items);
		const { ratings } = ratingsToSave(posted, ratingValuesOf(items));
		expect(ratings[0]?.value).toBe(7);
		const odd = ratingsToSave(ratingValuesFromForm(post({ 'rate-human_rights': 'x' }), items), ratingValuesOf(items));
		expect(odd.ratings[0]?.value).toBe('x');
		expect(ratingFieldOf('ratings.0.value', ratings)).toBe('rate-human_rights');
		expect(ratingFieldOf('ratings.0.comment', ratings)).toBe('comment-human_rights');
		expect(ratingFieldOf('ratings.3.value', ratings)).toBeNull();
	});
});

describe('steps and navigation', () => {
	it('offers only the steps the status and the permissions allow', () => {
		const all = {
			'assessment.update': true,
			'assessment.close_panel': true,
			'assessment.validate': true,
			'assessment.publish': true,
			'assessment.unpublish': true
		};
		expect(stepsFor('draft', all)).toEqual(['startDeskResearch']);
		expect(stepsFor('desk_research', all)).toEqual(['openPanel']);
		expect(stepsFor('expert_panel', all)).toEqual(['closePanel']);
		expect(stepsFor('validation', all)).toEqual(['reopenPanel', 'publish']);
		expect(stepsFor('published', all)).toEqual(['unpublish']);
		expect(stepsFor('validation', { 'assessment.validate': true })).toEqual(['reopenPanel']);
		expect(stepsFor('draft', {})).toEqual([]);
	});

	it('links the panel pages by relation', () => {
		expect(navOf(['expert'], { 'assessment.rate': true }, false)).toMatchObject({
			experts: false,
			ratings: true,
			validation: false,
			templates: true
		});
		expect(navOf(['coordinator'], { 'assessment.read_ratings': true }, false)).toMatchObject({
			experts: true,
			ratings: false,
			validation: true
		});
		expect(navOf(['country'], {}, false)).toMatchObject({ experts: false, templates: false });
	});
});

describe('upload issues', () => {
	it('splits sheet and column, keeps rows, and shows whole-file issues without a sheet', () => {
		expect(
			importIssueRows([
				{ field: 'Answers!answer', row: 12, message: 'must be one of …' },
				{ field: 'answers.csv!assessment_id', row: 2, message: 'names a different assessment' },
				{ field: 'file', message: 'is empty' },
				{ field: 'answers.3.check', message: 'second checks are recorded in the app' }
			])
		).toEqual([
			{ sheet: 'Answers', row: 12, column: 'answer', message: 'must be one of …' },
			{ sheet: 'answers.csv', row: 2, column: 'assessment_id', message: 'names a different assessment' },
			{ sheet: '', row: null, column: '', message: 'is empty' },
			{ sheet: '', row: null, column: 'answers.3.check', message: 'second checks are recorded in the app' }
		]);
	});
});
