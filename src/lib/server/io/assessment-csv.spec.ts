import { describe, expect, it } from 'vitest';
import { DomainError, type FieldIssue } from '../../core/shared/errors';
import { ASSESSMENT, buildAnswers, buildMethodology, buildRatings, HOSTILE } from './__fixtures__/assessment-builders';
import { deskCsv, parseDeskCsv, parseRatingsCsv, ratingsCsv } from './assessment-csv';
import { ASSESSMENT_IMPORT_LIMITS } from './assessment-workbook';

const m = buildMethodology();
const RATER = 'expert-3f9a';
const expectedDesk = { methodology: m, assessmentId: ASSESSMENT.id };
const expectedRatings = { ...expectedDesk, rater: RATER };
const enc = (s: string) => new TextEncoder().encode(s);

function issuesOf(fn: () => unknown): FieldIssue[] {
	try {
		fn();
	} catch (err) {
		expect(err).toBeInstanceOf(DomainError);
		expect((err as DomainError).code).toBe('IMPORT_INVALID');
		return (err as DomainError).issues;
	}
	throw new Error('expected IMPORT_INVALID');
}
const at = (issues: FieldIssue[]) => issues.map((i) => `${i.field}@${i.row ?? '-'}`);

function desk() {
	const answers = buildAnswers();
	answers.push({
		variableKey: 'O13.2',
		answer: 'no',
		note: ('x' + HOSTILE.arabic).repeat(1000).slice(0, ASSESSMENT_IMPORT_LIMITS.chars.note),
		evidence: []
	});
	return { answers, files: deskCsv({ methodology: m, assessment: ASSESSMENT, answers }) };
}

describe('desk findings CSV', () => {
	it('round-trips answers and evidence, formula prefixes escaped on the way out', () => {
		const { answers, files } = desk();
		expect(files.answers.startsWith('\uFEFFassessment_id,methodology_key')).toBe(true);
		expect(files.answers).toContain("'+1");
		expect(files.evidence).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
		expect(files.evidence).toContain("''=already quoted");
		const parsed = parseDeskCsv({ answers: enc(files.answers), evidence: enc(files.evidence) }, expectedDesk);
		expect(parsed.answers).toEqual(answers);
	});

	it('accepts rows the user added without identity cells, and an empty evidence file', () => {
		const { files } = desk();
		const added = `${files.evidence},,,O13.2,New source,Practice,,2024-01,https://x.example,\r\n`;
		const parsed = parseDeskCsv({ answers: enc(files.answers), evidence: enc(added) }, expectedDesk);
		expect(parsed.answers[3]?.evidence).toEqual([
			{ title: 'New source', type: 'practice', issuingBody: '', date: '2024-01', url: 'https://x.example', excerpt: '' }
		]);
		const header = files.evidence.split('\r\n')[0] + '\r\n';
		const none = parseDeskCsv({ answers: enc(files.answers), evidence: enc(header) }, expectedDesk);
		expect(none.answers.every((a) => a.evidence.length === 0)).toBe(true);
	});

	it('reports every problem together by file, column and line', () => {
		const { files } = desk();
		const extra = `${ASSESSMENT.id},gcm-test,1.0,O99.1,,,,,yes,\r\n`;
		const answers = files.answers.replace(',partial,', ',sometimes,') + extra;
		// File lines, counting the line breaks inside quoted multi-line notes.
		const lineOf = (needle: string) => answers.slice(0, answers.indexOf(needle)).split('\n').length;
		const evidence =
			files.evidence.split('\r\n')[0] +
			'\r\n,,,O7.1,Ok,law,,2019-02-29,https://ok.example,\r\n,,,O7.2,,memo,,,javascript:alert(1),\r\n';
		const issues = issuesOf(() => parseDeskCsv({ answers: enc(answers), evidence: enc(evidence) }, expectedDesk));
		expect(lineOf(',sometimes,')).toBe(5); // O7.1's note spans lines 2-4
		expect(at(issues)).toEqual([
			`answers.csv!answer@${lineOf(',sometimes,')}`,
			`answers.csv!variable_key@${lineOf(',O99.1,')}`,
			'evidence.csv!date@2',
			'evidence.csv!title@3',
			'evidence.csv!type@3',
			'evidence.csv!url@3'
		]);
		expect(issues[0]?.message).toContain('"sometimes" is not on the answer scale');
	});

	it('refuses files for another assessment or methodology, and reader-level problems', () => {
		const { files } = desk();
		const other = files.answers.replaceAll(ASSESSMENT.id, 'another');
		const issues = issuesOf(() => parseDeskCsv({ answers: enc(other), evidence: enc(files.evidence) }, expectedDesk));
		expect(at(issues)).toEqual(['answers.csv!assessment_id@2', 'answers.csv!assessment_id@-']);
		const v2 = issuesOf(() =>
			parseDeskCsv(
				{ answers: enc(files.answers), evidence: enc(files.evidence) },
				{ methodology: { ...m, version: '2.0' }, assessmentId: ASSESSMENT.id }
			)
		);
		expect(v2.map((i) => i.field)).toEqual(['answers.csv!methodology_version', 'evidence.csv!methodology_version']);
		const bad = issuesOf(() =>
			parseDeskCsv(
				{ answers: enc('variable_key,answer,wat\r\nO7.1,yes,1\r\n'), evidence: new Uint8Array([0xff, 0xfe, 0]) },
				expectedDesk
			)
		);
		expect(bad.map((i) => i.field)).toEqual([
			'answers.csv!wat',
			'answers.csv!assessment_id',
			'answers.csv!methodology_key',
			'answers.csv!methodology_version',
			'answers.csv!note',
			'evidence.csv'
		]);
		const big = new Uint8Array(ASSESSMENT_IMPORT_LIMITS.maxFileBytes + 1);
		expect(issuesOf(() => parseDeskCsv({ answers: big, evidence: big }, expectedDesk))[0]?.message).toContain('5 MB');
	});
});

