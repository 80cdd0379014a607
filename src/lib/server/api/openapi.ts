/**
 * OpenAPI 3.1 description of the public JSON API, served at /api/v1/openapi.json. Schemas are
 * hand-written JSON Schema 2020-12, but every enum and limit is taken from the code that
 * enforces it (vocabulary, query parser, reference data), so the document cannot drift from
 * the behaviour. The item schemas mirror src/lib/server/api/responses.ts.
 */
import { GUIDING_PRINCIPLES, REGIONAL_COMMISSIONS, type FactStatus } from '../../core/reference';
import { INITIATIVE_CSV_COLUMNS } from '../../core/registry/initiative-csv';
import { DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET, MAX_Q, QUERY_PARAMS } from '../../core/registry/query';
import {
	ACTION_TYPES,
	DATE_PRECISIONS,
	INITIATOR_KINDS,
	RECORD_STATUSES,
	SCOPES,
	SORTS,
	VERIFICATION_STATUSES
} from '../../core/registry/vocabulary';
import type { Facets } from '../db/initiative.repository';
import { ASSESSMENT_PERSPECTIVES } from '../../core/benchmarking/types';
import { EDITION_MAX, EDITION_MIN, EVIDENCE_EXPORT_COLUMNS, SCORE_EXPORT_COLUMNS } from './benchmark-responses';
import { WRITABLE_FIELDS } from './initiative-write';
import { mergePaths, recordPaths, recordSchemas } from './openapi-records';

type Json = Record<string, unknown>;
type QueryParam = (typeof QUERY_PARAMS)[number];

/** Fact statuses of reference data (a type only in core; the check below keeps it complete). */
const FACT_STATUSES = [
	'confirmed',
	'seed_report',
	'seed_report_and_confirmed',
	'derived',
	'inferred',
	'uncertain',
	'not_found'
] as const satisfies readonly FactStatus[];
type MissingFactStatus = Exclude<FactStatus, (typeof FACT_STATUSES)[number]>;
const factStatusesComplete: [MissingFactStatus] extends [never] ? true : never = true;

/** Facet keys of the list response (the check below keeps them equal to the Facets interface). */
const FACET_KEYS = [
	'action_type',
	'initiator_kind',
	'scope',
	'country',
	'objective',
	'regional_scope',
	'predates_gcm',
	'year'
] as const satisfies readonly (keyof Facets)[];
type MissingFacet = Exclude<keyof Facets, (typeof FACET_KEYS)[number]>;
const facetKeysComplete: [MissingFacet] extends [never] ? true : never = true;
void factStatusesComplete;
void facetKeysComplete;

const ref = (kind: 'schemas' | 'responses' | 'parameters', name: string): Json => ({
	$ref: `#/components/${kind}/${name}`
});
const nullable = (schema: Json): Json => ({ oneOf: [schema, { type: 'null' }] });
const arrayOf = (items: Json, extra: Json = {}): Json => ({ type: 'array', items, ...extra });
const PARTIAL_DATE_PATTERN = '^\\d{4}(-\\d{2}(-\\d{2})?)?$';
const ISO3_PATTERN = '^[A-Z]{3}$';
const M49_PATTERN = '^\\d{3}$';

const PRINCIPLE_KEYS = GUIDING_PRINCIPLES.map((p) => p.key);
const COMMISSION_KEYS = REGIONAL_COMMISSIONS.map((c) => c.key);

/** A repeatable, comma-separable list parameter (values within one filter are OR-ed). */
function listParam(name: QueryParam, description: string, items: Json): Json {
	return {
		name,
		in: 'query',
		required: false,
		description: `${description} Repeat the parameter or separate values with commas; values within one filter are combined with OR, different filters with AND.`,
		schema: arrayOf(items),
		style: 'form',
		explode: true
	};
}

function boolParam(name: QueryParam, description: string): Json {
	return {
		name,
		in: 'query',
		required: false,
		description: `${description} Given at most once; \`true\` or \`false\` (\`1\` and \`0\` are accepted too).`,
		schema: { type: 'string', enum: ['true', 'false', '1', '0'] }
	};
}

/** Every parameter the registry query parser knows, keyed so TypeScript demands all of them. */
const QUERY_PARAMETER_OBJECTS: Record<QueryParam, Json> = {
	q: {
		name: 'q',
		in: 'query',
		required: false,
		description: `Full-text search (web-search syntax: quoted phrases, \`or\`, \`-word\`). At most ${MAX_Q} characters, no control characters. When given, the default sort is \`relevance\`.`,
		schema: { type: 'string', maxLength: MAX_Q }
	},
	country: listParam('country', 'ISO 3166-1 alpha-3 country codes (case-insensitive), e.g. `MEX`.', {
		type: 'string',
		pattern: '^[A-Za-z]{3}$'
	}),
	region: listParam(
		'region',
		'UN M49 codes of regions, sub-regions or intermediate regions (e.g. `002` Africa); matches initiatives in any country inside.',
		{ type: 'string', pattern: M49_PATTERN }
	),
	action_type: listParam('action_type', 'Types of action.', { type: 'string', enum: [...ACTION_TYPES] }),
	initiator_kind: listParam('initiator_kind', 'Kinds of initiator.', { type: 'string', enum: [...INITIATOR_KINDS] }),
	scope: listParam('scope', 'Geographic scopes.', { type: 'string', enum: [...SCOPES] }),
	objective: listParam('objective', 'GCM objective numbers (1-23).', { type: 'integer', minimum: 1, maximum: 23 }),
	regional_scope: boolParam('regional_scope', 'Only initiatives with (true) or without (false) a regional scope.'),
	predates_gcm: boolParam(
		'predates_gcm',
		'Only initiatives that started before (true) or after (false) the GCM was adopted (December 2018).'
	),
	from: {
		name: 'from',
		in: 'query',
		required: false,
		description:
			'Only initiatives whose dates overlap the period starting at this date (YYYY, YYYY-MM or YYYY-MM-DD; a partial date means its first day).',
		schema: { type: 'string', pattern: PARTIAL_DATE_PATTERN }
	},
	to: {
		name: 'to',
		in: 'query',
		required: false,
		description:
			'Only initiatives whose dates overlap the period ending at this date (YYYY, YYYY-MM or YYYY-MM-DD; a partial date means its last day). Must not be before `from`.',
		schema: { type: 'string', pattern: PARTIAL_DATE_PATTERN }
	},
	sort: {
		name: 'sort',
		in: 'query',
		required: false,
		description:
			'`relevance` applies only with `q` (otherwise `date_desc` is used). Default: `relevance` with `q`, else `date_desc`.',
		schema: { type: 'string', enum: [...SORTS] }
	},
	limit: {
		name: 'limit',
		in: 'query',
		required: false,
		description: `Page size, 1 to ${MAX_LIMIT}.`,
		schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT }
	},
	offset: {
		name: 'offset',
		in: 'query',
		required: false,
		description: `Number of records to skip, 0 to ${MAX_OFFSET}. Cannot be combined with \`cursor\`.`,
		schema: { type: 'integer', minimum: 0, maximum: MAX_OFFSET, default: 0 }
	},
	cursor: {
		name: 'cursor',
		in: 'query',
		required: false,
		description:
			'Opaque cursor from `next_cursor` of a previous page; pass the other parameters unchanged. Cannot be combined with `offset`.',
		schema: { type: 'string' }
	}
};

