/**
 * Where an import's time goes, per row, on one engine (issue #4): server-side costs measured on
 * staged rows with no application code (each statement in its own transaction, rolled back, so
 * every variant starts from the same empty registry), and the JavaScript side on the same rows.
 *   tsx bench/import-profile.ts --engine pglite|postgres [--rows 20000] [--url URL]
 * Prints one line per measurement: µs per initiative (median of --repeat runs).
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import pg from 'pg';
import { openDatabase } from '../src/lib/server/db/client';
import { dateInterval } from '../src/lib/core/registry/partial-date';
import { searchExtraFor } from '../src/lib/core/registry/search-text';
import { INITIATIVE_CSV_COLUMNS, initiativeToCsvRecord } from '../src/lib/core/registry/initiative-csv';
import { csvLine } from '../src/lib/server/io/csv';
import { createServices } from '../src/lib/server/runtime';
import { SYSTEM_CLI } from '../src/lib/server/services/viewer';
import { DEFAULT_SEED, generateInitiative } from './lib/generate';

const { values } = parseArgs({
	options: {
		engine: { type: 'string', default: 'pglite' },
		rows: { type: 'string', default: '20000' },
		repeat: { type: 'string', default: '3' },
		url: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' }
	}
});
const N = Number(values.rows);
const REPEAT = Number(values.repeat);
const ROOT = resolve(import.meta.dirname, '..');

let dbName: string | null = null;
let admin: pg.Client | null = null;
if (values.engine === 'postgres') {
	admin = new pg.Client({ connectionString: values.url });
	await admin.connect();
	dbName = `gcm_profile_${Date.now()}`;
	await admin.query(`CREATE DATABASE ${dbName}`);
}
const url = dbName ? values.url!.replace(/\/[^/]*$/, `/${dbName}`) : null;
const database = await openDatabase({ databaseUrl: url, dataDir: null, lock: false });
await database.migrate(resolve(ROOT, 'drizzle'));
const pgClient = url ? new pg.Client({ connectionString: url, options: '-c jit=off' }) : null;
await pgClient?.connect();
async function q(text: string, params: unknown[] = []): Promise<unknown[]> {
	if (pgClient) return (await pgClient.query(text, params)).rows as unknown[];
	return (await database.pglite!.query(text, params)).rows as unknown[];
}
async function exec(text: string): Promise<void> {
	if (pgClient) await pgClient.query(text);
	else await database.pglite!.exec(text);
}

const t = () => performance.now();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const out: Record<string, number> = {};
function report(label: string, ms: number) {
	out[label] = Math.round((ms * 1000) / N);
	console.log(`${label.padEnd(64)} ${((ms * 1000) / N).toFixed(1).padStart(8)} µs/row  (${ms.toFixed(0)} ms)`);
}

// --- JS side ---------------------------------------------------------------------------------
const g0 = t();
const inputs = Array.from({ length: N }, (_, i) => generateInitiative(DEFAULT_SEED, i));
console.log(`generated ${N} rows in ${(t() - g0).toFixed(0)} ms`);
let csv = csvLine(INITIATIVE_CSV_COLUMNS);
for (const i of inputs) csv += csvLine(initiativeToCsvRecord(i));
const bytes = new TextEncoder().encode(csv);
const services = createServices(database);
{
	const ms: number[] = [];
	for (let k = 0; k < REPEAT; k++) {
		const s = t();
		await services.transfer.validate(SYSTEM_CLI, bytes, 'initiatives');
		ms.push(t() - s);
	}
	report('js: read + validate CSV (transfer.validate)', median(ms));
}
const records = inputs.map((input, n) => {
	const interval = dateInterval(input.dateStart, input.dateEnd);
	return {
		n,
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
		country_codes: input.countries,
		objective_numbers: input.objectives,
		initiator_kind_keys: input.initiatorKinds
	};
});
{
	const s = t();
	for (let i = 0; i < N; i += 2000) JSON.stringify(records.slice(i, i + 2000));
	report('js: JSON.stringify of the initiative records', t() - s);
}

// --- staging (not timed) ---------------------------------------------------------------------
const COLS = `n int, key text, title text, description text, action_type text, scope text, regional_scope boolean,
  region text, date_start text, date_end text, date_precision text, date_text text, date_from date, date_to date,
  predates_gcm boolean, verification_status text, report_table text, report_row integer, original_text text,
  search_extra text, country_codes text[], objective_numbers smallint[], initiator_kind_keys text[]`;
await exec(
	`CREATE UNLOGGED TABLE s_ini AS SELECT gen_random_uuid() AS id, r.* FROM json_to_recordset('[]') AS r(${COLS})`
);
for (let i = 0; i < N; i += 2000) {
	await q(`INSERT INTO s_ini SELECT gen_random_uuid(), r.* FROM json_to_recordset($1::json) AS r(${COLS})`, [
		JSON.stringify(records.slice(i, i + 2000))
	]);
}
await exec(`CREATE UNLOGGED TABLE s_actor_name AS SELECT DISTINCT ON (k) gen_random_uuid() AS id, name, k FROM (
  SELECT x AS name, lower(x) AS k FROM (VALUES ('')) v(x) WHERE false) z`);
const actorNames = new Map<string, string>();
for (const i of inputs) for (const a of i.initiators) actorNames.set(a.toLowerCase(), a);
await q(
	`INSERT INTO s_actor_name SELECT gen_random_uuid(), r.name, r.k FROM json_to_recordset($1::json) AS r(name text, k text)`,
	[JSON.stringify([...actorNames].map(([k, name]) => ({ k, name })))]
);
const kids = {
	country: [] as unknown[],
	objective: [] as unknown[],
	kind: [] as unknown[],
	principle: [] as unknown[],
	actor: [] as unknown[],
	source: [] as unknown[]
};
inputs.forEach((input, n) => {
	for (const c of input.countries) kids.country.push({ n, c });
	for (const o of input.objectives) kids.objective.push({ n, o });
	for (const k of input.initiatorKinds) kids.kind.push({ n, k });
	for (const p of input.principles) kids.principle.push({ n, p });
	const seen = new Set<string>();
	input.initiators.forEach((a, p) => {
		const k = a.toLowerCase();
		if (!seen.has(k)) kids.actor.push({ n, k, p });
		seen.add(k);
	});
	input.sources.forEach((s, p) => kids.source.push({ n, p, c: s.citation, u: s.url }));
});
const kidCols: Record<string, string> = {
	country: 'n int, c text',
	objective: 'n int, o smallint',
	kind: 'n int, k text',
	principle: 'n int, p text',
	actor: 'n int, k text, p smallint',
	source: 'n int, p smallint, c text, u text'
};
for (const [name, list] of Object.entries(kids)) {
	await exec(`CREATE UNLOGGED TABLE s_${name} AS SELECT r.* FROM json_to_recordset('[]') AS r(${kidCols[name]})`);
	for (let i = 0; i < list.length; i += 5000) {
		await q(`INSERT INTO s_${name} SELECT r.* FROM json_to_recordset($1::json) AS r(${kidCols[name]})`, [
			JSON.stringify(list.slice(i, i + 5000))
		]);
	}
	console.log(`child rows ${name}: ${list.length} (${(list.length / N).toFixed(2)} per initiative)`);
}
await exec('ANALYZE');

/** Runs `setup` then times `stmt`, in one transaction rolled back; median of REPEAT. */
async function timed(label: string, stmt: string, setup = ''): Promise<void> {
	const ms: number[] = [];
	for (let k = 0; k < REPEAT; k++) {
		await exec('BEGIN');
		if (setup) await exec(setup);
		const s = t();
		await exec(stmt);
		ms.push(t() - s);
		await exec('ROLLBACK');
	}
	report(label, median(ms));
}

