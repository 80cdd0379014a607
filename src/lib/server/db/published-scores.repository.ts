/**
 * Bulk reads for checking the stored scores of published assessments (verifyPublishedScores in
 * assessment.service.ts; SQL only). One statement reads a page of published assessments with their
 * stored scores and everything their scores are computed from (team, desk answers with evidence,
 * ratings), aggregated as JSON: one row per assessment, read in one snapshot, so a publication
 * meanwhile cannot pair old scores with new data. At 2,232 synthetic assessments (95 answers, ~110
 * evidence items and 160 ratings each; bench/lib/assessments.ts) on PGlite, reading them all takes
 * ~3.7 s this way against ~13 s with one statement per table and page (decoding 20k+ rows a page).
 */
import { sql } from 'drizzle-orm';
import type { AssessmentPerspective, EvidenceType } from '../../core/benchmarking/types';
import type { AssessmentMemberRecord, DeskAnswerRecord, RatingRecord } from './assessment.repository';
import type { Db } from './client';
import { rows } from './sql';

type Executor = Pick<Db, 'execute'>;

/** What the scoring reads of a team member, a desk answer and a rating (as listDeskAnswers and listRatings give them). */
export type ScoringMemberRecord = Pick<AssessmentMemberRecord, 'userId' | 'role' | 'submittedAt'>;
export type ScoringAnswerRecord = Pick<
	DeskAnswerRecord,
	'variableKey' | 'answer' | 'note' | 'evidence' | 'checkStatus' | 'checkNote'
>;
export type ScoringRatingRecord = Pick<
	RatingRecord,
	'userId' | 'raterLabel' | 'itemType' | 'itemKey' | 'value' | 'comment'
>;

export interface PublishedScoringRow {
	id: string;
	country: string;
	edition: number;
	perspective: AssessmentPerspective;
	methodologyId: string;
	methodologyKey: string;
	methodologyVersion: string;
	/** AssessmentScores as stored at publication (null would be a published row without scores). */
	publishedScores: unknown;
	members: ScoringMemberRecord[];
	answers: ScoringAnswerRecord[];
	ratings: ScoringRatingRecord[];
}

/** Where a page ends: the next page starts after this assessment. */
export type PublishedScoringCursor = Pick<PublishedScoringRow, 'country' | 'edition' | 'perspective' | 'id'>;

type MemberTuple = [userId: string, role: ScoringMemberRecord['role'], submittedAt: string | null];
type EvidenceTuple = [title: string, type: string, issuingBody: string, date: string, url: string, excerpt: string];
type AnswerTuple = [
	variableKey: string,
	answer: string | null,
	note: string,
	checkStatus: ScoringAnswerRecord['checkStatus'],
	checkNote: string | null,
	evidence: EvidenceTuple[] | null
];
type RatingTuple = [
	userId: string,
	raterLabel: string | null,
	itemType: ScoringRatingRecord['itemType'],
	itemKey: string,
	value: number | null,
	comment: string
];

interface Row {
	id: string;
	country: string;
	edition: number | string;
	perspective: string;
	methodology_id: string;
	methodology_key: string;
	methodology_version: string;
	published_scores: unknown;
	members: MemberTuple[] | null;
	answers: AnswerTuple[] | null;
	ratings: RatingTuple[] | null;
}

/**
 * Published assessments (with or without stored scores) after `after`, by country, edition,
 * perspective and id, with their scoring data. Answers come by variable key with their evidence by
 * position, ratings in listRatings' order (rater label, item type, item key): the scores of an item
 * reach the statistics in the same order as at publication. (JSON arrays rather than objects: a
 * third less text to build and parse.)
 */
export async function listPublishedScoringPage(
	db: Executor,
	after: PublishedScoringCursor | null,
	limit: number
): Promise<PublishedScoringRow[]> {
	const from =
		after === null
			? sql``
			: sql`AND (a.country, a.edition, a.perspective, a.id) > (${after.country}, ${after.edition}, ${after.perspective}, ${after.id}::uuid)`;
	const r = await rows<Row>(
		db,
		sql`SELECT a.id, a.country, a.edition, a.perspective, a.methodology_id,
		           m.key AS methodology_key, m.version AS methodology_version, a.published_scores,
		           (SELECT json_agg(json_build_array(t.user_id, t.role, t.submitted_at))
		              FROM assessment_member t WHERE t.assessment_id = a.id) AS members,
		           (SELECT json_agg(json_build_array(d.variable_key, d.answer, d.note, d.check_status, d.check_note, ev.items)
		                   ORDER BY d.variable_key)
		              FROM desk_answer d
		              LEFT JOIN (SELECT e.variable_key,
		                                json_agg(json_build_array(e.title, e.type, e.issuing_body, e.date, e.url, e.excerpt)
		                                         ORDER BY e.position) AS items
		                           FROM evidence e WHERE e.assessment_id = a.id GROUP BY e.variable_key) ev
		                ON ev.variable_key = d.variable_key
		             WHERE d.assessment_id = a.id) AS answers,
		           (SELECT json_agg(json_build_array(x.user_id, t.rater_label, x.item_type, x.item_key, x.value, x.comment)
		                   ORDER BY t.rater_label, x.item_type, x.item_key)
		              FROM expert_rating x
		              LEFT JOIN assessment_member t
		                ON t.assessment_id = x.assessment_id AND t.user_id = x.user_id AND t.role = 'expert'
		             WHERE x.assessment_id = a.id) AS ratings
		      FROM assessment a
		      JOIN methodology m ON m.id = a.methodology_id
		     WHERE a.status = 'published' ${from}
		     ORDER BY a.country, a.edition, a.perspective, a.id
		     LIMIT ${limit}`
	);
	return r.map((x) => ({
		id: x.id,
		country: x.country,
		edition: Number(x.edition),
		perspective: x.perspective as AssessmentPerspective,
		methodologyId: x.methodology_id,
		methodologyKey: x.methodology_key,
		methodologyVersion: x.methodology_version,
		publishedScores: x.published_scores,
		members: (x.members ?? []).map(([userId, role, submittedAt]) => ({
			userId,
			role,
			submittedAt: submittedAt === null ? null : new Date(submittedAt)
		})),
		answers: (x.answers ?? []).map(([variableKey, answer, note, checkStatus, checkNote, evidence]) => ({
			variableKey,
			answer,
			note,
			checkStatus,
			checkNote,
			evidence: (evidence ?? []).map(([title, type, issuingBody, date, url, excerpt]) => ({
				title,
				type: type as EvidenceType,
				issuingBody,
				date,
				url,
				excerpt
			}))
		})),
		ratings: (x.ratings ?? []).map(([userId, raterLabel, itemType, itemKey, value, comment]) => ({
			userId,
			raterLabel,
			itemType,
			itemKey,
			value,
			comment
		}))
	}));
}
