/**
 * Signing in through the pages, as people do (JavaScript disabled or not): one-time set-password
 * links, the sign-in form, TOTP enrolment or verification when the role requires a second factor,
 * API tokens on /account/tokens, and the form submission every spec needs. One copy for every e2e
 * spec, so a change to those pages is followed in one place.
 *
 * Pages are awaited by pathname predicate, never by a regex on the whole URL: the two-factor and
 * sign-in URLs carry `?next=`.
 */
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { generateHOTP } from '@oslojs/otp';
import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { findUserByEmail } from '../../../src/lib/server/db/account.repository';
import { openDatabase } from '../../../src/lib/server/db/client';
import {
	insertOrganisation,
	replaceUserScopes,
	upsertMembership
} from '../../../src/lib/server/db/organisation.repository';
import { gcmEnv, runGcm } from '../server';

/** The password every e2e account gets (long enough, not on the common-password list). */
export const PASSWORD = 'correct horse battery staple 42';

const STEP_MS = 30_000;
const stepNow = () => Math.floor(Date.now() / STEP_MS);

/** The TOTP code of this 30-second step for a base32 secret (RFC 6238, 6 digits). */
export function currentTotp(secretBase32: string): string {
	return generateHOTP(decodeBase32IgnorePadding(secretBase32), BigInt(stepNow()), 6);
}

/** The last step whose code this process sent for a secret: the server refuses a code used twice. */
const lastStepSent = new Map<string, number>();

/**
 * A code the server has not seen yet: when this process already sent the current step's code for
 * the secret (enrolment, an earlier sign-in), waits for the next 30-second step first.
 */
export async function freshTotp(secretBase32: string): Promise<string> {
	const last = lastStepSent.get(secretBase32);
	if (last !== undefined && stepNow() <= last) {
		await new Promise((resolveWait) => setTimeout(resolveWait, (last + 1) * STEP_MS - Date.now() + 250));
	}
	const step = stepNow();
	lastStepSent.set(secretBase32, step);
	return generateHOTP(decodeBase32IgnorePadding(secretBase32), BigInt(step), 6);
}

export const pathOf = (page: Page): string => new URL(page.url()).pathname;

/** Clicks a submit button, waits for the answer to its POST and the page it leads to; returns the POST's status. */
export async function submit(page: Page, selector: string): Promise<number> {
	const [response] = await Promise.all([
		page.waitForResponse((r) => r.request().method() === 'POST'),
		page.click(selector)
	]);
	await page.waitForLoadState('load');
	return response.status();
}

/** Clicks `selector` and waits until the page's pathname satisfies `where`. */
export async function clickTo(page: Page, selector: string, where: (pathname: string) => boolean): Promise<void> {
	await Promise.all([page.waitForURL((u) => where(u.pathname)), page.click(selector)]);
}

/** The Cookie header of a context's session for `baseUrl` (to reuse a browser session with fetch). */
export async function cookieHeader(context: BrowserContext, baseUrl: string): Promise<string> {
	return (await context.cookies(baseUrl)).map((c) => `${c.name}=${c.value}`).join('; ');
}

/**
 * Sets a password through a one-time link (a full URL as the CLI prints it, or its path and query);
 * resolves on the sign-in page the form leads to.
 */
export async function setPasswordThroughLink(
	page: Page,
	baseUrl: string,
	link: string,
	password = PASSWORD
): Promise<void> {
	const u = new URL(link, baseUrl);
	await page.goto(`${baseUrl}${u.pathname}${u.search}`);
	await page.fill('#password', password);
	await page.fill('#confirm', password);
	await clickTo(page, 'button[type=submit]', (p) => p === '/account/sign-in');
}

export interface SignInOptions {
	/** Where to start: a guarded page sends to sign-in with ?next= (default: the sign-in page itself). */
	from?: string;
	password?: string;
	/** The account's TOTP secret when it is enrolled already (the two-factor page then verifies a code). */
	totpSecret?: string | null;
}

export interface SignedIn {
	/** The sign-in page's URL (path and query) as `from` led to it. */
	signInUrl: string;
	/** Where the person ended up (path and query): `next`, or /account without one. */
	landed: string;
	/** The TOTP secret enrolled during this sign-in, or the one given; null for accounts without 2FA. */
	totpSecret: string | null;
}

/**
 * Signs in through the pages: opens `from`, fills the sign-in form, and when the role requires a
 * second factor either enrols TOTP (start → confirm with a current code → ten recovery codes →
 * "Continue") or verifies a code of `totpSecret`. Resolves where sign-in led.
 */
