/**
 * The session cookie: `__Host-gcm_session` over HTTPS (Secure, no Domain, Path=/ as the prefix
 * requires), `gcm_session` over plain HTTP (local use). HttpOnly and SameSite=Lax either way
 * (ASVS 3.3.1–3.3.4). It carries the random token; the database has only its SHA-256.
 */
import type { Cookies } from '@sveltejs/kit';

export function sessionCookieName(url: URL): string {
	return url.protocol === 'https:' ? '__Host-gcm_session' : 'gcm_session';
}

export function readSessionToken(cookies: Cookies, url: URL): string | null {
	return cookies.get(sessionCookieName(url)) ?? null;
}

export function setSessionCookie(cookies: Cookies, url: URL, token: string, expiresAt: Date): void {
	cookies.set(sessionCookieName(url), token, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: url.protocol === 'https:',
		expires: expiresAt
	});
}

export function clearSessionCookie(cookies: Cookies, url: URL): void {
	cookies.delete(sessionCookieName(url), {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: url.protocol === 'https:'
	});
}
