/**
 * Accounts, content and HTTP plumbing for tests/e2e/authz-matrix.spec.ts.
 *
 * `seedAuthzAccounts` writes the accounts of helpers/authz-matrix.ts straight through the services
 * into a data directory while no server runs on it (the directory is locked while `gcm serve` holds
 * it): organisations A and B, memberships and country scopes, passwords, TOTP for the roles that
 * require it (enrolled with the previous 30-second step's code, so a sign-in later can use the current
 * one), a write API token per account, and one published initiative (so `gcm serve` does not load the
 * bundled datasets and the exports stay small). Records are then made over HTTP by the spec.
 */
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { generateHOTP } from '@oslojs/otp';
import { formValuesOf } from '../../../src/lib/components/forms/initiative-form';
import { ACTOR_FORM, PRACTICE_FORM, recordValuesOf } from '../../../src/lib/components/forms/record-form';
import type { RecordType } from '../../../src/lib/core/access/policy';
import type { InitiativeInput } from '../../../src/lib/core/registry/initiative';
import { openDatabase } from '../../../src/lib/server/db/client';
import {
	insertOrganisation,
	replaceUserScopes,
	upsertMembership
} from '../../../src/lib/server/db/organisation.repository';
import { migrationsDir } from '../../../src/lib/server/paths';
import { createServices } from '../../../src/lib/server/runtime';
import { CLI_ACTOR, type RequestContext } from '../../../src/lib/server/services/account.service';
import { ensureDefaultMethodology } from '../../../src/lib/server/services/methodology.service';
import type { RecordStep } from '../../../src/lib/server/services/record-workflow';
import { SYSTEM_CLI } from '../../../src/lib/server/services/viewer';
import { ACCOUNTS, type AccountName, type OrganisationName } from './authz-matrix';
import { currentTotp, PASSWORD } from './session';

export interface AuthzAccount {
	name: AccountName;
	id: string;
	email: string;
	displayName: string;
	token: string;
	totpSecret: string | null;
}

export interface AuthzSetup {
	/** A unique marker of this run, in every key, title and name it writes. */
	run: string;
	accounts: Record<AccountName, AuthzAccount>;
	organisations: Record<OrganisationName, string>;
	/** The key of the published initiative written before the server starts. */
	backgroundKey: string;
}

const CLI: RequestContext = { channel: 'cli', requestId: null, clientAddress: '127.0.0.1' };

/**
 * The TOTP code of the previous 30-second step (accepted: the server allows one step either side).
 * Enrolling with it leaves the current step's code (helpers/session.ts) unused for the sign-in.
 */
function previousStepTotp(secretBase32: string): string {
	const step = BigInt(Math.floor(Date.now() / 1000 / 30) - 1);
	return generateHOTP(decodeBase32IgnorePadding(secretBase32), step, 6);
}

