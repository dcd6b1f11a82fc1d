/**
 * BG/NBD and Gamma-Gamma against Fader, Hardie & Lee (2005) on the CDNOW sample (2,357 customers,
 * calibration weeks 1–39), and the aggregation path against lifetimes' summary of the raw transactions.
 */
import { DateTime } from 'luxon';

import { DEFAULT_HYGIENE, DEFAULT_ORDER_FIELDS, aggregateOrders } from '../../../core/rfm/aggregate';
import type { BgNbdParams } from '../../../core/rfm/bgnbd';
import { bgNbdLogLikelihood, expectedPurchases, expectedPurchasesNewCustomer, fitBgNbd, probabilityAlive } from '../../../core/rfm/bgnbd';
import { expectedAverageValue, fitGammaGamma, gammaGammaLogLikelihood, selectSpendData } from '../../../core/rfm/gammaGamma';
import { ModelFitError } from '../../../core/rfm/modelFitError';
import { resolveZone } from '../../../core/rfm/readers';
import { predictiveInput } from '../../../core/rfm/score';
import { readCdnowFrequencySummary, readCdnowSummary, readCdnowTransactions } from './datasets';

const PAPER: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const PAPER_LOG_LIKELIHOOD = -9582.4;
const PAPER_GAMMA_GAMMA = { p: 6.25, q: 3.74, gamma: 15.44 };

const withinRelative = (actual: number, expected: number, tolerance: number) => {
	expect(Math.abs(actual - expected) / Math.abs(expected)).toBeLessThanOrEqual(tolerance);
};

const summary = readCdnowSummary();
const frequencySummary = readCdnowFrequencySummary();

describe('the reference files', () => {
	it('hold 2,357 customers with 2,457 repeat purchases, 946 of them repeat buyers', () => {
		expect(frequencySummary).toHaveLength(2357);
		expect(frequencySummary.reduce((sum, row) => sum + row.x, 0)).toBe(2457);
		expect(summary.filter((row) => row.x > 0)).toHaveLength(946);
	});
});

describe('BG/NBD maximum likelihood on cdnow_customers_summary.csv (weeks)', () => {
	const data = { x: frequencySummary.map((r) => r.x), tx: frequencySummary.map((r) => r.tx), T: frequencySummary.map((r) => r.T) };
	const fit = fitBgNbd(data);

	it('reproduces r = 0.243, α = 4.414, a = 0.793, b = 2.426 within 1 %', () => {
		withinRelative(fit.r, PAPER.r, 0.01);
		withinRelative(fit.alpha, PAPER.alpha, 0.01);
		withinRelative(fit.a, PAPER.a, 0.01);
		withinRelative(fit.b, PAPER.b, 0.01);
	});

	it('reproduces the log-likelihood −9582.4 within 0.5', () => {
		expect(Math.abs(fit.logLikelihood - PAPER_LOG_LIKELIHOOD)).toBeLessThanOrEqual(0.5);
		// The paper's parameters give the paper's value under the plain per-customer formula too.
		expect(Math.abs(bgNbdLogLikelihood(PAPER, data) - PAPER_LOG_LIKELIHOOD)).toBeLessThanOrEqual(0.5);
	});

	it('the regrouped likelihood the optimiser uses equals the per-customer formula', () => {
		expect(fit.logLikelihood).toBeCloseTo(bgNbdLogLikelihood(fit, data), 6);
	});

	it('is a maximum: moving any parameter by 1 % lowers the likelihood', () => {
		for (const name of ['r', 'alpha', 'a', 'b'] as const) {
			for (const factor of [0.99, 1.01]) expect(bgNbdLogLikelihood({ ...fit, [name]: fit[name] * factor }, data)).toBeLessThan(fit.logLikelihood);
		}
	});
});

