/**
 * BG/NBD ("beta-geometric / negative binomial distribution") model of repeat purchasing:
 * Fader, Hardie & Lee (2005), "Counting Your Customers the Easy Way: An Alternative to the
 * Pareto/NBD Model", Marketing Science 24(2), 275–284, and the accompanying note
 * "Implementing the BG/NBD Model for Customer Base Analysis in Excel" (brucehardie.com).
 *
 * Per customer: x = number of repeat purchases, t_x = time of the last purchase and T = length of
 * observation, both measured from the first purchase, in one time unit (the node uses days; α is in
 * that unit, r, a and b are unit-free).
 *
 *   ln L = ln Γ(r+x) − ln Γ(r) + r ln α + ln Γ(a+b) + ln Γ(b+x) − ln Γ(b) − ln Γ(a+b+x)
 *          + ln[ (α+T)^−(r+x) + δ(x>0) · a/(b+x−1) · (α+t_x)^−(r+x) ]
 */
import { ModelFitError } from './modelFitError';
import { FIT_RESTART_STEP, WARM_START_OPTIONS, WARM_START_STEP, nelderMead, sampleIndices } from './nelderMead';
import { hyp2f1Series, lnGamma, logAddExp } from './special';

export interface BgNbdParams {
	r: number;
	alpha: number;
	a: number;
	b: number;
}

export interface RepeatPurchaseData {
	/** Repeat purchases (total purchases − 1). */
	x: ArrayLike<number>;
	/** Time of the last purchase since the first. */
	tx: ArrayLike<number>;
	/** Time from the first purchase to the end of observation. */
	T: ArrayLike<number>;
}

export interface BgNbdFit extends BgNbdParams {
	logLikelihood: number;
	customers: number;
	repeatCustomers: number;
	evaluations: number;
}

export interface BgNbdFitOptions {
	/** Fewer repeat customers than this and the fit is refused (default 10). */
	minRepeatCustomers?: number;
	maxEvaluations?: number;
}

/** Straightforward per-customer log-likelihood: the reference the fast path is tested against. */
export function bgNbdLogLikelihood(params: BgNbdParams, data: RepeatPurchaseData): number {
	const { r, alpha, a, b } = params;
	let total = 0;
	for (let i = 0; i < data.x.length; i++) {
		const x = data.x[i];
		const A1 = lnGamma(r + x) - lnGamma(r) + r * Math.log(alpha);
		const A2 = lnGamma(a + b) + lnGamma(b + x) - lnGamma(b) - lnGamma(a + b + x);
		const A3 = -(r + x) * Math.log(alpha + data.T[i]);
		const A4 = x > 0 ? Math.log(a) - Math.log(b + x - 1) - (r + x) * Math.log(alpha + data.tx[i]) : -Infinity;
		total += A1 + A2 + logAddExp(A3, A4);
	}
	return total;
}

/**
 * The log-likelihood regrouped for speed: terms that depend on x only are summed once per distinct x,
 * ln(α + t) once per distinct time, customers without repeat purchases once per distinct T, and
 * repeat customers once per distinct (x, t_x, T) triple, which costs one exp and one log per evaluation.
 */
class BgNbdLikelihood {
	readonly customers: number;
	readonly repeatCustomers: number;
	private readonly times: Float64Array;
	private readonly lnAlphaPlus: Float64Array;
	private readonly distinctX: Float64Array;
	private readonly countByX: Float64Array;
	private readonly zeroTime: Int32Array;
	private readonly zeroCount: Float64Array;
	private readonly repeatXIndex: Int32Array;
	private readonly repeatT: Int32Array;
	private readonly repeatTx: Int32Array;
	/** Customers sharing each distinct (x, t_x, T) triple. */
	private readonly repeatCount: Float64Array;
	private readonly lnBPlusXMinus1: Float64Array;

	constructor(data: RepeatPurchaseData) {
		const n = data.x.length;
		this.customers = n;
		const timeValues: number[] = [];
		const xCounts = new Map<number, number>();
		let repeat = 0;
		for (let i = 0; i < n; i++) {
			const x = data.x[i];
			timeValues.push(data.T[i]);
			if (x > 0) {
				timeValues.push(data.tx[i]);
				repeat++;
			}
			xCounts.set(x, (xCounts.get(x) ?? 0) + 1);
		}
		this.repeatCustomers = repeat;
		const sorted = Float64Array.from(timeValues).sort();
		const unique: number[] = [];
		for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) unique.push(sorted[i]);
		this.times = Float64Array.from(unique);
		this.lnAlphaPlus = new Float64Array(unique.length);
		const timeIndex = new Map<number, number>();
		unique.forEach((t, i) => timeIndex.set(t, i));

