/**
 * Accounts in a real browser with JavaScript disabled: an admin created by `gcm user create` sets
 * a password through the printed one-time link, signs in, is sent to the required two-factor
 * set-up, enables TOTP with a code computed from the secret shown on the page, sees the recovery
 * codes, reaches /account and signs out. Also: the generic sign-in error and the HttpOnly cookie.
 *
 * The user is created before the server starts, on the same (fresh) data directory: the CLI and
 * `gcm serve` cannot hold the data directory's lock at the same time.
 */
import { rmSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAccountWithCli, currentTotp, PASSWORD } from './helpers/session';
import { launchBrowser, makeDataDir, startServer, type RunningServer } from './server';

const EMAIL = 'e2e-admin@example.org';
const GENERIC_ERROR = 'The email or password is wrong.';

let dataDir: string;
let server: RunningServer;
let browser: Browser;
/** Path and query of the one-time set-password link the CLI printed. */
let setPasswordPath: string;
const contexts: BrowserContext[] = [];

async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
	const context = await browser.newContext({ javaScriptEnabled: false, locale: 'en-US' });
	contexts.push(context);
	return { context, page: await context.newPage() };
}

function path(page: Page): string {
	return new URL(page.url()).pathname;
}

beforeAll(async () => {
	dataDir = makeDataDir();
	setPasswordPath = (await createAccountWithCli(dataDir, EMAIL, 'admin')).linkPath;

	server = await startServer({ dataDir });
	browser = await launchBrowser();
});

afterEach(async () => {
	await Promise.all(contexts.splice(0).map((c) => c.close()));
});