export async function signInThroughPages(
	page: Page,
	baseUrl: string,
	email: string,
	options: SignInOptions = {}
): Promise<SignedIn> {
	await page.goto(`${baseUrl}${options.from ?? '/account/sign-in'}`);
	expect(pathOf(page), `${options.from} leads to sign-in`).toBe('/account/sign-in');
	const signInUrl = `${pathOf(page)}${new URL(page.url()).search}`;
	await page.fill('#email', email);
	await page.fill('#password', options.password ?? PASSWORD);
	await clickTo(page, 'button[type=submit]', (p) => p !== '/account/sign-in');
	let totpSecret = options.totpSecret ?? null;
	if (pathOf(page) === '/account/two-factor') {
		if (totpSecret) {
			await page.fill('#code', await freshTotp(totpSecret));
			await clickTo(page, 'form[action^="?/verify"] button[type=submit]', (p) => p !== '/account/two-factor');
		} else {
			totpSecret = await enrolTotp(page);
			// "Continue" after the recovery codes goes where the person was going.
			const target = new URL((await page.locator('a.button').first().getAttribute('href')) ?? '/', baseUrl);
			await clickTo(page, 'a.button', (p) => p === target.pathname);
		}
	}
	return { signInUrl, landed: `${pathOf(page)}${new URL(page.url()).search}`, totpSecret };
}

/**
 * On the two-factor page of an account without TOTP: starts enrolment, confirms it with a current
 * code and checks that ten recovery codes are shown; returns the secret.
 */
export async function enrolTotp(page: Page): Promise<string> {
	expect(pathOf(page)).toBe('/account/two-factor');
	await submit(page, 'form[action^="?/start"] button[type=submit]');
	expect(pathOf(page)).toBe('/account/two-factor');
	const secret = (await page.locator('code.secret').first().innerText()).trim();
	await page.fill('#code', await freshTotp(secret));
	await submit(page, 'form[action^="?/confirm"] button[type=submit]');
	expect(await page.locator('ul.recovery-codes li').count()).toBe(10);
	return secret;
}

/** Creates an API token on /account/tokens (signed in) and returns the secret shown once. */
export async function createTokenThroughPage(
	page: Page,
	baseUrl: string,
	name: string,
	access: 'read' | 'write',
	extra: { country?: string; days?: number } = {}
): Promise<string> {
	await page.goto(`${baseUrl}/account/tokens`);
	await page.fill('#token-name', name);
	await page.check(`input[name=access][value=${access}]`);
	if (extra.country) await page.selectOption('#token-country', extra.country);
	await page.fill('#token-days', String(extra.days ?? 30));
	await Promise.all([
		page.waitForURL((u) => u.pathname === '/account/tokens' && u.search === '?/create'),
		page.click('form[action="?/create"] button[type=submit]')
	]);
	const token = (await page.locator('[data-testid=new-token]').innerText()).trim();
	expect(token).toMatch(/^gcm_[A-Za-z0-9_-]{43}$/);
	return token;
}

export interface CliAccount {
	/** The one-time set-password link as printed (a full URL). */
	link: string;
	/** Its path and query, to open on the test server. */
	linkPath: string;
	/** Everything `gcm user create` printed. */
	stdout: string;
}

/**
 * `gcm user create --email … --role … [extra]` on a data directory no server holds yet; checks the
 * exit code and returns the printed set-password link.
 */
export async function createAccountWithCli(
	dataDir: string,
	email: string,
	role: string,
	extra: readonly string[] = []
): Promise<CliAccount> {
	const r = await runGcm(['user', 'create', '--email', email, '--role', role, ...extra], gcmEnv(dataDir), 120_000);
	const shown = `exit ${r.code}\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;
	expect(r.code, shown).toBe(0);
	const link = r.stdout.match(/https?:\/\/\S+\/account\/set-password\?token=\S+/)?.[0];
	expect(link, shown).toBeDefined();
	const u = new URL(link ?? '');
	return { link: link ?? '', linkPath: `${u.pathname}${u.search}`, stdout: r.stdout };
}

/**
 * Writes what has no `gcm` command yet straight to a data directory no server holds: one
 * organisation with its members, and country scopes (accounts by email, created before).
 */
export async function placeAccounts(
	dataDir: string,
	setup: { organisation: { name: string; country: string; members: string[] }; scopes: Record<string, string[]> }
): Promise<void> {
	const database = await openDatabase({ databaseUrl: null, dataDir, lock: true });
	try {
		const idOf = async (email: string) => {
			const user = await findUserByEmail(database.db, email);
			if (!user) throw new Error(`no account ${email}`);
			return user.id;
		};
		const { name, country, members } = setup.organisation;
		const org = await insertOrganisation(database.db, { name, country });
		for (const email of members) await upsertMembership(database.db, await idOf(email), org.id);
		for (const [email, countries] of Object.entries(setup.scopes)) {
			await replaceUserScopes(database.db, await idOf(email), countries);
		}
	} finally {
		await database.close();
	}
}

export interface ApiInit {
	method?: string;
	/** A bearer token (sent as Authorization). */
	token?: string;
	headers?: Record<string, string>;
	/** Sent as JSON. */
	body?: unknown;
}

/** A JSON API request as a script makes it (Accept JSON, optional bearer token and JSON body). */
export function apiRequest(baseUrl: string, path: string, init: ApiInit = {}): Promise<Response> {
	const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
	if (init.token) headers.authorization = `Bearer ${init.token}`;
	if (init.body !== undefined) headers['content-type'] = 'application/json';
	return fetch(`${baseUrl}${path}`, {
		method: init.method ?? 'GET',
		headers,
		body: init.body === undefined ? undefined : JSON.stringify(init.body)
	});
}
