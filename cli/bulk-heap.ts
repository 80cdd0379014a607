/**
 * The V8 heap setting of the bulk commands on PGlite (`gcm import`, `gcm export`; bench scenario 7
 * calls the same function, so it measures what the commands do).
 *
 * V8 lets the old generation grow to a multiple of what survived the last full collection before it
 * collects again: up to 4x on a machine with more than ~2 GB of heap allowed (the default on 64-bit
 * with 16 GB of RAM or more). A bulk import promotes a steady stream of short-lived objects (the
 * batch being written outlives a few young-generation collections, the JSON text of each chunk and
 * the decoded file pieces are large objects), so before a full collection the heap held 170-215 MB
 * of which 50-67 MB were live (--trace-gc), and a 100k-row import on PGlite peaked at 503-645 MB
 * RSS. Growing by BULK_HEAP_GROWING_PERCENT instead keeps the heap near its live size (with the
 * smaller CSV pieces of io/csv.ts: 355-376 MB; bench/README.md, import memory).
 *
 * Not on PostgreSQL: there the process peaks at ~290 MB without it (PGlite's WebAssembly memory is
 * not in it), and the extra collections cost Node ~1 s of CPU time out of its 5-6 s per 100k rows.
 *
 * This is a growth rate, not a limit: the heap still grows as far as the file needs (up to Node's
 * own default limit), so no file that imports without it fails with it. V8 reads the flag at every
 * full collection, so setting it after start-up takes effect (measured as above);
 * cli/bulk-heap.spec.ts checks that this Node knows the flag and that it limits nothing.
 */
import { setFlagsFromString } from 'node:v8';

/** Heap growth after a full collection, in percent of the live size (V8's own factor is 10-300). */
export const BULK_HEAP_GROWING_PERCENT = 30;

/** Applies the bulk heap setting to this process (call before the bulk work starts). */
export function useBulkHeap(): void {
	setFlagsFromString(`--heap-growing-percent=${BULK_HEAP_GROWING_PERCENT}`);
}
