import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_METHODOLOGY } from '../../core/benchmarking/default-methodology';
import type { DeskAnswer, ExpertRating, Methodology } from '../../core/benchmarking/types';
import { DomainError, type FieldIssue } from '../../core/shared/errors';
import {
	ASSESSMENT,
	buildAnswers,
	buildMethodology,
	buildRatings,
	HOSTILE,
	makeZip
} from './__fixtures__/assessment-builders';
import {
	ASSESSMENT_IMPORT_LIMITS,
	buildDeskWorkbook,
	buildRatingsWorkbook,
	cellText,
	inspectXlsxContainer,
	isEvidenceDate,
	parseDeskWorkbook,
	parseRatingsWorkbook
} from './assessment-workbook';

const m = buildMethodology();
const expectedDesk = { methodology: m, assessmentId: ASSESSMENT.id };
const RATER = 'expert-3f9a';
const expectedRatings = { methodology: m, assessmentId: ASSESSMENT.id, rater: RATER };

async function load(buf: Buffer): Promise<ExcelJS.Workbook> {
	const wb = new ExcelJS.Workbook();
	await wb.xlsx.load(buf as unknown as ExcelJS.Buffer);
	return wb;
}

async function save(wb: ExcelJS.Workbook): Promise<Buffer> {
	return Buffer.from((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}

function sheet(wb: ExcelJS.Workbook, name: string): ExcelJS.Worksheet {
	const ws = wb.getWorksheet(name);
	if (!ws) throw new Error(`no sheet ${name}`);
	return ws;
}

/** Runs an import expected to fail and returns its issues. */
async function issuesOf(p: Promise<unknown>): Promise<FieldIssue[]> {
	try {
		await p;
	} catch (err) {
		expect(err).toBeInstanceOf(DomainError);
		const e = err as DomainError;
		expect(e.code).toBe('IMPORT_INVALID');
		return e.issues;
	}
	throw new Error('expected IMPORT_INVALID');
}

/** Empties a row the way a user deletes its contents (exceljs spliceRows is unreliable at the end). */
function clearRow(ws: ExcelJS.Worksheet, n: number): void {
	ws.getRow(n).eachCell({ includeEmpty: true }, (c) => (c.value = null));
}

const at = (issues: FieldIssue[]) => issues.map((i) => `${i.field}@${i.row ?? '-'}`);

/** The full answer list a template of `m` yields: every variable, unanswered ones as null. */
function allAnswers(answers: DeskAnswer[], methodology: Methodology = m): DeskAnswer[] {
	const by = new Map(answers.map((a) => [a.variableKey, a]));
	return methodology.variables.map(
		(v) => by.get(v.key) ?? { variableKey: v.key, answer: null, note: '', evidence: [] }
	);
}

async function deskTemplate(answers: DeskAnswer[] = buildAnswers()): Promise<Buffer> {
	return buildDeskWorkbook({ methodology: m, assessment: ASSESSMENT, answers });
}

describe('desk findings workbook', () => {
	it('round-trips answers and evidence, hostile text and formula-looking strings included', async () => {
		const longNote = (HOSTILE.arabic + ' ' + HOSTILE.emoji + ' ')
			.repeat(400)
			.slice(0, ASSESSMENT_IMPORT_LIMITS.chars.note);
		const answers = buildAnswers();
		answers.push({ variableKey: 'O13.2', answer: 'unknown', note: longNote, evidence: [] });
		const buf = await deskTemplate(answers);
		const parsed = await parseDeskWorkbook(buf, expectedDesk);
		expect(parsed.answers).toEqual(allAnswers(answers));
		expect(parsed.answers[3]?.note.length).toBe(ASSESSMENT_IMPORT_LIMITS.chars.note);
		// Uint8Array input works the same.
		const again = await parseDeskWorkbook(new Uint8Array(buf), expectedDesk);
		expect(again.answers).toEqual(parsed.answers);
	});

	it('writes formula-looking text as string cells, never as formulas', async () => {
		const wb = await load(await deskTemplate());
		const answers = sheet(wb, 'Answers');
		const note = answers.getCell('G3'); // O7.2, note "+1"
		expect(note.value).toBe('+1');
		expect(note.type).toBe(ExcelJS.ValueType.String);
		expect(note.formula).toBeUndefined();
		const excerpt = sheet(wb, 'Evidence').getCell('G2');
		expect(excerpt.value).toBe(HOSTILE.formulas[0]);
		expect(excerpt.type).toBe(ExcelJS.ValueType.String);
	});

	it('lays out instructions, locked display columns, drop-downs and a hidden _meta sheet', async () => {
		const wb = await load(await deskTemplate());
		expect(wb.worksheets.map((w) => w.name)).toEqual(['Instructions', 'Answers', 'Evidence', '_lists', '_meta']);
		expect(sheet(wb, '_meta').state).toBe('veryHidden');
		expect(sheet(wb, '_lists').state).toBe('veryHidden');
		const answers = sheet(wb, 'Answers');
		expect(answers.getRow(1).values).toEqual([
			undefined,
			'Variable key',
			'Objective',
			'Question',
			'Guidance',
			'GCM paragraph',
			'Answer',
			'Note'
		]);
		expect(answers.getCell('A2').value).toBe('O7.1');
		expect(String(answers.getCell('B2').value)).toContain('Address and reduce vulnerabilities');
		expect(answers.getCell('C2').value).toContain('<script>');
		// Sheet protection with the key and question locked and the inputs unlocked.
		expect((answers as unknown as { sheetProtection: { sheet: boolean } }).sheetProtection.sheet).toBe(true);
		// Locked is Excel's default, so exceljs reads a locked cell back without a protection entry.
		expect(answers.getCell('A2').protection?.locked ?? true).toBe(true);
		expect(answers.getCell('C2').protection?.locked ?? true).toBe(true);
		expect(answers.getCell('F2').protection?.locked).toBe(false);
		expect(answers.getCell('G5').protection?.locked).toBe(false);
		const dv = (answers as unknown as { dataValidations: { model: Record<string, ExcelJS.DataValidation> } })
			.dataValidations.model;
		expect(dv['F2']?.type).toBe('list');
		expect(dv['F2']?.formulae).toEqual(["'_lists'!$A$2:$A$6"]);
		const evDv = (
			sheet(wb, 'Evidence') as unknown as { dataValidations: { model: Record<string, ExcelJS.DataValidation> } }
		).dataValidations.model;
		expect(evDv['C10']?.formulae).toEqual(["'_lists'!$C$2:$C$7"]);
		expect(evDv['A10']?.formulae).toEqual(["'_lists'!$B$2:$B$5"]);
		const lists = sheet(wb, '_lists');
		expect([2, 3, 4, 5, 6].map((r) => lists.getCell(r, 1).value)).toEqual([
			'yes',
			'partial',
			'no',
			'not_applicable',
			'unknown'
		]);
		const ins = sheet(wb, 'Instructions');
		const text: string[] = [];
		ins.eachRow((row) => row.eachCell((c) => text.push(String(c.value))));
		expect(text).toContain(ASSESSMENT.id);
		expect(text).toContain('Chile (CHL)');
		expect(text).toContain('Fully in place');
		expect(text).toContain('regulation');
		const meta = new Map<string, unknown>();
		sheet(wb, '_meta').eachRow((row) => meta.set(String(row.getCell(1).value), row.getCell(2).value));
		expect(meta.get('assessment_id')).toBe(ASSESSMENT.id);
		expect(meta.get('methodology_key')).toBe('gcm-test');
		expect(meta.get('methodology_version')).toBe('1.0');
		expect(meta.get('template_kind')).toBe('desk_findings');
		expect(meta.get('template_version')).toBe(1);
	});

	it('builds a Spanish template that parses back', async () => {
		const buf = await buildDeskWorkbook({
			methodology: m,
			assessment: ASSESSMENT,
			answers: buildAnswers(),
			locale: 'es'
		});
		const wb = await load(buf);
		expect(sheet(wb, 'Answers').getCell('F1').value).toBe('Respuesta');
		expect(sheet(wb, 'Answers').getCell('C2').value).toContain(HOSTILE.arabic);
		expect((await parseDeskWorkbook(buf, expectedDesk)).answers).toEqual(allAnswers(buildAnswers()));
	});

	it('parses edits made in a spreadsheet program, normalising typed dates, numbers and links', async () => {
		const wb = await load(await deskTemplate());
		const answers = sheet(wb, 'Answers');
		answers.getCell('F2').value = ' No '; // case and whitespace are forgiven
		answers.getCell('G2').value = { richText: [{ text: 'Bold ' }, { text: 'نص' }] };
		answers.getCell('F3').value = null; // cleared → unanswered
		answers.getCell('G4').value = 'line 1\r\nline 2';
		clearRow(answers, 5); // O13.2 row emptied → not in the result (left unchanged)
		const ev = sheet(wb, 'Evidence');
		// A date pasted into the text-formatted column arrives as an Excel serial number…
		ev.getCell('E2').value = new Date(Date.UTC(2020, 1, 29));
		// …and one in a date-formatted cell as a Date.
		ev.getCell('E4').value = new Date(Date.UTC(2019, 4, 31));
		// (a fresh style object: exceljs shares loaded styles between cells)
		ev.getCell('E4').style = { ...ev.getCell('E4').style, numFmt: 'dd/mm/yyyy' };
		ev.getCell('E3').value = 2018;
		ev.getCell('F3').value = { text: 'Ministry site', hyperlink: 'https://gob.example/informe' };
		ev.getRow(5).values = ['o13.1', '  Decreto 296  ', 'REGULATION', '', '', '', ''];
		const parsed = await parseDeskWorkbook(await save(wb), expectedDesk);
		expect(parsed.answers.map((a) => [a.variableKey, a.answer, a.note])).toEqual([
			['O7.1', 'no', 'Bold نص'],
			['O7.2', null, '+1'],
			['O13.1', 'not_applicable', 'line 1\nline 2']
		]);
		const e71 = parsed.answers[0]?.evidence ?? [];
		expect(e71.map((e) => [e.date, e.url])).toEqual([
			['2020-02-29', 'https://www.bcn.cl/leychile/navegar?idNorma=1158549'],
			['2018', 'https://gob.example/informe']
		]);
		expect(parsed.answers[2]?.evidence.map((e) => [e.title, e.type, e.date])).toEqual([
			[HOSTILE.formulas[4], 'policy', '2019-05-31'],
			['Decreto 296', 'regulation', '']
		]);
	});

	it('reports every problem together, by sheet, column and row', async () => {
		const wb = await load(await deskTemplate());
		const a = sheet(wb, 'Answers');
		a.getCell('F2').value = 'maybe'; // row 2: answer not in scale
		a.getCell('A3').value = 'O99.9'; // row 3: unknown variable
		a.getCell('A4').value = 'O7.1'; // row 4: duplicate
		a.getCell('G5').value = 'x'.repeat(ASSESSMENT_IMPORT_LIMITS.chars.note + 1); // row 5: too long
		a.getCell('F5').value = { formula: 'IF(1,"yes","no")', result: 'yes' }; // row 5: formula
		const e = sheet(wb, 'Evidence');
		e.getRow(2).values = ['O7.1', 'Title', 'rumour', '', '31/12/2019', 'javascript:alert(1)', ''];
		e.getRow(3).values = ['O42.1', '', '', '', '2019-13', 'ftp://files.example/x', ''];
		e.getRow(4).values = ['O7.1', 'T', 'law', '', '2019-02-30', 'https://ok.example', { error: '#N/A' }];
		const issues = await issuesOf(parseDeskWorkbook(await save(wb), expectedDesk));
		expect(at(issues).sort()).toEqual(
			[
				'Answers!answer@2',
				'Answers!variable_key@3',
				'Answers!variable_key@4',
				'Answers!note@5',
				'Answers!answer@5',
				'Evidence!type@2',
				'Evidence!date@2',
				'Evidence!url@2',
				'Evidence!variable_key@3',
				'Evidence!title@3',
				'Evidence!type@3',
				'Evidence!date@3',
				'Evidence!url@3',
				'Evidence!excerpt@4',
				'Evidence!date@4'
			].sort()
		);
		const msg = (f: string, row: number) => issues.find((i) => i.field === f && i.row === row)?.message ?? '';
		expect(msg('Answers!answer@2'.split('@')[0] ?? '', 2)).toContain('yes, partial, no, not_applicable, unknown');
		expect(msg('Answers!answer', 2)).toContain('(cell F2)');
		expect(msg('Answers!answer', 5)).toContain('formula');
		expect(msg('Answers!variable_key', 4)).toContain('first at row 2');
		expect(msg('Answers!note', 5)).toContain(`limit is ${ASSESSMENT_IMPORT_LIMITS.chars.note}`);
		expect(msg('Evidence!excerpt', 4)).toContain('#N/A');
		expect(msg('Evidence!date', 2)).toContain('YYYY-MM-DD');
	});

	it('refuses evidence for a variable whose Answers row was removed', async () => {
		const wb = await load(await deskTemplate());
		clearRow(sheet(wb, 'Answers'), 2); // O7.1 has evidence in rows 2-3
		const issues = await issuesOf(parseDeskWorkbook(await save(wb), expectedDesk));
		expect(at(issues)).toEqual(['Evidence!variable_key@2', 'Evidence!variable_key@3']);
		expect(issues[0]?.message).toContain('no row in Answers;');
	});

	it('reports missing sheets and headers', async () => {
		const wb = await load(await deskTemplate());
		wb.removeWorksheet(sheet(wb, 'Evidence').id);
		sheet(wb, 'Answers').getCell('F1').value = 'My answer';
		const issues = await issuesOf(parseDeskWorkbook(await save(wb), expectedDesk));
		expect(at(issues)).toEqual(['Answers!answer@1', 'Evidence@-']);
	});

	it('refuses a workbook for another assessment, methodology or template kind', async () => {
		const buf = await deskTemplate();
		const other = await issuesOf(parseDeskWorkbook(buf, { methodology: m, assessmentId: 'another-id' }));
		expect(at(other)).toEqual(['_meta!assessment_id@-']);
		expect(other[0]?.message).toContain('different assessment');
		const v2 = await issuesOf(
			parseDeskWorkbook(buf, { methodology: { ...m, version: '2.0' }, assessmentId: ASSESSMENT.id })
		);
		expect(v2[0]?.message).toContain('gcm-test 1.0, but the assessment uses gcm-test 2.0');
		const ratings = await buildRatingsWorkbook({
			methodology: m,
			assessment: ASSESSMENT,
			expert: { rater: RATER },
			ratings: []
		});
		const kind = await issuesOf(parseDeskWorkbook(ratings, expectedDesk));
		expect(kind[0]?.message).toContain('expert ratings template, not a desk findings template');
		const wb = await load(buf);
		wb.removeWorksheet(sheet(wb, '_meta').id);
		const noMeta = await issuesOf(parseDeskWorkbook(await save(wb), expectedDesk));
		expect(noMeta[0]?.field).toBe('_meta');
	});

	it('refuses too many rows', async () => {
		const wb = await load(await deskTemplate());
		const ev = sheet(wb, 'Evidence');
		for (let r = 2; r <= ASSESSMENT_IMPORT_LIMITS.maxEvidenceRows + 2; r++) ev.getCell(r, 1).value = 'O7.1';
		const issues = await issuesOf(parseDeskWorkbook(await save(wb), expectedDesk));
		expect(issues.some((i) => i.field === 'Evidence' && i.message.includes('more than 10000 filled rows'))).toBe(true);
	});

	it('caps the number of issues reported', async () => {
		const wb = await load(await deskTemplate());
		const ev = sheet(wb, 'Evidence');
		for (let r = 2; r < 400; r++) ev.getRow(r).values = ['nope', '', 'bad', '', 'never', 'mailto:x@y', ''];
		const issues = await issuesOf(parseDeskWorkbook(await save(wb), expectedDesk));
		expect(issues.length).toBe(ASSESSMENT_IMPORT_LIMITS.maxIssues + 1);
		expect(issues.at(-1)?.message).toContain('only the first 200');
	});
});

describe('default methodology', () => {
	it('round-trips every variable and rated item of gcm-benchmark in full (Spanish template)', async () => {
		const d = DEFAULT_METHODOLOGY;
		const answers: DeskAnswer[] = d.variables.map((v, i) => ({
			variableKey: v.key,
			answer: i % 7 === 6 ? null : (d.answerScale[i % d.answerScale.length]?.key ?? null),
			note: i % 2 ? `${HOSTILE.arabic} ${i}` : '',
			evidence:
				i % 3 === 0
					? [
							{
								title: `Fuente ${i} ${HOSTILE.script}`,
								type: 'law',
								issuingBody: 'Congreso',
								date: '2020-01',
								url: '',
								excerpt: ''
							}
						]
					: []
		}));
		const assessment = { ...ASSESSMENT };
		const buf = await buildDeskWorkbook({ methodology: d, assessment, answers, locale: 'es' });
		const parsed = await parseDeskWorkbook(buf, { methodology: d, assessmentId: assessment.id });
		expect(parsed.answers).toEqual(answers);

		const ratings: ExpertRating[] = [
			...d.objectives
				.filter((o) => o.scored)
				.map((o) => ({ itemType: 'objective' as const, itemKey: `O${o.number}` as const })),
			...d.principles.filter((p) => p.scored).map((p) => ({ itemType: 'principle' as const, itemKey: p.key }))
		].map((item, i) => ({
			rater: RATER,
			...item,
			value: i % 5 === 4 ? null : (d.ratingScale[i % d.ratingScale.length]?.value ?? null),
			comment: `${i}`
		}));
		const rb = await buildRatingsWorkbook({
			methodology: d,
			assessment,
			expert: { rater: RATER },
			ratings,
			locale: 'es'
		});
		const back = await parseRatingsWorkbook(rb, { methodology: d, assessmentId: assessment.id, rater: RATER });
		expect(back.ratings).toEqual(ratings);
	});
});

describe('hostile files', () => {
	it('refuses non-xlsx, empty, truncated, oversized and legacy files without crashing', async () => {
		const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251));
		expect((await issuesOf(parseDeskWorkbook(garbage, expectedDesk)))[0]?.message).toContain('not an .xlsx');
		expect((await issuesOf(parseDeskWorkbook(Buffer.alloc(0), expectedDesk)))[0]?.message).toBe('is empty');
		const csv = Buffer.from('variable_key,answer\nO7.1,yes\n');
		expect((await issuesOf(parseDeskWorkbook(csv, expectedDesk)))[0]?.message).toContain('CSV upload');
		const good = await deskTemplate();
		const truncated = good.subarray(0, Math.floor(good.length * 0.6));
		expect((await issuesOf(parseDeskWorkbook(truncated, expectedDesk)))[0]?.message).toContain('damaged or incomplete');
		const big = Buffer.alloc(ASSESSMENT_IMPORT_LIMITS.maxFileBytes + 1);
		big.writeUInt32LE(0x04034b50, 0);
		expect((await issuesOf(parseDeskWorkbook(big, expectedDesk)))[0]?.message).toContain('larger than 5 MB');
		const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(600)]);
		expect((await issuesOf(parseDeskWorkbook(ole, expectedDesk)))[0]?.message).toContain('encrypted or old-format');
		// A valid zip that is not a workbook reaches exceljs and is refused cleanly.
		const notWorkbook = makeZip([{ name: 'hello.txt', data: Buffer.from('hi') }]);
		expect((await issuesOf(parseDeskWorkbook(notWorkbook, expectedDesk))).length).toBe(1);
	});

	it('flips bytes in the middle of a real workbook and still answers IMPORT_INVALID', async () => {
		const good = await deskTemplate();
		const bad = Buffer.from(good);
		for (let i = 200; i < bad.length - 200; i += 97) bad[i] = (bad[i] ?? 0) ^ 0x5a;
		const issues = await issuesOf(parseDeskWorkbook(bad, expectedDesk));
		expect(issues.length).toBeGreaterThan(0);
	});

	it('refuses zip bombs: entries larger than declared, or huge declared sizes', () => {
		const zeros = Buffer.alloc(20 * 1024 * 1024);
		const lying = makeZip([{ name: 'xl/worksheets/sheet1.xml', data: zeros, declaredSize: 1000 }]);
		expect(lying.length).toBeLessThan(100_000);
		expect(inspectXlsxContainer(lying)).toContain('zip bomb');
		const huge = makeZip([
			{ name: 'a.xml', data: Buffer.from('x'), declaredSize: 30 * 1024 * 1024 },
			{ name: 'b.xml', data: Buffer.from('x'), declaredSize: 30 * 1024 * 1024 }
		]);
		expect(inspectXlsxContainer(huge)).toContain('unpacks to more than 40 MB');
	});

	it('refuses data validation or merged ranges that exceljs would expand cell by cell', async () => {
		const xml = (body: string) =>
			Buffer.from(`<?xml version="1.0"?><worksheet><sheetData/>${body}</worksheet>`, 'utf8');
		const whole = makeZip([
			{
				name: 'xl/worksheets/sheet1.xml',
				data: xml('<dataValidations count="1"><dataValidation type="list" sqref="A1:XFD1048576"/></dataValidations>')
			}
		]);
		expect(inspectXlsxContainer(whole)).toContain('covering more than 250000 cells');
		const merges = makeZip([
			{ name: 'xl/worksheets/sheet2.xml', data: xml('<mergeCells><mergeCell ref="A1:Z100000"/></mergeCells>') }
		]);
		expect((await issuesOf(parseDeskWorkbook(merges, expectedDesk)))[0]?.message).toContain('merged cells');
		// The template's own ranges are well within the limit.
		expect(inspectXlsxContainer(await deskTemplate())).toBeNull();
	});
});