export async function seedAuthzAccounts(dataDir: string): Promise<AuthzSetup> {
	const run = `azm${Date.now().toString(36)}${crypto.randomUUID().slice(0, 4)}`;
	const database = await openDatabase({ databaseUrl: null, dataDir, lock: true });
	try {
		await database.migrate(migrationsDir());
		await ensureDefaultMethodology(database);
		const services = createServices(database);
		const { db } = database;
		const organisations: Record<OrganisationName, string> = {
			A: (await insertOrganisation(db, { name: `${run} organisation A`, country: 'UGA' })).id,
			B: (await insertOrganisation(db, { name: `${run} organisation B`, country: 'UGA' })).id
		};
		const accounts = {} as Record<AccountName, AuthzAccount>;
		for (const name of Object.keys(ACCOUNTS) as AccountName[]) {
			const profile = ACCOUNTS[name];
			const email = `${run}-${name}@example.org`;
			const displayName = `${run} ${name}`;
			const link = await services.accounts.createUser(CLI, CLI_ACTOR, { email, role: profile.role, displayName });
			await services.accounts.setPasswordWithToken(CLI, 'password_reset', link.token, PASSWORD);
			await db.transaction(async (tx) => {
				if (profile.organisation) await upsertMembership(tx, link.user.id, organisations[profile.organisation]);
				if (profile.countries.length > 0) await replaceUserScopes(tx, link.user.id, [...profile.countries]);
			});
			const signedIn = await services.accounts.signIn(CLI, { email, password: PASSWORD });
			if (!signedIn.ok) throw new Error(`fixture sign-in failed for ${email}`);
			let sessionToken = signedIn.token;
			let totpSecret: string | null = null;
			if (signedIn.mfa !== 'ok') {
				// Enrol with the previous step's code: the spec's sign-in then uses the current step (no replay).
				totpSecret = (await services.accounts.beginTwoFactor(CLI, sessionToken)).secret;
				const confirmed = await services.accounts.confirmTwoFactor(CLI, sessionToken, previousStepTotp(totpSecret));
				sessionToken = confirmed.session.token;
			}
			const session = await services.accounts.validateSession(sessionToken);
			if (!session || session.mfa !== 'ok') throw new Error(`fixture session not usable for ${email}`);
			const token = await services.apiTokens.create(CLI, session, {
				name: `authz matrix ${name}`,
				access: 'write',
				expiresInDays: 7
			});
			accounts[name] = { name, id: link.user.id, email, displayName, token: token.token, totpSecret };
		}
		const backgroundKey = `${run}-background`;
		const background = await services.workflow.create(
			CLI,
			SYSTEM_CLI,
			initiativeInput(run, backgroundKey, `${run} background published`, 'UGA')
		);
		await services.workflow.publish(CLI, SYSTEM_CLI, background.id, background.version);
		return { run, accounts, organisations, backgroundKey };
	} finally {
		await database.close();
	}
}

// ---------------------------------------------------------------------------------------------
// Content

export function initiativeInput(run: string, key: string, title: string, country: string): InitiativeInput {
	return {
		key,
		title,
		description: `Authorization matrix record ${run} <b>x</b> الهجرة`,
		actionType: 'project',
		initiatorKinds: ['civil_society'],
		initiators: [`${run} network`],
		scope: 'national',
		regionalScope: false,
		region: null,
		countries: [country],
		dateStart: '2022-04',
		dateEnd: null,
		datePrecision: 'month',
		dateText: null,
		predatesGcm: false,
		objectives: [16],
		principles: [],
		sources: [{ citation: 'Annual report', url: 'https://example.org/report' }],
		verificationStatus: 'reported',
		reportTable: null,
		reportRow: null,
		originalText: null
	};
}

/**
 * A record's content (the workflow's camelCase input), unique per label: initiatives and practices
 * carry `label` as their key, every type carries it in its title or name.
 */
export function contentFor(run: string, type: RecordType, label: string, country: string): Record<string, unknown> {
	// Keys allow lowercase letters, digits, dot, dash and underscore only.
	const key = `${run}-${label}`.toLowerCase();
	switch (type) {
		case 'initiative':
			return { ...initiativeInput(run, key, `${key} initiative`, country) };
		case 'practice':
			return {
				key,
				name: `${key} practice`,
				implementingPartners: 'IOM; UNHCR',
				periodStart: 2019,
				periodEnd: 2022,
				periodText: null,
				description: `Authorization matrix practice ${run}`,
				moreInformation: null,
				countries: [country],
				objectives: [18],
				reportRow: null,
				originalText: null
			};
		case 'actor':
			return {
				name: `${key} actor`,
				description: `Authorization matrix actor ${run}`,
				website: 'https://example.org/actor',
				country,
				kind: 'civil_society'
			};
	}
}

const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The write API's body for a content object (snake_case names). */
export function apiBody(
	content: Record<string, unknown>,
	extra: Record<string, unknown> = {}
): Record<string, unknown> {
	return { ...Object.fromEntries(Object.entries(content).map(([k, v]) => [snake(k), v])), ...extra };
}

/** The workspace form fields for a content object, as a browser posts them (lists repeated, checkboxes `on`). */
export function formFields(type: RecordType, content: Record<string, unknown>): [string, string][] {
	const out: [string, string][] = [];
	if (type === 'initiative') {
		const v = formValuesOf(content as unknown as InitiativeInput);
		for (const [k, value] of Object.entries(v)) {
			if (k === 'sources') continue;
			if (Array.isArray(value)) for (const x of value) out.push([k, String(x)]);
			else if (typeof value === 'boolean') {
				if (value) out.push([k, 'on']);
			} else out.push([k, String(value)]);
		}
		v.sources.forEach((s, i) => {
			out.push([`sources.${i}.citation`, s.citation], [`sources.${i}.url`, s.url]);
		});
		out.push(['source_rows', String(v.sources.length)]);
		return out;
	}
	const values = recordValuesOf(type === 'practice' ? PRACTICE_FORM : ACTOR_FORM, content);
	for (const [k, value] of Object.entries(values)) {
		if (Array.isArray(value)) for (const x of value) out.push([k, x]);
		else out.push([k, value]);
	}
	return out;
}

