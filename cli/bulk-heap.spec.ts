import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BULK_HEAP_GROWING_PERCENT } from './bulk-heap';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Runs `code` in a fresh Node process (the flag is process-wide; the test runner's own is left alone). */
function node(code: string) {
	return spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
		cwd: root,
		encoding: 'utf8',
		timeout: 50_000
	});
}

describe('bulk heap setting (gcm import / export)', { timeout: 60_000 }, () => {
	it('is a V8 flag this Node knows (an unknown one is only reported on stderr, and would silently do nothing)', () => {
		const r = node(`const m = await import('./cli/bulk-heap.ts'); m.useBulkHeap(); console.log('applied');`);
		expect(r.stderr).toBe('');
		expect(r.stdout.trim()).toBe('applied');
		// The check above is meaningful: the same call with a misspelt flag is reported.
		const bad = node(`(await import('node:v8')).setFlagsFromString('--heap-growing-percentage=30');`);
		expect(bad.stderr).toContain('unrecognized flag');
	});

	it('sets a growth rate, not a limit: the heap still grows to 1 GB (or half of Node’s own limit) when the work needs it', () => {
		expect(BULK_HEAP_GROWING_PERCENT).toBeGreaterThan(0);
		// Arrays of 2^20 small integers take 8 MB each; far more is held than any import keeps.
		const r = node(
			`const m = await import('./cli/bulk-heap.ts'); m.useBulkHeap();
			 const { getHeapStatistics } = await import('node:v8');
			 const target = Math.min(1024, getHeapStatistics().heap_size_limit / 2 ** 21);
			 const held = []; while (held.length * 8 < target) held.push(new Array(1 << 20).fill(held.length));
			 console.log(process.memoryUsage().heapUsed / 2 ** 20 >= target ? 'held' : 'not held');`
		);
		expect(r.stderr).toBe('');
		expect(r.stdout.trim()).toBe('held');
	});
});
