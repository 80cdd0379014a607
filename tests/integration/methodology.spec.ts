/**
 * Methodology versions on a real database (issue #5): the default methodology is ensured once and
 * idempotently; drafts are for admins; publication is final (the database trigger refuses any
 * UPDATE or DELETE of a published row, while drafts stay editable); every change is audited.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	DEFAULT_METHODOLOGY_KEY,
	DEFAULT_METHODOLOGY_VERSION
} from '../../src/lib/core/benchmarking/default-methodology';
import { DomainError } from '../../src/lib/core/shared/errors';
import { listAuditEvents } from '../../src/lib/server/db/audit.repository';
import type { Database } from '../../src/lib/server/db/client';
import { createServices } from '../../src/lib/server/runtime';
import { CLI_ACTOR, type RequestContext } from '../../src/lib/server/services/account.service';
import { ensureDefaultMethodology } from '../../src/lib/server/services/methodology.service';
import { PUBLIC_WEB, SYSTEM_CLI, type Viewer } from '../../src/lib/server/services/viewer';
import { HOSTILE, miniMethodology } from './builders';
import { openTestDatabase, testEngines } from './harness';

const CLI: RequestContext = { channel: 'cli', requestId: null };
const WEB: RequestContext = { channel: 'web', requestId: 'req-meth' };

async function errorOf(p: Promise<unknown>): Promise<unknown> {
	return p.then(
		() => null,
		(e: unknown) => e
	);
}

async function expectCode(p: Promise<unknown>, code: string): Promise<DomainError> {
	const err = await errorOf(p);
	expect(err).toBeInstanceOf(DomainError);
	expect((err as DomainError).code).toBe(code);
	return err as DomainError;
}

/** The database's own message, under drizzle's wrapper. */
const messageOf = (e: unknown) => `${String(e)} ${String((e as { cause?: unknown } | null)?.cause ?? '')}`;

