/**
 * A small loopback HTTP client for the page and throughput scenarios: keep-alive agents, time to
 * first byte, bytes as sent on the wire (compressed bodies are not decompressed), and a bounded
 * closed-loop load generator (N connections, each sending its next request when the last ends).
 */
import http from 'node:http';
import { gzipSync } from 'node:zlib';
import { summarize, type LatencyStats } from './stats';

export interface Fetched {
	status: number;
	ttfbMs: number;
	totalMs: number;
	/** Body bytes as transferred (compressed if the server compressed). */
	bytes: number;
	encoding: string | null;
	body: Buffer;
	contentType: string;
}

export function get(url: string, agent: http.Agent, gzip: boolean, keepBody = false): Promise<Fetched> {
	return new Promise((resolve, reject) => {
		const t0 = performance.now();
		const req = http.get(
			url,
			{ agent, headers: gzip ? { 'accept-encoding': 'gzip' } : { 'accept-encoding': 'identity' } },
			(res) => {
				const ttfb = performance.now() - t0;
				let bytes = 0;
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => {
					bytes += c.length;
					if (keepBody) chunks.push(c);
				});
				res.on('end', () =>
					resolve({
						status: res.statusCode ?? 0,
						ttfbMs: ttfb,
						totalMs: performance.now() - t0,
						bytes,
						encoding: (res.headers['content-encoding'] as string | undefined) ?? null,
						body: Buffer.concat(chunks),
						contentType: String(res.headers['content-type'] ?? '')
					})
				);
				res.on('error', reject);
			}
		);
		req.on('error', reject);
	});
}

/** CSS and JS the page links to (stylesheets, module preloads, scripts, inline dynamic imports). */
export function linkedAssets(html: string, pageUrl: string): { css: string[]; js: string[] } {
	const css = new Set<string>();
	const js = new Set<string>();
	for (const m of html.matchAll(/<link\b[^>]*>/g)) {
		const tag = m[0];
		const href = /href="([^"]+)"/.exec(tag)?.[1];
		if (!href) continue;
		if (/rel="stylesheet"/.test(tag)) css.add(new URL(href, pageUrl).href);
		else if (/rel="modulepreload"/.test(tag)) js.add(new URL(href, pageUrl).href);
	}
	for (const m of html.matchAll(/<script\b[^>]*src="([^"]+)"/g)) js.add(new URL(m[1]!, pageUrl).href);
	for (const m of html.matchAll(/import\(\s*["']([^"']+\.js)["']\s*\)/g)) js.add(new URL(m[1]!, pageUrl).href);
	return { css: [...css], js: [...js] };
}

export interface PageResult {
	path: string;
	status: number;
	/** Distinct URLs requested (the app caches facet counts per filter: each is a first visit). */
	urls: number;
	/** Server time ≈ time to first byte (SvelteKit renders the whole page before sending); first visits. */
	ttfb: LatencyStats;
	total: LatencyStats;
	/** The same URLs requested again (facet/total cache warm), with Accept-Encoding: gzip. */
	ttfbRepeat: LatencyStats;
	htmlBytes: number;
	/** As sent with Accept-Encoding: gzip (equal to htmlBytes when the server does not compress). */
	htmlBytesGzipServed: number;
	htmlServedEncoding: string | null;
	/** What gzip (level 6) would make of the HTML, for comparison. */
	htmlBytesIfGzipped: number;
	css: { files: number; bytes: number; bytesGzipServed: number; bytesIfGzipped: number };
	js: { files: number; bytes: number; bytesGzipServed: number; bytesIfGzipped: number };
	/** HTML + CSS + JS as served to a browser that accepts gzip. */
	totalBytesGzipServed: number;
	totalBytesUncompressed: number;
}

/**
 * Measures a page: warm-up on `warmPaths` (so the measured URLs are not cached yet), one first visit
 * per URL of `paths` (rotating when there are fewer URLs than runs), then the same URLs again.
 */
