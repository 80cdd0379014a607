import { describe, expect, it } from 'vitest';
import { safeNext, signInUrl } from './workspace';

describe('safeNext', () => {
	it('keeps same-site paths with their query', () => {
		expect(safeNext('/workspace/initiatives/abc?done=saved')).toBe('/workspace/initiatives/abc?done=saved');
		expect(safeNext('/initiatives')).toBe('/initiatives');
	});

	it.each([
		null,
		'',
		'https://evil.example/',
		'//evil.example/x',
		'/\\evil.example',
		'javascript:alert(1)',
		'/workspace\nLocation: x',
		'/account/sign-in?next=/account',
		'x'.repeat(2_000)
	])('falls back for %j', (raw) => {
		expect(safeNext(raw)).toBe('/workspace');
	});

	it('builds a sign-in link that comes back', () => {
		expect(signInUrl(new URL('http://h/workspace/initiatives/1?x=1'))).toBe(
			'/account/sign-in?next=%2Fworkspace%2Finitiatives%2F1%3Fx%3D1'
		);
	});
});
