/**
 * One state machine for every record kind (record-workflow.ts RECORD_STEPS), both engines: for each
 * role and each status a record can be in, the workspace buttons (allowedSteps) are exactly the steps
 * the workflow service then accepts — for initiatives and for practices, which show the same buttons.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordStatus } from '../../src/lib/core/registry/vocabulary';
import { DomainError } from '../../src/lib/core/shared/errors';
import type { Database } from '../../src/lib/server/db/client';
import {
	insertOrganisation,
	replaceUserScopes,
	upsertMembership
} from '../../src/lib/server/db/organisation.repository';
import { createServices } from '../../src/lib/server/runtime';
import { CLI_ACTOR, type RequestContext } from '../../src/lib/server/services/account.service';
import type { WorkflowInitiative, WorkflowStep } from '../../src/lib/server/services/initiative-workflow.service';
import { RECORD_STEP_NAMES, RECORD_STEPS } from '../../src/lib/server/services/record-workflow';
import type { Viewer } from '../../src/lib/server/services/viewer';
import { WORKFLOW_STEPS } from '../../src/lib/server/services/workspace.service';
import { initiativeInput } from './builders';
import { openTestDatabase, testEngines } from './harness';

const WEB: RequestContext = { channel: 'web', requestId: 'req-steps' };
const STATUSES: RecordStatus[] = ['draft', 'in_review', 'published', 'archived'];
/** How an admin brings a new draft to each status. */
const PATH_TO: Record<RecordStatus, WorkflowStep[]> = {
	draft: [],
	in_review: ['submit'],
	published: ['publish'],
	archived: ['archive']
};
let seq = 0;

const practiceInput = () => ({
	key: `steps-practice-${++seq}`,
	name: `Practice <b>${seq}</b> ممارسة 实践`,
	implementingPartners: 'IOM',
	periodStart: 2019,
	periodEnd: 2022,
	periodText: null,
	description: 'A practice for the state machine test.',
	moreInformation: null,
	countries: ['KEN'],
	objectives: [5],
	reportRow: null,
	originalText: null
});

/** Whether a step went through; a refusal is FORBIDDEN, CONFLICT (the start state) or 404 (unreadable). */
async function accepted(p: Promise<unknown>): Promise<boolean> {
	try {
		await p;
		return true;
	} catch (err) {
		expect(err).toBeInstanceOf(DomainError);
		expect(['FORBIDDEN', 'CONFLICT', 'INITIATIVE_NOT_FOUND', 'PRACTICE_NOT_FOUND']).toContain(
			(err as DomainError).code
		);
		return false;
	}
}

it('the workspace buttons are the steps of the one state machine, in its order', () => {
	expect(WORKFLOW_STEPS).toEqual(RECORD_STEP_NAMES);
	expect(RECORD_STEP_NAMES).toEqual(['submit', 'approve', 'requestChanges', 'publish', 'unpublish', 'archive']);
	// Every step ends in a status another step starts from (no dead end but archive → publish).
	for (const name of RECORD_STEP_NAMES) {
		const to = RECORD_STEPS[name].to;
		expect(RECORD_STEP_NAMES.some((n) => (RECORD_STEPS[n].from as readonly RecordStatus[]).includes(to))).toBe(true);
	}
});

describe.each(testEngines())('workflow steps: buttons = accepted steps (%s)', (engine) => {
	let database: Database;
	let services: ReturnType<typeof createServices>;
	let admin: Viewer;
	const viewers: Record<string, Viewer> = {};

	async function account(role: string, setup: { org?: string; countries?: string[] } = {}): Promise<Viewer> {
		const { user } = await services.accounts.createUser(WEB, CLI_ACTOR, {
			email: `steps-${role}-${++seq}@example.org`,
			role
		});
		await database.db.transaction(async (tx) => {
			if (setup.org) await upsertMembership(tx, user.id, setup.org);
			if (setup.countries) await replaceUserScopes(tx, user.id, setup.countries);
		});
		return services.workflow.viewerFor(user, 'web');
	}

	beforeAll(async () => {
		database = await openTestDatabase(engine);
		services = createServices(database);
		const org = await insertOrganisation(database.db, { name: 'Organisation <i>S</i>', country: 'KEN' });
		admin = await account('admin');
		viewers.editor = await account('editor', { org: org.id });
		viewers.contributor = await account('contributor', { org: org.id });
		viewers.reviewerKEN = await account('reviewer', { countries: ['KEN'] });
		viewers.coordinatorKEN = await account('coordinator', { countries: ['KEN'] });
		viewers.editorElsewhere = await account('editor', {
			org: (await insertOrganisation(database.db, { name: 'Other' })).id
		});
	});
	afterAll(() => database.close());

	/** A new initiative of the organisation (created by its contributor), moved by the admin to `status`. */
	async function initiativeAt(status: RecordStatus): Promise<WorkflowInitiative> {
		let r = await services.workflow.create(WEB, viewers.contributor as Viewer, initiativeInput({ countries: ['KEN'] }));
		for (const s of PATH_TO[status]) {
			r = await (
				s === 'submit'
					? services.workflow.submit
					: s === 'publish'
						? services.workflow.publish
						: services.workflow.archive
			)(WEB, admin, r.id, r.version);
		}
		expect(r.status).toBe(status);
		return r;
	}

	async function practiceAt(status: RecordStatus) {
		let r = await services.practices.create(WEB, viewers.contributor as Viewer, practiceInput());
		for (const s of PATH_TO[status]) r = await services.practices.runStep(s, WEB, admin, r.id, r.version);
		expect(r.status).toBe(status);
		return r;
	}

	function runInitiativeStep(step: WorkflowStep, viewer: Viewer, r: WorkflowInitiative, comment: string) {
		const w = services.workflow;
		switch (step) {
			case 'submit':
				return w.submit(WEB, viewer, r.id, r.version);
			case 'approve':
				return w.approve(WEB, viewer, r.id, r.version, comment);
			case 'requestChanges':
				return w.requestChanges(WEB, viewer, r.id, r.version, comment);
			case 'publish':
				return w.publish(WEB, viewer, r.id, r.version);
			case 'unpublish':
				return w.unpublish(WEB, viewer, r.id, r.version);
			case 'archive':
				return w.archive(WEB, viewer, r.id, r.version);
		}
	}

	const outcomes = { accepted: 0, refused: 0 };

	it.each(STATUSES)('a record that is %s', async (status) => {
		for (const [who, viewer] of Object.entries(viewers)) {
			let buttons: WorkflowStep[] | null = null;
			for (const step of WORKFLOW_STEPS) {
				// A fresh record per step: a step that goes through moves the record on.
				const i = await initiativeAt(status);
				const p = await practiceAt(status);
				buttons ??= services.workspace.allowedSteps(viewer, i);
				expect(services.practices.allowedSteps(viewer, p), `${who}, ${status}`).toEqual(buttons);
				const expected = buttons.includes(step);
				outcomes[expected ? 'accepted' : 'refused'] += 1;
				const comment = 'A review comment <script>x</script>';
				expect(
					await accepted(runInitiativeStep(step, viewer, i, comment)),
					`initiative: ${who} ${step} on ${status}`
				).toBe(expected);
				expect(
					await accepted(services.practices.runStep(step, WEB, viewer, p.id, p.version, comment)),
					`practice: ${who} ${step} on ${status}`
				).toBe(expected);
			}
		}
	});

	it('tried steps both allowed and refused', () => {
		expect(outcomes.accepted).toBeGreaterThan(10);
		expect(outcomes.refused).toBeGreaterThan(10);
	});
});
