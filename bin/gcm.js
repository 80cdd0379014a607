#!/usr/bin/env node
// The `gcm` command. The CLI is TypeScript. It runs from dist/gcm.mjs, a bundle esbuild writes
// when the sources are newer than it (cli/bundle.js), because loading one precompiled file starts
// much faster than transpiling every module through tsx. If the bundle cannot be built (e.g.
// esbuild is missing), the sources run through tsx as before, so `npx gcm …` and `npm start`
// work on a fresh clone without a separate compile step.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundleCli, cliBundleIsCurrent, cliBundlePath } from '../cli/bundle.js';

const root = fileURLToPath(new URL('..', import.meta.url));

async function bundled() {
	try {
		if (cliBundleIsCurrent(root)) return cliBundlePath(root);
		return await bundleCli(root);
	} catch (err) {
		process.stderr.write(`gcm: could not precompile the CLI (${err?.message ?? err}); running it through tsx\n`);
		return null;
	}
}

const entry = await bundled();
if (entry) {
	await import(pathToFileURL(entry).href);
} else {
	const { register } = await import('tsx/esm/api');
	register();
	await import('../cli/main.ts');
}
