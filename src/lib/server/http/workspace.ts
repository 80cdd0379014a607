/**
 * The signed-in workspace's request helpers: the one guard (layout loads AND form actions call it,
 * because SvelteKit runs actions without the layout's load), a safe `next` for the sign-in
 * round trip, and the viewer the services decide on.
 */
import { redirect, type RequestEvent } from '@sveltejs/kit';
import type { RequestContext } from '../services/account.service';
import type { Viewer } from '../services/viewer';
import { getRuntime, type Runtime } from '../runtime';
import { webContext } from './request-context';

/**
 * A same-site path to return to after signing in, or '/workspace'. Only plain absolute paths are
 * kept: no scheme, no `//host` or `/\host` (browsers treat both as another site), no control
 * characters, and not the account pages themselves (no loops).
 */
export function safeNext(raw: string | null | undefined, fallback = '/workspace'): string {
	if (!raw || raw.length > 1_000) return fallback;
	if (!raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return fallback;
	// eslint-disable-next-line no-control-regex -- refusing control characters is the point
	if (/[\u0000-\u001F\u007F\\]/.test(raw)) return fallback;
	try {
		const u = new URL(raw, 'http://local.invalid');
		if (u.origin !== 'http://local.invalid' || u.pathname.startsWith('/account')) return fallback;
		return `${u.pathname}${u.search}`;
	} catch {
		return fallback;
	}
}

/** Sign-in URL that comes back to this page. */
export function signInUrl(url: URL): string {
	return `/account/sign-in?next=${encodeURIComponent(safeNext(`${url.pathname}${url.search}`))}`;
}

export interface WorkspaceRequest {
	viewer: Viewer & { kind: 'user' };
	ctx: RequestContext;
	services: Runtime['services'];
}

/**
 * The signed-in viewer of a workspace request, or a redirect: to sign-in (with `next`) without a
 * session, to the second-factor page while it is pending.
 */
export async function requireWorkspace(event: Pick<RequestEvent, 'locals' | 'url'>): Promise<WorkspaceRequest> {
	const { locals, url } = event;
	if (!locals.user) {
		if (locals.session) redirect(303, '/account/two-factor');
		redirect(303, signInUrl(url));
	}
	const { services } = await getRuntime();
	const viewer = (await services.workflow.viewerFor(locals.user, 'web')) as Viewer & { kind: 'user' };
	return { viewer, ctx: webContext(event), services };
}
