/** Registry use cases: search, read and summarise initiatives, practices and actors. Runs per request. */
import type { Initiative } from '../../core/registry/initiative';
import type { Practice } from '../../core/registry/practice';
import { emptyQuery, type InitiativeQuery } from '../../core/registry/query';
import { DomainError } from '../../core/shared/errors';
import type { Db } from '../db/client';
import { readRegistryVersion } from '../db/data-version.repository';
import {
	countByCountry,
	countByObjective,
	countInitiatives,
	facetCounts,
	findInitiative,
	iterateInitiatives,
	searchPage,
	type FacetResult,
	type SearchResult
} from '../db/initiative.repository';
import {
	countPublicActors,
	findPublicActor,
	listPublicActors,
	publicActorIdsByName,
	publishedInitiativesOf,
	type PublicActorSummary,
	type WorkflowActor
} from '../db/actor.repository';
import { findPractice, listPractices } from '../db/practice.repository';
import { visibilityFor, type Viewer } from './viewer';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ACTOR_PAGE_SIZE = 100;

export interface RegistryStats {
	initiatives: number;
	countries: number;
	byCountry: Map<string, number>;
	byObjective: Map<number, number>;
}

/**
 * Facet counts and totals of public queries, keyed by the registry's data version (bumped in every
 * write transaction, on any process), so a cached answer is never older than the data and never
 * includes unpublished records: only public queries are cached.
 */
class FacetCache {
	private readonly entries = new Map<string, FacetResult>();
	constructor(private readonly max = 500) {}

	get(key: string): FacetResult | undefined {
		const hit = this.entries.get(key);
		if (hit) {
			this.entries.delete(key); // refresh recency
			this.entries.set(key, hit);
		}
		return hit;
	}

	set(key: string, value: FacetResult): void {
		this.entries.set(key, value);
		if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as string);
	}
}

/** The filter part of a query (sort and page do not change counts). */
function filterKey(q: InitiativeQuery): string {
	return JSON.stringify([
		q.q,
		q.countries,
		q.regions,
		q.actionTypes,
		q.initiatorKinds,
		q.scopes,
		q.objectives,
		q.regionalScope,
		q.predatesGcm,
		q.from,
		q.to
	]);
}