export async function measurePage(
	base: string,
	paths: readonly string[],
	warmPaths: readonly string[],
	label: string,
	opts: { warmup: number; runs: number; maxMs: number; minRuns: number }
): Promise<PageResult> {
	const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
	try {
		for (let i = 0; i < opts.warmup; i++) await get(base + warmPaths[i % warmPaths.length]!, agent, false);
		const ttfb: number[] = [];
		const total: number[] = [];
		const repeat: number[] = [];
		let status = 0;
		let t0 = performance.now();
		for (let i = 0; i < opts.runs; i++) {
			const r = await get(base + paths[i % paths.length]!, agent, false);
			status = Math.max(status, r.status);
			ttfb.push(r.ttfbMs);
			total.push(r.totalMs);
			if (ttfb.length >= opts.minRuns && performance.now() - t0 > opts.maxMs) break;
		}
		const wall = performance.now() - t0;
		t0 = performance.now();
		for (let i = 0; i < ttfb.length; i++) {
			repeat.push((await get(base + paths[i % paths.length]!, agent, true)).ttfbMs);
			if (repeat.length >= opts.minRuns && performance.now() - t0 > opts.maxMs / 3) break;
		}
		const wallRepeat = performance.now() - t0;

		// Bytes: the first path, as a browser would fetch it.
		const url = base + paths[0]!;
		const plain = await get(url, agent, false, true);
		const gz = await get(url, agent, true);
		const html = plain.body.toString('utf8');
		const assets = linkedAssets(html, url);
		const sizeOf = async (urls: string[]) => {
			const acc = { files: urls.length, bytes: 0, bytesGzipServed: 0, bytesIfGzipped: 0 };
			for (const u of urls) {
				const p = await get(u, agent, false, true);
				const g = await get(u, agent, true);
				acc.bytes += p.bytes;
				acc.bytesGzipServed += g.bytes;
				acc.bytesIfGzipped += gzipSync(p.body).length;
			}
			return acc;
		};
		const css = await sizeOf(assets.css);
		const js = await sizeOf(assets.js);
		return {
			path: label,
			status,
			urls: Math.min(paths.length, ttfb.length),
			ttfb: summarize(ttfb, wall),
			total: summarize(total, wall),
			ttfbRepeat: summarize(repeat, wallRepeat),
			htmlBytes: plain.bytes,
			htmlBytesGzipServed: gz.bytes,
			htmlServedEncoding: gz.encoding,
			htmlBytesIfGzipped: gzipSync(plain.body).length,
			css,
			js,
			totalBytesGzipServed: gz.bytes + css.bytesGzipServed + js.bytesGzipServed,
			totalBytesUncompressed: plain.bytes + css.bytes + js.bytes
		};
	} finally {
		agent.destroy();
	}
}

export interface LoadResult {
	path: string;
	connections: number;
	durationMs: number;
	requests: number;
	errors: number;
	non2xx: number;
	rps: number;
	latency: LatencyStats;
}

/** Closed-loop load: `connections` keep-alive connections for `durationMs`, rotating over `paths`. */
export async function loadTest(
	base: string,
	paths: readonly string[],
	label: string,
	connections: number,
	durationMs: number
): Promise<LoadResult> {
	const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
	const latencies: number[] = [];
	let errors = 0;
	let non2xx = 0;
	let next = 0;
	// Warm-up: one request per connection.
	await Promise.all(Array.from({ length: connections }, (_, i) => get(base + paths[i % paths.length]!, agent, true)));
	const started = performance.now();
	const deadline = started + durationMs;
	const worker = async () => {
		while (performance.now() < deadline) {
			const path = paths[next++ % paths.length]!;
			try {
				const r = await get(base + path, agent, true);
				latencies.push(r.totalMs);
				if (r.status < 200 || r.status >= 300) non2xx++;
			} catch {
				errors++;
			}
		}
	};
	await Promise.all(Array.from({ length: connections }, worker));
	const wall = performance.now() - started;
	agent.destroy();
	const latency = summarize(latencies, wall);
	return {
		path: label,
		connections,
		durationMs: Math.round(wall),
		requests: latencies.length,
		errors,
		non2xx,
		rps: latency.throughput,
		latency
	};
}
