/**
 * BFGS quasi-Newton minimisation with a strong-Wolfe line search (Nocedal & Wright, "Numerical
 * Optimization", 2nd ed., algorithms 6.1, 3.5 and 3.6). The models call it on log-parameters with
 * analytic gradients: far fewer likelihood evaluations than a derivative-free simplex. A non-finite
 * objective value counts as +∞, so the line search backs away from overflow regions and search bounds.
 */
import { nelderMead } from './nelderMead';

/** Returns f(x) and writes ∇f(x) into `gradient`. */
export type ObjectiveWithGradient = (x: number[], gradient: number[]) => number;

export interface BfgsOptions {
	/** Converged when every gradient component is at most this in absolute value. */
	gradientTolerance?: number;
	/**
	 * Also converged when no step decreases f any more and every gradient component is at most this:
	 * f's rounding then hides what little decrease is left.
	 */
	stallTolerance?: number;
	/** Stop after this many objective-and-gradient evaluations (reported as not converged). */
	maxEvaluations?: number;
	/** Initial inverse-Hessian approximation (row-major n × n), e.g. from a fit on a sample; default a scaled identity. */
	inverseHessian?: Float64Array;
}

export interface BfgsResult {
	x: number[];
	value: number;
	gradient: number[];
	/** Objective-and-gradient evaluations. */
	evaluations: number;
	iterations: number;
	converged: boolean;
	/** The final inverse-Hessian approximation (row-major), reusable as a start. */
	inverseHessian: Float64Array;
}

/** Sufficient decrease (Armijo) and curvature constants of the Wolfe conditions (N&W's usual values). */
const ARMIJO = 1e-4;
const CURVATURE = 0.9;
/**
 * Hager & Zhang's (2005) approximate Wolfe condition, for steps whose decrease is below f's rounding (used
 * only once the gradient is within the stall tolerance):
 * f may rise by at most this much relative to |f| if the slope shows the decrease a quadratic would
 * have (φ'(α) ≤ (2δ − 1) φ'(0), δ = 0.1). It lets the gradient shrink further than f alone can resolve.
 */
const APPROXIMATE_WOLFE_ALLOWANCE = 1e-12;
const APPROXIMATE_WOLFE_SLOPE = 2 * 0.1 - 1;
const MAX_LINE_SEARCH_STEPS = 20;

export function bfgs(objective: ObjectiveWithGradient, start: number[], options: BfgsOptions = {}): BfgsResult {
	const n = start.length;
	const tolerance = options.gradientTolerance ?? 1e-9;
	const stallTolerance = Math.max(tolerance, options.stallTolerance ?? 1e-6);
	const maxEvaluations = options.maxEvaluations ?? 500;
	let evaluations = 0;
	const evaluate = (x: number[], gradient: number[]): number => {
		evaluations++;
		const value = objective(x, gradient);
		return Number.isFinite(value) && gradient.every(Number.isFinite) ? value : Infinity;
	};

	let x = start.slice();
	let gradient = new Array<number>(n).fill(0);
	let value = evaluate(x, gradient);
	const H = new Float64Array(n * n);
	const identity = () => {
		H.fill(0);
		for (let i = 0; i < n; i++) H[i * n + i] = 1;
	};
	let scaled = options.inverseHessian !== undefined;
	if (options.inverseHessian) H.set(options.inverseHessian);
	else identity();
	const result = (converged: boolean, iterations: number): BfgsResult => ({ x, value, gradient, evaluations, iterations, converged, inverseHessian: H });
	if (value === Infinity) return result(false, 0);

	let freshStart = !scaled;
	for (let iteration = 0; ; iteration++) {
		if (maxAbs(gradient) <= tolerance) return result(true, iteration);
		if (evaluations >= maxEvaluations) return result(false, iteration);

		let direction = multiply(H, gradient, n).map((v) => -v);
		let slope = dot(gradient, direction);
		if (!(slope < 0)) {
			identity();
			scaled = false;
			freshStart = true;
			direction = gradient.map((v) => -v);
			slope = dot(gradient, direction);
		}
		// An unscaled identity knows nothing about the curvature: keep the first trial step short.
		const initialStep = freshStart ? Math.min(1, 1 / maxAbs(gradient)) : 1;
		// Near the optimum (gradient within the stall tolerance) f's rounding can hide real decreases: allow the approximate condition there only.
		const nearOptimum = maxAbs(gradient) <= stallTolerance;
		const step = wolfeLineSearch(evaluate, x, value, slope, direction, initialStep, maxEvaluations - evaluations, nearOptimum);
		if (!step) {
			if (nearOptimum) return result(true, iteration);
			if (freshStart) return result(false, iteration);
			// The approximation has gone stale: start again from steepest descent.
			identity();
			scaled = false;
			freshStart = true;
			continue;
		}
		const s = direction.map((d) => d * step.alpha);
		const y = step.gradient.map((g, i) => g - gradient[i]);
		x = step.x;
		value = step.value;
		gradient = step.gradient;
		freshStart = false;
		const sy = dot(s, y);
		if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
			if (!scaled) {
				// Nocedal & Wright (6.20): scale the identity by sᵀy / yᵀy before the first update.
				const factor = sy / dot(y, y);
				for (let i = 0; i < n * n; i++) H[i] *= factor;
				scaled = true;
			}
			updateInverseHessian(H, s, y, sy, n);
		}
	}
}

