import { NormalizationError } from '../../../core/model/errors';

/** The NormalizationError a call throws (fails the test when it throws nothing or something else). */
export function normalizationError(fn: () => unknown): NormalizationError {
	let caught: unknown = undefined;
	let threw = false;
	try {
		fn();
	} catch (error) {
		threw = true;
		caught = error;
	}
	if (!threw) throw new Error('expected a NormalizationError, but nothing was thrown');
	if (!(caught instanceof NormalizationError)) throw new Error(`expected a NormalizationError, got ${String(caught)}`);
	return caught;
}

/** The field a NormalizationError names, or null when the call succeeds. */
export function errorField(fn: () => unknown): string | null {
	try {
		fn();
	} catch (error) {
		return error instanceof NormalizationError ? error.field : `not a NormalizationError: ${String(error)}`;
	}
	return null;
}

/** A copy of `obj` without `keys` (to test absent fields). */
export function without<T extends object>(obj: T, ...keys: string[]): Record<string, unknown> {
	const copy = { ...obj } as Record<string, unknown>;
	for (const key of keys) delete copy[key];
	return copy;
}
