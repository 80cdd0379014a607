/**
 * Assessments, their team, desk answers with evidence, and expert ratings (SQL only; the rules
 * live in assessment.service.ts). Versioned writes are `WHERE id AND version` and report whether
 * they hit a row, so the service can answer CONFLICT.
 */
import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type {
	AssessmentMemberRole,
	AssessmentPerspective,
	AssessmentStatus,
	Evidence,
	EvidenceType,
	ItemType
} from '../../core/benchmarking/types';
import type { Db } from './client';
import { appUser, assessment, assessmentMember, deskAnswer, evidence, expertRating, methodology } from './schema';

type Executor = Pick<Db, 'select' | 'insert' | 'update' | 'delete' | 'execute'>;

export interface AssessmentMemberRecord {
	userId: string;
	role: AssessmentMemberRole;
	email: string;
	displayName: string;
	raterLabel: string | null;
	coiDeclaration: string | null;
	coiDeclaredAt: Date | null;
	publicOptIn: boolean;
	publicName: string | null;
	submittedAt: Date | null;
	invitedBy: string | null;
	createdAt: Date;
}

export interface AssessmentRecord {
	id: string;
	country: string;
	edition: number;
	perspective: AssessmentPerspective;
	methodologyId: string;
	leadOrganisationId: string | null;
	status: AssessmentStatus;
	title: string;
	summary: string;
	fictional: boolean;
	panelClosedAt: Date | null;
	publishedAt: Date | null;
	/** AssessmentScores as stored at publication; null unless published. */
	publishedScores: unknown;
	version: number;
	createdBy: string | null;
	createdAt: Date;
	updatedAt: Date;
	members: AssessmentMemberRecord[];
}

type AssessmentRow = typeof assessment.$inferSelect;

function toAssessment(r: AssessmentRow, members: AssessmentMemberRecord[]): AssessmentRecord {
	return {
		...r,
		perspective: r.perspective as AssessmentPerspective,
		status: r.status as AssessmentStatus,
		members
	};
}

export async function listMembers(db: Executor, assessmentId: string): Promise<AssessmentMemberRecord[]> {
	const r = await db
		.select({
			userId: assessmentMember.userId,
			role: assessmentMember.role,
			email: appUser.email,
			displayName: appUser.displayName,
			raterLabel: assessmentMember.raterLabel,
			coiDeclaration: assessmentMember.coiDeclaration,
			coiDeclaredAt: assessmentMember.coiDeclaredAt,
			publicOptIn: assessmentMember.publicOptIn,
			publicName: assessmentMember.publicName,
			submittedAt: assessmentMember.submittedAt,
			invitedBy: assessmentMember.invitedBy,
			createdAt: assessmentMember.createdAt
		})
		.from(assessmentMember)
		.innerJoin(appUser, eq(appUser.id, assessmentMember.userId))
		.where(eq(assessmentMember.assessmentId, assessmentId))
		.orderBy(asc(assessmentMember.createdAt), asc(assessmentMember.role), asc(assessmentMember.userId));
	return r.map((m) => ({ ...m, role: m.role as AssessmentMemberRole }));
}

/**
 * One assessment with its team. `lock: 'share'` holds the row against concurrent status changes
 * for the rest of the transaction (answers and ratings are written only in some states).
 */
export async function findAssessment(
	db: Executor,
	id: string,
	lock: 'share' | 'update' | null = null
): Promise<AssessmentRecord | null> {
	const q = db.select().from(assessment).where(eq(assessment.id, id)).limit(1);
	const [r] = lock === 'share' ? await q.for('share') : lock === 'update' ? await q.for('update') : await q;
	if (!r) return null;
	return toAssessment(r, await listMembers(db, id));
}

