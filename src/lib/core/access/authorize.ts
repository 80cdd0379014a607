/**
 * The one access check every service method starts with: deny by default, decided only by the
 * rows of POLICY. Reading something you may not read answers INITIATIVE_NOT_FOUND (PRACTICE_…, ACTOR_…), like a record
 * that does not exist, so the existence of drafts does not leak; so does any other action on a
 * record you may not read. FORBIDDEN is only for records you may read but not change.
 */
import type { RecordStatus } from '../registry/vocabulary';
import { DomainError } from '../shared/errors';
import {
	actionOf,
	isRecordAction,
	POLICY,
	recordTypeOf,
	type PolicyRole,
	type RecordAction,
	type RecordType,
	type Relation
} from './policy';

/** Who is acting, as the policy sees them. */
export interface AccessActor {
	/** The account id; null for the public and the operator at the command line. */
	id: string | null;
	role: PolicyRole;
	/** Organisations the person is a member of. */
	organisationIds: readonly string[];
	/** ISO3 codes of the countries a country-scoped role acts for. */
	countries: readonly string[];
}

/** The record acted on (for `initiative.create`: the record as it would be created). */
export interface AccessSubject {
	status: RecordStatus;
	ownerOrganisationId: string | null;
	createdBy: string | null;
	countries: readonly string[];
}

export const PUBLIC_ACTOR: AccessActor = { id: null, role: 'public', organisationIds: [], countries: [] };

/** Every relation the actor has to the subject (`other` when there is none). */
export function relationsOf(actor: AccessActor, subject: AccessSubject): Set<Relation> {
	const out = new Set<Relation>();
	if (actor.id !== null && subject.createdBy === actor.id) out.add('creator');
	if (subject.ownerOrganisationId !== null && actor.organisationIds.includes(subject.ownerOrganisationId)) {
		out.add('organisation');
	}
	if (subject.countries.some((c) => actor.countries.includes(c))) out.add('country');
	if (out.size === 0) out.add('other');
	return out;
}

/** Whether some policy row grants the action. Throws on an action the policy does not declare. */
export function can(actor: AccessActor, action: RecordAction, subject: AccessSubject): boolean {
	if (!isRecordAction(action)) throw new Error(`undeclared action ${String(action)}`);
	const relations = relationsOf(actor, subject);
	return POLICY.some(
		(row) =>
			row.role === actor.role &&
			row.action === action &&
			row.states.includes(subject.status) &&
			(row.scope === 'any' || relations.has(row.scope))
	);
}

/** The "no such record" error of each record type (unknown and unreadable records look the same). */
const NOT_FOUND: Record<RecordType, () => DomainError> = {
	initiative: () => new DomainError('INITIATIVE_NOT_FOUND', 'No such initiative'),
	practice: () => new DomainError('PRACTICE_NOT_FOUND', 'No such practice'),
	actor: () => new DomainError('ACTOR_NOT_FOUND', 'No such actor')
};

/**
 * Throws unless the policy grants the action: the record type's NOT_FOUND (INITIATIVE_NOT_FOUND,
 * PRACTICE_NOT_FOUND, ACTOR_NOT_FOUND) when the actor may not even read the record (or for reads),
 * FORBIDDEN when they may read it but not do this.
 */
export function authorize(actor: AccessActor, action: RecordAction, subject: AccessSubject): void {
	if (can(actor, action, subject)) return;
	const type = recordTypeOf(action);
	if (action === actionOf(type, 'create')) {
		throw new DomainError('FORBIDDEN', 'You may not create this record.');
	}
	if (action === actionOf(type, 'read') || !can(actor, actionOf(type, 'read'), subject)) {
		throw NOT_FOUND[type]();
	}
	throw new DomainError('FORBIDDEN', `You may not do ${action} on this record.`);
}
