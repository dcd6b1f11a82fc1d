import type { RetryDecision } from '../http/retry';
import { isRetryableStatus, retryAfterMs } from '../http/retry';
import type { OperationFailure, OperationOutcome, TrackHttpOutcome } from './types';
import { failure } from './types';

/**
 * What Track API answers mean, per operation.
 *
 * `POST /api/v2/batch` (https://docs.customer.io/api/track/#tag/track_v2/operation/batch):
 * - 200: every operation accepted.
 * - 207: "At least one object in the batch was invalid; all other requests are accepted." Body
 *   `{errors: [{batch_index, reason, field, message}]}`, `batch_index` being "the 0-indexed position of
 *   the failing object in your request". (Customer.io's own Segment integration also reads `errors`
 *   from a 200, so we do too.)
 * - 400: "The entire request was malformed or invalid" — nothing was accepted.
 * - 401: the credentials were refused.
 * Over-size requests have no documented status; the contract server and this client use 413.
 *
 * v1 calls answer 200 with an empty body, 400 with `{meta: {error}}` or `{meta: {errors: []}}`
 * (https://docs.customer.io/journeys/invalid-api-requests), 401 when unauthorised.
 *
 * Rate limiting is answered with 429 (Track API reference, "Rate Limits").
 */
export interface BatchError {
	batch_index?: unknown;
	reason?: unknown;
	field?: unknown;
	message?: unknown;
}

