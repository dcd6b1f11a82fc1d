/**
 * Stand-ins for n8n's IHookFunctions (webhook lifecycle) and IWebhookFunctions (deliveries), for the
 * Commerce Trigger's node-level tests. They play n8n's part only: parameters with n8n's fallback
 * semantics, static data, credentials, HTTP over loopback (the project harness's httpRequest), and a
 * response object that records what the node answered. Real n8n is covered by the e2e suite.
 */
import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestOptions, INode } from 'n8n-workflow';

import { httpRequest } from '../../helpers/nodeHarness';

export interface FakeOptions {
	parameters: Record<string, unknown>;
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	staticData?: IDataObject;
	webhookUrl?: string;
}

const node: INode = {
	id: 'commerce-trigger',
	name: 'Commerce Trigger',
	type: 'n8n-nodes-commerce-retention.commerceTrigger',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/** n8n applies a credential's `authenticate` block; here the two credential types of this node. */
function authenticate(type: string, credentials: ICredentialDataDecryptedObject, options: IHttpRequestOptions): IHttpRequestOptions {
	if (type === 'shopifyCommerceApi') {
		return { ...options, headers: { ...(options.headers ?? {}), 'X-Shopify-Access-Token': String(credentials.accessToken) } };
	}
	if (type === 'wooCommerceStoreApi') {
		return { ...options, auth: { username: String(credentials.consumerKey), password: String(credentials.consumerSecret) } };
	}
	throw new Error(`fake context: unknown credential type ${type}`);
}

function base(options: FakeOptions, requests: IHttpRequestOptions[]) {
	const staticData = options.staticData ?? {};
	return {
		staticData,
		context: {
			getNode: () => node,
			getNodeParameter: (name: string, fallback?: unknown) => {
				const value = options.parameters[name];
				if (value !== undefined) return value;
				if (fallback !== undefined) return fallback;
				throw new Error(`Could not get parameter "${name}"`);
			},
			getWorkflowStaticData: () => staticData,
			getCredentials: async (type: string) => {
				const credentials = options.credentials?.[type];
				if (!credentials) throw new Error(`Node does not have credentials of type "${type}"`);
				return credentials;
			},
			getNodeWebhookUrl: () => options.webhookUrl ?? 'https://n8n.example.com/webhook/0f6b7c1e/webhook',
			getMode: () => 'trigger',
			getActivationMode: () => 'activate',
			logger: { debug() {}, info() {}, warn() {}, error() {} },
			helpers: {
				httpRequest: async (request: IHttpRequestOptions) => {
					requests.push(request);
					return await httpRequest(request);
				},
				httpRequestWithAuthentication: async (type: string, request: IHttpRequestOptions) => {
					const credentials = options.credentials?.[type];
					if (!credentials) throw new Error(`Node does not have credentials of type "${type}"`);
					const authenticated = authenticate(type, credentials, request);
					requests.push(authenticated);
					return await httpRequest(authenticated);
				},
			},
		},
	};
}

export function fakeHookContext(options: FakeOptions) {
	const requests: IHttpRequestOptions[] = [];
	const { context, staticData } = base(options, requests);
	return { context, staticData, requests };
}

export interface RecordedResponse {
	status: number | null;
	body: unknown;
}

export interface FakeRequest {
	headers: Record<string, string>;
	body: string | Buffer;
	query?: Record<string, string>;
}

/** An IWebhookFunctions for one request: Express-like request (lower-cased headers, rawBody) and response. */
export function fakeWebhookContext(options: FakeOptions, request: FakeRequest) {
	const requests: IHttpRequestOptions[] = [];
	const { context, staticData } = base(options, requests);
	const response: RecordedResponse = { status: null, body: undefined };
	const headers: Record<string, string> = {};
	for (const [key, value] of Object.entries(request.headers)) headers[key.toLowerCase()] = value;
	const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.from(request.body, 'utf8');
	const res = {
		status(code: number) {
			response.status = code;
			return res;
		},
		json(body: unknown) {
			response.body = body;
			return res;
		},
		send(body: unknown) {
			response.body = body;
			return res;
		},
		end() {
			return res;
		},
	};
	const webhookContext = {
		...context,
		getRequestObject: () => ({ headers, query: request.query ?? {}, rawBody, body: {} }),
		getResponseObject: () => res,
		getHeaderData: () => headers,
		getQueryData: () => request.query ?? {},
		getBodyData: () => ({}),
		getWebhookName: () => 'default',
	};
	return { context: webhookContext, staticData, response, requests };
}