const PAGING_PARAMS: readonly QueryParam[] = ['limit', 'offset', 'cursor'];

/** Parameters of the list endpoint (all of QUERY_PARAMS, in the parser's order). */
function listParameters(): Json[] {
	return QUERY_PARAMS.map((name) => ref('parameters', name));
}

/** Parameters of the exports: the same parser, but paging parameters are accepted and ignored. */
function exportParameters(): Json[] {
	return QUERY_PARAMS.map((name) =>
		PAGING_PARAMS.includes(name)
			? {
					...QUERY_PARAMETER_OBJECTS[name],
					description: `Accepted (and validated) so list URLs can be reused, but ignored: an export contains every matching record. ${String(QUERY_PARAMETER_OBJECTS[name].description)}`
				}
			: ref('parameters', name)
	);
}

const STRICT_NOTE =
	'Parameters are validated strictly: an unknown parameter, a bad value or a single-valued parameter given twice is a 400 problem listing each offending parameter in `errors`.';

const badRequest: Json = { '400': ref('responses', 'BadRequest') };

function schemas(): Json {
	const source: Json = {
		type: 'object',
		additionalProperties: false,
		required: ['citation', 'url'],
		properties: {
			citation: { type: 'string', description: 'Human-readable citation.' },
			url: nullable({ type: 'string', format: 'uri' })
		}
	};
	const namedRegion: Json = {
		type: 'object',
		additionalProperties: false,
		required: ['code', 'name'],
		properties: {
			code: { type: 'string', pattern: M49_PATTERN, description: 'UN M49 code.' },
			name: { type: 'string' }
		}
	};
	const facetCount: Json = {
		type: 'object',
		additionalProperties: false,
		required: ['value', 'count'],
		properties: {
			value: { type: 'string', description: 'Facet value as text (booleans as `true`/`false`, numbers as digits).' },
			count: { type: 'integer', minimum: 0 }
		}
	};
	const base: Record<string, Json> = {
		Source: source,
		NamedRegion: namedRegion,
		Initiative: {
			type: 'object',
			description: 'A published registry initiative.',
			additionalProperties: false,
			required: [
				'id',
				'key',
				'title',
				'description',
				'action_type',
				'initiator_kinds',
				'initiators',
				'scope',
				'regional_scope',
				'region',
				'countries',
				'date_start',
				'date_end',
				'date_precision',
				'date_text',
				'predates_gcm',
				'objectives',
				'principles',
				'sources',
				'verification_status',
				'report_table',
				'report_row',
				'original_text',
				'created_at',
				'updated_at'
			],
			properties: {
				id: { type: 'string', format: 'uuid' },
				key: {
					type: 'string',
					pattern: '^[a-z0-9][a-z0-9._-]*$',
					maxLength: 80,
					description: 'Stable human-readable key (also the CSV upsert key).'
				},
				title: { type: 'string' },
				description: { type: 'string' },
				action_type: { type: 'string', enum: [...ACTION_TYPES] },
				initiator_kinds: arrayOf({ type: 'string', enum: [...INITIATOR_KINDS] }, { uniqueItems: true }),
				initiators: arrayOf({ type: 'string' }, { description: 'Names of the initiating actors.' }),
				scope: { type: 'string', enum: [...SCOPES] },
				regional_scope: { type: 'boolean' },
				region: nullable({ type: 'string', description: 'Free-text region name as reported.' }),
				countries: arrayOf(
					{ type: 'string', pattern: ISO3_PATTERN },
					{ uniqueItems: true, description: 'ISO 3166-1 alpha-3 codes.' }
				),
				date_start: nullable({
					type: 'string',
					pattern: PARTIAL_DATE_PATTERN,
					description: 'Partial date: YYYY, YYYY-MM or YYYY-MM-DD.'
				}),
				date_end: nullable({
					type: 'string',
					pattern: PARTIAL_DATE_PATTERN,
					description: 'Partial date: YYYY, YYYY-MM or YYYY-MM-DD.'
				}),
				date_precision: { type: 'string', enum: [...DATE_PRECISIONS] },
				date_text: nullable({ type: 'string', description: 'The date as written in the source.' }),
				predates_gcm: { type: 'boolean' },
				objectives: arrayOf({ type: 'integer', minimum: 1, maximum: 23 }, { uniqueItems: true }),
				principles: arrayOf(
					{ type: 'string', enum: [...PRINCIPLE_KEYS] },
					{ uniqueItems: true, description: 'GCM guiding principle keys (paragraph 15).' }
				),
				sources: arrayOf(ref('schemas', 'Source')),
				verification_status: {
					type: 'string',
					enum: [...VERIFICATION_STATUSES],
					description:
						'`reported`: taken from a published report or source; `unverifiable`: only an interview backs it; `verified`: checked by an editor.'
				},
				report_table: nullable({ type: 'string', description: 'Table of the seed report the record comes from.' }),
				report_row: nullable({ type: 'integer', minimum: 1 }),
				original_text: nullable({ type: 'string', description: 'Original wording in the source report.' }),
				created_at: { type: 'string', format: 'date-time' },
				updated_at: { type: 'string', format: 'date-time' }
			}
		},
		Practice: {
			type: 'object',
			description: 'A published promising multi-stakeholder practice (seed report Annex 3).',
			additionalProperties: false,
			required: [
				'id',
				'key',
				'name',
				'implementing_partners',
				'period_start',
				'period_end',
				'period_text',
				'description',
				'more_information',
				'countries',
				'objectives',
				'updated_at'
			],
			properties: {
				id: { type: 'string', format: 'uuid' },
				key: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]*$', maxLength: 80 },
				name: { type: 'string' },
				implementing_partners: { type: 'string' },
				period_start: nullable({ type: 'integer', minimum: 1900, maximum: 2100, description: 'Start year.' }),
				period_end: nullable({ type: 'integer', minimum: 1900, maximum: 2100, description: 'End year.' }),
				period_text: nullable({ type: 'string', description: 'The period as written in the source.' }),
				description: { type: 'string' },
				more_information: nullable({ type: 'string' }),
				countries: arrayOf({ type: 'string', pattern: ISO3_PATTERN }, { uniqueItems: true }),
				objectives: arrayOf({ type: 'integer', minimum: 1, maximum: 23 }, { uniqueItems: true }),
				updated_at: { type: 'string', format: 'date-time' }
			}
		},
		Objective: {
			type: 'object',
			description: 'A GCM objective (A/RES/73/195) with the number of published initiatives linked to it.',
			additionalProperties: false,
			required: ['number', 'title', 'short_label', 'gcm_paragraph', 'roundtable', 'status', 'sources', 'initiatives'],
			properties: {
				number: { type: 'integer', minimum: 1, maximum: 23 },
				title: { type: 'string', description: 'Official title as in A/RES/73/195.' },
				short_label: { type: 'string' },
				gcm_paragraph: { type: 'integer', description: 'Paragraph of A/RES/73/195 that states the objective.' },
				roundtable: { type: 'integer', minimum: 1, maximum: 4, description: 'IMRF roundtable.' },
				status: { type: 'string', enum: [...FACT_STATUSES], description: 'Review status of this reference fact.' },
				sources: arrayOf({ type: 'string', format: 'uri' }),
				initiatives: { type: 'integer', minimum: 0, description: 'Number of published initiatives.' }
			}
		},
		Country: {
			type: 'object',
			description: 'A country or area (UN M49) with the number of published initiatives linked to it.',
			additionalProperties: false,
			required: [
				'iso3',
				'm49',
				'name',
				'name_es',
				'region',
				'subregion',
				'intermediate_region',
				'commissions',
				'un_member',
				'initiatives'
			],
			properties: {
				iso3: { type: 'string', pattern: ISO3_PATTERN, description: 'ISO 3166-1 alpha-3.' },
				m49: { type: 'string', pattern: M49_PATTERN, description: 'UN M49 numeric code, zero-padded.' },
				name: { type: 'string', description: 'UNSD M49 English name.' },
				name_es: { type: 'string', description: 'Spanish short name.' },
				region: nullable(ref('schemas', 'NamedRegion')),
				subregion: nullable(ref('schemas', 'NamedRegion')),
				intermediate_region: nullable(ref('schemas', 'NamedRegion')),
				commissions: arrayOf(
					{ type: 'string', enum: [...COMMISSION_KEYS] },
					{
						uniqueItems: true,
						description: 'UN regional economic commissions whose GCM regional review covers the country.'
					}
				),
				un_member: { type: 'boolean' },
				initiatives: { type: 'integer', minimum: 0, description: 'Number of published initiatives.' }
			}
		},
		FacetCount: facetCount,
		Facets: {
			type: 'object',
			description: 'Counts per value under the current filter, most frequent first. `year` counts start years.',
			additionalProperties: false,
			required: [...FACET_KEYS],
			properties: Object.fromEntries(FACET_KEYS.map((k) => [k, arrayOf(ref('schemas', 'FacetCount'))]))
		},
		InitiativeList: {
			type: 'object',
			additionalProperties: false,
			required: ['total', 'items', 'facets', 'next_cursor', 'limit', 'offset'],
			properties: {
				total: { type: 'integer', minimum: 0, description: 'Number of records matching the filter (all pages).' },
				items: arrayOf(ref('schemas', 'Initiative')),
				facets: ref('schemas', 'Facets'),
				next_cursor: nullable({
					type: 'string',
					description: 'Pass as `cursor` for the next page; null when there are no more pages.'
				}),
				limit: { type: 'integer', minimum: 1, maximum: MAX_LIMIT },
				offset: { type: 'integer', minimum: 0, maximum: MAX_OFFSET }
			}
		},
		InitiativeExport: {
			type: 'object',
			additionalProperties: false,
			required: ['licence', 'attribution', 'generated_at', 'items'],
			properties: {
				licence: { type: 'string', const: 'CC-BY-4.0', description: 'SPDX identifier of the data licence.' },
				attribution: { type: 'string', description: 'Credit line to reproduce when reusing the data.' },
				generated_at: { type: 'string', format: 'date-time' },
				items: arrayOf(ref('schemas', 'Initiative'))
			}
		},
		ObjectiveList: {
			type: 'object',
			additionalProperties: false,
			required: ['items'],
			properties: { items: arrayOf(ref('schemas', 'Objective')) }
		},
		CountryList: {
			type: 'object',
			additionalProperties: false,
			required: ['items'],
			properties: { items: arrayOf(ref('schemas', 'Country')) }
		},
		PracticeList: {
			type: 'object',
			additionalProperties: false,
			required: ['items'],
			properties: { items: arrayOf(ref('schemas', 'Practice')) }
		},
		Problem: {
			type: 'object',
			description: 'Problem details (RFC 9457) with a stable error code.',
			required: ['type', 'title', 'status', 'detail', 'code', 'request_id'],
			properties: {
				type: { type: 'string', format: 'uri-reference', description: 'URI identifying the problem type.' },
				title: { type: 'string', description: 'Short summary of the problem type.' },
				status: { type: 'integer', minimum: 400, maximum: 599 },
				detail: { type: 'string', description: 'Explanation of this occurrence.' },
				instance: { type: 'string', format: 'uri-reference' },
				code: {
					type: 'string',
					description: 'Stable machine-readable error code, e.g. `VALIDATION_FAILED`, `INITIATIVE_NOT_FOUND`.',
					examples: ['VALIDATION_FAILED', 'INITIATIVE_NOT_FOUND']
				},
				request_id: { type: 'string', description: 'Identifier of the request, to quote when reporting a problem.' },
				errors: arrayOf({
					type: 'object',
					required: ['parameter', 'message'],
					properties: {
						parameter: { type: 'string' },
						message: { type: 'string' }
					}
				}),
				current: {
					...ref('schemas', 'WorkflowInitiative'),
					description:
						'With 409 and 412 on a record: the record as it is now (its ETag is in the `ETag` header), so the client can show or merge the other change.'
				}
			}
		}
	};
	return { ...base, ...writeSchemas(base.Initiative as Json), ...benchmarkSchemas() };
}

