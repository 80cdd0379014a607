/** `gcm serve`: start the HTTP server on the app context, and shut down cleanly on signals. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import compression from 'compression';
import type { Runtime } from '../src/lib/server/runtime';

const PROTOCOL_HEADER = 'x-gcm-served-protocol';

type Handler = (req: IncomingMessage, res: ServerResponse, next?: () => void) => void;

export async function serve(runtime: Runtime, root: string): Promise<void> {
	const { config, logger } = runtime;
	// adapter-node assumes https unless told otherwise, which would reject same-origin form posts
	// (CSRF check) and name the session cookie for https. Behind a TLS proxy, GCM_PUBLIC_ORIGIN is
	// the origin; otherwise this server speaks plain HTTP, so say so on every request (a value sent
	// by the client in this header is overwritten).
	if (config.publicOrigin) process.env['ORIGIN'] = config.publicOrigin.replace(/\/+$/, '');
	else process.env['PROTOCOL_HEADER'] = PROTOCOL_HEADER;
	// adapter-node refuses request bodies over 512 KB by default; assessment uploads (XLSX/CSV
	// templates) may be up to 5 MB (ASSESSMENT_IMPORT_LIMITS), so allow 6 MB unless the operator
	// set BODY_SIZE_LIMIT. Each importer still enforces its own, smaller limit.
	process.env['BODY_SIZE_LIMIT'] ??= '6M';
	const { handler } = (await import(pathToFileURL(join(root, 'build', 'handler.js')).href)) as { handler: Handler };
	// gzip/deflate for HTML, JSON and CSV (static assets are precompressed by the adapter).
	const compress = compression({ threshold: 1024 }) as unknown as (
		req: IncomingMessage,
		res: ServerResponse,
		next: () => void
	) => void;
	const server = createServer((req, res) => {
		if (!config.publicOrigin) req.headers[PROTOCOL_HEADER] = 'http';
		compress(req, res, () =>
			handler(req, res, () => {
				res.statusCode = 404;
				res.end('Not found');
			})
		);
	});
	server.keepAliveTimeout = 5_000;

	let stopping = false;
	const shutdown = (signal: string) => {
		if (stopping) return;
		stopping = true;
		logger.info({ signal }, 'shutting down: draining requests, then closing the database');
		const force = setTimeout(() => server.closeAllConnections(), config.shutdownTimeoutMs);
		force.unref();
		server.close(() => {
			void runtime.database
				.close()
				.then(() => {
					logger.info('stopped cleanly');
					process.exit(0);
				})
				.catch((err: unknown) => {
					logger.error({ err }, 'error while closing the database');
					process.exit(1);
				});
		});
		server.closeIdleConnections();
	};
	process.on('SIGINT', () => shutdown('SIGINT'));
	process.on('SIGTERM', () => shutdown('SIGTERM'));

	await new Promise<void>((resolveListen, reject) => {
		server.once('error', reject);
		server.listen(config.port, config.host, () => resolveListen());
	});
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : config.port;
	logger.info({ url: `http://${config.host}:${port}`, engine: config.engine }, 'GCM Observatory is ready');
	// Non-essential work starts once the server listens: the public unfiltered counts (home page,
	// country list, /initiatives) are computed now rather than by the first visitor, who instead
	// shares this computation if it arrives before it ends.
	// Then the facet index is built (ADR 0005): until it is ready, public counts and pages come
	// from SQL; its readiness is logged (benchmarks wait for this line before measuring pages).
	const warming = Date.now();
	runtime.services.registry
		.warm()
		.then(() => runtime.services.registry.refreshIndex())
		.then((index) => {
			const fields = { ms: Date.now() - warming, rows: index.rows, buildMs: index.buildMs };
			if (index.current) logger.info(fields, 'registry index ready');
			else logger.warn({ ...fields, error: index.error }, 'registry index not built: public counts come from SQL');
		})
		.catch((err: unknown) => logger.warn({ err }, 'could not warm the registry counts'));
}
