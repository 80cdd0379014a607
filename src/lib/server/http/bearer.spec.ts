import { describe, expect, it } from 'vitest';
import { DomainError, validationError } from '../../core/shared/errors';
import { fromInitiativeBody, toApiFieldNames, WRITABLE_FIELDS } from '../api/initiative-write';
import type { WorkflowInitiative } from '../services/initiative-workflow.service';
import { apiProblemResponse, bearerChallenge, etagOf, parseIfMatch, readJsonBody, usesBearer } from './bearer';

const headers = (h: Record<string, string> = {}) => new Headers(h);

function codeOf(fn: () => unknown): string | null {
	try {
		fn();
		return null;
	} catch (err) {
		return err instanceof DomainError ? err.code : 'NOT_A_DOMAIN_ERROR';
	}
}

const record = {
	id: '11111111-1111-4111-8111-111111111111',
	key: 'k',
	title: '<script>alert(1)</script> الهجرة',
	description: '',
	actionType: 'project',
	initiatorKinds: [],
	initiators: [],
	scope: 'national',
	regionalScope: false,
	region: null,
	countries: ['KEN'],
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
	version: 7,
	createdAt: '2026-01-01T00:00:00Z',
	updatedAt: '2026-01-02T00:00:00Z',
	ownerOrganisationId: null,
	createdBy: null,
	publishedAt: null
} as unknown as WorkflowInitiative;

describe('usesBearer', () => {
	it('is true only for /api paths with an Authorization header', () => {
		expect(usesBearer('/api/v1/initiatives', headers({ authorization: 'Bearer x' }))).toBe(true);
		expect(usesBearer('/api', headers({ authorization: 'Basic x' }))).toBe(true);
		expect(usesBearer('/api/v1/initiatives', headers())).toBe(false);
		expect(usesBearer('/account/tokens', headers({ authorization: 'Bearer x' }))).toBe(false);
		expect(usesBearer('/apiary', headers({ authorization: 'Bearer x' }))).toBe(false);
	});
});

describe('bearerChallenge', () => {
	it('names the realm, and the error for a refused token (RFC 6750 §3)', () => {
		expect(bearerChallenge()).toBe('Bearer realm="gcm-observatory"');
		expect(bearerChallenge('invalid_token')).toBe('Bearer realm="gcm-observatory", error="invalid_token"');
		expect(bearerChallenge('insufficient_scope', 'say "hi"\\')).toBe(
			'Bearer realm="gcm-observatory", error="insufficient_scope", error_description="say hi"'
		);
	});
});

describe('ETag and If-Match', () => {
	it('the ETag is the quoted version', () => {
		expect(etagOf(3)).toBe('"3"');
	});

	it('reads one strong ETag', () => {
		expect(parseIfMatch('"3"')).toBe(3);
		expect(parseIfMatch('  "12" ')).toBe(12);
	});

	it('missing or * is PRECONDITION_REQUIRED (428)', () => {
		expect(codeOf(() => parseIfMatch(null))).toBe('PRECONDITION_REQUIRED');
		expect(codeOf(() => parseIfMatch(''))).toBe('PRECONDITION_REQUIRED');
		expect(codeOf(() => parseIfMatch('*'))).toBe('PRECONDITION_REQUIRED');
	});

	it.each(['3', 'W/"3"', '"3", "4"', '"0"', '"-1"', '"abc"', '"1e3"', '"9999999999"', '"<script>"'])(
		'refuses %s with VALIDATION_FAILED naming If-Match',
		(value) => {
			let err: unknown;
			try {
				parseIfMatch(value);
			} catch (e) {
				err = e;
			}
			expect(err).toBeInstanceOf(DomainError);
			expect((err as DomainError).code).toBe('VALIDATION_FAILED');
			expect((err as DomainError).issues[0]?.field).toBe('If-Match');
		}
	);
});