export async function findAssessmentId(
	db: Executor,
	key: { country: string; edition: number; perspective: AssessmentPerspective }
): Promise<string | null> {
	const [r] = await db
		.select({ id: assessment.id })
		.from(assessment)
		.where(
			and(
				eq(assessment.country, key.country),
				eq(assessment.edition, key.edition),
				eq(assessment.perspective, key.perspective)
			)
		)
		.limit(1);
	return r?.id ?? null;
}

export interface NewAssessment {
	country: string;
	edition: number;
	perspective: AssessmentPerspective;
	methodologyId: string;
	leadOrganisationId: string | null;
	title: string;
	summary: string;
	fictional: boolean;
	createdBy: string | null;
	status?: AssessmentStatus;
	at: Date;
}

/** Inserts an assessment; null when one exists for the same country, edition and perspective. */
export async function insertAssessment(tx: Executor, input: NewAssessment): Promise<string | null> {
	const [r] = await tx
		.insert(assessment)
		.values({
			country: input.country,
			edition: input.edition,
			perspective: input.perspective,
			methodologyId: input.methodologyId,
			leadOrganisationId: input.leadOrganisationId,
			title: input.title,
			summary: input.summary,
			fictional: input.fictional,
			createdBy: input.createdBy,
			status: input.status ?? 'draft',
			createdAt: input.at,
			updatedAt: input.at
		})
		.onConflictDoNothing()
		.returning({ id: assessment.id });
	return r?.id ?? null;
}

export interface AssessmentChange {
	title?: string;
	summary?: string;
	leadOrganisationId?: string | null;
	status?: AssessmentStatus;
	panelClosedAt?: Date | null;
	publishedAt?: Date | null;
	publishedScores?: unknown;
}

/**
 * The versioned write: applies the change and bumps the version only if the row is still at
 * `version` and in one of `states`. False when someone else changed it first.
 */
export async function updateAssessment(
	tx: Executor,
	id: string,
	version: number,
	states: readonly AssessmentStatus[],
	change: AssessmentChange,
	at: Date
): Promise<boolean> {
	const set: Partial<typeof assessment.$inferInsert> = { updatedAt: at, version: version + 1 };
	if (change.title !== undefined) set.title = change.title;
	if (change.summary !== undefined) set.summary = change.summary;
	if (change.leadOrganisationId !== undefined) set.leadOrganisationId = change.leadOrganisationId;
	if (change.status !== undefined) set.status = change.status;
	if (change.panelClosedAt !== undefined) set.panelClosedAt = change.panelClosedAt;
	if (change.publishedAt !== undefined) set.publishedAt = change.publishedAt;
	if (change.publishedScores !== undefined) set.publishedScores = change.publishedScores;
	const r = await tx
		.update(assessment)
		.set(set)
		.where(and(eq(assessment.id, id), eq(assessment.version, version), inArray(assessment.status, [...states])))
		.returning({ id: assessment.id });
	return r.length === 1;
}

/** Adds a team member; false when the person already has that role on the assessment. */
export async function insertMember(
	tx: Executor,
	input: {
		assessmentId: string;
		userId: string;
		role: AssessmentMemberRole;
		raterLabel?: string | null;
		invitedBy: string | null;
		publicOptIn?: boolean;
		publicName?: string | null;
		coiDeclaration?: string | null;
		coiDeclaredAt?: Date | null;
		submittedAt?: Date | null;
		at: Date;
	}
): Promise<boolean> {
	const r = await tx
		.insert(assessmentMember)
		.values({
			assessmentId: input.assessmentId,
			userId: input.userId,
			role: input.role,
			raterLabel: input.raterLabel ?? null,
			invitedBy: input.invitedBy,
			publicOptIn: input.publicOptIn ?? false,
			publicName: input.publicName ?? null,
			coiDeclaration: input.coiDeclaration ?? null,
			coiDeclaredAt: input.coiDeclaredAt ?? null,
			submittedAt: input.submittedAt ?? null,
			createdAt: input.at
		})
		.onConflictDoNothing()
		.returning({ userId: assessmentMember.userId });
	return r.length === 1;
}

