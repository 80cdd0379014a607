import { describe, expect, it } from 'vitest';
import { clientAddress } from './client-address';

describe('clientAddress', () => {
	it('ignores X-Forwarded-For from a peer that is not a trusted proxy (no spoofing)', () => {
		expect(clientAddress('203.0.113.9', '1.2.3.4', [])).toBe('203.0.113.9');
		expect(clientAddress('203.0.113.9', '1.2.3.4', ['10.0.0.1'])).toBe('203.0.113.9');
	});

	it('takes the nearest untrusted hop when the peer is a trusted proxy', () => {
		expect(clientAddress('10.0.0.1', '198.51.100.7', ['10.0.0.1'])).toBe('198.51.100.7');
		// A client-supplied first entry cannot win over what our proxies appended.
		expect(clientAddress('10.0.0.1', '1.2.3.4, 198.51.100.7, 10.0.0.2', ['10.0.0.1', '10.0.0.2'])).toBe('198.51.100.7');
	});

	it('falls back to the peer on garbage and normalises IPv4-mapped IPv6', () => {
		expect(clientAddress('10.0.0.1', 'not-an-ip', ['10.0.0.1'])).toBe('10.0.0.1');
		expect(clientAddress('::ffff:10.0.0.1', '2001:DB8::1', ['10.0.0.1'])).toBe('2001:db8::1');
		expect(clientAddress('10.0.0.1', null, ['10.0.0.1'])).toBe('10.0.0.1');
	});
});
