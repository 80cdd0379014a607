/** Builds the SvelteKit app when the build is missing or older than its sources. */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const INPUTS = ['src', 'static', 'svelte.config.js', 'vite.config.ts', 'package-lock.json'];

function newestMtime(path: string): number {
	if (!existsSync(path)) return 0;
	const st = statSync(path);
	if (!st.isDirectory()) return st.mtimeMs;
	let newest = 0; // a directory's own mtime changes when tests are added; only files count
	for (const entry of readdirSync(path)) {
		if (entry.endsWith('.spec.ts')) continue;
		newest = Math.max(newest, newestMtime(join(path, entry)));
	}
	return newest;
}

/** The build is current when build/handler.js is newer than every source file (tests excluded). */
export function buildIsCurrent(root: string): boolean {
	const handler = join(root, 'build', 'handler.js');
	if (!existsSync(handler)) return false;
	const built = statSync(handler).mtimeMs;
	return INPUTS.every((p) => newestMtime(join(root, p)) <= built);
}

export function buildApp(root: string, log: (msg: string) => void): void {
	log('Building the web app (first start or sources changed)…');
	const started = Date.now();
	const result = spawnSync(
		process.execPath,
		[join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'],
		{
			cwd: root,
			stdio: 'inherit'
		}
	);
	if (result.status !== 0) throw new Error('The web app build failed (see the messages above).');
	log(`Built in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}