/** The next opaque rater label (`E1`, `E2` …): one more than the highest used on the assessment. */
export async function nextRaterLabel(tx: Executor, assessmentId: string): Promise<string> {
	const labels = await tx
		.select({ label: assessmentMember.raterLabel })
		.from(assessmentMember)
		.where(and(eq(assessmentMember.assessmentId, assessmentId), eq(assessmentMember.role, 'expert')));
	const highest = labels.reduce((n, l) => {
		const m = /^E(\d+)$/.exec(l.label ?? '');
		return m ? Math.max(n, Number(m[1])) : n;
	}, 0);
	return `E${highest + 1}`;
}

/** Changes an expert's own membership fields (COI, opt-in, submission). */
export async function updateExpertMember(
	tx: Executor,
	assessmentId: string,
	userId: string,
	fields: Partial<
		Pick<AssessmentMemberRecord, 'coiDeclaration' | 'coiDeclaredAt' | 'publicOptIn' | 'publicName' | 'submittedAt'>
	>
): Promise<boolean> {
	const r = await tx
		.update(assessmentMember)
		.set(fields)
		.where(
			and(
				eq(assessmentMember.assessmentId, assessmentId),
				eq(assessmentMember.userId, userId),
				eq(assessmentMember.role, 'expert')
			)
		)
		.returning({ userId: assessmentMember.userId });
	return r.length === 1;
}

// Desk answers ---------------------------------------------------------------------------------

export interface DeskAnswerRecord {
	variableKey: string;
	answer: string | null;
	note: string;
	answeredBy: string | null;
	checkStatus: 'agreed' | 'disputed' | null;
	checkNote: string | null;
	checkedBy: string | null;
	checkedAt: Date | null;
	version: number;
	updatedAt: Date;
	evidence: Evidence[];
}

/** An evidence row as the domain's Evidence (the stored type is one of EVIDENCE_TYPES: a CHECK keeps it). */
function toEvidence(e: {
	title: string;
	type: string;
	issuingBody: string;
	date: string;
	url: string;
	excerpt: string;
}): Evidence {
	return {
		title: e.title,
		type: e.type as EvidenceType,
		issuingBody: e.issuingBody,
		date: e.date,
		url: e.url,
		excerpt: e.excerpt
	};
}

export async function listDeskAnswers(
	db: Executor,
	assessmentId: string,
	variableKeys?: readonly string[]
): Promise<DeskAnswerRecord[]> {
	if (variableKeys && variableKeys.length === 0) return [];
	const keyFilter = (col: typeof deskAnswer.variableKey | typeof evidence.variableKey): SQL | undefined =>
		variableKeys ? inArray(col, [...variableKeys]) : undefined;
	const answers = await db
		.select()
		.from(deskAnswer)
		.where(and(eq(deskAnswer.assessmentId, assessmentId), keyFilter(deskAnswer.variableKey)))
		.orderBy(asc(deskAnswer.variableKey));
	const items = await db
		.select()
		.from(evidence)
		.where(and(eq(evidence.assessmentId, assessmentId), keyFilter(evidence.variableKey)))
		.orderBy(asc(evidence.variableKey), asc(evidence.position));
	const byKey = new Map<string, Evidence[]>();
	for (const e of items) {
		const list = byKey.get(e.variableKey) ?? [];
		list.push(toEvidence(e));
		byKey.set(e.variableKey, list);
	}
	return answers.map((a) => ({
		variableKey: a.variableKey,
		answer: a.answer,
		note: a.note,
		answeredBy: a.answeredBy,
		checkStatus: a.checkStatus as 'agreed' | 'disputed' | null,
		checkNote: a.checkNote,
		checkedBy: a.checkedBy,
		checkedAt: a.checkedAt,
		version: a.version,
		updatedAt: a.updatedAt,
		evidence: byKey.get(a.variableKey) ?? []
	}));
}

