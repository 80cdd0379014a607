/**
 * The benchmarking workflow (issue #5): assessments are created by a country's coordinator, go
 * through desk research (answers with evidence, an optional second check), an expert panel (blind,
 * per-expert ratings with a conflict-of-interest declaration), validation and publication, where
 * the scores are computed once and stored. Runs on workspace requests, offline uploads and
 * `gcm seed --demo`.
 *
 * Every change: authorizeAssessment (core/access/assessment-policy) → validate → ONE transaction
 * holding the write (versioned where two people could collide; the assessment row is locked FOR
 * SHARE while answers and ratings are written, so a status change cannot slip in between the check
 * and the write) and its audit row. Audit rows of ratings name the items, never the values.
 */
import { randomBytes } from 'node:crypto';
import { encodeBase64urlNoPadding } from '@oslojs/encoding';
import { z } from 'zod';
import {
	ASSESSMENT_ACTIONS,
	assessmentRelationsOf,
	authorizeAssessment,
	canOnAssessment,
	type AssessmentAction,
	type AssessmentRelation,
	type AssessmentSubject
} from '../../core/access/assessment-policy';
import { diffFields } from '../../core/accounts/diff';
import { redactSecrets } from '../../core/accounts/redact';
import { normalizeEmail } from '../../core/accounts/roles';
import { buildDemoAssessments, DEMO_COUNTRY } from '../../core/benchmarking/demo';
import { ratingItems } from '../../core/benchmarking/rated-items';
import { computeScores, type ScoringInput } from '../../core/benchmarking/scoring';
import {
	ASSESSMENT_PERSPECTIVES,
	EVIDENCE_TYPES,
	type AnswerOption,
	type AssessmentPerspective,
	type AssessmentScores,
	type AssessmentStatus,
	type DeskAnswer,
	type Evidence,
	type ExpertRating,
	type ItemType,
	type Methodology,
	type RatingOption,
	type ScoreFlag,
	type Translatable,
	type Variable
} from '../../core/benchmarking/types';
import { isCountryCode, isObjectiveNumber } from '../../core/reference';
import { cleanText } from '../../core/registry/initiative';
import { parsePartialDate } from '../../core/registry/partial-date';
import { DomainError, validationError, type FieldIssue } from '../../core/shared/errors';
import { findUserByEmail, insertToken, insertUser } from '../db/account.repository';
import {
	bumpBenchmarkVersion,
	findAssessment,
	findAssessmentId,
	insertAssessment,
	insertMember,
	listCandidateAssessments,
	listDeskAnswers,
	listRatings,
	nextRaterLabel,
	organisationExists,
	replaceEvidence,
	updateAssessment,
	updateExpertMember,
	upsertRating,
	writeDeskAnswer,
	writeDeskCheck,
	type AssessmentListRow,
	type AssessmentMemberRecord,
	type AssessmentRecord,
	type DeskAnswerRecord
} from '../db/assessment.repository';
import { insertAuditEvent, listAuditEvents } from '../db/audit.repository';
import type { Database, Db } from '../db/client';
import { findLatestPublishedMethodology, findMethodology, findMethodologyById } from '../db/methodology.repository';
import {
	listPublishedScoringPage,
	type PublishedScoringCursor,
	type ScoringAnswerRecord,
	type ScoringMemberRecord,
	type ScoringRatingRecord
} from '../db/published-scores.repository';
import { deliverLink, MAIL_OFF, type LinkDelivery, type LinkMailer } from '../mail/link-mail';
import { INVITE_LIFETIME_MS, sha256Hex, type RequestContext } from './account.service';
import { ensureDefaultMethodology, toMethodologyVersion } from './methodology.service';
import { accessActorOf, type Viewer } from './viewer';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const ASSESSMENT_LIMITS = {
	title: 300,
	summary: 5_000,
	note: 10_000,
	comment: 5_000,
	coi: 5_000,
	publicName: 200,
	evidencePerAnswer: 50,
	evidenceTitle: 500,
	issuingBody: 300,
	url: 2_000,
	excerpt: 3_000
} as const;

// Validation -----------------------------------------------------------------------------------

const required = (max: number) => cleanText(max).refine((s) => s.trim().length > 0, { message: 'is required' });

const httpUrlOrEmpty = cleanText(ASSESSMENT_LIMITS.url).refine(
	(s) => {
		if (s === '') return true;
		try {
			const u = new URL(s);
			return u.protocol === 'http:' || u.protocol === 'https:';
		} catch {
			return false;
		}
	},
	{ message: 'must be an http(s) URL' }
);

export const evidenceSchema = z
	.object({
		title: required(ASSESSMENT_LIMITS.evidenceTitle),
		type: z.enum(EVIDENCE_TYPES, { message: `must be one of ${EVIDENCE_TYPES.join(', ')}` }),
		issuingBody: cleanText(ASSESSMENT_LIMITS.issuingBody).default(''),
		date: z
			.string()
			.default('')
			.refine((s) => s === '' || parsePartialDate(s) !== null, {
				message: 'must be a date as YYYY, YYYY-MM or YYYY-MM-DD'
			}),
		url: httpUrlOrEmpty.default(''),
		excerpt: cleanText(ASSESSMENT_LIMITS.excerpt).default('')
	})
	.strict();

const createSchema = z
	.object({
		country: z
			.string()
			.trim()
			.toUpperCase()
			.refine((c) => isCountryCode(c), { message: 'must be an ISO 3166-1 alpha-3 country code' }),
		edition: z.number().int().min(2018).max(2100),
		perspective: z.enum(ASSESSMENT_PERSPECTIVES),
		title: required(ASSESSMENT_LIMITS.title),
		summary: cleanText(ASSESSMENT_LIMITS.summary).default(''),
		leadOrganisationId: z.string().regex(UUID_RE, { message: 'must be an organisation id' }).nullable().default(null),
		methodology: z
			.object({ key: z.string().min(1).max(100), version: z.string().min(1).max(50) })
			.strict()
			.optional()
	})
	.strict();
export type CreateAssessmentInput = z.input<typeof createSchema>;

const patchSchema = z
	.object({
		title: required(ASSESSMENT_LIMITS.title),
		summary: cleanText(ASSESSMENT_LIMITS.summary),
		leadOrganisationId: z.string().regex(UUID_RE, { message: 'must be an organisation id' }).nullable()
	})
	.partial()
	.strict();

const versionSchema = z.number().int().min(0);

const coiSchema = z
	.object({
		declaration: required(ASSESSMENT_LIMITS.coi),
		publicOptIn: z.boolean().default(false),
		publicName: cleanText(ASSESSMENT_LIMITS.publicName).nullable().default(null)
	})
	.strict();

const inviteSchema = z
	.object({
		email: z.email({ message: 'must be an email address' }).max(254),
		displayName: required(200)
	})
	.strict();

function issuesOf(error: z.ZodError, prefix = ''): FieldIssue[] {
	return error.issues.flatMap((i): FieldIssue[] =>
		i.code === 'unrecognized_keys'
			? i.keys.map((k) => ({ field: `${prefix}${k}`, message: 'is not an accepted field' }))
			: [{ field: `${prefix}${i.path.map(String).join('.')}` || 'input', message: i.message }]
	);
}

function parseOrThrow<T>(schema: z.ZodType<T>, input: unknown, prefix = ''): T {
	const parsed = schema.safeParse(input);
	if (!parsed.success) throw validationError(issuesOf(parsed.error, prefix));
	return parsed.data;
}

function parseVersion(value: unknown, field = 'expectedVersion'): number {
	const v = versionSchema.safeParse(value);
	if (!v.success) throw validationError([{ field, message: 'must be the version the change was based on' }]);
	return v.data;
}

// Views ----------------------------------------------------------------------------------------

/** A team member as shown to one viewer. Experts' identities only reach coordinators, admins and themselves. */
export interface MemberView {
	role: AssessmentMemberRecord['role'];
	/** Null for experts whose identity this viewer may not see. */
	userId: string | null;
	displayName: string | null;
	email: string | null;
	raterLabel: string | null;
	coiDeclared: boolean;
	submitted: boolean;
	publicOptIn: boolean;
	publicName: string | null;
}

export interface AssessmentView {
	id: string;
	country: string;
	edition: number;
	perspective: AssessmentPerspective;
	status: AssessmentStatus;
	title: string;
	summary: string;
	fictional: boolean;
	leadOrganisationId: string | null;
	methodology: { id: string; key: string; version: string; title: Translatable };
	panelClosedAt: string | null;
	publishedAt: string | null;
	version: number;
	createdAt: string;
	updatedAt: string;
	/** The viewer's own relations to the assessment. */
	relations: AssessmentRelation[];
	members: MemberView[];
	/** How many experts are on the panel (shown to everyone who may read the assessment). */
	expertCount: number;
}

export interface ObjectiveProgress {
	objective: number;
	variables: number;
	/** Variables with any answer (including N/A and unknown). */
	answered: number;
	notApplicable: number;
	/** Variables answered with a scored option. */
	scored: number;
	checked: number;
	disputed: number;
	/** scored / (variables − N/A); 1 when every variable is N/A, 0 when the objective has no variables. */
	coverage: number;
}

export interface DeskProgress {
	variables: number;
	answered: number;
	checked: number;
	disputed: number;
	coverage: number;
	byObjective: ObjectiveProgress[];
}

export interface ItemRef {
	itemType: ItemType;
	itemKey: string;
}

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