		const xs = [...xCounts.keys()].sort((p, q) => p - q);
		this.distinctX = Float64Array.from(xs);
		this.countByX = Float64Array.from(xs.map((x) => xCounts.get(x) as number));
		const xIndex = new Map<number, number>();
		xs.forEach((x, i) => xIndex.set(x, i));
		this.lnBPlusXMinus1 = new Float64Array(xs.length);

		const zeroByTime = new Float64Array(unique.length);
		const repeatXIndex: number[] = [];
		const repeatT: number[] = [];
		const repeatTx: number[] = [];
		const repeatCount: number[] = [];
		const tripleIndex = new Map<number, number>();
		// The triple's number as an exact integer key; in the (theoretical) case that it could exceed 2^53,
		// every repeat customer keeps a term of its own.
		const groupTriples = unique.length * unique.length * xs.length < Number.MAX_SAFE_INTEGER;
		for (let i = 0; i < n; i++) {
			const x = data.x[i];
			const tIndex = timeIndex.get(data.T[i]) as number;
			if (x > 0) {
				const xi = xIndex.get(x) as number;
				const txIndex = timeIndex.get(data.tx[i]) as number;
				const key = (xi * unique.length + tIndex) * unique.length + txIndex;
				const triple = groupTriples ? tripleIndex.get(key) : undefined;
				if (triple !== undefined) repeatCount[triple]++;
				else {
					if (groupTriples) tripleIndex.set(key, repeatCount.length);
					repeatXIndex.push(xi);
					repeatT.push(tIndex);
					repeatTx.push(txIndex);
					repeatCount.push(1);
				}
			} else {
				zeroByTime[tIndex]++;
			}
		}
		this.repeatXIndex = Int32Array.from(repeatXIndex);
		this.repeatT = Int32Array.from(repeatT);
		this.repeatTx = Int32Array.from(repeatTx);
		this.repeatCount = Float64Array.from(repeatCount);
		const zeroTimes: number[] = [];
		for (let k = 0; k < zeroByTime.length; k++) if (zeroByTime[k] > 0) zeroTimes.push(k);
		this.zeroTime = Int32Array.from(zeroTimes);
		this.zeroCount = Float64Array.from(zeroTimes.map((k) => zeroByTime[k]));
	}

	logLikelihood({ r, alpha, a, b }: BgNbdParams): number {
		const lnAlpha = Math.log(alpha);
		const times = this.times;
		const lnAlphaPlus = this.lnAlphaPlus;
		for (let k = 0; k < times.length; k++) lnAlphaPlus[k] = Math.log(alpha + times[k]);

		const lnGammaR = lnGamma(r);
		const lnGammaB = lnGamma(b);
		const lnGammaAB = lnGamma(a + b);
		let total = 0;
		for (let k = 0; k < this.distinctX.length; k++) {
			const x = this.distinctX[k];
			const perCustomer =
				x === 0
					? r * lnAlpha
					: lnGamma(r + x) - lnGammaR + r * lnAlpha + lnGammaAB + lnGamma(b + x) - lnGammaB - lnGamma(a + b + x);
			total += this.countByX[k] * perCustomer;
			this.lnBPlusXMinus1[k] = x > 0 ? Math.log(b + x - 1) : 0;
		}
		for (let k = 0; k < this.zeroTime.length; k++) total -= this.zeroCount[k] * r * lnAlphaPlus[this.zeroTime[k]];

		const lnA = Math.log(a);
		const distinctX = this.distinctX;
		const lnBx = this.lnBPlusXMinus1;
		const xIndex = this.repeatXIndex;
		const tIndex = this.repeatT;
		const txIndex = this.repeatTx;
		const count = this.repeatCount;
		for (let i = 0; i < xIndex.length; i++) {
			const xi = xIndex[i];
			const s = r + distinctX[xi];
			const A3 = -s * lnAlphaPlus[tIndex[i]];
			const A4 = lnA - lnBx[xi] - s * lnAlphaPlus[txIndex[i]];
			total += count[i] * (A3 > A4 ? A3 + Math.log1p(Math.exp(A4 - A3)) : A4 + Math.log1p(Math.exp(A3 - A4)));
		}
		return total;
	}
}