/** An answer as the public evidence export shows it: no notes, checks or who answered. */
export type PublicDeskAnswer = Pick<DeskAnswerRecord, 'variableKey' | 'answer' | 'evidence'>;

/**
 * The answers and evidence of several assessments in two statements (not two per assessment), by
 * assessment id; each assessment's list is ordered as listDeskAnswers orders it. Assessments
 * without answers are absent from the map.
 */
export async function listDeskAnswersByAssessment(
	db: Executor,
	assessmentIds: readonly string[]
): Promise<Map<string, PublicDeskAnswer[]>> {
	const out = new Map<string, PublicDeskAnswer[]>();
	if (assessmentIds.length === 0) return out;
	const ids = [...assessmentIds];
	const answers = await db
		.select({ assessmentId: deskAnswer.assessmentId, variableKey: deskAnswer.variableKey, answer: deskAnswer.answer })
		.from(deskAnswer)
		.where(inArray(deskAnswer.assessmentId, ids))
		.orderBy(asc(deskAnswer.assessmentId), asc(deskAnswer.variableKey));
	const items = await db
		.select({
			assessmentId: evidence.assessmentId,
			variableKey: evidence.variableKey,
			title: evidence.title,
			type: evidence.type,
			issuingBody: evidence.issuingBody,
			date: evidence.date,
			url: evidence.url,
			excerpt: evidence.excerpt
		})
		.from(evidence)
		.where(inArray(evidence.assessmentId, ids))
		.orderBy(asc(evidence.assessmentId), asc(evidence.variableKey), asc(evidence.position));
	// Keyed by assessment id (a uuid, so fixed length) and variable key.
	const byAnswer = new Map<string, Evidence[]>();
	for (const e of items) {
		const key = `${e.assessmentId}|${e.variableKey}`;
		const item = toEvidence(e);
		const list = byAnswer.get(key);
		if (list) list.push(item);
		else byAnswer.set(key, [item]);
	}
	for (const a of answers) {
		const answer: PublicDeskAnswer = {
			variableKey: a.variableKey,
			answer: a.answer,
			evidence: byAnswer.get(`${a.assessmentId}|${a.variableKey}`) ?? []
		};
		const list = out.get(a.assessmentId);
		if (list) list.push(answer);
		else out.set(a.assessmentId, [answer]);
	}
	return out;
}

/**
 * Writes one answer. `expectedVersion` 0 means "there is no answer yet" (an insert that fails if
 * one appeared meanwhile); otherwise the row must still be at that version, or null skips the
 * check (the all-or-nothing offline upload). Changing the answer clears a previous second check.
 * Returns the new version, or null on a version conflict.
 */
