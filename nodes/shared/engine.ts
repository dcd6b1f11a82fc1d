/**
 * Whether this JavaScript engine adds fields to a spread copy of an object quickly.
 *
 * The transform nodes copy each item's json and add their own fields. Of the two ways to write that
 * with the same result (same keys, same order, same values):
 * - `{ ...json, route: x }` (json cloned with its hidden class, then the fields added) takes 0.15–0.2 s
 *   per 200,000 items of 30 fields on V8 12 and later (Node 22 and 24; n8n 2 requires Node 24), but V8 11
 *   (Node 20, which n8n 1 can run on) sends every field added to a clone through a slow runtime path:
 *   6 s and more;
 * - `{ ...{}, ...json, route: x }` (an empty object cloned, json's fields copied into it) takes 0.6–0.9 s
 *   on V8 11 and is slower than the first on later engines, but has no slow path on any engine measured.
 * Measured with the Win-back Router's output shape; see docs/performance.md. The choice only changes speed.
 *
 * Node 21 and later name themselves in `navigator.userAgent` ("Node.js/24"); Node 20 has no `navigator`,
 * and any other value (a browser-like polyfill) keeps the second form.
 */
declare const navigator: { userAgent?: unknown } | undefined;

export function spreadThenAddIsFast(userAgent: unknown): boolean {
	if (typeof userAgent !== 'string') return false;
	const match = /^Node\.js\/(\d+)/.exec(userAgent);
	return match !== null && Number(match[1]) >= 22;
}

export const SPREAD_THEN_ADD_IS_FAST: boolean = spreadThenAddIsFast(typeof navigator === 'undefined' ? undefined : navigator?.userAgent);

/** The spread that adds nothing, for the unused one of the two spreads in the nodes' output literals. */
export const NOTHING_TO_SPREAD: Readonly<Record<string, never>> = Object.freeze({});
