/**
 * Data for tests/e2e/security.spec.ts, written straight through the services into a data directory
 * while no server runs on it (the directory is locked while `gcm serve` holds it):
 * - accounts with passwords: admin, coordinator of KEN, editor of an organisation (KEN), contributor,
 *   reviewer of UGA (another country than the drafts'), and an expert of another panel (an
 *   assessment without canary text whose panel is open);
 * - published records, one of them carrying XSS payloads (and a `javascript:` source link written
 *   past validation, as legacy or hand-edited data could hold);
 * - a published practice and actor carrying XSS payloads, and drafts of each carrying them too (the
 *   edit forms render every field), plus a `javascript:` actor website written past validation;
 * - unpublished content whose every text field holds a unique canary: for initiatives, practices and
 *   actors a draft, a record in review (with a review comment), one published then unpublished and an
 *   archived one; a public suggestion,
 *   an assessment in desk research (answers, notes, evidence) and one in its expert panel (experts
 *   invited by name and email, rating comments, conflict-of-interest declarations);
 * - the published benchmarking demo (`gcm seed --demo`), whose experts are public only on opt-in;
 * - API tokens with write access: the editor's (owner of the drafts) and the UGA reviewer's.
 * The bundled 2019 mapping is not loaded (the database is not empty, so `gcm serve` skips it too):
 * the public site stays small enough to crawl completely.
 */
import { sql } from 'drizzle-orm';
import { openDatabase, type Database } from '../../../src/lib/server/db/client';
import {
	insertOrganisation,
	replaceUserScopes,
	upsertMembership
} from '../../../src/lib/server/db/organisation.repository';
import { migrationsDir } from '../../../src/lib/server/paths';
import { createServices } from '../../../src/lib/server/runtime';
import { CLI_ACTOR, type RequestContext } from '../../../src/lib/server/services/account.service';
import { seedDemoBenchmark } from '../../../src/lib/server/services/assessment.service';
import { ensureDefaultMethodology } from '../../../src/lib/server/services/methodology.service';
import { SYSTEM_CLI, type Viewer } from '../../../src/lib/server/services/viewer';
import type { ActorInput } from '../../../src/lib/core/registry/actor';
import type { InitiativeInput } from '../../../src/lib/core/registry/initiative';
import type { PracticeInput } from '../../../src/lib/core/registry/practice';

export const PASSWORD = 'correct horse battery staple 42';
export const XSS = {
	script: '<script>alert(1)</script>',
	attribute: '"><img src=x onerror=alert(1)>',
	url: 'javascript:alert(1)'
} as const;
/** Payloads that set `window.__pwned` if they ever run (checked with JavaScript on). */
export const PWN = {
	script: '<script>window.__pwned=1</script>',
	attribute: '"><img src=x onerror="window.__pwned=2">',
	svg: '<svg onload="window.__pwned=3"></svg>',
	url: 'javascript:window.__pwned=4'
} as const;
const PWN_TEXT = `${PWN.script} ${PWN.attribute} ${PWN.svg}`;

export const FIXTURE_ROLES = ['admin', 'coordinator', 'editor', 'reviewer', 'contributor', 'expert'] as const;
export type FixtureRole = (typeof FIXTURE_ROLES)[number];

/** Unpublished records of one type holding the canary, by how they got there. */
export interface HiddenRecords {
	draft: string;
	inReview: string;
	unpublished: string;
	archived: string;
}

