/**
 * OpenAPI paths and schemas of the practice and actor endpoints (issue #3): the published lists,
 * one record (published, in the public shape, without a token; any readable status, in the write
 * shape, with one), and the write API with the same token, If-Match and problem rules as
 * initiatives. Merged into openapi.ts.
 */
import { INITIATOR_KINDS, RECORD_STATUSES } from '../../core/registry/vocabulary';

type Json = Record<string, unknown>;

const ref = (kind: 'schemas' | 'responses' | 'parameters', name: string): Json => ({
	$ref: `#/components/${kind}/${name}`
});
const nullable = (schema: Json): Json => ({ anyOf: [schema, { type: 'null' }] });
const problemContent: Json = { 'application/problem+json': { schema: ref('schemas', 'Problem') } };
const jsonContent = (name: string): Json => ({ 'application/json': { schema: ref('schemas', name) } });
const recordHeaders: Json = {
	ETag: { description: 'The record version, for `If-Match`.', schema: { type: 'string' } }
};

/** The API field names of each record's content (the write body and the response share them). */
export const RECORD_CONTENT_SCHEMAS: Record<'practice' | 'actor', Record<string, Json>> = {
	practice: {
		key: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]*$', maxLength: 80 },
		name: { type: 'string', minLength: 1, maxLength: 300 },
		implementing_partners: { type: 'string', maxLength: 5000 },
		period_start: nullable({ type: 'integer', minimum: 1900, maximum: 2100 }),
		period_end: nullable({ type: 'integer', minimum: 1900, maximum: 2100 }),
		period_text: nullable({ type: 'string', maxLength: 100 }),
		description: { type: 'string', maxLength: 20000 },
		more_information: nullable({ type: 'string', maxLength: 2000 }),
		countries: { type: 'array', items: { type: 'string', pattern: '^[A-Z]{3}$' }, maxItems: 300 },
		objectives: { type: 'array', items: { type: 'integer', minimum: 1, maximum: 23 }, maxItems: 23 },
		report_row: nullable({ type: 'integer', minimum: 1 }),
		original_text: nullable({ type: 'string', maxLength: 40000 })
	},
	actor: {
		name: { type: 'string', minLength: 1, maxLength: 300, description: 'Unique, ignoring case and spaces.' },
		description: { type: 'string', maxLength: 10000 },
		website: nullable({ type: 'string', format: 'uri', maxLength: 2000, description: 'An http(s) address.' }),
		country: nullable({ type: 'string', pattern: '^[A-Z]{3}$', description: 'Home country (ISO 3166-1 alpha-3).' }),
		kind: nullable({ type: 'string', enum: [...INITIATOR_KINDS] })
	}
};

const STEP_NAMES = ['history', 'submit', 'approve', 'request-changes', 'publish', 'unpublish', 'archive'];

