import { existsSync, readFileSync } from 'node:fs';
import { join, resolve as resolvePath } from 'node:path';
import { describe, it, expect } from 'vitest';
import { GUIDING_PRINCIPLES } from '../../core/reference';
import { INITIATIVE_CSV_COLUMNS } from '../../core/registry/initiative-csv';
import { DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET, QUERY_PARAMS } from '../../core/registry/query';
import { ACTION_TYPES, RECORD_STATUSES, SORTS } from '../../core/registry/vocabulary';
import { toHistoryEntryResponse, toWorkflowInitiativeResponse, WRITABLE_FIELDS } from './initiative-write';
import { toInitiativeResponse } from './responses';
import { openApiDocument } from './openapi';
import { toPublicRecordResponse, toRecordResponse } from './record-write';
import type { WorkflowRecord } from '../services/record-workflow';

const ROUTES = resolvePath(import.meta.dirname, '../../../routes');

/** A record in the workflow shape, to compare the documented properties with the response mapping. */
const SAMPLE = {
	id: '11111111-1111-4111-8111-111111111111',
	key: 'k',
	title: 't',
	description: '',
	actionType: 'project',
	initiatorKinds: [],
	initiators: [],
	scope: 'national',
	regionalScope: false,
	region: null,
	countries: [],
	dateStart: null,
	dateEnd: null,
	datePrecision: 'unknown',
	dateText: null,
	predatesGcm: false,
	objectives: [],
	principles: [],
	sources: [],
	verificationStatus: 'reported',
	reportTable: null,
	reportRow: null,
	originalText: null,
	status: 'draft',
	version: 1,
	createdAt: '2026-01-01T00:00:00Z',
	updatedAt: '2026-01-01T00:00:00Z',
	ownerOrganisationId: null,
	createdBy: null,
	publishedAt: null
} as unknown as Parameters<typeof toWorkflowInitiativeResponse>[0];

type Obj = Record<string, unknown>;

const doc = openApiDocument('https://observatory.example.org');

/** Paths with a GET. */
const PATHS = [
	'/api/v1/initiatives',
	'/api/v1/initiatives/{id}',
	'/api/v1/initiatives/{id}/history',
	'/api/v1/initiatives/export.csv',
	'/api/v1/initiatives/export.json',
	'/api/v1/objectives',
	'/api/v1/objectives/{number}',
	'/api/v1/countries',
	'/api/v1/countries/{iso3}',
	'/api/v1/practices',
	'/api/v1/practices/{id}',
	'/api/v1/practices/{id}/{step}',
	'/api/v1/actors',
	'/api/v1/actors/{id}',
	'/api/v1/actors/{id}/{step}',
	'/api/v1/reference',
	'/api/v1/openapi.json',
	// Benchmarking (issue #5)
	'/api/v1/assessments',
	'/api/v1/assessments/{id}',
	'/api/v1/benchmarks/countries/{iso3}',
	'/api/v1/benchmarks/objectives/{n}',
	'/api/v1/benchmarks/scores.csv',
	'/api/v1/benchmarks/scores.json',
	'/api/v1/benchmarks/evidence.csv',
	'/api/v1/benchmarks/evidence.json'
];

/** The write API (bearer token): path, method, whether it changes an existing record (If-Match). */
const STEP_PATHS = ['submit', 'approve', 'request-changes', 'publish', 'unpublish', 'archive'].map(
	(s) => `/api/v1/initiatives/{id}/${s}`
);
const WRITE_OPS: [string, 'post' | 'patch', boolean][] = [
	['/api/v1/initiatives', 'post', false],
	['/api/v1/initiatives/{id}', 'patch', true],
	...STEP_PATHS.map((p): [string, 'post', boolean] => [p, 'post', true]),
	// Practices and actors (issue #3): one step route each (`{step}`), same rules.
	...(['practices', 'actors'] as const).flatMap((t): [string, 'post' | 'patch', boolean][] => [
		[`/api/v1/${t}`, 'post', false],
		[`/api/v1/${t}/{id}`, 'patch', true],
		[`/api/v1/${t}/{id}/{step}`, 'post', true]
	])
];

function at(value: unknown, ...keys: string[]): unknown {
	let cur = value;
	for (const k of keys) {
		if (cur === null || typeof cur !== 'object') return undefined;
		cur = (cur as Obj)[k];
	}
	return cur;
}

/** Resolves a local JSON pointer ("#/a/b") against the document. */
function resolve(pointer: string): unknown {
	if (!pointer.startsWith('#/')) return undefined;
	const keys = pointer
		.slice(2)
		.split('/')
		.map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
	return at(doc, ...keys);
}

