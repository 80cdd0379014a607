/**
 * Facet counts of public queries are cached by data version: a write (on any connection) makes the
 * next public query recount, and drafts never reach the cached public answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseInitiativeQuery } from '../../src/lib/core/registry/query';
import type { Database } from '../../src/lib/server/db/client';
import { facetCounts } from '../../src/lib/server/db/initiative.repository';
import { createServices } from '../../src/lib/server/runtime';
import { PUBLIC_API, SYSTEM_CLI } from '../../src/lib/server/services/viewer';
import { csvOf, utf8 } from './builders';
import { openTestDatabase, testEngines } from './harness';

const query = (qs: string) => parseInitiativeQuery(new URLSearchParams(qs), { strict: true });

describe.each(testEngines())('facet cache (%s)', (engine) => {
	let database: Database;
	let services: ReturnType<typeof createServices>;

	beforeAll(async () => {
		database = await openTestDatabase(engine);
		services = createServices(database);
		await services.transfer.importInitiatives(
			SYSTEM_CLI,
			utf8(
				csvOf([
					{ key: 'c-1', countries: 'CHL' },
					{ key: 'c-2', countries: 'CHL;PER' }
				])
			),
			'published'
		);
	});
	afterAll(async () => {
		await database?.close();
	});

	it('recounts after a published write and ignores drafts', async () => {
		const q = query('country=CHL');
		const before = await services.registry.search(PUBLIC_API, q);
		expect(before.total).toBe(2);
		// Same query again: served from the cache, same answer.
		expect((await services.registry.facets(PUBLIC_API, q)).total).toBe(2);

		await services.transfer.importInitiatives(SYSTEM_CLI, utf8(csvOf([{ key: 'c-3', countries: 'CHL' }])), 'draft');
		const withDraft = await services.registry.search(PUBLIC_API, q);
		expect(withDraft.total).toBe(2);
		expect(withDraft.facets.country.find((f) => f.value === 'CHL')?.count).toBe(2);
		expect((await services.registry.search(SYSTEM_CLI, q)).total).toBe(3);

		await services.transfer.importInitiatives(SYSTEM_CLI, utf8(csvOf([{ key: 'c-3', countries: 'CHL' }])), 'published');
		const after = await services.registry.search(PUBLIC_API, q);
		expect(after.total).toBe(3);
		expect(after.items.map((i) => i.key).sort()).toEqual(['c-1', 'c-2', 'c-3']);
	});

	it('warm() caches the unfiltered counts, equal to an uncached count, and never with drafts', async () => {
		const fresh = createServices(database);
		await fresh.transfer.importInitiatives(
			SYSTEM_CLI,
			utf8(csvOf([{ key: 'w-draft', countries: 'ARE', title: '<script>alert(1)</script> مسودة' }])),
			'draft'
		);
		await fresh.registry.warm();
		const unfiltered = await fresh.registry.facets(PUBLIC_API, query(''));
		expect(unfiltered).toEqual(await facetCounts(database.db, query(''), 'published'));
		expect(unfiltered.facets.country.some((f) => f.value === 'ARE')).toBe(false);
		const stats = await fresh.registry.stats(PUBLIC_API);
		expect(stats.initiatives).toBe(unfiltered.total);
	});

	it('concurrent misses of one filter share a statement and agree; a write is seen right after', async () => {
		const fresh = createServices(database);
		const q = query('country=PER');
		const [a, b, c] = await Promise.all([
			fresh.registry.facets(PUBLIC_API, q),
			fresh.registry.search(PUBLIC_API, q),
			fresh.registry.warm().then(() => fresh.registry.facets(PUBLIC_API, q))
		]);
		expect(a.total).toBe(1);
		expect(b.total).toBe(1);
		expect(c).toEqual(a);
		const before = (await fresh.registry.stats(PUBLIC_API)).initiatives;
		await services.transfer.importInitiatives(
			SYSTEM_CLI,
			utf8(csvOf([{ key: 'w-pub', countries: 'PER' }])),
			'published'
		);
		// The write re-warms the unfiltered counts in the background; whichever answers, never stale.
		expect((await fresh.registry.facets(PUBLIC_API, q)).total).toBe(2);
		expect((await fresh.registry.stats(PUBLIC_API)).initiatives).toBe(before + 1);
	});
});
