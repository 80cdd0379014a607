/** Registry use cases: search, read and summarise initiatives, practices and actors. Runs per request. */
import { FacetIndexBuilder, type FacetIndex } from '../../core/registry/facet-index';
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
	pageByIds,
	publishedPageAmong,
	searchPage,
	type FacetResult,
	type SearchResult
} from '../db/initiative.repository';
import {
	publishedFacetRows,
	publishedIdsMatching,
	publishedMatchesAndRankedPage,
	publishedRankedPageIds,
	readUnfilteredCounts,
	writeUnfilteredCounts
} from '../db/initiative-facet-index.repository';
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

export interface RegistryServiceOptions {
	/** Facet answers of public queries kept per filter (0: none, every query is a miss; benchmarks). */
	facetCacheSize?: number;
	/** Full-text match sets kept for the facet index, per search text (0: none). */
	textMatchCacheSize?: number;
	/** Build the in-memory facet index (ADR 0005); false: public counts always come from SQL. */
	facetIndex?: boolean;
	/**
	 * When warm() finds the unfiltered counts persisted, the index build starts this much later
	 * (default 1,000 ms), so the first requests after a restart do not queue behind its reads.
	 */
	warmIndexDelayMs?: number;
}

/** What the facet index holds (for benchmarks, tests and logs). */
export interface FacetIndexStatus {
	/** The data version of the installed index, or null before the first build. */
	version: number | null;
	/** Is the installed index the one of the current data version (public counts come from it)? */
	current: boolean;
	rows: number;
	bytes: number;
	/** Duration of the last successful build, in ms. */
	buildMs: number | null;
	/** Why the last build failed (public counts then come from SQL), if it did. */
	error: string | null;
}

/** A least-recently-used map bounded by entry count and by an optional size measure. */
class Lru<V> {
	private readonly entries = new Map<string, V>();
	private used = 0;
	constructor(
		private readonly max: number,
		private readonly sizeOf: (v: V) => number = () => 0,
		private readonly maxSize = Infinity
	) {}

	get(key: string): V | undefined {
		const hit = this.entries.get(key);
		if (hit !== undefined) {
			this.entries.delete(key); // refresh recency
			this.entries.set(key, hit);
		}
		return hit;
	}

	set(key: string, value: V): void {
		if (this.max <= 0 || this.sizeOf(value) > this.maxSize) return;
		this.delete(key);
		this.entries.set(key, value);
		this.used += this.sizeOf(value);
		while (this.entries.size > this.max || this.used > this.maxSize) {
			this.delete(this.entries.keys().next().value as string);
		}
	}

	clear(): void {
		this.entries.clear();
		this.used = 0;
	}

