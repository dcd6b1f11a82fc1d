/**
 * Gamma-Gamma model of spend per transaction: Fader, Hardie & Lee (2005), "RFM and CLV: Using
 * Iso-Value Curves for Customer Base Analysis", Journal of Marketing Research 42(4), and Hardie's
 * note "The Gamma-Gamma Model of Monetary Value" (brucehardie.com, 2013).
 *
 * For a customer with x repeat transactions of mean value m̄ (the first purchase excluded):
 *   ln L = ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln γ + (px−1) ln m̄ + px ln x − (px+q) ln(γ + x m̄)
 *   E[M | p, q, γ, m̄, x] = p (γ + x m̄) / (px + q − 1)
 * The model assumes spend per transaction is independent of purchase frequency; the fit reports the
 * correlation between x and m̄ so that an operator can see when this assumption is doubtful.
 */
import { ModelFitError } from './modelFitError';
import { FIT_RESTART_STEP, WARM_START_OPTIONS, WARM_START_STEP, nelderMead, sampleIndices } from './nelderMead';
import { lnGamma } from './special';

export interface GammaGammaParams {
	p: number;
	q: number;
	gamma: number;
}

export interface SpendData {
	/** Repeat transactions (> 0 for every customer given to the fit). */
	x: ArrayLike<number>;
	/** Mean value of the repeat transactions. */
	meanValue: ArrayLike<number>;
}

export interface GammaGammaFit extends GammaGammaParams {
	logLikelihood: number;
	customers: number;
	/** Pearson correlation of x and m̄ over the fitted customers (near 0 is what the model assumes). */
	frequencySpendCorrelation: number;
	evaluations: number;
}

export function gammaGammaLogLikelihood({ p, q, gamma }: GammaGammaParams, data: SpendData): number {
	let total = 0;
	for (let i = 0; i < data.x.length; i++) {
		const x = data.x[i];
		const m = data.meanValue[i];
		total +=
			lnGamma(p * x + q) - lnGamma(p * x) - lnGamma(q) + q * Math.log(gamma) + (p * x - 1) * Math.log(m) + p * x * Math.log(x) - (p * x + q) * Math.log(gamma + x * m);
	}
	return total;
}

/** Conditional expected spend per transaction; for x = 0 it is the population mean pγ/(q−1). */
export function expectedAverageValue({ p, q, gamma }: GammaGammaParams, x: number, meanValue: number): number {
	return (p * (gamma + x * meanValue)) / (p * x + q - 1);
}

/** Keeps the customers the model can use: x > 0 and a positive mean repeat value. */
export function selectSpendData(x: ArrayLike<number>, meanValue: ArrayLike<number>): SpendData & { index: Int32Array } {
	const keep: number[] = [];
	for (let i = 0; i < x.length; i++) if (x[i] > 0 && meanValue[i] > 0 && Number.isFinite(meanValue[i])) keep.push(i);
	return {
		x: Float64Array.from(keep, (i) => x[i]),
		meanValue: Float64Array.from(keep, (i) => meanValue[i]),
		index: Int32Array.from(keep),
	};
}

/** See bgnbd.ts: bounded search, runaway beyond 20. */
const LOG_PARAM_BOUND = 25;
const LOG_PARAM_LIMIT = 20;

/**
 * The log-likelihood with everything except ln(γ + x m̄) regrouped into sums computed once, and the
 * fit's objective: −ln L per customer over [ln p, ln q, ln γ], +∞ outside the search bounds.
 */
function likelihoodOf(data: SpendData) {
	const n = data.x.length;
	let sumXLnM = 0;
	let sumLnM = 0;
	let sumXLnX = 0;
	let sumM = 0;
	const xCounts = new Map<number, number>();
	for (let i = 0; i < n; i++) {
		const x = data.x[i];
		const lnM = Math.log(data.meanValue[i]);
		sumXLnM += x * lnM;
		sumLnM += lnM;
		sumXLnX += x * Math.log(x);
		sumM += data.meanValue[i];
		xCounts.set(x, (xCounts.get(x) ?? 0) + 1);
	}
	const distinctX = Float64Array.from(xCounts.keys());
	const countByX = Float64Array.from(xCounts.values());
	const xs = Float64Array.from(data.x);
	const ms = Float64Array.from(data.meanValue);

	const logLikelihood = ({ p, q, gamma }: GammaGammaParams): number => {
		let total = -n * lnGamma(q) + n * q * Math.log(gamma) + p * sumXLnM - sumLnM + p * sumXLnX;
		for (let k = 0; k < distinctX.length; k++) total += countByX[k] * (lnGamma(p * distinctX[k] + q) - lnGamma(p * distinctX[k]));
		for (let i = 0; i < n; i++) total -= (p * xs[i] + q) * Math.log(gamma + xs[i] * ms[i]);
		return total;
	};
	const objective = (theta: number[]): number => {
		for (const t of theta) if (Math.abs(t) > LOG_PARAM_BOUND) return Infinity;
		return -logLikelihood({ p: Math.exp(theta[0]), q: Math.exp(theta[1]), gamma: Math.exp(theta[2]) }) / n;
	};
	return { logLikelihood, objective, meanSpend: sumM / n, xs, ms };
}

