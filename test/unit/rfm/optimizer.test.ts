/**
 * The fits' optimiser: BFGS (core/rfm/bfgs.ts) on known minima, and the analytic likelihood gradients
 * it relies on against central finite differences of the plain per-customer likelihoods.
 */
import fc from 'fast-check';

import { bfgs, describeRunaway, minimizeLogParameters, sampleIndices } from '../../../core/rfm/bfgs';
import type { BgNbdParams } from '../../../core/rfm/bgnbd';
import { bgNbdLogLikelihood, bgNbdLogLikelihoodWithGradient, fitBgNbd } from '../../../core/rfm/bgnbd';
import { distinctValues } from '../../../core/rfm/distinctValues';
import type { GammaGammaParams } from '../../../core/rfm/gammaGamma';
import { fitGammaGamma, gammaGammaLogLikelihood, gammaGammaLogLikelihoodWithGradient, selectSpendData } from '../../../core/rfm/gammaGamma';
import { ModelFitError } from '../../../core/rfm/modelFitError';
import { readCdnowFrequencySummary, readCdnowSummary } from './datasets';

/**
 * Five-point central difference of f along one parameter (error O(h⁴)), with a step relative to the value:
 * large enough that the likelihood's rounding (~1e-11 on CDNOW) stays far below the tolerance.
 */
function centralDifference<P extends object>(f: (params: P) => number, params: P, name: keyof P, relativeStep = 1e-3): number {
	const value = params[name] as number;
	const h = relativeStep * value;
	const at = (k: number) => f({ ...params, [name]: value + k * h });
	return (at(-2) - 8 * at(-1) + 8 * at(1) - at(2)) / (12 * h);
}

describe('BG/NBD log-likelihood gradient', () => {
	const frequencySummary = readCdnowFrequencySummary();
	const cdnow = { x: frequencySummary.map((r) => r.x), tx: frequencySummary.map((r) => r.tx), T: frequencySummary.map((r) => r.T) };
	// A small population with x = 0, x = 1 (b + x − 1 = b), t_x = T and t_x = 0 cases.
	const edge = { x: [0, 0, 1, 1, 2, 5, 12, 3], tx: [0, 0, 4, 9, 9, 30, 31, 0.5], T: [10, 3, 9, 9, 20, 31, 40, 33] };
	const points: Array<[string, BgNbdParams, typeof cdnow]> = [
		['CDNOW at the paper parameters', { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, cdnow],
		['CDNOW away from the optimum', { r: 1.7, alpha: 0.9, a: 3.2, b: 0.4 }, cdnow],
		['edge cases, a < 1', { r: 0.5, alpha: 7, a: 0.3, b: 1.5 }, edge],
		['edge cases, large b', { r: 2.5, alpha: 60, a: 1.2, b: 40 }, edge],
	];

	it.each(points)('equals central finite differences of the per-customer formula (%s)', (_, params, data) => {
		const { value, gradient } = bgNbdLogLikelihoodWithGradient(params, data);
		expect(value).toBeCloseTo(bgNbdLogLikelihood(params, data), 7);
		(['r', 'alpha', 'a', 'b'] as const).forEach((name, k) => {
			const numeric = centralDifference((p: BgNbdParams) => bgNbdLogLikelihood(p, data), params, name);
			expect(Math.abs(gradient[k] - numeric)).toBeLessThan(1e-6 * Math.max(1, Math.abs(numeric)));
		});
	});
});

describe('Gamma-Gamma log-likelihood gradient', () => {
	const summary = readCdnowSummary();
	const cdnow = selectSpendData(
		summary.map((r) => r.x),
		summary.map((r) => r.zbar),
	);
	// Repeated (x, m̄) pairs collapse into one term with a count: the sums must still match.
	const repeated = { x: [1, 1, 1, 2, 2, 7, 7, 7, 30], meanValue: [20, 20, 35.5, 20, 20, 12.25, 12.25, 99, 41] };
	const points: Array<[string, GammaGammaParams, { x: ArrayLike<number>; meanValue: ArrayLike<number> }]> = [
		['CDNOW at the paper parameters', { p: 6.25, q: 3.74, gamma: 15.44 }, cdnow],
		['CDNOW away from the optimum', { p: 0.8, q: 11, gamma: 210 }, cdnow],
		['repeated pairs', { p: 2.2, q: 1.6, gamma: 9 }, repeated],
	];

	it.each(points)('equals central finite differences of the per-customer formula (%s)', (_, params, data) => {
		const { value, gradient } = gammaGammaLogLikelihoodWithGradient(params, data);
		expect(value).toBeCloseTo(gammaGammaLogLikelihood(params, data), 7);
		(['p', 'q', 'gamma'] as const).forEach((name, k) => {
			const numeric = centralDifference((p: GammaGammaParams) => gammaGammaLogLikelihood(p, data), params, name);
			expect(Math.abs(gradient[k] - numeric)).toBeLessThan(1e-6 * Math.max(1, Math.abs(numeric)));
		});
	});
});

describe('bfgs', () => {
	const rosenbrock = (x: number[], gradient: number[]) => {
		gradient[0] = -2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] * x[0]);
		gradient[1] = 200 * (x[1] - x[0] * x[0]);
		return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] * x[0]) ** 2;
	};

	it('finds the minimum of the Rosenbrock function from the classic start', () => {
		const result = bfgs(rosenbrock, [-1.2, 1], { gradientTolerance: 1e-10 });
		expect(result.converged).toBe(true);
		expect(result.x[0]).toBeCloseTo(1, 8);
		expect(result.x[1]).toBeCloseTo(1, 8);
		// Nelder-Mead needs hundreds of evaluations here; BFGS with gradients a few dozen.
		expect(result.evaluations).toBeLessThan(100);
	});

	it('minimises an ill-conditioned quadratic exactly', () => {
		const scales = [1, 1e-3, 1e3];
		const quadratic = (x: number[], gradient: number[]) => {
			let value = 0;
			x.forEach((v, i) => {
				gradient[i] = scales[i] * (v - i);
				value += 0.5 * scales[i] * (v - i) ** 2;
			});
			return value;
		};
		const result = bfgs(quadratic, [5, 5, 5], { gradientTolerance: 1e-12 });
		expect(result.converged).toBe(true);
		result.x.forEach((v, i) => expect(v).toBeCloseTo(i, 6));
	});

	it('treats non-finite values as +∞ and backs away from them', () => {
		// Defined for x > 0 only (like a log-parameter beyond the search bound): minimum at x = 2.
		const objective = ([x]: number[], gradient: number[]) => {
			gradient[0] = 1 - 2 / x;
			return x <= 0 ? NaN : x - 2 * Math.log(x);
		};
		const result = bfgs(objective, [0.1]);
		expect(result.converged).toBe(true);
		expect(result.x[0]).toBeCloseTo(2, 8);
	});

	it('reports non-convergence when the budget runs out, and an infinite start', () => {
		expect(bfgs(rosenbrock, [-1.2, 1], { maxEvaluations: 5 }).converged).toBe(false);
		expect(bfgs(() => Infinity, [0, 0]).converged).toBe(false);
	});
});

