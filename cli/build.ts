/** Builds the SvelteKit app when the build is missing or older than its sources. */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const INPUTS = ['src', 'static', 'svelte.config.js', 'vite.config.ts', 'package-lock.json'];

function newestMtime(path: string): number {
	if (!existsSync(path)) return 0;
	const st = statSync(path);
	if (!st.isDirectory()) return st.mtimeMs;
	let newest = st.mtimeMs;
	for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
	return newest;
}

export function buildIsCurrent(root: string): boolean {
	const stamp = join(root, 'build', '.built');
	if (!existsSync(join(root, 'build', 'handler.js')) || !existsSync(stamp)) return false;
	const built = statSync(stamp).mtimeMs;
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
	writeFileSync(join(root, 'build', '.built'), new Date().toISOString());
	log(`Built in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}