interface LineSearchPoint {
	alpha: number;
	x: number[];
	value: number;
	gradient: number[];
	/** φ'(α) = ∇f(x)ᵀd (NaN where f is +∞). */
	slope: number;
}

/** Strong Wolfe conditions by bracketing and zooming (N&W algorithms 3.5, 3.6); null when no decrease was found. */
function wolfeLineSearch(
	evaluate: (x: number[], gradient: number[]) => number,
	x0: number[],
	value0: number,
	slope0: number,
	direction: number[],
	initialStep: number,
	budget: number,
	approximateWolfe: boolean,
): LineSearchPoint | null {
	const at = (alpha: number): LineSearchPoint => {
		const x = x0.map((v, i) => v + alpha * direction[i]);
		const gradient = new Array<number>(x.length).fill(0);
		const value = evaluate(x, gradient);
		return { alpha, x, value, gradient, slope: value === Infinity ? NaN : dot(gradient, direction) };
	};
	const allowance = approximateWolfe ? APPROXIMATE_WOLFE_ALLOWANCE * Math.max(1, Math.abs(value0)) : 0;
	const decreases = (point: LineSearchPoint) =>
		point.value <= value0 + ARMIJO * point.alpha * slope0 || (approximateWolfe && point.value <= value0 + allowance && point.slope <= APPROXIMATE_WOLFE_SLOPE * slope0);
	const curvatureHolds = (point: LineSearchPoint) => Math.abs(point.slope) <= -CURVATURE * slope0;
	let used = 0;
	let best: LineSearchPoint | null = null;
	const probe = (alpha: number): LineSearchPoint => {
		const point = at(alpha);
		used++;
		if (decreases(point) && (!best || point.value < best.value)) best = point;
		return point;
	};
	const withinBudget = () => used < budget && used < MAX_LINE_SEARCH_STEPS;

	const zoom = (lo: LineSearchPoint, hi: LineSearchPoint): LineSearchPoint | null => {
		while (withinBudget()) {
			// Minimiser of the quadratic through φ(lo), φ'(lo), φ(hi), kept inside the bracket; bisection otherwise.
			const width = hi.alpha - lo.alpha;
			let trial = lo.alpha + width / 2;
			if (hi.value !== Infinity && Number.isFinite(lo.slope)) {
				const denominator = 2 * (hi.value - lo.value - lo.slope * width);
				if (denominator !== 0) trial = lo.alpha - (lo.slope * width * width) / denominator;
			}
			const low = Math.min(lo.alpha, hi.alpha);
			const margin = 0.1 * Math.abs(width);
			if (!(trial >= low + margin && trial <= low + Math.abs(width) - margin)) trial = lo.alpha + width / 2;
			const point = probe(trial);
			if (!decreases(point) || point.value > lo.value + allowance) hi = point;
			else {
				if (curvatureHolds(point)) return point;
				if (point.slope * width >= 0) hi = lo;
				lo = point;
			}
			if (Math.abs(hi.alpha - lo.alpha) <= 1e-14 * Math.max(1, Math.abs(lo.alpha))) break;
		}
		// No point meets both conditions within the budget: a sufficient decrease is still progress.
		return best;
	};

	let previous: LineSearchPoint = { alpha: 0, x: x0, value: value0, gradient: [], slope: slope0 };
	let alpha = initialStep;
	for (let i = 0; withinBudget(); i++) {
		const point = probe(alpha);
		if (!decreases(point) || (i > 0 && point.value > previous.value + allowance)) return zoom(previous, point);
		if (curvatureHolds(point)) return point;
		if (point.slope >= 0) return zoom(point, previous);
		previous = point;
		alpha *= 2;
	}
	return best;
}

/** H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ with ρ = 1 / yᵀs. */
function updateInverseHessian(H: Float64Array, s: number[], y: number[], sy: number, n: number): void {
	const rho = 1 / sy;
	const Hy = multiply(H, y, n);
	const yHy = dot(y, Hy);
	for (let i = 0; i < n; i++) {
		for (let j = 0; j < n; j++) {
			H[i * n + j] += -rho * (Hy[i] * s[j] + s[i] * Hy[j]) + (rho * rho * yHy + rho) * s[i] * s[j];
		}
	}
}

function multiply(H: Float64Array, v: number[], n: number): number[] {
	const out = new Array<number>(n).fill(0);
	for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i] += H[i * n + j] * v[j];
	return out;
}

function dot(u: number[], v: number[]): number {
	let sum = 0;
	for (let i = 0; i < u.length; i++) sum += u[i] * v[i];
	return sum;
}

function maxAbs(v: number[]): number {
	let max = 0;
	for (const value of v) max = Math.max(max, Math.abs(value));
	return max;
}

