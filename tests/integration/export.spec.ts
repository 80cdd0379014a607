/**
 * The CSV export formats pages in SQL (initiative-export.repository.ts). It must stay byte-identical
 * to the record mapping it replaced — `initiativeToCsvRecord` + `csvLine` over `iterateInitiatives` —
 * for every sort, filter and page size, on generated rows and on hostile values (formula prefixes,
 * quotes, commas, line breaks, unsorted lists, sources without URLs).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INITIATIVE_CSV_COLUMNS, initiativeToCsvRecord } from '../../src/lib/core/registry/initiative-csv';
import type { InitiativeInput } from '../../src/lib/core/registry/initiative';
import { parseInitiativeQuery, type InitiativeQuery } from '../../src/lib/core/registry/query';
import type { Database } from '../../src/lib/server/db/client';
import { MAX_CONCURRENT_PG_EXPORTS, iterateInitiativeCsv } from '../../src/lib/server/db/initiative-export.repository';
import { iterateInitiatives, upsertInitiatives } from '../../src/lib/server/db/initiative.repository';
import { rows } from '../../src/lib/server/db/sql';
import { csvLine } from '../../src/lib/server/io/csv';
import { createServices } from '../../src/lib/server/runtime';
import { seedBundledData } from '../../src/lib/server/services/seed.service';
import { PUBLIC_API, SYSTEM_CLI } from '../../src/lib/server/services/viewer';
import { generateInitiative } from '../../bench/lib/generate';
import { HOSTILE, initiativeInput, uniqueKey } from './builders';
import { BUNDLED_DATA_DIR, openTestDatabase, testEngines, type Engine } from './harness';

const queryOf = (params: Record<string, string> = {}): InitiativeQuery => ({
	...parseInitiativeQuery(new URLSearchParams(params), { strict: true }),
	limit: 10_000
});

async function collect(gen: AsyncGenerator<string>): Promise<string> {
	let s = '';
	for await (const chunk of gen) s += chunk;
	return s;
}

/** The export as it was written before the SQL formatting: records mapped and written in JS. */
async function referenceCsv(database: Database, query: InitiativeQuery, all: boolean): Promise<string> {
	let s = csvLine(INITIATIVE_CSV_COLUMNS);
	for await (const page of iterateInitiatives(database.db, query, all ? 'all' : 'published')) {
		for (const i of page) s += csvLine(initiativeToCsvRecord(i));
	}
	return s;
}

/** Values the formatting must treat exactly as csv.ts does. */
function hostileInputs(): InitiativeInput[] {
	const formula = ['=SUM(A1)', '+1', '-2', '@cmd', "'=already", "''+twice", '\tTab', '\rCR'];
	return [
		...formula.map((title, n) =>
			initiativeInput({
				key: uniqueKey('exp-formula'),
				title,
				description: `${formula[(n + 1) % formula.length]} and "quotes", commas,\nnew lines\r\n${HOSTILE.cjk}`,
				region: n % 2 === 0 ? '=Region, "x"' : null,
				dateText: n % 3 === 0 ? '"around" 2019' : null,
				originalText: n % 2 === 1 ? `@original ${HOSTILE.arabic}` : null,
				reportTable: n % 2 === 0 ? 'Table 3, "annex"' : null,
				reportRow: n % 2 === 0 ? n + 1 : null
			})
		),
		initiativeInput({
			key: uniqueKey('exp-lists'),
			// Lists as another writer might store them: not sorted (the export sorts them).
			countries: ['MEX', 'CHL', 'ARG'],
			objectives: [23, 2, 11],
			initiatorKinds: ['government', 'civil_society'],
			initiators: ['Zeta "quoted", org', '=Alpha', 'Mid; not split'.replace(';', ',')],
			principles: ['whole_of_society', 'human_rights', 'gender_responsive'],
			sources: [
				{ citation: 'First, "cited"', url: null },
				{ citation: '=Second', url: 'https://example.org/a?b=1,2' },
				{ citation: 'Third', url: null },
				{ citation: 'Fourth', url: null }
			],
			scope: 'regional',
			regionalScope: true,
			predatesGcm: true,
			datePrecision: 'predates_gcm',
			dateStart: null
		}),
		// Longer than the six elements compared in place: sorted by the subquery, sorted or not.
		initiativeInput({
			key: uniqueKey('exp-long-lists'),
			countries: ['ZAF', 'BRA', 'MEX', 'ARG', 'CHL', 'PER', 'COL', 'ECU'],
			objectives: [1, 2, 3, 5, 8, 13, 21],
			initiatorKinds: ['private_sector', 'government', 'civil_society']
		}),
		initiativeInput({
			key: uniqueKey('exp-unsorted-tail'),
			countries: ['ARG', 'BRA', 'CHL', 'COL', 'MEX', 'ECU'],
			objectives: [4, 9, 12, 23, 17]
		}),
		initiativeInput({ key: uniqueKey('exp-empty'), sources: [], initiators: [], initiatorKinds: [], objectives: [] })
	];
}

