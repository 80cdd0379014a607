import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { directionOf, isLocale, negotiateLocale, type Locale } from '$lib/i18n';
import { apiContext, apiProblemResponse, usesBearer } from '$lib/server/http/bearer';
import { clientAddress } from '$lib/server/http/client-address';
import { clearSessionCookie, readSessionToken } from '$lib/server/http/session-cookie';
import { getRuntime } from '$lib/server/runtime';
import { actorOf } from '$lib/server/services/account.service';
import { describeDeniedRequest } from '$lib/server/services/admin.service';

export const init: ServerInit = async () => {
	await getRuntime();
};

const LOCALE_COOKIE = 'lang';

function pickLocale(event: Parameters<Handle>[0]['event']): Locale {
	const asked = event.url.searchParams.get('lang');
	if (isLocale(asked)) {
		// A language chosen by link (works without JavaScript) is remembered for a year.
		event.cookies.set(LOCALE_COOKIE, asked, {
			path: '/',
			maxAge: 60 * 60 * 24 * 365,
			httpOnly: true,
			sameSite: 'lax',
			secure: false
		});
		return asked;
	}
	const saved = event.cookies.get(LOCALE_COOKIE);
	if (isLocale(saved)) return saved;
	return negotiateLocale(event.request.headers.get('accept-language'));
}

function peerAddress(event: Parameters<Handle>[0]['event'], trustedProxies: readonly string[]): string {
	let peer: string;
	try {
		peer = event.getClientAddress();
	} catch {
		peer = 'unknown';
	}
	return clientAddress(peer, event.request.headers.get('x-forwarded-for'), trustedProxies);
}

/**
 * The Bearer path: an /api request with an Authorization header authenticates by API token only.
 * Cookies (session and language) are never read, so a request carrying both a valid session and a
 * bad token is refused (401), and a refused token never falls back to the cookie.
 */
async function authenticateBearer(
	event: Parameters<Handle>[0]['event'],
	services: Awaited<ReturnType<typeof getRuntime>>['services']
): Promise<Response | null> {
	event.locals.session = null;
	event.locals.user = null;
	event.locals.apiToken = null;
	try {
		event.locals.apiToken = await services.apiTokens.authenticate(
			apiContext(event),
			event.request.headers.get('authorization') ?? ''
		);
		return null;
	} catch (err) {
		const response = apiProblemResponse(err, event.locals.requestId, event.url.pathname);
		if (response.status >= 500) {
			const { logger } = await getRuntime();
			logger.error({ err, requestId: event.locals.requestId }, 'bearer authentication failed');
		}
		return response;
	}
}

export const handle: Handle = async ({ event, resolve }) => {
	event.locals.requestId = crypto.randomUUID();
	const bearer = usesBearer(event.url.pathname, event.request.headers);
	const locale = bearer ? negotiateLocale(event.request.headers.get('accept-language')) : pickLocale(event);
	event.locals.locale = locale;

	const { config, services } = await getRuntime();
	event.locals.clientAddress = peerAddress(event, config.trustedProxies);
	let refused: Response | null = null;
	if (bearer) {
		refused = await authenticateBearer(event, services);
	} else {
		event.locals.apiToken = null;
		const token = readSessionToken(event.cookies, event.url);
		const session = token ? await services.accounts.validateSession(token) : null;
		if (token && !session) clearSessionCookie(event.cookies, event.url);
		event.locals.session = session ? { user: session.user, mfa: session.mfa } : null;
		event.locals.user = session?.mfa === 'ok' ? session.user : null;
	}

	const response =
		refused ??
		(await resolve(event, {
			transformPageChunk: ({ html }) => html.replace('%lang%', locale).replace('%dir%', directionOf(locale))
		}));

	// A refused write by a signed-in person or a token (403 from any form action or API route) leaves
	// an `access.denied` audit row (ASVS 16.3.2), written here once for every route, in its own
	// transaction since the refused change rolled back. 404 refusals stay silent by design (they
	// answer like a missing record). A failure to record is logged, never turned into an error.
	if (response.status === 403 && !['GET', 'HEAD', 'OPTIONS'].includes(event.request.method)) {
		const who = event.locals.user ?? event.locals.apiToken?.user ?? null;
		if (who) {
			const ctx = {
				channel: event.locals.apiToken ? ('api' as const) : ('web' as const),
				requestId: event.locals.requestId,
				clientAddress: event.locals.clientAddress
			};
			const attempt = describeDeniedRequest({
				method: event.request.method,
				routeId: event.route.id,
				path: event.url.pathname,
				params: event.params,
				search: event.url.search,
				status: response.status
			});
			await services.admin.recordDenied(ctx, actorOf(who), attempt).catch(async (err: unknown) => {
				const { logger } = await getRuntime();
				logger.error({ err, requestId: event.locals.requestId }, 'could not record a denied request');
			});
		}
	}

	const h = response.headers;
	h.set('x-request-id', event.locals.requestId);
	h.set('x-content-type-options', 'nosniff');
	// same-origin, not no-referrer: with no-referrer Chromium sends `Origin: null` on same-site form posts,
	// which the CSRF check must refuse. Other sites still never see our URLs (tokens stay private).
	h.set('referrer-policy', 'same-origin');
	h.set('x-frame-options', 'DENY');
	h.set('cross-origin-opener-policy', 'same-origin');
	h.set('cross-origin-resource-policy', 'same-origin');
	h.set('permissions-policy', 'camera=(), microphone=(), geolocation=(), interest-cohort=()');
	// Pages for a signed-in user, and the account pages, are never stored by any cache (ASVS 14.3.2).
	if (event.locals.session || event.url.pathname.startsWith('/account')) {
		h.set('cache-control', 'no-store');
	}
	// API answers can differ with the token (records it may read), and never outlive it in a cache.
	if (event.url.pathname.startsWith('/api/')) h.append('vary', 'Authorization');
	if (bearer) h.set('cache-control', 'no-store');
	if ((h.get('content-type') ?? '').startsWith('text/html')) {
		h.append('vary', 'Cookie, Accept-Language');
		if (!h.has('cache-control')) h.set('cache-control', 'no-cache');
	}
	return response;
};

export const handleError: HandleServerError = async ({ error, event, status }) => {
	const requestId = event.locals.requestId ?? crypto.randomUUID();
	if (status >= 500) {
		const { logger } = await getRuntime().catch(() => ({ logger: null }));
		if (logger) logger.error({ err: error, requestId, path: event.url.pathname }, 'request failed');
		else console.error(error);
	}
	return { message: status === 404 ? 'Not found' : 'Internal error', requestId };
};
