/**
 * Shapes shared by the Zoho CRM client, its planners and the node. Plain data, no n8n import.
 */
import type { HttpOutcome } from '../http/outcome';

/** A record as Zoho's write APIs take it: field API name → value. Lookups are `{ id }`. */
export type ZohoRecord = Record<string, unknown>;

export type HttpMethod = 'GET' | 'POST' | 'PUT';

/** One HTTP call to the Zoho CRM API, relative to the API domain. */
export interface ZohoRequest {
	method: HttpMethod;
	/** Path below the API domain, e.g. `/crm/v8/Contacts/upsert`. */
	path: string;
	qs?: Record<string, string | number>;
	headers?: Record<string, string>;
	body?: unknown;
	/** What the call is for, in words, for dry runs and logs. */
	purpose: string;
}

/**
 * What came back from one attempt: an HTTP response (any status) or a network failure.
 * Transports return this instead of throwing, so the client decides about retries in one place.
 */
export type ZohoHttpOutcome = HttpOutcome;

/** Sends one request once. The node's transport wraps n8n's authenticated HTTP helper. */
export type ZohoTransport = (request: ZohoRequest) => Promise<ZohoHttpOutcome>;

export interface RecordSuccess {
	ok: true;
	action: 'insert' | 'update';
	id: string;
	/** The field Zoho matched the existing record on (upsert), or null. */
	duplicateField: string | null;
	message: string;
}

export interface RecordFailure {
	ok: false;
	/** Zoho's error code (`MANDATORY_NOT_FOUND`, `DUPLICATE_DATA`, `INVALID_DATA`…) or ours (`NETWORK_ERROR`, `INVALID_INPUT`…). */
	code: string;
	/** An operator-readable sentence: what is wrong and what to do. */
	message: string;
	/** Zoho's own message, kept verbatim. */
	zohoMessage: string | null;
	/** The field API name Zoho blamed (`details.api_name`), when it named one. */
	field: string | null;
	/** Zoho's JSON path to the bad value (`$.data[3].Email`). */
	jsonPath: string | null;
	httpStatus: number | null;
	/** True when the failure was transient (rate limit, server fault, network) and a later re-run may succeed. */
	retryable: boolean;
	details?: Record<string, unknown>;
}

export type RecordOutcome = RecordSuccess | RecordFailure;

export function failure(code: string, message: string, extra: Partial<Omit<RecordFailure, 'ok' | 'code' | 'message'>> = {}): RecordFailure {
	return { ok: false, code, message, zohoMessage: null, field: null, jsonPath: null, httpStatus: null, retryable: false, ...extra };
}

/** Raised when Zoho refuses the credential even after n8n refreshed the token: nothing else can succeed. */
export class ZohoAuthError extends Error {
	readonly status: number;
	readonly body: unknown;
	constructor(status: number, body: unknown) {
		const code = (body as { code?: unknown } | null)?.code;
		super(
			`Zoho CRM refused the credential (HTTP ${status}${typeof code === 'string' ? `, ${code}` : ''}) even after refreshing the access token — reconnect the Zoho CRM credential and check it was granted the scopes this node needs`,
		);
		this.name = 'ZohoAuthError';
		this.status = status;
		this.body = body;
	}
}
