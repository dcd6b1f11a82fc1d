/**
 * What one HTTP attempt came to, whatever threw it: an HTTP response (any status) or a network failure.
 * Transports return this instead of throwing, so the API clients decide about retries in one place.
 */
export type HttpOutcome =
	| { kind: 'response'; status: number; body: unknown; headers: Record<string, unknown> }
	| { kind: 'network'; code: string; message: string };

const NETWORK_CODES = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'EPIPE',
	'ETIMEDOUT',
	'ECONNABORTED',
	'ESOCKETTIMEDOUT',
	'EAI_AGAIN',
	'ENOTFOUND',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'UND_ERR_SOCKET',
	'UND_ERR_CONNECT_TIMEOUT',
	'UND_ERR_HEADERS_TIMEOUT',
	'UND_ERR_BODY_TIMEOUT',
	'ERR_STREAM_PREMATURE_CLOSE',
]);

const NETWORK_MESSAGE = /socket hang up|other side closed|terminated|fetch failed|timeout/i;

interface ErrorLike {
	response?: { status?: unknown; statusCode?: unknown; data?: unknown; body?: unknown; headers?: unknown };
	code?: unknown;
	httpCode?: unknown;
	context?: { data?: unknown };
	message?: unknown;
	cause?: unknown;
}

function parseJson(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	try {
		return JSON.parse(body);
	} catch {
		return body;
	}
}

/**
 * Recovers what happened from an error thrown by n8n's HTTP helpers, or null when it was no HTTP
 * failure (e.g. a token refresh that could not run) and the caller should rethrow it.
 *
 * Two shapes occur. The HTTP library's error (status in `response`), possibly as the `cause` of a
 * wrapper. And n8n's NodeApiError as `httpRequestWithAuthentication` throws it in a real n8n: it keeps
 * neither the cause nor the response, only `httpCode` (the status, or the network code such as
 * ECONNRESET) and the response body in `context.data` — so response headers (Retry-After) are lost
 * and the caller's own backoff applies.
 */
export function outcomeFromError(error: unknown): HttpOutcome | null {
	const seen = new Set<unknown>();
	let current: unknown = error;
	let code: string | null = null;
	let apiStatus: { status: number; body: unknown } | null = null;
	let message = error instanceof Error ? error.message : String(error);
	while (current && typeof current === 'object' && !seen.has(current)) {
		seen.add(current);
		const e = current as ErrorLike;
		const status = Number(e.response?.status ?? e.response?.statusCode);
		if (e.response && Number.isInteger(status) && status >= 100) {
			const body = e.response.data ?? e.response.body ?? e.context?.data ?? null;
			return { kind: 'response', status, body: parseJson(body), headers: (e.response.headers as Record<string, unknown>) ?? {} };
		}
		if (typeof e.httpCode === 'string' || typeof e.httpCode === 'number') {
			const httpCode = String(e.httpCode);
			if (/^[1-5]\d\d$/.test(httpCode)) apiStatus ??= { status: Number(httpCode), body: parseJson(e.context?.data ?? null) };
			else if (NETWORK_CODES.has(httpCode)) code ??= httpCode;
		}
		if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) code ??= e.code;
		if (typeof e.message === 'string' && NETWORK_MESSAGE.test(e.message)) {
			code ??= 'ECONNRESET';
			message = e.message;
		}
		current = e.cause;
	}
	if (apiStatus) return { kind: 'response', status: apiStatus.status, body: apiStatus.body, headers: {} };
	return code ? { kind: 'network', code, message } : null;
}