describe('minimizeLogParameters', () => {
	it('falls back to Nelder-Mead when the gradient is wrong and BFGS stalls', () => {
		// The value is a bowl at (1, −2); the "gradient" points the wrong way, so no BFGS step can decrease it.
		const misleading = (x: number[], gradient: number[]) => {
			gradient[0] = -(x[0] - 1);
			gradient[1] = -(x[1] + 2);
			return (x[0] - 1) ** 2 + (x[1] + 2) ** 2;
		};
		const result = minimizeLogParameters(misleading, [0, 0], { maxEvaluations: 2000, runawayLimit: 20 });
		expect(result.method).toBe('nelder-mead');
		expect(result.converged).toBe(true);
		expect(result.x[0]).toBeCloseTo(1, 5);
		expect(result.x[1]).toBeCloseTo(-2, 5);
	});

	it('names run-off parameters, farthest first', () => {
		expect(describeRunaway([1, 21.8, -24.6, 3], ['r', 'alpha', 'a', 'b'], 20)).toBe('parameter a ran off to zero and alpha to infinity');
		expect(describeRunaway([1, 2], ['p', 'q'], 20)).toBeNull();
	});
});

describe('warm start on a sample for large populations', () => {
	// Every customer repeated k times multiplies the likelihood by k: the maximum stays where it is,
	// so the warm-started fit of the large copy must land on the plain fit of the original.
	const repeatEach = <T>(values: ArrayLike<T>, times: number): T[] => Array.from({ length: values.length * times }, (_, i) => values[i % values.length]);

	it('sampleIndices: evenly spread, only from twice the sample size on', () => {
		expect(sampleIndices(39_999)).toBeNull();
		const sample = sampleIndices(100_000) as Int32Array;
		expect(sample.length).toBe(20_000);
		expect(Array.from(sample.subarray(0, 3))).toEqual([0, 5, 10]);
		expect(sample[sample.length - 1]).toBe(99_995);
	});

	it('BG/NBD: CDNOW repeated 20 times (47,140 customers) gives the CDNOW fit', () => {
		const summary = readCdnowFrequencySummary();
		const data = { x: summary.map((r) => r.x), tx: summary.map((r) => r.tx), T: summary.map((r) => r.T) };
		const plain = fitBgNbd(data);
		const large = fitBgNbd({ x: repeatEach(data.x, 20), tx: repeatEach(data.tx, 20), T: repeatEach(data.T, 20) });
		expect(plain.sampleEvaluations).toBe(0);
		expect(large.sampleEvaluations).toBeGreaterThan(0);
		for (const name of ['r', 'alpha', 'a', 'b'] as const) expect(Math.abs(large[name] / plain[name] - 1)).toBeLessThan(1e-6);
		expect(large.logLikelihood / 20).toBeCloseTo(plain.logLikelihood, 6);
	});

	it('Gamma-Gamma: the 946 CDNOW repeat buyers repeated 50 times give the CDNOW fit', () => {
		const summary = readCdnowSummary();
		const spend = selectSpendData(
			summary.map((r) => r.x),
			summary.map((r) => r.zbar),
		);
		const plain = fitGammaGamma(spend);
		const large = fitGammaGamma({ x: repeatEach(spend.x, 50), meanValue: repeatEach(spend.meanValue, 50) });
		expect(large.customers).toBe(47_300);
		expect(large.sampleEvaluations).toBeGreaterThan(0);
		for (const name of ['p', 'q', 'gamma'] as const) expect(Math.abs(large[name] / plain[name] - 1)).toBeLessThan(1e-6);
	});
});