const problemContent: Json = { 'application/problem+json': { schema: ref('schemas', 'Problem') } };
const jsonContent = (schemaName: string): Json => ({ 'application/json': { schema: ref('schemas', schemaName) } });

function paths(): Json {
	const csvColumns = INITIATIVE_CSV_COLUMNS.map((c) => `\`${c}\``).join(', ');
	const write = writeOperations();
	return {
		...conditionalGets({
			'/api/v1/initiatives': {
				post: write.create,
				get: {
					operationId: 'listInitiatives',
					tags: ['registry'],
					summary: 'Search published initiatives',
					description: `Filtered, sorted and paged list of published initiatives, with facet counts under the same filter. Page with \`offset\`, or with the opaque \`next_cursor\` passed back as \`cursor\`. ${STRICT_NOTE}`,
					parameters: listParameters(),
					responses: {
						'200': { description: 'A page of initiatives.', content: jsonContent('InitiativeList') },
						...badRequest
					}
				}
			}
		}),
		'/api/v1/initiatives/{id}': {
			get: {
				operationId: 'getInitiative',
				tags: ['registry'],
				summary: 'One published initiative (with a token: any record the token may read)',
				description:
					'Without a token: the published record. With a bearer token: the record in any status the token and its account may read, in the `WorkflowInitiative` shape, with its version as `ETag` (send it back in `If-Match`).',
				security: [{}, { bearerToken: [] }],
				parameters: [ref('parameters', 'InitiativeId')],
				responses: {
					'200': {
						description: 'The initiative.',
						headers: { ETag: { description: 'With a token: the record version.', schema: { type: 'string' } } },
						content: {
							'application/json': {
								schema: { oneOf: [ref('schemas', 'Initiative'), ref('schemas', 'WorkflowInitiative')] }
							}
						}
					},
					'401': ref('responses', 'Unauthorized'),
					'404': {
						description:
							'No published initiative has this id (unpublished records are reported as not found too, unless a token may read them). Code `INITIATIVE_NOT_FOUND`.',
						content: problemContent
					},
					'429': ref('responses', 'TooManyRequests')
				}
			},
			patch: write.update
		},
		...write.steps,
		'/api/v1/initiatives/{id}/history': write.history,
		'/api/v1/initiatives/export.csv': {
			get: {
				operationId: 'exportInitiativesCsv',
				tags: ['data'],
				summary: 'Download published initiatives as CSV',
				description: [
					'Every published initiative matching the filter, in the order given by `sort`, as CSV (RFC 4180, UTF-8) with a header row.',
					`Columns, in order: ${csvColumns}.`,
					'List cells (`initiator_kinds`, `initiators`, `countries`, `objectives`, `principles`) separate values with ";"; `source_citation` and `source_url` hold one source per line, in parallel.',
					'Against spreadsheet formula injection, a value beginning with `=`, `+`, `-`, `@`, tab or carriage return is prefixed with "\'"; `gcm import` removes that prefix, so an exported file can be re-imported unchanged.',
					`Released under CC BY 4.0. ${STRICT_NOTE}`
				].join('\n\n'),
				parameters: exportParameters(),
				responses: {
					'200': {
						description: 'CSV file.',
						content: { 'text/csv': { schema: { type: 'string' } } }
					},
					...badRequest
				}
			}
		},
		'/api/v1/initiatives/export.json': {
			get: {
				operationId: 'exportInitiativesJson',
				tags: ['data'],
				summary: 'Download published initiatives as JSON',
				description: `Every published initiative matching the filter, in the order given by \`sort\`, in the API item shape, with licence and attribution. ${STRICT_NOTE}`,
				parameters: exportParameters(),
				responses: {
					'200': { description: 'JSON document.', content: jsonContent('InitiativeExport') },
					...badRequest
				}
			}
		},
		'/api/v1/objectives': {
			get: {
				operationId: 'listObjectives',
				tags: ['reference'],
				summary: 'The 23 GCM objectives',
				responses: { '200': { description: 'All objectives, by number.', content: jsonContent('ObjectiveList') } }
			}
		},
		'/api/v1/objectives/{number}': {
			get: {
				operationId: 'getObjective',
				tags: ['reference'],
				summary: 'One GCM objective',
				parameters: [
					{
						name: 'number',
						in: 'path',
						required: true,
						description: 'Objective number.',
						schema: { type: 'integer', minimum: 1, maximum: 23 }
					}
				],
				responses: {
					'200': { description: 'The objective.', content: jsonContent('Objective') },
					'404': { description: 'No such objective. Code `OBJECTIVE_NOT_FOUND`.', content: problemContent }
				}
			}
		},
		'/api/v1/countries': {
			get: {
				operationId: 'listCountries',
				tags: ['reference'],
				summary: 'Countries and areas (UN M49)',
				responses: { '200': { description: 'All countries and areas.', content: jsonContent('CountryList') } }
			}
		},
		'/api/v1/countries/{iso3}': {
			get: {
				operationId: 'getCountry',
				tags: ['reference'],
				summary: 'One country or area',
				parameters: [
					{
						name: 'iso3',
						in: 'path',
						required: true,
						description: 'ISO 3166-1 alpha-3 code.',
						schema: { type: 'string', pattern: ISO3_PATTERN }
					}
				],
				responses: {
					'200': { description: 'The country.', content: jsonContent('Country') },
					'404': { description: 'No such country. Code `COUNTRY_NOT_FOUND`.', content: problemContent }
				}
			}
		},
		'/api/v1/practices': {
			get: {
				operationId: 'listPractices',
				tags: ['registry'],
				summary: 'Published promising practices',
				responses: { '200': { description: 'All published practices.', content: jsonContent('PracticeList') } }
			}
		},
		'/api/v1/reference': {
			get: {
				operationId: 'getReference',
				tags: ['reference'],
				summary: 'GCM reference data',
				description:
					'The guiding principles (GCM para 15), the four IMRF roundtables and their objectives, the UN Network on Migration thematic areas and 2019 workstreams, the four objectives of the Global Compact on Refugees, the review calendar years and the UN regional commissions. Every fact carries its status and sources.',
				responses: {
					'200': {
						description: 'Reference data.',
						content: {
							'application/json': {
								schema: {
									type: 'object',
									required: [
										'principles',
										'roundtables',
										'un_network_thematic_areas',
										'un_network_workstreams_2019',
										'gcr_objectives',
										'review_calendar',
										'regional_commissions'
									],
									properties: {
										principles: { type: 'array', items: { type: 'object' } },
										roundtables: { type: 'array', items: { type: 'object' } },
										un_network_thematic_areas: { type: 'array', items: { type: 'object' } },
										un_network_workstreams_2019: { type: 'array', items: { type: 'object' } },
										gcr_objectives: { type: 'array', items: { type: 'object' } },
										review_calendar: { type: 'object' },
										regional_commissions: { type: 'array', items: { type: 'object' } }
									}
								}
							}
						}
					}
				}
			}
		},
		...benchmarkPaths(),
		'/api/v1/openapi.json': {
			get: {
				operationId: 'getOpenApiDocument',
				tags: ['data'],
				summary: 'This OpenAPI document',
				responses: {
					'200': {
						description: 'OpenAPI 3.1 document.',
						content: { 'application/json': { schema: { type: 'object' } } }
					}
				}
			}
		}
	};
}

