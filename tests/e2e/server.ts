/**
 * End-to-end helpers: start the real `gcm serve` process on a fresh data directory and a free
 * port, and launch the system Chromium through playwright-core.
 *
 * The build is expected to exist (CI runs `npm run build` first). To be safe, it is (re)built
 * here when missing or stale, through the same code `gcm serve --build-if-needed` uses, so the
 * build stamp that `gcm serve` checks is written too.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { buildApp, buildIsCurrent } from '../../cli/build';

export const PROJECT_ROOT = resolve(import.meta.dirname, '../..');
export const GCM_BIN = join(PROJECT_ROOT, 'bin', 'gcm.js');
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const READY_MSG = 'GCM Observatory is ready';
// Long enough for `--build-if-needed` to rebuild under load (see startServer).
const READY_TIMEOUT_MS = 240_000;
const STOP_TIMEOUT_MS = 15_000;

/** Builds the web app when build/ is missing or older than its sources (writes the build stamp). */
export function ensureBuilt(): void {
	if (existsSync(join(PROJECT_ROOT, 'build', 'handler.js')) && buildIsCurrent(PROJECT_ROOT)) return;
	buildApp(PROJECT_ROOT, (m) => process.stderr.write(`[e2e] ${m}\n`));
}

/** A port that was free a moment ago (listen on port 0, read it, close). */
export function freePort(): Promise<number> {
	return new Promise((resolvePort, reject) => {
		const srv = createServer();
		srv.unref();
		srv.once('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const address = srv.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			srv.close(() => resolvePort(port));
		});
	});
}

export function makeDataDir(): string {
	return mkdtempSync(join(tmpdir(), 'gcm-e2e-'));
}

/** Environment for a `gcm` child process on the given data directory. */
export function gcmEnv(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {
		...process.env,
		GCM_DATA_DIR: dataDir,
		HOST: '127.0.0.1',
		LOG_LEVEL: 'info',
		...extra
	};
	// Always use the embedded database, whatever the developer's shell says.
	delete env.DATABASE_URL;
	return env;
}

export interface RunResult {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	timedOut: boolean;
}

/** Runs `node bin/gcm.js ARGS` to completion (killed after timeoutMs). */
export function runGcm(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<RunResult> {
	return new Promise((resolveRun, reject) => {
		const child = spawn(process.execPath, [GCM_BIN, ...args], {
			cwd: PROJECT_ROOT,
			env,
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let stdout = '';
		let stderr = '';
		let timedOut = false;
		child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
		child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
		const timer = setTimeout(() => {
			timedOut = true;
			child.kill('SIGKILL');
		}, timeoutMs);
		child.once('error', (err) => {
			clearTimeout(timer);
			reject(err);
		});
		child.once('close', (code, signal) => {
			clearTimeout(timer);
			resolveRun({ code, signal, stdout, stderr, timedOut });
		});
	});
}

/** Waits for a child to exit; resolves with its exit code, or null if it did not exit in time. */
function waitForExit(child: ChildProcess, timeoutMs: number): Promise<number | null> {
	if (child.exitCode !== null) return Promise.resolve(child.exitCode);
	if (child.signalCode !== null) return Promise.resolve(null);
	return new Promise((resolveExit) => {
		const timer = setTimeout(() => resolveExit(null), timeoutMs);
		child.once('exit', (code) => {
			clearTimeout(timer);
			resolveExit(code);
		});
	});
}

export interface RunningServer {
	url: string;
	port: number;
	dataDir: string;
	child: ChildProcess;
	/** Everything the server printed so far (stdout and stderr, interleaved). */
	output(): string;
	/** Sends SIGTERM and resolves with the exit code (null if it had to be killed after 15 s). */
	stop(): Promise<number | null>;
	/** stop() if still running, then delete the data directory. */
	dispose(): Promise<void>;
}

export interface StartOptions {
	/** Reuse an existing data directory instead of a fresh temporary one. */
	dataDir?: string;
}

/** Starts `node bin/gcm.js serve` on a fresh data dir and a free port; resolves when it is ready. */
export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
	ensureBuilt();
	const dataDir = options.dataDir ?? makeDataDir();
	const port = await freePort();
	// --build-if-needed: when a source changed after ensureBuilt() (other people edit the same tree while a
	// suite runs), the server rebuilds instead of refusing to start; the build is then of the current sources.
	const child = spawn(process.execPath, [GCM_BIN, 'serve', '--build-if-needed'], {
		cwd: PROJECT_ROOT,
		env: gcmEnv(dataDir, { PORT: String(port) }),
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let out = '';
	let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
	child.on('exit', (code, signal) => (exited = { code, signal }));

	const url = await new Promise<string>((resolveReady, reject) => {
		let pending = '';
		let settled = false;
		const fail = (why: string) => {
			if (settled) return; // e.g. the normal exit after stop()
			settled = true;
			clearTimeout(timer);
			if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
			if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
			reject(new Error(`gcm serve ${why}.\n--- server output ---\n${out}\n---------------------`));
		};
		const timer = setTimeout(() => fail(`was not ready after ${READY_TIMEOUT_MS / 1000} s`), READY_TIMEOUT_MS);
		child.stdout!.setEncoding('utf8').on('data', (d: string) => {
			out += d;
			pending += d;
			let nl: number;
			while ((nl = pending.indexOf('\n')) >= 0) {
				const line = pending.slice(0, nl).trim();
				pending = pending.slice(nl + 1);
				if (!line.startsWith('{')) continue;
				try {
					const entry = JSON.parse(line) as { msg?: string; url?: string };
					if (entry.msg === READY_MSG && entry.url && !settled) {
						settled = true;
						clearTimeout(timer);
						resolveReady(entry.url);
					}
				} catch {
					/* not a log line */
				}
			}
		});
		child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
		child.once('error', (err) => fail(`could not be spawned (${err.message})`));
		child.once('exit', (code, signal) => fail(`exited before it was ready (code ${code}, signal ${signal})`));
	});

	const stop = async (): Promise<number | null> => {
		if (exited) return exited.code;
		child.kill('SIGTERM');
		const code = await waitForExit(child, STOP_TIMEOUT_MS);
		if (code === null && child.exitCode === null) {
			child.kill('SIGKILL');
			await waitForExit(child, 5_000);
			return null;
		}
		return code;
	};

	return {
		url,
		port,
		dataDir,
		child,
		output: () => out,
		stop,
		dispose: async () => {
			await stop();
			if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
		}
	};
}

export function launchBrowser(): Promise<Browser> {
	return chromium.launch({
		executablePath: CHROMIUM_PATH,
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--no-first-run',
			'--disable-quic'
		]
	});
}