const INI_COLS = `id, key, title, description, action_type, scope, regional_scope, region, date_start, date_end, date_precision,
  date_text, date_from, date_to, predates_gcm, verification_status, report_table, report_row, original_text, status,
  published_at, search_extra, country_codes, objective_numbers, initiator_kind_keys`;
const INI_SELECT = `id, key, title, description, action_type, scope, regional_scope, region, date_start, date_end, date_precision,
  date_text, date_from, date_to, predates_gcm, verification_status, report_table, report_row, original_text, 'published',
  now(), search_extra, country_codes, objective_numbers, initiator_kind_keys`;
const insertIni = `INSERT INTO initiative (${INI_COLS}) SELECT ${INI_SELECT} FROM s_ini`;
const TSV = `setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') || setweight(to_tsvector('english'::regconfig, coalesce(search_extra, '')), 'B') || setweight(to_tsvector('english'::regconfig, coalesce(description, '')), 'C')`;

console.log('--- server side (no application code), initiative table ---');
await timed('sql: SELECT count(*) FROM s_ini (scan floor)', 'SELECT count(*) FROM s_ini');
await timed('sql: weighted tsvector alone (3 × to_tsvector, no insert)', `SELECT sum(length(${TSV})) FROM s_ini`);
await timed(
	'sql: one to_tsvector over the concatenation (reference)',
	`SELECT sum(length(to_tsvector('english', title || ' ' || search_extra || ' ' || description))) FROM s_ini`
);
{
	const ms: number[] = [];
	for (let k = 0; k < REPEAT; k++) {
		const s = t();
		for (let i = 0; i < N; i += 2000) {
			await q(`SELECT count(*) FROM json_to_recordset($1::json) AS r(${COLS})`, [
				JSON.stringify(records.slice(i, i + 2000))
			]);
		}
		ms.push(t() - s);
	}
	report('sql: send + json_to_recordset parse (2000-row chunks, no insert)', median(ms));
}
await timed(
	'sql: INSERT into a bare copy (no index, no generated column, no FK)',
	`INSERT INTO bare (${INI_COLS}) SELECT ${INI_SELECT} FROM s_ini`,
	`CREATE TEMP TABLE bare (LIKE initiative INCLUDING DEFAULTS) ON COMMIT DROP; ALTER TABLE bare DROP COLUMN search_vector, DROP COLUMN created_at, DROP COLUMN updated_at, DROP COLUMN version, DROP COLUMN owner_organisation_id, DROP COLUMN created_by`
);
await timed(
	'sql: INSERT into a bare copy + stored weighted tsvector (no index)',
	`INSERT INTO bare (${INI_COLS}) SELECT ${INI_SELECT} FROM s_ini`,
	`CREATE TEMP TABLE bare (LIKE initiative INCLUDING DEFAULTS INCLUDING GENERATED) ON COMMIT DROP; ALTER TABLE bare DROP COLUMN created_at, DROP COLUMN updated_at, DROP COLUMN version, DROP COLUMN owner_organisation_id, DROP COLUMN created_by`
);
await timed('sql: INSERT initiative, full schema (all indexes)', insertIni);
await timed('sql: INSERT initiative, without GIN on search_vector', insertIni, 'DROP INDEX initiative_search_idx');
await timed(
	'sql: INSERT initiative, without the 3 GIN on arrays',
	insertIni,
	'DROP INDEX initiative_country_codes_idx, initiative_objective_numbers_idx, initiative_initiator_kind_keys_idx'
);
await timed(
	'sql: INSERT initiative, without the 4 GIN indexes',
	insertIni,
	'DROP INDEX initiative_search_idx, initiative_country_codes_idx, initiative_objective_numbers_idx, initiative_initiator_kind_keys_idx'
);
await timed(
	'sql: INSERT initiative, without the 5 non-unique indexes',
	insertIni,
	'DROP INDEX initiative_search_idx, initiative_country_codes_idx, initiative_objective_numbers_idx, initiative_initiator_kind_keys_idx, initiative_status_date_idx'
);
await timed(
	'sql: INSERT + CREATE the 5 non-unique indexes after',
	`${insertIni}; CREATE INDEX initiative_search_idx ON initiative USING gin (search_vector);
	 CREATE INDEX initiative_country_codes_idx ON initiative USING gin (country_codes);
	 CREATE INDEX initiative_objective_numbers_idx ON initiative USING gin (objective_numbers);
	 CREATE INDEX initiative_initiator_kind_keys_idx ON initiative USING gin (initiator_kind_keys);
	 CREATE INDEX initiative_status_date_idx ON initiative (status, date_from DESC NULLS LAST, id)`,
	'DROP INDEX initiative_search_idx, initiative_country_codes_idx, initiative_objective_numbers_idx, initiative_initiator_kind_keys_idx, initiative_status_date_idx'
);
await timed(
	'sql: INSERT … ON CONFLICT (key) DO UPDATE, full schema (as the import)',
	`${insertIni} ON CONFLICT (key) DO UPDATE SET title = EXCLUDED.title`
);