describe('ratings CSV', () => {
	it('round-trips one expert’s ratings and refuses another expert’s file', () => {
		const text = ratingsCsv({
			methodology: m,
			assessment: ASSESSMENT,
			expert: { rater: RATER },
			ratings: buildRatings(RATER)
		});
		const parsed = parseRatingsCsv(enc(text), expectedRatings);
		expect(parsed.ratings).toEqual([
			...buildRatings(RATER).slice(0, 2),
			// Every objective is rated, the unscored O23 too (issue #5), so its row comes back empty.
			{ rater: RATER, itemType: 'objective', itemKey: 'O23', value: null, comment: '' },
			buildRatings(RATER)[2],
			{ rater: RATER, itemType: 'principle', itemKey: 'child_sensitive', value: null, comment: '' }
		]);
		expect(at(issuesOf(() => parseRatingsCsv(enc(text), { ...expectedRatings, rater: 'expert-other' })))).toEqual([
			'ratings.csv!rater@2'
		]);
	});

	it('reports bad ratings and items together', () => {
		const text = ratingsCsv({ methodology: m, assessment: ASSESSMENT, expert: { rater: RATER }, ratings: [] })
			.replace(
				',O7,Address and reduce vulnerabilities in migration,,',
				',O7,Address and reduce vulnerabilities in migration,7,'
			)
			.concat(',,,,principle,national_sovereignty,,3,\r\n,,,,objective,O13,,1,dup\r\n');
		const issues = issuesOf(() => parseRatingsCsv(enc(text), expectedRatings));
		expect(at(issues)).toEqual(['ratings.csv!rating@2', 'ratings.csv!item_key@7', 'ratings.csv!item_key@8']);
		expect(issues[2]?.message).toContain('appears twice (first at row 3)');
	});
});
