import { describe, expect, it } from 'vitest';
import { DomainError } from '../shared/errors';
import { countriesInRegion, encodeCursor, parseInitiativeQuery, queryToParams } from './query';

const parse = (qs: string, strict = true) => parseInitiativeQuery(new URLSearchParams(qs), { strict });

function issuesOf(qs: string, strict = true): { field: string; message: string }[] {
	try {
		parse(qs, strict);
	} catch (err) {
		if (err instanceof DomainError) return err.issues;
		throw err;
	}
	throw new Error(`expected ${qs} to be rejected`);
}

describe('parseInitiativeQuery', () => {
	it('defaults to the newest first, 20 per page', () => {
		const q = parse('');
		expect(q).toMatchObject({ q: null, sort: 'date_desc', limit: 20, offset: 0, countries: [], regionalScope: null });
	});

	it('reads repeated and comma-separated values as alternatives, deduplicated', () => {
		const q = parse('country=chl&country=MEX,CHL&action_type=meeting,coordination&objective=1&objective=13');
		expect(q.countries).toEqual(['CHL', 'MEX']);
		expect(q.actionTypes).toEqual(['meeting', 'coordination']);
		expect(q.objectives).toEqual([1, 13]);
	});

	it('sorts by relevance when there is a search text, unless told otherwise', () => {
		expect(parse('q=consultation').sort).toBe('relevance');
		expect(parse('q=consultation&sort=title_asc').sort).toBe('title_asc');
		expect(parse('sort=relevance').sort).toBe('date_desc');
	});

	it('turns partial dates into inclusive day bounds', () => {
		const q = parse('from=2019-02&to=2019');
		expect(q.from).toBe('2019-02-01');
		expect(q.to).toBe('2019-12-31');
	});

	it('names every bad parameter at once', () => {
		const issues = issuesOf('country=XX&objective=24&limit=0&regional_scope=maybe&from=2019-13&sort=random&bogus=1');
		expect(issues.map((i) => i.field).sort()).toEqual(
			['bogus', 'country', 'from', 'limit', 'objective', 'regional_scope', 'sort'].sort()
		);
	});

	it('rejects SQL-looking input as ordinary bad values', () => {
		for (const payload of ["1' OR '1'='1", '1;DROP TABLE initiative', 'date_desc; --']) {
			expect(issuesOf(`sort=${encodeURIComponent(payload)}`)[0]?.field).toBe('sort');
			expect(issuesOf(`objective=${encodeURIComponent(payload)}`)[0]?.field).toBe('objective');
			expect(issuesOf(`country=${encodeURIComponent(payload)}`)[0]?.field).toBe('country');
		}
	});

	it('ignores unknown parameters such as lang when not strict', () => {
		expect(parse('lang=es&country=CHL', false).countries).toEqual(['CHL']);
		expect(issuesOf('lang=es')[0]?.field).toBe('lang');
	});

	it('rejects an end date before the start date and over-long search text', () => {
		expect(issuesOf('from=2020&to=2019')[0]?.field).toBe('to');
		expect(issuesOf(`q=${'a'.repeat(201)}`)[0]?.field).toBe('q');
	});

	it('accepts its own cursors and rejects forged ones', () => {
		expect(parse(`cursor=${encodeCursor(40)}`).offset).toBe(40);
		expect(issuesOf('cursor=garbage')[0]?.field).toBe('cursor');
		expect(issuesOf(`cursor=${encodeCursor(40)}&offset=20`)[0]?.field).toBe('cursor');
	});

	it('round-trips through queryToParams', () => {
		const q = parse('q=data&country=MAR&region=002&scope=regional&predates_gcm=false&from=2019&limit=50&offset=50');
		expect(parse(queryToParams(q).toString())).toEqual(q);
	});
});

describe('countriesInRegion', () => {
	it('expands an M49 region to its countries', () => {
		const africa = countriesInRegion('002');
		expect(africa).toContain('MAR');
		expect(africa).toContain('ZAF');
		expect(africa).not.toContain('CHL');
		expect(countriesInRegion('419')).toContain('CHL');
	});
});
