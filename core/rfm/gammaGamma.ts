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
import type { ObjectiveWithGradient } from './bfgs';
import { describeRunaway, minimizeLogParameters, pick, sampleIndices } from './bfgs';
import { distinctValues } from './distinctValues';
import { ModelFitError } from './modelFitError';
import { digamma, lnGamma } from './special';

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
	/** Likelihood-and-gradient evaluations over all the customers. */
	evaluations: number;
	/** Evaluations over the warm start's sample (0 for fewer than 40,000 customers). */
	sampleEvaluations: number;
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
	const usable = (i: number) => x[i] > 0 && meanValue[i] > 0 && Number.isFinite(meanValue[i]);
	let count = 0;
	for (let i = 0; i < x.length; i++) if (usable(i)) count++;
	// Typed arrays filled in place: Float64Array.from with a mapping function costs ~20x more at 200k customers.
	const selected = { x: new Float64Array(count), meanValue: new Float64Array(count), index: new Int32Array(count) };
	for (let i = 0, k = 0; i < x.length; i++) {
		if (!usable(i)) continue;
		selected.x[k] = x[i];
		selected.meanValue[k] = meanValue[i];
		selected.index[k++] = i;
	}
	return selected;
}

/** See bgnbd.ts: bounded search, runaway beyond 20. */
const LOG_PARAM_BOUND = 25;
const LOG_PARAM_LIMIT = 20;

/**
 * The log-likelihood and its gradient, with everything except ln(γ + x m̄) regrouped into sums computed
 * once, and customers with the same (x, m̄) collapsed into one term with a count. With A_x = Σ ln(γ + x m̄)
 * and B_x = Σ 1/(γ + x m̄) over the customers with x repeat purchases (ψ = digamma):
 *   ∂/∂p = Σ x [ψ(px+q) − ψ(px) + ln m̄ + ln x] − Σ_x x A_x
 *   ∂/∂q = Σ [ψ(px+q) − ψ(q) + ln γ] − Σ_x A_x
 *   ∂/∂γ = n q/γ − Σ_x (px+q) B_x
 */
function likelihoodOf(data: SpendData) {
	const n = data.x.length;
	let sumXLnM = 0;
	let sumLnM = 0;
	let sumXLnX = 0;
	let sumM = 0;
	for (let i = 0; i < n; i++) {
		const x = data.x[i];
		const lnM = Math.log(data.meanValue[i]);
		sumXLnM += x * lnM;
		sumLnM += lnM;
		sumXLnX += x * Math.log(x);
		sumM += data.meanValue[i];
	}
	const { distinctX, countByX, groupStart, groupValue, groupCount } = groupByXAndMean(data);
	const lnSums = new Float64Array(distinctX.length);
	const inverseSums = new Float64Array(distinctX.length);

	/** ln L, and when `gradient` is given, ∂ ln L / ∂(p, q, γ) written into it. */
	const evaluate = ({ p, q, gamma }: GammaGammaParams, gradient: number[] | null): number => {
		const lnGammaParam = Math.log(gamma);
		let total = -n * lnGamma(q) + n * q * lnGammaParam + p * sumXLnM - sumLnM + p * sumXLnX;
		let dP = sumXLnM + sumXLnX;
		let dQ = gradient ? n * (lnGammaParam - digamma(q)) : 0;
		let dGamma = (n * q) / gamma;
		for (let k = 0; k < distinctX.length; k++) {
			const x = distinctX[k];
			let lnSum = 0;
			let inverseSum = 0;
			for (let j = groupStart[k]; j < groupStart[k + 1]; j++) {
				const spend = gamma + x * groupValue[j];
				lnSum += groupCount[j] * Math.log(spend);
				if (gradient) inverseSum += groupCount[j] / spend;
			}
			lnSums[k] = lnSum;
			inverseSums[k] = inverseSum;
			const shape = p * x + q;
			total += countByX[k] * (lnGamma(shape) - lnGamma(p * x)) - shape * lnSum;
			if (gradient) {
				const psiShape = digamma(shape);
				dP += countByX[k] * x * (psiShape - digamma(p * x)) - x * lnSum;
				dQ += countByX[k] * psiShape - lnSum;
				dGamma -= shape * inverseSum;
			}
		}
		if (gradient) {
			gradient[0] = dP;
			gradient[1] = dQ;
			gradient[2] = dGamma;
		}
		return total;
	};
	const logLikelihood = (params: GammaGammaParams): number => evaluate(params, null);
	const natural = [0, 0, 0];
	const objective: ObjectiveWithGradient = (theta, gradient) => {
		for (const t of theta) if (!(Math.abs(t) <= LOG_PARAM_BOUND)) return Infinity;
		const params = { p: Math.exp(theta[0]), q: Math.exp(theta[1]), gamma: Math.exp(theta[2]) };
		const value = evaluate(params, natural);
		// d/d ln θ = θ · d/dθ, per customer and negated.
		gradient[0] = (-params.p * natural[0]) / n;
		gradient[1] = (-params.q * natural[1]) / n;
		gradient[2] = (-params.gamma * natural[2]) / n;
		return -value / n;
	};
	return { logLikelihood, evaluate, objective, meanSpend: sumM / n, distinctTerms: groupValue.length };
}