// The write API (API tokens) ------------------------------------------------------------------

const ID_PARAM = 'InitiativeId';
const IF_MATCH_PARAM = 'IfMatch';

function writeParameters(): Json {
	return {
		[ID_PARAM]: {
			name: 'id',
			in: 'path',
			required: true,
			description: 'Initiative id.',
			schema: { type: 'string', format: 'uuid' }
		},
		[IF_MATCH_PARAM]: {
			name: 'If-Match',
			in: 'header',
			required: true,
			description:
				'The `ETag` of the version the change is based on (from GET or the previous write), e.g. `"3"`: exactly one strong ETag; `*`, weak tags and lists are not accepted. Missing: 428. Outdated: 412 with the current record.',
			schema: { type: 'string', pattern: '^"[1-9][0-9]*"$' }
		}
	};
}

/** Schemas of the write API, built from the Initiative item schema so the field rules cannot drift. */
function writeSchemas(initiative: Json): Json {
	const properties = initiative.properties as Record<string, Json>;
	const writable = Object.fromEntries(Object.keys(WRITABLE_FIELDS).map((k) => [k, properties[k] as Json]));
	const workflowExtra: Record<string, Json> = {
		status: { type: 'string', enum: [...RECORD_STATUSES] },
		version: { type: 'integer', minimum: 1, description: 'Increases with every change; the record ETag.' },
		owner_organisation_id: nullable({
			type: 'string',
			format: 'uuid',
			description: 'The organisation responsible for the record.'
		}),
		published_at: nullable({ type: 'string', format: 'date-time' })
	};
	return {
		InitiativeInput: {
			type: 'object',
			description:
				'A new record: every editable field (the names and rules of the `Initiative` item). Fields that are not editable content (`id`, `status`, `version` …) are refused by name, never ignored.',
			additionalProperties: false,
			required: Object.keys(writable),
			properties: {
				...writable,
				owner_organisation_id: nullable({
					type: 'string',
					format: 'uuid',
					description:
						"Optional: one of your organisations. Default: the token's organisation, else your only organisation. A token limited to an organisation can only create records for it."
				})
			}
		},
		InitiativePatch: {
			type: 'object',
			description:
				'Only the fields to change (PATCH). The merged record is validated as a whole; any other field is refused by name. An empty object changes nothing.',
			additionalProperties: false,
			properties: writable
		},
		WorkflowInitiative: {
			type: 'object',
			description: 'A record as writers see it: the public fields plus its workflow state.',
			additionalProperties: false,
			required: [...(initiative.required as string[]), ...Object.keys(workflowExtra)],
			properties: { ...properties, ...workflowExtra }
		},
		StepComment: {
			type: 'object',
			additionalProperties: false,
			properties: {
				comment: {
					type: 'string',
					maxLength: 5000,
					description: 'Review comment: optional for approve, required for request-changes.'
				}
			}
		},
		HistoryEntry: {
			type: 'object',
			additionalProperties: false,
			required: ['version', 'status', 'at', 'changed_by', 'comment', 'record'],
			properties: {
				version: { type: 'integer', minimum: 1 },
				status: workflowExtra.status,
				at: { type: 'string', format: 'date-time' },
				changed_by: nullable({
					type: 'string',
					format: 'uuid',
					description: 'Account id; null unless you may read the full history.'
				}),
				comment: nullable({
					type: 'string',
					description: 'Review comment; null unless you may read the full history.'
				}),
				record: {
					oneOf: [ref('schemas', 'Initiative'), ref('schemas', 'WorkflowInitiative')],
					description:
						'The record as it was: `WorkflowInitiative` (with status, version and owner) in a full history, `Initiative` (the public shape) in the public one.'
				}
			}
		},
		History: {
			type: 'object',
			additionalProperties: false,
			required: ['items'],
			properties: { items: arrayOf(ref('schemas', 'HistoryEntry')) }
		}
	};
}