function subjectOf(r: AssessmentRecord): AssessmentSubject {
	return {
		status: r.status,
		country: r.country,
		leadOrganisationId: r.leadOrganisationId,
		members: r.members.map((m) => ({ userId: m.userId, role: m.role }))
	};
}

function actorSnapshot(viewer: Viewer): { id: string | null; label: string; role: string | null } {
	switch (viewer.kind) {
		case 'user':
			return { id: viewer.user.id, label: viewer.user.label, role: viewer.user.role };
		case 'system':
			return { id: null, label: 'cli', role: 'system' };
		case 'public':
			return { id: null, label: 'anonymous', role: null };
	}
}

/** Progress of the desk research per objective (pure; shown on the dashboard and desk forms). */
export function deskProgress(m: Methodology, answers: readonly DeskAnswerRecord[]): DeskProgress {
	const options = new Map<string, AnswerOption>(m.answerScale.map((o) => [o.key, o]));
	const byKey = new Map(answers.map((a) => [a.variableKey, a]));
	const objectives = [...new Set(m.objectives.map((o) => o.number))].sort((a, b) => a - b);
	const byObjective = objectives.map((objective): ObjectiveProgress => {
		const vars = m.variables.filter((v) => v.objective === objective);
		let answered = 0;
		let notApplicable = 0;
		let scored = 0;
		let checked = 0;
		let disputed = 0;
		for (const v of vars) {
			const a = byKey.get(v.key);
			if (!a || a.answer === null) continue;
			answered += 1;
			const kind = options.get(a.answer)?.kind;
			if (kind === 'not_applicable') notApplicable += 1;
			if (kind === 'scored') scored += 1;
			if (a.checkStatus !== null) checked += 1;
			if (a.checkStatus === 'disputed') disputed += 1;
		}
		const applicable = vars.length - notApplicable;
		const coverage = vars.length === 0 ? 0 : applicable === 0 ? 1 : scored / applicable;
		return { objective, variables: vars.length, answered, notApplicable, scored, checked, disputed, coverage };
	});
	const total = (f: (p: ObjectiveProgress) => number) => byObjective.reduce((s, p) => s + f(p), 0);
	const applicable = total((p) => p.variables - p.notApplicable);
	return {
		variables: total((p) => p.variables),
		answered: total((p) => p.answered),
		checked: total((p) => p.checked),
		disputed: total((p) => p.disputed),
		coverage: applicable === 0 ? 0 : total((p) => p.scored) / applicable,
		byObjective
	};
}

/**
 * The scoring input of one assessment, as publication computes it: every desk answer, and the
 * ratings of the experts who submitted theirs (an expert still rating, or who never submitted, does
 * not count). The one definition shared by publication, the validation view, the dashboard's flags
 * and verifyPublishedScores.
 */
function scoringInputOf(
	members: readonly ScoringMemberRecord[],
	answers: readonly ScoringAnswerRecord[],
	ratings: readonly ScoringRatingRecord[]
): ScoringInput {
	const submitted = new Set(members.filter((m) => m.role === 'expert' && m.submittedAt !== null).map((m) => m.userId));
	return {
		answers: answers.map(toDeskAnswer),
		ratings: ratings.filter((x) => submitted.has(x.userId)).map(toExpertRating)
	};
}

function toDeskAnswer(a: ScoringAnswerRecord): DeskAnswer {
	return {
		variableKey: a.variableKey,
		answer: a.answer,
		note: a.note,
		evidence: a.evidence,
		check: a.checkStatus === null ? null : { status: a.checkStatus, note: a.checkNote ?? '' }
	};
}

function toExpertRating(r: ScoringRatingRecord): ExpertRating {
	return {
		rater: r.raterLabel ?? r.userId,
		itemType: r.itemType,
		itemKey: r.itemKey as ExpertRating['itemKey'],
		value: r.value,
		comment: r.comment
	};
}

function randomInviteToken(): string {
	// Same shape as the account service's invitation links (`inv_` + 256 random bits).
	return `inv_${encodeBase64urlNoPadding(randomBytes(32))}`;
}

export interface AssessmentServiceOptions {
	now?: () => Date;
	/** Emails a new expert's invitation when SMTP is configured (issue #3). */
	mail?: LinkMailer | null;
}

export interface InvitedExpert {
	userId: string;
	email: string;
	displayName: string;
	raterLabel: string;
	/** A new account's invitation (token shown once, 72 h); null when the account already existed. */
	invitation: { token: string; expiresAt: Date } | null;
	/** What happened to the invitation's email ('off' without SMTP or without an invitation). */
	delivery?: LinkDelivery;
}

export interface RatingView {
	/** Null unless the viewer may read every expert's ratings (coordinators after the panel closed). */
	userId: string | null;
	raterLabel: string | null;
	displayName: string | null;
	itemType: ItemType;
	itemKey: string;
	value: number | null;
	comment: string;
	updatedAt: string;
}

/** One upload of an expert's ratings made by a coordinator on their behalf (shown to that expert). */
export interface OnBehalfUpload {
	at: string;
	/** The coordinator's display name while they are on the team; null otherwise (an admin, or gone). */
	by: string | null;
	/** `itemType:itemKey` of the items the upload wrote. */
	items: string[];
}

