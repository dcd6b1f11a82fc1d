import type { IDataObject, INodeExecutionData, IWebhookFunctions } from 'n8n-workflow';

import { CommerceTrigger } from '../../../nodes/CommerceTrigger/CommerceTrigger.node';
import { shopifyCheckout, shopifyOrder, wooOrder, zohoSalesOrder } from '../../contract/stores/payloads';
import { type SignedDelivery, signShopifyDelivery, signWooDelivery, wooPing, zohoDelivery } from '../../contract/stores/signer';
import { runNode } from '../../helpers/nodeHarness';
import { type FakeOptions, fakeWebhookContext } from './fakeContext';

const node = new CommerceTrigger();
const CLIENT_SECRET = 'app-client-secret';

async function call(options: FakeOptions, delivery: SignedDelivery, query: Record<string, string> = {}) {
	const fake = fakeWebhookContext(options, { headers: delivery.headers, body: delivery.body, query: { ...(delivery.query ?? {}), ...query } });
	const result = await node.webhook.call(fake.context as unknown as IWebhookFunctions);
	return { result, response: fake.response, staticData: fake.staticData };
}

const shopifyOptions = (staticData: IDataObject, parameters: Record<string, unknown> = {}): FakeOptions => ({
	parameters: { source: 'shopify', registration: 'automatic', events: ['order.created'], ...parameters },
	credentials: { shopifyCommerceApi: { shopUrl: 'my-store', accessToken: 'shpat_x', apiVersion: '2025-07', clientSecret: CLIENT_SECRET } },
	staticData,
});

