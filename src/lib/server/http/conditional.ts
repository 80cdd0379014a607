/**
 * Conditional GET for published data in the API (RFC 9110 §8.8.3, §13.1.2): an ETag computed from
 * what is sent, 304 Not Modified when If-None-Match names it, and `Cache-Control: no-cache` (as the
 * registry downloads): a cache may keep the answer but asks again every time, so an unpublished
 * assessment never outlives its publication in a cache — the 304 only saves the transfer.
 *
 * The ETag is strong (a hash of the exact bytes) except for downloads whose body carries the time of
 * the request (the JSON exports' `generated_at`): those get a weak ETag of the data they contain.
 * Requests with a bearer token get `no-store` from the hook, ETag or not.
 */
import { createHash } from 'node:crypto';
import { downloadResponse } from './download';

export const PUBLIC_DATA_CACHE = 'no-cache';

/** A strong ETag: the quoted SHA-256 of the text (base64url, 32 characters). */
export function strongEtag(text: string): string {
	return `"${createHash('sha256').update(text).digest('base64url').slice(0, 32)}"`;
}

/** A weak ETag (W/"…") of data whose representation may differ in ways that do not matter. */
export function weakEtag(text: string): string {
	return `W/${strongEtag(text)}`;
}

/**
 * Whether If-None-Match names the current ETag, by weak comparison (RFC 9110 §13.1.2: W/ is
 * ignored); `*` matches any current representation. Anything that is not an entity tag is ignored.
 */
export function ifNoneMatch(header: string | null, etag: string): boolean {
	const value = header?.trim() ?? '';
	if (value === '') return false;
	if (value === '*') return true;
	const opaque = (tag: string) => tag.replace(/^W\//, '');
	const current = opaque(etag);
	return [...value.matchAll(/(?:W\/)?"[^"]*"/g)].some((m) => opaque(m[0]) === current);
}

/** 304: no body, with the validator and caching headers a 200 would carry (RFC 9110 §15.4.5). */
function notModified(etag: string): Response {
	return new Response(null, { status: 304, headers: { etag, 'cache-control': PUBLIC_DATA_CACHE } });
}

/** Published data as JSON, with a strong ETag of its bytes; 304 when If-None-Match names it. */
export function publicJson(request: Request, body: unknown): Response {
	const text = JSON.stringify(body);
	const etag = strongEtag(text);
	if (ifNoneMatch(request.headers.get('if-none-match'), etag)) return notModified(etag);
	return new Response(text, {
		headers: { 'content-type': 'application/json; charset=utf-8', etag, 'cache-control': PUBLIC_DATA_CACHE }
	});
}

async function* once(text: string): AsyncGenerator<string> {
	yield text;
}

/**
 * A download of published data with its ETag; 304 when If-None-Match names it. Without
 * `data` the whole body is read first and its hash is a strong ETag. With it (the body has a
 * timestamp of its own), the ETag is weak and taken from `data`, the data the body shows.
 */
export async function publicDownload(
	request: Request,
	chunks: AsyncIterable<string>,
	contentType: string,
	filename: string,
	data?: string
): Promise<Response> {
	let etag: string;
	let body: AsyncIterable<string>;
	if (data === undefined) {
		let text = '';
		for await (const chunk of chunks) text += chunk;
		etag = strongEtag(text);
		body = once(text);
	} else {
		etag = weakEtag(data);
		body = chunks;
	}
	if (ifNoneMatch(request.headers.get('if-none-match'), etag)) return notModified(etag);
	const response = downloadResponse(body, contentType, filename);
	response.headers.set('etag', etag);
	response.headers.set('cache-control', PUBLIC_DATA_CACHE);
	return response;
}
