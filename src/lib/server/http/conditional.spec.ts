import { describe, expect, it } from 'vitest';
import { ifNoneMatch, publicDownload, publicJson, strongEtag, weakEtag } from './conditional';

const get = (headers: Record<string, string> = {}) => new Request('http://localhost/api/v1/assessments', { headers });

async function* chunks(...parts: string[]): AsyncGenerator<string> {
	for (const p of parts) yield p;
}

describe('ETags', () => {
	it('a strong ETag is the quoted hash of the text: same text, same tag; other text, other tag', () => {
		const tag = strongEtag('{"a":1}');
		expect(tag).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
		expect(strongEtag('{"a":1}')).toBe(tag);
		expect(strongEtag('{"a":2}')).not.toBe(tag);
		expect(strongEtag('مرحبا 移民')).not.toBe(strongEtag('مرحبا 移'));
		expect(weakEtag('{"a":1}')).toBe(`W/${tag}`);
	});

	it('If-None-Match: weak comparison, lists, * and junk (RFC 9110 §13.1.2)', () => {
		const tag = strongEtag('x');
		expect(ifNoneMatch(null, tag)).toBe(false);
		expect(ifNoneMatch('', tag)).toBe(false);
		expect(ifNoneMatch(tag, tag)).toBe(true);
		expect(ifNoneMatch(`W/${tag}`, tag)).toBe(true);
		expect(ifNoneMatch(tag, `W/${tag}`)).toBe(true);
		expect(ifNoneMatch(`"other", ${tag}`, tag)).toBe(true);
		expect(ifNoneMatch('"other", W/"more"', tag)).toBe(false);
		expect(ifNoneMatch(' * ', tag)).toBe(true);
		expect(ifNoneMatch(tag.slice(1, -1), tag)).toBe(false);
		expect(ifNoneMatch('<script>', tag)).toBe(false);
	});
});

describe('publicJson', () => {
	const body = { total: 1, items: [{ id: 'a', title: '<b>Demoland</b> ديمولاند' }] };

	it('200 with the JSON, a strong ETag of its bytes and Cache-Control: no-cache', async () => {
		const res = publicJson(get(), body);
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
		expect(res.headers.get('cache-control')).toBe('no-cache');
		const text = await res.text();
		expect(JSON.parse(text)).toEqual(body);
		expect(res.headers.get('etag')).toBe(strongEtag(text));
	});

	it('304 without a body when If-None-Match names the current ETag; 200 for an old one', async () => {
		const etag = publicJson(get(), body).headers.get('etag') ?? '';
		const same = publicJson(get({ 'if-none-match': etag }), body);
		expect(same.status).toBe(304);
		expect(same.headers.get('etag')).toBe(etag);
		expect(same.headers.get('cache-control')).toBe('no-cache');
		expect(await same.text()).toBe('');
		const changed = publicJson(get({ 'if-none-match': etag }), { ...body, total: 2 });
		expect(changed.status).toBe(200);
		expect(changed.headers.get('etag')).not.toBe(etag);
	});
});

describe('publicDownload', () => {
	it('reads the body once, tags its bytes (strong) and keeps the download headers', async () => {
		const res = await publicDownload(get(), chunks('a,b\n', '1,2\n'), 'text/csv; charset=utf-8', 'x.csv');
		expect(res.status).toBe(200);
		expect(res.headers.get('content-disposition')).toBe('attachment; filename="x.csv"');
		expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		expect(res.headers.get('cache-control')).toBe('no-cache');
		expect(res.headers.get('etag')).toBe(strongEtag('a,b\n1,2\n'));
		expect(await res.text()).toBe('a,b\n1,2\n');
		const again = await publicDownload(
			get({ 'if-none-match': strongEtag('a,b\n1,2\n') }),
			chunks('a,b\n1,2\n'),
			'text/csv',
			'x.csv'
		);
		expect(again.status).toBe(304);
		expect(await again.text()).toBe('');
	});

	it('with the data given, the ETag is weak and ignores the timestamp in the body', async () => {
		const data = JSON.stringify([['a'], [{ a: 1 }]]);
		const first = await publicDownload(get(), chunks('{"generated_at":"1"}'), 'application/json', 'x.json', data);
		const second = await publicDownload(get(), chunks('{"generated_at":"2"}'), 'application/json', 'x.json', data);
		expect(first.headers.get('etag')).toMatch(/^W\/"/);
		expect(second.headers.get('etag')).toBe(first.headers.get('etag'));
		expect(await second.text()).toBe('{"generated_at":"2"}');
		const cached = await publicDownload(
			get({ 'if-none-match': first.headers.get('etag') ?? '' }),
			chunks('{"generated_at":"3"}'),
			'application/json',
			'x.json',
			data
		);
		expect(cached.status).toBe(304);
		const other = await publicDownload(
			get({ 'if-none-match': first.headers.get('etag') ?? '' }),
			chunks('{}'),
			'application/json',
			'x.json',
			JSON.stringify([['a'], [{ a: 2 }]])
		);
		expect(other.status).toBe(200);
	});
});