function validate(data: RepeatPurchaseData): void {
	const n = data.x.length;
	if (data.tx.length !== n || data.T.length !== n) throw new ModelFitError('BG/NBD', 'invalid_data', 'x, t_x and T must have the same length');
	for (let i = 0; i < n; i++) {
		const x = data.x[i];
		const tx = data.tx[i];
		const T = data.T[i];
		if (!(x >= 0) || !(tx >= 0) || !(T >= 0) || !Number.isFinite(x + tx + T) || tx > T + 1e-9) {
			throw new ModelFitError('BG/NBD', 'invalid_data', `customer ${i} has x=${x}, t_x=${tx}, T=${T}; need x ≥ 0 and 0 ≤ t_x ≤ T`);
		}
	}
}

const PARAM_NAMES = ['r', 'alpha', 'a', 'b'] as const;
/**
 * The search is bounded at |log-parameter| ≤ 25 (e^25 ≈ 7e10); a fit that ends beyond 20 means the
 * parameter ran off towards 0 or ∞: the data do not identify the model.
 */
const LOG_PARAM_BOUND = 25;
const LOG_PARAM_LIMIT = 20;

/** −ln L per customer over log-parameters [ln r, ln α, ln a, ln b], +∞ outside the search bounds. */
function logParameterObjective(likelihood: BgNbdLikelihood): (theta: number[]) => number {
	return (theta) => {
		for (const t of theta) if (Math.abs(t) > LOG_PARAM_BOUND) return Infinity;
		return -likelihood.logLikelihood({ r: Math.exp(theta[0]), alpha: Math.exp(theta[1]), a: Math.exp(theta[2]), b: Math.exp(theta[3]) }) / likelihood.customers;
	};
}

/** The optimum of a loose fit on an evenly spread sample, as the full fit's start; null for small populations or a sample fit that fails. */
function warmStart(data: RepeatPurchaseData, start: number[]): number[] | null {
	const sample = sampleIndices(data.x.length);
	if (!sample) return null;
	const pick = (column: ArrayLike<number>) => Float64Array.from(sample, (i) => column[i]);
	const likelihood = new BgNbdLikelihood({ x: pick(data.x), tx: pick(data.tx), T: pick(data.T) });
	if (likelihood.repeatCustomers === 0) return null;
	const result = nelderMead(logParameterObjective(likelihood), start, WARM_START_OPTIONS);
	return result.converged && result.x.every((theta) => Math.abs(theta) <= LOG_PARAM_LIMIT) ? result.x : null;
}

/** Maximum-likelihood fit by Nelder-Mead on the log-parameters. Throws ModelFitError, never returns NaN. */
export function fitBgNbd(data: RepeatPurchaseData, options: BgNbdFitOptions = {}): BgNbdFit {
	validate(data);
	const minRepeat = options.minRepeatCustomers ?? 10;
	const likelihood = new BgNbdLikelihood(data);
	const n = likelihood.customers;
	if (likelihood.repeatCustomers < Math.max(1, minRepeat)) {
		throw new ModelFitError(
			'BG/NBD',
			'too_few_repeat_customers',
			`only ${likelihood.repeatCustomers} of ${n} customers bought more than once (on different days); the model needs at least ${Math.max(1, minRepeat)} to learn how often customers come back`,
		);
	}
	let sumX = 0;
	let sumT = 0;
	for (let i = 0; i < n; i++) {
		sumX += data.x[i];
		sumT += data.T[i];
	}
	// Start where the prior mean purchase rate r/α equals the observed rate Σx/ΣT (with r = 1).
	const alpha0 = sumT > 0 && sumX > 0 ? sumT / sumX : 1;
	const warm = warmStart(data, [0, Math.log(alpha0), 0, 0]);
	const result = nelderMead(logParameterObjective(likelihood), warm ?? [0, Math.log(alpha0), 0, 0], {
		maxEvaluations: options.maxEvaluations ?? 8000,
		xTolerance: 1e-7,
		fTolerance: 1e-11,
		initialStep: warm ? WARM_START_STEP : 0.5,
		restartStep: FIT_RESTART_STEP,
	});
	// Runaway parameters first: a fit sliding along a ridge towards 0 or ∞ also fails to converge.
	result.x.forEach((theta, k) => {
		if (Math.abs(theta) > LOG_PARAM_LIMIT) {
			throw new ModelFitError(
				'BG/NBD',
				'degenerate',
				`parameter ${PARAM_NAMES[k]} ran off to ${theta > 0 ? 'infinity' : 'zero'}; the purchase histories do not show the repeat-and-drop-out pattern the model needs (more customers or a longer history help)`,
			);
		}
	});
	if (!result.converged || !Number.isFinite(result.value)) {
		throw new ModelFitError(
			'BG/NBD',
			'not_converged',
			`the maximum-likelihood fit did not settle after ${result.evaluations} evaluations (best parameters so far: ${PARAM_NAMES.map((name, k) => `${name}=${Math.exp(result.x[k]).toPrecision(4)}`).join(', ')}); the purchase histories may be too regular or too short for the model`,
		);
	}
	const params = { r: Math.exp(result.x[0]), alpha: Math.exp(result.x[1]), a: Math.exp(result.x[2]), b: Math.exp(result.x[3]) };
	return { ...params, logLikelihood: likelihood.logLikelihood(params), customers: n, repeatCustomers: likelihood.repeatCustomers, evaluations: result.evaluations };
}

