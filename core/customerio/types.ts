/**
 * Shapes shared by the Customer.io planner, client and node. Plain data, no n8n import.
 */
import type { HttpOutcome } from '../http/outcome';

/** How the operator identifies people in this node: once per node, never per item. */
export type IdentifierType = 'email' | 'id' | 'cio_id';

/** Exactly one identifier, as the v2 API takes it (`identifiers: {email: …}`). */
export type PersonIdentifiers = { email: string } | { id: string } | { cio_id: string };

export type JsonObject = Record<string, unknown>;

/** One v2 entity operation: an element of `POST /api/v2/batch`'s `batch` array. */
export type BatchOperation = JsonObject & { type: 'person'; action: PersonAction };

export type PersonAction = 'identify' | 'event' | 'delete' | 'suppress' | 'unsuppress' | 'merge';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** One HTTP call to the Track API, relative to the region's host. */
export interface TrackRequest {
	method: HttpMethod;
	/** e.g. `/api/v2/batch` */
	path: string;
	body?: unknown;
	/** What the call is for, in words, for dry runs and logs. */
	purpose: string;
}

/** What one attempt gave: an HTTP response (any status) or a network failure. Transports never throw for these. */
export type TrackHttpOutcome = HttpOutcome;

export type TrackTransport = (request: TrackRequest) => Promise<TrackHttpOutcome>;

/** What happened to one planned operation. */
export type OperationOutcome = OperationSuccess | OperationFailure;

export interface OperationSuccess {
	ok: true;
	httpStatus: number;
	/** HTTP attempts made for the request that carried this operation. */
	attempts: number;
}

export interface OperationFailure {
	ok: false;
	/** Ours (`INVALID_INPUT`, `NETWORK_ERROR`, `RATE_LIMITED`, `SERVER_ERROR`, `TOO_LARGE`…) or Customer.io's `reason` upper-cased. */
	code: string;
	/** An operator-readable sentence: what is wrong and what to do. */
	message: string;
	/** Customer.io's own words, verbatim. */
	apiMessage: string | null;
	/** The field Customer.io or our validation blamed. */
	field: string | null;
	httpStatus: number | null;
	/** True when a later re-run may succeed (rate limit, server fault, network). */
	retryable: boolean;
	attempts: number;
}

export function failure(code: string, message: string, extra: Partial<Omit<OperationFailure, 'ok' | 'code' | 'message'>> = {}): OperationFailure {
	return { ok: false, code, message, apiMessage: null, field: null, httpStatus: null, retryable: false, attempts: 0, ...extra };
}

/** Raised when Customer.io refuses the site id / API key: nothing else in the run can succeed. */
export class CustomerIoAuthError extends Error {
	readonly status: number;
	constructor(status: number) {
		super(
			`Customer.io refused the Track API credentials (HTTP ${status}) — check the Site ID and API Key in the Customer.io Track credential (Customer.io › Settings › API Credentials › Track API Keys) and that the region matches your account`,
		);
		this.name = 'CustomerIoAuthError';
		this.status = status;
	}
}