export function createAssessmentService(database: Database, options: AssessmentServiceOptions = {}) {
	const { db } = database;
	const now = options.now ?? (() => new Date());
	/** Pinned methodologies are published and immutable, so the parsed definition can be cached by id. */
	const methodologyCache = new Map<string, { methodology: Methodology; id: string }>();

	async function methodologyOf(methodologyId: string, executor: Pick<Db, 'execute'> = db): Promise<Methodology> {
		const cached = methodologyCache.get(methodologyId);
		if (cached) return cached.methodology;
		const row = await findMethodologyById(executor, methodologyId);
		if (!row) throw new Error(`methodology ${methodologyId} of an assessment is missing`);
		const m = toMethodologyVersion(row).definition;
		if (row.status === 'published') methodologyCache.set(methodologyId, { methodology: m, id: row.id });
		return m;
	}

	const notFound = () => new DomainError('ASSESSMENT_NOT_FOUND', 'No such assessment');

	async function loadReadable(viewer: Viewer, id: string): Promise<AssessmentRecord> {
		const found = typeof id === 'string' && UUID_RE.test(id) ? await findAssessment(db, id) : null;
		if (!found) throw notFound();
		authorizeAssessment(accessActorOf(viewer), 'assessment.read', subjectOf(found));
		return found;
	}

	async function loadFor(viewer: Viewer, id: string, action: AssessmentAction): Promise<AssessmentRecord> {
		const found = await loadReadable(viewer, id);
		authorizeAssessment(accessActorOf(viewer), action, subjectOf(found));
		return found;
	}

	/** Inside the write transaction: the row locked FOR SHARE and the permission checked again. */
	async function lockFor(tx: Tx, viewer: Viewer, id: string, action: AssessmentAction): Promise<AssessmentRecord> {
		const current = await findAssessment(tx, id, 'share');
		if (!current) throw notFound();
		authorizeAssessment(accessActorOf(viewer), action, subjectOf(current));
		return current;
	}

	function can(viewer: Viewer, action: AssessmentAction, r: AssessmentRecord): boolean {
		return canOnAssessment(accessActorOf(viewer), action, subjectOf(r));
	}

	function relationsOf(viewer: Viewer, r: AssessmentRecord): AssessmentRelation[] {
		return [...assessmentRelationsOf(accessActorOf(viewer), subjectOf(r))];
	}

	/** Coordinators of the assessment and admins see who the experts are; experts see themselves. */
	function seesExpertIdentities(viewer: Viewer, r: AssessmentRecord): boolean {
		const actor = accessActorOf(viewer);
		return actor.role === 'admin' || assessmentRelationsOf(actor, subjectOf(r)).has('coordinator');
	}

	async function audit(
		tx: Tx,
		ctx: RequestContext,
		viewer: Viewer,
		action: string,
		objectId: string,
		changes: Record<string, unknown>,
		at: Date,
		objectType = 'assessment'
	): Promise<void> {
		const actor = actorSnapshot(viewer);
		await insertAuditEvent(tx, {
			at,
			actorId: actor.id,
			actorLabel: actor.label,
			actorRole: actor.role,
			action,
			objectType,
			objectId,
			changes: redactSecrets(changes),
			requestId: ctx.requestId,
			channel: ctx.channel
		});
	}

	async function view(
		viewer: Viewer,
		r: AssessmentRecord,
		executor: Pick<Db, 'execute'> = db
	): Promise<AssessmentView> {
		const m = await methodologyOf(r.methodologyId, executor);
		const identities = seesExpertIdentities(viewer, r);
		const me = viewer.kind === 'user' ? viewer.user.id : null;
		const members: MemberView[] = r.members
			.filter((x) => x.role !== 'expert' || identities || x.userId === me)
			.map((x) => ({
				role: x.role,
				userId: x.userId,
				displayName: x.displayName,
				email: x.email,
				raterLabel: x.raterLabel,
				coiDeclared: x.coiDeclaredAt !== null,
				submitted: x.submittedAt !== null,
				publicOptIn: x.publicOptIn,
				publicName: x.publicName
			}));
		return {
			id: r.id,
			country: r.country,
			edition: r.edition,
			perspective: r.perspective,
			status: r.status,
			title: r.title,
			summary: r.summary,
			fictional: r.fictional,
			leadOrganisationId: r.leadOrganisationId,
			methodology: { id: r.methodologyId, key: m.key, version: m.version, title: m.title },
			panelClosedAt: iso(r.panelClosedAt),
			publishedAt: iso(r.publishedAt),
			version: r.version,
			createdAt: r.createdAt.toISOString(),
			updatedAt: r.updatedAt.toISOString(),
			relations: relationsOf(viewer, r),
			members,
			expertCount: r.members.filter((x) => x.role === 'expert').length
		};
	}

	function conflict(message: string, current: unknown): DomainError {
		return new DomainError('CONFLICT', message, [], current ?? undefined);
	}

	/** Answers and the submitted experts' ratings, as computeScores takes them (scoringInputOf). */
	async function scoringInput(
		executor: Pick<Db, 'select' | 'insert' | 'update' | 'delete' | 'execute'>,
		r: AssessmentRecord
	): Promise<ScoringInput> {
		return scoringInputOf(r.members, await listDeskAnswers(executor, r.id), await listRatings(executor, r.id));
	}

	// Desk answers -------------------------------------------------------------------------------

	interface ValidDesk {
		variableKey: string;
		answer: string | null;
		note: string;
		evidence: Evidence[];
	}

	function validateDesk(
		m: Methodology,
		input: unknown,
		prefix: string
	): { value: ValidDesk | null; issues: FieldIssue[] } {
		const issues: FieldIssue[] = [];
		if (typeof input !== 'object' || input === null || Array.isArray(input)) {
			return { value: null, issues: [{ field: prefix || 'input', message: 'must be an object' }] };
		}
		const o = input as Record<string, unknown>;
		const variable = typeof o.variableKey === 'string' ? m.variables.find((v) => v.key === o.variableKey) : undefined;
		if (!variable) issues.push({ field: `${prefix}variableKey`, message: 'is not a variable of this methodology' });
		const answer = o.answer === undefined || o.answer === '' ? null : o.answer;
		if (answer !== null && (typeof answer !== 'string' || !m.answerScale.some((a) => a.key === answer))) {
			issues.push({
				field: `${prefix}answer`,
				message: `must be one of ${m.answerScale.map((a) => a.key).join(', ')} (or empty)`
			});
		}
		const note = cleanText(ASSESSMENT_LIMITS.note).safeParse(o.note ?? '');
		if (!note.success) issues.push({ field: `${prefix}note`, message: note.error.issues[0]?.message ?? 'invalid' });
		const list = z
			.array(evidenceSchema)
			.max(ASSESSMENT_LIMITS.evidencePerAnswer, {
				message: `at most ${ASSESSMENT_LIMITS.evidencePerAnswer} pieces of evidence`
			})
			.safeParse(o.evidence ?? []);
		if (!list.success) issues.push(...issuesOf(list.error, `${prefix}evidence.`));
		const known = new Set(['variableKey', 'answer', 'note', 'evidence', 'check', 'expectedVersion']);
		for (const k of Object.keys(o))
			if (!known.has(k)) issues.push({ field: `${prefix}${k}`, message: 'is not an accepted field' });
		if (issues.length > 0 || !variable || !note.success || !list.success) return { value: null, issues };
		return {
			value: { variableKey: variable.key, answer: answer as string | null, note: note.data, evidence: list.data },
			issues
		};
	}

	// Ratings ------------------------------------------------------------------------------------

	interface ValidRating {
		itemType: ItemType;
		itemKey: string;
		value: number | null;
		comment: string;
	}

	function validateRating(
		m: Methodology,
		input: unknown,
		prefix: string
	): { value: ValidRating | null; issues: FieldIssue[] } {
		if (typeof input !== 'object' || input === null || Array.isArray(input)) {
			return { value: null, issues: [{ field: prefix || 'input', message: 'must be an object' }] };
		}
		const o = input as Record<string, unknown>;
		const issues: FieldIssue[] = [];
		const items = ratingItems(m);
		const item = items.find((i) => i.itemType === o.itemType && i.itemKey === o.itemKey);
		if (!item) issues.push({ field: `${prefix}itemKey`, message: 'is not an item experts rate in this methodology' });
		const scale: readonly RatingOption[] = m.ratingScale;
		const value = o.value === undefined || o.value === '' ? null : o.value;
		if (value !== null && (typeof value !== 'number' || !scale.some((s) => s.value === value))) {
			issues.push({
				field: `${prefix}value`,
				message: `must be one of ${scale.map((s) => s.value).join(', ')} (or empty: cannot rate)`
			});
		}
		const comment = cleanText(ASSESSMENT_LIMITS.comment).safeParse(o.comment ?? '');
		if (!comment.success) {
			issues.push({ field: `${prefix}comment`, message: comment.error.issues[0]?.message ?? 'invalid' });
		}
		const known = new Set(['itemType', 'itemKey', 'value', 'comment', 'rater']);
		for (const k of Object.keys(o))
			if (!known.has(k)) issues.push({ field: `${prefix}${k}`, message: 'is not an accepted field' });
		if (issues.length > 0 || !item || !comment.success) return { value: null, issues };
		return { value: { ...item, value: value as number | null, comment: comment.data }, issues };
	}

	function ownExpertRow(viewer: Viewer, r: AssessmentRecord): AssessmentMemberRecord {
		const me = viewer.kind === 'user' ? viewer.user.id : null;
		const row = r.members.find((m) => m.role === 'expert' && m.userId === me);
		if (!row) throw new DomainError('FORBIDDEN', 'Only the experts of this panel rate it.');
		return row;
	}

	async function saveRatingsIn(
		ctx: RequestContext,
		viewer: Viewer,
		id: string,
		ratings: ValidRating[],
		event: string
	): Promise<{ saved: number }> {
		const at = now();
		return db.transaction(async (tx) => {
			const current = await lockFor(tx, viewer, id, 'assessment.rate');
			const me = ownExpertRow(viewer, current);
			if (current.panelClosedAt !== null) throw conflict('The panel is closed; ratings are read-only.', null);
			for (const x of ratings) {
				await upsertRating(tx, { assessmentId: id, userId: me.userId, ...x, at });
			}
			await audit(
				tx,
				ctx,
				viewer,
				event,
				id,
				{
					rater: { before: null, after: me.raterLabel },
					// Which items, never the values: rating values stay with the expert until the panel closes.
					items: { before: null, after: ratings.map((x) => `${x.itemType}:${x.itemKey}`) }
				},
				at
			);
			return { saved: ratings.length };
		});
	}

	/**
	 * Every row of an uploaded ratings file checked before anything is written: items of the
	 * methodology, values on its scale, each item once, and the `rater` cell (if filled) naming
	 * `label` (else `raterMessage`). One VALIDATION_FAILED with every problem, or the valid rows.
	 */
	function validateImportedRatings(
		m: Methodology,
		ratings: readonly ExpertRating[],
		label: string | null,
		raterMessage: string
	): ValidRating[] {
		if (!Array.isArray(ratings) || ratings.length === 0) {
			throw validationError([{ field: 'ratings', message: 'the file has no ratings' }]);
		}
		const issues: FieldIssue[] = [];
		const valid: ValidRating[] = [];
		const seen = new Set<string>();
		ratings.forEach((x, i) => {
			const rater = (x as { rater?: unknown } | null)?.rater;
			if (rater !== undefined && rater !== '' && rater !== label) {
				issues.push({ field: `ratings.${i}.rater`, message: raterMessage });
			}
			const { value, issues: own } = validateRating(m, x, `ratings.${i}.`);
			issues.push(...own);
			if (!value) return;
			const key = `${value.itemType}:${value.itemKey}`;
			if (seen.has(key)) issues.push({ field: `ratings.${i}.itemKey`, message: `${value.itemKey} is rated twice` });
			seen.add(key);
			valid.push(value);
		});
		if (issues.length > 0)
			throw validationError(issues, `The file has ${issues.length} problem(s); nothing was saved.`);
		return valid;
	}

	/** The panel expert with this rater label (labels are unique per assessment). */
	function expertByLabel(r: AssessmentRecord, label: unknown): AssessmentMemberRecord {
		const found =
			typeof label === 'string' && label !== ''
				? r.members.find((m) => m.role === 'expert' && m.raterLabel === label)
				: undefined;
		if (!found) throw validationError([{ field: 'rater', message: 'is not an expert of this panel' }]);
		return found;
	}

	/** On-behalf uploads stop once the expert has confirmed their ratings (or the panel closed). */
	function refuseSubmitted(expert: AssessmentMemberRecord, r: AssessmentRecord): void {
		if (r.panelClosedAt !== null) throw conflict('The panel is closed; ratings are read-only.', null);
		if (expert.submittedAt !== null) {
			throw conflict(
				`${expert.raterLabel ?? 'The expert'} has already submitted their ratings; only they can change them now.`,
				null
			);
		}
	}

	// Status machine -----------------------------------------------------------------------------

	const STEPS = {
		startDeskResearch: {
			action: 'assessment.update',
			from: 'draft',
			to: 'desk_research',
			event: 'assessment.status_changed'
		},
		openPanel: {
			action: 'assessment.update',
			from: 'desk_research',
			to: 'expert_panel',
			event: 'assessment.status_changed'
		},
		closePanel: {
			action: 'assessment.close_panel',
			from: 'expert_panel',
			to: 'validation',
			event: 'assessment.panel_closed'
		},
		reopenPanel: {
			action: 'assessment.validate',
			from: 'validation',
			to: 'expert_panel',
			event: 'assessment.panel_reopened'
		},
		publish: { action: 'assessment.publish', from: 'validation', to: 'published', event: 'assessment.published' },
		unpublish: {
			action: 'assessment.unpublish',
			from: 'published',
			to: 'validation',
			event: 'assessment.unpublished'
		}
	} as const satisfies Record<
		string,
		{ action: AssessmentAction; from: AssessmentStatus; to: AssessmentStatus; event: string }
	>;
	type Step = keyof typeof STEPS;

	async function step(name: Step, ctx: RequestContext, viewer: Viewer, id: string, expectedVersion: unknown) {
		const s = STEPS[name];
		const current = await loadReadable(viewer, id);
		const version = parseVersion(expectedVersion);
		if (current.version !== version) {
			throw conflict(
				`The assessment changed since version ${version} (it is now at version ${current.version}).`,
				await view(viewer, current)
			);
		}
		authorizeAssessment(accessActorOf(viewer), s.action, subjectOf(current));
		if (current.status !== s.from) {
			throw conflict(
				`An assessment in ${current.status} cannot move to ${s.to} this way.`,
				await view(viewer, current)
			);
		}
		const at = now();
		let extra: Parameters<typeof updateAssessment>[4] = {};
		const changes: Record<string, unknown> = {};
		if (name === 'closePanel') extra = { panelClosedAt: at };
		if (name === 'reopenPanel') extra = { panelClosedAt: null };
		if (name === 'unpublish') extra = { publishedAt: null, publishedScores: null };
		return db.transaction(async (tx) => {
			if (name === 'publish') {
				// Scores are computed once, from what is committed, and stored: public pages never recompute.
				const m = await methodologyOf(current.methodologyId, tx);
				const scores: AssessmentScores = computeScores(m, await scoringInput(tx, current));
				extra = { publishedAt: at, publishedScores: scores };
				changes.overall = { before: null, after: scores.overall };
			}
			if (!(await updateAssessment(tx, id, version, [s.from], { status: s.to, ...extra }, at))) {
				const now2 = await findAssessment(tx, id);
				throw conflict('The assessment was changed by someone else.', now2 ? await view(viewer, now2, tx) : null);
			}
			if (name === 'publish' || name === 'unpublish') await bumpBenchmarkVersion(tx);
			await audit(
				tx,
				ctx,
				viewer,
				s.event,
				id,
				{ status: { before: s.from, after: s.to }, version: { before: version, after: version + 1 }, ...changes },
				at
			);
			const after = await findAssessment(tx, id);
			if (!after) throw new Error(`assessment ${id} vanished inside its own transaction`);
			return view(viewer, after, tx);
		});
	}

	/** The step that moves an assessment from its current status to `to`, if there is one. */
	function stepFor(from: AssessmentStatus, to: AssessmentStatus): Step | null {
		for (const [name, s] of Object.entries(STEPS) as [Step, (typeof STEPS)[Step]][]) {
			if (s.from === from && s.to === to) return name;
		}
		return null;
	}

	const service = {
		/** One assessment the viewer may read; anything else is ASSESSMENT_NOT_FOUND. */
		async get(viewer: Viewer, id: string): Promise<AssessmentView> {
			return view(viewer, await loadReadable(viewer, id));
		},

		/** What the viewer may do on the assessment now (for showing or hiding forms). */
		async permissions(viewer: Viewer, id: string): Promise<Record<AssessmentAction, boolean>> {
			const r = await loadReadable(viewer, id);
			return permissionsOf(viewer, r);
		},

		/**
		 * Creates a draft assessment pinned to a published methodology (the latest published one when
		 * none is named); its creator becomes a member `coordinator` of it.
		 */
		async create(ctx: RequestContext, viewer: Viewer, input: unknown): Promise<AssessmentView> {
			const actor = accessActorOf(viewer);
			const parsed = parseOrThrow(createSchema, input);
			authorizeAssessment(actor, 'assessment.create', {
				status: 'draft',
				country: parsed.country,
				leadOrganisationId: parsed.leadOrganisationId,
				members: []
			});
			const methodologyRow = parsed.methodology
				? await findMethodology(db, parsed.methodology.key, parsed.methodology.version)
				: await findLatestPublishedMethodology(db);
			if (!methodologyRow || methodologyRow.status !== 'published') {
				throw new DomainError(
					'METHODOLOGY_NOT_FOUND',
					'Assessments use a published methodology version; this one does not exist or is a draft.',
					[{ field: 'methodology', message: 'must be a published methodology version' }]
				);
			}
			if (parsed.leadOrganisationId !== null && !(await organisationExists(db, parsed.leadOrganisationId))) {
				throw validationError([{ field: 'leadOrganisationId', message: 'is not a known organisation' }]);
			}
			const at = now();
			return db.transaction(async (tx) => {
				const id = await insertAssessment(tx, {
					country: parsed.country,
					edition: parsed.edition,
					perspective: parsed.perspective,
					methodologyId: methodologyRow.id,
					leadOrganisationId: parsed.leadOrganisationId,
					title: parsed.title,
					summary: parsed.summary,
					fictional: false,
					createdBy: actor.id,
					at
				});
				if (!id) {
					throw conflict(
						`There is already a ${parsed.perspective} assessment of ${parsed.country} for ${parsed.edition}.`,
						null
					);
				}
				if (actor.id !== null) {
					await insertMember(tx, { assessmentId: id, userId: actor.id, role: 'coordinator', invitedBy: null, at });
				}
				await audit(
					tx,
					ctx,
					viewer,
					'assessment.created',
					id,
					{
						...diffFields(null, {
							country: parsed.country,
							edition: parsed.edition,
							perspective: parsed.perspective,
							title: parsed.title,
							summary: parsed.summary,
							lead_organisation_id: parsed.leadOrganisationId,
							methodology: `${methodologyRow.key} ${methodologyRow.version}`,
							status: 'draft'
						})
					},
					at
				);
				const after = await findAssessment(tx, id);
				if (!after) throw new Error(`assessment ${id} vanished inside its own transaction`);
				return view(viewer, after, tx);
			});
		},

		/** Title, summary and lead organisation (PATCH: only the fields sent), at the version the client saw. */
		async update(
			ctx: RequestContext,
			viewer: Viewer,
			id: string,
			expectedVersion: unknown,
			patch: unknown
		): Promise<AssessmentView> {
			const current = await loadReadable(viewer, id);
			const version = parseVersion(expectedVersion);
			const fields = parseOrThrow(patchSchema, patch);
			if (current.version !== version) {
				throw conflict(
					`The assessment changed since version ${version} (it is now at version ${current.version}).`,
					await view(viewer, current)
				);
			}
			authorizeAssessment(accessActorOf(viewer), 'assessment.update', subjectOf(current));
			if (fields.leadOrganisationId && !(await organisationExists(db, fields.leadOrganisationId))) {
				throw validationError([{ field: 'leadOrganisationId', message: 'is not a known organisation' }]);
			}
			const before = { title: current.title, summary: current.summary, leadOrganisationId: current.leadOrganisationId };
			const changes = diffFields(before, { ...before, ...fields });
			if (Object.keys(changes).length === 0) return view(viewer, current);
			const at = now();
			return db.transaction(async (tx) => {
				const editable: AssessmentStatus[] = ['draft', 'desk_research', 'expert_panel', 'validation'];
				if (!(await updateAssessment(tx, id, version, editable, fields, at))) {
					const again = await findAssessment(tx, id);
					throw conflict('The assessment was changed by someone else.', again ? await view(viewer, again, tx) : null);
				}
				await audit(tx, ctx, viewer, 'assessment.updated', id, changes, at);
				const after = await findAssessment(tx, id);
				if (!after) throw new Error(`assessment ${id} vanished inside its own transaction`);
				return view(viewer, after, tx);
			});
		},

		/** Moves the assessment to `to` by the one step that leads there (CONFLICT if none does). */
		async moveTo(
			ctx: RequestContext,
			viewer: Viewer,
			id: string,
			expectedVersion: unknown,
			to: unknown
		): Promise<AssessmentView> {
			const current = await loadReadable(viewer, id);
			const target = typeof to === 'string' ? (to as AssessmentStatus) : null;
			const name = target ? stepFor(current.status, target) : null;
			if (!name) {
				throw conflict(`An assessment in ${current.status} cannot move to ${String(to)}.`, await view(viewer, current));
			}
			return step(name, ctx, viewer, id, expectedVersion);
		},

		/** Draft → desk research. */
		startDeskResearch: (ctx: RequestContext, viewer: Viewer, id: string, v: unknown) =>
			step('startDeskResearch', ctx, viewer, id, v),
		/** Desk research → expert panel: experts can see the assessment and rate from now on. */
		openPanel: (ctx: RequestContext, viewer: Viewer, id: string, v: unknown) => step('openPanel', ctx, viewer, id, v),
		/** Expert panel → validation: ratings freeze and become visible to the coordinators. */
		closePanel: (ctx: RequestContext, viewer: Viewer, id: string, v: unknown) => step('closePanel', ctx, viewer, id, v),
		/** Validation → expert panel: experts may change their ratings again. */
		reopenPanel: (ctx: RequestContext, viewer: Viewer, id: string, v: unknown) =>
			step('reopenPanel', ctx, viewer, id, v),
		/** Validation → published: scores computed and stored, benchmark data version bumped. */
		publish: (ctx: RequestContext, viewer: Viewer, id: string, v: unknown) => step('publish', ctx, viewer, id, v),
		/** Published → validation: gone from every public surface when the transaction commits. */
		unpublish: (ctx: RequestContext, viewer: Viewer, id: string, v: unknown) => step('unpublish', ctx, viewer, id, v),

		/** Adds an existing account to the desk-research team (researchers answer and check). */
		async addResearcher(ctx: RequestContext, viewer: Viewer, id: string, email: unknown): Promise<AssessmentView> {
			const current = await loadFor(viewer, id, 'assessment.update');
			const addr = typeof email === 'string' ? normalizeEmail(email) : '';
			const user = addr ? await findUserByEmail(db, addr) : null;
			if (!user || user.status !== 'active') {
				throw validationError([{ field: 'email', message: 'is not an active account' }]);
			}
			if (current.members.some((m) => m.userId === user.id && m.role === 'expert')) {
				throw validationError([
					{ field: 'email', message: 'is an expert of this panel; experts do not do its desk research' }
				]);
			}
			const at = now();
			return db.transaction(async (tx) => {
				await lockFor(tx, viewer, id, 'assessment.update');
				if (
					!(await insertMember(tx, {
						assessmentId: id,
						userId: user.id,
						role: 'researcher',
						invitedBy: actorSnapshot(viewer).id,
						at
					}))
				) {
					throw validationError([{ field: 'email', message: 'is already a researcher of this assessment' }]);
				}
				await audit(
					tx,
					ctx,
					viewer,
					'assessment.member_added',
					id,
					{ member: { before: null, after: { user_id: user.id, role: 'researcher' } } },
					at
				);
				const after = await findAssessment(tx, id);
				if (!after) throw new Error(`assessment ${id} vanished inside its own transaction`);
				return view(viewer, after, tx);
			});
		},

		/**
		 * Invites an expert to the panel. An unknown email gets a new account with the role `expert`
		 * and an invitation link (returned once); an existing account keeps its role and becomes an
		 * expert of this assessment only. The expert gets the next opaque label (E1, E2 …).
		 */
		async inviteExpert(
			ctx: RequestContext,
			viewer: Viewer,
			id: string,
			input: unknown,
			mailOptions: { locale?: string } = {}
		): Promise<InvitedExpert> {
			await loadFor(viewer, id, 'assessment.invite_expert');
			const parsed = parseOrThrow(
				inviteSchema,
				typeof input === 'object' && input !== null && typeof (input as { email?: unknown }).email === 'string'
					? { ...input, email: normalizeEmail((input as { email: string }).email) }
					: input
			);
			const at = now();
			const invited: InvitedExpert = await db.transaction(async (tx) => {
				// FOR UPDATE: two invitations at once must not get the same rater label.
				const current = await findAssessment(tx, id, 'update');
				if (!current) throw notFound();
				authorizeAssessment(accessActorOf(viewer), 'assessment.invite_expert', subjectOf(current));
				let user = await findUserByEmail(tx, parsed.email);
				let invitation: InvitedExpert['invitation'] = null;
				if (user) {
					if (user.status !== 'active')
						throw validationError([{ field: 'email', message: 'belongs to a disabled account' }]);
					const roles = current.members.filter((m) => m.userId === user?.id).map((m) => m.role);
					if (roles.includes('expert'))
						throw validationError([{ field: 'email', message: 'is already an expert of this panel' }]);
					if (roles.length > 0) {
						throw validationError([
							{ field: 'email', message: `is a ${roles.join(' and ')} of this assessment and cannot also rate it` }
						]);
					}
				} else {
					user = await insertUser(tx, {
						email: parsed.email,
						displayName: parsed.displayName,
						role: 'expert',
						now: at
					});
					const token = randomInviteToken();
					const expiresAt = new Date(at.getTime() + INVITE_LIFETIME_MS);
					await insertToken(tx, {
						hash: sha256Hex(token),
						purpose: 'invite',
						userId: user.id,
						createdAt: at,
						expiresAt,
						usedAt: null
					});
					invitation = { token, expiresAt };
					await audit(
						tx,
						ctx,
						viewer,
						'user.invited',
						user.id,
						{
							...diffFields(null, {
								email: user.email,
								display_name: user.displayName,
								role: 'expert',
								status: user.status
							}),
							link: { purpose: 'invite', expires_at: expiresAt.toISOString() }
						},
						at,
						'user'
					);
				}
				const raterLabel = await nextRaterLabel(tx, id);
				await insertMember(tx, {
					assessmentId: id,
					userId: user.id,
					role: 'expert',
					raterLabel,
					invitedBy: actorSnapshot(viewer).id,
					at
				});
				await audit(
					tx,
					ctx,
					viewer,
					'assessment.expert_invited',
					id,
					{
						expert: {
							before: null,
							after: { user_id: user.id, rater_label: raterLabel, new_account: invitation !== null }
						}
					},
					at
				);
				return { userId: user.id, email: user.email, displayName: user.displayName, raterLabel, invitation };
			});
			// After the commit: a failed email never undoes the invitation (the page shows the link).
			const delivery = invited.invitation
				? await deliverLink(options.mail, ctx, actorSnapshot(viewer), {
						userId: invited.userId,
						email: invited.email,
						displayName: invited.displayName,
						token: invited.invitation.token,
						expiresAt: invited.invitation.expiresAt,
						purpose: 'expert_invite',
						locale: mailOptions.locale
					})
				: MAIL_OFF;
			return { ...invited, delivery };
		},

		/**
		 * Saves one variable's answer, note and evidence (the evidence list is replaced as a whole).
		 * `expectedVersion` is the answer's version the form was based on (0 for a first answer).
		 */
		async saveDeskAnswer(ctx: RequestContext, viewer: Viewer, id: string, input: unknown): Promise<DeskAnswerRecord> {
			const current = await loadFor(viewer, id, 'assessment.answer');
			const m = await methodologyOf(current.methodologyId);
			const { value, issues } = validateDesk(m, input, '');
			const expected = parseVersion((input as { expectedVersion?: unknown } | null)?.expectedVersion);
			if (!value) throw validationError(issues);
			const at = now();
			const actor = actorSnapshot(viewer);
			return db.transaction(async (tx) => {
				await lockFor(tx, viewer, id, 'assessment.answer');
				const [before] = await listDeskAnswers(tx, id, [value.variableKey]);
				const version = await writeDeskAnswer(tx, {
					assessmentId: id,
					variableKey: value.variableKey,
					answer: value.answer,
					note: value.note,
					answeredBy: actor.id,
					expectedVersion: expected,
					at
				});
				if (version === null) {
					throw conflict(
						`The answer to ${value.variableKey} changed since version ${expected} (it is now at version ${before?.version ?? 0}).`,
						before ?? null
					);
				}
				await replaceEvidence(tx, id, value.variableKey, value.evidence);
				await audit(
					tx,
					ctx,
					viewer,
					'assessment.desk_answer_saved',
					id,
					{
						variable: { before: null, after: value.variableKey },
						...diffFields(
							{ answer: before?.answer ?? null, note: before?.note ?? null, evidence: before?.evidence.length ?? 0 },
							{ answer: value.answer, note: value.note, evidence: value.evidence.length }
						)
					},
					at
				);
				const [after] = await listDeskAnswers(tx, id, [value.variableKey]);
				if (!after) throw new Error('desk answer vanished inside its own transaction');
				return after;
			});
		},

		/** The second check of an answer, by someone other than the person who answered it. */
		async checkDeskAnswer(ctx: RequestContext, viewer: Viewer, id: string, input: unknown): Promise<DeskAnswerRecord> {
			await loadFor(viewer, id, 'assessment.check');
			const parsed = parseOrThrow(
				z
					.object({
						variableKey: z.string().min(1).max(50),
						status: z.enum(['agreed', 'disputed']),
						note: cleanText(ASSESSMENT_LIMITS.note).default(''),
						expectedVersion: versionSchema
					})
					.strict()
					.refine((x) => x.status === 'agreed' || x.note.trim().length > 0, {
						message: 'is required when disputing an answer',
						path: ['note']
					}),
				input
			);
			const at = now();
			const actor = actorSnapshot(viewer);
			return db.transaction(async (tx) => {
				await lockFor(tx, viewer, id, 'assessment.check');
				const [before] = await listDeskAnswers(tx, id, [parsed.variableKey]);
				if (!before || before.answer === null) {
					throw validationError([{ field: 'variableKey', message: 'has no answer to check yet' }]);
				}
				if (before.answeredBy === actor.id) {
					throw new DomainError('FORBIDDEN', 'A second check is made by someone other than the person who answered.');
				}
				const version = await writeDeskCheck(tx, {
					assessmentId: id,
					variableKey: parsed.variableKey,
					status: parsed.status,
					note: parsed.note,
					checkedBy: actor.id,
					expectedVersion: parsed.expectedVersion,
					at
				});
				if (version === null) {
					throw conflict(
						`The answer to ${parsed.variableKey} changed since version ${parsed.expectedVersion}.`,
						before
					);
				}
				await audit(
					tx,
					ctx,
					viewer,
					'assessment.desk_answer_checked',
					id,
					{
						variable: { before: null, after: parsed.variableKey },
						...diffFields(
							{ check_status: before.checkStatus, check_note: before.checkNote },
							{ check_status: parsed.status, check_note: parsed.note }
						)
					},
					at
				);
				const [after] = await listDeskAnswers(tx, id, [parsed.variableKey]);
				if (!after) throw new Error('desk answer vanished inside its own transaction');
				return after;
			});
		},

		/**
		 * The offline upload of desk findings (already parsed from the workbook): every row is
		 * validated first, then all are written in one transaction, or none. Rows overwrite the
		 * current answers (the file is the researcher's statement as a whole). A second check in the
		 * file is accepted only when it is the one already recorded: checks are made in the app, by
		 * someone other than the person who answered.
		 */
		async importDeskAnswers(ctx: RequestContext, viewer: Viewer, id: string, answers: readonly DeskAnswer[]) {
			const current = await loadFor(viewer, id, 'assessment.answer');
			const m = await methodologyOf(current.methodologyId);
			if (!Array.isArray(answers) || answers.length === 0) {
				throw validationError([{ field: 'answers', message: 'the file has no answers' }]);
			}
			const stored = new Map((await listDeskAnswers(db, id)).map((a) => [a.variableKey, a]));
			const issues: FieldIssue[] = [];
			const valid: ValidDesk[] = [];
			const seen = new Set<string>();
			answers.forEach((a, i) => {
				const { check, ...rest } = (a ?? {}) as DeskAnswer;
				const { value, issues: own } = validateDesk(m, rest, `answers.${i}.`);
				issues.push(...own);
				if (!value) return;
				if (seen.has(value.variableKey)) {
					issues.push({ field: `answers.${i}.variableKey`, message: `${value.variableKey} appears twice` });
				}
				seen.add(value.variableKey);
				const had = stored.get(value.variableKey);
				if (check && (had?.checkStatus !== check.status || (had?.checkNote ?? '') !== check.note)) {
					issues.push({
						field: `answers.${i}.check`,
						message: 'second checks are recorded in the app by another researcher, not uploaded'
					});
				}
				valid.push(value);
			});
			if (issues.length > 0)
				throw validationError(issues, `The file has ${issues.length} problem(s); nothing was saved.`);
			const at = now();
			const actor = actorSnapshot(viewer);
			return db.transaction(async (tx) => {
				await lockFor(tx, viewer, id, 'assessment.answer');
				for (const v of valid) {
					await writeDeskAnswer(tx, { assessmentId: id, ...v, answeredBy: actor.id, expectedVersion: null, at });
					await replaceEvidence(tx, id, v.variableKey, v.evidence);
				}
				await audit(
					tx,
					ctx,
					viewer,
					'assessment.desk_answers_imported',
					id,
					{ variables: { before: null, after: valid.map((v) => v.variableKey) } },
					at
				);
				return { saved: valid.length };
			});
		},

		/** Saves some of the viewer's own ratings (partial saves are fine) while the panel is open. */
		async saveRatings(ctx: RequestContext, viewer: Viewer, id: string, ratings: unknown): Promise<{ saved: number }> {
			const current = await loadFor(viewer, id, 'assessment.rate');
			ownExpertRow(viewer, current);
			const m = await methodologyOf(current.methodologyId);
			if (!Array.isArray(ratings) || ratings.length === 0) {
				throw validationError([{ field: 'ratings', message: 'must list at least one rating' }]);
			}
			const issues: FieldIssue[] = [];
			const valid: ValidRating[] = [];
			ratings.forEach((x, i) => {
				const { value, issues: own } = validateRating(m, x, `ratings.${i}.`);
				issues.push(...own);
				if (value) valid.push(value);
			});
			const keys = valid.map((v) => `${v.itemType}:${v.itemKey}`);
			if (new Set(keys).size !== keys.length) issues.push({ field: 'ratings', message: 'an item is rated twice' });
			if (issues.length > 0) throw validationError(issues);
			return saveRatingsIn(ctx, viewer, id, valid, 'assessment.rating_saved');
		},

		/**
		 * The offline upload of one expert's ratings: the expert uploads their own file (the `rater`
		 * column, if filled, must be their label). Validated in full, written all or nothing.
		 */
		async importRatings(ctx: RequestContext, viewer: Viewer, id: string, ratings: readonly ExpertRating[]) {
			const current = await loadFor(viewer, id, 'assessment.rate');
			const me = ownExpertRow(viewer, current);
			const m = await methodologyOf(current.methodologyId);
			const valid = validateImportedRatings(
				m,
				ratings,
				me.raterLabel,
				`must be your label ${me.raterLabel ?? ''} (or empty)`
			);
			return saveRatingsIn(ctx, viewer, id, valid, 'assessment.ratings_imported');
		},

		/**
		 * A coordinator (or an admin) uploads one expert's ratings file on that expert's behalf, while
		 * the panel is open: an expert working offline sends their filled template to the coordinator.
		 * Validated in full, written all or nothing, audited as `assessment.ratings_imported_for`
		 * (rater label and items, never values).
		 *
		 * Decision ("entered on behalf", the expert confirms): the upload writes rating values and
		 * comments only. The conflict-of-interest declaration and the submission stay the expert's own
		 * acts, so an on-behalf upload counts in no score until the expert has read their ratings in
		 * the app, declared conflicts and submitted; the expert's rating form lists the on-behalf
		 * uploads (who, when, which items). Once the expert has submitted, their ratings are their
		 * confirmed statement and on-behalf uploads are refused (CONFLICT); they change them themselves.
		 * The coordinator reads nothing back: the result is a count, and every expert's ratings stay
		 * hidden from them until the panel closes (`assessment.read_ratings`).
		 */
		async importRatingsFor(
			ctx: RequestContext,
			viewer: Viewer,
			id: string,
			raterLabel: string,
			ratings: readonly ExpertRating[]
		): Promise<{ saved: number; raterLabel: string }> {
			const current = await loadFor(viewer, id, 'assessment.rate_on_behalf');
			const expert = expertByLabel(current, raterLabel);
			refuseSubmitted(expert, current);
			const m = await methodologyOf(current.methodologyId);
			const valid = validateImportedRatings(
				m,
				ratings,
				expert.raterLabel,
				`must be ${expert.raterLabel ?? ''}, the expert this upload is for (or empty)`
			);
			const at = now();
			return db.transaction(async (tx) => {
				// FOR UPDATE (not SHARE): the expert's own submission holds a share lock, so it cannot
				// commit between the check below and these writes.
				const locked = await findAssessment(tx, id, 'update');
				if (!locked) throw notFound();
				authorizeAssessment(accessActorOf(viewer), 'assessment.rate_on_behalf', subjectOf(locked));
				const target = expertByLabel(locked, raterLabel);
				refuseSubmitted(target, locked);
				for (const x of valid) {
					await upsertRating(tx, { assessmentId: id, userId: target.userId, ...x, at });
				}
				await audit(
					tx,
					ctx,
					viewer,
					'assessment.ratings_imported_for',
					id,
					{
						rater: { before: null, after: target.raterLabel },
						// Which items, never the values: rating values stay with the expert until the panel closes.
						items: { before: null, after: valid.map((x) => `${x.itemType}:${x.itemKey}`) },
						entered_on_behalf: { before: null, after: true }
					},
					at
				);
				return { saved: valid.length, raterLabel: target.raterLabel ?? raterLabel };
			});
		},

		/**
		 * The expert's conflict-of-interest declaration ("none" is a declaration) and whether their
		 * name may be published with the assessment.
		 */
		async declareConflicts(ctx: RequestContext, viewer: Viewer, id: string, input: unknown) {
			const current = await loadFor(viewer, id, 'assessment.rate');
			const me = ownExpertRow(viewer, current);
			const parsed = parseOrThrow(coiSchema, input);
			const publicName = parsed.publicOptIn ? parsed.publicName?.trim() || me.displayName : null;
			const at = now();
			return db.transaction(async (tx) => {
				await lockFor(tx, viewer, id, 'assessment.rate');
				await updateExpertMember(tx, id, me.userId, {
					coiDeclaration: parsed.declaration,
					coiDeclaredAt: at,
					publicOptIn: parsed.publicOptIn,
					publicName
				});
				await audit(
					tx,
					ctx,
					viewer,
					'assessment.conflicts_declared',
					id,
					{
						rater: { before: null, after: me.raterLabel },
						...diffFields(
							{ coi_declaration: me.coiDeclaration, public_opt_in: me.publicOptIn, public_name: me.publicName },
							{ coi_declaration: parsed.declaration, public_opt_in: parsed.publicOptIn, public_name: publicName }
						)
					},
					at
				);
				return { raterLabel: me.raterLabel, coiDeclaredAt: at, publicOptIn: parsed.publicOptIn, publicName };
			});
		},

		/**
		 * The expert declares their ratings complete: every item has a rating (a value or "cannot
		 * rate") and the conflict-of-interest declaration is made. They may still edit until the panel
		 * closes. Only submitted experts' ratings enter the scores.
		 */
		async submitRatings(ctx: RequestContext, viewer: Viewer, id: string) {
			const current = await loadFor(viewer, id, 'assessment.rate');
			const me = ownExpertRow(viewer, current);
			if (me.coiDeclaredAt === null) {
				throw validationError([
					{ field: 'coiDeclaration', message: 'declare any conflict of interest before submitting' }
				]);
			}
			const m = await methodologyOf(current.methodologyId);
			const mine = new Set((await listRatings(db, id, me.userId)).map((r) => `${r.itemType}:${r.itemKey}`));
			const missing = ratingItems(m).filter((i) => !mine.has(`${i.itemType}:${i.itemKey}`));
			if (missing.length > 0) {
				throw validationError(
					missing.map((i) => ({
						field: `${i.itemType}.${i.itemKey}`,
						message: 'has no rating yet (choose a value or "cannot rate")'
					})),
					`${missing.length} item(s) are not rated yet.`
				);
			}
			const at = now();
			return db.transaction(async (tx) => {
				await lockFor(tx, viewer, id, 'assessment.rate');
				await updateExpertMember(tx, id, me.userId, { submittedAt: at });
				await audit(
					tx,
					ctx,
					viewer,
					'assessment.ratings_submitted',
					id,
					{
						rater: { before: null, after: me.raterLabel },
						submitted_at: { before: iso(me.submittedAt), after: at.toISOString() }
					},
					at
				);
				return { raterLabel: me.raterLabel, submittedAt: at };
			});
		},

		/**
		 * Ratings as this viewer may see them: every expert's (with who gave them) for coordinators
		 * and admins once the panel is closed; otherwise an expert's own only; nobody else's ever.
		 */
		async getRatings(viewer: Viewer, id: string): Promise<RatingView[]> {
			const r = await loadReadable(viewer, id);
			if (can(viewer, 'assessment.read_ratings', r)) {
				const names = new Map(r.members.filter((m) => m.role === 'expert').map((m) => [m.userId, m.displayName]));
				return (await listRatings(db, id)).map((x) => ({
					userId: x.userId,
					raterLabel: x.raterLabel,
					displayName: names.get(x.userId) ?? null,
					itemType: x.itemType,
					itemKey: x.itemKey,
					value: x.value,
					comment: x.comment,
					updatedAt: x.updatedAt.toISOString()
				}));
			}
			const me =
				viewer.kind === 'user' ? r.members.find((m) => m.role === 'expert' && m.userId === viewer.user.id) : undefined;
			if (!me) throw new DomainError('FORBIDDEN', 'The ratings of this panel are not visible to you.');
			return (await listRatings(db, id, me.userId)).map((x) => ({
				userId: x.userId,
				raterLabel: x.raterLabel,
				displayName: me.displayName,
				itemType: x.itemType,
				itemKey: x.itemKey,
				value: x.value,
				comment: x.comment,
				updatedAt: x.updatedAt.toISOString()
			}));
		},

		/** Desk answers with evidence (everyone who may read the assessment). */
		async getDeskAnswers(viewer: Viewer, id: string): Promise<DeskAnswerRecord[]> {
			await loadReadable(viewer, id);
			return listDeskAnswers(db, id);
		},

		// Read models for the workspace pages ------------------------------------------------------

		/** The assessments the viewer works on or oversees, with their relation and status. */
		async listMyAssessments(viewer: Viewer): Promise<(AssessmentListRow & { relations: AssessmentRelation[] })[]> {
			if (viewer.kind === 'public') return [];
			const actor = accessActorOf(viewer);
			const candidates = await listCandidateAssessments(
				db,
				actor.role === 'admin'
					? 'all'
					: { userId: actor.id ?? '', organisationIds: actor.organisationIds, countries: actor.countries }
			);
			const out: (AssessmentListRow & { relations: AssessmentRelation[] })[] = [];
			for (const c of candidates) {
				const r = await findAssessment(db, c.id);
				if (!r || !can(viewer, 'assessment.read', r)) continue;
				out.push({ ...c, relations: relationsOf(viewer, r) });
			}
			return out;
		},

		/**
		 * The assessment's dashboard: status, team (expert identities for coordinators only), desk
		 * progress per objective, panel progress, and — for coordinators and admins — the flags the
		 * scoring raises on the current data (flags only: no scores before validation).
		 */
		async getDashboard(viewer: Viewer, id: string) {
			const r = await loadReadable(viewer, id);
			const m = await methodologyOf(r.methodologyId);
			const answers = await listDeskAnswers(db, id);
			const experts = r.members.filter((x) => x.role === 'expert');
			const coordinatorView = seesExpertIdentities(viewer, r);
			let flags: ScoreFlag[] | null = null;
			if (coordinatorView) {
				flags = computeScores(m, await scoringInput(db, r)).flags;
			}
			return {
				assessment: await view(viewer, r),
				permissions: permissionsOf(viewer, r),
				desk: deskProgress(m, answers),
				panel: {
					experts: experts.length,
					coiDeclared: experts.filter((x) => x.coiDeclaredAt !== null).length,
					submitted: experts.filter((x) => x.submittedAt !== null).length,
					closedAt: iso(r.panelClosedAt)
				},
				flags
			};
		},

		/** One objective's desk-research form: its variables, the current answers, the scales. */
		async getDeskForm(viewer: Viewer, id: string, objective: number) {
			const r = await loadReadable(viewer, id);
			const m = await methodologyOf(r.methodologyId);
			if (!isObjectiveNumber(objective) || !m.objectives.some((o) => o.number === objective)) {
				throw new DomainError('OBJECTIVE_NOT_FOUND', `No objective ${objective} in this methodology`);
			}
			const vars: Variable[] = m.variables.filter((v) => v.objective === objective);
			const answers = new Map(
				(
					await listDeskAnswers(
						db,
						id,
						vars.map((v) => v.key)
					)
				).map((a) => [a.variableKey, a])
			);
			const progress = deskProgress(m, [...answers.values()]).byObjective.find((p) => p.objective === objective);
			const actor = actorSnapshot(viewer);
			return {
				assessment: await view(viewer, r),
				objective,
				variables: vars.map((v) => {
					const a = answers.get(v.key) ?? null;
					return { variable: v, answer: a, canCheck: a !== null && a.answer !== null && a.answeredBy !== actor.id };
				}),
				answerScale: m.answerScale,
				evidenceTypes: EVIDENCE_TYPES,
				progress: progress ?? null,
				canAnswer: can(viewer, 'assessment.answer', r),
				canCheck: can(viewer, 'assessment.check', r)
			};
		},

		/** The expert's own rating form: items, scale, their ratings, declaration and submission. */
		async getRatingForm(viewer: Viewer, id: string) {
			const r = await loadReadable(viewer, id);
			const me = ownExpertRow(viewer, r);
			const m = await methodologyOf(r.methodologyId);
			const mine = new Map((await listRatings(db, id, me.userId)).map((x) => [`${x.itemType}:${x.itemKey}`, x]));
			return {
				assessment: await view(viewer, r),
				items: ratingItems(m).map((i) => {
					const x = mine.get(`${i.itemType}:${i.itemKey}`);
					return { ...i, rated: x !== undefined, value: x?.value ?? null, comment: x?.comment ?? '' };
				}),
				ratingScale: m.ratingScale,
				raterLabel: me.raterLabel,
				coiDeclaration: me.coiDeclaration,
				coiDeclaredAt: iso(me.coiDeclaredAt),
				publicOptIn: me.publicOptIn,
				publicName: me.publicName,
				submittedAt: iso(me.submittedAt),
				editable: can(viewer, 'assessment.rate', r) && r.panelClosedAt === null,
				enteredOnBehalf: await onBehalfUploads(r, me)
			};
		},

		/**
		 * The validation view (coordinators and admins, once the panel is closed): what is missing
		 * (unanswered variables, experts who did not submit, items without ratings), the flags, and
		 * the scores as they would be published now.
		 */
		async getValidation(viewer: Viewer, id: string) {
			const r = await loadFor(viewer, id, 'assessment.read_ratings');
			const m = await methodologyOf(r.methodologyId);
			const input = await scoringInput(db, r);
			const answered = new Set(input.answers.filter((a) => a.answer !== null).map((a) => a.variableKey));
			const experts = r.members.filter((x) => x.role === 'expert');
			const ratedBy = new Map<string, number>();
			for (const x of input.ratings) {
				if (x.value !== null)
					ratedBy.set(`${x.itemType}:${x.itemKey}`, (ratedBy.get(`${x.itemType}:${x.itemKey}`) ?? 0) + 1);
			}
			const scores = computeScores(m, input);
			return {
				assessment: await view(viewer, r),
				permissions: permissionsOf(viewer, r),
				missing: {
					variables: m.variables.filter((v) => !answered.has(v.key)).map((v) => v.key),
					expertsNotSubmitted: experts
						.filter((x) => x.submittedAt === null)
						.map((x) => ({
							raterLabel: x.raterLabel,
							displayName: x.displayName,
							coiDeclared: x.coiDeclaredAt !== null
						})),
					itemsWithoutRatings: ratingItems(m).filter((i) => !ratedBy.has(`${i.itemType}:${i.itemKey}`))
				},
				flags: scores.flags,
				scores
			};
		}
	};

	/**
	 * The uploads a coordinator made on this expert's behalf (from the audit trail, where they are
	 * recorded as such): when, by whom (the coordinator's name while they are on the team) and which
	 * items, so the expert checks them before submitting.
	 */
	async function onBehalfUploads(r: AssessmentRecord, expert: AssessmentMemberRecord): Promise<OnBehalfUpload[]> {
		const events = await listAuditEvents(db, {
			objectType: 'assessment',
			objectId: r.id,
			action: 'assessment.ratings_imported_for'
		});
		const names = new Map(r.members.filter((m) => m.role === 'coordinator').map((m) => [m.userId, m.displayName]));
		const out: OnBehalfUpload[] = [];
		for (const e of events) {
			const changes = e.changes as { rater?: { after?: unknown }; items?: { after?: unknown } };
			if (expert.raterLabel === null || changes.rater?.after !== expert.raterLabel) continue;
			const items = Array.isArray(changes.items?.after)
				? changes.items.after.filter((x): x is string => typeof x === 'string')
				: [];
			out.push({ at: e.at.toISOString(), by: (e.actorId && names.get(e.actorId)) || null, items });
		}
		return out;
	}

	function permissionsOf(viewer: Viewer, r: AssessmentRecord): Record<AssessmentAction, boolean> {
		const actor = accessActorOf(viewer);
		const subject = subjectOf(r);
		const out = {} as Record<AssessmentAction, boolean>;
		for (const a of ASSESSMENT_ACTIONS) {
			out[a] = canOnAssessment(actor, a, subject);
		}
		return out;
	}

	return service;
}

