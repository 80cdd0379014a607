/**
 * Writes the default methodology (src/lib/core/benchmarking/default-methodology.ts) as the public
 * JSON artefact data/methodology/gcm-benchmark-1.0.json, formatted with the repository's Prettier
 * config so `prettier --check` accepts it.
 *
 * Run: npx tsx scripts/export-methodology.ts           (write the file)
 *      npx tsx scripts/export-methodology.ts --check   (exit 1 if the file is missing or stale)
 *
 * The module is the source of truth; default-methodology.spec.ts checks that the JSON equals it.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_METHODOLOGY } from '../src/lib/core/benchmarking/default-methodology';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outFile = resolve(root, `data/methodology/${DEFAULT_METHODOLOGY.key}-${DEFAULT_METHODOLOGY.version}.json`);

let source = JSON.stringify(DEFAULT_METHODOLOGY, null, '\t') + '\n';
try {
	const prettier = await import('prettier');
	const options = await prettier.resolveConfig(outFile);
	if (options) source = await prettier.format(source, { ...options, filepath: outFile });
} catch (err) {
	console.warn(`export-methodology: Prettier not applied (${(err as Error).message})`);
}

const relative = outFile.slice(root.length + 1);
if (process.argv.includes('--check')) {
	const current = existsSync(outFile) ? readFileSync(outFile, 'utf8') : null;
	if (current !== source) {
		console.error(
			`${relative} is ${current === null ? 'missing' : 'stale'}: run npx tsx scripts/export-methodology.ts`
		);
		process.exit(1);
	}
	console.log(`${relative} is up to date`);
} else {
	mkdirSync(dirname(outFile), { recursive: true });
	writeFileSync(outFile, source);
	console.log(
		`wrote ${relative}: ${DEFAULT_METHODOLOGY.variables.length} variables, ` +
			`${DEFAULT_METHODOLOGY.objectives.length} objectives, ${DEFAULT_METHODOLOGY.principles.length} principles`
	);
}
