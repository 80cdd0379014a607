/**
 * An actor: an organisation (or government body, network …) that initiates or implements
 * initiatives, reused across records by its normalised name. Imports and initiative edits create
 * bare actors (name only); the editing workflow adds a description, website, home country and kind.
 */
import { z } from 'zod';
import { isCountryCode } from '../reference';
import { cleanText, LIMITS } from './initiative';
import { INITIATOR_KINDS, type InitiatorKind, type RecordStatus } from './vocabulary';

export interface ActorInput {
	name: string;
	description: string;
	/** An http(s) address, or null. */
	website: string | null;
	/** ISO 3166-1 alpha-3 of the home country; null for international bodies or when unknown. */
	country: string | null;
	/** The initiator kind (same vocabulary as initiatives' initiator kinds), or null when not stated. */
	kind: InitiatorKind | null;
}

export interface Actor extends ActorInput {
	id: string;
	status: RecordStatus;
	version: number;
	createdAt: string;
	updatedAt: string;
}

export const ACTOR_LIMITS = { name: LIMITS.name, description: 10_000, website: 2_000 } as const;

const website = cleanText(ACTOR_LIMITS.website).refine(
	(s) => {
		try {
			const u = new URL(s);
			return u.protocol === 'http:' || u.protocol === 'https:';
		} catch {
			return false;
		}
	},
	{ message: 'must be an http(s) URL' }
);

export const actorInputSchema = z
	.object({
		name: cleanText(ACTOR_LIMITS.name).refine((s) => s.trim().length > 0, { message: 'is required' }),
		description: cleanText(ACTOR_LIMITS.description),
		website: website.nullable(),
		country: z.string().refine(isCountryCode, { message: 'is not an ISO 3166-1 alpha-3 code' }).nullable(),
		kind: z.enum(INITIATOR_KINDS, { message: 'is not an initiator kind' }).nullable()
	})
	.strict();

/** Trims the name and collapses its spaces (the key that makes actors unique is derived from it). */
export function normalizeActorInput(input: ActorInput): ActorInput {
	return {
		...input,
		name: input.name.trim().replace(/\s+/g, ' '),
		description: input.description.trim(),
		website: input.website?.trim() || null
	};
}
