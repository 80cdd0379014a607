/**
 * The precompiled `gcm` CLI: esbuild (already installed as a dependency of tsx) bundles cli/main.ts
 * and the server code it imports into dist/gcm.mjs, with every npm package left external. Starting
 * from the bundle skips tsx's transpile-on-load of ~100 modules, about half of the CLI's start-up
 * time on this machine (see bench/README.md, cold start). Plain JavaScript so bin/gcm.js can load it
 * before any TypeScript tooling. dist/ is generated and gitignored; a missing or stale bundle is
 * rebuilt by the next `gcm` command (or by `buildApp`), so a fresh clone needs no extra step.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Sources of the bundle: the CLI and the server/core code it imports (tests excluded). */
const SOURCES = ['cli', join('src', 'lib'), 'package.json', 'tsconfig.json'];

/** @param {string} root */
export function cliBundlePath(root) {
	return join(root, 'dist', 'gcm.mjs');
}

/** @param {string} path @returns {number} */
function newestMtime(path) {
	if (!existsSync(path)) return 0;
	const st = statSync(path);
	if (!st.isDirectory()) return st.mtimeMs;
	let newest = 0;
	for (const entry of readdirSync(path)) {
		if (entry.endsWith('.spec.ts') || entry.endsWith('.svelte')) continue;
		newest = Math.max(newest, newestMtime(join(path, entry)));
	}
	return newest;
}

/** The bundle exists and is newer than every source file. @param {string} root */
export function cliBundleIsCurrent(root) {
	const bundle = cliBundlePath(root);
	if (!existsSync(bundle)) return false;
	const built = statSync(bundle).mtimeMs;
	return SOURCES.every((p) => newestMtime(join(root, p)) <= built);
}

/**
 * Writes dist/gcm.mjs. The output goes to a file named after this process and is renamed into
 * place, so commands started at the same moment never load a half-written bundle.
 * @param {string} root
 */
export async function bundleCli(root) {
	const { build } = await import('esbuild');
	const out = cliBundlePath(root);
	mkdirSync(join(root, 'dist'), { recursive: true });
	const tmp = `${out}.${process.pid}.tmp.mjs`;
	try {
		await build({
			entryPoints: [join(root, 'cli', 'main.ts')],
			outfile: tmp,
			absWorkingDir: root,
			bundle: true,
			platform: 'node',
			format: 'esm',
			target: 'node20',
			// npm packages are loaded from node_modules at run time (PGlite finds its WASM files
			// next to its own module), so only this repository's TypeScript is compiled.
			packages: 'external',
			logLevel: 'error'
		});
		renameSync(tmp, out);
	} finally {
		rmSync(tmp, { force: true });
	}
	return out;
}
