/** Latency statistics and a bounded measuring loop. */
export interface LatencyStats {
	runs: number;
	p50: number;
	p95: number;
	max: number;
	mean: number;
	/** Completed operations per second over the measured wall time. */
	throughput: number;
	/**
	 * Per case (by index into the measured cases, in index order; only cases that were measured):
	 * which cases decide p95/max. Set by `measure`/`measurePair`, absent from plain `summarize`.
	 */
	cases?: CaseStats[];
}

export interface CaseStats {
	/** Index into the cases passed to `measure`/`measurePair`. */
	case: number;
	runs: number;
	p50: number;
	max: number;
}

const round = (x: number) => Math.round(x * 100) / 100;

export function percentile(sorted: readonly number[], p: number): number {
	if (sorted.length === 0) return NaN;
	const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
	return sorted[idx]!;
}

/** Per-case p50/max of `samples`, where `caseOf[i]` is the case index of `samples[i]`. */
export function summarizeCases(samples: readonly number[], caseOf: readonly number[]): CaseStats[] {
	const by = new Map<number, number[]>();
	samples.forEach((x, i) => {
		const c = caseOf[i]!;
		const list = by.get(c);
		if (list) list.push(x);
		else by.set(c, [x]);
	});
	return [...by.entries()]
		.sort(([a], [b]) => a - b)
		.map(([c, xs]) => {
			const s = xs.sort((a, b) => a - b);
			return { case: c, runs: s.length, p50: round(percentile(s, 50)), max: round(s[s.length - 1]!) };
		});
}

/** Aggregate statistics; with `caseOf` (the case index of each sample) also per-case statistics. */
export function summarize(samples: readonly number[], wallMs: number, caseOf?: readonly number[]): LatencyStats {
	const s = [...samples].sort((a, b) => a - b);
	const stats: LatencyStats = {
		runs: s.length,
		p50: round(percentile(s, 50)),
		p95: round(percentile(s, 95)),
		max: round(s[s.length - 1] ?? NaN),
		mean: round(s.reduce((a, b) => a + b, 0) / Math.max(1, s.length)),
		throughput: round((s.length / wallMs) * 1000)
	};
	if (caseOf) stats.cases = summarizeCases(samples, caseOf);
	return stats;
}

export interface MeasureOptions {
	/** Calls before measuring (at least one per case; stops after maxMs / 3 once every case ran). */
	warmup: number;
	/** Target number of measured calls. */
	runs: number;
	/** Stop early after this much measured time (but never before minRuns, nor before every case ran once). */
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
	const w0 = performance.now();
	for (let i = 0; i < warm; i++) {
		await fn(cases[i % cases.length]!);
		// Every case once, then stop warming up after a third of the measuring budget.
		if (i >= cases.length - 1 && performance.now() - w0 > opts.maxMs / 3) break;
	}
	const samples: number[] = [];
	const caseOf: number[] = [];
	const started = performance.now();
	for (let i = 0; i < opts.runs; i++) {
		const t0 = performance.now();
		await fn(cases[i % cases.length]!);
		samples.push(performance.now() - t0);
		caseOf.push(i % cases.length);
		if (samples.length >= Math.max(opts.minRuns, cases.length) && performance.now() - started > opts.maxMs) break;
	}
	return summarize(samples, performance.now() - started, caseOf);
}

/**
 * Measures two functions on the same cases, interleaved call by call (A,B then B,A, ...), so a
 * change in background load hits both equally; used for app-vs-raw ratios.
 */
export async function measurePair<C>(
	cases: readonly C[],
	a: (c: C) => Promise<unknown>,
	b: (c: C) => Promise<unknown>,
	opts: MeasureOptions
): Promise<[LatencyStats, LatencyStats]> {
	const warm = Math.max(opts.warmup, cases.length);
	const w0 = performance.now();
	for (let i = 0; i < warm; i++) {
		await a(cases[i % cases.length]!);
		await b(cases[i % cases.length]!);
		if (i >= cases.length - 1 && performance.now() - w0 > opts.maxMs / 3) break;
	}
	const sa: number[] = [];
	const sb: number[] = [];
	const caseOf: number[] = []; // the same for both: each iteration times a and b once on one case
	let wa = 0;
	let wb = 0;
	const started = performance.now();
	for (let i = 0; i < opts.runs; i++) {
		const c = cases[i % cases.length]!;
		const order = i % 2 === 0 ? ([a, sa, 0] as const) : ([b, sb, 1] as const);
		const other = order[2] === 0 ? ([b, sb, 1] as const) : ([a, sa, 0] as const);
		for (const [fn, samples, which] of [order, other]) {
			const t0 = performance.now();
			await fn(c);
			const dt = performance.now() - t0;
			samples.push(dt);
			if (which === 0) wa += dt;
			else wb += dt;
		}
		caseOf.push(i % cases.length);
		if (sa.length >= Math.max(opts.minRuns, cases.length) && performance.now() - started > opts.maxMs) break;
	}
	return [summarize(sa, wa, caseOf), summarize(sb, wb, caseOf)];
}