export async function writeDeskAnswer(
	tx: Executor,
	input: {
		assessmentId: string;
		variableKey: string;
		answer: string | null;
		note: string;
		answeredBy: string | null;
		expectedVersion: number | null;
		at: Date;
	}
): Promise<number | null> {
	const values = {
		assessmentId: input.assessmentId,
		variableKey: input.variableKey,
		answer: input.answer,
		note: input.note,
		answeredBy: input.answeredBy,
		updatedAt: input.at
	};
	const reset = { checkStatus: null, checkNote: null, checkedBy: null, checkedAt: null };
	if (input.expectedVersion === 0) {
		const r = await tx.insert(deskAnswer).values(values).onConflictDoNothing().returning({ v: deskAnswer.version });
		return r[0]?.v ?? null;
	}
	if (input.expectedVersion === null) {
		const r = await tx
			.insert(deskAnswer)
			.values(values)
			.onConflictDoUpdate({
				target: [deskAnswer.assessmentId, deskAnswer.variableKey],
				set: {
					answer: input.answer,
					note: input.note,
					answeredBy: input.answeredBy,
					updatedAt: input.at,
					version: sql`${deskAnswer.version} + 1`,
					checkStatus: sql`CASE WHEN ${deskAnswer.answer} IS NOT DISTINCT FROM excluded.answer THEN ${deskAnswer.checkStatus} END`,
					checkNote: sql`CASE WHEN ${deskAnswer.answer} IS NOT DISTINCT FROM excluded.answer THEN ${deskAnswer.checkNote} END`,
					checkedBy: sql`CASE WHEN ${deskAnswer.answer} IS NOT DISTINCT FROM excluded.answer THEN ${deskAnswer.checkedBy} END`,
					checkedAt: sql`CASE WHEN ${deskAnswer.answer} IS NOT DISTINCT FROM excluded.answer THEN ${deskAnswer.checkedAt} END`
				}
			})
			.returning({ v: deskAnswer.version });
		return r[0]?.v ?? null;
	}
	const [current] = await tx
		.select({ answer: deskAnswer.answer })
		.from(deskAnswer)
		.where(and(eq(deskAnswer.assessmentId, input.assessmentId), eq(deskAnswer.variableKey, input.variableKey)));
	const r = await tx
		.update(deskAnswer)
		.set({
			answer: input.answer,
			note: input.note,
			answeredBy: input.answeredBy,
			updatedAt: input.at,
			version: input.expectedVersion + 1,
			...(current && current.answer !== input.answer ? reset : {})
		})
		.where(
			and(
				eq(deskAnswer.assessmentId, input.assessmentId),
				eq(deskAnswer.variableKey, input.variableKey),
				eq(deskAnswer.version, input.expectedVersion)
			)
		)
		.returning({ v: deskAnswer.version });
	return r[0]?.v ?? null;
}

/** Replaces the evidence list of one answer (delete + insert in the caller's transaction). */
export async function replaceEvidence(
	tx: Executor,
	assessmentId: string,
	variableKey: string,
	items: readonly Evidence[]
): Promise<void> {
	await tx.delete(evidence).where(and(eq(evidence.assessmentId, assessmentId), eq(evidence.variableKey, variableKey)));
	if (items.length === 0) return;
	await tx.insert(evidence).values(
		items.map((e, position) => ({
			assessmentId,
			variableKey,
			position,
			title: e.title,
			type: e.type,
			issuingBody: e.issuingBody,
			date: e.date,
			url: e.url,
			excerpt: e.excerpt
		}))
	);
}

/** Records the second check of an answer at `expectedVersion`; returns the new version or null. */
export async function writeDeskCheck(
	tx: Executor,
	input: {
		assessmentId: string;
		variableKey: string;
		status: 'agreed' | 'disputed';
		note: string;
		checkedBy: string | null;
		expectedVersion: number;
		at: Date;
	}
): Promise<number | null> {
	const r = await tx
		.update(deskAnswer)
		.set({
			checkStatus: input.status,
			checkNote: input.note,
			checkedBy: input.checkedBy,
			checkedAt: input.at,
			updatedAt: input.at,
			version: input.expectedVersion + 1
		})
		.where(
			and(
				eq(deskAnswer.assessmentId, input.assessmentId),
				eq(deskAnswer.variableKey, input.variableKey),
				eq(deskAnswer.version, input.expectedVersion)
			)
		)
		.returning({ v: deskAnswer.version });
	return r[0]?.v ?? null;
}

// Expert ratings -------------------------------------------------------------------------------

export interface RatingRecord {
	userId: string;
	raterLabel: string | null;
	itemType: ItemType;
	itemKey: string;
	value: number | null;
	comment: string;
	updatedAt: Date;
}

