/** Locations of files shipped with the app (migrations, bundled data), from the project root. */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

function findRoot(): string {
	// Walk up from the working directory to the folder holding drizzle/ and data/.
	let dir = resolve(process.cwd());
	for (;;) {
		if (existsSync(join(dir, 'drizzle')) && existsSync(join(dir, 'data', 'mmc-2019'))) return dir;
		const parent = dirname(dir);
		if (parent === dir) return resolve(process.cwd());
		dir = parent;
	}
}

let root: string | undefined;

export function projectRoot(): string {
	root ??= findRoot();
	return root;
}

/** The CLI knows where it is installed and sets the root explicitly. */
export function setProjectRoot(dir: string): void {
	root = dir;
}

export const migrationsDir = () => join(projectRoot(), 'drizzle');
export const bundledDataDir = () => join(projectRoot(), 'data');
