/** Practice persistence (seed report Annex 3 and later additions). */
import { sql } from 'drizzle-orm';
import type { Practice, PracticeInput } from '../../core/registry/practice';
import type { RecordStatus } from '../../core/registry/vocabulary';
import type { Db } from './client';
import type { Visibility } from './initiative.repository';
import { bumpRegistryVersion } from './data-version.repository';
import { isoTimestamp, rows } from './sql';

type Executor = Pick<Db, 'execute'>;

interface PracticeRow {
	id: string;
	key: string;
	name: string;
	implementing_partners: string;
	period_start: number | null;
	period_end: number | null;
	period_text: string | null;
	description: string;
	more_information: string | null;
	report_row: number | null;
	original_text: string | null;
	status: string;
	version: number;
	created_at: string;
	updated_at: string;
	countries: string[] | null;
	objectives: number[] | null;
}

const SELECT = sql`p.id, p.key, p.name, p.implementing_partners, p.period_start, p.period_end, p.period_text, p.description,
	p.more_information, p.report_row, p.original_text, p.status, p.version,
	${isoTimestamp(sql`p.created_at`)} AS created_at, ${isoTimestamp(sql`p.updated_at`)} AS updated_at,
	ARRAY(SELECT c.iso3 FROM practice_country c WHERE c.practice_id = p.id ORDER BY c.iso3) AS countries,
	ARRAY(SELECT o.objective::int FROM practice_objective o WHERE o.practice_id = p.id ORDER BY o.objective) AS objectives`;

function toPractice(r: PracticeRow): Practice {
	return {
		id: r.id,
		key: r.key,
		name: r.name,
		implementingPartners: r.implementing_partners,
		periodStart: r.period_start === null ? null : Number(r.period_start),
		periodEnd: r.period_end === null ? null : Number(r.period_end),
		periodText: r.period_text,
		description: r.description,
		moreInformation: r.more_information,
		countries: r.countries ?? [],
		objectives: (r.objectives ?? []).map(Number),
		reportRow: r.report_row,
		originalText: r.original_text,
		status: r.status as RecordStatus,
		version: r.version,
		createdAt: r.created_at,
		updatedAt: r.updated_at
	};
}

export async function listPractices(db: Executor, visibility: Visibility): Promise<Practice[]> {
	const where = visibility === 'published' ? sql`WHERE p.status = 'published'` : sql``;
	const r = await rows<PracticeRow>(
		db,
		sql`SELECT ${SELECT} FROM practice p ${where} ORDER BY p.period_start NULLS LAST, p.name`
	);
	return r.map(toPractice);
}

export async function findPractice(db: Executor, id: string, visibility: Visibility): Promise<Practice | null> {
	const vis = visibility === 'published' ? sql`AND p.status = 'published'` : sql``;
	const r = await rows<PracticeRow>(db, sql`SELECT ${SELECT} FROM practice p WHERE p.id = ${id}::uuid ${vis}`);
	return r[0] ? toPractice(r[0]) : null;
}

export async function upsertPractices(
	tx: Executor,
	inputs: readonly PracticeInput[],
	status: RecordStatus
): Promise<number> {
	await bumpRegistryVersion(tx);
	for (const p of inputs) {
		const published = status === 'published' ? sql`now()` : sql`NULL`;
		const saved = await rows<{ id: string }>(
			tx,
			sql`INSERT INTO practice (key, name, implementing_partners, period_start, period_end, period_text, description,
			      more_information, report_row, original_text, status, published_at)
			    VALUES (${p.key}, ${p.name}, ${p.implementingPartners}, ${p.periodStart}, ${p.periodEnd}, ${p.periodText},
			      ${p.description}, ${p.moreInformation}, ${p.reportRow}, ${p.originalText}, ${status}, ${published})
			    ON CONFLICT (key) DO UPDATE SET name = EXCLUDED.name, implementing_partners = EXCLUDED.implementing_partners,
			      period_start = EXCLUDED.period_start, period_end = EXCLUDED.period_end, period_text = EXCLUDED.period_text,
			      description = EXCLUDED.description, more_information = EXCLUDED.more_information,
			      report_row = EXCLUDED.report_row, original_text = EXCLUDED.original_text, status = EXCLUDED.status,
			      published_at = CASE WHEN EXCLUDED.status = 'published' THEN coalesce(practice.published_at, now()) END,
			      version = practice.version + 1, updated_at = now()
			    RETURNING id`
		);
		const id = saved[0]?.id;
		if (!id) throw new Error(`upsert of practice ${p.key} returned no row`);
		await tx.execute(sql`DELETE FROM practice_country WHERE practice_id = ${id}::uuid`);
		await tx.execute(sql`DELETE FROM practice_objective WHERE practice_id = ${id}::uuid`);
		for (const c of p.countries)
			await tx.execute(sql`INSERT INTO practice_country (practice_id, iso3) VALUES (${id}::uuid, ${c})`);
		for (const o of p.objectives) {
			await tx.execute(sql`INSERT INTO practice_objective (practice_id, objective) VALUES (${id}::uuid, ${o})`);
		}
	}
	return inputs.length;
}
