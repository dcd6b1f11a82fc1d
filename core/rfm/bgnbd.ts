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
import type { ObjectiveWithGradient } from './bfgs';
import { describeRunaway, minimizeLogParameters, pick, sampleIndices } from './bfgs';
import { distinctValues } from './distinctValues';
import { ModelFitError } from './modelFitError';
import { digamma, hyp2f1Series, lnGamma, logAddExp } from './special';

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
	/** Likelihood-and-gradient evaluations over the whole population. */
	evaluations: number;
	/** Evaluations over the warm start's sample (0 for populations under 40,000 customers). */
	sampleEvaluations: number;
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
 * The log-likelihood and its gradient, regrouped for speed. Per customer it is
 *   G(x) + r ln α − (r+x) ln(α+T) + δ(x>0) · softplus(D),   D = ln a − ln(b+x−1) + (r+x)[ln(α+T) − ln(α+t_x)]
 * with G(x) the ln Γ terms and softplus(D) = ln(1 + e^D) (the ln[…] of the formula above minus A3).
 * Terms in x only are summed once per distinct x, ln(α + t) and 1/(α + t) once per distinct time, the
 * (r+x) ln(α+T) terms once per distinct T, and softplus(D) once per distinct (x, t_x, T) triple of the repeat
 * customers: one exp and one log per triple and evaluation. The gradient reuses the same sums; with
 * w = e^D / (1 + e^D) per triple (FHL 2005 eq. 6 differentiated; ψ = digamma):
 *   ∂/∂r = ψ(r+x) − ψ(r) + ln α − ln(α+T) + w·[ln(α+T) − ln(α+t_x)]
 *   ∂/∂α = r/α − (r+x)/(α+T) + w·(r+x)·[1/(α+T) − 1/(α+t_x)]
 *   ∂/∂a = ψ(a+b) − ψ(a+b+x) + w/a
 *   ∂/∂b = ψ(a+b) + ψ(b+x) − ψ(b) − ψ(a+b+x) − w/(b+x−1)
 * (the ψ terms only for x > 0).
 */
class BgNbdLikelihood {
	readonly customers: number;
	readonly repeatCustomers: number;
	/** Σx over all customers (for the fit's starting point). */
	readonly totalX: number;
	/** ΣT over all customers. */
	readonly totalT: number;
	private readonly times: Float64Array;
	private readonly lnAlphaPlus: Float64Array;
	private readonly invAlphaPlus: Float64Array;
	private readonly distinctX: Float64Array;
	private readonly countByX: Float64Array;
	/** Per distinct time as T: customers observed for that long, and their Σx. */
	private readonly countByT: Float64Array;
	private readonly sumXByT: Float64Array;
	private readonly repeatXIndex: Int32Array;
	private readonly repeatT: Int32Array;
	private readonly repeatTx: Int32Array;
	/** Customers sharing each distinct (x, t_x, T) triple. */
	private readonly repeatCount: Float64Array;
	private readonly lnBPlusXMinus1: Float64Array;
	/** Per distinct x: Σ count · w over its triples (the ∂/∂b sum). */
	private readonly weightByX: Float64Array;

