import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/lib/server/db/client';
import { rows } from '../../src/lib/server/db/sql';
import { createServices } from '../../src/lib/server/runtime';
import { seedBundledData } from '../../src/lib/server/services/seed.service';
import { PUBLIC_API, SYSTEM_CLI } from '../../src/lib/server/services/viewer';
import { parseInitiativeQuery } from '../../src/lib/core/registry/query';
import type { Initiative } from '../../src/lib/core/registry/initiative';
import { bundledInitiatives, bundledPractices, listOf, type BundledRow } from './builders';
import { BUNDLED_DATA_DIR, openTestDatabase, tableCounts, testEngines } from './harness';

const csvRows = bundledInitiatives();
const csvPractices = bundledPractices();

/** Every record, in one page (the repository does not cap the limit; the URL parser does). */
function allQuery() {
	return { ...parseInitiativeQuery(new URLSearchParams(), { strict: true }), limit: 10_000 };
}

const orNull = (v: string) => (v.trim() === '' ? null : v);

describe.each(testEngines())('seedBundledData (%s)', (engine) => {
	let database: Database;
	let services: ReturnType<typeof createServices>;
	let byKey: Map<string, Initiative>;

	beforeAll(async () => {
		database = await openTestDatabase(engine);
		services = createServices(database);
	});
	afterAll(() => database.close());

	it('starts from an empty database', async () => {
		// The registry's data-version counter row is created by migration 0002 (a fresh PGlite has it).
		const { data_version: _counter, ...counts } = await tableCounts(database);
		expect(Object.values(counts).every((n) => n === 0)).toBe(true);
	});

	it('loads 105 initiatives and 4 practices', async () => {
		expect(csvRows).toHaveLength(105);
		expect(csvPractices).toHaveLength(4);
		const report = await seedBundledData(database, BUNDLED_DATA_DIR, { onlyIfEmpty: true });
		expect(report).toEqual({ initiatives: 105, practices: 4, skipped: false });
		const counts = await tableCounts(database);
		expect(counts.initiative).toBe(105);
		expect(counts.practice).toBe(4);
		const all = await services.registry.search(SYSTEM_CLI, allQuery());
		expect(all.total).toBe(105);
		expect(all.items).toHaveLength(105);
		byKey = new Map(all.items.map((i) => [i.key, i]));
		expect(new Set(byKey.keys())).toEqual(new Set(csvRows.map((r) => r.key)));
	});

	it('skips a second run with onlyIfEmpty and writes nothing', async () => {
		const before = await tableCounts(database);
		const report = await seedBundledData(database, BUNDLED_DATA_DIR, { onlyIfEmpty: true });
		expect(report).toEqual({ initiatives: 0, practices: 0, skipped: true });
		expect(await tableCounts(database)).toEqual(before);
	});

	it('keeps the per-table row counts of Annex 2', async () => {
		const expected = { Global: 17, Asia: 24, Europe: 10, 'Latin America': 10, Africa: 30, MENA: 14 };
		// The CSV itself agrees with the README table.
		const fromCsv: Record<string, number> = {};
		for (const r of csvRows) fromCsv[r.report_table] = (fromCsv[r.report_table] ?? 0) + 1;
		expect(fromCsv).toEqual(expected);
		const got = await rows<{ report_table: string; n: number }>(
			database.db,
			sql`SELECT report_table, count(*)::int AS n FROM initiative GROUP BY report_table`
		);
		expect(Object.fromEntries(got.map((r) => [r.report_table, Number(r.n)]))).toEqual(expected);
	});

	it('publishes every record (the public sees all 105 and the 4 practices)', async () => {
		const unpublished = await rows<{ n: number }>(
			database.db,
			sql`SELECT count(*)::int AS n FROM initiative WHERE status <> 'published' OR published_at IS NULL`
		);
		expect(Number(unpublished[0]?.n)).toBe(0);
		const unpublishedPractices = await rows<{ n: number }>(
			database.db,
			sql`SELECT count(*)::int AS n FROM practice WHERE status <> 'published' OR published_at IS NULL`
		);
		expect(Number(unpublishedPractices[0]?.n)).toBe(0);
		const publicAll = await services.registry.search(PUBLIC_API, allQuery());
		expect(publicAll.total).toBe(105);
		expect((await services.registry.stats(PUBLIC_API)).initiatives).toBe(105);
		expect(await services.registry.listPractices(PUBLIC_API)).toHaveLength(4);
	});

	it('keeps every field of every CSV row through the round trip', async () => {
		const mismatches: string[] = [];
		const check = (row: BundledRow, field: string, got: unknown, want: unknown) => {
			if (JSON.stringify(got) !== JSON.stringify(want)) {
				mismatches.push(`${row.key}.${field}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
			}
		};
		for (const row of csvRows) {
			const i = byKey.get(row.key);
			if (!i) {
				mismatches.push(`${row.key}: missing`);
				continue;
			}
			check(row, 'title', i.title, row.title.trim());
			check(row, 'description', i.description, row.description.trim());
			check(row, 'actionType', i.actionType, row.action_type);
			check(row, 'initiatorKinds(set)', [...i.initiatorKinds].sort(), listOf(row.initiator_kinds).sort());
			check(row, 'initiators', i.initiators, listOf(row.initiators));
			check(row, 'scope', i.scope, row.scope);
			check(row, 'regionalScope', i.regionalScope, row.regional_scope === 'true');
			check(row, 'region', i.region, orNull(row.region));
			check(row, 'countries(set)', [...i.countries].sort(), listOf(row.countries).sort());
			check(row, 'dateStart', i.dateStart, orNull(row.date_start));
			check(row, 'dateEnd', i.dateEnd, orNull(row.date_end));
			check(row, 'datePrecision', i.datePrecision, row.date_precision);
			check(row, 'dateText', i.dateText, orNull(row.date_text));
			check(row, 'predatesGcm', i.predatesGcm, row.predates_gcm === 'true');
			check(row, 'objectives', i.objectives, listOf(row.objectives).map(Number));
			check(row, 'principles', i.principles, listOf(row.principles));
			check(
				row,
				'sources',
				i.sources,
				row.source_citation.trim() === '' ? [] : [{ citation: row.source_citation, url: null }]
			);
			check(row, 'verificationStatus', i.verificationStatus, row.verification_status);
			check(row, 'reportTable', i.reportTable, row.report_table);
			check(row, 'reportRow', i.reportRow, Number(row.report_row));
			check(row, 'originalText', i.originalText, orNull(row.original_text));
		}
		expect(mismatches).toEqual([]);
	});

	it('returns specific facts of the report through registry.get', async () => {
		const cop25 = byKey.get('mmc2019-global-02')!;
		const got = await services.registry.get(PUBLIC_API, cop25.id);
		expect(got).toMatchObject({
			title: 'Climate Change Conference - COP25',
			actionType: 'meeting',
			initiatorKinds: ['un'],
			initiators: ['UNFCCC'],
			scope: 'global',
			countries: ['CHL'],
			dateStart: '2019-12-02',
			dateEnd: '2019-12-13',
			datePrecision: 'day',
			dateText: '(2-13 December)',
			sources: [],
			reportTable: 'Global',
			reportRow: 2,
			status: 'published'
		});

		const pafom = await services.registry.get(PUBLIC_API, byKey.get('mmc2019-africa-22')!.id);
		expect(pafom.objectives).toEqual([1, 9, 10]);
		expect(pafom.reportTable).toBe('Africa');

		const childDetention = await services.registry.get(PUBLIC_API, byKey.get('mmc2019-global-11')!.id);
		expect(childDetention.objectives).toEqual([13]);

		// Judgement call 13: the Central America* plan names four countries.
		const la09 = csvRows.find((r) => r.key === 'mmc2019-latin-america-09')!;
		expect(listOf(la09.countries).sort()).toEqual(['GTM', 'HND', 'MEX', 'SLV']);
		const plan = await services.registry.get(PUBLIC_API, byKey.get('mmc2019-latin-america-09')!.id);
		expect([...plan.countries].sort()).toEqual(['GTM', 'HND', 'MEX', 'SLV']);
		expect(plan.regionalScope).toBe(true);
		expect(plan.scope).toBe('regional');
	});

	it('keeps the practices', async () => {
		const practices = await services.registry.listPractices(PUBLIC_API);
		const byPracticeKey = new Map(practices.map((p) => [p.key, p]));
		for (const row of csvPractices) {
			const p = byPracticeKey.get(row.key!);
			expect(p, row.key).toBeDefined();
			expect(p!.name).toBe(row.name!.trim());
			expect([...p!.countries].sort()).toEqual(listOf(row.countries).sort());
			expect(p!.periodStart).toBe(row.period_start ? Number(row.period_start) : null);
			expect(p!.periodEnd).toBe(row.period_end ? Number(row.period_end) : null);
			const again = await services.registry.getPractice(PUBLIC_API, p!.id);
			expect(again.key).toBe(row.key);
		}
	});

	it('exports the seeded data as CSV in the same format as the bundled file', async () => {
		// The bundled CSV is the public contract for imports and exports: exporting the seed in
		// report order must give the same records back (list order aside, see the two tests below).
		let text = '';
		for await (const chunk of services.transfer.exportInitiativesCsv(PUBLIC_API, allQuery())) text += chunk;
		const { parse } = await import('csv-parse/sync');
		const exported = parse(text, { columns: true }) as BundledRow[];
		expect(exported).toHaveLength(105);
		const exportedByKey = new Map(exported.map((r) => [r.key, r]));
		for (const row of csvRows) {
			const e = exportedByKey.get(row.key)!;
			for (const column of Object.keys(row) as (keyof BundledRow)[]) {
				if (column === 'countries' || column === 'initiator_kinds') {
					expect(listOf(e[column]).sort(), `${row.key}.${column}`).toEqual(listOf(row[column]).sort());
				} else expect(e[column], `${row.key}.${column}`).toBe(row[column]);
			}
		}
	});

	// Order carries no meaning for countries and initiator kinds: the app stores and exports them
	// sorted (data/mmc-2019/README.md), so exports are stable whatever order a file used.
	it('stores country and initiator-kind lists sorted, with the same members as the file', async () => {
		const la09 = byKey.get('mmc2019-latin-america-09')!;
		const fileCountries = listOf(csvRows.find((r) => r.key === la09.key)!.countries);
		expect(la09.countries).toEqual([...fileCountries].sort());
		const compound = csvRows.filter((r) => listOf(r.initiator_kinds).length > 1);
		expect(compound.length).toBeGreaterThan(0);
		for (const r of compound) expect(byKey.get(r.key)!.initiatorKinds).toEqual([...listOf(r.initiator_kinds)].sort());
	});
});