export interface SecurityFixtures {
	canary: string;
	users: Record<FixtureRole, { id: string; email: string }>;
	organisationId: string;
	published: { id: string; title: string }[];
	xss: { id: string; title: string };
	/** Unpublished initiatives holding the canary, by how they got there. */
	hidden: HiddenRecords;
	/** The same for practices and actors (drafts created by the editor, concerning KEN). */
	hiddenPractices: HiddenRecords;
	hiddenActors: HiddenRecords;
	/** Published practice and actor with XSS payloads (the actor's website a javascript: link). */
	xssPractice: { id: string; name: string };
	xssActor: { id: string; name: string };
	/** Drafts of the editor with XSS payloads in every text field (their edit forms render them). */
	xssPracticeDraft: string;
	xssActorDraft: string;
	suggestionId: string;
	assessments: { deskResearch: string; expertPanel: string };
	/** The panel the fixture expert belongs to (no canary text in it). */
	otherPanel: string;
	/** Display names and emails of demo experts who did not opt in on any published assessment. */
	privateExperts: { names: string[]; emails: string[] };
	/** Each published assessment with the names of its experts who did not opt in. */
	publishedAssessments: { id: string; hiddenNames: string[] }[];
	/** Emails of the experts invited to the canary panel (never public). */
	panelExpertEmails: string[];
	writeToken: string;
	/** A write token of the UGA reviewer (the drafts concern KEN: every one of them is 404 to it). */
	otherCountryToken: string;
}

const CLI: RequestContext = { channel: 'cli', requestId: null, clientAddress: '127.0.0.1' };

function record(over: Partial<InitiativeInput>): InitiativeInput {
	return {
		key: `sec-${crypto.randomUUID().slice(0, 8)}`,
		title: 'Border dialogue الهجرة',
		description: 'A published record for the security crawl. 移民',
		actionType: 'consultation',
		initiatorKinds: ['civil_society'],
		initiators: ['Civil society network'],
		scope: 'national',
		regionalScope: false,
		region: null,
		countries: ['KEN'],
		dateStart: '2021-03',
		dateEnd: null,
		datePrecision: 'month',
		dateText: null,
		predatesGcm: false,
		objectives: [2, 23],
		principles: [],
		sources: [{ citation: 'Ministry report', url: 'https://example.org/report' }],
		verificationStatus: 'reported',
		reportTable: null,
		reportRow: null,
		originalText: null,
		...over
	};
}

/** Every text field of a record filled with the canary (plus hostile text). */
function canaryRecord(canary: string, label: string): InitiativeInput {
	const c = `${canary}-${label}`;
	return record({
		key: `${canary.toLowerCase()}-${label}`,
		title: `${c} title <b>x</b> الهجرة`,
		description: `${c} description`,
		initiators: [`${c} initiator`],
		region: null,
		dateText: `${c} date text`,
		sources: [{ citation: `${c} citation`, url: `https://example.org/${c}` }],
		reportTable: `${c}-table`.slice(0, 80),
		originalText: `${c} original text`
	});
}

/** Every text field of a practice filled with the canary. */
function canaryPractice(canary: string, label: string): PracticeInput {
	const c = `${canary}-${label}`;
	return {
		key: `${canary.toLowerCase()}-practice-${label}`,
		name: `${c} practice name <b>x</b> الهجرة`,
		implementingPartners: `${c} implementing partners`,
		periodStart: 2019,
		periodEnd: 2022,
		periodText: `${c} period`,
		description: `${c} practice description`,
		moreInformation: `${c} more information`,
		countries: ['KEN'],
		objectives: [5, 18],
		reportRow: null,
		originalText: `${c} practice original text`
	};
}

/** Every text field of an actor filled with the canary. */
function canaryActor(canary: string, label: string): ActorInput {
	const c = `${canary}-${label}`;
	return {
		name: `${c} actor name`,
		description: `${c} actor description`,
		website: `https://example.org/${c}-actor`,
		country: 'KEN',
		kind: 'civil_society'
	};
}

export async function seedSecurityFixtures(dataDir: string): Promise<SecurityFixtures> {
	const database: Database = await openDatabase({ databaseUrl: null, dataDir, lock: true });
	try {
		await database.migrate(migrationsDir());
		await ensureDefaultMethodology(database);
		return await fill(database);
	} finally {
		await database.close();
	}
}

