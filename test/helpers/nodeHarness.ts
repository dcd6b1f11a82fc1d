/**
 * Runs a node's `execute()` outside n8n for unit tests: the one fake IExecuteFunctions of this project.
 * It stands in for n8n (parameters, items, credentials, HTTP), never for our own code. HTTP goes for real
 * over the loopback to the contract servers under test/contract, through `fetch`, with n8n's
 * `httpRequest` semantics for the options our transports use. Real-n8n behaviour is covered by the e2e suite.
 */
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	INodeType,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

export type ParameterValue = unknown | ((itemIndex: number) => unknown);

export interface HarnessOptions {
	/** Node parameters; a function value is evaluated per item (what an n8n expression would do). */
	parameters: Record<string, ParameterValue>;
	items: IDataObject[] | INodeExecutionData[];
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	continueOnFail?: boolean;
	staticData?: IDataObject;
	nodeName?: string;
	typeVersion?: number;
	/** Every HTTP request the node made, in order (for call-count assertions). */
	requestLog?: IHttpRequestOptions[];
	/**
	 * Credential types that extend n8n's `oAuth2Api`. For these, `httpRequestWithAuthentication` behaves
	 * like n8n's OAuth2 helper (requestOAuth2 for n8n requests, 1.123 and 2.40): it signs the call with
	 * `Authorization: Bearer <oauthTokenData.access_token>` and, when the call throws with HTTP 401,
	 * refreshes the token once at the credential's `accessTokenUrl` (refresh_token grant, client id and
	 * secret in the body when `authentication` is "body", else Basic auth), stores the new token data in
	 * the credential and repeats the call. Other statuses are not refreshed.
	 */
	oauth2CredentialTypes?: string[];
	/** Filled with one entry per token refresh the OAuth2 emulation made. */
	tokenRefreshLog?: Array<{ credentialType: string; status: number }>;
}

export interface HarnessResult {
	outputs: INodeExecutionData[][];
	requests: IHttpRequestOptions[];
	staticData: IDataObject;
}

function toItems(items: HarnessOptions['items']): INodeExecutionData[] {
	return items.map((item) =>
		item && typeof item === 'object' && 'json' in item && typeof (item as INodeExecutionData).json === 'object'
			? (item as INodeExecutionData)
			: { json: item as IDataObject },
	);
}

function getPath(source: Record<string, unknown>, path: string): unknown {
	if (path in source) return source[path];
	return path.split('.').reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), source);
}