export type AssessmentService = ReturnType<typeof createAssessmentService>;

export interface DemoSeedReport {
	created: number;
	skipped: number;
	experts: number;
}

/**
 * `gcm seed --demo` only (never at start-up): loads the fictional demo country's assessments
 * (DEMO_COUNTRY, XDM) as published, labelled `fictional`, with fictional expert accounts (no
 * password, role `expert`, emails under example.org). Idempotent: an assessment that already
 * exists for the same country, edition and perspective is skipped, and accounts are reused.
 */
export async function seedDemoBenchmark(
	database: Database,
	options: { now?: () => Date } = {}
): Promise<DemoSeedReport> {
	const { db } = database;
	const at = (options.now ?? (() => new Date()))();
	const ensured = await ensureDefaultMethodology(database, { now: () => at });
	const row = await findMethodology(db, ensured.key, ensured.version);
	if (!row) throw new Error('the default methodology is missing after ensureDefaultMethodology');
	const m = toMethodologyVersion(row).definition;
	const ctx: RequestContext = { channel: 'cli', requestId: null };
	const report: DemoSeedReport = { created: 0, skipped: 0, experts: 0 };
	for (const demo of buildDemoAssessments(m)) {
		if (demo.country !== DEMO_COUNTRY.iso3) throw new Error(`demo data must be about ${DEMO_COUNTRY.iso3} only`);
		// Computed before the transaction: invalid demo data fails before anything is written.
		const scores = computeScores(m, { answers: demo.answers, ratings: demo.ratings });
		const created = await db.transaction(async (tx) => {
			const key = { country: demo.country, edition: demo.edition, perspective: demo.perspective };
			if (await findAssessmentId(tx, key)) return false;
			const id = await insertAssessment(tx, {
				...key,
				methodologyId: row.id,
				leadOrganisationId: null,
				title: demo.title,
				summary: demo.summary,
				fictional: true,
				createdBy: null,
				status: 'published',
				at
			});
			if (!id) return false;
			const userOf = new Map<string, string>();
			for (const e of demo.experts) {
				const email = `demo-expert-${sha256Hex(e.displayName).slice(0, 12)}@example.org`;
				const user =
					(await findUserByEmail(tx, email)) ??
					(await insertUser(tx, { email, displayName: e.displayName, role: 'expert', now: at }));
				userOf.set(e.rater, user.id);
				await insertMember(tx, {
					assessmentId: id,
					userId: user.id,
					role: 'expert',
					raterLabel: e.rater,
					invitedBy: null,
					publicOptIn: e.publicOptIn,
					publicName: e.publicOptIn ? e.displayName : null,
					coiDeclaration: e.coi === '' ? 'None declared (fictional).' : e.coi,
					coiDeclaredAt: at,
					submittedAt: at,
					at
				});
			}
			for (const a of demo.answers) {
				const version = await writeDeskAnswer(tx, {
					assessmentId: id,
					variableKey: a.variableKey,
					answer: a.answer,
					note: a.note,
					answeredBy: null,
					expectedVersion: 0,
					at
				});
				if (version === null) throw new Error(`demo answer ${a.variableKey} written twice`);
				// The second checks too: the stored scores flag the disputed one, and must follow from what is stored.
				if (a.check) {
					const checked = await writeDeskCheck(tx, {
						assessmentId: id,
						variableKey: a.variableKey,
						status: a.check.status,
						note: a.check.note,
						checkedBy: null,
						expectedVersion: version,
						at
					});
					if (checked === null) throw new Error(`demo answer ${a.variableKey} changed inside its own transaction`);
				}
				await replaceEvidence(tx, id, a.variableKey, a.evidence);
			}
			for (const x of demo.ratings) {
				const userId = userOf.get(x.rater);
				if (!userId) throw new Error(`demo rating by unknown rater ${x.rater}`);
				await upsertRating(tx, {
					assessmentId: id,
					userId,
					itemType: x.itemType,
					itemKey: x.itemKey,
					value: x.value,
					comment: x.comment,
					at
				});
			}
			if (
				!(await updateAssessment(
					tx,
					id,
					1,
					['published'],
					{ panelClosedAt: at, publishedAt: at, publishedScores: scores },
					at
				))
			) {
				throw new Error('demo assessment changed inside its own transaction');
			}
			await bumpBenchmarkVersion(tx);
			await insertAuditEvent(tx, {
				at,
				actorId: null,
				actorLabel: 'cli',
				actorRole: 'system',
				action: 'assessment.published',
				objectType: 'assessment',
				objectId: id,
				changes: {
					...diffFields(null, { ...key, title: demo.title, fictional: true, status: 'published' }),
					source: { before: null, after: 'demo' }
				},
				requestId: ctx.requestId,
				channel: ctx.channel
			});
			report.experts += demo.experts.length;
			return true;
		});
		if (created) report.created += 1;
		else report.skipped += 1;
	}
	return report;
}

