import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions, IHttpRequestMethods, IHttpRequestOptions, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { TRACK_HOSTS } from '../../../core/customerio/limits';
import { outcomeFromError } from '../../../core/http/outcome';
import type { TrackTransport } from '../../../core/customerio/types';

/**
 * The only place this node makes HTTP calls: n8n's `httpRequestWithAuthentication` with the Customer.io
 * Track credential (Basic auth, Site ID : API key, applied by the credential's `authenticate` block).
 * HTTP statuses come back as outcomes (`ignoreHttpStatusErrors`), so the core client decides what to
 * retry and what each status means per item; dropped connections come back as network outcomes.
 */
export const CREDENTIAL_TYPE = 'customerIoTrackApi';

const REQUEST_TIMEOUT_MS = 60_000;

/** The Track API base URL for the credential's region (or its custom URL). */
export function trackBaseUrl(credentials: ICredentialDataDecryptedObject): string {
	const region = String(credentials.region ?? 'us');
	if (region === 'custom') {
		const url = String(credentials.customUrl ?? '').trim().replace(/\/+$/, '').replace(/\/api$/, '');
		if (!/^https?:\/\/[^\s/]+/.test(url)) throw new Error(`the credential's Custom URL ${JSON.stringify(url)} is not an http(s) URL`);
		return url;
	}
	return region === 'eu' ? TRACK_HOSTS.eu : TRACK_HOSTS.us;
}

export async function connect(ctx: IExecuteFunctions): Promise<{ baseUrl: string; transport: TrackTransport }> {
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
	let baseUrl: string;
	try {
		baseUrl = trackBaseUrl(credentials);
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), `Customer.io Track credential: ${(error as Error).message}`, {
			description: 'Open the credential and enter the base URL of your proxy or test server, e.g. http://127.0.0.1:8788',
		});
	}
	const transport: TrackTransport = async (request) => {
		const options: IHttpRequestOptions = {
			method: request.method as IHttpRequestMethods,
			url: `${baseUrl}${request.path}`,
			body: request.body as IDataObject | undefined,
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: REQUEST_TIMEOUT_MS,
		};
		try {
			const response = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, CREDENTIAL_TYPE, options)) as { statusCode: number; body: unknown; headers?: Record<string, unknown> };
			return { kind: 'response', status: response.statusCode, body: response.body === '' ? null : response.body, headers: response.headers ?? {} };
		} catch (error) {
			const outcome = outcomeFromError(error);
			if (outcome) return outcome;
			throw new NodeApiError(ctx.getNode(), error as JsonObject, { message: `Customer.io request failed: ${(error as Error)?.message ?? String(error)}` });
		}
	};
	return { baseUrl, transport };
}
