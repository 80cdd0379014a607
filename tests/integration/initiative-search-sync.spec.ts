/**
 * initiative_search (migration 0009, ADR 0008) is the published initiatives' search copy the public
 * full-text search ranks: it must equal `initiative` filtered on status = 'published', column for
 * column, after every kind of write: insert, update, publish, unpublish, delete, a file import (the
 * bulk path into an empty registry and the ordinary path), the bench loader, and a rolled-back write.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseInitiativeQuery } from '../../src/lib/core/registry/query';
import type { Database } from '../../src/lib/server/db/client';
import { insertDraft, transition, updateContent } from '../../src/lib/server/db/initiative-write.repository';
import { rows } from '../../src/lib/server/db/sql';
import { createServices } from '../../src/lib/server/runtime';
import { createRegistryService } from '../../src/lib/server/services/registry.service';
import { PUBLIC_API, SYSTEM_CLI } from '../../src/lib/server/services/viewer';
import { bulkLoad } from '../../bench/lib/load';
import { csvOf, initiativeInput, uniqueKey, utf8 } from './builders';
import { openTestDatabase, testEngines } from './harness';

const COLUMNS = `key, date_from, date_to, action_type, scope, regional_scope, predates_gcm, country_codes,
	objective_numbers, initiator_kind_keys, search_vector`;

/** Rows in one table and not the other, both ways (every column compared), and the two counts. */
async function difference(
	database: Database
): Promise<{ missing: number; extra: number; copies: number; published: number }> {
	const [r] = await rows<{ missing: number; extra: number; copies: number; published: number }>(
		database.db,
		sql.raw(`SELECT
		  (SELECT count(*) FROM (SELECT id, ${COLUMNS} FROM initiative WHERE status = 'published'
		     EXCEPT SELECT initiative_id, ${COLUMNS} FROM initiative_search) d)::int AS missing,
		  (SELECT count(*) FROM (SELECT initiative_id, ${COLUMNS} FROM initiative_search
		     EXCEPT SELECT id, ${COLUMNS} FROM initiative WHERE status = 'published') d)::int AS extra,
		  (SELECT count(*) FROM initiative_search)::int AS copies,
		  (SELECT count(*) FROM initiative WHERE status = 'published')::int AS published`)
	);
	return r!;
}

async function expectInSync(database: Database, published: number): Promise<void> {
	expect(await difference(database)).toEqual({ missing: 0, extra: 0, copies: published, published });
}

async function versionOf(database: Database, id: string): Promise<number> {
	const [r] = await rows<{ version: number }>(database.db, sql`SELECT version FROM initiative WHERE id = ${id}::uuid`);
	return Number(r!.version);
}