describe('apiProblemResponse', () => {
	it('401 for a refused token carries WWW-Authenticate with error="invalid_token"', async () => {
		const r = apiProblemResponse(new DomainError('API_TOKEN_INVALID', 'bad'), 'req-1', '/api/v1/initiatives');
		expect(r.status).toBe(401);
		expect(r.headers.get('www-authenticate')).toBe('Bearer realm="gcm-observatory", error="invalid_token"');
		expect(r.headers.get('content-type')).toContain('application/problem+json');
		expect(await r.json()).toMatchObject({ status: 401, code: 'API_TOKEN_INVALID', request_id: 'req-1' });
	});

	it('401 for a missing token carries a bare challenge', () => {
		const r = apiProblemResponse(new DomainError('AUTH_REQUIRED', 'token needed'), 'req-2', '/x');
		expect(r.status).toBe(401);
		expect(r.headers.get('www-authenticate')).toBe('Bearer realm="gcm-observatory"');
	});

	it('429 carries Retry-After from the limiter', async () => {
		const r = apiProblemResponse(
			new DomainError('RATE_LIMITED', 'slow down', [{ field: 'retry_after', message: '120' }]),
			'req-3',
			'/x'
		);
		expect(r.status).toBe(429);
		expect(r.headers.get('retry-after')).toBe('120');
		expect((await r.json()) as object).not.toHaveProperty('errors');
	});

	it('412 and 409 carry the current record (API shape) and its ETag', async () => {
		for (const code of ['PRECONDITION_FAILED', 'CONFLICT'] as const) {
			const r = apiProblemResponse(new DomainError(code, 'stale', [], record), 'req-4', '/x');
			const problem = (await r.json()) as { status: number; current: Record<string, unknown> };
			expect(problem.status).toBe(code === 'CONFLICT' ? 409 : 412);
			expect(r.headers.get('etag')).toBe('"7"');
			expect(problem.current).toMatchObject({ id: record.id, version: 7, status: 'draft', title: record.title });
			expect(problem.current).not.toHaveProperty('createdBy');
			expect(problem.current).not.toHaveProperty('created_by');
		}
	});

	it('428 has its own status and title', async () => {
		const r = apiProblemResponse(new DomainError('PRECONDITION_REQUIRED', 'send If-Match'), 'req-5', '/x');
		expect(r.status).toBe(428);
		expect(await r.json()).toMatchObject({ title: 'Precondition required', code: 'PRECONDITION_REQUIRED' });
	});

	it('names fields as the API does in validation errors', async () => {
		const r = apiProblemResponse(
			validationError([
				{ field: 'actionType', message: 'bad' },
				{ field: 'sources.0.url', message: 'bad' }
			]),
			'req-6',
			'/x'
		);
		const problem = (await r.json()) as { errors: { parameter: string }[] };
		expect(problem.errors.map((e) => e.parameter)).toEqual(['action_type', 'sources.0.url']);
	});

	it('hides internal errors', async () => {
		const r = apiProblemResponse(new Error('SELECT secret FROM x'), 'req-7', '/x');
		expect(r.status).toBe(500);
		expect(await r.text()).not.toContain('SELECT');
	});
});

describe('readJsonBody', () => {
	const req = (body: string, type = 'application/json') =>
		new Request('http://x/api/v1/initiatives', { method: 'POST', body, headers: { 'content-type': type } });

	it('parses JSON objects and accepts an empty body when allowed', async () => {
		expect(await readJsonBody(req('{"title":"x"}'))).toEqual({ title: 'x' });
		expect(await readJsonBody(req('{}', 'application/json; charset=utf-8'))).toEqual({});
		expect(await readJsonBody(req(''), true)).toEqual({});
	});

	it('refuses a missing body, another content type and malformed JSON', async () => {
		for (const [r, field] of [
			[req(''), 'body'],
			[req('title=x', 'application/x-www-form-urlencoded'), 'Content-Type'],
			[req('{"title":'), 'body']
		] as const) {
			const err = await readJsonBody(r).then(
				() => null,
				(e: unknown) => e
			);
			expect((err as DomainError).code).toBe('VALIDATION_FAILED');
			expect((err as DomainError).issues[0]?.field).toBe(field);
		}
	});
});

describe('fromInitiativeBody', () => {
	it('maps every API field name to the workflow input name', () => {
		const body = Object.fromEntries(Object.keys(WRITABLE_FIELDS).map((k) => [k, `v-${k}`]));
		const { input } = fromInitiativeBody(body);
		expect(Object.keys(input).sort()).toEqual(Object.values(WRITABLE_FIELDS).sort());
		expect(input.actionType).toBe('v-action_type');
	});

	it('refuses, by name, fields that are not editable content (mass assignment), camelCase spellings too', () => {
		let err: unknown;
		try {
			fromInitiativeBody({ title: 'x', status: 'published', version: 9, actionType: 'project', __proto__x: 1 });
		} catch (e) {
			err = e;
		}
		expect((err as DomainError).code).toBe('VALIDATION_FAILED');
		expect((err as DomainError).issues.map((i) => i.field)).toEqual(['status', 'version', 'actionType', '__proto__x']);
	});

	it('hands named extra fields to the caller, and refuses non-objects', () => {
		expect(fromInitiativeBody({ title: 't', owner_organisation_id: null }, ['owner_organisation_id'])).toEqual({
			input: { title: 't' },
			extra: { owner_organisation_id: null }
		});
		for (const bad of [null, [], 'x', 3]) expect(codeOf(() => fromInitiativeBody(bad))).toBe('VALIDATION_FAILED');
	});

	it('toApiFieldNames leaves other errors alone', () => {
		const other = new DomainError('FORBIDDEN', 'no');
		expect(toApiFieldNames(other)).toBe(other);
	});
});
