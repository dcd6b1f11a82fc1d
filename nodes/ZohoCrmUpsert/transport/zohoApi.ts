import type { IDataObject, IExecuteFunctions, IHttpRequestMethods, IHttpRequestOptions, ILoadOptionsFunctions, JsonObject } from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import type { RetryPolicy } from '../../../core/http/retry';
import { DEFAULT_RETRY_POLICY } from '../../../core/http/retry';
import { ZohoClient } from '../../../core/zoho/client';
import { resolveApiDomain } from '../../../core/zoho/dataCentres';
import type { ZohoHttpOutcome, ZohoRequest, ZohoTransport } from '../../../core/zoho/types';

/**
 * The only place this node makes HTTP calls. Every call goes through n8n's
 * `httpRequestWithAuthentication` with the package's OAuth2 credential, so n8n signs it and — when
 * Zoho answers 401 (INVALID_TOKEN) — refreshes the access token once and repeats the call. That is
 * why HTTP errors are not suppressed with `ignoreHttpStatusErrors`: n8n only refreshes on a thrown 401.
 * The thrown error is then turned back into the status and body it came from, and the core client
 * decides (retry 429/5xx/dropped connections, report per-record errors).
 */
export const CREDENTIAL_TYPE = 'zohoCrmRetentionOAuth2Api';

type Context = IExecuteFunctions | ILoadOptionsFunctions;

export interface ZohoConnection {
	apiDomain: string;
	transport: ZohoTransport;
}

export async function connect(context: Context): Promise<ZohoConnection> {
	const credentials = await context.getCredentials(CREDENTIAL_TYPE);
	const apiDomain = resolveApiDomain(credentials);
	const transport: ZohoTransport = async (request) => {
		const options: IHttpRequestOptions = {
			method: request.method as IHttpRequestMethods,
			url: `${apiDomain}${request.path}`,
			qs: request.qs as IDataObject | undefined,
			headers: request.headers,
			body: request.body as IDataObject | undefined,
			json: true,
			returnFullResponse: true,
		};
		try {
			const response = (await context.helpers.httpRequestWithAuthentication.call(context, CREDENTIAL_TYPE, options)) as { statusCode: number; body: unknown; headers: Record<string, unknown> };
			return { kind: 'response', status: response.statusCode, body: response.body === '' ? null : response.body, headers: response.headers ?? {} };
		} catch (error) {
			const outcome = outcomeFromError(error);
			if (outcome) return outcome;
			throw new NodeApiError(context.getNode(), error as JsonObject);
		}
	};
	return { apiDomain, transport };
}

/** Options the operator sets under "Options" that shape the client. */
export interface ClientSettings {
	concurrency: number;
	maxRetries: number;
	retryDelayMs: number;
}

export function createClient(context: IExecuteFunctions, transport: ZohoTransport, settings: ClientSettings): ZohoClient {
	const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, maxRetries: settings.maxRetries, baseDelayMs: settings.retryDelayMs };
	return new ZohoClient({
		transport,
		sleep,
		concurrency: settings.concurrency,
		retryPolicy: policy,
		onRetry: (request: ZohoRequest, attempt: number, delayMs: number, outcome: ZohoHttpOutcome) => {
			const what = outcome.kind === 'network' ? outcome.code : `HTTP ${outcome.status}`;
			context.logger?.debug(`Zoho CRM: ${request.purpose} failed (${what}); retry ${attempt} in ${delayMs} ms`);
		},
	});
}

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'ESOCKETTIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/**
 * Recovers what happened from an error thrown by n8n's HTTP helper: the HTTP response (status, body,
 * headers) when there was one — n8n wraps it in a NodeApiError whose `cause` is the original error —
 * or a network failure code. Anything else (e.g. a token refresh that failed) returns null and is
 * rethrown: the run cannot go on with that credential.
 */
export function outcomeFromError(error: unknown): ZohoHttpOutcome | null {
	const seen = new Set<unknown>();
	let current: unknown = error;
	let code: string | null = null;
	let message = error instanceof Error ? error.message : String(error);
	while (current && typeof current === 'object' && !seen.has(current)) {
		seen.add(current);
		const e = current as { response?: { status?: unknown; statusCode?: unknown; data?: unknown; body?: unknown; headers?: unknown }; code?: unknown; message?: unknown; cause?: unknown; context?: { data?: unknown } };
		const status = Number(e.response?.status ?? e.response?.statusCode);
		if (e.response && Number.isInteger(status) && status >= 100) {
			const body = e.response.data ?? e.response.body ?? e.context?.data ?? null;
			return { kind: 'response', status, body: typeof body === 'string' ? parseJson(body) : body, headers: (e.response.headers as Record<string, unknown>) ?? {} };
		}
		if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) code ??= e.code;
		if (typeof e.message === 'string' && /socket hang up|other side closed|terminated|fetch failed/i.test(e.message)) {
			code ??= 'ECONNRESET';
			message = e.message;
		}
		current = e.cause;
	}
	return code ? { kind: 'network', code, message } : null;
}

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}