describe('BG/NBD predictions at the paper parameters (Hardie\'s BG/NBD Excel sheet, as tested in lifetimes)', () => {
	it('E[X(t)] for a new customer, t in weeks, within 1 %', () => {
		const times = [0.1429, 1.0, 3.0, 31.8571, 32.0, 78.0];
		const expected = [0.0078, 0.0532, 0.1506, 1.0405, 1.0437, 1.8576];
		times.forEach((t, i) => withinRelative(expectedPurchasesNewCustomer(PAPER, t), expected[i], 0.01));
	});

	it('E[Y(39) | x = 2, t_x = 30.43, T = 38.86] = 1.226', () => {
		expect(Math.abs(expectedPurchases(PAPER, 39, 2, 30.43, 38.86) - 1.226)).toBeLessThan(0.001);
	});

	it('P(alive) is 1 without repeat purchases and in [0, 1] otherwise', () => {
		expect(probabilityAlive(PAPER, 0, 0, 30)).toBe(1);
		for (let x = 1; x < 100; x += 9) for (let T = 0; T < 100; T += 10) for (let tx = 0; tx <= T; tx += 10) {
			const p = probabilityAlive(PAPER, x, tx, T);
			expect(p).toBeGreaterThanOrEqual(0);
			expect(p).toBeLessThanOrEqual(1);
		}
		// The closed form at a hand-checkable point: 1 / (1 + a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)).
		const manual = 1 / (1 + (PAPER.a / (PAPER.b + 1)) * Math.pow((PAPER.alpha + 38.86) / (PAPER.alpha + 30.43), PAPER.r + 2));
		expect(probabilityAlive(PAPER, 2, 30.43, 38.86)).toBeCloseTo(manual, 14);
	});

	it('the transformed hypergeometric term equals the textbook series', () => {
		// Eq. 10 computed the plain way: ₂F₁(r+x, b+x; a+b+x−1; z) summed term by term in the test.
		const plain = (t: number, x: number, tx: number, T: number) => {
			const { r, alpha, a, b } = PAPER;
			const z = t / (alpha + T + t);
			let term = 1;
			let sum = 1;
			for (let n = 0; n < 200000 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
				term *= ((r + x + n) * (b + x + n) * z) / ((a + b + x - 1 + n) * (n + 1));
				sum += term;
			}
			const numerator = ((a + b + x - 1) / (a - 1)) * (1 - Math.pow((alpha + T) / (alpha + T + t), r + x) * sum);
			return x > 0 ? numerator / (1 + (a / (b + x - 1)) * Math.pow((alpha + T) / (alpha + tx), r + x)) : numerator;
		};
		for (const [t, x, tx, T] of [
			[39, 2, 30.43, 38.86],
			[52, 0, 0, 10],
			[10, 7, 20, 38],
			[100, 1, 5, 6],
		]) {
			withinRelative(expectedPurchases(PAPER, t, x, tx, T), plain(t, x, tx, T), 1e-9);
		}
	});
});

describe('Gamma-Gamma on the 946 repeat buyers of cdnow_customers_summary_with_transactions.csv', () => {
	const spend = selectSpendData(
		summary.map((r) => r.x),
		summary.map((r) => r.zbar),
	);
	const fit = fitGammaGamma(spend);

	it('uses the 946 customers with x > 0', () => {
		expect(fit.customers).toBe(946);
	});

	it('reproduces p = 6.25, q = 3.74, γ = 15.44 within 1 %', () => {
		withinRelative(fit.p, PAPER_GAMMA_GAMMA.p, 0.01);
		withinRelative(fit.q, PAPER_GAMMA_GAMMA.q, 0.01);
		withinRelative(fit.gamma, PAPER_GAMMA_GAMMA.gamma, 0.01);
		expect(fit.logLikelihood).toBeCloseTo(gammaGammaLogLikelihood(fit, spend), 6);
	});

	it('E[M] shrinks a customer\'s mean towards the population mean pγ/(q−1)', () => {
		const populationMean = (fit.p * fit.gamma) / (fit.q - 1);
		expect(expectedAverageValue(fit, 0, 0)).toBeCloseTo(populationMean, 10);
		const m = 100;
		const one = expectedAverageValue(fit, 1, m);
		const many = expectedAverageValue(fit, 50, m);
		expect(one).toBeGreaterThan(populationMean);
		expect(one).toBeLessThan(many);
		expect(Math.abs(many - m)).toBeLessThan(Math.abs(one - m));
	});
});

