import { newRecordPage } from '$lib/server/http/record-pages';
import { requireWorkspace } from '$lib/server/http/workspace';
import type { Actions, PageServerLoad } from './$types';

const page = newRecordPage('practice');
export const load: PageServerLoad = async (event) => page.load(event, await requireWorkspace(event));
export const actions: Actions = {
	save: async (event) => page.actions.save(event, await requireWorkspace(event))
};
