/** Streams export chunks as a file download. */
export function downloadResponse(chunks: AsyncIterable<string>, contentType: string, filename: string): Response {
	const encoder = new TextEncoder();
	const iterator = chunks[Symbol.asyncIterator]();
	const body = new ReadableStream<Uint8Array>({
		async pull(controller) {
			const { value, done } = await iterator.next();
			if (done) controller.close();
			else controller.enqueue(encoder.encode(value));
		},
		async cancel() {
			await iterator.return?.();
		}
	});
	return new Response(body, {
		headers: {
			'content-type': contentType,
			'content-disposition': `attachment; filename="${filename}"`,
			'cache-control': 'no-cache'
		}
	});
}

/** Query parameters that make no sense for a whole-filter download are dropped. */
export function exportParams(params: URLSearchParams): URLSearchParams {
	const p = new URLSearchParams(params);
	for (const k of ['limit', 'offset', 'cursor']) p.delete(k);
	return p;
}
