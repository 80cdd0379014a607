/**
 * The worker-thread side of bench/pglite-worker.ts: opens PGlite on a data dir inside a
 * node:worker_threads worker and serves it to the main thread, either
 *   - `socket`: behind @electric-sql/pglite-socket (PostgreSQL wire protocol on 127.0.0.1, port
 *     chosen by the OS; the main thread connects with node-postgres), or
 *   - `proxy`: a minimal postMessage protocol ({ id, text, params } → { id, rows } | { id, error }),
 *     the shape a drizzle `pg-proxy` callback or a PGlite-shaped client would use.
 * Posts { ready: true, openMs, port? } once PGlite is open; { close: true } checkpoints, closes and
 * exits. Started through tsx's loader (see startWorker in bench/pglite-worker.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';

export interface HostData {
	mode: 'socket' | 'proxy';
	dataDir: string;
	/** pglite-socket's connection limit (its default is 1). */
	maxConnections: number;
}

export type HostRequest = { id: number; text: string; params: unknown[] } | { close: true };
export type HostReply =
	| { ready: true; openMs: number; port: number | null }
	| { id: number; rows: unknown[] }
	| { id: number; error: string }
	| { closed: true };

/** The part of @electric-sql/pglite-socket 0.2.x used here. */
type SocketServerClass = new (o: { db: PGlite; host: string; port: number; maxConnections: number }) => {
	start(): Promise<void>;
	stop(): Promise<void>;
	getServerConn(): string;
};

const port = parentPort;
if (!port) throw new Error('pglite-worker-host runs in a worker thread');
const data = workerData as HostData;

const t0 = performance.now();
const db = await PGlite.create(data.dataDir);
const openMs = performance.now() - t0;

let stop: () => Promise<void> = async () => {};
let listening: number | null = null;
if (data.mode === 'socket') {
	// Not a dependency of the app: installed by hand for the benchmark (the main thread checks it
	// is there first), so it is imported by a computed name and typed here.
	const name = '@electric-sql/pglite-socket';
	const { PGLiteSocketServer } = (await import(name)) as { PGLiteSocketServer: SocketServerClass };
	const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: data.maxConnections });
	await server.start();
	listening = Number(server.getServerConn().split(':').pop());
	stop = () => server.stop();
}

port.on('message', (m: HostRequest) => {
	if ('close' in m) {
		void (async () => {
			await stop();
			await db.exec('CHECKPOINT');
			await db.close();
			port.postMessage({ closed: true } satisfies HostReply);
			port.close();
		})();
		return;
	}
	db.query(m.text, m.params).then(
		(r) => port.postMessage({ id: m.id, rows: r.rows } satisfies HostReply),
		(e: unknown) =>
			port.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) } satisfies HostReply)
	);
});
port.postMessage({ ready: true, openMs, port: listening } satisfies HostReply);
