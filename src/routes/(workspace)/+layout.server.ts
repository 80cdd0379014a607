import { requireWorkspace } from '$lib/server/http/workspace';
import type { LayoutServerLoad } from './$types';

// The one auth guard of the signed-in pages: no session → sign-in (coming back here), second
// factor pending → the two-factor page. Form actions call requireWorkspace() themselves, because
// SvelteKit runs an action without running this load first.
export const load: LayoutServerLoad = async (event) => {
	const { viewer, services } = await requireWorkspace(event);
	return {
		workspaceNav: {
			role: viewer.user.role,
			suggestions: services.suggestions.canTriage(viewer)
		}
	};
};