/** ln L and its gradient ∂ ln L / ∂(p, q, γ), by the regrouped sums the fit uses (exported for the gradient tests). */
export function gammaGammaLogLikelihoodWithGradient(params: GammaGammaParams, data: SpendData): { value: number; gradient: number[] } {
	const gradient = [0, 0, 0];
	const value = likelihoodOf(data).evaluate(params, gradient);
	return { value, gradient };
}

/**
 * Customers bucketed by x (a counting sort over the few distinct x), each bucket's mean values sorted and
 * run-length counted: the distinct (x, m̄) pairs, without a hash map keyed by (x, m̄).
 */
function groupByXAndMean(data: SpendData) {
	const n = data.x.length;
	const { values: distinctX, index: bucketOf } = distinctValues(data.x);
	const countByX = new Float64Array(distinctX.length);
	for (let i = 0; i < n; i++) countByX[bucketOf[i]]++;
	const bucketStart = new Int32Array(distinctX.length + 1);
	for (let k = 0; k < distinctX.length; k++) bucketStart[k + 1] = bucketStart[k] + countByX[k];
	const fill = bucketStart.slice(0, distinctX.length);
	const means = new Float64Array(n);
	for (let i = 0; i < n; i++) means[fill[bucketOf[i]]++] = data.meanValue[i];
	// Each bucket sorted in place, then equal neighbours counted; the distinct values are written over the front of
	// `means`, never ahead of the position being read (at most one value is written per value read).
	const groupStart = new Int32Array(distinctX.length + 1);
	const groupCount = new Float64Array(n);
	let groups = 0;
	for (let k = 0; k < distinctX.length; k++) {
		const bucket = means.subarray(bucketStart[k], bucketStart[k + 1]).sort();
		for (let j = 0; j < bucket.length; j++) {
			if (j > 0 && bucket[j] === bucket[j - 1]) groupCount[groups - 1]++;
			else {
				means[groups] = bucket[j];
				groupCount[groups++] = 1;
			}
		}
		groupStart[k + 1] = groups;
	}
	return { distinctX, countByX, groupStart, groupValue: means.slice(0, groups), groupCount: groupCount.slice(0, groups) };
}

/**
 * Maximum-likelihood fit by BFGS with the analytic gradient on the log-parameters (Nelder-Mead if BFGS stalls);
 * from 40,000 customers on, warm-started by a fit on an evenly spread sample.
 */
export function fitGammaGamma(data: SpendData, options: { minCustomers?: number; maxEvaluations?: number } = {}): GammaGammaFit {
	const n = data.x.length;
	const minCustomers = Math.max(2, options.minCustomers ?? 10);
	for (let i = 0; i < n; i++) {
		if (!(data.x[i] > 0) || !(data.meanValue[i] > 0) || !Number.isFinite(data.meanValue[i]) || !Number.isFinite(data.x[i])) {
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
	const { logLikelihood, objective, meanSpend } = likelihoodOf(data);
	// Start with p = 1, q = 2 and γ at the mean spend, so that the implied mean pγ/(q−1) matches the data.
	const start = [0, Math.log(2), Math.log(meanSpend)];
	const sample = sampleIndices(n);
	const result = minimizeLogParameters(objective, start, {
		maxEvaluations: options.maxEvaluations ?? 6000,
		runawayLimit: LOG_PARAM_LIMIT,
		sampleObjective: sample ? likelihoodOf({ x: pick(data.x, sample), meanValue: pick(data.meanValue, sample) }).objective : null,
	});
	const runaway = describeRunaway(result.x, ['p', 'q', 'gamma'], LOG_PARAM_LIMIT);
	if (runaway) throw new ModelFitError('Gamma-Gamma', 'degenerate', `${runaway}; the spend data do not identify the model`);
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
	return {
		...params,
		logLikelihood: logLikelihood(params),
		customers: n,
		frequencySpendCorrelation: pearson(Float64Array.from(data.x), Float64Array.from(data.meanValue)),
		evaluations: result.evaluations,
		sampleEvaluations: result.sampleEvaluations,
	};
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