	private delete(key: string): void {
		const old = this.entries.get(key);
		if (old === undefined) return;
		this.entries.delete(key);
		this.used -= this.sizeOf(old);
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

const UNFILTERED_KEY = filterKey(emptyQuery());
/**
 * At most this many candidates for a page in date order from the facet index (the page and every
 * match sharing its first or last date); more (a page among thousands of undated rows) and the
 * page is read by SQL alone.
 */
export const PAGE_CANDIDATES_MAX = 2000;
/** Full-text match sets kept at most (4 bytes per match): a bound on memory whatever the searches. */
const TEXT_MATCH_BYTES = 32 * 1024 * 1024;

/** Lets queued I/O (requests' statements, PGlite's other callers) run between index chunks. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Public totals and facets come from an in-memory index of the published initiatives built per
 * registry data version (ADR 0005); until the index of the CURRENT version is ready they come from
 * SQL. Answers are cached per data version and filter, so a cached answer is never older than the
 * data (the version is bumped in every write transaction, on any process) and never includes
 * unpublished records: only public queries are cached or indexed.
 */
export function createRegistryService(db: Db, options: RegistryServiceOptions = {}) {
	const facetCache = new Lru<FacetResult>(options.facetCacheSize ?? 500);
	// Counts being computed, by cache key: concurrent misses of one filter (e.g. the start-up warm-up
	// and the first request) share one computation instead of each scanning the filtered set.
	const pending = new Map<string, Promise<FacetResult>>();
	const useIndex = options.facetIndex ?? true;

	// The facet index of one data version, replaced (never patched) when the version changes.
	let installed: { version: number; index: FacetIndex; buildMs: number } | null = null;
	let latestVersion: number | null = null; // the newest version a public read saw
	let attemptedVersion: number | null = null; // the version the last build started for
	let building: Promise<void> | null = null;
	let buildError: string | null = null;
	let persistedVersion: number | null = null; // unfiltered counts stored for this version
	let buildNotBefore = 0; // epoch ms; set by warm() when persisted counts can answer meanwhile
	let deferred: Promise<void> | null = null; // a build start waiting for buildNotBefore
	// Full-text match positions of the installed index, per search text.
	const textMatches = new Lru<Uint32Array>(options.textMatchCacheSize ?? 100, (v) => v.byteLength, TEXT_MATCH_BYTES);
	const pendingText = new Map<string, Promise<Uint32Array>>();

	/** Reads one consistent index (the version is the same before and after the chunks), or reports that it moved. */
	async function readIndex(): Promise<{ version: number; index: FacetIndex; buildMs: number } | { moved: number }> {
		const started = Date.now();
		const before = await readRegistryVersion(db);
		const builder = new FacetIndexBuilder();
		for await (const chunk of publishedFacetRows(db)) {
			for (const row of chunk) builder.add(row);
			await yieldToEventLoop();
		}
		const after = await readRegistryVersion(db);
		// Every write bumps the version in its transaction: equal versions mean no write committed
		// while the chunks were read, so the rows are exactly the state of `before`.
		if (after !== before) return { moved: after };
		return { version: before, index: builder.finish(), buildMs: Date.now() - started };
	}

	function install(built: { version: number; index: FacetIndex; buildMs: number }): void {
		if (installed && installed.version >= built.version) return;
		installed = built;
		textMatches.clear();
		pendingText.clear();
		buildError = null;
		const all = built.index.count(emptyQuery());
		facetCache.set(`${built.version}|${UNFILTERED_KEY}`, all);
		persistUnfiltered(built.version, all);
	}

	function persistUnfiltered(version: number, counts: FacetResult): void {
		if (persistedVersion !== null && persistedVersion >= version) return;
		persistedVersion = version;
		// Best effort: the counts are served either way; a failed write costs a recount at the next start.
		void writeUnfilteredCounts(db, version, counts).catch(() => {
			if (persistedVersion === version) persistedVersion = null;
		});
	}

	/** Builds indexes, one at a time, until the index matches the newest version seen (or a build fails). */
	async function buildLoop(): Promise<void> {
		while (latestVersion !== null && latestVersion !== attemptedVersion && installed?.version !== latestVersion) {
			attemptedVersion = latestVersion;
			try {
				const built = await readIndex();
				if ('moved' in built) {
					// A write landed during the build: that index is discarded. The next public read
					// (or warm) sees the new version and starts another build.
					continue;
				}
				install(built);
			} catch (err) {
				// E.g. more than 32 distinct objectives: public counts stay on SQL for this version.
				buildError = err instanceof Error ? err.message : String(err);
			}
		}
	}

	/** Starts (in the background) a build for `version` unless its index exists or is being built. */
	function noticeVersion(version: number): void {
		if (!useIndex) return;
		if (latestVersion === null || version > latestVersion) latestVersion = version;
		if (building || installed?.version === latestVersion || attemptedVersion === latestVersion) return;
		const wait = buildNotBefore - Date.now();
		if (wait > 0) {
			// Right after start-up: let the first requests (answered from the persisted counts and
			// SQL) run before the build's reads share PGlite's single thread with them.
			deferred ??= new Promise<void>((resolve) => setTimeout(resolve, wait)).then(() => {
				deferred = null;
				if (latestVersion !== null) noticeVersion(latestVersion);
			});
			return;
		}
		building = buildLoop().finally(() => {
			building = null;
		});
	}

	function textMatchesOf(index: FacetIndex, q: string): Promise<Uint32Array> {
		const hit = textMatches.get(q);
		if (hit) return Promise.resolve(hit);
		const running = pendingText.get(q);
		if (running) return running;
		const started = publishedIdsMatching(db, q)
			.then((ids) => {
				const positions = index.positionsOf(ids);
				if (installed?.index === index) textMatches.set(q, positions);
				return positions;
			})
			.finally(() => {
				if (pendingText.get(q) === started) pendingText.delete(q);
			});
		pendingText.set(q, started);
		return started;
	}

	/** The public counts of one version: from its index when ready, else persisted or SQL. */
	async function computePublic(version: number, query: InitiativeQuery, key: string): Promise<FacetResult> {
		const ready = installed?.version === version ? installed.index : null;
		if (ready) return ready.count(query, query.q ? await textMatchesOf(ready, query.q) : undefined);
		const unfiltered = key === `${version}|${UNFILTERED_KEY}`;
		if (unfiltered) {
			const stored = await readUnfilteredCounts(db, version);
			if (stored) {
				persistedVersion = Math.max(persistedVersion ?? version, version);
				return stored;
			}
		}
		const fresh = await facetCounts(db, query, 'published');
		if (unfiltered) persistUnfiltered(version, fresh);
		return fresh;
	}

	function computeCounts(version: number, query: InitiativeQuery): Promise<FacetResult> {
		const key = `${version}|${filterKey(query)}`;
		const cached = facetCache.get(key);
		if (cached) return Promise.resolve(cached);
		const running = pending.get(key);
		if (running) return running;
		const started = computePublic(version, query, key)
			.then((fresh) => {
				facetCache.set(key, fresh);
				return fresh;
			})
			.finally(() => pending.delete(key));
		pending.set(key, started);
		return started;
	}

	async function counts(viewer: Viewer, query: InitiativeQuery): Promise<FacetResult> {
		const visibility = visibilityFor(viewer);
		if (visibility !== 'published') return facetCounts(db, query, visibility);
		const version = await readRegistryVersion(db);
		// A new version (a write by any process) starts a rebuild of the index in the background;
		// meanwhile this and other reads are answered from SQL, never from the older index.
		noticeVersion(version);
		return computeCounts(version, query);
	}

	/**
	 * A public full-text search in relevance order, answered with the index of the current version
	 * (null when it is not ready: the caller takes the ordinary path). When neither the counts of
	 * this filter nor the matches of this text are known, ONE statement reads the rows matching the
	 * text and the filters once and returns both their ids (the index counts them) and the page's
	 * ids; with no other filter those ids are the text's matches and are kept for later filters.
	 * Otherwise only the page's ids are read. The page's records are then loaded by id. Items,
	 * order, total and facets are those of searchPage + facetCounts (facet-index.spec.ts).
	 */
	async function rankedPublicSearch(query: InitiativeQuery): Promise<SearchResult | null> {
		const q = query.q;
		if (!useIndex || !q || query.sort !== 'relevance') return null;
		const version = await readRegistryVersion(db);
		noticeVersion(version);
		const ready = installed?.version === version ? installed.index : null;
		if (!ready) return null;
		const key = `${version}|${filterKey(query)}`;
		const known = facetCache.get(key);
		if (known || textMatches.get(q) || pendingText.has(q)) {
			const [ids, found] = await Promise.all([
				publishedRankedPageIds(db, query),
				known ?? computeCounts(version, query)
			]);
			return { items: await pageByIds(db, ids, 'published'), ...found };
		}
		const both = publishedMatchesAndRankedPage(db, query);
		const textOnly = filterKey({ ...query, q: null }) === UNFILTERED_KEY;
		// The text's matches: concurrent searches for the same text wait for them instead of reading them again.
		const positions = both
			.then((r) => {
				const at = ready.positionsOf(r.ids);
				if (textOnly && installed?.index === ready) textMatches.set(q, at);
				return at;
			})
			.finally(() => {
				if (pendingText.get(q) === positions) pendingText.delete(q);
			});
		if (textOnly) pendingText.set(q, positions);
		const [{ page }, at] = await Promise.all([both, positions]);
		// With filters, `at` holds the matches passing them: counting re-applies the same filters.
		const found = ready.count(query, at);
		facetCache.set(key, found);
		return { items: await pageByIds(db, page, 'published'), ...found };
	}

	/**
	 * A public page in date order (date_desc, the registry's default, or date_asc), answered with the
	 * index of the current version (null when it is not ready or the page has too many candidates:
	 * the caller takes the ordinary path). The index walks its rows in date order and names the
	 * page's candidates; one statement sorts those few by the full ORDER BY. The database never
	 * walks its date index past rows the filters reject (a rare country + type pair at 1M read
	 * 26k pages that way), and never sorts every match. Items and order are those of searchPage
	 * (tests/integration/facet-index.spec.ts, both engines).
	 */
	async function datedPublicSearch(query: InitiativeQuery): Promise<SearchResult | null> {
		if (!useIndex || (query.sort !== 'date_desc' && query.sort !== 'date_asc')) return null;
		const version = await readRegistryVersion(db);
		noticeVersion(version);
		const ready = installed?.version === version ? installed.index : null;
		if (!ready) return null;
		const matching = query.q ? await textMatchesOf(ready, query.q) : undefined;
		const found = await computeCounts(version, query);
		const direction = query.sort === 'date_asc' ? 'asc' : 'desc';
		const page = ready.pageCandidates(query, direction, query.offset, query.limit, PAGE_CANDIDATES_MAX, matching);
		const items = page
			? await publishedPageAmong(db, page.ids, query, page.skip)
			: await searchPage(db, query, 'published', found.total);
		return { items, ...found };
	}

	/** Awaits builds until none runs (a build may start another when the version moved). */
	async function settle(): Promise<void> {
		while (building || deferred) await (building ?? deferred);
	}

	function status(version: number | null): FacetIndexStatus {
		return {
			version: installed?.version ?? null,
			current: installed !== null && installed.version === version,
			rows: installed?.index.size ?? 0,
			bytes: installed?.index.byteLength ?? 0,
			buildMs: installed?.buildMs ?? null,
			error: buildError
		};
	}

	return {
		/** A page of results with the total and facet counts under the same filter. */
		async search(viewer: Viewer, query: InitiativeQuery): Promise<SearchResult> {
			if (visibilityFor(viewer) === 'published') {
				const indexed = (await rankedPublicSearch(query)) ?? (await datedPublicSearch(query));
				if (indexed) return indexed;
			}
			// The counts first: a filter's total tells the page statement how to find its rows.
			const found = await counts(viewer, query);
			return { items: await searchPage(db, query, visibilityFor(viewer), found.total), ...found };
		},

		/**
		 * Prepares the public counts (called by `gcm serve` once it listens): the unfiltered counts
		 * persisted for the current data version are read first (one indexed read, so the first
		 * visitor after a restart does not pay for a count over the whole registry), then the facet
		 * index is built; resolves once the unfiltered counts are cached, from the index or from SQL.
		 */
		async warm(): Promise<void> {
			const version = await readRegistryVersion(db);
			const key = `${version}|${UNFILTERED_KEY}`;
			if (!facetCache.get(key)) {
				const stored = await readUnfilteredCounts(db, version);
				if (stored) {
					facetCache.set(key, stored);
					persistedVersion = Math.max(persistedVersion ?? version, version);
					buildNotBefore = Date.now() + (options.warmIndexDelayMs ?? 1000);
				}
			}
			noticeVersion(version);
			await settle();
			await computeCounts(version, emptyQuery());
		},

		/**
		 * Builds the facet index of the current data version if needed and waits for it (benchmarks,
		 * tests and tools; requests never wait for an index, they fall back to SQL).
		 */
		async refreshIndex(): Promise<FacetIndexStatus> {
			const version = await readRegistryVersion(db);
			noticeVersion(version);
			await settle();
			return status(version);
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
