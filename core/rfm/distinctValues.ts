/**
 * The distinct values of a column and each entry's position among them: how the model fits collapse
 * customers that share a value (a time, a purchase count) into one term.
 */

export interface DistinctValues {
	/** The distinct values, ascending. */
	values: Float64Array;
	/** For every input entry, the position of its value in `values`. */
	index: Int32Array;
}

/**
 * Whole numbers in [0, limit) — days, purchase counts — are ranked through a lookup table, in linear time;
 * anything else by sorting a copy and binary search.
 */
export function distinctValues(column: ArrayLike<number>): DistinctValues {
	const n = column.length;
	const limit = 65_536 + 8 * n;
	let max = 0;
	let wholeNumbers = true;
	for (let i = 0; i < n; i++) {
		const v = column[i];
		if (!(v >= 0 && v < limit && Math.floor(v) === v)) {
			wholeNumbers = false;
			break;
		}
		if (v > max) max = v;
	}
	const index = new Int32Array(n);
	if (wholeNumbers) {
		const rank = new Int32Array(max + 1).fill(-1);
		for (let i = 0; i < n; i++) rank[column[i]] = 0;
		const values: number[] = [];
		for (let v = 0; v <= max; v++) {
			if (rank[v] === 0) {
				rank[v] = values.length;
				values.push(v);
			}
		}
		for (let i = 0; i < n; i++) index[i] = rank[column[i]];
		return { values: Float64Array.from(values), index };
	}
	const sorted = Float64Array.from(column).sort();
	let count = 0;
	for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[count++] = sorted[i];
	const values = sorted.slice(0, count);
	for (let i = 0; i < n; i++) index[i] = sortedIndexOf(values, column[i]);
	return { values, index };
}

/** Position of `value` in the ascending array `sorted`, which holds it. */
function sortedIndexOf(sorted: Float64Array, value: number): number {
	let low = 0;
	let high = sorted.length - 1;
	while (low < high) {
		const middle = (low + high) >>> 1;
		if (sorted[middle] < value) low = middle + 1;
		else high = middle;
	}
	return low;
}
