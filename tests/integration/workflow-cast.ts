/**
 * What the workflow specs (initiatives; practices and actors) share: the DomainError assertion and
 * the same cast of accounts — two editors and a contributor of organisation A (Kenya), an editor of
 * organisation B (Uganda), reviewers of Kenya and of Uganda, and a coordinator of Kenya.
 */
import { expect } from 'vitest';
import { DomainError } from '../../src/lib/core/shared/errors';
import type { Database } from '../../src/lib/server/db/client';
import {
	insertOrganisation,
	replaceUserScopes,
	upsertMembership
} from '../../src/lib/server/db/organisation.repository';
import type { createServices } from '../../src/lib/server/runtime';
import { CLI_ACTOR, type RequestContext } from '../../src/lib/server/services/account.service';
import type { Viewer } from '../../src/lib/server/services/viewer';

export async function errorOf(p: Promise<unknown>): Promise<unknown> {
	return p.then(
		() => null,
		(e: unknown) => e
	);
}

export async function expectCode(p: Promise<unknown>, code: string): Promise<DomainError> {
	const err = await errorOf(p);
	expect(err).toBeInstanceOf(DomainError);
	expect((err as DomainError).code).toBe(code);
	return err as DomainError;
}

export interface WorkflowCast {
	editorA: Viewer;
	editorA2: Viewer;
	contributorA: Viewer;
	editorB: Viewer;
	reviewerKEN: Viewer;
	reviewerUGA: Viewer;
	coordinatorKEN: Viewer;
}

let seq = 0;

/** Creates the organisations and accounts (as `ctx`, e-mails `<prefix>-<role>-<n>@example.org`); web viewers. */
export async function createWorkflowCast(
	database: Database,
	services: ReturnType<typeof createServices>,
	ctx: RequestContext,
	emailPrefix: string
): Promise<WorkflowCast> {
	async function account(role: string, setup: { org?: string; countries?: string[] } = {}): Promise<Viewer> {
		const { user } = await services.accounts.createUser(ctx, CLI_ACTOR, {
			email: `${emailPrefix}-${role}-${++seq}@example.org`,
			role
		});
		await database.db.transaction(async (tx) => {
			if (setup.org) await upsertMembership(tx, user.id, setup.org);
			if (setup.countries) await replaceUserScopes(tx, user.id, setup.countries);
		});
		return services.workflow.viewerFor(user, 'web');
	}
	const orgA = await insertOrganisation(database.db, { name: 'Organisation A <b>أ</b>', country: 'KEN' });
	const orgB = await insertOrganisation(database.db, { name: 'Organisation B 移民', country: 'UGA' });
	return {
		editorA: await account('editor', { org: orgA.id }),
		editorA2: await account('editor', { org: orgA.id }),
		contributorA: await account('contributor', { org: orgA.id }),
		editorB: await account('editor', { org: orgB.id }),
		reviewerKEN: await account('reviewer', { countries: ['KEN'] }),
		reviewerUGA: await account('reviewer', { countries: ['UGA'] }),
		coordinatorKEN: await account('coordinator', { countries: ['KEN'] })
	};
}