/** One published assessment whose stored scores differ from what its stored data gives now. */
export interface ScoreMismatch {
	id: string;
	country: string;
	edition: number;
	perspective: AssessmentPerspective;
	/** `key@version` of the pinned methodology. */
	methodology: string;
	/** Paths of the first differing fields (`objectives[3].score`, `flags`), at most MAX_REPORTED_DIFFERENCES. */
	differences: string[];
	/** How many fields differ in all. */
	differenceCount: number;
}

export interface ScoreCheckReport {
	checked: number;
	matching: number;
	mismatches: ScoreMismatch[];
}

const MAX_REPORTED_DIFFERENCES = 5;
/** Assessments read per statement: ~50 × (95 answers with their evidence + ~165 ratings) at a time. */
const VERIFY_PAGE = 50;

function isPlainObject(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Paths where two JSON values differ (arrays by position, objects by key whatever their order:
 * jsonb does not keep key order). Numbers compare exactly; both sides must be JSON values already.
 */
function jsonDifferences(stored: unknown, recomputed: unknown, path: string, out: string[]): void {
	if (Array.isArray(stored) && Array.isArray(recomputed)) {
		const n = Math.max(stored.length, recomputed.length);
		for (let i = 0; i < n; i++) {
			const at = `${path}[${i}]`;
			if (i >= stored.length || i >= recomputed.length) out.push(at);
			else jsonDifferences(stored[i], recomputed[i], at, out);
		}
		return;
	}
	if (isPlainObject(stored) && isPlainObject(recomputed)) {
		const keys = new Set([...Object.keys(recomputed), ...Object.keys(stored)]);
		for (const key of keys) {
			const at = path === '' ? key : `${path}.${key}`;
			if (!(key in stored) || !(key in recomputed)) out.push(at);
			else jsonDifferences(stored[key], recomputed[key], at, out);
		}
		return;
	}
	if (stored !== recomputed) out.push(path === '' ? '(all)' : path);
}

/**
 * `gcm benchmark verify-scores` (and the performance benchmark): recomputes the scores of every
 * published assessment, all countries and editions, from its stored desk answers and its submitted
 * experts' ratings (scoringInputOf, the rule publication uses) under its pinned methodology, and
 * reports those whose stored scores differ, e.g. after a change of the scoring code. Read-only: it
 * never writes scores. Reads VERIFY_PAGE assessments at a time, each page in one statement (stored
 * scores and scoring data in one snapshot), so memory stays flat whatever the number of assessments.
 */
export async function verifyPublishedScores(
	database: Database,
	options: {
		/** Assessments per statement (default VERIFY_PAGE). */
		pageSize?: number;
	} = {}
): Promise<ScoreCheckReport> {
	const { db } = database;
	const pageSize = options.pageSize ?? VERIFY_PAGE;
	const report: ScoreCheckReport = { checked: 0, matching: 0, mismatches: [] };
	// Pinned methodologies: parsed once per id.
	const methodologies = new Map<string, Methodology>();
	let after: PublishedScoringCursor | null = null;
	for (;;) {
		const page = await listPublishedScoringPage(db, after, pageSize);
		for (const row of page) {
			let m = methodologies.get(row.methodologyId);
			if (!m) {
				const found = await findMethodologyById(db, row.methodologyId);
				if (!found) throw new Error(`methodology ${row.methodologyId} of assessment ${row.id} is missing`);
				m = toMethodologyVersion(found).definition;
				methodologies.set(row.methodologyId, m);
			}
			const differences: string[] = [];
			if (row.publishedScores === null) {
				differences.push('(no stored scores)');
			} else {
				try {
					const scores = computeScores(m, scoringInputOf(row.members, row.answers, row.ratings));
					// As stored: jsonb holds what JSON.stringify wrote (no undefined, -0 as 0).
					jsonDifferences(row.publishedScores, JSON.parse(JSON.stringify(scores)), '', differences);
				} catch (err) {
					// Data the scoring now refuses (e.g. an option the methodology no longer has) is a finding too.
					if (!(err instanceof DomainError)) throw err;
					differences.push(`(cannot recompute: ${err.message})`);
				}
			}
			report.checked += 1;
			if (differences.length === 0) report.matching += 1;
			else {
				report.mismatches.push({
					id: row.id,
					country: row.country,
					edition: row.edition,
					perspective: row.perspective,
					methodology: `${row.methodologyKey}@${row.methodologyVersion}`,
					differences: differences.slice(0, MAX_REPORTED_DIFFERENCES),
					differenceCount: differences.length
				});
			}
		}
		const last = page.at(-1);
		if (!last || page.length < pageSize) break;
		after = last;
	}
	return report;
}