describe.each(testEngines())('methodology versions (%s)', (engine) => {
	let database: Database;
	let services: ReturnType<typeof createServices>;
	let admin: Viewer;
	let coordinator: Viewer;

	beforeAll(async () => {
		database = await openTestDatabase(engine);
		services = createServices(database);
		const make = async (role: string) => {
			const { user } = await services.accounts.createUser(CLI, CLI_ACTOR, {
				email: `meth-${role}@example.org`,
				role
			});
			return services.workflow.viewerFor(user, 'web');
		};
		admin = await make('admin');
		coordinator = await make('coordinator');
	});
	afterAll(() => database.close());

	it('ensures the default methodology once, published, and leaves it alone afterwards', async () => {
		const first = await ensureDefaultMethodology(database);
		expect(first).toEqual({ created: true, key: DEFAULT_METHODOLOGY_KEY, version: DEFAULT_METHODOLOGY_VERSION });
		const again = await Promise.all([ensureDefaultMethodology(database), ensureDefaultMethodology(database)]);
		expect(again.map((r) => r.created)).toEqual([false, false]);
		const count = (await database.db.execute(
			sql`SELECT count(*)::int AS n FROM methodology WHERE key = ${DEFAULT_METHODOLOGY_KEY}`
		)) as unknown as { rows: { n: number }[] };
		expect(Number(count.rows[0]?.n)).toBe(1);
		const m = await services.methodologies.get(PUBLIC_WEB, DEFAULT_METHODOLOGY_KEY, DEFAULT_METHODOLOGY_VERSION);
		expect(m).toMatchObject({ status: 'published', definition: { status: 'published', decimals: 1 } });
		expect(m.definition.objectives).toHaveLength(23);
		expect(await listAuditEvents(database.db, { objectType: 'methodology' })).toHaveLength(1);
	});

	it('only admins create and publish; drafts are invisible to everyone else', async () => {
		await expectCode(services.methodologies.createDraft(WEB, coordinator, miniMethodology('2.0')), 'FORBIDDEN');
		const draft = await services.methodologies.createDraft(WEB, admin, miniMethodology('2.0'));
		expect(draft).toMatchObject({ key: 'it-mini', version: '2.0', status: 'draft', publishedAt: null });
		expect(draft.definition.title.en).toContain(HOSTILE.script);
		await expectCode(services.methodologies.get(PUBLIC_WEB, 'it-mini', '2.0'), 'METHODOLOGY_NOT_FOUND');
		await expectCode(services.methodologies.get(coordinator, 'it-mini', '2.0'), 'METHODOLOGY_NOT_FOUND');
		expect((await services.methodologies.list(PUBLIC_WEB)).map((x) => `${x.key} ${x.version}`)).not.toContain(
			'it-mini 2.0'
		);
		expect((await services.methodologies.list(admin)).map((x) => `${x.key} ${x.version}`)).toContain('it-mini 2.0');
		// A draft can still be edited in the database (the trigger only guards published rows).
		await database.db.execute(
			sql`UPDATE methodology SET created_at = created_at WHERE key = 'it-mini' AND version = '2.0'`
		);
		// An assessment cannot pin a draft.
		await expectCode(
			services.assessments.create(WEB, SYSTEM_CLI, {
				country: 'CHL',
				edition: 2025,
				perspective: 'independent',
				title: 'x',
				methodology: { key: 'it-mini', version: '2.0' }
			}),
			'METHODOLOGY_NOT_FOUND'
		);

		await expectCode(services.methodologies.publish(WEB, coordinator, 'it-mini', '2.0'), 'FORBIDDEN');
		const published = await services.methodologies.publish(WEB, admin, 'it-mini', '2.0');
		expect(published).toMatchObject({ status: 'published', definition: { status: 'published' } });
		expect(published.publishedAt).toBeInstanceOf(Date);
		await expectCode(services.methodologies.publish(WEB, admin, 'it-mini', '2.0'), 'CONFLICT');
		expect((await services.methodologies.get(PUBLIC_WEB, 'it-mini', '2.0')).status).toBe('published');
		expect((await services.methodologies.latestPublished('it-mini'))?.version).toBe('2.0');

		const events = await listAuditEvents(database.db, { objectType: 'methodology', objectId: draft.id });
		expect(events.map((e) => e.action)).toEqual(['methodology.created', 'methodology.published']);
		expect(events[1]).toMatchObject({ actorRole: 'admin', channel: 'web', requestId: 'req-meth' });
	});

	it('a published version is immutable: the trigger refuses UPDATE and DELETE, whoever runs them', async () => {
		for (const statement of [
			sql`UPDATE methodology SET definition = '{}'::jsonb WHERE key = ${DEFAULT_METHODOLOGY_KEY}`,
			sql`UPDATE methodology SET status = 'draft' WHERE key = ${DEFAULT_METHODOLOGY_KEY}`,
			sql`DELETE FROM methodology WHERE key = ${DEFAULT_METHODOLOGY_KEY}`
		]) {
			expect(messageOf(await errorOf(database.db.execute(statement)))).toMatch(/is published and cannot be changed/);
		}
		const again = await services.methodologies.get(PUBLIC_WEB, DEFAULT_METHODOLOGY_KEY, DEFAULT_METHODOLOGY_VERSION);
		expect(again.definition.variables.length).toBeGreaterThan(23);
	});

	it('refuses invalid definitions and duplicate versions, naming the problems', async () => {
		const err = await expectCode(
			services.methodologies.createDraft(WEB, admin, { ...miniMethodology('3.0'), decimals: 9, objectives: [] }),
			'VALIDATION_FAILED'
		);
		expect(err.issues.length).toBeGreaterThan(0);
		await expectCode(services.methodologies.createDraft(WEB, admin, 'not an object'), 'VALIDATION_FAILED');
		await expectCode(services.methodologies.createDraft(WEB, admin, miniMethodology('2.0')), 'CONFLICT');
	});
});
