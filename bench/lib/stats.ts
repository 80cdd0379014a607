/** Latency statistics and a bounded measuring loop. */
export interface LatencyStats {
	runs: number;
	p50: number;
	p95: number;
	max: number;
	mean: number;
	/** Completed operations per second over the measured wall time. */
	throughput: number;
}

export function percentile(sorted: readonly number[], p: number): number {
	if (sorted.length === 0) return NaN;
	const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
	return sorted[idx]!;
}

export function summarize(samples: readonly number[], wallMs: number): LatencyStats {
	const s = [...samples].sort((a, b) => a - b);
	const round = (x: number) => Math.round(x * 100) / 100;
	return {
		runs: s.length,
		p50: round(percentile(s, 50)),
		p95: round(percentile(s, 95)),
		max: round(s[s.length - 1] ?? NaN),
		mean: round(s.reduce((a, b) => a + b, 0) / Math.max(1, s.length)),
		throughput: round((s.length / wallMs) * 1000)
	};
}

export interface MeasureOptions {
	/** Calls before measuring (at least one per case). */
	warmup: number;
	/** Target number of measured calls. */
	runs: number;
	/** Stop early after this much measured time (but never before minRuns). */
	maxMs: number;
	minRuns: number;
}

/** Runs `fn` over `cases` round-robin, sequentially, and returns the latency statistics in ms. */
export async function measure<C>(
	cases: readonly C[],
	fn: (c: C) => Promise<unknown>,
	opts: MeasureOptions
): Promise<LatencyStats> {
	const warm = Math.max(opts.warmup, cases.length);
	for (let i = 0; i < warm; i++) await fn(cases[i % cases.length]!);
	const samples: number[] = [];
	const started = performance.now();
	for (let i = 0; i < opts.runs; i++) {
		const t0 = performance.now();
		await fn(cases[i % cases.length]!);
		samples.push(performance.now() - t0);
		if (samples.length >= opts.minRuns && performance.now() - started > opts.maxMs) break;
	}
	return summarize(samples, performance.now() - started);
}
