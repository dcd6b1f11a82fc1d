import { planSubscriptions, sameAddress, shopifyAdminUrl, shopifyBaseUrl, wooApiUrl } from '../../../core/trigger/subscriptions';
import { topicsForEvents, eventsAvailableFor } from '../../../core/trigger/events';

const URL_A = 'https://n8n.example.com/webhook/abc/webhook';

describe('store URLs', () => {
	it.each([
		['my-store', 'https://my-store.myshopify.com'],
		['my-store.myshopify.com', 'https://my-store.myshopify.com'],
		['  MY-store.myshopify.com/ ', 'https://MY-store.myshopify.com'],
		['https://my-store.myshopify.com/admin', 'https://my-store.myshopify.com'],
		['http://127.0.0.1:8788/', 'http://127.0.0.1:8788'],
	])('Shopify shop %p → %p', (input, expected) => {
		expect(shopifyBaseUrl(input)).toBe(expected);
	});

	it('builds Admin API and WooCommerce REST URLs', () => {
		expect(shopifyAdminUrl('my-store', '2025-07', '/webhooks.json')).toBe('https://my-store.myshopify.com/admin/api/2025-07/webhooks.json');
		expect(wooApiUrl('https://shop.example.com/', 'webhooks/5')).toBe('https://shop.example.com/wp-json/wc/v3/webhooks/5');
	});

	it('compares delivery URLs ignoring a trailing slash and host case', () => {
		expect(sameAddress(URL_A, 'https://N8N.example.com/webhook/abc/webhook/')).toBe(true);
		expect(sameAddress(URL_A, 'https://n8n.example.com/webhook-test/abc/webhook')).toBe(false);
	});
});

describe('planSubscriptions', () => {
	it('keeps what matches, creates what is missing, removes stale topics and duplicates', () => {
		const plan = planSubscriptions(
			[
				{ id: '1', topic: 'orders/create', address: URL_A },
				{ id: '2', topic: 'orders/create', address: URL_A },
				{ id: '3', topic: 'products/update', address: URL_A },
				{ id: '4', topic: 'checkouts/update', address: 'https://elsewhere.example.com/hook' },
			],
			['orders/create', 'checkouts/update'],
			URL_A,
		);
		expect(plan.keep.map((hook) => hook.id)).toEqual(['1']);
		expect(plan.create).toEqual(['checkouts/update']);
		expect(plan.remove.map((hook) => hook.id)).toEqual(['2', '3']);
	});

	it('WooCommerce: replaces hooks that are disabled or whose secret this node does not hold', () => {
		const plan = planSubscriptions(
			[
				{ id: '7', topic: 'order.created', address: URL_A, status: 'disabled' },
				{ id: '8', topic: 'order.updated', address: URL_A, status: 'active' },
			],
			['order.created', 'order.updated'],
			URL_A,
			{ requireActive: true, trusted: (hook) => hook.id === '7' },
		);
		expect(plan.keep).toEqual([]);
		expect(plan.create).toEqual(['order.created', 'order.updated']);
		expect(plan.remove.map((hook) => hook.id)).toEqual(['7', '8']);
	});
});

describe('topics per event selection', () => {
	it('Shopify: selected events plus what abandonment tracking needs', () => {
		expect(topicsForEvents('shopify', ['order.created'])).toEqual(['orders/create']);
		expect(topicsForEvents('shopify', ['cart.abandoned'])).toEqual(['checkouts/create', 'checkouts/update', 'orders/create']);
		expect(topicsForEvents('shopify', ['order.refunded', 'customer.updated'])).toEqual(['customers/update', 'refunds/create']);
	});

	it('WooCommerce: paid/cancelled/refunded come from order.updated/created', () => {
		expect(topicsForEvents('woocommerce', ['order.paid'])).toEqual(['order.created', 'order.updated']);
		expect(topicsForEvents('woocommerce', ['cart.created'])).toEqual([]);
	});

	it('lists what each store can send', () => {
		expect(eventsAvailableFor('zohoCommerce')).toEqual(['order.created', 'order.updated', 'order.cancelled', 'order.fulfilled']);
		expect(eventsAvailableFor('woocommerce')).toContain('cart.abandoned');
		expect(eventsAvailableFor('woocommerce')).not.toContain('cart.updated');
	});
});
