/** Helpers for /api/v1 routes: JSON responses and one error path to problem details. */
import type { RequestEvent } from '@sveltejs/kit';
import type { Logger } from 'pino';
import { getRuntime, type Runtime } from '../runtime';
import { problemResponse, toProblem } from './problem';

export function json(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Response {
	return new Response(JSON.stringify(body), {
		status: init.status ?? 200,
		headers: { 'content-type': 'application/json; charset=utf-8', ...init.headers }
	});
}

/** Wraps an API handler: gets the runtime, maps thrown errors to RFC 9457 problem details. */
export function apiRoute(fn: (event: RequestEvent, runtime: Runtime) => Promise<Response>) {
	return async (event: RequestEvent): Promise<Response> => {
		let logger: Logger | undefined;
		try {
			const runtime = await getRuntime();
			logger = runtime.logger;
			return await fn(event, runtime);
		} catch (err) {
			const problem = toProblem(err, event.locals.requestId, event.url.pathname);
			if (problem.status >= 500) logger?.error({ err, requestId: event.locals.requestId }, 'API request failed');
			return problemResponse(problem);
		}
	};
}
