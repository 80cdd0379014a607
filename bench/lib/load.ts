/**
 * Fast bulk load of generated initiatives, for every scenario except the import one. Writes the
 * same tables and columns as upsertInitiatives (status 'published', search_extra, date_from/to,
 * and every child table) but with one INSERT ... SELECT FROM json_to_recordset(...) per table and
 * chunk, all inside one transaction, then VACUUM ANALYZE.
 */
import { createWriteStream } from 'node:fs';
import { sql } from 'drizzle-orm';
import { INITIATIVE_CSV_COLUMNS, initiativeToCsvRecord } from '../../src/lib/core/registry/initiative-csv';
import { dateInterval } from '../../src/lib/core/registry/partial-date';
import { searchExtraFor } from '../../src/lib/core/registry/search-text';
import type { InitiativeInput } from '../../src/lib/core/registry/initiative';
import type { Database } from '../../src/lib/server/db/client';
import { writeCsv } from '../../src/lib/server/io/csv';
import { generateInitiative, uuidFor } from './generate';

type Executor = Pick<Database['db'], 'execute'>;

/** Same normalisation as the repository's (private) actorKey. */
function actorKey(name: string): string {
	return name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

async function insertJson(tx: Executor, kind: string, columns: string, select: string, records: unknown[]) {
	if (records.length === 0) return;
	const table = kind === 'initiative_with_arrays' ? 'initiative' : kind;
	await tx.execute(
		sql`INSERT INTO ${sql.raw(table)} (${sql.raw(columns)}) SELECT ${sql.raw(select)} FROM json_to_recordset(${JSON.stringify(records)}::json) AS r(${sql.raw(recordTypes[kind]!)})`
	);
}

const recordTypes: Record<string, string> = {
	actor: 'id uuid, name text, name_key text',
	initiative: `id uuid, key text, title text, description text, action_type text, scope text, regional_scope boolean,
		region text, date_start text, date_end text, date_precision text, date_text text, date_from date, date_to date,
		predates_gcm boolean, verification_status text, report_table text, report_row integer, original_text text,
		search_extra text`,
	initiative_with_arrays: `id uuid, key text, title text, description text, action_type text, scope text, regional_scope boolean,
		region text, date_start text, date_end text, date_precision text, date_text text, date_from date, date_to date,
		predates_gcm boolean, verification_status text, report_table text, report_row integer, original_text text,
		search_extra text, country_codes text[], objective_numbers smallint[], initiator_kind_keys text[]`,
	initiative_country: 'initiative_id uuid, iso3 text',
	initiative_objective: 'initiative_id uuid, objective smallint',
	initiative_initiator_kind: 'initiative_id uuid, kind text',
	initiative_principle: 'initiative_id uuid, principle text',
	initiative_actor: 'initiative_id uuid, actor_id uuid, position smallint',
	initiative_source: 'initiative_id uuid, position smallint, citation text, url text'
};

export interface LoadReport {
	rows: number;
	generateMs: number;
	loadMs: number;
	vacuumMs: number;
	csvRows: number;
	csvBytes: number;
}

export async function bulkLoad(
	database: Database,
	opts: { size: number; seed: number; chunk?: number; csvPath?: string; csvRows?: number; log?: (m: string) => void }
): Promise<LoadReport> {
	const chunk = opts.chunk ?? 2000;
	const csvRows = opts.csvPath ? Math.min(opts.csvRows ?? opts.size, opts.size) : 0;
	const csv = opts.csvPath ? createWriteStream(opts.csvPath) : null;
	let csvBytes = 0;
	const writeOut = async (s: string) => {
		if (!csv) return;
		csvBytes += Buffer.byteLength(s);
		if (!csv.write(s)) await new Promise<void>((r) => csv.once('drain', () => r()));
	};
	if (csv) await writeOut(writeCsv(INITIATIVE_CSV_COLUMNS, [], true));
	const actorIds = new Map<string, string>();
	// Schemas from migration 0002 on keep GIN-indexed copies of the country / objective /
	// initiator-kind lists on the initiative row (filled by upsertInitiatives): fill them too.
	const cols = (await database.db.execute(
		sql`SELECT column_name FROM information_schema.columns WHERE table_name = 'initiative' AND column_name = 'country_codes'`
	)) as unknown as { rows: unknown[] };
	const arrays = cols.rows.length > 0;
	let generateMs = 0;
	const started = performance.now();
	await database.db.transaction(async (tx) => {
		for (let start = 0; start < opts.size; start += chunk) {
			const g0 = performance.now();
			const inputs: InitiativeInput[] = [];
			for (let i = start; i < Math.min(opts.size, start + chunk); i++) inputs.push(generateInitiative(opts.seed, i));
			generateMs += performance.now() - g0;
			if (csv && start < csvRows) {
				const part = inputs.slice(0, Math.max(0, csvRows - start));
				await writeOut(writeCsv(INITIATIVE_CSV_COLUMNS, part.map(initiativeToCsvRecord), false));
			}
			const newActors: { id: string; name: string; name_key: string }[] = [];
			for (const input of inputs)
				for (const n of input.initiators) {
					const k = actorKey(n);
					if (!actorIds.has(k)) {
						const id = uuidFor(opts.seed, actorIds.size, 1);
						actorIds.set(k, id);
						newActors.push({ id, name: n, name_key: k });
					}
				}
			await insertJson(tx, 'actor', 'id, name, name_key', 'r.*', newActors);
			const ini: unknown[] = [];
			const countries: unknown[] = [];
			const objectives: unknown[] = [];
			const kinds: unknown[] = [];
			const principles: unknown[] = [];
			const actors: unknown[] = [];
			const sources: unknown[] = [];
			inputs.forEach((input, k) => {
				const id = uuidFor(opts.seed, start + k);
				const interval = dateInterval(input.dateStart, input.dateEnd);
				ini.push({
					id,
					key: input.key,
					title: input.title,
					description: input.description,
					action_type: input.actionType,
					scope: input.scope,
					regional_scope: input.regionalScope,
					region: input.region,
					date_start: input.dateStart,
					date_end: input.dateEnd,
					date_precision: input.datePrecision,
					date_text: input.dateText,
					date_from: interval?.from ?? null,
					date_to: interval?.to ?? null,
					predates_gcm: input.predatesGcm,
					verification_status: input.verificationStatus,
					report_table: input.reportTable,
					report_row: input.reportRow,
					original_text: input.originalText,
					search_extra: searchExtraFor(input),
					...(arrays
						? {
								country_codes: input.countries,
								objective_numbers: input.objectives,
								initiator_kind_keys: input.initiatorKinds
							}
						: {})
				});
				for (const c of input.countries) countries.push({ initiative_id: id, iso3: c });
				for (const o of input.objectives) objectives.push({ initiative_id: id, objective: o });
				for (const x of input.initiatorKinds) kinds.push({ initiative_id: id, kind: x });
				for (const p of input.principles) principles.push({ initiative_id: id, principle: p });
				// Same de-duplication as upsertInitiatives: one row per actor, first position wins.
				const seen = new Set<string>();
				input.initiators.forEach((n, position) => {
					const actorId = actorIds.get(actorKey(n));
					if (!actorId || seen.has(actorId)) return;
					seen.add(actorId);
					actors.push({ initiative_id: id, actor_id: actorId, position });
				});
				input.sources.forEach((s, position) =>
					sources.push({ initiative_id: id, position, citation: s.citation, url: s.url })
				);
			});
			await insertJson(
				tx,
				arrays ? 'initiative_with_arrays' : 'initiative',
				`id, key, title, description, action_type, scope, regional_scope, region, date_start, date_end, date_precision,
				 date_text, date_from, date_to, predates_gcm, verification_status, report_table, report_row, original_text,
				 search_extra, ${arrays ? 'country_codes, objective_numbers, initiator_kind_keys, ' : ''}status, published_at`,
				`r.*, 'published', now()`,
				ini
			);
			await insertJson(tx, 'initiative_country', 'initiative_id, iso3', 'r.*', countries);
			await insertJson(tx, 'initiative_objective', 'initiative_id, objective', 'r.*', objectives);
			await insertJson(tx, 'initiative_initiator_kind', 'initiative_id, kind', 'r.*', kinds);
			await insertJson(tx, 'initiative_principle', 'initiative_id, principle', 'r.*', principles);
			await insertJson(tx, 'initiative_actor', 'initiative_id, actor_id, position', 'r.*', actors);
			await insertJson(tx, 'initiative_source', 'initiative_id, position, citation, url', 'r.*', sources);
			if (opts.log && (start / chunk) % 50 === 49) opts.log(`  loaded ${start + chunk} / ${opts.size}`);
		}
		// Like every write transaction of the app: caches keyed by the data version go stale.
		if (arrays)
			await tx.execute(
				sql`INSERT INTO data_version (scope, version) VALUES ('registry', 1)
				    ON CONFLICT (scope) DO UPDATE SET version = data_version.version + 1`
			);
	});
	const loadMs = performance.now() - started - generateMs;
	if (csv) await new Promise<void>((r) => csv.end(() => r()));
	const v0 = performance.now();
	await database.db.execute(sql`VACUUM ANALYZE`);
	return { rows: opts.size, generateMs, loadMs, vacuumMs: performance.now() - v0, csvRows, csvBytes };
}
