/**
 * Nelder-Mead simplex minimisation (Nelder & Mead 1965, with the standard coefficients
 * reflection 1, expansion 2, contraction ½, shrink ½, as in Lagarias et al. 1998 and SciPy).
 * Derivative-free; the model fits fall back to it (core/rfm/bfgs.ts, minimizeLogParameters) when BFGS stalls.
 * A non-finite objective value counts as +∞, so the simplex walks away from overflow regions.
 */

export interface NelderMeadOptions {
	/** Stop after this many objective evaluations (reported as not converged). */
	maxEvaluations?: number;
	/** Converged when every vertex is within this distance of the best one (each coordinate)... */
	xTolerance?: number;
	/** ...and every vertex's value is within this of the best value. */
	fTolerance?: number;
	/** Initial simplex step per coordinate (absolute, in the optimiser's coordinates). */
	initialStep?: number;
	/** Restart from the best point until a restart no longer improves it (guards against early collapse). */
	maxRestarts?: number;
	/** Initial step of the restarts (default: initialStep). A restart only has to show that the simplex did not collapse early, so a small step will do and saves evaluations. */
	restartStep?: number;
}

export interface NelderMeadResult {
	x: number[];
	value: number;
	evaluations: number;
	converged: boolean;
}

export function nelderMead(objective: (x: number[]) => number, start: number[], options: NelderMeadOptions = {}): NelderMeadResult {
	const maxEvaluations = options.maxEvaluations ?? 5000;
	const maxRestarts = options.maxRestarts ?? 4;
	let result = simplexRun(objective, start, options, maxEvaluations);
	let evaluations = result.evaluations;
	for (let restart = 0; restart < maxRestarts && result.converged; restart++) {
		const again = simplexRun(objective, result.x, { ...options, initialStep: options.restartStep ?? options.initialStep }, maxEvaluations - evaluations);
		evaluations += again.evaluations;
		const improved = result.value - again.value > (options.fTolerance ?? 1e-10);
		result = again.value <= result.value ? again : result;
		if (!again.converged) return { ...result, evaluations, converged: false };
		if (!improved) break;
	}
	return { ...result, evaluations };
}

function simplexRun(objective: (x: number[]) => number, start: number[], options: NelderMeadOptions, budget: number): NelderMeadResult {
	const n = start.length;
	const xTolerance = options.xTolerance ?? 1e-8;
	const fTolerance = options.fTolerance ?? 1e-10;
	const step = options.initialStep ?? 0.25;
	let evaluations = 0;
	const evaluate = (x: number[]): number => {
		evaluations++;
		const value = objective(x);
		return Number.isFinite(value) ? value : Infinity;
	};

	const points: number[][] = [start.slice()];
	for (let i = 0; i < n; i++) {
		const point = start.slice();
		point[i] += step;
		points.push(point);
	}
	const values = points.map(evaluate);
	const order = points.map((_, i) => i);

	while (evaluations < budget) {
		order.sort((i, j) => values[i] - values[j]);
		const best = order[0];
		const worst = order[n];
		const secondWorst = order[n - 1];

		let spread = 0;
		let valueSpread = 0;
		for (let k = 1; k <= n; k++) {
			const idx = order[k];
			valueSpread = Math.max(valueSpread, Math.abs(values[idx] - values[best]));
			for (let d = 0; d < n; d++) spread = Math.max(spread, Math.abs(points[idx][d] - points[best][d]));
		}
		if (spread <= xTolerance && valueSpread <= fTolerance) {
			return { x: points[best].slice(), value: values[best], evaluations, converged: true };
		}

		const centroid = new Array<number>(n).fill(0);
		for (let k = 0; k < n; k++) {
			const p = points[order[k]];
			for (let d = 0; d < n; d++) centroid[d] += p[d] / n;
		}
		const along = (t: number): number[] => centroid.map((c, d) => c + t * (points[worst][d] - c));

		const reflected = along(-1);
		const reflectedValue = evaluate(reflected);
		if (reflectedValue < values[best]) {
			const expanded = along(-2);
			const expandedValue = evaluate(expanded);
			if (expandedValue < reflectedValue) {
				points[worst] = expanded;
				values[worst] = expandedValue;
			} else {
				points[worst] = reflected;
				values[worst] = reflectedValue;
			}
			continue;
		}
		if (reflectedValue < values[secondWorst]) {
			points[worst] = reflected;
			values[worst] = reflectedValue;
			continue;
		}
		// Contract: outside when the reflection beat the worst point, inside otherwise.
		const outside = reflectedValue < values[worst];
		const contracted = along(outside ? -0.5 : 0.5);
		const contractedValue = evaluate(contracted);
		if (contractedValue < (outside ? reflectedValue : values[worst])) {
			points[worst] = contracted;
			values[worst] = contractedValue;
			continue;
		}
		for (let k = 1; k <= n; k++) {
			const idx = order[k];
			points[idx] = points[idx].map((v, d) => points[best][d] + 0.5 * (v - points[best][d]));
			values[idx] = evaluate(points[idx]);
		}
	}
	order.sort((i, j) => values[i] - values[j]);
	return { x: points[order[0]].slice(), value: values[order[0]], evaluations, converged: false };
}