console.log('--- child tables (initiatives committed first) ---');
await exec(
	`BEGIN; ${insertIni}; INSERT INTO actor (id, name, name_key) SELECT id, name, k FROM s_actor_name; COMMIT; ANALYZE`
);
const childInserts: Record<string, [string, string, string]> = {
	country: [
		'INSERT INTO initiative_country (initiative_id, iso3) SELECT s_ini.id, c FROM s_country JOIN s_ini USING (n)',
		'DROP INDEX initiative_country_iso3_idx',
		'ALTER TABLE initiative_country DROP CONSTRAINT initiative_country_initiative_id_initiative_id_fk'
	],
	objective: [
		'INSERT INTO initiative_objective (initiative_id, objective) SELECT s_ini.id, o FROM s_objective JOIN s_ini USING (n)',
		'DROP INDEX initiative_objective_objective_idx',
		'ALTER TABLE initiative_objective DROP CONSTRAINT initiative_objective_initiative_id_initiative_id_fk'
	],
	kind: [
		'INSERT INTO initiative_initiator_kind (initiative_id, kind) SELECT s_ini.id, k FROM s_kind JOIN s_ini USING (n)',
		'DROP INDEX initiative_initiator_kind_kind_idx',
		'ALTER TABLE initiative_initiator_kind DROP CONSTRAINT initiative_initiator_kind_initiative_id_initiative_id_fk'
	],
	principle: [
		'INSERT INTO initiative_principle (initiative_id, principle) SELECT s_ini.id, p FROM s_principle JOIN s_ini USING (n)',
		'SELECT 1',
		'ALTER TABLE initiative_principle DROP CONSTRAINT initiative_principle_initiative_id_initiative_id_fk'
	],
	actor: [
		'INSERT INTO initiative_actor (initiative_id, actor_id, position) SELECT s_ini.id, a.id, s.p FROM s_actor s JOIN s_ini USING (n) JOIN s_actor_name a ON a.k = s.k',
		'DROP INDEX initiative_actor_actor_idx',
		'ALTER TABLE initiative_actor DROP CONSTRAINT initiative_actor_initiative_id_initiative_id_fk, DROP CONSTRAINT initiative_actor_actor_id_actor_id_fk'
	],
	source: [
		'INSERT INTO initiative_source (initiative_id, position, citation, url) SELECT s_ini.id, p, c, u FROM s_source JOIN s_ini USING (n)',
		'DROP INDEX initiative_source_initiative_idx',
		'ALTER TABLE initiative_source DROP CONSTRAINT initiative_source_initiative_id_initiative_id_fk'
	]
};
for (const [name, [ins, dropIdx, dropFk]] of Object.entries(childInserts)) {
	await timed(`sql: ${name}: full`, ins);
	await timed(`sql: ${name}: without secondary index`, ins, dropIdx);
	await timed(`sql: ${name}: without FK`, ins, dropFk);
	await timed(`sql: ${name}: without both`, ins, `${dropIdx}; ${dropFk}`);
}
await exec('TRUNCATE initiative, actor CASCADE');

console.log('--- the import itself (transfer.importInitiatives, empty registry) ---');
{
	const s = t();
	await services.transfer.importInitiatives(SYSTEM_CLI, bytes, 'published');
	report('app: importInitiatives (incl. VACUUM ANALYZE on PGlite)', t() - s);
}
console.log(JSON.stringify({ engine: values.engine, rows: N, usPerRow: out }));
await pgClient?.end();
await database.close();
if (admin && dbName) {
	await admin.query(`DROP DATABASE ${dbName}`);
	await admin.end();
}