/** ln of a/(b+x−1) · ((α+T)/(α+t_x))^(r+x): the odds that the customer has dropped out. */
export function dropoutLogOdds({ r, alpha, a, b }: BgNbdParams, x: number, tx: number, T: number): number {
	if (x <= 0) return -Infinity;
	return Math.log(a) - Math.log(b + x - 1) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx));
}

/** P(alive | x, t_x, T) (FHL 2005, eq. 11 of the Excel note). */
export function probabilityAlive(params: BgNbdParams, x: number, tx: number, T: number): number {
	const logOdds = dropoutLogOdds(params, x, tx, T);
	return logOdds === -Infinity ? 1 : 1 / (1 + Math.exp(logOdds));
}

/**
 * (1−z)^(r+x) · ₂F₁(r+x, b+x; a+b+x−1; z) for z = t/(α+T+t). Euler's transformation gives the same
 * value as (1−z)^(a−1) · ₂F₁(a+b−1−r, a−1; a+b+x−1; z), whose terms shrink like n^(a−r−x−2) instead of
 * growing like n^(r+x−a); the form with the smaller exponent is summed.
 */
function discountedHypergeometric({ r, a, b }: BgNbdParams, x: number, z: number): number {
	const c = a + b + x - 1;
	if (a - 1 < r + x) return Math.pow(1 - z, a - 1) * hyp2f1Series(a + b - 1 - r, a - 1, c, z);
	return Math.pow(1 - z, r + x) * hyp2f1Series(r + x, b + x, c, z);
}

function purchaseNumeratorUnguarded(params: BgNbdParams, x: number, T: number, t: number): number {
	if (t <= 0) return 0;
	const { alpha, a, b } = params;
	const z = t / (alpha + T + t);
	return ((a + b + x - 1) / (a - 1)) * (1 - discountedHypergeometric(params, x, z));
}

/**
 * The numerator of E[Y(t) | x, t_x, T] (FHL 2005, eq. 10): (a+b+x−1)/(a−1) · [1 − (1−z)^(r+x) ₂F₁(…; z)],
 * which depends on x and T only; dividing by 1 + the dropout odds gives the expectation.
 * At a = 1 the expression is 0/0; near it, the value is interpolated from a = 1 ± 1e-3 (error ~1e-6).
 */
export function purchaseNumerator(params: BgNbdParams, x: number, T: number, t: number): number {
	if (Math.abs(params.a - 1) < 1e-3) {
		const below = purchaseNumeratorUnguarded({ ...params, a: 1 - 1e-3 }, x, T, t);
		const above = purchaseNumeratorUnguarded({ ...params, a: 1 + 1e-3 }, x, T, t);
		return below + ((params.a - (1 - 1e-3)) / 2e-3) * (above - below);
	}
	return purchaseNumeratorUnguarded(params, x, T, t);
}

/** E[Y(t) | x, t_x, T]: expected purchases in the next t time units (FHL 2005, eq. 10). */
export function expectedPurchases(params: BgNbdParams, t: number, x: number, tx: number, T: number): number {
	const logOdds = dropoutLogOdds(params, x, tx, T);
	const numerator = purchaseNumerator(params, x, T, t);
	return logOdds === -Infinity ? numerator : numerator / (1 + Math.exp(logOdds));
}

/** E[X(t)]: expected purchases of a new customer in t time units (FHL 2005, eq. 7). */
export function expectedPurchasesNewCustomer(params: BgNbdParams, t: number): number {
	return expectedPurchases(params, t, 0, 0, 0);
}