function writeResponses(): Json {
	const challenge = {
		'WWW-Authenticate': {
			description: '`Bearer realm="gcm-observatory"`, with `error="invalid_token"` when a token was refused.',
			schema: { type: 'string' }
		}
	};
	return {
		Unauthorized: {
			description:
				'No API token (code `AUTH_REQUIRED`: a browser session is not accepted), or an invalid, expired or revoked one (code `API_TOKEN_INVALID`).',
			headers: challenge,
			content: problemContent
		},
		Forbidden: {
			description:
				'You may read the record but not do this (code `FORBIDDEN`): your account lacks the permission, the token is read-only, or the record is outside the organisation or country the token is limited to.',
			content: problemContent
		},
		RecordNotFound: {
			description:
				'No record with this id that you, and the token, may read (code `INITIATIVE_NOT_FOUND`): unpublished records you may not read are reported exactly like ids that do not exist.',
			content: problemContent
		},
		Conflict: {
			description:
				'The step does not fit the record’s state, e.g. submitting a published record or editing one in place (code `CONFLICT`); `current` holds the record as it is now.',
			content: problemContent
		},
		PreconditionFailed: {
			description:
				'`If-Match` names an outdated version: someone changed the record since (code `PRECONDITION_FAILED`). `current` holds the record as it is now and the `ETag` header its version; reapply your change to it.',
			headers: { ETag: { description: 'The current version.', schema: { type: 'string' } } },
			content: problemContent
		},
		PreconditionRequired: {
			description:
				'`If-Match` is missing (or `*`): send the ETag of the version you changed (code `PRECONDITION_REQUIRED`).',
			content: problemContent
		},
		TooManyRequests: {
			description: 'Too many failed token authentications from your address (code `RATE_LIMITED`).',
			headers: { 'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer', minimum: 1 } } },
			content: problemContent
		}
	};
}

const recordHeaders: Json = {
	ETag: { description: 'The record version, for `If-Match`.', schema: { type: 'string' } }
};

function writeResponseSet(extra: Json = {}): Json {
	return {
		'400': ref('responses', 'BadRequest'),
		'401': ref('responses', 'Unauthorized'),
		'403': ref('responses', 'Forbidden'),
		...extra,
		'429': ref('responses', 'TooManyRequests')
	};
}

const STEPS = [
	['submit', 'submitInitiative', 'Submit a draft for review (draft → in review)'],
	['approve', 'approveInitiative', 'Approve a record in review (in review → published), with an optional comment'],
	['request-changes', 'requestInitiativeChanges', 'Send a record in review back to draft, with a required comment'],
	['publish', 'publishInitiative', 'Publish (draft, in review or archived → published)'],
	['unpublish', 'unpublishInitiative', 'Unpublish (published → draft): gone from every public surface at once'],
	['archive', 'archiveInitiative', 'Archive (draft, in review or published → archived)']
] as const;

/** The write operations; each needs a bearer token (`security`) and answers in the WorkflowInitiative shape. */
function writeOperations(): { create: Json; update: Json; steps: Json; history: Json } {
	const security = [{ bearerToken: [] }];
	const ok = (description: string): Json => ({
		description,
		headers: recordHeaders,
		content: jsonContent('WorkflowInitiative')
	});
	const changeResponses = writeResponseSet({
		'404': ref('responses', 'RecordNotFound'),
		'409': ref('responses', 'Conflict'),
		'412': ref('responses', 'PreconditionFailed'),
		'428': ref('responses', 'PreconditionRequired')
	});
	const steps = Object.fromEntries(
		STEPS.map(([path, operationId, summary]) => [
			`/api/v1/initiatives/{id}/${path}`,
			{
				post: {
					operationId,
					tags: ['workflow'],
					summary,
					description:
						'Acts through the same workflow, policy and audit trail as the web (audit channel `api`). Needs a token with write access whose account may take this step on the record.',
					security,
					parameters: [ref('parameters', ID_PARAM), ref('parameters', IF_MATCH_PARAM)],
					requestBody: {
						required: false,
						content: { 'application/json': { schema: ref('schemas', 'StepComment') } }
					},
					responses: { '200': ok('The record after the step.'), ...changeResponses }
				}
			}
		])
	);
	return {
		create: {
			operationId: 'createInitiative',
			tags: ['workflow'],
			summary: 'Create a draft',
			description:
				'Creates a draft from a complete record (JSON, `Content-Type: application/json`). Needs a token with write access; a token limited to a country can only create records that concern it.',
			security,
			requestBody: { required: true, content: { 'application/json': { schema: ref('schemas', 'InitiativeInput') } } },
			responses: {
				'201': {
					description: 'The new draft (version 1).',
					headers: {
						...recordHeaders,
						Location: { description: 'The record URL.', schema: { type: 'string' } }
					},
					content: jsonContent('WorkflowInitiative')
				},
				...writeResponseSet()
			}
		},
		update: {
			operationId: 'updateInitiative',
			tags: ['workflow'],
			summary: 'Change some fields of a draft or a record in review',
			description:
				'PATCH semantics: only the fields sent change. Requires `If-Match` with the version you based the change on. A published record is not edited in place (unpublish it first: 409).',
			security,
			parameters: [ref('parameters', IF_MATCH_PARAM)],
			requestBody: { required: true, content: { 'application/json': { schema: ref('schemas', 'InitiativePatch') } } },
			responses: {
				'200': ok('The changed record (unchanged, same version, when nothing differed).'),
				...changeResponses
			}
		},
		steps,
		history: {
			get: {
				operationId: 'getInitiativeHistory',
				tags: ['workflow'],
				summary: 'The revision history of a record',
				description:
					'Oldest first. Without a token, or for a published record outside what the token is limited to: only the published revisions, without who changed them or review comments. With a token whose account may read the history: every revision.',
				security: [{}, { bearerToken: [] }],
				parameters: [ref('parameters', ID_PARAM)],
				responses: {
					'200': { description: 'The revisions.', content: jsonContent('History') },
					'401': ref('responses', 'Unauthorized'),
					'404': ref('responses', 'RecordNotFound'),
					'429': ref('responses', 'TooManyRequests')
				}
			}
		}
	};
}

