import fc from 'fast-check';

import { binOf, parseThresholds, quantileEdges, quantileSorted, scoreColumn, sortedValues } from '../../../core/rfm/quantiles';

/**
 * The reference, written from the definition and not from core/rfm: numpy.quantile's "linear" method
 * (h = (n−1)p, interpolate between the neighbours) and pandas.cut's right-closed bins with the lowest
 * edge included — what pandas.qcut(values, 5, labels=[1..5]) does when the edges are distinct.
 */
function referenceQuintileScores(values: number[]): number[] {
	const sorted = [...values].sort((p, q) => p - q);
	const quantile = (p: number) => {
		const h = (sorted.length - 1) * p;
		const lo = Math.floor(h);
		const hi = Math.min(lo + 1, sorted.length - 1);
		return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
	};
	const edges = [0.2, 0.4, 0.6, 0.8].map(quantile);
	return values.map((v) => {
		// bins (−∞, e1], (e1, e2], (e2, e3], (e3, e4], (e4, ∞): the first whose right edge is ≥ v
		const index = edges.findIndex((e) => v <= e);
		return index === -1 ? 5 : index + 1;
	});
}

describe('quantile edges (numpy.quantile, method "linear")', () => {
	it('matches numpy on small examples', () => {
		// np.quantile([1, 2, 3, 4, 5], [.2, .4, .6, .8]) → [1.8, 2.6, 3.4, 4.2]
		expect(quantileEdges([5, 3, 1, 4, 2]).map((e) => +e.toFixed(12))).toEqual([1.8, 2.6, 3.4, 4.2]);
		// np.quantile([1, 2, 3, 4], .2) → 1.6; np.quantile([10, 20], .5) → 15
		expect(quantileSorted([1, 2, 3, 4], 0.2)).toBeCloseTo(1.6, 12);
		expect(quantileSorted([10, 20], 0.5)).toBe(15);
		expect(quantileSorted([7], 0.8)).toBe(7);
	});

	it('gives every customer the score of the reference definition, on random populations with many ties', () => {
		fc.assert(
			fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 6 }), fc.double({ min: -1e6, max: 1e6, noNaN: true })), { minLength: 1, maxLength: 300 }), (values) => {
				const out = new Uint8Array(values.length);
				scoreColumn(values, quantileEdges(values), false, out);
				expect(Array.from(out)).toEqual(referenceQuintileScores(values));
			}),
		);
	});

	it('puts a value equal to an edge in the lower bin and gives equal values equal scores', () => {
		// Frequencies: half the customers bought once. Edges: 1, 1, 2, 3.2 (n = 10, h = 1.8, 3.6, 5.4, 7.2).
		const frequency = [1, 1, 1, 1, 1, 2, 2, 3, 4, 9];
		const edges = quantileEdges(frequency);
		expect(edges.map((e) => +e.toFixed(12))).toEqual([1, 1, 2, 3.2]);
		const out = new Uint8Array(frequency.length);
		scoreColumn(frequency, edges, false, out);
		// Everyone with 1 order scores 1 (rank(method="first") would spread them over scores 1–3).
		expect(Array.from(out)).toEqual([1, 1, 1, 1, 1, 3, 3, 4, 5, 5]);
		expect(binOf(2, edges)).toBe(3);
		expect(binOf(2.0000001, edges)).toBe(4);
	});

	it('reverses recency: the most recent customers score 5', () => {
		const recency = [0, 10, 20, 30, 40];
		const out = new Uint8Array(5);
		scoreColumn(recency, quantileEdges(recency), true, out);
		expect(Array.from(out)).toEqual([5, 4, 3, 2, 1]);
	});
});

describe('fixed thresholds', () => {
	it('reads four increasing numbers', () => {
		expect(parseThresholds('30, 90, 180, 365')).toEqual([30, 90, 180, 365]);
		expect(parseThresholds('1;2;3;5')).toEqual([1, 2, 3, 5]);
		expect(parseThresholds('30, 90, 180')).toMatch(/expected 4 numbers/);
		expect(parseThresholds('30, 20, 180, 365')).toMatch(/must increase/);
		expect(parseThresholds('a, b, c, d')).toMatch(/expected 4 numbers/);
	});

	it('scores with the same right-closed bins', () => {
		const out = new Uint8Array(6);
		scoreColumn([0, 30, 31, 90, 365, 366], [30, 90, 180, 365], true, out);
		expect(Array.from(out)).toEqual([5, 5, 4, 4, 2, 1]);
	});
});

describe('sorting a column for its quantiles', () => {
	it('orders whole numbers (counting) and any other values (comparison) exactly as a numeric sort does, -0 kept apart', () => {
		const wholeNumbers = fc.array(fc.integer({ min: 0, max: 2000 }), { maxLength: 300 });
		const anyNumbers = fc.array(fc.oneof(fc.double({ noNaN: true }), fc.constantFrom(0, -0, 1, 2, 2 ** 20, 2 ** 20 + 1)), { maxLength: 300 });
		fc.assert(
			fc.property(fc.oneof(wholeNumbers, anyNumbers), (values) => {
				const expected = [...values].sort((p, q) => p - q || (Object.is(p, -0) ? -1 : Object.is(q, -0) ? 1 : 0));
				expect(Array.from(sortedValues(values))).toEqual(expected);
			}),
		);
	});
});