describe('aggregation of the raw CDNOW transactions reproduces lifetimes\' summary', () => {
	const transactions = readCdnowTransactions();
	// The calibration period ends on 1997-09-30; lifetimes measures x, t_x and T in days / 7, with
	// several purchases on one day counted as one (frequency = distinct purchase days − 1).
	const calibrationEnd = DateTime.fromISO('1997-09-30', { zone: 'utc' });
	const records = transactions.map((t) => ({ customer: { id: t.sampleId }, createdAt: t.date, total: t.dollars }));
	const result = aggregateOrders(
		records,
		{ ...DEFAULT_ORDER_FIELDS, customerKey: 'customer.id', customerKeyFallback: '', orderId: '' },
		{ ...DEFAULT_HYGIENE, countZeroValueOrders: true, mergeSameDayOrders: true },
		{ zone: resolveZone('UTC')!, referenceMillis: calibrationEnd.toMillis() },
	);
	const input = predictiveInput(result.table, result.referenceDay);
	const bySampleId = new Map(summary.map((row) => [row.id, row]));

	it('leaves out exactly the transactions after the calibration period, as future-dated', () => {
		const after = transactions.filter((t) => t.date > '19970930').length;
		expect(after).toBeGreaterThan(0);
		expect(result.counts.future_date).toBe(after);
		expect(result.exclusions).toHaveLength(after);
		expect(result.table.size).toBe(2357);
	});

	it('gives every customer the summary file\'s x, t_x, T and zbar (to the file\'s two decimals)', () => {
		let checked = 0;
		for (let i = 0; i < result.table.size; i++) {
			const row = bySampleId.get(String(Number(result.table.keys[i])));
			expect(row).toBeDefined();
			if (!row) continue;
			expect(input.x[i]).toBe(row.x);
			expect(Math.abs(input.tx[i] / 7 - row.tx)).toBeLessThanOrEqual(0.005 + 1e-9);
			expect(Math.abs(input.T[i] / 7 - row.T)).toBeLessThanOrEqual(0.005 + 1e-9);
			expect(Math.abs(input.meanRepeatValue[i] - row.zbar)).toBeLessThanOrEqual(0.005 + 1e-9);
			checked++;
		}
		expect(checked).toBe(2357);
	});

	it('fits the paper\'s parameters from the raw transactions too', () => {
		const fit = fitBgNbd({ x: input.x, tx: Array.from(input.tx, (d) => d / 7), T: Array.from(input.T, (d) => d / 7) });
		withinRelative(fit.r, PAPER.r, 0.01);
		withinRelative(fit.alpha, PAPER.alpha, 0.01);
		withinRelative(fit.a, PAPER.a, 0.01);
		withinRelative(fit.b, PAPER.b, 0.01);
		expect(Math.abs(fit.logLikelihood - PAPER_LOG_LIKELIHOOD)).toBeLessThanOrEqual(0.5);
		const gg = fitGammaGamma(selectSpendData(input.x, input.meanRepeatValue));
		withinRelative(gg.p, PAPER_GAMMA_GAMMA.p, 0.01);
		withinRelative(gg.q, PAPER_GAMMA_GAMMA.q, 0.01);
		withinRelative(gg.gamma, PAPER_GAMMA_GAMMA.gamma, 0.01);
	});
});

describe('fit failures are clear errors, never NaN', () => {
	it('refuses a population with too few repeat customers', () => {
		const data = { x: [0, 0, 0, 1, 0], tx: [0, 0, 0, 3, 0], T: [10, 20, 30, 40, 50] };
		expect(() => fitBgNbd(data)).toThrow(ModelFitError);
		expect(() => fitBgNbd(data)).toThrow(/only 1 of 5 customers bought more than once.*at least 10/);
	});

	it('refuses inconsistent data, naming the customer', () => {
		expect(() => fitBgNbd({ x: [1, 2], tx: [5, 50], T: [10, 20] })).toThrow(/customer 1 has x=2, t_x=50, T=20/);
		expect(() => fitBgNbd({ x: [1, NaN], tx: [5, 5], T: [10, 20] })).toThrow(ModelFitError);
	});

	it('reports a degenerate fit instead of returning runaway parameters', () => {
		// Everyone buys exactly every 10 days until the end: no sign of drop-out at all.
		const n = 200;
		const T = Array.from({ length: n }, (_, i) => 100 + (i % 50));
		const x = T.map((t) => Math.floor(t / 10));
		const tx = x.map((k) => k * 10);
		expect(() => fitBgNbd({ x, tx, T })).toThrow(/parameter a ran off to zero/);
	});

	it('Gamma-Gamma refuses too few customers and non-positive spend', () => {
		expect(() => fitGammaGamma({ x: [1, 2], meanValue: [10, 20] })).toThrow(/only 2 customers/);
		expect(() => fitGammaGamma({ x: [1, 2], meanValue: [10, 0] })).toThrow(/both must be positive/);
	});
});