export interface MinimizeResult {
	x: number[];
	value: number;
	/** Objective evaluations on the whole data (the costly ones). */
	evaluations: number;
	/** Evaluations of the warm start's sample objective. */
	sampleEvaluations: number;
	converged: boolean;
	/** Which method produced the result: BFGS, or the Nelder-Mead fallback when BFGS stalled. */
	method: 'bfgs' | 'nelder-mead';
}

/**
 * The models' optimiser: BFGS from `start`; should it stall (a line search that finds no decrease
 * before the gradient is small, e.g. on a nearly flat ridge or against the search bounds), a
 * derivative-free Nelder-Mead simplex carries on from the best point found, within the same budget.
 * Optimisation is over log-parameters; beyond ±runawayLimit a parameter has run off towards 0 or ∞.
 */
export function minimizeLogParameters(
	objective: ObjectiveWithGradient,
	start: number[],
	options: { maxEvaluations: number; gradientTolerance?: number; runawayLimit: number; sampleObjective?: ObjectiveWithGradient | null },
): MinimizeResult {
	let from = start;
	let inverseHessian: Float64Array | undefined;
	let sampleEvaluations = 0;
	if (options.sampleObjective) {
		const sample = bfgs(options.sampleObjective, start, { maxEvaluations: WARM_START_MAX_EVALUATIONS, gradientTolerance: WARM_START_GRADIENT_TOLERANCE });
		sampleEvaluations = sample.evaluations;
		if (sample.converged && sample.x.every((theta) => Math.abs(theta) <= options.runawayLimit)) {
			from = sample.x;
			inverseHessian = sample.inverseHessian;
		}
	}
	const quasiNewton = bfgs(objective, from, { maxEvaluations: options.maxEvaluations, gradientTolerance: options.gradientTolerance ?? FIT_GRADIENT_TOLERANCE, inverseHessian });
	const ranAway = quasiNewton.x.some((theta) => Math.abs(theta) > options.runawayLimit);
	// A parameter that ran off stays run off under any optimiser: the caller reports it without a fallback's thousands of evaluations.
	if (quasiNewton.converged || ranAway) {
		return { x: quasiNewton.x, value: quasiNewton.value, evaluations: quasiNewton.evaluations, sampleEvaluations, converged: quasiNewton.converged, method: 'bfgs' };
	}
	const scratch = new Array<number>(start.length).fill(0);
	const simplex = nelderMead((theta) => objective(theta, scratch), quasiNewton.value < Infinity ? quasiNewton.x : start, {
		maxEvaluations: Math.max(0, options.maxEvaluations - quasiNewton.evaluations),
		xTolerance: 1e-7,
		fTolerance: 1e-11,
		initialStep: 0.1,
		restartStep: 1e-3,
	});
	return { x: simplex.x, value: simplex.value, evaluations: quasiNewton.evaluations + simplex.evaluations, sampleEvaluations, converged: simplex.converged, method: 'nelder-mead' };
}

/** Gradient tolerance of the model fits, on −ln L per customer over log-parameters. */
export const FIT_GRADIENT_TOLERANCE = 1e-9;

/** "parameter a ran off to zero and alpha to infinity" for the log-parameters beyond ±limit, farthest first; null when none ran off. */
export function describeRunaway(theta: number[], names: readonly string[], limit: number): string | null {
	const runaway = theta.map((value, k) => ({ value, name: names[k] })).filter(({ value }) => Math.abs(value) > limit);
	if (runaway.length === 0) return null;
	runaway.sort((p, q) => Math.abs(q.value) - Math.abs(p.value));
	const where = (value: number) => (value > 0 ? 'infinity' : 'zero');
	const rest = runaway.slice(1).map(({ name, value }) => `${name} to ${where(value)}`);
	return `parameter ${runaway[0].name} ran off to ${where(runaway[0].value)}${rest.length ? ` and ${rest.join(' and ')}` : ''}`;
}

/**
 * Large populations are fitted in two stages: a fit on an evenly spread sample of about this many
 * customers gives the full fit its start and its curvature estimate (the inverse Hessian of the
 * per-customer objective), so the full fit needs only a few of its costly evaluations.
 */
export const WARM_START_SAMPLE = 20_000;
const WARM_START_GRADIENT_TOLERANCE = 1e-6;
const WARM_START_MAX_EVALUATIONS = 300;

/** Every k-th index of 0 … length − 1, about `size` of them (null when the population is under twice the sample). */
export function sampleIndices(length: number, size = WARM_START_SAMPLE): Int32Array | null {
	if (length < 2 * size) return null;
	const stride = Math.floor(length / size);
	const indices = new Int32Array(Math.ceil(length / stride));
	for (let k = 0; k < indices.length; k++) indices[k] = k * stride;
	return indices;
}

/** column[indices[k]] for every k. */
export function pick(column: ArrayLike<number>, indices: Int32Array): Float64Array {
	const picked = new Float64Array(indices.length);
	for (let k = 0; k < indices.length; k++) picked[k] = column[indices[k]];
	return picked;
}