describe('expert ratings workbook', () => {
	it('round-trips one expert’s ratings; empty rating means cannot rate', async () => {
		const buf = await buildRatingsWorkbook({
			methodology: m,
			assessment: ASSESSMENT,
			expert: { rater: RATER },
			ratings: buildRatings(RATER)
		});
		const wb = await load(buf);
		const ws = sheet(wb, 'Ratings');
		// Every objective (the unscored O23 too: experts rate every objective), then the scored
		// principles; the unscored principle (national sovereignty) is absent.
		const keys: unknown[] = [];
		ws.eachRow((row, n) => n > 1 && keys.push(row.getCell(2).value));
		expect(keys).toEqual(['O7', 'O13', 'O23', 'human_rights', 'child_sensitive']);
		expect(ws.getCell('C2').value).toBe('Address and reduce vulnerabilities in migration');
		expect(ws.getCell('C6').value).toBe('Child-sensitive');
		expect(ws.getCell('E3').type).toBe(ExcelJS.ValueType.String);
		const parsed = await parseRatingsWorkbook(buf, expectedRatings);
		expect(parsed.ratings).toEqual([
			...buildRatings(RATER).slice(0, 2),
			{ rater: RATER, itemType: 'objective', itemKey: 'O23', value: null, comment: '' },
			buildRatings(RATER)[2],
			// Another rater's rating is never pre-filled into this expert's template.
			{ rater: RATER, itemType: 'principle', itemKey: 'child_sensitive', value: null, comment: '' }
		]);
	});

	it('parses edits and reports every problem together', async () => {
		const base = await buildRatingsWorkbook({
			methodology: m,
			assessment: ASSESSMENT,
			expert: { rater: RATER },
			ratings: []
		});
		const edited = await load(base);
		const ws = sheet(edited, 'Ratings');
		ws.getCell('D2').value = '5';
		ws.getCell('D3').value = 2;
		ws.getCell('E3').value = HOSTILE.formulas[3];
		clearRow(ws, 4);
		clearRow(ws, 5);
		clearRow(ws, 6);
		const ok = await parseRatingsWorkbook(await save(edited), expectedRatings);
		expect(ok.ratings.map((r) => [r.itemKey, r.value, r.comment])).toEqual([
			['O7', 5, ''],
			['O13', 2, '@SUM(A1)']
		]);

		const wb = await load(base);
		const bad = sheet(wb, 'Ratings');
		bad.getCell('D2').value = 6;
		bad.getCell('D3').value = 2.5;
		bad.getCell('B4').value = 'O22'; // not an objective of this methodology
		bad.getRow(6).values = ['objective', 'O7', '', 'three', ''];
		bad.getCell('A5').value = 'objective'; // human_rights is a principle
		bad.getRow(8).values = ['principle', 'national_sovereignty', '', '1', ''];
		bad.getCell('E5').value = { formula: 'A1' };
		const issues = await issuesOf(parseRatingsWorkbook(await save(wb), expectedRatings));
		expect(at(issues).sort()).toEqual(
			[
				'Ratings!rating@2',
				'Ratings!rating@3',
				'Ratings!item_key@4',
				'Ratings!comment@5',
				'Ratings!item_key@6',
				'Ratings!item_type@5',
				'Ratings!item_key@8'
			].sort()
		);
		expect(issues.find((i) => i.row === 2)?.message).toContain('use one of: 1, 2, 3, 4, 5');
	});

	it('refuses another expert’s workbook and another assessment', async () => {
		const buf = await buildRatingsWorkbook({
			methodology: m,
			assessment: ASSESSMENT,
			expert: { rater: RATER },
			ratings: []
		});
		expect(at(await issuesOf(parseRatingsWorkbook(buf, { ...expectedRatings, rater: 'expert-other' })))).toEqual([
			'_meta!rater@-'
		]);
		expect(at(await issuesOf(parseRatingsWorkbook(buf, { ...expectedRatings, assessmentId: 'x' })))).toEqual([
			'_meta!assessment_id@-'
		]);
		const desk = await deskTemplate();
		expect((await issuesOf(parseRatingsWorkbook(desk, expectedRatings)))[0]?.message).toContain(
			'desk findings template'
		);
	});
});

describe('helpers', () => {
	it('accepts YYYY, YYYY-MM and real YYYY-MM-DD dates only', () => {
		expect(['2019', '2019-05', '2020-02-29'].map(isEvidenceDate)).toEqual([true, true, true]);
		expect(['2019-5', '2019-00', '2021-02-29', '19', '2019/05/01', '2019-05-01T00:00'].map(isEvidenceDate)).toEqual([
			false,
			false,
			false,
			false,
			false,
			false
		]);
	});

	it('strips characters a workbook cannot hold', () => {
		expect(cellText('a\u0000b\u0007c\td\ne\uD800')).toBe('abc\td\ne');
		expect(cellText(HOSTILE.emoji)).toBe(HOSTILE.emoji);
	});
});
