import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { checkExists, create, remove } from '../../../nodes/CommerceTrigger/lifecycle';
import { DEFAULT_STORE_CREDENTIALS, type StoreContractServer, startStoreServer } from '../../contract/stores/server';
import { fakeHookContext } from './fakeContext';

const ADDRESS = 'https://n8n.example.com/webhook/0f6b7c1e/webhook';

let server: StoreContractServer;
beforeAll(async () => {
	server = await startStoreServer();
});
afterAll(async () => server.close());
beforeEach(() => server.reset());

function shopifyContext(parameters: Record<string, unknown>, staticData = {}, accessToken = DEFAULT_STORE_CREDENTIALS.shopifyAccessToken) {
	return fakeHookContext({
		parameters: { source: 'shopify', registration: 'automatic', ...parameters },
		credentials: { shopifyCommerceApi: { shopUrl: server.url, accessToken, apiVersion: '2025-07', clientSecret: 'x' } },
		staticData,
		webhookUrl: ADDRESS,
	});
}

function wooContext(parameters: Record<string, unknown>, staticData = {}) {
	return fakeHookContext({
		parameters: { source: 'woocommerce', registration: 'automatic', ...parameters },
		credentials: {
			wooCommerceStoreApi: { url: server.url, consumerKey: DEFAULT_STORE_CREDENTIALS.wooConsumerKey, consumerSecret: DEFAULT_STORE_CREDENTIALS.wooConsumerSecret },
		},
		staticData,
		webhookUrl: ADDRESS,
	});
}

describe('Shopify automatic registration', () => {
	it('activation creates one subscription per needed topic; deactivation removes them', async () => {
		const staticData = {};
		const { context } = shopifyContext({ events: ['order.created', 'cart.abandoned'] }, staticData);
		expect(await checkExists.call(context as never)).toBe(false);
		expect(await create.call(context as never)).toBe(true);
		expect(server.shopifyHooks.map((hook) => hook.topic).sort()).toEqual(['checkouts/create', 'checkouts/update', 'orders/create']);
		expect(server.shopifyHooks.every((hook) => hook.address === ADDRESS && hook.api_version === '2025-07')).toBe(true);
		expect(await checkExists.call(context as never)).toBe(true);

		expect(await remove.call(context as never)).toBe(true);
		expect(server.shopifyHooks).toEqual([]);
		expect(staticData).toEqual({});
	});

	it('a changed event selection adds the missing topic and removes the stale one', async () => {
		const staticData = {};
		await create.call(shopifyContext({ events: ['order.created', 'customer.created'] }, staticData).context as never);
		const { context } = shopifyContext({ events: ['order.created', 'order.paid'] }, staticData);
		expect(await checkExists.call(context as never)).toBe(false);
		await create.call(context as never);
		expect(server.shopifyHooks.map((hook) => hook.topic).sort()).toEqual(['orders/create', 'orders/paid']);
	});

	it('retries a passing 503 and reports a refused token as an API error naming the cause', async () => {
		await fetch(`${server.url}/__control/fault`, { method: 'POST', body: JSON.stringify({ status: 503, times: 1 }) });
		await create.call(shopifyContext({ events: ['order.created'] }).context as never);
		expect(server.shopifyHooks).toHaveLength(1);

		server.reset();
		const bad = shopifyContext({ events: ['order.created'] }, {}, 'shpat_wrong');
		const error = await checkExists.call(bad.context as never).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as Error).message).toMatch(/refused the credentials \(401\)/);
	});

	it('refuses to activate with no event the store can send', async () => {
		const { context } = shopifyContext({ events: [] });
		await expect(checkExists.call(context as never)).rejects.toBeInstanceOf(NodeOperationError);
	});
});

describe('WooCommerce automatic registration', () => {
	it('creates webhooks with a secret the node generates and keeps', async () => {
		const staticData: Record<string, unknown> = {};
		const { context } = wooContext({ events: ['order.created', 'customer.created'] }, staticData);
		expect(await checkExists.call(context as never)).toBe(false);
		await create.call(context as never);
		expect(server.wooHooks.map((hook) => hook.topic).sort()).toEqual(['customer.created', 'order.created']);
		expect(typeof staticData.wooSecret).toBe('string');
		expect((staticData.wooSecret as string).length).toBe(64);
		expect(server.wooHooks.every((hook) => hook.secret === staticData.wooSecret && hook.status === 'active')).toBe(true);
		expect(await checkExists.call(context as never)).toBe(true);
		await remove.call(context as never);
		expect(server.wooHooks).toEqual([]);
	});

	it('replaces a webhook at its URL whose secret it does not know', async () => {
		await fetch(`${server.url}/wp-json/wc/v3/webhooks`, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				authorization: 'Basic ' + Buffer.from(`${DEFAULT_STORE_CREDENTIALS.wooConsumerKey}:${DEFAULT_STORE_CREDENTIALS.wooConsumerSecret}`).toString('base64'),
			},
			body: JSON.stringify({ topic: 'order.created', delivery_url: ADDRESS, secret: 'someone-elses' }),
		});
		const staticData: Record<string, unknown> = {};
		const { context } = wooContext({ events: ['order.created'] }, staticData);
		expect(await checkExists.call(context as never)).toBe(false);
		await create.call(context as never);
		expect(server.wooHooks).toHaveLength(1);
		expect(server.wooHooks[0].secret).toBe(staticData.wooSecret);
	});
});

describe('manual registration', () => {
	it('manages nothing at the store', async () => {
		const { context, requests } = shopifyContext({ events: ['order.created'], registration: 'manual' });
		expect(await checkExists.call(context as never)).toBe(true);
		expect(await create.call(context as never)).toBe(true);
		expect(await remove.call(context as never)).toBe(true);
		const zoho = fakeHookContext({ parameters: { source: 'zohoCommerce', events: ['order.created'] } });
		expect(await checkExists.call(zoho.context as never)).toBe(true);
		expect(requests).toEqual([]);
		expect(zoho.requests).toEqual([]);
	});
});