afterAll(async () => {
	await browser?.close();
	const code = await server?.stop();
	if (code !== 0 && code !== undefined) console.error(`gcm serve exited with ${code}\n${server.output()}`);
	if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('accounts without JavaScript', () => {
	it('admin: set password, sign in, required 2FA set-up, recovery codes, /account, sign out', async () => {
		const { context, page } = await newPage();

		// The one-time link from the CLI.
		await page.goto(`${server.url}${setPasswordPath}`);
		await expect.poll(() => page.locator('body').innerText()).toContain(EMAIL);
		await page.fill('#password', PASSWORD);
		await page.fill('#confirm', PASSWORD);
		await Promise.all([page.waitForURL(/\/account\/sign-in/), page.click('button[type=submit]')]);
		expect(await page.locator('[role=status]').innerText()).toContain('Your password is set');

		// Password sign-in: an admin without 2FA must set it up first.
		await page.fill('#email', EMAIL);
		await page.fill('#password', PASSWORD);
		await Promise.all([page.waitForURL(/\/account\/two-factor/), page.click('button[type=submit]')]);
		expect(await page.locator('[role=note]').innerText()).toContain('requires two-step sign-in');

		// The session cookie is HttpOnly and SameSite=Lax (plain http: gcm_session, not Secure).
		const cookie = (await context.cookies()).find((c) => c.name === 'gcm_session');
		expect(cookie, JSON.stringify(await context.cookies())).toBeDefined();
		expect(cookie!.httpOnly).toBe(true);
		expect(cookie!.sameSite).toBe('Lax');
		expect(cookie!.path).toBe('/');

		// While 2FA is pending, /account sends back to the two-factor page.
		await page.goto(`${server.url}/account`);
		expect(path(page)).toBe('/account/two-factor');

		// Start set-up (a POST), read the secret shown as text.
		await Promise.all([
			page.waitForURL((u) => u.pathname === '/account/two-factor'),
			page.click('form[action="?/start"] button[type=submit]')
		]);
		const secrets = await page.locator('code.secret').allInnerTexts();
		expect(secrets.length).toBe(2);
		const secret = secrets[0]!.trim();
		expect(secret).toMatch(/^[A-Z2-7]{32}$/);
		expect(secrets[1]).toContain('otpauth://totp/');
		expect(secrets[1]).toContain(`secret=${secret}`);

		// A wrong code is refused first.
		const right = currentTotp(secret);
		const wrong = String((Number(right) + 500_000) % 1_000_000).padStart(6, '0');
		await page.fill('#code', wrong);
		await Promise.all([page.waitForLoadState('load'), page.click('form[action="?/confirm"] button[type=submit]')]);
		expect(await page.locator('[role=alert]').count()).toBe(1);
		expect(await page.locator('ul.recovery-codes').count()).toBe(0);

		// The right code turns 2FA on and shows the 10 recovery codes once.
		await page.fill('#code', currentTotp(secret));
		await Promise.all([page.waitForLoadState('load'), page.click('form[action="?/confirm"] button[type=submit]')]);
		const codes = await page.locator('ul.recovery-codes li code').allInnerTexts();
		expect(codes.length, await page.locator('body').innerText()).toBe(10);
		expect(new Set(codes).size).toBe(10);
		expect(await page.locator('h2').first().innerText()).toBe('Your recovery codes');

		// The session cookie was rotated and is still HttpOnly.
		const rotated = (await context.cookies()).find((c) => c.name === 'gcm_session');
		expect(rotated?.httpOnly).toBe(true);
		expect(rotated?.value).not.toBe(cookie!.value);

		// /account shows the email and that 2FA is on.
		await Promise.all([page.waitForURL(/\/account$/), page.click('a.button[href="/account"]')]);
		const account = await page.locator('dl.account-facts').innerText();
		expect(account).toContain(EMAIL);
		expect(account).toContain('On (authenticator app). Unused recovery codes: 10.');

		// Sign out with the POST form: back to the home page, no session cookie.
		await Promise.all([
			page.waitForURL((u) => u.pathname === '/'),
			page.click('form[action="/account/sign-out"] button[type=submit]')
		]);
		expect((await context.cookies()).find((c) => c.name === 'gcm_session')).toBeUndefined();

		// /account now sends to sign-in.
		await page.goto(`${server.url}/account`);
		expect(path(page)).toBe('/account/sign-in');

		// The old session token is dead on the server too (replaying it does not sign in).
		await context.addCookies([{ ...rotated!, expires: -1 }]);
		await page.goto(`${server.url}/account`);
		expect(path(page)).toBe('/account/sign-in');
	});

	it('a wrong password or unknown email shows the same generic message', async () => {
		const { context, page } = await newPage();
		for (const email of [EMAIL, 'nobody-here@example.org']) {
			await page.goto(`${server.url}/account/sign-in`);
			await page.fill('#email', email);
			await page.fill('#password', 'not the right password 1');
			const [response] = await Promise.all([
				page.waitForResponse((r) => r.request().method() === 'POST'),
				page.click('button[type=submit]')
			]);
			expect(response.status()).toBe(400);
			await page.waitForLoadState('load');
			expect(path(page)).toBe('/account/sign-in');
			expect((await page.locator('#sign-in-error').innerText()).trim()).toBe(GENERIC_ERROR);
			// The email is kept in the form, the password is not.
			expect(await page.inputValue('#email')).toBe(email);
			expect(await page.inputValue('#password')).toBe('');
		}
		expect((await context.cookies()).find((c) => c.name === 'gcm_session')).toBeUndefined();
	});

	// Last in this file: it locks this machine's address (127.0.0.1) out of set-password links.
	it('invalid set-password links from one address: 429 with Retry-After, on the page and on the form', async () => {
		const { page } = await newPage();
		for (let i = 0; i < 4; i++) {
			const res = await page.goto(`${server.url}/account/set-password?token=rst_guess${i}`);
			expect(res?.status()).toBe(200);
			expect(await page.locator('[role=alert]').innerText()).toContain('invalid');
		}
		const locked = await page.goto(`${server.url}/account/set-password?token=rst_guess4`);
		expect(locked?.status()).toBe(429);
		expect(locked?.headers()['retry-after']).toBe('60');
		expect(await page.locator('[role=alert]').innerText()).toContain('Too many attempts');
		// The form post is refused the same way (same-origin, as a browser would send it).
		const post = await fetch(`${server.url}/account/set-password`, {
			method: 'POST',
			headers: {
				origin: server.url,
				accept: 'text/html',
				'content-type': 'application/x-www-form-urlencoded'
			},
			body: new URLSearchParams({ token: 'rst_guess5', password: PASSWORD, confirm: PASSWORD }).toString(),
			redirect: 'manual'
		});
		expect(post.status).toBe(429);
		expect(Number(post.headers.get('retry-after'))).toBeGreaterThan(0);
		expect(await post.text()).toContain('Too many attempts');
	});
});
