/** What the account service needs to know about a web request (audit row, rate limiter). */
import type { RequestEvent } from '@sveltejs/kit';
import type { RequestContext } from '../services/account.service';

export function webContext(event: Pick<RequestEvent, 'locals'>): RequestContext {
	return { channel: 'web', requestId: event.locals.requestId, clientAddress: event.locals.clientAddress };
}

/** A form field as a string ('' when missing or a file), capped in length. */
export function field(form: FormData, name: string, max = 1024): string {
	const v = form.get(name);
	return typeof v === 'string' ? v.slice(0, max) : '';
}
