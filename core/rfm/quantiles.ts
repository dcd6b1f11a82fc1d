/**
 * Score edges and 1–5 scores.
 *
 * Quantile edges use linear interpolation between order statistics, the definition of
 * `numpy.quantile(..., method="linear")` and therefore of `pandas.qcut`: for sorted values s₀…sₙ₋₁
 * and probability p, h = (n−1)·p and edge = s⌊h⌋ + (h − ⌊h⌋)·(s⌊h⌋+1 − s⌊h⌋).
 * Bins are closed on the right, as in qcut: a value equal to an edge falls in the lower bin, and
 * equal values always get the same score. When several edges coincide (many customers with one
 * order), a score is skipped rather than equal values split across scores — unlike the
 * `rank(method="first")` trick seen in notebooks, which breaks ties by row order.
 */

/** Linear-interpolation quantile of an ascending-sorted array. */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
	const n = sorted.length;
	if (n === 0) throw new RangeError('quantile of an empty population');
	const h = (n - 1) * p;
	const lo = Math.floor(h);
	if (lo >= n - 1) return sorted[n - 1];
	return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
}

/** Largest value for which whole-number columns (recency days, order counts) are sorted by counting. */
const COUNTING_SORT_MAX = 1 << 20;

/**
 * The values in ascending order. Columns of whole numbers in a small range (recency in days, order
 * counts) are sorted by counting, in one pass plus the range, instead of a comparison sort.
 */
export function sortedValues(values: ArrayLike<number>): Float64Array {
	const n = values.length;
	let max = 0;
	for (let i = 0; i < n; i++) {
		const value = values[i];
		// -0 too goes to the comparison sort, which keeps it apart from 0 as the counting cannot.
		if (!(value >= 0 && value <= COUNTING_SORT_MAX && Math.floor(value) === value) || (value === 0 && 1 / value < 0)) return Float64Array.from(values).sort();
		if (value > max) max = value;
	}
	if (max > 4 * n + 1024) return Float64Array.from(values).sort();
	const counts = new Int32Array(max + 1);
	for (let i = 0; i < n; i++) counts[values[i]]++;
	const sorted = new Float64Array(n);
	let at = 0;
	for (let value = 0; value <= max; value++) {
		sorted.fill(value, at, at + counts[value]);
		at += counts[value];
	}
	return sorted;
}

/** The `bins − 1` inner edges at probabilities 1/bins, 2/bins, … (quintiles for bins = 5). */
export function quantileEdges(values: ArrayLike<number>, bins = 5): number[] {
	const sorted = sortedValues(values);
	const edges: number[] = [];
	for (let k = 1; k < bins; k++) edges.push(quantileSorted(sorted, k / bins));
	return edges;
}

/** 1 + the number of inner edges strictly below the value: right-closed bins, as qcut. */
export function binOf(value: number, innerEdges: ArrayLike<number>): number {
	let bin = 1;
	for (let k = 0; k < innerEdges.length; k++) if (value > innerEdges[k]) bin++;
	return bin;
}

/**
 * Scores a whole column: ascending (higher value, higher score: frequency, monetary) or descending
 * (lower value, higher score: recency, so the most recent customers get 5).
 */
export function scoreColumn(values: ArrayLike<number>, innerEdges: ArrayLike<number>, descending: boolean, out: Uint8Array): void {
	const top = innerEdges.length + 2;
	for (let i = 0; i < values.length; i++) {
		const bin = binOf(values[i], innerEdges);
		out[i] = descending ? top - bin : bin;
	}
}

/**
 * Reads operator thresholds such as "30, 90, 180, 365": four ascending numbers separated by commas.
 * Returns an error message instead of throwing, so the node can name the parameter.
 */
export function parseThresholds(text: string, count = 4): number[] | string {
	const parts = text
		.split(/[;,\s]+/)
		.map((part) => part.trim())
		.filter((part) => part !== '');
	const numbers = parts.map(Number);
	if (numbers.length !== count || numbers.some((n) => !Number.isFinite(n))) {
		return `expected ${count} numbers separated by commas (e.g. "30, 90, 180, 365"), got "${text}"`;
	}
	for (let i = 1; i < numbers.length; i++) {
		if (!(numbers[i] > numbers[i - 1])) return `the numbers must increase from left to right, got "${text}"`;
	}
	return numbers;
}
