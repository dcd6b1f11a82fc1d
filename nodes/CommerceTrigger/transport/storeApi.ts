import type { IDataObject, IHookFunctions, IHttpRequestMethods, IHttpRequestOptions, JsonObject } from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import {
	DEFAULT_RETRY_POLICY,
	isRetryableNetworkError,
	isRetryableStatus,
	retryAfterMs,
	withRetry,
} from '../../../core/http/retry';
import {
	type StoreSubscription,
	readShopifyWebhooks,
	readWooWebhooks,
	shopifyAdminUrl,
	wooApiUrl,
} from '../../../core/trigger/subscriptions';

/** The only place the Commerce Trigger talks to store APIs (webhook subscriptions, at activation only). */

interface FullResponse {
	statusCode: number;
	headers: IDataObject;
	body: unknown;
}

const ACTIVATION_RETRY = { ...DEFAULT_RETRY_POLICY, maxRetries: 3, maxDelayMs: 10_000 };

async function send(
	context: IHookFunctions,
	credentialType: 'shopifyCommerceApi' | 'wooCommerceStoreApi',
	method: IHttpRequestMethods,
	url: string,
	options: { body?: IDataObject; qs?: IDataObject; allow404?: boolean } = {},
): Promise<FullResponse> {
	const request: IHttpRequestOptions = {
		method,
		url,
		qs: options.qs,
		body: options.body,
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	};
	const response = await withRetry(
		async () => (await context.helpers.httpRequestWithAuthentication.call(context, credentialType, request)) as FullResponse,
		{
			policy: ACTIVATION_RETRY,
			sleep,
			classifyError: (error) => ({ retry: isRetryableNetworkError(error) }),
			classifyResult: (result) =>
				isRetryableStatus(result.statusCode)
					? { retry: true, delayMs: retryAfterMs((result.headers ?? {})['retry-after'] as string | undefined) }
					: { retry: false },
		},
	).catch((error: unknown) => {
		throw new NodeApiError(context.getNode(), error as JsonObject, {
			message: `Could not reach the store to manage webhooks (${method} ${url})`,
		});
	});
	if (response.statusCode >= 400 && !(options.allow404 && response.statusCode === 404)) {
		throw new NodeApiError(context.getNode(), (response.body ?? {}) as JsonObject, {
			message: describeFailure(credentialType, response.statusCode),
			description: `${method} ${url} answered ${response.statusCode}: ${JSON.stringify(response.body ?? '').slice(0, 500)}`,
			httpCode: String(response.statusCode),
		});
	}
	return response;
}

function describeFailure(credentialType: string, status: number): string {
	const store = credentialType === 'shopifyCommerceApi' ? 'Shopify' : 'WooCommerce';
	if (status === 401) return `${store} refused the credentials (401): check the access token / API keys`;
	if (status === 403) return `${store} denied access (403): the app or API key lacks permission to manage webhooks`;
	if (status === 404) return `${store} answered 404: check the store URL${store === 'Shopify' ? ' and API version' : ' (and that the WooCommerce REST API is enabled)'}`;
	if (status === 422 || status === 400) return `${store} rejected the webhook (${status}): the topic or delivery URL is not accepted`;
	return `${store} answered ${status} while managing webhooks`;
}

export interface StoreWebhookApi {
	list(address: string): Promise<StoreSubscription[]>;
	create(topic: string, address: string, secret?: string): Promise<string>;
	remove(id: string): Promise<void>;
}

export async function shopifyWebhookApi(context: IHookFunctions): Promise<StoreWebhookApi> {
	const credentials = await context.getCredentials('shopifyCommerceApi');
	const shop = String(credentials.shopUrl ?? '');
	const version = String(credentials.apiVersion ?? '2025-07');
	const url = (path: string) => shopifyAdminUrl(shop, version, path);
	return {
		async list(address) {
			const response = await send(context, 'shopifyCommerceApi', 'GET', url('webhooks.json'), { qs: { address, limit: 250 } });
			return readShopifyWebhooks(response.body);
		},
		async create(topic, address) {
			const response = await send(context, 'shopifyCommerceApi', 'POST', url('webhooks.json'), {
				body: { webhook: { topic, address, format: 'json' } },
			});
			return String((response.body as { webhook?: { id?: unknown } })?.webhook?.id ?? '');
		},
		async remove(id) {
			await send(context, 'shopifyCommerceApi', 'DELETE', url(`webhooks/${encodeURIComponent(id)}.json`), { allow404: true });
		},
	};
}

export async function wooWebhookApi(context: IHookFunctions): Promise<StoreWebhookApi> {
	const credentials = await context.getCredentials('wooCommerceStoreApi');
	const store = String(credentials.url ?? '');
	const url = (path: string) => wooApiUrl(store, path);
	return {
		async list() {
			const all: StoreSubscription[] = [];
			for (let page = 1; page <= 20; page++) {
				const response = await send(context, 'wooCommerceStoreApi', 'GET', url('webhooks'), { qs: { per_page: 100, page, status: 'all' } });
				const hooks = readWooWebhooks(response.body);
				all.push(...hooks);
				if (hooks.length < 100) break;
			}
			return all;
		},
		async create(topic, address, secret) {
			const response = await send(context, 'wooCommerceStoreApi', 'POST', url('webhooks'), {
				body: { name: `n8n Commerce Trigger: ${topic}`, topic, delivery_url: address, secret, status: 'active' },
			});
			return String((response.body as { id?: unknown })?.id ?? '');
		},
		async remove(id) {
			await send(context, 'wooCommerceStoreApi', 'DELETE', url(`webhooks/${encodeURIComponent(id)}`), { qs: { force: true }, allow404: true });
		},
	};
}
