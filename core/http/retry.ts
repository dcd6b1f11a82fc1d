/**
 * Retry with exponential backoff and full jitter, and a bounded-concurrency runner: the one place
 * the API clients (Zoho CRM, Customer.io, store APIs) get their fault handling from.
 * No timers here: the caller passes `sleep` (n8n-workflow's `sleep` inside nodes, an instant one in tests),
 * which keeps this module free of n8n imports and of `setTimeout`.
 */
import { outcomeFromError } from './outcome';

export type Sleep = (ms: number) => Promise<void>;

export interface RetryPolicy {
	/** Retries after the first attempt (so at most maxRetries + 1 attempts). */
	maxRetries: number;
	/** Base delay in ms; attempt k waits a random time in [0, min(maxDelayMs, baseDelayMs × 2^k)]. */
	baseDelayMs: number;
	maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 5, baseDelayMs: 500, maxDelayMs: 30_000 };

export interface RetryDecision {
	retry: boolean;
	/** A server-given wait (Retry-After, X-RateLimit-Reset) that overrides the computed backoff. */
	delayMs?: number;
}

export interface RetryOptions<T> {
	policy: RetryPolicy;
	sleep: Sleep;
	/** Decides from a thrown error whether to try again. */
	classifyError: (error: unknown) => RetryDecision;
	/** Decides from a returned result whether to try again (e.g. an HTTP 429 returned, not thrown). */
	classifyResult?: (result: T) => RetryDecision;
	random?: () => number;
	/** Called before each wait, for logging and counting. */
	onRetry?: (attempt: number, delayMs: number, reason: unknown) => void;
}

export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
	const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
	return Math.floor(random() * cap);
}

/**
 * Runs `operation` until it succeeds, or fails in a way `classifyError` says not to retry, or the
 * retries run out; then the last error is thrown (or the last result returned).
 */
export async function withRetry<T>(operation: (attempt: number) => Promise<T>, options: RetryOptions<T>): Promise<T> {
	const random = options.random ?? Math.random;
	for (let attempt = 0; ; attempt++) {
		let decision: RetryDecision;
		let failure: { error: unknown } | null = null;
		let result: T | undefined;
		try {
			result = await operation(attempt);
			decision = options.classifyResult ? options.classifyResult(result) : { retry: false };
		} catch (error) {
			failure = { error };
			decision = options.classifyError(error);
		}
		if (!decision.retry || attempt >= options.policy.maxRetries) {
			if (failure) throw failure.error;
			return result as T;
		}
		const delay = decision.delayMs !== undefined
			? Math.min(decision.delayMs, options.policy.maxDelayMs)
			: backoffDelay(attempt, options.policy, random);
		options.onRetry?.(attempt + 1, delay, failure ? failure.error : result);
		await options.sleep(delay);
	}
}

/**
 * Runs the tasks with at most `limit` in flight and returns their outcomes in input order.
 * A task's rejection is captured as its outcome, never lost and never stopping the others.
 */
export async function runWithConcurrency<T>(
	tasks: Array<() => Promise<T>>,
	limit: number,
): Promise<Array<{ ok: true; value: T } | { ok: false; error: unknown }>> {
	const outcomes: Array<{ ok: true; value: T } | { ok: false; error: unknown }> = new Array(tasks.length);
	let next = 0;
	const worker = async () => {
		while (next < tasks.length) {
			const index = next++;
			try {
				outcomes[index] = { ok: true, value: await tasks[index]() };
			} catch (error) {
				outcomes[index] = { ok: false, error };
			}
		}
	};
	const workers = Array.from({ length: Math.max(1, Math.min(limit, tasks.length)) }, worker);
	await Promise.all(workers);
	return outcomes;
}

/** Status codes worth retrying: rate limiting, and the server-side faults that are usually passing. */
export function isRetryableStatus(status: number | undefined): boolean {
	return status === 429 || status === 408 || (status !== undefined && status >= 500 && status <= 599);
}

/** Network failures (dropped connections, resets, time-outs) that a retry can cure. */
export function isRetryableNetworkError(error: unknown): boolean {
	// Read through n8n's wrappers (NodeApiError keeps the socket's code only as httpCode in n8n 1.x).
	const outcome = outcomeFromError(error);
	return outcome?.kind === 'network' && RETRYABLE_NETWORK_CODES.has(outcome.code);
}

/** Transient socket failures; a host that does not resolve or cannot be routed to is not retried. */
const RETRYABLE_NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'ESOCKETTIMEDOUT', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ERR_STREAM_PREMATURE_CLOSE']);

/** Parses a Retry-After header (seconds or an HTTP date) into milliseconds. */
export function retryAfterMs(header: unknown, now: number = Date.now()): number | undefined {
	if (typeof header !== 'string' && typeof header !== 'number') return undefined;
	const seconds = Number(header);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const at = Date.parse(String(header));
	return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}