/** n8n's httpRequest, for the options this project uses, over fetch. */
export async function httpRequest(options: IHttpRequestOptions): Promise<unknown> {
	const base = options.baseURL ?? '';
	const url = new URL(base ? base.replace(/\/$/, '') + '/' + options.url.replace(/^\//, '') : options.url);
	for (const [key, value] of Object.entries(options.qs ?? {})) {
		if (value === undefined) continue;
		url.searchParams.set(key, Array.isArray(value) ? value.join(',') : String(value));
	}
	const headers: Record<string, string> = {};
	for (const [key, value] of Object.entries(options.headers ?? {})) if (value !== undefined) headers[key.toLowerCase()] = String(value);
	if (options.auth) headers.authorization = 'Basic ' + Buffer.from(`${options.auth.username}:${options.auth.password}`).toString('base64');
	let body: string | Buffer | URLSearchParams | undefined;
	if (options.body !== undefined && options.body !== null) {
		if (typeof options.body === 'string' || Buffer.isBuffer(options.body) || options.body instanceof URLSearchParams) {
			body = options.body as string | Buffer | URLSearchParams;
		} else {
			body = JSON.stringify(options.body);
			headers['content-type'] ??= 'application/json';
		}
	}
	const response = await fetch(url, {
		method: options.method ?? 'GET',
		headers,
		body,
		signal: options.timeout ? AbortSignal.timeout(options.timeout) : undefined,
	}).catch((error: Error & { cause?: { code?: string } }) => {
		// n8n (axios) surfaces socket failures with their system error code; keep it for retry decisions.
		const wrapped = new Error(error.cause && 'message' in error.cause ? String((error.cause as Error).message) : error.message) as Error & { code?: string };
		wrapped.code = error.cause?.code ?? 'ECONNRESET';
		throw wrapped;
	});
	const text = await response.text();
	let parsed: unknown = text;
	if (options.json !== false && text !== '' && /json/i.test(response.headers.get('content-type') ?? '')) {
		try {
			parsed = JSON.parse(text);
		} catch {
			parsed = text;
		}
	}
	const responseHeaders: IDataObject = {};
	response.headers.forEach((value, key) => (responseHeaders[key] = value));
	if (!options.ignoreHttpStatusErrors && response.status >= 400) {
		const error = new Error(`Request failed with status code ${response.status}`) as Error & IDataObject;
		error.httpCode = String(response.status);
		error.response = { status: response.status, headers: responseHeaders, body: parsed as IDataObject };
		throw error;
	}
	if (options.returnFullResponse) return { statusCode: response.status, statusMessage: response.statusText, headers: responseHeaders, body: parsed };
	return parsed;
}

/**
 * Authentication as n8n applies it for the credential types of this package: the credential class's
 * `authenticate` block is not evaluated here; instead each test passes `authenticate` to add headers.
 */
export type Authenticator = (credentialType: string, credentials: ICredentialDataDecryptedObject, options: IHttpRequestOptions) => IHttpRequestOptions;

export async function runNode(node: INodeType, options: HarnessOptions & { authenticate?: Authenticator }): Promise<HarnessResult> {
	const items = toItems(options.items);
	const requests: IHttpRequestOptions[] = options.requestLog ?? [];
	const staticData: IDataObject = options.staticData ?? {};
	const nodeDescription: INode = {
		id: 'test-node',
		name: options.nodeName ?? node.description.displayName,
		type: `n8n-nodes-commerce-retention.${node.description.name}`,
		typeVersion: options.typeVersion ?? (Array.isArray(node.description.version) ? Math.max(...node.description.version) : node.description.version),
		position: [0, 0],
		parameters: {},
	};
	const getParameter = (name: string, itemIndex: number, fallback?: unknown): unknown => {
		const value = getPath(options.parameters as Record<string, unknown>, name);
		if (value === undefined) {
			if (fallback !== undefined) return fallback;
			throw new Error(`Test harness: parameter "${name}" was not given and has no fallback`);
		}
		return typeof value === 'function' ? (value as (i: number) => unknown)(itemIndex) : value;
	};
	const send = async (options2: IHttpRequestOptions) => {
		requests.push(options2);
		return httpRequest(options2);
	};
	const context = {
		getInputData: () => items,
		getNodeParameter: (name: string, itemIndex: number, fallback?: unknown) => getParameter(name, itemIndex, fallback),
		getNode: () => nodeDescription,
		continueOnFail: () => options.continueOnFail ?? false,
		getCredentials: async (type: string) => {
			const credentials = options.credentials?.[type];
			if (!credentials) throw new Error(`Test harness: no credentials of type "${type}" given`);
			return credentials;
		},
		getWorkflowStaticData: () => staticData,
		getExecutionId: () => 'test-execution',
		getMode: () => 'manual',
		getTimezone: () => 'UTC',
		logger: { debug() {}, info() {}, warn() {}, error() {} },
		helpers: {
			httpRequest: send,
			httpRequestWithAuthentication: async (credentialType: string, requestOptions: IHttpRequestOptions) => {
				const credentials = options.credentials?.[credentialType];
				if (!credentials) throw new Error(`Test harness: no credentials of type "${credentialType}" given`);
				if (options.oauth2CredentialTypes?.includes(credentialType)) {
					try {
						return await oauth2Request(credentialType, credentials, requestOptions, send, options.tokenRefreshLog);
					} catch (error) {
						throw new NodeApiError(nodeDescription, error as never);
					}
				}
				const authenticated = options.authenticate ? options.authenticate(credentialType, credentials, requestOptions) : requestOptions;
				try {
					return await send(authenticated);
				} catch (error) {
					// n8n wraps every failure of this helper, socket errors included, in a NodeApiError.
					throw new NodeApiError(nodeDescription, error as never);
				}
			},
			returnJsonArray: (data: IDataObject | IDataObject[]) => (Array.isArray(data) ? data : [data]).map((json) => ({ json })),
			constructExecutionMetaData: (data: INodeExecutionData[], meta: { itemData: { item: number } | Array<{ item: number }> }) =>
				data.map((entry) => ({ ...entry, pairedItem: meta.itemData })),
		},
	};
	if (!node.execute) throw new Error('Test harness: this node has no execute()');
	const outputs = (await node.execute.call(context as unknown as IExecuteFunctions)) as INodeExecutionData[][];
	return { outputs, requests, staticData };
}

/** n8n's OAuth2 signing and one refresh on a thrown 401, as described at `oauth2CredentialTypes`. */
async function oauth2Request(
	credentialType: string,
	credentials: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions,
	send: (options: IHttpRequestOptions) => Promise<unknown>,
	refreshLog?: Array<{ credentialType: string; status: number }>,
): Promise<unknown> {
	const tokenData = (credentials.oauthTokenData ?? {}) as IDataObject;
	if (!tokenData.access_token) throw new Error('OAuth credentials not connected');
	const sign = (token: unknown): IHttpRequestOptions => ({ ...requestOptions, headers: { ...(requestOptions.headers ?? {}), Authorization: `Bearer ${String(token)}` } });
	const first = await send(sign(tokenData.access_token)).then(
		(value) => ({ ok: true as const, value }),
		(error: unknown) => ({ ok: false as const, error }),
	);
	if (first.ok) return first.value;
	if (((first.error as IDataObject).response as IDataObject | undefined)?.status !== 401) throw first.error;
	const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: String(tokenData.refresh_token ?? '') });
	const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
	if (credentials.authentication === 'body') {
		form.set('client_id', String(credentials.clientId ?? ''));
		form.set('client_secret', String(credentials.clientSecret ?? ''));
	} else {
		headers.authorization = 'Basic ' + Buffer.from(`${String(credentials.clientId ?? '')}:${String(credentials.clientSecret ?? '')}`).toString('base64');
	}
	const response = await fetch(String(credentials.accessTokenUrl), { method: 'POST', headers, body: form });
	refreshLog?.push({ credentialType, status: response.status });
	const body = (await response.json().catch(() => ({}))) as IDataObject;
	if (response.status >= 400 || body.error || !body.access_token) throw new Error(`OAuth token refresh failed (${response.status}): ${JSON.stringify(body)}`);
	credentials.oauthTokenData = { ...tokenData, ...body };
	return await send(sign(body.access_token));
}

/** Items of one output as plain JSON, for assertions. */
export function jsonOf(output: INodeExecutionData[] | undefined): IDataObject[] {
	return (output ?? []).map((item) => item.json);
}
