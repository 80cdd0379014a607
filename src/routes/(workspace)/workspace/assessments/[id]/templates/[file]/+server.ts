import { error } from '@sveltejs/kit';
import { requireWorkspace } from '$lib/server/http/workspace';
import { assessmentContext } from '../../../assessment-route.server';
import { buildTemplate, localeOf, TEMPLATE_FILES, type TemplateFile } from '../template-files.server';
import type { RequestHandler } from './$types';

/** GET a pre-filled template (desk.xlsx, answers.csv, evidence.csv, ratings.xlsx, ratings.csv). */
export const GET: RequestHandler = async (event) => {
	const req = await requireWorkspace(event);
	const file = event.params.file;
	if (!(TEMPLATE_FILES as readonly string[]).includes(file)) error(404, 'Not found');
	const c = await assessmentContext(req, event.params.id);
	const built = await buildTemplate(
		req,
		c.view,
		file as TemplateFile,
		localeOf(event.locals.locale),
		event.url.searchParams.get('rater'),
		c.nav.experts
	);
	if (!built) error(403, 'This template is not available to you.');
	return new Response(built.body as BodyInit, {
		headers: {
			'content-type': built.contentType,
			'content-disposition': `attachment; filename="${built.filename.replace(/[^\w.-]/g, '_')}"`,
			// Unpublished research and private ratings: never stored by shared caches or the browser.
			'cache-control': 'private, no-store'
		}
	});
};