	constructor(data: RepeatPurchaseData) {
		const n = data.x.length;
		this.customers = n;
		let repeat = 0;
		let totalX = 0;
		let totalT = 0;
		for (let i = 0; i < n; i++) {
			totalX += data.x[i];
			totalT += data.T[i];
			if (data.x[i] > 0) repeat++;
		}
		this.repeatCustomers = repeat;
		this.totalX = totalX;
		this.totalT = totalT;

		const x = distinctValues(data.x);
		this.distinctX = x.values;
		this.countByX = new Float64Array(x.values.length);
		this.lnBPlusXMinus1 = new Float64Array(x.values.length);
		this.weightByX = new Float64Array(x.values.length);
		// Every T, then every repeat customer's t_x: one set of distinct times for both.
		const timeColumn = new Float64Array(n + repeat);
		for (let i = 0, k = n; i < n; i++) {
			timeColumn[i] = data.T[i];
			if (data.x[i] > 0) timeColumn[k++] = data.tx[i];
		}
		const time = distinctValues(timeColumn);
		const distinctTimes = time.values.length;
		this.times = time.values;
		this.lnAlphaPlus = new Float64Array(distinctTimes);
		this.invAlphaPlus = new Float64Array(distinctTimes);
		this.countByT = new Float64Array(distinctTimes);
		this.sumXByT = new Float64Array(distinctTimes);

		// Each repeat customer's triple as one exact integer key (x index, T index, t_x index); sorted, equal keys are
		// one term with a count. In the (theoretical) case that keys could exceed 2^53, every customer keeps its own term.
		const exactKeys = distinctTimes * distinctTimes * x.values.length < Number.MAX_SAFE_INTEGER;
		const keys = new Float64Array(repeat);
		for (let i = 0, k = 0; i < n; i++) {
			const xi = x.index[i];
			const tIndex = time.index[i];
			this.countByX[xi]++;
			this.countByT[tIndex]++;
			this.sumXByT[tIndex] += data.x[i];
			if (data.x[i] > 0) {
				keys[k] = exactKeys ? (xi * distinctTimes + tIndex) * distinctTimes + time.index[n + k] : k;
				k++;
			}
		}
		if (!exactKeys) {
			this.repeatXIndex = new Int32Array(repeat);
			this.repeatT = new Int32Array(repeat);
			this.repeatTx = new Int32Array(repeat);
			this.repeatCount = new Float64Array(repeat).fill(1);
			for (let i = 0, k = 0; i < n; i++) {
				if (!(data.x[i] > 0)) continue;
				this.repeatXIndex[k] = x.index[i];
				this.repeatT[k] = time.index[i];
				this.repeatTx[k] = time.index[n + k];
				k++;
			}
			return;
		}
		keys.sort();
		let triples = 0;
		for (let k = 0; k < repeat; k++) if (k === 0 || keys[k] !== keys[k - 1]) triples++;
		this.repeatXIndex = new Int32Array(triples);
		this.repeatT = new Int32Array(triples);
		this.repeatTx = new Int32Array(triples);
		this.repeatCount = new Float64Array(triples);
		for (let k = 0, triple = -1; k < repeat; k++) {
			if (k > 0 && keys[k] === keys[k - 1]) {
				this.repeatCount[triple]++;
				continue;
			}
			triple++;
			this.repeatCount[triple] = 1;
			const key = keys[k];
			const txIndex = key % distinctTimes;
			const rest = (key - txIndex) / distinctTimes;
			const tIndex = rest % distinctTimes;
			this.repeatXIndex[triple] = (rest - tIndex) / distinctTimes;
			this.repeatT[triple] = tIndex;
			this.repeatTx[triple] = txIndex;
		}
	}

	/** Distinct (x, t_x, T) triples of the repeat customers: the terms each evaluation sums. */
	get repeatTriples(): number {
		return this.repeatCount.length;
	}

	logLikelihood(params: BgNbdParams): number {
		return this.evaluate(params, null);
	}

	/** ln L, and when `gradient` is given, ∂ ln L / ∂(r, α, a, b) written into it. */
	evaluate({ r, alpha, a, b }: BgNbdParams, gradient: number[] | null): number {
		const n = this.customers;
		const lnAlpha = Math.log(alpha);
		const times = this.times;
		const lnAlphaPlus = this.lnAlphaPlus;
		const invAlphaPlus = this.invAlphaPlus;
		for (let k = 0; k < times.length; k++) {
			lnAlphaPlus[k] = Math.log(alpha + times[k]);
			invAlphaPlus[k] = 1 / (alpha + times[k]);
		}

		let total = n * r * lnAlpha;
		let dR = n * lnAlpha;
		let dAlpha = (n * r) / alpha;
		let dA = 0;
		let dB = 0;
		for (let k = 0; k < times.length; k++) {
			const count = this.countByT[k];
			if (count === 0) continue;
			const weight = count * r + this.sumXByT[k];
			total -= weight * lnAlphaPlus[k];
			dR -= count * lnAlphaPlus[k];
			dAlpha -= weight * invAlphaPlus[k];
		}

		const lnGammaR = lnGamma(r);
		const lnGammaB = lnGamma(b);
		const lnGammaAB = lnGamma(a + b);
		const psiR = gradient ? digamma(r) : 0;
		const psiB = gradient ? digamma(b) : 0;
		const psiAB = gradient ? digamma(a + b) : 0;
		const distinctX = this.distinctX;
		const lnBx = this.lnBPlusXMinus1;
		for (let k = 0; k < distinctX.length; k++) {
			const x = distinctX[k];
			this.weightByX[k] = 0;
			if (x === 0) continue;
			const count = this.countByX[k];
			total += count * (lnGamma(r + x) - lnGammaR + lnGammaAB + lnGamma(b + x) - lnGammaB - lnGamma(a + b + x));
			lnBx[k] = Math.log(b + x - 1);
			if (gradient) {
				const psiABX = digamma(a + b + x);
				dR += count * (digamma(r + x) - psiR);
				dA += count * (psiAB - psiABX);
				dB += count * (psiAB + digamma(b + x) - psiB - psiABX);
			}
		}

		const lnA = Math.log(a);
		const xIndex = this.repeatXIndex;
		const tIndex = this.repeatT;
		const txIndex = this.repeatTx;
		const counts = this.repeatCount;
		const weightByX = this.weightByX;
		let softplusSum = 0;
		let weightDelta = 0;
		let weightInverse = 0;
		let weightSum = 0;
		for (let i = 0; i < xIndex.length; i++) {
			const xi = xIndex[i];
			const s = r + distinctX[xi];
			const t = tIndex[i];
			const tx = txIndex[i];
			const delta = lnAlphaPlus[t] - lnAlphaPlus[tx];
			const D = lnA - lnBx[xi] + s * delta;
			const e = Math.exp(-Math.abs(D));
			const count = counts[i];
			softplusSum += count * ((D > 0 ? D : 0) + Math.log1p(e));
			if (gradient) {
				const cw = (count * (D > 0 ? 1 : e)) / (1 + e);
				weightSum += cw;
				weightDelta += cw * delta;
				weightInverse += cw * s * (invAlphaPlus[t] - invAlphaPlus[tx]);
				weightByX[xi] += cw;
			}
		}
		total += softplusSum;
		if (gradient) {
			dR += weightDelta;
			dAlpha += weightInverse;
			dA += weightSum / a;
			for (let k = 0; k < distinctX.length; k++) if (distinctX[k] > 0) dB -= weightByX[k] / (b + distinctX[k] - 1);
			gradient[0] = dR;
			gradient[1] = dAlpha;
			gradient[2] = dA;
			gradient[3] = dB;
		}
		return total;
	}
}

