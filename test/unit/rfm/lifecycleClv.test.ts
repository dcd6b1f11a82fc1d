import { DateTime } from 'luxon';

import { DEFAULT_HYGIENE, DEFAULT_ORDER_FIELDS, aggregateOrders } from '../../../core/rfm/aggregate';
import { expectedPurchases } from '../../../core/rfm/bgnbd';
import { DEFAULT_SIMPLE_CLV, predictCustomers, simpleClv } from '../../../core/rfm/clv';
import { expectedAverageValue } from '../../../core/rfm/gammaGamma';
import { DEFAULT_LIFECYCLE, lifecycleStages } from '../../../core/rfm/lifecycle';
import { ModelFitError } from '../../../core/rfm/modelFitError';
import { resolveZone } from '../../../core/rfm/readers';
import { predictiveInput } from '../../../core/rfm/score';
import { readCdnowTransactions } from './datasets';

describe('lifecycle stages', () => {
	it('new, early retention, loyal, at risk (own gap × 1.4) and lapsed (segment gap × 2)', () => {
		// Segment 0: repeat customers with gaps 10 and 30 → segment average 20, lapsed beyond 40 days.
		const result = lifecycleStages(
			{
				frequency: [1, 2, 3, 4, 5, 2, 1],
				recencyDays: [5, 5, 12, 15, 50, 13, 100],
				averageGapDays: [NaN, 10, 10, 30, 10, 10, NaN],
				segment: [0, 0, 0, 0, 0, 0, 1],
				segmentCount: 2,
				lapsedAfterDays: 365,
			},
			DEFAULT_LIFECYCLE,
		);
		expect(result.segmentAverageGap[0]).toBeCloseTo((10 + 10 + 30 + 10 + 10) / 5, 12);
		// 14 = 1.4 × 10 is not beyond; 15 < 1.4 × 30; 50 > 2 × 14; segment 1 borrows the population gap 14 → 100 > 28.
		expect(result.stages).toEqual(['new', 'early_retention', 'early_retention', 'loyal', 'lapsed', 'early_retention', 'lapsed']);
		// Own gap 10: at risk beyond 14 days; the segment (gap 10) calls it lapsed only beyond 20.
		const atRisk = lifecycleStages(
			{ frequency: [2, 2], recencyDays: [15, 21], averageGapDays: [10, 10], segment: [0, 0], segmentCount: 1, lapsedAfterDays: 365 },
			DEFAULT_LIFECYCLE,
		);
		expect(atRisk.stages).toEqual(['at_risk', 'lapsed']);
		const withWideSegment = lifecycleStages(
			{ frequency: [2, 2], recencyDays: [15, 0], averageGapDays: [10, 100], segment: [0, 0], segmentCount: 1, lapsedAfterDays: 365 },
			DEFAULT_LIFECYCLE,
		);
		expect(withWideSegment.stages).toEqual(['at_risk', 'early_retention']);
	});

	it('lapsed after a fixed number of months, by the operator\'s rule', () => {
		const result = lifecycleStages(
			{ frequency: [1, 1, 6], recencyDays: [365, 366, 400], averageGapDays: [NaN, NaN, 1000], segment: [0, 0, 0], segmentCount: 1, lapsedAfterDays: 365 },
			{ ...DEFAULT_LIFECYCLE, lapsedRule: 'months' },
		);
		expect(result.stages).toEqual(['new', 'lapsed', 'lapsed']);
	});
});

describe('simple CLV', () => {
	it('average order value × orders per year × lifespan, over at least the minimum observation', () => {
		expect(simpleClv(50, 4, 730, DEFAULT_SIMPLE_CLV)).toBeCloseTo(50 * ((4 * 365.25) / 730) * 3, 10);
		expect(simpleClv(80, 1, 10, DEFAULT_SIMPLE_CLV)).toBeCloseTo(80 * (365.25 / 365) * 3, 10);
		expect(simpleClv(80, 1, 0, { lifespanYears: 2, minObservationDays: 1 })).toBeCloseTo(80 * 365.25 * 2, 10);
	});
});