// ---------------------------------------------------------------------------------------------
// Paths

export const PLURAL: Record<RecordType, string> = { initiative: 'initiatives', practice: 'practices', actor: 'actors' };

/** The API path segment of a workflow step. */
export const STEP_SLUG: Record<RecordStep, string> = {
	submit: 'submit',
	approve: 'approve',
	requestChanges: 'request-changes',
	publish: 'publish',
	unpublish: 'unpublish',
	archive: 'archive'
};

// ---------------------------------------------------------------------------------------------
// HTTP

export interface ApiInit {
	method?: string;
	token?: string | null;
	ifMatch?: number;
	body?: unknown;
}

export function apiRequest(baseUrl: string, path: string, init: ApiInit = {}): Promise<Response> {
	const headers: Record<string, string> = { accept: 'application/json' };
	if (init.token) headers.authorization = `Bearer ${init.token}`;
	if (init.ifMatch !== undefined) headers['if-match'] = `"${init.ifMatch}"`;
	if (init.body !== undefined) headers['content-type'] = 'application/json';
	return fetch(`${baseUrl}${path}`, {
		method: init.method ?? 'GET',
		headers,
		body: init.body === undefined ? undefined : JSON.stringify(init.body),
		redirect: 'manual'
	});
}

/** A form post as a browser without JavaScript makes it: same-origin, form-encoded, redirects not followed. */
export function postForm(
	baseUrl: string,
	path: string,
	cookie: string | null,
	fields: [string, string][]
): Promise<Response> {
	const headers: Record<string, string> = {
		accept: 'text/html',
		'content-type': 'application/x-www-form-urlencoded',
		origin: baseUrl
	};
	if (cookie) headers.cookie = cookie;
	return fetch(`${baseUrl}${path}`, {
		method: 'POST',
		redirect: 'manual',
		headers,
		body: new URLSearchParams(fields).toString()
	});
}

export function getPage(baseUrl: string, path: string, cookie: string | null): Promise<Response> {
	return fetch(`${baseUrl}${path}`, {
		redirect: 'manual',
		headers: { accept: 'text/html', ...(cookie ? { cookie } : {}) }
	});
}

/** `name=value` of the session cookie a response sets (the last one wins). */
function sessionCookieOf(res: Response): string | null {
	const set = res.headers.getSetCookie().filter((c) => /^(__Host-)?gcm_session=/.test(c));
	const last = set.at(-1);
	if (!last) return null;
	const pair = last.split(';')[0]!;
	return pair.endsWith('=') ? null : pair;
}

/**
 * Signs in through the sign-in form over plain HTTP (no browser needed) and, when the role requires
 * it, verifies the current TOTP code on the two-factor form; returns the Cookie header.
 */
export async function signInOverHttp(baseUrl: string, email: string, totpSecret: string | null): Promise<string> {
	const res = await postForm(baseUrl, '/account/sign-in', null, [
		['email', email],
		['password', PASSWORD],
		['next', '/workspace']
	]);
	const cookie = sessionCookieOf(res);
	if (res.status !== 303 || !cookie) throw new Error(`sign-in of ${email} answered ${res.status}`);
	const location = res.headers.get('location') ?? '';
	if (!location.startsWith('/account/two-factor')) return cookie;
	if (!totpSecret) throw new Error(`${email} needs a second factor but has no TOTP secret`);
	const verified = await postForm(baseUrl, '/account/two-factor?/verify', cookie, [
		['code', currentTotp(totpSecret)],
		['next', '/workspace']
	]);
	const rotated = sessionCookieOf(verified);
	if (verified.status !== 303 || !rotated) throw new Error(`second factor of ${email} answered ${verified.status}`);
	return rotated;
}