/** ln L and its gradient ∂ ln L / ∂(r, α, a, b), by the regrouped sums the fit uses (exported for the gradient tests). */
export function bgNbdLogLikelihoodWithGradient(params: BgNbdParams, data: RepeatPurchaseData): { value: number; gradient: number[] } {
	const gradient = [0, 0, 0, 0];
	const value = new BgNbdLikelihood(data).evaluate(params, gradient);
	return { value, gradient };
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

/** −ln L per customer and its gradient over log-parameters [ln r, ln α, ln a, ln b], +∞ outside the search bounds. */
function logParameterObjective(likelihood: BgNbdLikelihood): ObjectiveWithGradient {
	const natural = [0, 0, 0, 0];
	return (theta, gradient) => {
		for (const t of theta) if (!(Math.abs(t) <= LOG_PARAM_BOUND)) return Infinity;
		const params = { r: Math.exp(theta[0]), alpha: Math.exp(theta[1]), a: Math.exp(theta[2]), b: Math.exp(theta[3]) };
		const value = likelihood.evaluate(params, natural);
		// d/d ln θ = θ · d/dθ, per customer and negated.
		const n = likelihood.customers;
		gradient[0] = (-params.r * natural[0]) / n;
		gradient[1] = (-params.alpha * natural[1]) / n;
		gradient[2] = (-params.a * natural[2]) / n;
		gradient[3] = (-params.b * natural[3]) / n;
		return -value / n;
	};
}

/**
 * Maximum-likelihood fit by BFGS with the analytic gradient on the log-parameters (Nelder-Mead if BFGS stalls);
 * from 40,000 customers on, warm-started by a fit on an evenly spread sample. Throws ModelFitError, never returns NaN.
 */
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
	// Start where the prior mean purchase rate r/α equals the observed rate Σx/ΣT (with r = 1).
	const alpha0 = likelihood.totalT > 0 && likelihood.totalX > 0 ? likelihood.totalT / likelihood.totalX : 1;
	const sample = sampleIndices(n);
	const sampleLikelihood = sample ? new BgNbdLikelihood({ x: pick(data.x, sample), tx: pick(data.tx, sample), T: pick(data.T, sample) }) : null;
	const result = minimizeLogParameters(logParameterObjective(likelihood), [0, Math.log(alpha0), 0, 0], {
		maxEvaluations: options.maxEvaluations ?? 8000,
		runawayLimit: LOG_PARAM_LIMIT,
		sampleObjective: sampleLikelihood && sampleLikelihood.repeatCustomers > 0 ? logParameterObjective(sampleLikelihood) : null,
	});
	// Runaway parameters first: a fit sliding along a ridge towards 0 or ∞ also fails to converge.
	const runaway = describeRunaway(result.x, PARAM_NAMES, LOG_PARAM_LIMIT);
	if (runaway) {
		throw new ModelFitError(
			'BG/NBD',
			'degenerate',
			`${runaway}; the purchase histories do not show the repeat-and-drop-out pattern the model needs (more customers or a longer history help)`,
		);
	}
	if (!result.converged || !Number.isFinite(result.value)) {
		throw new ModelFitError(
			'BG/NBD',
			'not_converged',
			`the maximum-likelihood fit did not settle after ${result.evaluations} evaluations (best parameters so far: ${PARAM_NAMES.map((name, k) => `${name}=${Math.exp(result.x[k]).toPrecision(4)}`).join(', ')}); the purchase histories may be too regular or too short for the model`,
		);
	}
	const params = { r: Math.exp(result.x[0]), alpha: Math.exp(result.x[1]), a: Math.exp(result.x[2]), b: Math.exp(result.x[3]) };
	return { ...params, logLikelihood: likelihood.logLikelihood(params), customers: n, repeatCustomers: likelihood.repeatCustomers, evaluations: result.evaluations, sampleEvaluations: result.sampleEvaluations };
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
