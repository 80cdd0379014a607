import { requireWorkspace } from '$lib/server/http/workspace';
import { navOf, stepsFor } from '../../assessment-forms';
import { headerOf, pageError, stepAction } from '../../assessment-route.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { viewer, services } = await requireWorkspace(event);
	// Coordinators and admins, once the panel is closed (the service says FORBIDDEN before: a 403).
	const v = await services.assessments.getValidation(viewer, event.params.id).catch(pageError);
	const a = v.assessment;
	return {
		header: headerOf(a),
		nav: navOf(a.relations, v.permissions, viewer.user.role === 'admin'),
		steps: stepsFor(a.status, v.permissions).filter((s) => s === 'publish' || s === 'reopenPanel' || s === 'unpublish'),
		missing: v.missing,
		flags: v.flags,
		scores: {
			overall: v.scores.overall,
			objectivesOverall: v.scores.objectivesOverall,
			principlesOverall: v.scores.principlesOverall,
			alpha: v.scores.alpha,
			objectives: v.scores.objectives.map((o) => ({
				number: o.number,
				scored: o.scored,
				policy: o.policy,
				coverage: o.coverage,
				implementation: o.implementation.mean,
				n: o.implementation.n,
				gap: o.gap,
				score: o.score
			})),
			principles: v.scores.principles.map((p) => ({
				key: p.key,
				scored: p.scored,
				mean: p.expert.mean,
				sd: p.expert.sd,
				n: p.expert.n,
				score: p.score
			}))
		}
	};
};

export const actions: Actions = { step: stepAction };
