/**
 * Every route of the app, classified (research T1.2). tests/integration/route-inventory.spec.ts
 * fails when a route under src/routes is missing here (or listed here but gone), so a new page or
 * endpoint has to be classified on purpose; tests/e2e/security.spec.ts requests every non-public
 * one signed out and posts every form action signed out.
 *
 * Keys are route directories relative to src/routes (groups included, '' for the root).
 */

export type RouteClass =
	/** Public read pages: published data only, no form actions. */
	| 'public'
	/** The public suggestion form: anyone may post (rate-limited, honeypot); it never publishes. */
	| 'public-form'
	/** Account pages meant for signed-out people (sign in, set a password through a link). */
	| 'account-open'
	/** Account pages that need a session: signed out, they send people to sign in. */
	| 'account'
	/** Signed-in pages under the (workspace) guard layout. */
	| 'workspace'
	/** Admin pages: under the (workspace) guard and the admin guard (requireAdmin). */
	| 'admin'
	/** JSON API, GET only: public data. */
	| 'api-public'
	/** JSON API with writes: every POST/PUT/PATCH/DELETE goes through tokenRoute (bearer token only). */
	| 'api-token'
	/** The root layout, the error page and the API's 404 fallback. */
	| 'shell';

export interface RouteEntry {
	class: RouteClass;
	/**
	 * A concrete URL for the e2e checks, with placeholders filled from the fixtures: {initiative},
	 * {practice} and {actor} (unpublished records), {assessment}, {user}, {organisation}.
	 */
	path?: string;
	/** How the e2e requests `path` (an endpoint that only answers POST is posted as a form). */
	method?: 'GET' | 'POST';
	/** Form actions of +page.server.ts (`default` for an unnamed one); the inventory checks the file. */
	actions?: readonly string[];
}