/** Ratings of an assessment; with `userId`, only that expert's. */
export async function listRatings(db: Executor, assessmentId: string, userId?: string): Promise<RatingRecord[]> {
	const r = await db
		.select({
			userId: expertRating.userId,
			raterLabel: assessmentMember.raterLabel,
			itemType: expertRating.itemType,
			itemKey: expertRating.itemKey,
			value: expertRating.value,
			comment: expertRating.comment,
			updatedAt: expertRating.updatedAt
		})
		.from(expertRating)
		.leftJoin(
			assessmentMember,
			and(
				eq(assessmentMember.assessmentId, expertRating.assessmentId),
				eq(assessmentMember.userId, expertRating.userId),
				eq(assessmentMember.role, 'expert')
			)
		)
		.where(
			and(
				eq(expertRating.assessmentId, assessmentId),
				userId === undefined ? undefined : eq(expertRating.userId, userId)
			)
		)
		.orderBy(asc(assessmentMember.raterLabel), asc(expertRating.itemType), asc(expertRating.itemKey));
	return r.map((x) => ({ ...x, itemType: x.itemType as ItemType }));
}

export async function upsertRating(
	tx: Executor,
	input: {
		assessmentId: string;
		userId: string;
		itemType: ItemType;
		itemKey: string;
		value: number | null;
		comment: string;
		at: Date;
	}
): Promise<void> {
	await tx
		.insert(expertRating)
		.values({ ...input, updatedAt: input.at })
		.onConflictDoUpdate({
			target: [expertRating.assessmentId, expertRating.userId, expertRating.itemType, expertRating.itemKey],
			set: { value: input.value, comment: input.comment, updatedAt: input.at }
		});
}

// Lists ----------------------------------------------------------------------------------------

export interface AssessmentListRow {
	id: string;
	country: string;
	edition: number;
	perspective: AssessmentPerspective;
	status: AssessmentStatus;
	title: string;
	fictional: boolean;
	version: number;
	updatedAt: Date;
	methodologyKey: string;
	methodologyVersion: string;
}

const listColumns = {
	id: assessment.id,
	country: assessment.country,
	edition: assessment.edition,
	perspective: assessment.perspective,
	status: assessment.status,
	title: assessment.title,
	fictional: assessment.fictional,
	version: assessment.version,
	updatedAt: assessment.updatedAt,
	methodologyKey: methodology.key,
	methodologyVersion: methodology.version
};

/**
 * Candidate assessments for a signed-in person's list: those they are on the team of, those of
 * their organisations (as lead) and those of their countries. The service filters the candidates
 * through the policy, so this only narrows the scan.
 */
export async function listCandidateAssessments(
	db: Executor,
	who: { userId: string; organisationIds: readonly string[]; countries: readonly string[] } | 'all'
): Promise<AssessmentListRow[]> {
	let where: SQL | undefined;
	if (who !== 'all') {
		const parts: SQL[] = [
			sql`${assessment.id} IN (SELECT assessment_id FROM assessment_member WHERE user_id = ${who.userId}::uuid)`
		];
		if (who.organisationIds.length > 0) parts.push(inArray(assessment.leadOrganisationId, [...who.organisationIds]));
		if (who.countries.length > 0) parts.push(inArray(assessment.country, [...who.countries]));
		where = sql.join(parts, sql` OR `);
		where = sql`(${where})`;
	}
	const r = await db
		.select(listColumns)
		.from(assessment)
		.innerJoin(methodology, eq(methodology.id, assessment.methodologyId))
		.where(where)
		.orderBy(asc(assessment.country), asc(assessment.edition), asc(assessment.perspective), asc(assessment.id));
	return r.map((x) => ({
		...x,
		perspective: x.perspective as AssessmentPerspective,
		status: x.status as AssessmentStatus
	}));
}

export interface PublishedAssessmentRow {
	id: string;
	country: string;
	edition: number;
	perspective: AssessmentPerspective;
	title: string;
	summary: string;
	fictional: boolean;
	publishedAt: Date;
	publishedScores: unknown;
	/**
	 * The methodology's key and version only: its definition (tens of KB of JSON) is the same for
	 * every assessment of a version, so callers read it once per version (published ones never change).
	 */
	methodologyId: string;
	methodologyKey: string;
	methodologyVersion: string;
}

export interface PublishedFilter {
	/** One assessment by id (a uuid: callers check the format first). */
	id?: string;
	country?: string;
	countries?: readonly string[];
	edition?: number;
	perspective?: AssessmentPerspective;
}

