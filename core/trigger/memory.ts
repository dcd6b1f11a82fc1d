/**
 * A bounded memory of keys with the time each was last seen (epoch milliseconds): the trigger's
 * recollection of delivery ids, order milestones and closed carts. Plain JSON, so it lives in n8n's
 * workflow static data. Pure functions: each returns a new object and never mutates its input
 * (static data arrives wrapped in n8n's change-tracking proxy; we assign the result back once).
 */
export type Memory = Record<string, number>;

export interface MemoryLimits {
	maxEntries: number;
	maxAgeMs: number;
}

export function hasAny(memory: Memory, keys: ReadonlyArray<string>, now: number, limits: MemoryLimits): boolean {
	return keys.some((key) => {
		const at = memory[key];
		return typeof at === 'number' && now - at < limits.maxAgeMs;
	});
}

/** Adds the keys at `now` and drops what is too old or beyond the size bound (oldest first). */
export function remember(memory: Memory, keys: ReadonlyArray<string>, now: number, limits: MemoryLimits): Memory {
	const next = prune(memory, now, limits, keys.length);
	for (const key of keys) {
		delete next[key];
		next[key] = now;
	}
	return next;
}

/**
 * Keeps the entries younger than maxAgeMs, and at most maxEntries - reserve of them (the newest).
 * Linear in the size of the memory except when it overflows, when the survivors are sorted once.
 */
export function prune(memory: Memory, now: number, limits: MemoryLimits, reserve = 0): Memory {
	const cutoff = now - limits.maxAgeMs;
	let entries = Object.entries(memory).filter(([, at]) => typeof at === 'number' && Number.isFinite(at) && at > cutoff);
	const room = Math.max(0, limits.maxEntries - reserve);
	if (entries.length > room) entries = entries.sort((a, b) => a[1] - b[1]).slice(entries.length - room);
	const next: Memory = {};
	for (const [key, at] of entries) next[key] = at;
	return next;
}

export function sizeOf(memory: Memory): number {
	return Object.keys(memory).length;
}
