/**
 * Customer lifetime value: the simple formula and the predictive BG/NBD + Gamma-Gamma value.
 */
import type { BgNbdFit, BgNbdParams } from './bgnbd';
import { dropoutLogOdds, fitBgNbd, purchaseNumerator } from './bgnbd';
import type { GammaGammaFit } from './gammaGamma';
import { expectedAverageValue, fitGammaGamma, selectSpendData } from './gammaGamma';
import { ModelFitError } from './modelFitError';

export interface SimpleClvOptions {
	/** Expected customer lifespan in years. */
	lifespanYears: number;
	/** Purchase frequency is orders per year over the customer's tenure, but over at least this many days. */
	minObservationDays: number;
}

export const DEFAULT_SIMPLE_CLV: SimpleClvOptions = { lifespanYears: 3, minObservationDays: 365 };

const DAYS_PER_YEAR = 365.25;

/**
 * Simple CLV = average order value × purchase frequency (orders per year) × expected lifespan (years).
 * Orders per year = frequency × 365.25 / max(tenure in days, minimum observation), so a customer seen
 * for a week is not extrapolated to 52 orders a year.
 */
export function simpleClv(averageOrderValue: number, frequency: number, tenureDays: number, options: SimpleClvOptions): number {
	const ordersPerYear = (frequency * DAYS_PER_YEAR) / Math.max(tenureDays, options.minObservationDays, 1);
	return averageOrderValue * ordersPerYear * options.lifespanYears;
}

export interface PredictiveOptions {
	/** Months ahead to predict; a month is 30 days, as in the lifetimes library's CLV. */
	horizonMonths: number;
	/** Yearly discount rate as a fraction (0.1 = 10 %); applied monthly as (1 + rate)^(1/12) − 1. 0 = none. */
	annualDiscountRate: number;
	/** Refuse the fit below this many repeat customers. */
	minRepeatCustomers: number;
}

export const DEFAULT_PREDICTIVE: PredictiveOptions = { horizonMonths: 12, annualDiscountRate: 0, minRepeatCustomers: 20 };

export const DAYS_PER_MONTH = 30;

/** Per-customer model inputs in days. */
export interface PredictiveInput {
	x: ArrayLike<number>;
	tx: ArrayLike<number>;
	T: ArrayLike<number>;
	/** Mean value of the repeat purchases (0 when x = 0). */
	meanRepeatValue: ArrayLike<number>;
}

export interface PredictiveResult {
	bgNbd: BgNbdFit;
	gammaGamma: GammaGammaFit;
	probabilityAlive: Float64Array;
	expectedPurchases: Float64Array;
	expectedAverageOrderValue: Float64Array;
	predictedClv: Float64Array;
}

/** Fits both models on the population and scores every customer. Throws ModelFitError when it cannot. */
export function predictCustomers(input: PredictiveInput, options: PredictiveOptions): PredictiveResult {
	const n = input.x.length;
	if (!(options.horizonMonths > 0) || !Number.isFinite(options.horizonMonths)) {
		throw new ModelFitError('BG/NBD', 'invalid_data', `the horizon must be a positive number of months, got ${options.horizonMonths}`);
	}
	const bgNbd = fitBgNbd(input, { minRepeatCustomers: options.minRepeatCustomers });
	const spend = selectSpendData(input.x, input.meanRepeatValue);
	const gammaGamma = fitGammaGamma(spend, { minCustomers: options.minRepeatCustomers });

	const months = Math.max(1, Math.round(options.horizonMonths));
	const monthlyDiscount = options.annualDiscountRate > 0 ? Math.pow(1 + options.annualDiscountRate, 1 / 12) - 1 : 0;
	const steps = monthlyDiscount > 0 ? months : 1;
	const stepDays = (months * DAYS_PER_MONTH) / steps;
	const discount = Float64Array.from({ length: steps }, (_, k) => (monthlyDiscount > 0 ? Math.pow(1 + monthlyDiscount, -(k + 1)) : 1));
	const numerators = cachedNumerators(bgNbd, steps, stepDays);

	const probabilityAlive = new Float64Array(n);
	const expectedPurchases = new Float64Array(n);
	const expectedAverageOrderValue = new Float64Array(n);
	const predictedClv = new Float64Array(n);
	for (let i = 0; i < n; i++) {
		const x = input.x[i];
		const logOdds = dropoutLogOdds(bgNbd, x, input.tx[i], input.T[i]);
		const denominator = logOdds === -Infinity ? 1 : 1 + Math.exp(logOdds);
		const curve = numerators(x, input.T[i]);
		const value = expectedAverageValue(gammaGamma, x, Math.max(0, input.meanRepeatValue[i]));
		let clv = 0;
		let previous = 0;
		for (let k = 0; k < steps; k++) {
			const expected = curve[k] / denominator;
			clv += (expected - previous) * value * discount[k];
			previous = expected;
		}
		probabilityAlive[i] = 1 / denominator;
		expectedPurchases[i] = previous;
		expectedAverageOrderValue[i] = value;
		predictedClv[i] = clv;
	}
	return { bgNbd, gammaGamma, probabilityAlive, expectedPurchases, expectedAverageOrderValue, predictedClv };
}

/**
 * E[Y(t)] numerators at t = stepDays, 2·stepDays, … depend only on (x, T); with whole days many
 * customers share them, so they are computed once per distinct pair.
 */
function cachedNumerators(params: BgNbdParams, steps: number, stepDays: number): (x: number, T: number) => Float64Array {
	const cache = new Map<number, Float64Array>();
	const compute = (x: number, T: number): Float64Array => {
		const curve = new Float64Array(steps);
		for (let k = 0; k < steps; k++) curve[k] = purchaseNumerator(params, x, T, (k + 1) * stepDays);
		return curve;
	};
	return (x, T) => {
		if (!Number.isInteger(x) || !Number.isInteger(T) || x >= 1 << 20 || T >= 1 << 20 || T < 0) return compute(x, T);
		const key = x * 1048576 + T;
		let curve = cache.get(key);
		if (curve === undefined) {
			curve = compute(x, T);
			cache.set(key, curve);
		}
		return curve;
	};
}