async function fill(database: Database): Promise<SecurityFixtures> {
	const services = createServices(database);
	const { db } = database;
	const canary = `Canary${Date.now().toString(36)}${crypto.randomUUID().slice(0, 6)}`;
	const org = await insertOrganisation(db, { name: 'Security test organisation', country: 'KEN' });

	const users = {} as Record<FixtureRole, { id: string; email: string }>;
	const viewers = {} as Record<FixtureRole, Viewer>;
	const setup: Record<FixtureRole, { org?: boolean; countries?: string[] }> = {
		admin: {},
		coordinator: { countries: ['KEN'] },
		editor: { org: true },
		reviewer: { countries: ['UGA'] },
		contributor: {},
		expert: {}
	};
	for (const role of FIXTURE_ROLES) {
		const email = `sec-${role}@example.org`;
		const link = await services.accounts.createUser(CLI, CLI_ACTOR, { email, role, displayName: `Sec ${role}` });
		await services.accounts.setPasswordWithToken(CLI, 'password_reset', link.token, PASSWORD);
		await db.transaction(async (tx) => {
			if (setup[role].org) await upsertMembership(tx, link.user.id, org.id);
			if (setup[role].countries) await replaceUserScopes(tx, link.user.id, setup[role].countries);
		});
		users[role] = { id: link.user.id, email };
		viewers[role] = await services.workflow.viewerFor(link.user, 'web');
	}
	const wf = services.workflow;
	const editor = viewers.editor;
	const coordinator = viewers.coordinator;

	// Published records: ordinary ones, and one full of XSS payloads.
	const published: { id: string; title: string }[] = [];
	for (const [i, over] of [
		{ title: 'Labour migration pathways الهجرة', countries: ['KEN'] },
		{ title: 'Consular support 移民', countries: ['UGA'], objectives: [14] },
		{ title: 'Regional dialogue on return', countries: ['KEN', 'UGA'], scope: 'regional' as const }
	].entries()) {
		const r = await wf.create(CLI, SYSTEM_CLI, record({ ...over, key: `sec-published-${i}` }));
		published.push({ id: r.id, title: r.title });
		await wf.publish(CLI, SYSTEM_CLI, r.id, r.version);
	}
	const xssTitle = `XSS ${XSS.script} ${XSS.attribute}`;
	const xss = await wf.create(
		CLI,
		SYSTEM_CLI,
		record({
			key: 'sec-xss',
			title: xssTitle,
			description: `Description ${XSS.attribute} ${XSS.script} <a href="javascript:alert(1)">click</a>`,
			initiators: [`Initiator ${XSS.script}`],
			dateText: XSS.attribute,
			originalText: XSS.script,
			sources: [
				{ citation: `Source ${XSS.attribute}`, url: 'https://example.org/xss' },
				{ citation: `Second ${XSS.script}`, url: 'https://example.org/xss-2' }
			]
		})
	);
	await wf.publish(CLI, SYSTEM_CLI, xss.id, xss.version);
	// Past validation (the write path refuses non-http(s) links): what legacy data could hold.
	await db.execute(sql`UPDATE initiative_source SET url = ${XSS.url} WHERE initiative_id = ${xss.id} AND position = 0`);
	await db.execute(
		sql`UPDATE initiative_source SET url = ${' JaVaScRiPt:alert(2)'} WHERE initiative_id = ${xss.id} AND position = 1`
	);

	// Unpublished records with the canary everywhere.
	const draft = await wf.create(CLI, editor, canaryRecord(canary, 'draft'));
	let review = await wf.create(CLI, editor, canaryRecord(canary, 'review'));
	review = await wf.submit(CLI, editor, review.id, review.version);
	review = await wf.requestChanges(CLI, coordinator, review.id, review.version, `${canary} review comment`);
	review = await wf.submit(CLI, editor, review.id, review.version);
	let gone = await wf.create(CLI, editor, canaryRecord(canary, 'unpublished'));
	gone = await wf.publish(CLI, SYSTEM_CLI, gone.id, gone.version);
	gone = await wf.unpublish(CLI, SYSTEM_CLI, gone.id, gone.version);
	let archived = await wf.create(CLI, editor, canaryRecord(canary, 'archived'));
	archived = await wf.archive(CLI, SYSTEM_CLI, archived.id, archived.version);

	// Practices and actors: the same four ways of being unpublished, the canary in every field.
	const hiddenOf = async <I, R extends { id: string; version: number }>(
		svc: {
			create(ctx: RequestContext, viewer: Viewer, input: I): Promise<R>;
			submit(ctx: RequestContext, viewer: Viewer, id: string, v: number): Promise<R>;
			requestChanges(ctx: RequestContext, viewer: Viewer, id: string, v: number, comment: string): Promise<R>;
			publish(ctx: RequestContext, viewer: Viewer, id: string, v: number): Promise<R>;
			unpublish(ctx: RequestContext, viewer: Viewer, id: string, v: number): Promise<R>;
			archive(ctx: RequestContext, viewer: Viewer, id: string, v: number): Promise<R>;
		},
		input: (label: string) => I
	): Promise<HiddenRecords> => {
		const d = await svc.create(CLI, editor, input('draft'));
		let r = await svc.create(CLI, editor, input('review'));
		r = await svc.submit(CLI, editor, r.id, r.version);
		r = await svc.requestChanges(CLI, coordinator, r.id, r.version, `${canary} review comment ${r.id}`);
		r = await svc.submit(CLI, editor, r.id, r.version);
		let u = await svc.create(CLI, editor, input('unpublished'));
		u = await svc.publish(CLI, SYSTEM_CLI, u.id, u.version);
		u = await svc.unpublish(CLI, SYSTEM_CLI, u.id, u.version);
		let gone = await svc.create(CLI, editor, input('archived'));
		gone = await svc.archive(CLI, SYSTEM_CLI, gone.id, gone.version);
		return { draft: d.id, inReview: r.id, unpublished: u.id, archived: gone.id };
	};
	const hiddenPractices = await hiddenOf(services.practices, (l) => canaryPractice(canary, l));
	const hiddenActors = await hiddenOf(services.actors, (l) => canaryActor(canary, l));

	// Published practice and actor with payloads everywhere, and drafts of each with them too.
	const xssPracticeInput = (key: string): PracticeInput => ({
		key,
		name: `XSS practice ${PWN_TEXT} ${XSS.script}`,
		implementingPartners: `Partners ${PWN_TEXT}`,
		periodStart: 2020,
		periodEnd: null,
		periodText: PWN.attribute,
		description: `Description ${PWN_TEXT} <a href="${PWN.url}">click</a>`,
		moreInformation: `More ${PWN_TEXT}`,
		countries: ['KEN'],
		objectives: [3],
		reportRow: null,
		originalText: PWN_TEXT
	});
	const xssActorInput = (label: string): ActorInput => ({
		name: `XSS actor ${label} ${PWN.script} ${PWN.attribute}`,
		description: `Description ${PWN_TEXT} <a href="${PWN.url}">click</a>`,
		website: 'https://example.org/xss-actor',
		country: 'KEN',
		kind: 'civil_society'
	});
	let xssPractice = await services.practices.create(CLI, editor, xssPracticeInput('sec-xss-practice'));
	xssPractice = await services.practices.publish(CLI, SYSTEM_CLI, xssPractice.id, xssPractice.version);
	let xssActor = await services.actors.create(CLI, editor, xssActorInput('published'));
	xssActor = await services.actors.publish(CLI, SYSTEM_CLI, xssActor.id, xssActor.version);
	// Past validation (the write path refuses non-http(s) websites): what legacy data could hold.
	await db.execute(sql`UPDATE actor SET website = ${PWN.url} WHERE id = ${xssActor.id}`);
	const xssPracticeDraft = await services.practices.create(CLI, editor, xssPracticeInput('sec-xss-practice-draft'));
	const xssActorDraft = await services.actors.create(CLI, editor, xssActorInput('draft'));

	const suggested = await services.suggestions.submit(
		{ ...CLI, channel: 'web' },
		{
			payload: {
				title: `${canary} suggestion title`,
				description: `${canary} suggestion description`,
				actionType: 'project',
				countries: ['KEN'],
				date: '2022',
				sourceUrl: `https://example.org/${canary}-suggested`,
				sourceCitation: `${canary} suggestion citation`
			},
			contact: `${canary.toLowerCase()}@example.org`
		}
	);
	if (suggested.outcome !== 'stored') throw new Error(`suggestion not stored: ${suggested.outcome}`);

	// Benchmarking: two unpublished assessments with the canary, and the published demo.
	const a = services.assessments;
	const newAssessment = (edition: number) =>
		a.create(CLI, coordinator, {
			country: 'KEN',
			edition,
			perspective: 'independent',
			title: `${canary} assessment ${edition}`,
			summary: `${canary} summary`,
			leadOrganisationId: org.id
		});
	const answerAll = async (id: string) => {
		const form = await a.getDeskForm(coordinator, id, 1);
		const scored = form.answerScale.find((o) => o.kind === 'scored');
		for (const v of form.variables.slice(0, 2)) {
			await a.saveDeskAnswer(CLI, coordinator, id, {
				variableKey: v.variable.key,
				answer: scored?.key,
				note: `${canary} desk note`,
				evidence: [
					{
						title: `${canary} evidence title`,
						type: 'law',
						issuingBody: `${canary} issuing body`,
						date: '2021-06',
						url: `https://example.org/${canary}-evidence`,
						excerpt: `${canary} evidence excerpt`
					}
				],
				expectedVersion: 0
			});
		}
	};
	let desk = await newAssessment(2031);
	desk = await a.startDeskResearch(CLI, coordinator, desk.id, desk.version);
	await answerAll(desk.id);

	let panel = await newAssessment(2032);
	panel = await a.startDeskResearch(CLI, coordinator, panel.id, panel.version);
	await answerAll(panel.id);
	const panelExpertEmails: string[] = [];
	const experts: Viewer[] = [];
	for (const n of [1, 2]) {
		const email = `${canary.toLowerCase()}-expert${n}@example.org`;
		const invited = await a.inviteExpert(CLI, coordinator, panel.id, { email, displayName: `${canary} Expert ${n}` });
		panelExpertEmails.push(email);
		experts.push(await wf.viewerFor({ id: invited.userId, email, role: 'expert' }, 'web'));
	}
	panel = await a.openPanel(CLI, coordinator, panel.id, panel.version);
	for (const [i, expert] of experts.entries()) {
		const form = await a.getRatingForm(expert, panel.id);
		await a.saveRatings(
			CLI,
			expert,
			panel.id,
			form.items.slice(0, 3).map((item) => ({
				itemType: item.itemType,
				itemKey: item.itemKey,
				value: 3,
				comment: `${canary} rating comment ${i}`
			}))
		);
		await a.declareConflicts(CLI, expert, panel.id, {
			declaration: `${canary} conflict of interest ${i}`,
			publicOptIn: i === 0,
			publicName: i === 0 ? `${canary} Public Name` : null
		});
	}

	// Another panel, without canary text, whose expert is the fixture expert (signed in by the crawl).
	let other = await a.create(CLI, coordinator, {
		country: 'KEN',
		edition: 2033,
		perspective: 'independent',
		title: 'Another panel for the security crawl',
		summary: 'No canary here.',
		leadOrganisationId: org.id
	});
	other = await a.startDeskResearch(CLI, coordinator, other.id, other.version);
	await a.inviteExpert(CLI, coordinator, other.id, { email: users.expert.email, displayName: 'Sec expert' });
	other = await a.openPanel(CLI, coordinator, other.id, other.version);

	await seedDemoBenchmark(database);
	// A hostile evidence link in a published assessment (past validation, as above).
	await db.execute(
		sql`UPDATE evidence SET url = ${XSS.url} WHERE id = (SELECT e.id FROM evidence e JOIN assessment s ON s.id = e.assessment_id WHERE s.status = 'published' ORDER BY e.id LIMIT 1)`
	);
	const rows = (await db.execute(sql`
		SELECT u.display_name AS name, u.email AS email,
		       bool_or(m.public_opt_in AND s.status = 'published') AS public_somewhere
		FROM assessment_member m
		JOIN app_user u ON u.id = m.user_id
		JOIN assessment s ON s.id = m.assessment_id
		WHERE m.role = 'expert'
		GROUP BY u.display_name, u.email
	`)) as unknown as { rows: { name: string; email: string; public_somewhere: boolean }[] };
	const hiddenExperts = rows.rows.filter((r) => !r.public_somewhere);
	const perAssessment = (await db.execute(sql`
		SELECT s.id AS id,
		       coalesce(array_agg(u.display_name) FILTER (WHERE m.role = 'expert' AND NOT m.public_opt_in), '{}') AS hidden
		FROM assessment s
		LEFT JOIN assessment_member m ON m.assessment_id = s.id
		LEFT JOIN app_user u ON u.id = m.user_id
		WHERE s.status = 'published'
		GROUP BY s.id
	`)) as unknown as { rows: { id: string; hidden: string[] }[] };
	const allExpertEmails = rows.rows.map((r) => r.email);

	const token = await services.apiTokens.create(CLI, await fullSession(services, users.editor.email), {
		name: 'security e2e',
		access: 'write',
		expiresInDays: 7
	});
	const otherCountryToken = await services.apiTokens.create(CLI, await fullSession(services, users.reviewer.email), {
		name: 'security e2e (Uganda reviewer)',
		access: 'write',
		expiresInDays: 7
	});

	return {
		canary,
		users,
		organisationId: org.id,
		published,
		xss: { id: xss.id, title: xssTitle },
		hidden: { draft: draft.id, inReview: review.id, unpublished: gone.id, archived: archived.id },
		hiddenPractices,
		hiddenActors,
		xssPractice: { id: xssPractice.id, name: xssPractice.name },
		xssActor: { id: xssActor.id, name: xssActor.name },
		xssPracticeDraft: xssPracticeDraft.id,
		xssActorDraft: xssActorDraft.id,
		suggestionId: suggested.id,
		assessments: { deskResearch: desk.id, expertPanel: panel.id },
		otherPanel: other.id,
		privateExperts: { names: hiddenExperts.map((r) => r.name), emails: allExpertEmails },
		publishedAssessments: perAssessment.rows.map((r) => ({ id: r.id, hiddenNames: r.hidden })),
		panelExpertEmails,
		writeToken: token.token,
		otherCountryToken: otherCountryToken.token
	};
}