describe('CommerceTrigger.webhook (n8n adapter)', () => {
	it('describes a webhook trigger with one POST webhook answering on receipt', () => {
		expect(node.description.name).toBe('commerceTrigger');
		expect(node.description.webhooks).toEqual([{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', responseData: 'noData', path: 'webhook' }]);
		expect(Object.keys(node.webhookMethods.default).sort()).toEqual(['checkExists', 'create', 'delete']);
	});

	it('Shopify automatic: verifies with the credential\'s client secret, answers 200 itself and still starts an execution with the event', async () => {
		const staticData: IDataObject = {};
		const delivery = signShopifyDelivery({ topic: 'orders/create', payload: shopifyOrder(), secret: CLIENT_SECRET });
		const { result, response } = await call(shopifyOptions(staticData), delivery);
		// Answered by the node before n8n creates the execution (so n8n saves the static data first).
		expect(response).toEqual({ status: 200, body: { status: 'emitted', message: 'Emitted 1 event(s)', events: 1 } });
		expect(result.noWebhookResponse).toBe(true);
		expect(result.workflowData?.[0]).toHaveLength(1);
		expect(result.workflowData?.[0][0].json).toMatchObject({ type: 'order.created', source: 'shopify', entity: 'order' });
		expect(staticData.state).toBeDefined();

		const again = await call(shopifyOptions(staticData), delivery);
		expect(again.result).toEqual({ noWebhookResponse: true });
		expect(again.response).toEqual({ status: 200, body: expect.objectContaining({ status: 'duplicate' }) });
	});

	it('forged: answers 401 itself and starts nothing; static data unchanged', async () => {
		const staticData: IDataObject = {};
		const forged = signShopifyDelivery({ topic: 'orders/create', payload: shopifyOrder(), secret: 'wrong' });
		const { result, response } = await call(shopifyOptions(staticData), forged);
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response.status).toBe(401);
		expect(staticData).toEqual({});
	});

	it('Shopify manual: verifies with the node\'s Webhook Secret', async () => {
		const options = shopifyOptions({}, { registration: 'manual', webhookSecret: 'admin-signing-key' });
		const good = await call(options, signShopifyDelivery({ topic: 'orders/create', payload: shopifyOrder(), secret: 'admin-signing-key' }));
		expect(good.result.workflowData?.[0]).toHaveLength(1);
		const bad = await call(options, signShopifyDelivery({ topic: 'orders/create', payload: shopifyOrder(), secret: CLIENT_SECRET }));
		expect(bad.response.status).toBe(401);
	});

	it('WooCommerce automatic: the ping gets 200; deliveries verify with the secret kept in static data', async () => {
		const staticData: IDataObject = { wooSecret: 'generated-at-activation' };
		const options: FakeOptions = {
			parameters: { source: 'woocommerce', registration: 'automatic', events: ['order.created'] },
			credentials: { wooCommerceStoreApi: { url: 'https://shop.example.com', consumerKey: 'ck', consumerSecret: 'cs' } },
			staticData,
		};
		const ping = await call(options, wooPing(5));
		expect(ping.response.status).toBe(200);
		expect(ping.result).toEqual({ noWebhookResponse: true });
		const delivery = await call(options, signWooDelivery({ topic: 'order.created', payload: wooOrder(), secret: 'generated-at-activation' }));
		expect(delivery.result.workflowData?.[0][0].json).toMatchObject({ type: 'order.created', source: 'woocommerce' });
	});

	it('Zoho Commerce: the URL token', async () => {
		const options: FakeOptions = { parameters: { source: 'zohoCommerce', events: ['order.created'], secretToken: 'zoho-url-value' }, staticData: {} };
		const good = await call(options, zohoDelivery({ event: 'salesorder.created', payload: zohoSalesOrder(), token: 'zoho-url-value' }));
		expect(good.result.workflowData?.[0]).toHaveLength(1);
		const bad = await call(options, zohoDelivery({ event: 'salesorder.created', payload: zohoSalesOrder(), token: 'guess' }));
		expect(bad.response.status).toBe(401);
	});

	describe('abandoned carts over time', () => {
		beforeEach(() => jest.useFakeTimers({ now: Date.parse('2024-05-01T10:00:00Z') }));
		afterEach(() => jest.useRealTimers());

		it('five updates recorded without executions, then one cart.abandoned on a check request after the threshold', async () => {
			const staticData: IDataObject = {};
			const options = shopifyOptions(staticData, { events: ['cart.abandoned'], abandonAfterMinutes: 1 });
			for (let n = 0; n < 5; n++) {
				const update = signShopifyDelivery({ topic: 'checkouts/update', payload: shopifyCheckout({ total_price: `${50 + n}.00` }), secret: CLIENT_SECRET });
				const { result, response } = await call(options, update);
				expect(result).toEqual({ noWebhookResponse: true });
				expect(response.status).toBe(200);
				jest.advanceTimersByTime(10_000);
			}
			const checkRequest: SignedDelivery = { headers: {}, body: '' };
			const early = await call(options, checkRequest, { check: 'abandoned-carts' });
			expect(early.response).toEqual({ status: 200, body: expect.objectContaining({ status: 'checked', openCarts: 1 }) });

			jest.advanceTimersByTime(60_000);
			const due = await call(options, checkRequest, { check: 'abandoned-carts' });
			expect(due.result.workflowData?.[0]).toHaveLength(1);
			expect(due.result.workflowData?.[0][0].json).toMatchObject({ type: 'cart.abandoned', entity: 'cart', cart: { total: 54 } });

			jest.advanceTimersByTime(3_600_000);
			const later = await call(options, checkRequest, { check: 'abandoned-carts' });
			expect(later.result).toEqual({ noWebhookResponse: true });
		});
	});
});

describe('CommerceTrigger.execute (runs first in each execution the trigger starts)', () => {
	const parameters = { source: 'shopify', registration: 'automatic', events: ['order.created'] };
	/** The items n8n hands to the execution: what webhook() returned, as JSON. */
	const executionItems = (workflowData: INodeExecutionData[][] | undefined): INodeExecutionData[] => JSON.parse(JSON.stringify(workflowData?.[0] ?? []));

	it('n8n 2.x (the webhook call\'s static data was dropped): passes the items on unchanged and re-records them, so the redelivery is a duplicate', async () => {
		const delivery = signShopifyDelivery({ topic: 'orders/create', payload: shopifyOrder(), secret: CLIENT_SECRET });
		const first = await call(shopifyOptions({}), delivery);
		const items = executionItems(first.result.workflowData);
		expect(items).toHaveLength(1);

		const executionStaticData: IDataObject = {}; // what the execution loaded: the state before the call
		const run = await runNode(node, { parameters, items, staticData: executionStaticData });
		expect(run.outputs).toEqual([items.map((item, index) => ({ json: item.json, pairedItem: { item: index } }))]);
		expect(executionStaticData.state).toBeDefined();

		const again = await call(shopifyOptions(executionStaticData), delivery);
		expect(again.result).toEqual({ noWebhookResponse: true });
		expect(again.response).toEqual({ status: 200, body: expect.objectContaining({ status: 'duplicate' }) });
	});

	it('n8n 1.x (the webhook call\'s static data was saved): leaves static data untouched, so n8n saves nothing', async () => {
		const staticData: IDataObject = {};
		const first = await call(shopifyOptions(staticData), signShopifyDelivery({ topic: 'orders/create', payload: shopifyOrder(), secret: CLIENT_SECRET }));
		const items = executionItems(first.result.workflowData);
		const state = staticData.state;
		const before = JSON.parse(JSON.stringify(staticData));

		const run = await runNode(node, { parameters, items, staticData });
		expect(run.outputs[0]).toHaveLength(1);
		expect(staticData.state).toBe(state); // not even reassigned: n8n's change flag stays down
		expect(staticData).toEqual(before);
	});
});