/** Follows a $ref (if any) to the object it names. */
function deref(value: unknown): Obj {
	const r = at(value, '$ref');
	return (typeof r === 'string' ? resolve(r) : value) as Obj;
}

function collectRefs(value: unknown, out: string[] = []): string[] {
	if (Array.isArray(value)) for (const v of value) collectRefs(v, out);
	else if (value !== null && typeof value === 'object') {
		for (const [k, v] of Object.entries(value)) {
			if (k === '$ref' && typeof v === 'string') out.push(v);
			else collectRefs(v, out);
		}
	}
	return out;
}

function parametersOf(path: string): Obj[] {
	const params = at(doc, 'paths', path, 'get', 'parameters');
	return Array.isArray(params) ? params.map(deref) : [];
}

describe('openApiDocument', () => {
	it('is an OpenAPI 3.1 document for the given server', () => {
		expect(doc.openapi).toBe('3.1.0');
		expect(at(doc, 'info', 'title')).toBe('GCM Observatory API');
		expect(at(doc, 'info', 'version')).toBe('1.0.0');
		expect(at(doc, 'info', 'license', 'identifier')).toBe('AGPL-3.0-or-later');
		expect(String(at(doc, 'info', 'description'))).toMatch(/CC BY 4\.0/);
		expect(doc.servers).toEqual([{ url: 'https://observatory.example.org' }]);
	});

	it('is plain JSON (survives a round trip unchanged)', () => {
		expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
	});

	it('describes exactly the endpoints', () => {
		expect(Object.keys(doc.paths as Obj).sort()).toEqual([...new Set([...PATHS, ...STEP_PATHS])].sort());
	});

	it.each(PATHS)('%s has a tagged GET with a 200 response', (path) => {
		const get = at(doc, 'paths', path, 'get') as Obj;
		expect(get).toBeTypeOf('object');
		expect(at(get, 'responses', '200')).toBeTypeOf('object');
		expect(get.tags).toEqual([expect.stringMatching(/^(registry|reference|data|workflow|benchmarks)$/)]);
	});

	it('gives every operation a unique operationId', () => {
		const ids = Object.values(doc.paths as Obj).flatMap((item) =>
			Object.values(item as Obj).map((op) => at(op, 'operationId'))
		);
		expect(ids.length).toBe(PATHS.length + WRITE_OPS.length);
		expect(ids.every((id) => typeof id === 'string')).toBe(true);
		expect(new Set(ids).size).toBe(ids.length);
	});

	it.each(WRITE_OPS)('%s %s needs a bearer token and answers with problem details', (path, method, changes) => {
		const op = at(doc, 'paths', path, method) as Obj;
		expect(op.security).toEqual([{ bearerToken: [] }]);
		expect(op.tags).toEqual(['workflow']);
		const statuses = Object.keys(op.responses as Obj);
		expect(statuses).toEqual(expect.arrayContaining(['400', '401', '403', '429']));
		for (const status of statuses.filter((s) => Number(s) >= 400)) {
			expect(at(deref(at(op, 'responses', status)), 'content', 'application/problem+json'), status).toBeDefined();
		}
		const unauthorized = deref(at(op, 'responses', '401'));
		expect(at(unauthorized, 'headers', 'WWW-Authenticate')).toBeDefined();
		const params = Array.isArray(op.parameters) ? op.parameters.map(deref) : [];
		if (changes) {
			expect(statuses).toEqual(expect.arrayContaining(['200', '404', '409', '412', '428']));
			expect(params).toContainEqual(expect.objectContaining({ name: 'If-Match', in: 'header', required: true }));
			expect(at(deref(at(op, 'responses', '412')), 'headers', 'ETag')).toBeDefined();
		} else {
			expect(statuses).toContain('201');
		}
	});

	it('declares the bearer scheme, and reads that accept a token as optional security', () => {
		expect(at(doc, 'components', 'securitySchemes', 'bearerToken')).toMatchObject({ type: 'http', scheme: 'bearer' });
		for (const path of [
			'/api/v1/initiatives/{id}',
			'/api/v1/initiatives/{id}/history',
			'/api/v1/practices/{id}',
			'/api/v1/actors/{id}/{step}'
		]) {
			expect(at(doc, 'paths', path, 'get', 'security')).toEqual([{}, { bearerToken: [] }]);
		}
		expect(at(doc, 'paths', '/api/v1/initiatives', 'get', 'security')).toBeUndefined();
	});

	it('write schemas use the API field names and the response mapping', () => {
		const input = at(doc, 'components', 'schemas', 'InitiativeInput') as Obj;
		expect(Object.keys(input.properties as Obj).sort()).toEqual(
			[...Object.keys(WRITABLE_FIELDS), 'owner_organisation_id'].sort()
		);
		expect(new Set(input.required as string[])).toEqual(new Set(Object.keys(WRITABLE_FIELDS)));
		const patch = at(doc, 'components', 'schemas', 'InitiativePatch') as Obj;
		expect(Object.keys(patch.properties as Obj).sort()).toEqual(Object.keys(WRITABLE_FIELDS).sort());
		expect(patch.required).toBeUndefined();
		const workflow = at(doc, 'components', 'schemas', 'WorkflowInitiative') as Obj;
		const sample = toWorkflowInitiativeResponse(SAMPLE);
		expect(Object.keys(workflow.properties as Obj).sort()).toEqual(Object.keys(sample).sort());
		expect(new Set(workflow.required as string[])).toEqual(new Set(Object.keys(sample)));
		expect(at(workflow, 'properties', 'status', 'enum')).toEqual([...RECORD_STATUSES]);
	});

	it('initiative history: the record in the write shape in a full history, the public shape in a public one', () => {
		const entry = {
			version: 2,
			status: 'published' as const,
			at: '2026-01-02T00:00:00Z',
			changedBy: null,
			comment: null,
			snapshot: { ...SAMPLE, status: 'published' as const, version: 2, ownerOrganisationId: SAMPLE.id }
		};
		const publicEntry = toHistoryEntryResponse(entry, 'public');
		expect(publicEntry.record).toEqual(toInitiativeResponse(entry.snapshot));
		for (const field of ['status', 'version', 'owner_organisation_id', 'published_at']) {
			expect(publicEntry.record).not.toHaveProperty(field);
		}
		expect(toHistoryEntryResponse(entry, 'full').record).toMatchObject({
			status: 'published',
			version: 2,
			owner_organisation_id: SAMPLE.id
		});
		const documented = at(doc, 'components', 'schemas', 'HistoryEntry', 'properties', 'record', 'oneOf') as Obj[];
		expect(documented.map((s) => s.$ref)).toEqual([
			'#/components/schemas/Initiative',
			'#/components/schemas/WorkflowInitiative'
		]);
	});

	it('practices and actors: a write shape for tokens, a public shape without workflow fields', () => {
		const record: WorkflowRecord & { publishedAt: string } = {
			id: SAMPLE.id,
			status: 'published',
			version: 3,
			ownerOrganisationId: null,
			createdBy: null,
			countries: ['KEN'],
			createdAt: '2026-01-01T00:00:00Z',
			updatedAt: '2026-01-02T00:00:00Z',
			publishedAt: '2026-01-02T00:00:00Z'
		};
		for (const [type, Type] of [
			['practice', 'Practice'],
			['actor', 'Actor']
		] as const) {
			const workflow = at(doc, 'components', 'schemas', `Workflow${Type}`) as Obj;
			const written = toRecordResponse(type, record);
			expect(Object.keys(workflow.properties as Obj).sort()).toEqual(Object.keys(written).sort());
			expect(new Set(workflow.required as string[])).toEqual(new Set(Object.keys(written)));
			const pub = at(doc, 'components', 'schemas', `Public${Type}`) as Obj;
			const shown = toPublicRecordResponse(type, record);
			expect(Object.keys(pub.properties as Obj).sort()).toEqual(Object.keys(shown).sort());
			expect(new Set(pub.required as string[])).toEqual(new Set(Object.keys(shown)));
			for (const field of ['status', 'version', 'owner_organisation_id', 'created_at']) {
				expect(shown).not.toHaveProperty(field);
				expect(pub.properties).not.toHaveProperty(field);
			}
			expect(pub.additionalProperties).toBe(false);
			const both = [{ $ref: `#/components/schemas/Public${Type}` }, { $ref: `#/components/schemas/Workflow${Type}` }];
			const get = at(doc, 'paths', `/api/v1/${type}s/{id}`, 'get') as Obj;
			expect(at(get, 'responses', '200', 'content', 'application/json', 'schema', 'oneOf')).toEqual(both);
			expect(get.description).toMatch(/Without a token[^.]*Public/);
			const snapshot = at(doc, 'components', 'schemas', `${Type}History`, 'properties', 'items', 'items');
			expect(at(snapshot, 'properties', 'snapshot', 'oneOf')).toEqual(both);
		}
	});

	it('every path has a route file exporting each documented method', () => {
		for (const [path, item] of Object.entries(doc.paths as Obj)) {
			const dir = path.replace(/\{(\w+)\}/g, (_, name: string) => `[${name}]`);
			const file = join(ROUTES, dir, '+server.ts');
			expect(existsSync(file), file).toBe(true);
			const source = readFileSync(file, 'utf8');
			for (const method of Object.keys(item as Obj)) {
				expect(source, `${method} in ${file}`).toMatch(new RegExp(`export const ${method.toUpperCase()}\\b`));
			}
		}
	});

	it('lists exactly the parameters the query parser accepts', () => {
		const all = parametersOf('/api/v1/initiatives');
		// The conditional GET's header; everything else is a query parameter of the parser.
		expect(all.filter((p) => p.in === 'header').map((p) => p.name)).toEqual(['If-None-Match']);
		const list = all.filter((p) => p.in !== 'header');
		expect(list.every((p) => p.in === 'query')).toBe(true);
		expect(new Set(list.map((p) => p.name))).toEqual(new Set(QUERY_PARAMS));
		expect(list).toHaveLength(QUERY_PARAMS.length);
		for (const path of ['/api/v1/initiatives/export.csv', '/api/v1/initiatives/export.json']) {
			expect(new Set(parametersOf(path).map((p) => p.name))).toEqual(new Set(QUERY_PARAMS));
		}
	});

	it('takes enums and limits from the code', () => {
		const byName = new Map(parametersOf('/api/v1/initiatives').map((p) => [p.name, p]));
		expect(at(byName.get('action_type'), 'schema', 'items', 'enum')).toEqual([...ACTION_TYPES]);
		expect(at(byName.get('sort'), 'schema', 'enum')).toEqual([...SORTS]);
		expect(at(byName.get('limit'), 'schema')).toMatchObject({ minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT });
		expect(at(byName.get('offset'), 'schema')).toMatchObject({ minimum: 0, maximum: MAX_OFFSET });
		expect(at(doc, 'components', 'schemas', 'Initiative', 'properties', 'action_type', 'enum')).toEqual([
			...ACTION_TYPES
		]);
		expect(at(doc, 'components', 'schemas', 'Initiative', 'properties', 'principles', 'items', 'enum')).toEqual(
			GUIDING_PRINCIPLES.map((p) => p.key)
		);
	});

	it('names every CSV export column in the description', () => {
		const description = String(at(doc, 'paths', '/api/v1/initiatives/export.csv', 'get', 'description'));
		for (const column of INITIATIVE_CSV_COLUMNS) expect(description).toContain(`\`${column}\``);
		expect(
			at(doc, 'paths', '/api/v1/initiatives/export.csv', 'get', 'responses', '200', 'content', 'text/csv')
		).toBeDefined();
	});

	it('requires every Initiative property (nullable ones included)', () => {
		const initiative = at(doc, 'components', 'schemas', 'Initiative') as Obj;
		expect(new Set(initiative.required as string[])).toEqual(new Set(Object.keys(initiative.properties as Obj)));
	});

	it('answers bad parameters and missing records with problem details', () => {
		const bad = deref(at(doc, 'paths', '/api/v1/initiatives', 'get', 'responses', '400'));
		expect(at(bad, 'content', 'application/problem+json', 'schema', '$ref')).toBe('#/components/schemas/Problem');
		for (const path of ['/api/v1/initiatives/{id}', '/api/v1/objectives/{number}', '/api/v1/countries/{iso3}']) {
			const notFound = deref(at(doc, 'paths', path, 'get', 'responses', '404'));
			expect(at(notFound, 'content', 'application/problem+json')).toBeDefined();
		}
		const problem = at(doc, 'components', 'schemas', 'Problem') as Obj;
		expect(problem.required).toEqual(
			expect.arrayContaining(['type', 'title', 'status', 'detail', 'code', 'request_id'])
		);
	});

	it('documents ETag, If-None-Match and 304 on every published-benchmark GET and the registry list', () => {
		const paths = Object.keys(at(doc, 'paths') as Obj).filter(
			(p) => p.startsWith('/api/v1/benchmarks/') || p.startsWith('/api/v1/assessments') || p === '/api/v1/initiatives'
		);
		expect(paths).toHaveLength(9);
		for (const path of paths) {
			const get = at(doc, 'paths', path, 'get') as Obj;
			expect(at(get, 'responses', '200', 'headers', 'ETag'), path).toBeDefined();
			expect(at(get, 'responses', '304', 'headers', 'ETag'), path).toBeDefined();
			const headers = (get.parameters as Obj[]).filter((p) => p.in === 'header').map((p) => p.name);
			expect(headers, path).toEqual(['If-None-Match']);
		}
	});

	it('resolves every $ref to an existing component', () => {
		const refs = collectRefs(doc);
		expect(refs.length).toBeGreaterThan(0);
		for (const r of refs) {
			expect(r, r).toMatch(/^#\/components\/(schemas|responses|parameters)\/[^/]+$/);
			expect(resolve(r), r).toBeTypeOf('object');
		}
	});
});
