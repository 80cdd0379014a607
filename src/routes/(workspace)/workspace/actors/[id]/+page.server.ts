import { recordPage } from '$lib/server/http/record-pages';
import { requireWorkspace } from '$lib/server/http/workspace';
import type { Actions, PageServerLoad } from './$types';

const page = recordPage('actor');
export const load: PageServerLoad = async (event) => page.load(event, await requireWorkspace(event));
export const actions: Actions = {
	step: async (event) => page.actions.step(event, await requireWorkspace(event))
};