export function createRegistryService(db: Db) {
	const facetCache = new FacetCache();
	// Counts being computed, by cache key: concurrent misses of one filter (e.g. the start-up warm-up
	// and the first request) share one statement instead of each scanning the filtered set.
	const pending = new Map<string, Promise<FacetResult>>();
	// The last data version this service saw, to notice writes (by any process) and re-warm.
	let seenVersion: number | null = null;

	function computeCounts(key: string, query: InitiativeQuery): Promise<FacetResult> {
		const running = pending.get(key);
		if (running) return running;
		const started = facetCounts(db, query, 'published')
			.then((fresh) => {
				facetCache.set(key, fresh);
				return fresh;
			})
			.finally(() => pending.delete(key));
		pending.set(key, started);
		return started;
	}

	/** The unfiltered counts (home page, country list, /initiatives without filters) computed ahead. */
	function warmUnfiltered(version: number): Promise<FacetResult> {
		return computeCounts(`${version}|${filterKey(emptyQuery())}`, emptyQuery());
	}

	async function counts(viewer: Viewer, query: InitiativeQuery): Promise<FacetResult> {
		const visibility = visibilityFor(viewer);
		if (visibility !== 'published') return facetCounts(db, query, visibility);
		const version = await readRegistryVersion(db);
		if (seenVersion !== null && version !== seenVersion) {
			// The data changed since this service last answered: the unfiltered counts are the most
			// read, so start them now (in the background; errors are the next reader's to see).
			void warmUnfiltered(version).catch(() => undefined);
		}
		seenVersion = version;
		const key = `${version}|${filterKey(query)}`;
		return facetCache.get(key) ?? computeCounts(key, query);
	}

	return {
		/** A page of results with the total and facet counts under the same filter. */
		async search(viewer: Viewer, query: InitiativeQuery): Promise<SearchResult> {
			const items = await searchPage(db, query, visibilityFor(viewer));
			return { items, ...(await counts(viewer, query)) };
		},

		/**
		 * Computes and caches the public unfiltered counts (called by `gcm serve` once it listens, so
		 * the first visitor of the home page does not pay for a count over the whole registry).
		 */
		async warm(): Promise<void> {
			const version = await readRegistryVersion(db);
			seenVersion = version;
			await warmUnfiltered(version);
		},

		/** Total and facet counts alone. */
		facets(viewer: Viewer, query: InitiativeQuery): Promise<FacetResult> {
			return counts(viewer, query);
		},

		/** An initiative by id; unpublished or unknown ids are both "not found" to the public. */
		async get(viewer: Viewer, id: string): Promise<Initiative> {
			const found = UUID_RE.test(id) ? await findInitiative(db, id, visibilityFor(viewer)) : null;
			if (!found) throw new DomainError('INITIATIVE_NOT_FOUND', 'No such initiative');
			return found;
		},

		iterate(viewer: Viewer, query: InitiativeQuery): AsyncGenerator<Initiative[]> {
			return iterateInitiatives(db, query, visibilityFor(viewer));
		},

		/**
		 * Totals per country and objective. For the public these are the unfiltered facet counts,
		 * so the home page, country list and objectives list share one cached statement.
		 */
		async stats(viewer: Viewer): Promise<RegistryStats> {
			if (visibilityFor(viewer) === 'published') {
				const all = await counts(viewer, emptyQuery());
				const byCountry = new Map(all.facets.country.map((f) => [f.value, f.count] as const));
				const byObjective = new Map(all.facets.objective.map((f) => [Number(f.value), f.count] as const));
				return { initiatives: all.total, countries: byCountry.size, byCountry, byObjective };
			}
			const [initiatives, byCountry, byObjective] = await Promise.all([
				countInitiatives(db, visibilityFor(viewer)),
				countByCountry(db, visibilityFor(viewer)),
				countByObjective(db, visibilityFor(viewer))
			]);
			return { initiatives, countries: byCountry.size, byCountry, byObjective };
		},

		listPractices(viewer: Viewer): Promise<Practice[]> {
			return listPractices(db, visibilityFor(viewer));
		},

		async getPractice(viewer: Viewer, id: string): Promise<Practice> {
			const found = UUID_RE.test(id) ? await findPractice(db, id, visibilityFor(viewer)) : null;
			if (!found) throw new DomainError('PRACTICE_NOT_FOUND', 'No such practice');
			return found;
		},

		/** Publicly visible actors (the rule is in actor.repository.ts), by name, one page of 100. */
		async listActors(
			page = 1
		): Promise<{ items: PublicActorSummary[]; total: number; page: number; pageSize: number }> {
			const p = Number.isInteger(page) && page >= 1 && page <= 10_000 ? page : 1;
			const [items, total] = await Promise.all([
				listPublicActors(db, ACTOR_PAGE_SIZE, (p - 1) * ACTOR_PAGE_SIZE),
				countPublicActors(db)
			]);
			return { items, total, page: p, pageSize: ACTOR_PAGE_SIZE };
		},

		/** One publicly visible actor with its published initiatives; otherwise ACTOR_NOT_FOUND. */
		async getActor(
			id: string
		): Promise<{ actor: WorkflowActor; initiatives: { id: string; title: string; countries: string[] }[] }> {
			const actor = UUID_RE.test(id) ? await findPublicActor(db, id) : null;
			if (!actor) throw new DomainError('ACTOR_NOT_FOUND', 'No such actor');
			return { actor, initiatives: await publishedInitiativesOf(db, id) };
		},

		/**
		 * Which initiator names have a public actor page (name → actor id). A published initiative naming
		 * an unpublished actor shows the name as plain text: never a link to a draft.
		 */
		findActorLinks(names: readonly string[]): Promise<Map<string, string>> {
			return publicActorIdsByName(db, names.slice(0, 200));
		}
	};
}

export type RegistryService = ReturnType<typeof createRegistryService>;