/** The OpenAPI 3.1 document of the public API, for the given server base URL. */
export function openApiDocument(serverUrl: string): Record<string, unknown> {
	return {
		openapi: '3.1.0',
		jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
		info: {
			title: 'GCM Observatory API',
			version: '1.0.0',
			summary: 'Registry of initiatives implementing the Global Compact for Safe, Orderly and Regular Migration.',
			description: [
				'JSON API of the GCM Observatory. Reading published records needs no authentication: without a token only published records are returned; drafts, records in review and archived records are never exposed.',
				'Writing (creating drafts, editing, and the workflow steps submit, approve, request changes, publish, unpublish and archive) needs an API token created at /account/tokens, sent as `Authorization: Bearer gcm_…`. A token never does more than its account may; `read` tokens never write, and a token limited to an organisation or a country acts only on records of it. Browser session cookies are never accepted for writes (and are ignored whenever an Authorization header is sent), so cross-site requests cannot change anything.',
				'Every record has a version, returned as its `ETag`. Changes to an existing record must send it in `If-Match`: without it the answer is 428, with an outdated one 412 carrying the current record, so two people never silently overwrite each other.',
				'The data is licensed under Creative Commons Attribution 4.0 (CC BY 4.0, https://creativecommons.org/licenses/by/4.0/): credit "GCM Observatory" and, for the 2019 records, Mixed Migration Centre (2019), "Wheels in motion". The licence below is that of the software.',
				'Errors are RFC 9457 problem details (`application/problem+json`) with a stable `code`.'
			].join('\n\n'),
			license: { name: 'GNU Affero General Public License v3.0 or later', identifier: 'AGPL-3.0-or-later' }
		},
		servers: [{ url: serverUrl }],
		tags: [
			{ name: 'registry', description: 'Initiatives and practices.' },
			{ name: 'reference', description: 'GCM objectives and countries.' },
			{ name: 'data', description: 'Bulk downloads and this description.' },
			{ name: 'workflow', description: 'Creating and editing initiatives, practices and actors with an API token.' },
			{
				name: 'benchmarks',
				description: 'Published country benchmark assessments, their scores and evidence (issue #5).'
			}
		],
		// Practices and actors (issue #3): openapi-records.ts.
		paths: mergePaths(paths() as Record<string, Record<string, unknown>>, recordPaths()),
		components: {
			schemas: { ...schemas(), ...recordSchemas() },
			parameters: { ...QUERY_PARAMETER_OBJECTS, ...writeParameters(), ...benchmarkParameters() },
			securitySchemes: {
				bearerToken: {
					type: 'http',
					scheme: 'bearer',
					description:
						'An API token from /account/tokens (`gcm_` followed by 43 characters). Expired, revoked or unknown tokens are 401 with `WWW-Authenticate: Bearer error="invalid_token"`; repeated failures from one client address are 429 with `Retry-After`.'
				}
			},
			responses: {
				...writeResponses(),
				BadRequest: {
					description: `Invalid parameters (code \`VALIDATION_FAILED\`); \`errors\` names each parameter.`,
					content: problemContent
				},
				NotFound: { description: 'Not found (e.g. an unknown path under /api/v1).', content: problemContent }
			}
		}
	};
}

// Benchmarking (issue #5): published assessments, country and objective benchmarks, downloads ----

const PERSPECTIVE_ENUM: Json = { type: 'string', enum: [...ASSESSMENT_PERSPECTIVES] };
const SCORE: Json = nullable({ type: 'number', minimum: 0, maximum: 100 });
const FICTIONAL_DESCRIPTION =
	'True for the fictional demo country Demoland (XDM, loaded only with `gcm seed --demo`): invented demonstration data, never a real country’s score.';

/** An object schema whose properties are all required (nullable ones included). */
function strictObject(properties: Record<string, Json>, description?: string): Json {
	return {
		type: 'object',
		...(description ? { description } : {}),
		additionalProperties: false,
		required: Object.keys(properties),
		properties
	};
}

/** One optional property per perspective. */
function perPerspective(schema: Json, description: string): Json {
	return {
		type: 'object',
		description,
		additionalProperties: false,
		properties: Object.fromEntries(ASSESSMENT_PERSPECTIVES.map((p) => [p, schema]))
	};
}

function benchmarkParameters(): Json {
	return {
		BenchmarkCountry: {
			name: 'country',
			in: 'query',
			required: false,
			description: 'ISO 3166-1 alpha-3 code (case-insensitive). A well-formed code that is not a country is 404.',
			schema: { type: 'string', pattern: '^[A-Za-z]{3}$' }
		},
		BenchmarkPerspective: {
			name: 'perspective',
			in: 'query',
			required: false,
			description: 'Who assessed: the observatory (independent), the government, or civil society.',
			schema: PERSPECTIVE_ENUM
		},
		BenchmarkEdition: {
			name: 'edition',
			in: 'query',
			required: false,
			description: 'The edition year.',
			schema: { type: 'integer', minimum: EDITION_MIN, maximum: EDITION_MAX }
		}
	};
}

