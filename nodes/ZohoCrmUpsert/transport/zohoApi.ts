import type { IDataObject, IExecuteFunctions, IHttpRequestMethods, IHttpRequestOptions, ILoadOptionsFunctions, JsonObject } from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import type { RetryPolicy } from '../../../core/http/retry';
import { outcomeFromError } from '../../../core/http/outcome';
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