function typePaths(type: 'practice' | 'actor'): Record<string, Json> {
	const Type = type === 'practice' ? 'Practice' : 'Actor';
	const plural = `${type}s`;
	const notFoundCode = type === 'practice' ? 'PRACTICE_NOT_FOUND' : 'ACTOR_NOT_FOUND';
	const security = [{ bearerToken: [] }];
	const idParam: Json = {
		name: 'id',
		in: 'path',
		required: true,
		description: `${Type} id.`,
		schema: { type: 'string', format: 'uuid' }
	};
	const notFound: Json = {
		description: `No ${type} with this id that you, and the token, may read (code \`${notFoundCode}\`): unpublished records are reported exactly like ids that do not exist.`,
		content: problemContent
	};
	const ok = (description: string): Json => ({
		description,
		headers: recordHeaders,
		content: jsonContent(`Workflow${Type}`)
	});
	const base: Json = {
		'400': ref('responses', 'BadRequest'),
		'401': ref('responses', 'Unauthorized'),
		'403': ref('responses', 'Forbidden'),
		'429': ref('responses', 'TooManyRequests')
	};
	const changeResponses: Json = {
		...base,
		'404': notFound,
		'409': ref('responses', 'Conflict'),
		'412': ref('responses', 'PreconditionFailed'),
		'428': ref('responses', 'PreconditionRequired')
	};
	return {
		[`/api/v1/${plural}`]: {
			post: {
				operationId: `create${Type}`,
				tags: ['workflow'],
				summary: `Create a draft ${type}`,
				description: `Creates a draft from the complete ${type} (JSON). Needs a token with write access; optional \`owner_organisation_id\` (defaults to the token's organisation, else the account's only one).`,
				security,
				requestBody: { required: true, content: jsonContent(`${Type}Input`) },
				responses: {
					'201': {
						description: 'The new draft (version 1).',
						headers: { ...recordHeaders, Location: { description: 'The record URL.', schema: { type: 'string' } } },
						content: jsonContent(`Workflow${Type}`)
					},
					...base
				}
			}
		},
		[`/api/v1/${plural}/{id}`]: {
			get: {
				operationId: `get${Type}`,
				tags: ['registry'],
				summary: `One ${type}`,
				description: `Two shapes, by the caller. Without a token: the published record as \`Public${Type}\` (content, \`published_at\`, \`updated_at\`; no status, version, owner or creation date), no ETag. With a token: the record in any status the token and its account may read, as \`Workflow${Type}\` (with \`status\`, \`version\`, \`owner_organisation_id\`, \`created_at\`) and its ETag, for \`If-Match\`.`,
				security: [{}, { bearerToken: [] }],
				parameters: [idParam],
				responses: {
					'200': {
						description: `The ${type}: \`Public${Type}\` without a token, \`Workflow${Type}\` with one.`,
						headers: {
							ETag: {
								description: 'With a token only: the record version, for `If-Match`.',
								schema: { type: 'string' }
							}
						},
						content: {
							'application/json': {
								schema: { oneOf: [ref('schemas', `Public${Type}`), ref('schemas', `Workflow${Type}`)] }
							}
						}
					},
					'401': ref('responses', 'Unauthorized'),
					'404': notFound,
					'429': ref('responses', 'TooManyRequests')
				}
			},
			patch: {
				operationId: `update${Type}`,
				tags: ['workflow'],
				summary: `Change some fields of a draft ${type} or one in review`,
				description:
					'PATCH semantics: only the fields sent change; any other field (status, version, owner …) is refused by name. Requires `If-Match`.',
				security,
				parameters: [idParam, ref('parameters', 'IfMatch')],
				requestBody: { required: true, content: jsonContent(`${Type}Patch`) },
				responses: { '200': ok(`The changed ${type}.`), ...changeResponses }
			}
		},
		[`/api/v1/${plural}/{id}/{step}`]: {
			get: {
				operationId: `get${Type}History`,
				tags: ['workflow'],
				summary: `The revision history of a ${type} (\`step\` = \`history\`)`,
				description: `Only \`history\` answers GET. Oldest first. With a token whose account may read the history, on a record within the token’s limits: every revision, with who and comments, each snapshot a \`Workflow${Type}\`. Otherwise (no token, outside the token’s limits, or an account that may not read the history): only the published revisions, anonymised, each snapshot a \`Public${Type}\`.`,
				security: [{}, { bearerToken: [] }],
				parameters: [
					idParam,
					{ name: 'step', in: 'path', required: true, schema: { type: 'string', enum: ['history'] } }
				],
				responses: {
					'200': { description: 'The revisions.', content: jsonContent(`${Type}History`) },
					'401': ref('responses', 'Unauthorized'),
					'404': notFound,
					'429': ref('responses', 'TooManyRequests')
				}
			},
			post: {
				operationId: `step${Type}`,
				tags: ['workflow'],
				summary: `A workflow step on a ${type}`,
				description:
					'`submit` (draft → in review), `approve` (in review → published, optional comment), `request-changes` (in review → draft, comment required), `publish`, `unpublish` (published → draft), `archive`. Same policy, revisions and audit trail as the web.',
				security,
				parameters: [
					idParam,
					{
						name: 'step',
						in: 'path',
						required: true,
						schema: { type: 'string', enum: STEP_NAMES.filter((s) => s !== 'history') }
					},
					ref('parameters', 'IfMatch')
				],
				requestBody: { required: false, content: jsonContent('StepComment') },
				responses: { '200': ok(`The ${type} after the step.`), ...changeResponses }
			}
		}
	};
}

