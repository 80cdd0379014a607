import { requireWorkspace } from '$lib/server/http/workspace';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { viewer, services } = await requireWorkspace(event);
	const rows = await services.assessments.listMyAssessments(viewer);
	const { role, countries } = viewer.user;
	return {
		assessments: rows.map((r) => ({
			id: r.id,
			country: r.country,
			edition: r.edition,
			perspective: r.perspective,
			status: r.status,
			title: r.title,
			fictional: r.fictional,
			updatedAt: r.updatedAt.toISOString(),
			relations: r.relations
		})),
		// A hint for showing the link; the service decides (country coordinators and admins create).
		canCreate: role === 'admin' || (role === 'coordinator' && countries.length > 0)
	};
};