describe('predictive CLV on the CDNOW sample in days', () => {
	const records = readCdnowTransactions().map((t) => ({ customer: { id: t.sampleId }, createdAt: t.date, total: t.dollars }));
	const reference = DateTime.fromISO('1997-09-30', { zone: 'utc' }).toMillis();
	const aggregation = aggregateOrders(
		records,
		{ ...DEFAULT_ORDER_FIELDS, customerKey: 'customer.id', customerKeyFallback: '', orderId: '' },
		{ ...DEFAULT_HYGIENE, countZeroValueOrders: true },
		{ zone: resolveZone('UTC')!, referenceMillis: reference },
	);
	const input = predictiveInput(aggregation.table, aggregation.referenceDay);

	it('fits the paper\'s parameters with α in days (α_weeks × 7)', () => {
		const result = predictCustomers(input, { horizonMonths: 12, annualDiscountRate: 0, minRepeatCustomers: 20 });
		expect(Math.abs(result.bgNbd.r / 0.243 - 1)).toBeLessThan(0.01);
		expect(Math.abs(result.bgNbd.alpha / (4.414 * 7) - 1)).toBeLessThan(0.01);
		expect(Math.abs(result.bgNbd.a / 0.793 - 1)).toBeLessThan(0.01);
		expect(Math.abs(result.bgNbd.b / 2.426 - 1)).toBeLessThan(0.01);
	});

	it('without discounting, CLV = E[Y(360 days)] × E[M] for every customer', () => {
		const result = predictCustomers(input, { horizonMonths: 12, annualDiscountRate: 0, minRepeatCustomers: 20 });
		for (let i = 0; i < input.x.length; i += 7) {
			const purchases = expectedPurchases(result.bgNbd, 360, input.x[i], input.tx[i], input.T[i]);
			const value = expectedAverageValue(result.gammaGamma, input.x[i], input.meanRepeatValue[i]);
			expect(result.expectedPurchases[i]).toBeCloseTo(purchases, 10);
			expect(result.expectedAverageOrderValue[i]).toBeCloseTo(value, 10);
			expect(result.predictedClv[i]).toBeCloseTo(purchases * value, 8);
		}
	});

	it('with a 10 % annual rate, discounts each 30-day month\'s expected purchases', () => {
		const result = predictCustomers(input, { horizonMonths: 6, annualDiscountRate: 0.1, minRepeatCustomers: 20 });
		const monthly = Math.pow(1.1, 1 / 12) - 1;
		for (let i = 0; i < input.x.length; i += 11) {
			const value = expectedAverageValue(result.gammaGamma, input.x[i], input.meanRepeatValue[i]);
			let clv = 0;
			for (let k = 1; k <= 6; k++) {
				const increment = expectedPurchases(result.bgNbd, 30 * k, input.x[i], input.tx[i], input.T[i]) - expectedPurchases(result.bgNbd, 30 * (k - 1), input.x[i], input.tx[i], input.T[i]);
				clv += (increment * value) / Math.pow(1 + monthly, k);
			}
			expect(result.predictedClv[i]).toBeCloseTo(clv, 8);
			expect(result.predictedClv[i]).toBeLessThan(result.expectedPurchases[i] * value + 1e-9);
		}
		for (const column of [result.probabilityAlive, result.expectedPurchases, result.expectedAverageOrderValue, result.predictedClv]) {
			expect(Array.from(column).every(Number.isFinite)).toBe(true);
		}
	});

	it('refuses populations that cannot support a fit', () => {
		const few = { x: [0, 1, 0], tx: [0, 10, 0], T: [30, 40, 50], meanRepeatValue: [0, 20, 0] };
		expect(() => predictCustomers(few, { horizonMonths: 12, annualDiscountRate: 0, minRepeatCustomers: 20 })).toThrow(ModelFitError);
		expect(() => predictCustomers(few, { horizonMonths: 12, annualDiscountRate: 0, minRepeatCustomers: 20 })).toThrow(/only 1 of 3 customers bought more than once/);
	});
});
