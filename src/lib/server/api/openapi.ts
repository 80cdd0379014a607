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
	SCOPES,
	SORTS,
	VERIFICATION_STATUSES
} from '../../core/registry/vocabulary';
import type { Facets } from '../db/initiative.repository';

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
	return {
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
				})
			}
		}
	};
}

const problemContent: Json = { 'application/problem+json': { schema: ref('schemas', 'Problem') } };
const jsonContent = (schemaName: string): Json => ({ 'application/json': { schema: ref('schemas', schemaName) } });

function paths(): Json {
	const csvColumns = INITIATIVE_CSV_COLUMNS.map((c) => `\`${c}\``).join(', ');
	return {
		'/api/v1/initiatives': {
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
		},
		'/api/v1/initiatives/{id}': {
			get: {
				operationId: 'getInitiative',
				tags: ['registry'],
				summary: 'One published initiative',
				parameters: [
					{
						name: 'id',
						in: 'path',
						required: true,
						description: 'Initiative id.',
						schema: { type: 'string', format: 'uuid' }
					}
				],
				responses: {
					'200': { description: 'The initiative.', content: jsonContent('Initiative') },
					'404': {
						description:
							'No published initiative has this id (unpublished records are reported as not found too). Code `INITIATIVE_NOT_FOUND`.',
						content: problemContent
					}
				}
			}
		},
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
				'Public, read-only JSON API of the GCM Observatory (this version has no write endpoints and needs no authentication).',
				'Only published records are returned; drafts, records in review and archived records are never exposed.',
				'The data is licensed under Creative Commons Attribution 4.0 (CC BY 4.0, https://creativecommons.org/licenses/by/4.0/): credit "GCM Observatory" and, for the 2019 records, Mixed Migration Centre (2019), "Wheels in motion". The licence below is that of the software.',
				'Errors are RFC 9457 problem details (`application/problem+json`) with a stable `code`.'
			].join('\n\n'),
			license: { name: 'GNU Affero General Public License v3.0 or later', identifier: 'AGPL-3.0-or-later' }
		},
		servers: [{ url: serverUrl }],
		tags: [
			{ name: 'registry', description: 'Initiatives and practices.' },
			{ name: 'reference', description: 'GCM objectives and countries.' },
			{ name: 'data', description: 'Bulk downloads and this description.' }
		],
		paths: paths(),
		components: {
			schemas: schemas(),
			parameters: { ...QUERY_PARAMETER_OBJECTS },
			responses: {
				BadRequest: {
					description: `Invalid parameters (code \`VALIDATION_FAILED\`); \`errors\` names each parameter.`,
					content: problemContent
				},
				NotFound: { description: 'Not found (e.g. an unknown path under /api/v1).', content: problemContent }
			}
		}
	};
}