describe.each(testEngines())('initiative_search stays equal to the published initiatives (%s)', (engine) => {
	let database: Database;

	beforeAll(async () => {
		database = await openTestDatabase(engine);
	});
	afterAll(() => database.close());

	it('fills on a bulk import into an empty registry, then follows every write', async () => {
		const services = createServices(database);
		const keys = [uniqueKey('sync'), uniqueKey('sync'), uniqueKey('sync')];
		// Empty registry: the bulk path (ADR 0006) sets the copy's indexes and key aside too.
		const first = await services.transfer.importInitiatives(
			SYSTEM_CLI,
			utf8(
				csvOf([
					{ key: keys[0]!, countries: 'KEN', description: 'recruitment of workers' },
					{ key: keys[1]!, countries: 'CHL;MEX', objectives: '6;7' },
					{ key: keys[2]!, countries: 'GHA', title: 'Diaspora remittances' }
				])
			),
			'published'
		);
		expect(first.created).toBe(3);
		await expectInSync(database, 3);
		// Its indexes were rebuilt (same names as the migration's).
		const indexes = await rows<{ indexname: string }>(
			database.db,
			sql`SELECT indexname FROM pg_indexes WHERE tablename = 'initiative_search' ORDER BY indexname`
		);
		expect(indexes.map((i) => i.indexname)).toEqual([
			'initiative_search_action_type_idx',
			'initiative_search_country_codes_idx',
			'initiative_search_pkey',
			'initiative_search_vector_idx'
		]);

		// Ordinary import path: one record updated (new text and countries), one added as a draft.
		await services.transfer.importInitiatives(
			SYSTEM_CLI,
			utf8(csvOf([{ key: keys[0]!, countries: 'UGA;TZA', description: 'labour migration' }])),
			'published'
		);
		await services.transfer.importInitiatives(SYSTEM_CLI, utf8(csvOf([{ key: uniqueKey('sync') }])), 'draft');
		await expectInSync(database, 3);

		// Insert a draft (not copied), publish it (copied), edit it while published, unpublish it.
		const input = initiativeInput({ key: uniqueKey('sync'), countries: ['FRA'] });
		const id = await database.db.transaction((tx) =>
			insertDraft(tx, input, { ownerOrganisationId: null, createdBy: null })
		);
		expect(id).not.toBeNull();
		await expectInSync(database, 3);
		await database.db.transaction((tx) => transition(tx, id!, 1, ['draft'], 'published'));
		await expectInSync(database, 4);
		const edited = { ...input, title: 'Consular assistance', countries: ['DEU', 'FRA'], objectives: [14] };
		expect(
			await database.db.transaction((tx) =>
				updateContent(tx, id!, 2, ['published'], edited, ['countries', 'objectives'])
			)
		).toBe(true);
		await expectInSync(database, 4);
		const [copy] = await rows<{ country_codes: string[]; hits: boolean }>(
			database.db,
			sql`SELECT country_codes, search_vector @@ websearch_to_tsquery('english', 'consular') AS hits
			    FROM initiative_search WHERE initiative_id = ${id}::uuid`
		);
		expect(copy).toEqual({ country_codes: ['DEU', 'FRA'], hits: true });
		await database.db.transaction((tx) => transition(tx, id!, 3, ['published'], 'draft'));
		await expectInSync(database, 3);
		await database.db.transaction((tx) => transition(tx, id!, 4, ['draft'], 'published'));
		await expectInSync(database, 4);

		// A write that rolls back leaves the copy as it was.
		await database.db
			.transaction(async (tx) => {
				await transition(tx, id!, 5, ['published'], 'draft');
				throw new Error('roll back');
			})
			.catch(() => undefined);
		expect(await versionOf(database, id!)).toBe(5);
		await expectInSync(database, 4);

		// Several rows in one statement (what imports and bulk edits do), then a delete.
		await database.db.execute(
			sql`UPDATE initiative SET status = 'draft' WHERE key = ANY(${`{${keys[1]},${keys[2]}}`}::text[])`
		);
		await expectInSync(database, 2);
		await database.db.execute(sql`UPDATE initiative SET status = 'published'`);
		await expectInSync(database, 5);
		await database.db.execute(sql`DELETE FROM initiative WHERE id = ${id}::uuid`);
		await expectInSync(database, 4);
	});

	it('is filled by the bench loader, and the public ranked search reads it', async () => {
		await database.db.execute(sql`DELETE FROM initiative`);
		await expectInSync(database, 0);
		await bulkLoad(database, { size: 300, seed: 7 });
		await expectInSync(database, 300);

		// The ranked public search (from the copy) equals the SQL path (from `initiative`).
		const registry = createRegistryService(database.db);
		await registry.refreshIndex();
		const sqlPath = createRegistryService(database.db, { facetIndex: false });
		// The loader's most frequent country (Zipf-weighted), so every query below has matches.
		const [top] = await rows<{ iso3: string }>(
			database.db,
			sql`SELECT c AS iso3 FROM initiative_search, unnest(country_codes) c GROUP BY c ORDER BY count(*) DESC, c LIMIT 1`
		);
		const cases: Record<string, string>[] = [
			{ q: 'migration' },
			{ q: 'migration', region: '002' },
			{ q: 'migration', country: top!.iso3, offset: '2' },
			{ q: 'migrants', action_type: 'project' }
		];
		for (const params of cases) {
			const q = parseInitiativeQuery(new URLSearchParams({ ...params, limit: '10' }), { strict: true });
			expect(q.sort).toBe('relevance');
			const want = await sqlPath.search(PUBLIC_API, q);
			expect(want.total).toBeGreaterThan(0);
			// First the one-statement miss, then the page query of the cached path.
			for (const got of [await registry.search(PUBLIC_API, q), await registry.search(PUBLIC_API, q)]) {
				expect(got.items.map((i) => i.id)).toEqual(want.items.map((i) => i.id));
				expect(got.total).toBe(want.total);
				expect(got.facets).toEqual(want.facets);
			}
		}
	});
});