describe('distinctValues', () => {
	const check = (column: number[]) => {
		const { values, index } = distinctValues(column);
		const expected = [...new Set(column)].sort((p, q) => p - q);
		expect(Array.from(values)).toEqual(expected);
		column.forEach((v, i) => expect(values[index[i]]).toBe(v));
	};

	it('ranks whole numbers (days, counts) through the lookup table', () => check([30, 0, 7, 7, 365, 0, 1, 30]));
	it('ranks fractional times (weeks) by sorting', () => check([38.86, 30.43, 0, 38.86, 1.5, 0.1 + 0.2, 0.3]));
	it('ranks whole numbers too large for the table by sorting', () => check([1e12, 3, 1e12, 5e9]));
	it('handles an empty column', () => expect(distinctValues([]).values.length).toBe(0));
});

describe('fits on arbitrary small populations', () => {
	const customer = fc.record({ x: fc.integer({ min: 0, max: 40 }), T: fc.integer({ min: 0, max: 1000 }), share: fc.double({ min: 0, max: 1, noNaN: true }) });

	it('BG/NBD returns finite parameters or a ModelFitError, never NaN', () => {
		fc.assert(
			fc.property(fc.array(customer, { minLength: 1, maxLength: 300 }), (rows) => {
				const data = { x: rows.map((r) => r.x), T: rows.map((r) => r.T), tx: rows.map((r) => (r.x > 0 ? Math.round(r.share * r.T) : 0)) };
				try {
					const fit = fitBgNbd(data, { minRepeatCustomers: 1 });
					for (const value of [fit.r, fit.alpha, fit.a, fit.b, fit.logLikelihood]) expect(Number.isFinite(value)).toBe(true);
				} catch (error) {
					expect(error).toBeInstanceOf(ModelFitError);
				}
			}),
			{ numRuns: 60 },
		);
	});

	it('Gamma-Gamma returns finite parameters or a ModelFitError, never NaN', () => {
		const spender = fc.record({ x: fc.integer({ min: 1, max: 30 }), meanValue: fc.double({ min: 0.01, max: 5000, noNaN: true }) });
		fc.assert(
			fc.property(fc.array(spender, { minLength: 2, maxLength: 300 }), (rows) => {
				try {
					const fit = fitGammaGamma({ x: rows.map((r) => r.x), meanValue: rows.map((r) => r.meanValue) }, { minCustomers: 2 });
					for (const value of [fit.p, fit.q, fit.gamma, fit.logLikelihood]) expect(Number.isFinite(value)).toBe(true);
				} catch (error) {
					expect(error).toBeInstanceOf(ModelFitError);
				}
			}),
			{ numRuns: 60 },
		);
	});
});
