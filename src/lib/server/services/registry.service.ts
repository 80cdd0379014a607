/** Registry use cases: search, read and summarise initiatives and practices. Runs per request. */
import type { Initiative } from '../../core/registry/initiative';
import type { Practice } from '../../core/registry/practice';
import type { InitiativeQuery } from '../../core/registry/query';
import { DomainError } from '../../core/shared/errors';
import type { Db } from '../db/client';
import {
	countByCountry,
	countByObjective,
	countInitiatives,
	findInitiative,
	iterateInitiatives,
	searchInitiatives,
	type SearchResult
} from '../db/initiative.repository';
import { findPractice, listPractices } from '../db/practice.repository';
import { visibilityFor, type Viewer } from './viewer';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface RegistryStats {
	initiatives: number;
	countries: number;
	byCountry: Map<string, number>;
	byObjective: Map<number, number>;
}

export function createRegistryService(db: Db) {
	return {
		search(viewer: Viewer, query: InitiativeQuery): Promise<SearchResult> {
			return searchInitiatives(db, query, visibilityFor(viewer));
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

		async stats(viewer: Viewer): Promise<RegistryStats> {
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
		}
	};
}

export type RegistryService = ReturnType<typeof createRegistryService>;