/** Published assessments only — the one query public read models start from. */
export async function listPublishedAssessmentRows(
	db: Executor,
	filter: PublishedFilter = {}
): Promise<PublishedAssessmentRow[]> {
	const r = await db
		.select({
			id: assessment.id,
			country: assessment.country,
			edition: assessment.edition,
			perspective: assessment.perspective,
			title: assessment.title,
			summary: assessment.summary,
			fictional: assessment.fictional,
			publishedAt: assessment.publishedAt,
			publishedScores: assessment.publishedScores,
			methodologyId: methodology.id,
			methodologyKey: methodology.key,
			methodologyVersion: methodology.version
		})
		.from(assessment)
		.innerJoin(methodology, eq(methodology.id, assessment.methodologyId))
		.where(
			and(
				eq(assessment.status, 'published'),
				sql`${assessment.publishedScores} IS NOT NULL`,
				filter.id === undefined ? undefined : eq(assessment.id, filter.id),
				filter.country === undefined ? undefined : eq(assessment.country, filter.country),
				filter.countries === undefined ? undefined : inArray(assessment.country, [...filter.countries]),
				filter.edition === undefined ? undefined : eq(assessment.edition, filter.edition),
				filter.perspective === undefined ? undefined : eq(assessment.perspective, filter.perspective)
			)
		)
		.orderBy(asc(assessment.country), asc(assessment.edition), asc(assessment.perspective), asc(assessment.id));
	return r.map((x) => ({
		...x,
		perspective: x.perspective as AssessmentPerspective,
		publishedAt: x.publishedAt ?? new Date(0)
	}));
}

/** Experts of published assessments: how many, and the public names of those who opted in. */
export async function listPublishedExperts(
	db: Executor,
	assessmentIds: readonly string[]
): Promise<{ assessmentId: string; publicOptIn: boolean; publicName: string | null; raterLabel: string | null }[]> {
	if (assessmentIds.length === 0) return [];
	return db
		.select({
			assessmentId: assessmentMember.assessmentId,
			publicOptIn: assessmentMember.publicOptIn,
			publicName: assessmentMember.publicName,
			raterLabel: assessmentMember.raterLabel
		})
		.from(assessmentMember)
		.where(and(inArray(assessmentMember.assessmentId, [...assessmentIds]), eq(assessmentMember.role, 'expert')))
		.orderBy(asc(assessmentMember.assessmentId), asc(assessmentMember.raterLabel));
}

/** Counts used by the demo seed's idempotence check. */
export async function countAssessments(db: Executor, filter: { country?: string } = {}): Promise<number> {
	const [r] = await db
		.select({ n: sql<number>`count(*)::int` })
		.from(assessment)
		.where(filter.country === undefined ? undefined : eq(assessment.country, filter.country));
	return Number(r?.n ?? 0);
}

export async function organisationExists(db: Executor, id: string): Promise<boolean> {
	const r = (await db.execute(sql`SELECT 1 AS one FROM organisation WHERE id = ${id}::uuid`)) as unknown as {
		rows: unknown[];
	};
	return r.rows.length > 0;
}

// The benchmark data version -------------------------------------------------------------------

/** Bumped in every transaction that changes what public benchmark pages show (publish, unpublish). */
export async function bumpBenchmarkVersion(tx: Pick<Db, 'execute'>): Promise<void> {
	await tx.execute(
		sql`INSERT INTO data_version (scope, version) VALUES ('benchmark', 1)
		    ON CONFLICT (scope) DO UPDATE SET version = data_version.version + 1`
	);
}

export async function readBenchmarkVersion(db: Pick<Db, 'execute'>): Promise<number> {
	const result = (await db.execute(sql`SELECT version FROM data_version WHERE scope = 'benchmark'`)) as unknown as {
		rows: { version: number | string }[];
	};
	return Number(result.rows[0]?.version ?? 0);
}
