/**
 * Lifecycle stages, checked in this order:
 *   lapsed          the gap since the last order is over `lapsedGapMultiplier` × the average gap between
 *                   orders of the customer's segment (or, by the other rule, over N calendar months);
 *   at_risk         the gap since the last order is over `atRiskGapMultiplier` × the customer's own
 *                   average gap (customers with two or more orders);
 *   new             one order;
 *   early_retention two up to `earlyRetentionMaxOrders` orders;
 *   loyal           more.
 */
import type { LifecycleStage } from '../model/segments';

export interface LifecycleOptions {
	earlyRetentionMaxOrders: number;
	atRiskGapMultiplier: number;
	lapsedRule: 'segmentGap' | 'months';
	lapsedGapMultiplier: number;
	lapsedAfterMonths: number;
}

export const DEFAULT_LIFECYCLE: LifecycleOptions = {
	earlyRetentionMaxOrders: 3,
	atRiskGapMultiplier: 1.4,
	lapsedRule: 'segmentGap',
	lapsedGapMultiplier: 2,
	lapsedAfterMonths: 12,
};

export interface LifecycleInput {
	frequency: ArrayLike<number>;
	recencyDays: ArrayLike<number>;
	/** Average days between orders; NaN for one-order customers. */
	averageGapDays: ArrayLike<number>;
	/** Segment number per customer (0 … segmentCount − 1). */
	segment: ArrayLike<number>;
	segmentCount: number;
	/** For the months rule: recency above this many days is lapsed (calendar months back from the reference day). */
	lapsedAfterDays: number;
}

export interface LifecycleResult {
	stages: LifecycleStage[];
	/** Average gap between orders per segment number (null when the segment has no repeat customer). */
	segmentAverageGap: Array<number | null>;
	populationAverageGap: number | null;
}

export function lifecycleStages(input: LifecycleInput, options: LifecycleOptions): LifecycleResult {
	const n = input.frequency.length;
	const gapSum = new Float64Array(input.segmentCount);
	const gapCount = new Float64Array(input.segmentCount);
	let totalGap = 0;
	let totalCount = 0;
	for (let i = 0; i < n; i++) {
		const gap = input.averageGapDays[i];
		if (gap === gap) {
			gapSum[input.segment[i]] += gap;
			gapCount[input.segment[i]]++;
			totalGap += gap;
			totalCount++;
		}
	}
	const populationAverageGap = totalCount > 0 ? totalGap / totalCount : null;
	const segmentAverageGap = Array.from(gapSum, (sum, s) => (gapCount[s] > 0 ? sum / gapCount[s] : null));
	// A segment without repeat customers borrows the population's average gap.
	const lapsedAfter = segmentAverageGap.map((gap) => {
		if (options.lapsedRule === 'months') return input.lapsedAfterDays;
		const basis = gap ?? populationAverageGap;
		return basis === null ? Infinity : options.lapsedGapMultiplier * basis;
	});

	const stages = new Array<LifecycleStage>(n);
	for (let i = 0; i < n; i++) {
		const recency = input.recencyDays[i];
		const gap = input.averageGapDays[i];
		const frequency = input.frequency[i];
		if (recency > lapsedAfter[input.segment[i]]) stages[i] = 'lapsed';
		else if (gap === gap && recency > options.atRiskGapMultiplier * gap) stages[i] = 'at_risk';
		else if (frequency <= 1) stages[i] = 'new';
		else if (frequency <= options.earlyRetentionMaxOrders) stages[i] = 'early_retention';
		else stages[i] = 'loyal';
	}
	return { stages, segmentAverageGap, populationAverageGap };
}