export const ROUTES: Readonly<Record<string, RouteEntry>> = {
	'': { class: 'shell' },
	'api/[...rest]': { class: 'shell' },

	'(public)': { class: 'public' },
	'(public)/benchmarks': { class: 'public' },
	'(public)/benchmarks/[iso3]': { class: 'public' },
	'(public)/benchmarks/compare': { class: 'public' },
	'(public)/countries': { class: 'public' },
	'(public)/countries/[iso3]': { class: 'public' },
	'(public)/data': { class: 'public' },
	'(public)/initiatives': { class: 'public' },
	'(public)/initiatives/[id]': { class: 'public' },
	'(public)/initiatives/suggest': { class: 'public-form', path: '/initiatives/suggest', actions: ['default'] },
	'(public)/initiatives/suggest/thanks': { class: 'public' },
	'(public)/methodology': { class: 'public' },
	'(public)/objectives': { class: 'public' },
	'(public)/objectives/[n]': { class: 'public' },
	'(public)/practices': { class: 'public' },
	'(public)/actors': { class: 'public' },
	'(public)/actors/[id]': { class: 'public' },

	'(account)/account/sign-in': { class: 'account-open', path: '/account/sign-in', actions: ['default'] },
	'(account)/account/set-password': { class: 'account-open', path: '/account/set-password', actions: ['default'] },
	'(account)/account': { class: 'account', path: '/account', actions: ['password'] },
	'(account)/account/sign-out': { class: 'account', path: '/account/sign-out', actions: ['default'] },
	'(account)/account/tokens': { class: 'account', path: '/account/tokens', actions: ['create', 'revoke'] },
	'(account)/account/two-factor': {
		class: 'account',
		path: '/account/two-factor',
		actions: ['start', 'confirm', 'verify']
	},

	'(workspace)': { class: 'workspace' },
	'(workspace)/workspace': { class: 'workspace', path: '/workspace' },
	'(workspace)/workspace/initiatives/new': {
		class: 'workspace',
		path: '/workspace/initiatives/new',
		actions: ['save']
	},
	'(workspace)/workspace/initiatives/[id]': {
		class: 'workspace',
		path: '/workspace/initiatives/{initiative}',
		actions: ['step']
	},
	'(workspace)/workspace/initiatives/[id]/edit': {
		class: 'workspace',
		path: '/workspace/initiatives/{initiative}/edit',
		actions: ['save']
	},
	// Practices and actors (issue #3), with the ids of unpublished records.
	'(workspace)/workspace/practices/new': { class: 'workspace', path: '/workspace/practices/new', actions: ['save'] },
	'(workspace)/workspace/practices/[id]': {
		class: 'workspace',
		path: '/workspace/practices/{practice}',
		actions: ['step']
	},
	'(workspace)/workspace/practices/[id]/edit': {
		class: 'workspace',
		path: '/workspace/practices/{practice}/edit',
		actions: ['save']
	},
	'(workspace)/workspace/actors/new': { class: 'workspace', path: '/workspace/actors/new', actions: ['save'] },
	'(workspace)/workspace/actors/[id]': {
		class: 'workspace',
		path: '/workspace/actors/{actor}',
		actions: ['step']
	},
	'(workspace)/workspace/actors/[id]/edit': {
		class: 'workspace',
		path: '/workspace/actors/{actor}/edit',
		actions: ['save']
	},
	'(workspace)/workspace/suggestions': {
		class: 'workspace',
		path: '/workspace/suggestions',
		actions: ['accept', 'reject']
	},
	'(workspace)/workspace/assessments': { class: 'workspace', path: '/workspace/assessments' },
	'(workspace)/workspace/assessments/new': {
		class: 'workspace',
		path: '/workspace/assessments/new',
		actions: ['create']
	},
	'(workspace)/workspace/assessments/[id]': {
		class: 'workspace',
		path: '/workspace/assessments/{assessment}',
		actions: ['step', 'addResearcher']
	},
	'(workspace)/workspace/assessments/[id]/desk/[n]': {
		class: 'workspace',
		path: '/workspace/assessments/{assessment}/desk/1',
		actions: ['save', 'check']
	},
	'(workspace)/workspace/assessments/[id]/experts': {
		class: 'workspace',
		path: '/workspace/assessments/{assessment}/experts',
		actions: ['invite']
	},
	'(workspace)/workspace/assessments/[id]/ratings': {
		class: 'workspace',
		path: '/workspace/assessments/{assessment}/ratings',
		actions: ['save', 'declare', 'submit']
	},
	'(workspace)/workspace/assessments/[id]/templates': {
		class: 'workspace',
		path: '/workspace/assessments/{assessment}/templates',
		actions: ['desk_xlsx', 'desk_csv', 'ratings_xlsx', 'ratings_csv', 'ratings_for']
	},
	'(workspace)/workspace/assessments/[id]/templates/[file]': {
		class: 'workspace',
		path: '/workspace/assessments/{assessment}/templates/desk.xlsx'
	},
	'(workspace)/workspace/assessments/[id]/validation': {
		class: 'workspace',
		path: '/workspace/assessments/{assessment}/validation',
		actions: ['step']
	},

	'(workspace)/admin': { class: 'admin', path: '/admin' },
	'(workspace)/admin/users': { class: 'admin', path: '/admin/users', actions: ['invite'] },
	'(workspace)/admin/users/[id]': {
		class: 'admin',
		path: '/admin/users/{user}',
		actions: [
			'role',
			'status',
			'end_sessions',
			'reset_two_factor',
			'reset',
			'countries',
			'membership',
			'remove_membership'
		]
	},
	'(workspace)/admin/organisations': { class: 'admin', path: '/admin/organisations', actions: ['create'] },
	'(workspace)/admin/organisations/[id]': {
		class: 'admin',
		path: '/admin/organisations/{organisation}',
		actions: ['update']
	},
	'(workspace)/admin/tokens': { class: 'admin', path: '/admin/tokens', actions: ['revoke'] },
	'(workspace)/admin/audit': { class: 'admin', path: '/admin/audit' },
	'(workspace)/admin/audit/export': { class: 'admin', path: '/admin/audit/export', method: 'POST' },

	'api/v1/assessments': { class: 'api-public' },
	'api/v1/assessments/[id]': { class: 'api-public' },
	'api/v1/benchmarks/countries/[iso3]': { class: 'api-public' },
	'api/v1/benchmarks/evidence.csv': { class: 'api-public' },
	'api/v1/benchmarks/evidence.json': { class: 'api-public' },
	'api/v1/benchmarks/objectives/[n]': { class: 'api-public' },
	'api/v1/benchmarks/scores.csv': { class: 'api-public' },
	'api/v1/benchmarks/scores.json': { class: 'api-public' },
	'api/v1/countries': { class: 'api-public' },
	'api/v1/countries/[iso3]': { class: 'api-public' },
	'api/v1/initiatives/export.csv': { class: 'api-public' },
	'api/v1/initiatives/export.json': { class: 'api-public' },
	'api/v1/methodologies': { class: 'api-public' },
	'api/v1/methodologies/[key]/[version]': { class: 'api-public' },
	'api/v1/objectives': { class: 'api-public' },
	'api/v1/objectives/[number]': { class: 'api-public' },
	'api/v1/openapi.json': { class: 'api-public' },
	// Practices and actors (issue #3): POST creates, PATCH …/{id} edits, POST …/{id}/{step} runs a step.
	'api/v1/practices': { class: 'api-token', path: '/api/v1/practices' },
	'api/v1/practices/[id]': { class: 'api-token', path: '/api/v1/practices/{practice}' },
	'api/v1/practices/[id]/[step]': { class: 'api-token', path: '/api/v1/practices/{practice}/submit' },
	'api/v1/actors': { class: 'api-token', path: '/api/v1/actors' },
	'api/v1/actors/[id]': { class: 'api-token', path: '/api/v1/actors/{actor}' },
	'api/v1/actors/[id]/[step]': { class: 'api-token', path: '/api/v1/actors/{actor}/submit' },
	'api/v1/reference': { class: 'api-public' },
	'api/v1/initiatives': { class: 'api-token', path: '/api/v1/initiatives' },
	'api/v1/initiatives/[id]': { class: 'api-token', path: '/api/v1/initiatives/{initiative}' },
	'api/v1/initiatives/[id]/history': { class: 'api-public' },
	'api/v1/initiatives/[id]/approve': { class: 'api-token', path: '/api/v1/initiatives/{initiative}/approve' },
	'api/v1/initiatives/[id]/archive': { class: 'api-token', path: '/api/v1/initiatives/{initiative}/archive' },
	'api/v1/initiatives/[id]/publish': { class: 'api-token', path: '/api/v1/initiatives/{initiative}/publish' },
	'api/v1/initiatives/[id]/request-changes': {
		class: 'api-token',
		path: '/api/v1/initiatives/{initiative}/request-changes'
	},
	'api/v1/initiatives/[id]/submit': { class: 'api-token', path: '/api/v1/initiatives/{initiative}/submit' },
	'api/v1/initiatives/[id]/unpublish': { class: 'api-token', path: '/api/v1/initiatives/{initiative}/unpublish' }
};

/** The classes whose pages and actions must refuse signed-out people. */
export const GUARDED: readonly RouteClass[] = ['account', 'workspace', 'admin'];

/** Fills {placeholders} of a table path. */
export function concretePath(path: string, ids: Record<string, string>): string {
	return path.replace(/\{(\w+)\}/g, (_, k: string) => {
		const v = ids[k];
		if (v === undefined) throw new Error(`no fixture id for {${k}}`);
		return v;
	});
}