function benchmarkSchemas(): Record<string, Json> {
	const stats = strictObject(
		{
			n: { type: 'integer', minimum: 0, description: 'Number of ratings ("cannot rate" excluded).' },
			mean: SCORE,
			median: SCORE,
			sd: nullable({ type: 'number', minimum: 0, description: 'Sample standard deviation; null when n < 2.' }),
			min: SCORE,
			max: SCORE
		},
		'Expert ratings of one item on the 0–100 scale (null statistics when n = 0).'
	);
	const summary: Record<string, Json> = {
		id: { type: 'string', format: 'uuid' },
		url: { type: 'string', description: 'This assessment with all its scores.' },
		country: { type: 'string', pattern: ISO3_PATTERN },
		country_name: { type: 'string' },
		fictional: { type: 'boolean', description: FICTIONAL_DESCRIPTION },
		edition: { type: 'integer' },
		perspective: PERSPECTIVE_ENUM,
		title: { type: 'string' },
		summary: { type: 'string' },
		methodology: ref('schemas', 'BenchmarkMethodologyRef'),
		published_at: { type: 'string', format: 'date-time' },
		overall: SCORE,
		objectives_overall: SCORE,
		principles_overall: SCORE,
		alpha: nullable({
			type: 'number',
			maximum: 1,
			description: "Krippendorff's alpha (interval) over the expert ratings; null when undefined."
		}),
		experts: strictObject(
			{
				count: { type: 'integer', minimum: 0 },
				public_names: arrayOf(
					{ type: 'string' },
					{ description: 'Only experts who agreed to be named; the others are only counted.' }
				)
			},
			'The expert panel: never identities without consent.'
		)
	};
	const row = (extra: Record<string, Json> = {}): Json =>
		strictObject({
			...extra,
			scores: perPerspective(SCORE, 'Each present perspective’s score.'),
			max_difference: nullable({ type: 'number', minimum: 0, description: 'Points.' }),
			divergent: { type: 'boolean', description: '`max_difference` is above the methodology’s threshold.' },
			pair: nullable(arrayOf(PERSPECTIVE_ENUM, { minItems: 2, maxItems: 2 }))
		});
	const deltas = strictObject({
		overall: nullable({ type: 'number' }),
		objectives_overall: nullable({ type: 'number' }),
		principles_overall: nullable({ type: 'number' }),
		objectives: arrayOf(strictObject({ number: { type: 'integer' }, delta: nullable({ type: 'number' }) })),
		principles: arrayOf(strictObject({ key: { type: 'string' }, delta: nullable({ type: 'number' }) }))
	});
	const exportDoc = (item: string): Json =>
		strictObject({
			licence: { type: 'string', const: 'CC-BY-4.0' },
			attribution: { type: 'string' },
			note: { type: 'string', description: 'What `fictional: true` means.' },
			generated_at: { type: 'string', format: 'date-time' },
			columns: arrayOf({ type: 'string' }, { description: 'The item fields, in CSV column order.' }),
			items: arrayOf(ref('schemas', item))
		});
	const cell = (c: string): Json => {
		if (c === 'fictional') return { type: 'boolean', description: FICTIONAL_DESCRIPTION };
		if (['edition', 'objective', 'implementation_n'].includes(c)) return { type: 'integer' };
		if (c === 'evidence_position') return nullable({ type: 'integer', minimum: 1 });
		if (['score', 'policy', 'coverage', 'gap'].includes(c) || c.startsWith('implementation_'))
			return nullable({ type: 'number' });
		return { type: 'string' };
	};
	return {
		BenchmarkMethodologyRef: strictObject({
			key: { type: 'string' },
			version: { type: 'string' },
			url: { type: 'string', description: 'The full methodology definition.' }
		}),
		SpreadStats: stats,
		ScoreFlag: strictObject(
			{
				code: {
					type: 'string',
					enum: ['LOW_COVERAGE', 'FEW_EXPERTS', 'NO_DESK_ANSWERS', 'ALPHA_UNDEFINED', 'DISPUTED_ANSWER']
				},
				item: nullable({ type: 'string', description: '`O1`…`O23` or a guiding principle key.' }),
				coverage: nullable({ type: 'number', minimum: 0, maximum: 1 }),
				n: nullable({ type: 'integer', minimum: 0 }),
				variable_key: nullable({ type: 'string' })
			},
			'A warning attached to the scores: show it next to the number it concerns.'
		),
		AssessmentSummary: strictObject(summary, 'A published assessment (country × edition × perspective).'),
		Assessment: strictObject(
			{
				...summary,
				objectives: arrayOf(
					strictObject({
						number: { type: 'integer', minimum: 1, maximum: 23 },
						roundtable: { type: 'integer', minimum: 1, maximum: 4 },
						scored: { type: 'boolean' },
						score: SCORE,
						policy: SCORE,
						coverage: { type: 'number', minimum: 0, maximum: 1 },
						answered: { type: 'integer', minimum: 0 },
						applicable: { type: 'integer', minimum: 0 },
						implementation: ref('schemas', 'SpreadStats'),
						gap: nullable({ type: 'number', description: 'implementation mean − policy, in points.' })
					})
				),
				principles: arrayOf(
					strictObject({
						key: { type: 'string', enum: [...PRINCIPLE_KEYS] },
						scored: { type: 'boolean' },
						score: SCORE,
						expert: ref('schemas', 'SpreadStats')
					})
				),
				roundtables: arrayOf(
					strictObject({
						number: { type: 'integer', minimum: 1, maximum: 4 },
						score: SCORE,
						objectives: arrayOf({ type: 'integer' })
					})
				),
				flags: arrayOf(ref('schemas', 'ScoreFlag'))
			},
			'A published assessment with every stored score.'
		),
		AssessmentList: strictObject({
			total: { type: 'integer', minimum: 0 },
			items: arrayOf(ref('schemas', 'AssessmentSummary'))
		}),
		TrendPoint: strictObject({
			edition: { type: 'integer' },
			methodology: strictObject({ key: { type: 'string' }, version: { type: 'string' } }),
			overall: SCORE,
			objectives_overall: SCORE,
			principles_overall: SCORE,
			previous_edition: nullable({ type: 'integer' }),
			comparable: nullable({
				type: 'boolean',
				description: 'Same methodology key and version as the previous edition; null for the first.'
			}),
			reason: nullable({ type: 'string' }),
			deltas: nullable(deltas)
		}),
		PerspectiveComparison: strictObject({
			perspectives: arrayOf(PERSPECTIVE_ENUM),
			threshold: { type: 'number', minimum: 0, description: 'Points above which perspectives diverge.' },
			comparable: { type: 'boolean' },
			reason: nullable({ type: 'string' }),
			overall: row(),
			objectives_overall: row(),
			principles_overall: row(),
			objectives: arrayOf(row({ number: { type: 'integer', minimum: 1, maximum: 23 } })),
			principles: arrayOf(row({ key: { type: 'string', enum: [...PRINCIPLE_KEYS] } })),
			divergent_items: { type: 'integer', minimum: 0 }
		}),
		CountryBenchmark: strictObject(
			{
				country: strictObject({
					iso3: { type: 'string', pattern: ISO3_PATTERN },
					name: { type: 'string' },
					fictional: { type: 'boolean', description: FICTIONAL_DESCRIPTION }
				}),
				assessed: { type: 'boolean', description: 'False: no published assessment (and no score).' },
				latest_edition: nullable({ type: 'integer' }),
				headline: nullable(ref('schemas', 'AssessmentSummary')),
				assessments: arrayOf(ref('schemas', 'AssessmentSummary')),
				perspectives: nullable(ref('schemas', 'PerspectiveComparison')),
				trend: perPerspective(arrayOf(ref('schemas', 'TrendPoint')), 'Editions compared within each perspective.'),
				evidence_source: nullable(
					strictObject({
						assessment_id: { type: 'string', format: 'uuid' },
						edition: { type: 'integer' },
						perspective: PERSPECTIVE_ENUM
					})
				),
				scores_url: { type: 'string' },
				evidence_url: { type: 'string' }
			},
			'A country’s benchmark: the headline assessment is the latest edition’s independent one, else another perspective of it.'
		),
		ObjectiveBenchmark: strictObject({
			objective: { type: 'integer', minimum: 1, maximum: 23 },
			title: nullable({ type: 'string' }),
			countries: arrayOf(
				strictObject({
					country: { type: 'string', pattern: ISO3_PATTERN },
					name: { type: 'string' },
					fictional: { type: 'boolean', description: FICTIONAL_DESCRIPTION },
					perspectives: perPerspective(
						strictObject({
							assessment_id: { type: 'string', format: 'uuid' },
							edition: { type: 'integer' },
							methodology: strictObject({ key: { type: 'string' }, version: { type: 'string' } }),
							scored: { type: 'boolean' },
							score: SCORE,
							policy: SCORE,
							coverage: { type: 'number', minimum: 0, maximum: 1 },
							implementation: ref('schemas', 'SpreadStats'),
							gap: nullable({ type: 'number' })
						}),
						'The latest published edition of each perspective.'
					)
				})
			)
		}),
		ScoreExportRow: strictObject(Object.fromEntries(SCORE_EXPORT_COLUMNS.map((c) => [c, cell(c)]))),
		EvidenceExportRow: strictObject(Object.fromEntries(EVIDENCE_EXPORT_COLUMNS.map((c) => [c, cell(c)]))),
		ScoreExport: exportDoc('ScoreExportRow'),
		EvidenceExport: exportDoc('EvidenceExportRow')
	};
}

