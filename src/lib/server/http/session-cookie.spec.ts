import type { Cookies } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { clearSessionCookie, sessionCookieName, setSessionCookie } from './session-cookie';

function recorder() {
	const calls: { name: string; value: string; opts: Record<string, unknown> }[] = [];
	const cookies = {
		set: (name: string, value: string, opts: Record<string, unknown>) => calls.push({ name, value, opts }),
		delete: (name: string, opts: Record<string, unknown>) => calls.push({ name, value: '', opts })
	} as unknown as Cookies;
	return { cookies, calls };
}

describe('session cookie', () => {
	it('uses the __Host- prefix with Secure over https only', () => {
		expect(sessionCookieName(new URL('https://obs.example.org/'))).toBe('__Host-gcm_session');
		expect(sessionCookieName(new URL('http://127.0.0.1:3000/'))).toBe('gcm_session');
		const { cookies, calls } = recorder();
		const expires = new Date('2026-01-01T12:00:00Z');
		setSessionCookie(cookies, new URL('https://obs.example.org/account'), 'tok', expires);
		expect(calls[0]).toEqual({
			name: '__Host-gcm_session',
			value: 'tok',
			opts: { path: '/', httpOnly: true, sameSite: 'lax', secure: true, expires }
		});
		setSessionCookie(cookies, new URL('http://127.0.0.1:3000/'), 'tok', expires);
		expect(calls[1]?.opts).toMatchObject({ path: '/', httpOnly: true, sameSite: 'lax', secure: false });
		clearSessionCookie(cookies, new URL('https://obs.example.org/'));
		expect(calls[2]).toMatchObject({ name: '__Host-gcm_session', opts: { path: '/', secure: true } });
	});
});