describe.each(testEngines())('CSV export formatted in SQL (%s)', (engine: Engine) => {
	let database: Database;
	let services: ReturnType<typeof createServices>;

	beforeAll(async () => {
		database = await openTestDatabase(engine);
		services = createServices(database);
		await seedBundledData(database, BUNDLED_DATA_DIR, { onlyIfEmpty: true });
		const generated = Array.from({ length: 1500 }, (_, i) => generateInitiative(7, i));
		await database.db.transaction(async (tx) => {
			await upsertInitiatives(tx, generated, 'published');
			await upsertInitiatives(tx, hostileInputs(), 'published');
			await upsertInitiatives(tx, [initiativeInput({ key: uniqueKey('exp-draft'), title: '=Draft' })], 'draft');
		});
	}, 120_000);
	afterAll(() => database.close());

	const cases: [string, Record<string, string>][] = [
		['every published record, newest first', {}],
		['oldest first', { sort: 'date_asc' }],
		['by title', { sort: 'title_asc' }],
		['recently updated', { sort: 'updated_desc' }],
		['full text, by relevance', { q: 'migrants' }],
		['a country and an action type', { country: 'MEX', action_type: 'project' }],
		['a filter matching nothing', { country: 'ATA', objective: '1', action_type: 'meeting' }]
	];

	it.each(cases)('%s: byte-identical to the record mapping', async (_name, params) => {
		const query = queryOf(params);
		const got = await collect(services.transfer.exportInitiativesCsv(PUBLIC_API, query));
		expect(got.split('\r\n').length).toBeGreaterThan(1);
		expect(got).toBe(await referenceCsv(database, query, false));
	});

	it('hostile values and drafts (operator export): byte-identical', async () => {
		const query = queryOf();
		const got = await collect(services.transfer.exportInitiativesCsv(SYSTEM_CLI, query));
		expect(got).toContain("'=Draft");
		expect(got).toContain("\"'''+twice");
		// Lists sorted on the way out, whatever their length and stored order.
		expect(got).toContain(',ARG;BRA;CHL;COL;ECU;MEX;PER;ZAF,');
		expect(got).toContain(',1;2;3;5;8;13;21,');
		expect(got).toContain(',4;9;12;17;23,');
		expect(got).toContain(',civil_society;government;private_sector,');
		expect(got).toBe(await referenceCsv(database, query, true));
	});

	it('pages of any size give the same bytes, in order', async () => {
		const query = queryOf({ sort: 'title_asc' });
		const whole = await collect(iterateInitiativeCsv(database.db, query, 'published'));
		const pages: string[] = [];
		for await (const page of iterateInitiativeCsv(database.db, query, 'published', { page: 7 })) pages.push(page);
		expect(pages.length).toBeGreaterThan(100);
		expect(pages.join('')).toBe(whole);
		// Read as one statement (a command with the database to itself): the same bytes.
		expect(await collect(iterateInitiativeCsv(database.db, query, 'published', { page: 7, whole: true }))).toBe(whole);
	});

	it('a record unpublished during an export: in the PostgreSQL snapshot and a whole read, left out of PGlite pages read after', async () => {
		const query = queryOf({ sort: 'title_asc' });
		const whole = await collect(iterateInitiativeCsv(database.db, query, 'published'));
		const lines = whole.split('\r\n').filter((l) => l !== '');
		const last = await rows<{ key: string }>(
			database.db,
			sql`SELECT key FROM initiative WHERE status = 'published' ORDER BY lower(title) DESC, key DESC LIMIT 1`
		);
		const key = last[0]!.key;
		expect(lines.at(-1)!.startsWith(`${key},`)).toBe(true);
		async function exportUnpublishingAfterFirstPage(whole: boolean): Promise<string> {
			const pages: string[] = [];
			try {
				for await (const page of iterateInitiativeCsv(database.db, query, 'published', { page: 50, whole })) {
					if (pages.length === 0)
						await database.db.execute(sql`UPDATE initiative SET status = 'draft' WHERE key = ${key}`);
					pages.push(page);
				}
			} finally {
				await database.db.execute(sql`UPDATE initiative SET status = 'published' WHERE key = ${key}`);
			}
			expect(pages.length).toBeGreaterThan(10);
			return pages.join('');
		}
		const paged = await exportUnpublishingAfterFirstPage(false);
		if (database.engine === 'postgres') expect(paged).toBe(whole);
		else
			expect(paged).toBe(
				lines
					.slice(0, -1)
					.map((l) => `${l}\r\n`)
					.join('')
			);
		// One statement (PGlite's WITH HOLD cursor is read when declared; PostgreSQL's snapshot): all of it.
		expect(await exportUnpublishingAfterFirstPage(true)).toBe(whole);
	});

	it('an export stopped early releases its cursor and connection; concurrent exports all finish', async () => {
		const query = queryOf({ sort: 'title_asc' });
		const whole = await collect(iterateInitiativeCsv(database.db, query, 'published'));
		// More early stops than PostgreSQL export slots: a slot not given back would hang here.
		for (let n = 0; n < MAX_CONCURRENT_PG_EXPORTS + 2; n++) {
			for await (const page of iterateInitiativeCsv(database.db, query, 'published', {
				page: 10,
				whole: n % 2 === 0
			})) {
				expect(page.length).toBeGreaterThan(0);
				break;
			}
		}
		const openCursors = await rows<{ n: number }>(
			database.db,
			sql`SELECT count(*)::int AS n FROM pg_cursors WHERE name LIKE 'gcm_export_%'`
		);
		expect(openCursors).toEqual([{ n: 0 }]);
		const idle = await rows<{ n: number }>(
			database.db,
			sql`SELECT count(*)::int AS n FROM pg_stat_activity
			    WHERE datname = current_database() AND state LIKE 'idle in transaction%'`
		);
		expect(idle).toEqual([{ n: 0 }]);
		// More concurrent exports than slots: the extra ones wait, then give the same bytes.
		const all = await Promise.all(
			Array.from({ length: MAX_CONCURRENT_PG_EXPORTS + 2 }, () =>
				collect(iterateInitiativeCsv(database.db, query, 'published', { page: 100 }))
			)
		);
		for (const got of all) expect(got).toBe(whole);
	});
});