/** The optimum of a loose fit on an evenly spread sample, as the full fit's start; null for small populations or a sample fit that fails. */
function warmStart(data: SpendData, start: number[]): number[] | null {
	const sample = sampleIndices(data.x.length);
	if (!sample) return null;
	const { objective } = likelihoodOf({ x: Float64Array.from(sample, (i) => data.x[i]), meanValue: Float64Array.from(sample, (i) => data.meanValue[i]) });
	const result = nelderMead(objective, start, WARM_START_OPTIONS);
	return result.converged && result.x.every((theta) => Math.abs(theta) <= LOG_PARAM_LIMIT) ? result.x : null;
}

export function fitGammaGamma(data: SpendData, options: { minCustomers?: number; maxEvaluations?: number } = {}): GammaGammaFit {
	const n = data.x.length;
	const minCustomers = Math.max(2, options.minCustomers ?? 10);
	for (let i = 0; i < n; i++) {
		if (!(data.x[i] > 0) || !(data.meanValue[i] > 0) || !Number.isFinite(data.meanValue[i])) {
			throw new ModelFitError('Gamma-Gamma', 'invalid_data', `customer ${i} has x=${data.x[i]} and mean value ${data.meanValue[i]}; both must be positive`);
		}
	}
	if (n < minCustomers) {
		throw new ModelFitError(
			'Gamma-Gamma',
			'too_few_repeat_customers',
			`only ${n} customers have repeat purchases with a positive value; the spend model needs at least ${minCustomers}`,
		);
	}
	const { logLikelihood, objective, meanSpend, xs, ms } = likelihoodOf(data);
	// Start with p = 1, q = 2 and γ at the mean spend, so that the implied mean pγ/(q−1) matches the data.
	const start = [0, Math.log(2), Math.log(meanSpend)];
	const warm = warmStart(data, start);
	const result = nelderMead(objective, warm ?? start, {
		maxEvaluations: options.maxEvaluations ?? 6000,
		xTolerance: 1e-7,
		fTolerance: 1e-11,
		initialStep: warm ? WARM_START_STEP : 0.5,
		restartStep: FIT_RESTART_STEP,
	});
	const names = ['p', 'q', 'gamma'];
	result.x.forEach((theta, k) => {
		if (Math.abs(theta) > LOG_PARAM_LIMIT) {
			throw new ModelFitError('Gamma-Gamma', 'degenerate', `parameter ${names[k]} ran off to ${theta > 0 ? 'infinity' : 'zero'}; the spend data do not identify the model`);
		}
	});
	if (!result.converged || !Number.isFinite(result.value)) {
		throw new ModelFitError('Gamma-Gamma', 'not_converged', `the maximum-likelihood fit did not settle after ${result.evaluations} evaluations`);
	}
	const params = { p: Math.exp(result.x[0]), q: Math.exp(result.x[1]), gamma: Math.exp(result.x[2]) };
	if (params.q <= 1) {
		throw new ModelFitError(
			'Gamma-Gamma',
			'degenerate',
			`fitted q = ${params.q.toFixed(3)} ≤ 1, so the population's average spend per order has no finite mean; the spend figures are too spread out (a few huge orders) for this model`,
		);
	}
	return { ...params, logLikelihood: logLikelihood(params), customers: n, frequencySpendCorrelation: pearson(xs, ms), evaluations: result.evaluations };
}

function pearson(xs: Float64Array, ys: Float64Array): number {
	const n = xs.length;
	let mx = 0;
	let my = 0;
	for (let i = 0; i < n; i++) {
		mx += xs[i] / n;
		my += ys[i] / n;
	}
	let sxy = 0;
	let sxx = 0;
	let syy = 0;
	for (let i = 0; i < n; i++) {
		sxy += (xs[i] - mx) * (ys[i] - my);
		sxx += (xs[i] - mx) ** 2;
		syy += (ys[i] - my) ** 2;
	}
	return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0;
}
