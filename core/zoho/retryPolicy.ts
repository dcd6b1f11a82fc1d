import type { RetryDecision } from '../http/retry';
import { isRetryableStatus, retryAfterMs } from '../http/retry';
import type { ZohoHttpOutcome } from './types';

/**
 * Which Zoho answers are worth another attempt. All requests this client sends are safe to repeat:
 * upserts match on a duplicate key, updates carry absolute values by id, and the rest are reads.
 *
 * - 429 TOO_MANY_REQUESTS (rate or concurrency limit) and 5xx: retry with backoff; a Retry-After
 *   header, or Zoho's `details.retry_after` seconds, sets the wait.
 * - Dropped connections and resets: retry (the write may or may not have been committed; repeating the
 *   upsert converges on one record either way).
 * - 401: not retried here — n8n's OAuth2 helper has already refreshed the token once and repeated the call.
 * - Other 4xx: not retried; they are the caller's to fix.
 */
export function classifyZohoOutcome(outcome: ZohoHttpOutcome, now: number = Date.now()): RetryDecision {
	if (outcome.kind === 'network') return { retry: true };
	if (!isRetryableStatus(outcome.status)) return { retry: false };
	const header = headerValue(outcome.headers, 'retry-after');
	let delayMs = retryAfterMs(header, now);
	if (delayMs === undefined && outcome.status === 429) {
		const seconds = (outcome.body as { details?: { retry_after?: unknown } } | null)?.details?.retry_after;
		if (typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0) delayMs = seconds * 1000;
	}
	return delayMs === undefined ? { retry: true } : { retry: true, delayMs };
}

export function headerValue(headers: Record<string, unknown>, name: string): string | undefined {
	for (const [key, value] of Object.entries(headers ?? {})) {
		if (key.toLowerCase() === name) return Array.isArray(value) ? String(value[0]) : value === undefined || value === null ? undefined : String(value);
	}
	return undefined;
}

export function isAuthFailure(outcome: ZohoHttpOutcome): boolean {
	return outcome.kind === 'response' && outcome.status === 401;
}
