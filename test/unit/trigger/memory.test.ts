import { hasAny, prune, remember, sizeOf } from '../../../core/trigger/memory';

const limits = { maxEntries: 3, maxAgeMs: 1000 };

describe('bounded memory', () => {
	it('remembers keys for maxAgeMs, then forgets them', () => {
		const memory = remember({}, ['a'], 10_000, limits);
		expect(hasAny(memory, ['a'], 10_999, limits)).toBe(true);
		expect(hasAny(memory, ['a'], 11_000, limits)).toBe(false);
		expect(hasAny(memory, ['b', 'a'], 10_500, limits)).toBe(true);
	});

	it('keeps at most maxEntries, dropping the oldest first', () => {
		let memory = {};
		for (let i = 0; i < 5; i++) memory = remember(memory, [`k${i}`], 100 + i, limits);
		expect(sizeOf(memory)).toBe(3);
		expect(Object.keys(memory).sort()).toEqual(['k2', 'k3', 'k4']);
	});

	it('refreshes a key seen again instead of duplicating it', () => {
		let memory = remember({}, ['a', 'b'], 100, limits);
		memory = remember(memory, ['a'], 200, limits);
		expect(memory).toEqual({ a: 200, b: 100 });
	});

	it('drops expired entries and junk values when pruning, without mutating the input', () => {
		const input = { old: 1, fresh: 1900, junk: Number.NaN } as Record<string, number>;
		expect(prune(input, 2000, limits)).toEqual({ fresh: 1900 });
		expect(input.old).toBe(1);
	});

	it('handles 10,000 keys at the default bound (count exact, oldest gone)', () => {
		const big = { maxEntries: 10_000, maxAgeMs: 24 * 3_600_000 };
		let memory = {};
		for (let i = 0; i < 10_050; i += 50) {
			memory = remember(memory, Array.from({ length: 50 }, (_, j) => `id-${i + j}`), 1_000 + i, big);
		}
		expect(sizeOf(memory)).toBe(10_000);
		expect(hasAny(memory, ['id-0'], 20_000, big)).toBe(false);
		expect(hasAny(memory, ['id-10049'], 20_000, big)).toBe(true);
	});
});
