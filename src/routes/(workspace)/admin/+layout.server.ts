import { requireAdmin } from './admin.server';
import type { LayoutServerLoad } from './$types';

// Admins only: others signed in get 403 (see admin.server.ts for why not 404); signed-out people
// are sent to sign in by the workspace guard, with the second factor required for admins.
export const load: LayoutServerLoad = async (event) => {
	await requireAdmin(event);
	return {};
};