function benchmarkPaths(): Json {
	const filters = ['BenchmarkCountry', 'BenchmarkPerspective', 'BenchmarkEdition'].map((p) => ref('parameters', p));
	const notFound = (what: string, code: string): Json => ({
		description: `${what} Code \`${code}\`.`,
		content: problemContent
	});
	const published =
		'Published assessments only: drafts and assessments in research, panel or validation never appear. Unknown parameters, repeated parameters and bad values are a 400 problem naming each parameter.';
	const download = (kind: 'scores' | 'evidence', format: 'csv' | 'json'): Json => {
		const columns = (kind === 'scores' ? SCORE_EXPORT_COLUMNS : EVIDENCE_EXPORT_COLUMNS)
			.map((c) => `\`${c}\``)
			.join(', ');
		const what =
			kind === 'scores'
				? 'one row per published assessment × objective or guiding principle'
				: 'the desk-research answers of published assessments, one row per cited document (or per answer without evidence)';
		return {
			get: {
				operationId: `exportBenchmark${kind === 'scores' ? 'Scores' : 'Evidence'}${format === 'csv' ? 'Csv' : 'Json'}`,
				tags: ['benchmarks'],
				summary: `Download benchmark ${kind} as ${format.toUpperCase()}`,
				description: [
					`Open data: ${what}. Columns${format === 'json' ? ' (item fields)' : ''}, in order: ${columns}.`,
					'Every row has `fictional`: true marks demonstration data about the fictional country Demoland (XDM).',
					format === 'csv'
						? 'RFC 4180, UTF-8, header row. Text beginning with `=`, `+`, `-`, `@`, tab or carriage return is prefixed with "\'" against spreadsheet formula injection; numbers are written as numbers. Empty cell = null.'
						: 'With licence, attribution and the note on fictional data.',
					`Released under CC BY 4.0. ${published}`
				].join('\n\n'),
				parameters: filters,
				responses: {
					'200': {
						description: `${format.toUpperCase()} file.`,
						content:
							format === 'csv'
								? { 'text/csv': { schema: { type: 'string' } } }
								: jsonContent(kind === 'scores' ? 'ScoreExport' : 'EvidenceExport')
					},
					...badRequest,
					'404': notFound('`country` is not a country.', 'COUNTRY_NOT_FOUND')
				}
			}
		};
	};
	return conditionalGets({
		'/api/v1/assessments': {
			get: {
				operationId: 'listAssessments',
				tags: ['benchmarks'],
				summary: 'Published benchmark assessments',
				description: `Oldest country and edition first. ${published}`,
				parameters: filters,
				responses: {
					'200': { description: 'The published assessments.', content: jsonContent('AssessmentList') },
					...badRequest,
					'404': notFound('`country` is not a country.', 'COUNTRY_NOT_FOUND')
				}
			}
		},
		'/api/v1/assessments/{id}': {
			get: {
				operationId: 'getAssessment',
				tags: ['benchmarks'],
				summary: 'One published assessment with all its scores',
				parameters: [
					{ name: 'id', in: 'path', required: true, description: 'Assessment id.', schema: { type: 'string' } }
				],
				responses: {
					'200': { description: 'The assessment.', content: jsonContent('Assessment') },
					...badRequest,
					'404': notFound(
						'No published assessment has this id (unpublished and malformed ids look the same).',
						'ASSESSMENT_NOT_FOUND'
					)
				}
			}
		},
		'/api/v1/benchmarks/countries/{iso3}': {
			get: {
				operationId: 'getCountryBenchmark',
				tags: ['benchmarks'],
				summary: 'A country’s benchmark',
				description:
					'A country without published assessments is 200 with `assessed: false` and no scores. The evidence is in the evidence downloads (`evidence_url`).',
				parameters: [
					{
						name: 'iso3',
						in: 'path',
						required: true,
						description: 'ISO 3166-1 alpha-3 code (case-insensitive).',
						schema: { type: 'string', pattern: '^[A-Za-z]{3}$' }
					}
				],
				responses: {
					'200': { description: 'The benchmark.', content: jsonContent('CountryBenchmark') },
					...badRequest,
					'404': notFound('No such country.', 'COUNTRY_NOT_FOUND')
				}
			}
		},
		'/api/v1/benchmarks/objectives/{n}': {
			get: {
				operationId: 'getObjectiveBenchmark',
				tags: ['benchmarks'],
				summary: 'One objective’s published scores across countries',
				parameters: [
					{
						name: 'n',
						in: 'path',
						required: true,
						description: 'Objective number.',
						schema: { type: 'integer', minimum: 1, maximum: 23 }
					}
				],
				responses: {
					'200': { description: 'Scores by country.', content: jsonContent('ObjectiveBenchmark') },
					...badRequest,
					'404': notFound('No such objective.', 'OBJECTIVE_NOT_FOUND')
				}
			}
		},
		'/api/v1/benchmarks/scores.csv': download('scores', 'csv'),
		'/api/v1/benchmarks/scores.json': download('scores', 'json'),
		'/api/v1/benchmarks/evidence.csv': download('evidence', 'csv'),
		'/api/v1/benchmarks/evidence.json': download('evidence', 'json')
	});
}

/**
 * Published data answers conditional GETs (http/conditional.ts): an ETag on 200, `If-None-Match`,
 * and 304 without a body while the data is unchanged.
 */
function conditionalGets(paths: Record<string, Json>): Record<string, Json> {
	const etag = {
		ETag: {
			description:
				'A hash of the response (weak, `W/…`, for JSON downloads, whose `generated_at` changes): send it in `If-None-Match`. `Cache-Control: no-cache`: caches revalidate every time.',
			schema: { type: 'string' }
		}
	};
	const ifNoneMatch = {
		name: 'If-None-Match',
		in: 'header',
		required: false,
		description: 'The ETag of a copy you hold: 304 without a body if the data has not changed.',
		schema: { type: 'string' }
	};
	return Object.fromEntries(
		Object.entries(paths).map(([path, item]) => {
			const get = item.get as Json & { parameters?: Json[]; responses: Record<string, Json> };
			const responses = { ...get.responses, '200': { ...get.responses['200'], headers: etag } };
			const notModified = { description: 'Not modified: the copy you hold is current.', headers: etag };
			return [
				path,
				{
					...item,
					get: {
						...get,
						parameters: [...(get.parameters ?? []), ifNoneMatch],
						responses: { ...responses, '304': notModified }
					}
				}
			];
		})
	);
}