function text(value: unknown): string | null {
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/** Retry decision for one attempt: dropped connections, 408, 429 and 5xx are retried; Retry-After is honoured. */
export function classifyTrackOutcome(outcome: TrackHttpOutcome, now: number = Date.now()): RetryDecision {
	if (outcome.kind === 'network') return { retry: true };
	if (!isRetryableStatus(outcome.status)) return { retry: false };
	const delayMs = retryAfterMs(headerValue(outcome.headers, 'retry-after'), now);
	return delayMs === undefined ? { retry: true } : { retry: true, delayMs };
}

export function headerValue(headers: Record<string, unknown>, name: string): string | undefined {
	for (const [key, value] of Object.entries(headers ?? {})) {
		if (key.toLowerCase() === name) return Array.isArray(value) ? String(value[0]) : value === undefined || value === null ? undefined : String(value);
	}
	return undefined;
}

export function isAuthFailure(outcome: TrackHttpOutcome): boolean {
	return outcome.kind === 'response' && (outcome.status === 401 || outcome.status === 403);
}

/** The failure every operation of a request shares when the request as a whole did not go through. */
export function requestFailure(outcome: TrackHttpOutcome, attempts: number, what: string): OperationFailure {
	if (outcome.kind === 'network') {
		return failure('NETWORK_ERROR', `The connection to Customer.io failed (${outcome.code}) while sending ${what}, after ${attempts} attempt(s) — run the node again later; events carry dedupe ids, so nothing is doubled`, {
			apiMessage: outcome.message,
			retryable: true,
			attempts,
		});
	}
	const status = outcome.status;
	const apiMessage = apiMessageOf(outcome.body);
	if (status === 429) {
		return failure('RATE_LIMITED', `Customer.io kept answering 429 (too many requests) to ${what} after ${attempts} attempt(s) — lower "Max Requests per Second" or run again later`, { httpStatus: status, apiMessage, retryable: true, attempts });
	}
	if (status >= 500) {
		return failure('SERVER_ERROR', `Customer.io answered HTTP ${status} to ${what} after ${attempts} attempt(s) — a fault on Customer.io's side; run again later`, { httpStatus: status, apiMessage, retryable: true, attempts });
	}
	if (status === 413) {
		return failure('TOO_LARGE', `Customer.io refused ${what} as too large (HTTP 413) — send fewer or smaller fields`, { httpStatus: status, apiMessage, attempts });
	}
	return failure(status === 400 ? 'BAD_REQUEST' : `HTTP_${status}`, `Customer.io refused ${what} (HTTP ${status})${apiMessage ? `: ${apiMessage}` : ''}`, { httpStatus: status, apiMessage, retryable: isRetryableStatus(status), attempts });
}

/** Customer.io's own error text from any of its error bodies. */
export function apiMessageOf(body: unknown): string | null {
	if (!body || typeof body !== 'object') return text(body);
	const b = body as { meta?: { error?: unknown; errors?: unknown }; errors?: unknown; message?: unknown };
	const parts: string[] = [];
	const meta = b.meta;
	if (meta && typeof meta === 'object') {
		if (text(meta.error)) parts.push(text(meta.error)!);
		if (Array.isArray(meta.errors)) for (const e of meta.errors) if (text(e)) parts.push(text(e)!);
	}
	if (Array.isArray(b.errors)) {
		for (const e of b.errors as BatchError[]) {
			const message = text(e?.message) ?? text(e?.reason);
			if (message) parts.push(text(e?.field) ? `${text(e.field)}: ${message}` : message);
		}
	}
	if (text(b.message)) parts.push(text(b.message)!);
	return parts.length > 0 ? parts.join('; ') : null;
}

export function batchErrorFailure(error: BatchError, httpStatus: number, attempts: number, what: string): OperationFailure {
	const reason = text(error.reason);
	const field = text(error.field);
	const apiMessage = text(error.message) ?? reason;
	return failure(
		(reason ?? 'invalid').toUpperCase().replace(/[^A-Z0-9]+/g, '_'),
		`Customer.io rejected this ${what}${field ? ` (field "${field}")` : ''}: ${apiMessage ?? 'no reason given'} — fix the value and run the item again`,
		{ apiMessage, field, httpStatus, attempts },
	);
}

export interface BatchInterpretation {
	outcomes: OperationOutcome[];
	/** Positions Customer.io did not blame in a batch it rejected whole (400): send them again without the bad ones. */
	resend: number[];
}

/**
 * One outcome per operation of a batch request whose final answer is `outcome`. 401/403 and 413 are
 * the client's to handle before calling this (credential error; split and resend).
 */
export function interpretBatchOutcome(outcome: TrackHttpOutcome, actions: string[], attempts: number): BatchInterpretation {
	const count = actions.length;
	if (outcome.kind === 'response' && outcome.status >= 200 && outcome.status < 300) {
		const errors = indexedErrors(outcome.body, count);
		return {
			outcomes: actions.map((action, i) => (errors.has(i) ? batchErrorFailure(errors.get(i)!, outcome.status, attempts, action) : { ok: true, httpStatus: outcome.status, attempts })),
			resend: [],
		};
	}
	if (outcome.kind === 'response' && outcome.status === 400) {
		const errors = indexedErrors(outcome.body, count);
		if (errors.size > 0) {
			const resend: number[] = [];
			const outcomes = actions.map((action, i) => {
				if (errors.has(i)) return batchErrorFailure(errors.get(i)!, 400, attempts, action);
				resend.push(i);
				return requestFailure(outcome, attempts, `the batch this ${action} was in`);
			});
			return { outcomes, resend };
		}
	}
	const shared = requestFailure(outcome, attempts, `a batch of ${count} operation(s)`);
	return { outcomes: actions.map(() => ({ ...shared })), resend: [] };
}

function indexedErrors(body: unknown, count: number): Map<number, BatchError> {
	const map = new Map<number, BatchError>();
	const errors = (body as { errors?: unknown } | null)?.errors;
	if (!Array.isArray(errors)) return map;
	for (const error of errors as BatchError[]) {
		const index = Number(error?.batch_index);
		if (Number.isInteger(index) && index >= 0 && index < count && !map.has(index)) map.set(index, error);
	}
	return map;
}

/** The outcome of a single (v1) request. */
export function interpretSingleOutcome(outcome: TrackHttpOutcome, attempts: number, what: string): OperationOutcome {
	if (outcome.kind === 'response' && outcome.status >= 200 && outcome.status < 300) return { ok: true, httpStatus: outcome.status, attempts };
	return requestFailure(outcome, attempts, what);
}
