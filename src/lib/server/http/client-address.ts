/**
 * The client's IP address for rate limiting and audit (ASVS 4.1.3, 15.3.4): X-Forwarded-For is
 * believed only when the direct peer is a configured trusted proxy; otherwise anyone could reset
 * their counter by sending a different header.
 */
import { isIP } from 'node:net';

function normalize(address: string): string {
	const a = address.trim();
	const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(a);
	return (mapped?.[1] ?? a).toLowerCase();
}

export function clientAddress(peer: string, forwardedFor: string | null, trustedProxies: readonly string[]): string {
	const direct = normalize(peer);
	const trusted = new Set(trustedProxies.map(normalize));
	if (!forwardedFor || !trusted.has(direct)) return direct;
	// Right to left: the nearest hop not added by one of our proxies is the client.
	const hops = forwardedFor
		.split(',')
		.map(normalize)
		.filter((h) => h !== '');
	for (let i = hops.length - 1; i >= 0; i--) {
		const hop = hops[i] as string;
		if (isIP(hop) === 0) return direct;
		if (!trusted.has(hop)) return hop;
	}
	return hops[0] ?? direct;
}