/** A signed-in session of an account without a second factor (what creating a token needs). */
async function fullSession(services: ReturnType<typeof createServices>, email: string) {
	const session = await services.accounts.signIn(CLI, { email, password: PASSWORD });
	if (!session.ok) throw new Error(`fixture sign-in failed for ${email}`);
	const state = await services.accounts.validateSession(session.token);
	if (!state) throw new Error(`fixture session missing for ${email}`);
	return state;
}

/** Row counts of the tables a refused or read-only request must never change. */
export const CONTENT_TABLES = [
	'initiative',
	'initiative_source',
	'initiative_revision',
	'practice',
	'practice_country',
	'practice_objective',
	'actor',
	'record_revision',
	'suggestion',
	'app_user',
	'organisation',
	'membership',
	'user_scope',
	'api_token',
	'assessment',
	'assessment_member',
	'desk_answer',
	'evidence',
	'expert_rating'
] as const;

/**
 * Counts of the content tables, and audit rows by action (sign-in, second-factor and sign-out rows
 * left out: the tests sign people in, which is allowed to write those).
 */
export async function contentSnapshot(dataDir: string): Promise<Record<string, number>> {
	const database = await openDatabase({ databaseUrl: null, dataDir, lock: true });
	try {
		const parts = CONTENT_TABLES.map((t) => `SELECT '${t}' AS k, count(*)::int AS n FROM ${t}`);
		parts.push(
			`SELECT 'audit:' || action AS k, count(*)::int AS n FROM audit_event WHERE action NOT LIKE 'user.sign%' AND action NOT LIKE 'user.two_factor%' GROUP BY action`
		);
		const r = (await database.db.execute(sql.raw(parts.join(' UNION ALL ')))) as unknown as {
			rows: { k: string; n: number }[];
		};
		return Object.fromEntries(r.rows.map((x) => [x.k, Number(x.n)]));
	} finally {
		await database.close();
	}
}