/** Paths to merge into the document (method by method, so `/api/v1/practices` keeps its GET). */
export function recordPaths(): Record<string, Json> {
	const list: Record<string, Json> = {
		'/api/v1/actors': {
			get: {
				operationId: 'listActors',
				tags: ['registry'],
				summary: 'Published actors',
				description:
					'Actors published through the workflow, and those named by a published initiative; by name, 100 a page.',
				parameters: [{ name: 'page', in: 'query', required: false, schema: { type: 'integer', minimum: 1 } }],
				responses: {
					'200': { description: 'A page of actors.', content: jsonContent('ActorList') },
					'400': ref('responses', 'BadRequest')
				}
			}
		}
	};
	return mergePaths(mergePaths(list, typePaths('practice')), typePaths('actor'));
}

export function mergePaths(a: Record<string, Json>, b: Record<string, Json>): Record<string, Json> {
	const out: Record<string, Json> = { ...a };
	for (const [path, item] of Object.entries(b)) out[path] = { ...(out[path] ?? {}), ...item };
	return out;
}

export function recordSchemas(): Record<string, Json> {
	const out: Record<string, Json> = {};
	for (const type of ['practice', 'actor'] as const) {
		const Type = type === 'practice' ? 'Practice' : 'Actor';
		const content = RECORD_CONTENT_SCHEMAS[type];
		out[`${Type}Input`] = {
			type: 'object',
			additionalProperties: false,
			required: Object.keys(content),
			properties: {
				...content,
				owner_organisation_id: nullable({ type: 'string', format: 'uuid' })
			}
		};
		out[`${Type}Patch`] = { type: 'object', additionalProperties: false, properties: content };
		const workflow = {
			id: { type: 'string', format: 'uuid' },
			type: { type: 'string', enum: [type] },
			...content,
			status: { type: 'string', enum: [...RECORD_STATUSES] },
			version: { type: 'integer', minimum: 1 },
			owner_organisation_id: nullable({ type: 'string', format: 'uuid' }),
			published_at: nullable({ type: 'string', format: 'date-time' }),
			created_at: { type: 'string', format: 'date-time' },
			updated_at: { type: 'string', format: 'date-time' }
		};
		out[`Workflow${Type}`] = {
			type: 'object',
			description: `The ${type} as the write API and token reads return it.`,
			additionalProperties: false,
			required: Object.keys(workflow),
			properties: workflow
		};
		const published = {
			id: workflow.id,
			type: workflow.type,
			...content,
			published_at: workflow.published_at,
			updated_at: workflow.updated_at
		};
		out[`Public${Type}`] = {
			type: 'object',
			description: `The published ${type} as the public reads it: no workflow fields.`,
			additionalProperties: false,
			required: Object.keys(published),
			properties: published
		};
		out[`${Type}History`] = {
			type: 'object',
			additionalProperties: false,
			required: ['items'],
			properties: {
				items: {
					type: 'array',
					items: {
						type: 'object',
						additionalProperties: false,
						required: ['version', 'status', 'at', 'changed_by', 'comment', 'snapshot'],
						properties: {
							version: { type: 'integer', minimum: 1 },
							status: { type: 'string', enum: [...RECORD_STATUSES] },
							at: { type: 'string', format: 'date-time' },
							changed_by: nullable({ type: 'string', format: 'uuid' }),
							comment: nullable({ type: 'string' }),
							snapshot: {
								description: `\`Workflow${Type}\` in the full history, \`Public${Type}\` in the public one.`,
								oneOf: [ref('schemas', `Public${Type}`), ref('schemas', `Workflow${Type}`)]
							}
						}
					}
				}
			}
		};
	}
	out.ActorList = {
		type: 'object',
		additionalProperties: false,
		required: ['total', 'page', 'page_size', 'items'],
		properties: {
			total: { type: 'integer', minimum: 0 },
			page: { type: 'integer', minimum: 1 },
			page_size: { type: 'integer', minimum: 1 },
			items: {
				type: 'array',
				items: {
					type: 'object',
					additionalProperties: false,
					required: ['id', 'name', 'kind', 'country', 'initiative_count'],
					properties: {
						id: { type: 'string', format: 'uuid' },
						name: { type: 'string' },
						kind: nullable({ type: 'string', enum: [...INITIATOR_KINDS] }),
						country: nullable({ type: 'string', pattern: '^[A-Z]{3}$' }),
						initiative_count: { type: 'integer', minimum: 0 }
					}
				}
			}
		}
	};
	return out;
}
