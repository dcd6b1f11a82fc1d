import { DEFAULT_ABANDONMENT } from '../../../core/trigger/abandonment';
import { type DeliveryConfig, type DeliveryResult, type TriggerItem, handleDelivery } from '../../../core/trigger/delivery';
import { SHOPIFY_SCHEME } from '../../../core/trigger/signature';
import { type TriggerState, emptyState } from '../../../core/trigger/state';
import type { CommerceEvent } from '../../../core/model/types';
import {
	customCart,
	customOrder,
	shopifyCheckout,
	shopifyCustomer,
	shopifyOrder,
	shopifyRefund,
	wooCustomer,
	wooOrder,
	zohoSalesOrder,
} from '../../contract/stores/payloads';
import { type SignedDelivery, signCustomDelivery, signShopifyDelivery, signWooDelivery, wooPing, zohoDelivery } from '../../contract/stores/signer';

import { CUSTOM_SECRET, MINUTE, SHOPIFY_SECRET, T0, WOO_SECRET, ZOHO_TOKEN, custom, shopify, woo, zoho } from './deliveryConfig';


function send(settings: DeliveryConfig, delivery: SignedDelivery, state: TriggerState = emptyState(), now = T0, query: Record<string, string> = {}): DeliveryResult {
	const headers: Record<string, string> = {};
	for (const [key, value] of Object.entries(delivery.headers)) headers[key.toLowerCase()] = value;
	return handleDelivery({ headers, query: { ...(delivery.query ?? {}), ...query }, rawBody: Buffer.from(delivery.body, 'utf8') }, settings, state, now);
}

function check(settings: DeliveryConfig, state: TriggerState, now: number, query: Record<string, string> = {}): DeliveryResult {
	return handleDelivery({ headers: {}, query: { check: 'abandoned-carts', ...query }, rawBody: Buffer.alloc(0) }, settings, state, now);
}

function events(result: DeliveryResult): CommerceEvent[] {
	return result.items.filter((item): item is CommerceEvent => !('mappingError' in item));
}

function types(items: TriggerItem[]): string[] {
	return items.map((item) => item.type);
}

describe('Shopify deliveries', () => {
	const order = () => signShopifyDelivery({ topic: 'orders/create', payload: shopifyOrder(), secret: SHOPIFY_SECRET, webhookId: 'wh-1', eventId: 'ev-1' });

	it('valid: 200 and one canonical order.created event with the raw payload kept', () => {
		const result = send(shopify(['order.created']), order());
		expect(result.status).toBe(200);
		expect(result.outcome).toBe('emitted');
		const [event] = events(result);
		expect(result.items).toHaveLength(1);
		expect(event).toMatchObject({ type: 'order.created', source: 'shopify', topic: 'orders/create', eventId: 'ev-1', entity: 'order', receivedAt: '2024-05-01T10:00:00.000Z' });
		if (event.entity !== 'order') throw new Error('expected an order event');
		expect(event.order.id).toBe('820982911946154500');
		expect(event.order.total).toBe(199.65);
		expect(event.order.customer.email).toBe('bob.norman@example.com');
		expect(event.order.raw).toEqual(shopifyOrder());
		expect(result.stateChanged).toBe(true);
	});

	it('forged (other secret): 401, nothing emitted, memory untouched', () => {
		const forged = signShopifyDelivery({ topic: 'orders/create', payload: shopifyOrder(), secret: 'not-the-secret' });
		const result = send(shopify(['order.created']), forged);
		expect(result.status).toBe(401);
		expect(result.items).toEqual([]);
		expect(result.stateChanged).toBe(false);
	});

	it('tampered body with a genuine signature: 401', () => {
		const genuine = order();
		const tampered = { ...genuine, body: genuine.body.replace('199.65', '0.01') };
		expect(send(shopify(['order.created']), tampered).status).toBe(401);
	});

	it('unsigned: 401 naming the missing header', () => {
		const unsigned = order();
		delete unsigned.headers['X-Shopify-Hmac-Sha256'];
		const result = send(shopify(['order.created']), unsigned);
		expect(result.status).toBe(401);
		expect(result.body.message).toMatch(/x-shopify-hmac-sha256 header is missing/);
	});

	it('replayed (Shopify retry, same X-Shopify-Webhook-Id): 200, not emitted again', () => {
		const delivery = order();
		const first = send(shopify(['order.created']), delivery);
		const again = send(shopify(['order.created']), delivery, first.state, T0 + 3 * 3_600_000);
		expect(again.status).toBe(200);
		expect(again.outcome).toBe('duplicate');
		expect(again.items).toEqual([]);
	});

	it('the same event through a second subscription (same X-Shopify-Event-Id, new webhook id): not emitted again', () => {
		const first = send(shopify(['order.created']), order());
		const second = signShopifyDelivery({ topic: 'orders/create', payload: shopifyOrder(), secret: SHOPIFY_SECRET, webhookId: 'wh-2', eventId: 'ev-1' });
		expect(send(shopify(['order.created']), second, first.state).outcome).toBe('duplicate');
	});

	it('a replay after the duplicate memory expired is emitted again (the documented limit)', () => {
		const first = send(shopify(['order.created']), order());
		const late = send(shopify(['order.created']), order(), first.state, T0 + 25 * 3_600_000);
		expect(late.outcome).toBe('emitted');
	});

	it('malformed JSON: 400, nothing emitted', () => {
		const broken = signShopifyDelivery({ topic: 'orders/create', payload: '{"id": 1, "email": ', secret: SHOPIFY_SECRET });
		const result = send(shopify(['order.created']), broken);
		expect(result.status).toBe(400);
		expect(result.body.message).toMatch(/not valid JSON/);
		expect(result.items).toEqual([]);
	});

	it('wrong content type: 415', () => {
		const delivery = order();
		delivery.headers['Content-Type'] = 'text/xml';
		expect(send(shopify(['order.created']), delivery).status).toBe(415);
	});

	it('a 5 MB body: 413 before anything else', () => {
		const huge = signShopifyDelivery({ topic: 'orders/create', payload: shopifyOrder({ note: 'x'.repeat(5 * 1024 * 1024) }), secret: SHOPIFY_SECRET });
		const result = send(shopify(['order.created']), huge);
		expect(result.status).toBe(413);
		expect(result.body.message).toMatch(/accepts at most 2048 KB/);
	});

	it('missing topic header: 400', () => {
		const delivery = order();
		delete delivery.headers['X-Shopify-Topic'];
		expect(send(shopify(['order.created']), delivery).status).toBe(400);
	});

	it('topic not selected: 200 and nothing emitted', () => {
		const delivery = signShopifyDelivery({ topic: 'customers/create', payload: shopifyCustomer(), secret: SHOPIFY_SECRET });
		const result = send(shopify(['order.created']), delivery);
		expect(result.status).toBe(200);
		expect(result.outcome).toBe('ignored');
		expect(result.items).toEqual([]);
		expect(result.stateChanged).toBe(false);
	});

	it('a topic this trigger does not map (products/update): 200 and nothing emitted', () => {
		const delivery = signShopifyDelivery({ topic: 'products/update', payload: { id: 1, title: 'Mug' }, secret: SHOPIFY_SECRET });
		expect(send(shopify(['order.created']), delivery).outcome).toBe('ignored');
	});

	it('verifies but cannot be mapped: one item with mappingError (message, field) and the raw payload', () => {
		const notAnOrder = { customer: { email: 'a@b.co' }, line_items: 'none' };
		const delivery = signShopifyDelivery({ topic: 'orders/create', payload: notAnOrder, secret: SHOPIFY_SECRET });
		const result = send(shopify(['order.created']), delivery);
		expect(result.status).toBe(200);
		expect(result.items).toHaveLength(1);
		const [item] = result.items;
		expect('mappingError' in item && item.mappingError.message.length > 0).toBe(true);
		expect(item).toMatchObject({ type: 'order.created', source: 'shopify', topic: 'orders/create', raw: notAnOrder });
		if ('mappingError' in item) expect(typeof item.mappingError.field).toBe('string');
	});

	it('refunds/create: an order.refunded event carrying the refund', () => {
		const delivery = signShopifyDelivery({ topic: 'refunds/create', payload: shopifyRefund(), secret: SHOPIFY_SECRET });
		const [event] = events(send(shopify(['order.refunded']), delivery));
		expect(event.type).toBe('order.refunded');
		if (event.entity !== 'refund') throw new Error('expected a refund event');
		expect(event.refund.orderId).toBe('820982911946154500');
		expect(event.refund.amount).toBe(199);
	});

	it('customers/update and checkouts/update map to customer.updated and cart.updated', () => {
		const customer = events(send(shopify(['customer.updated']), signShopifyDelivery({ topic: 'customers/update', payload: shopifyCustomer(), secret: SHOPIFY_SECRET })));
		expect(customer[0]).toMatchObject({ type: 'customer.updated', entity: 'customer' });
		const cart = events(send(shopify(['cart.updated']), signShopifyDelivery({ topic: 'checkouts/update', payload: shopifyCheckout(), secret: SHOPIFY_SECRET })));
		expect(cart[0]).toMatchObject({ type: 'cart.updated', entity: 'cart' });
		if (cart[0].entity !== 'cart') throw new Error('expected a cart event');
		expect(cart[0].cart.email).toBe('bob.norman@example.com');
	});
});

describe('WooCommerce deliveries', () => {
	const created = (payload = wooOrder(), deliveryId = 'd-1') => signWooDelivery({ topic: 'order.created', payload, secret: WOO_SECRET, webhookId: 12, deliveryId });

	it('the activation ping (webhook_id=N, unsigned form body): 200, nothing emitted', () => {
		const result = send(woo(['order.created']), wooPing(12));
		expect(result.status).toBe(200);
		expect(result.outcome).toBe('ping');
		expect(result.items).toEqual([]);
	});

	it('valid: order.created, plus order.paid once for a processing order when selected', () => {
		const settings = woo(['order.created', 'order.paid']);
		const first = send(settings, created());
		expect(first.status).toBe(200);
		expect(types(first.items)).toEqual(['order.created', 'order.paid']);
		// Distinct event ids, so a downstream system deduplicating by id keeps both.
		expect(new Set(first.items.map((item) => item.eventId)).size).toBe(2);
		// A later update of the same (still processing) order is not "paid" again.
		const update = signWooDelivery({ topic: 'order.updated', payload: wooOrder({ date_modified: '2024-03-23T10:00:00' }), secret: WOO_SECRET, deliveryId: 'd-2' });
		expect(types(send(settings, update, first.state).items)).toEqual([]);
	});

	it('status milestones: cancelled and refunded from order.updated', () => {
		const settings = woo(['order.cancelled', 'order.refunded']);
		const cancelled = signWooDelivery({ topic: 'order.updated', payload: wooOrder({ status: 'cancelled' }), secret: WOO_SECRET, deliveryId: 'd-3' });
		expect(types(send(settings, cancelled).items)).toEqual(['order.cancelled']);
		const refunded = signWooDelivery({ topic: 'order.updated', payload: wooOrder({ status: 'refunded' }), secret: WOO_SECRET, deliveryId: 'd-4' });
		expect(types(send(settings, refunded).items)).toEqual(['order.refunded']);
	});

	it('forged: 401', () => {
		const forged = signWooDelivery({ topic: 'order.created', payload: wooOrder(), secret: 'guess' });
		expect(send(woo(['order.created']), forged).status).toBe(401);
	});

	it('replayed with a new delivery id but the same body: dropped by the content hash', () => {
		const first = send(woo(['order.created']), created(wooOrder(), 'd-1'));
		const again = send(woo(['order.created']), created(wooOrder(), 'd-9'), first.state);
		expect(again.outcome).toBe('duplicate');
	});

	it('malformed: 400', () => {
		const broken = signWooDelivery({ topic: 'order.created', payload: '[1,2', secret: WOO_SECRET });
		expect(send(woo(['order.created']), broken).status).toBe(400);
	});

	it('customer.created maps to the canonical customer', () => {
		const delivery = signWooDelivery({ topic: 'customer.created', payload: wooCustomer(), secret: WOO_SECRET });
		const [event] = events(send(woo(['customer.created']), delivery));
		if (event.entity !== 'customer') throw new Error('expected a customer event');
		expect(event.customer.email).toBe('john.doe@example.com');
	});
});

describe('Zoho Commerce deliveries', () => {
	it('valid token and form body: order.created from salesorder.created', () => {
		const delivery = zohoDelivery({ event: 'salesorder.created', payload: zohoSalesOrder(), token: ZOHO_TOKEN });
		const result = send(zoho(['order.created']), delivery);
		expect(result.status).toBe(200);
		const [event] = events(result);
		expect(event).toMatchObject({ type: 'order.created', source: 'zohoCommerce', topic: 'salesorder.created' });
		if (event.entity !== 'order') throw new Error('expected an order event');
		expect(event.order.total).toBe(1230);
	});

	it('wrong or missing token: 401', () => {
		expect(send(zoho(['order.created']), zohoDelivery({ event: 'salesorder.created', payload: zohoSalesOrder(), token: 'wrong' })).status).toBe(401);
		const noToken = zohoDelivery({ event: 'salesorder.created', payload: zohoSalesOrder(), token: ZOHO_TOKEN });
		delete noToken.query;
		expect(send(zoho(['order.created']), noToken).status).toBe(401);
	});

	it('replayed: dropped by the content hash (Zoho sends no delivery id)', () => {
		const delivery = zohoDelivery({ event: 'salesorder.cancelled', payload: zohoSalesOrder({ status: 'void' }), token: ZOHO_TOKEN });
		const first = send(zoho(['order.cancelled']), delivery);
		expect(types(first.items)).toEqual(['order.cancelled']);
		expect(send(zoho(['order.cancelled']), delivery, first.state).outcome).toBe('duplicate');
	});

	it('malformed body: 400', () => {
		const delivery = zohoDelivery({ event: 'salesorder.created', payload: '{"salesorder": ', token: ZOHO_TOKEN, format: 'json' });
		expect(send(zoho(['order.created']), delivery).status).toBe(400);
	});
});

describe('Custom deliveries', () => {
	it('valid sha256= hex signature: the canonical event named by the topic header', () => {
		const delivery = signCustomDelivery({ topic: 'order.created', payload: customOrder(), secret: CUSTOM_SECRET, prefix: 'sha256=', eventId: 'evt-77' });
		const [event] = events(send(custom(['order.created']), delivery));
		expect(event).toMatchObject({ type: 'order.created', source: 'custom', eventId: 'evt-77' });
	});

	it('forged: 401; replayed: duplicate; malformed: 400', () => {
		const settings = custom(['order.created']);
		expect(send(settings, signCustomDelivery({ topic: 'order.created', payload: customOrder(), secret: 'nope', prefix: 'sha256=' })).status).toBe(401);
		const delivery = signCustomDelivery({ topic: 'order.created', payload: customOrder(), secret: CUSTOM_SECRET, prefix: 'sha256=', eventId: 'evt-1' });
		const first = send(settings, delivery);
		expect(send(settings, delivery, first.state).outcome).toBe('duplicate');
		expect(send(settings, signCustomDelivery({ topic: 'order.created', payload: 'nope{', secret: CUSTOM_SECRET, prefix: 'sha256=' })).status).toBe(400);
	});

	it('base64 sha512 without prefix, topic from the body "type" field, entity under "data"', () => {
		const settings = custom(['cart.updated'], {
			auth: { kind: 'hmac', header: 'x-sig', secret: CUSTOM_SECRET, scheme: { algorithm: 'sha512', encoding: 'base64', prefix: '' } },
		});
		const delivery = signCustomDelivery({ topic: 'cart.updated', payload: { type: 'cart.updated', data: customCart() }, secret: CUSTOM_SECRET, header: 'X-Sig', algorithm: 'sha512', encoding: 'base64' });
		delete delivery.headers['X-Commerce-Topic'];
		const [event] = events(send(settings, delivery));
		expect(event).toMatchObject({ type: 'cart.updated', entity: 'cart' });
	});
});

describe('abandoned carts through deliveries', () => {
	const settings = shopify(['cart.abandoned'], { abandonment: { ...DEFAULT_ABANDONMENT, thresholdMs: 60 * MINUTE } });
	const checkoutUpdate = (overrides: Record<string, unknown>, n: number) =>
		signShopifyDelivery({ topic: 'checkouts/update', payload: shopifyCheckout(overrides), secret: SHOPIFY_SECRET, webhookId: `wh-c${n}` });

	it('five updates then silence: exactly one cart.abandoned with the last snapshot', () => {
		let state = emptyState();
		for (let n = 0; n < 5; n++) {
			const result = send(settings, checkoutUpdate({ total_price: `${100 + n}.00`, updated_at: `2024-03-01T09:5${n}:00-05:00` }, n), state, T0 + n * MINUTE);
			expect(result.status).toBe(200);
			expect(result.items).toEqual([]); // cart.updated is not selected, only recorded
			state = result.state;
		}
		expect(check(settings, state, T0 + 4 * MINUTE + 59 * MINUTE).items).toEqual([]);
		const due = check(settings, state, T0 + 4 * MINUTE + 60 * MINUTE);
		expect(due.items).toHaveLength(1);
		const [event] = events(due);
		expect(event).toMatchObject({ type: 'cart.abandoned', source: 'shopify', topic: 'cart.abandoned', eventId: 'cart.abandoned:shopify:' + (event as { cart: { id: string } }).cart.id });
		if (event.entity !== 'cart') throw new Error('expected a cart event');
		expect(event.cart.total).toBe(104);
		expect(event.cart.email).toBe('bob.norman@example.com');
		expect(event.cart.recoveryUrl).toContain('/recover');
		expect(check(settings, due.state, T0 + 24 * 60 * MINUTE).items).toEqual([]);
	});

	it('completed within the window (orders/create with the checkout token): nothing', () => {
		let state = send(settings, checkoutUpdate({}, 1), emptyState(), T0).state;
		const orderDelivery = signShopifyDelivery({ topic: 'orders/create', payload: shopifyOrder(), secret: SHOPIFY_SECRET });
		const afterOrder = send(settings, orderDelivery, state, T0 + 20 * MINUTE);
		expect(afterOrder.items).toEqual([]); // order.created is not selected
		state = afterOrder.state;
		expect(check(settings, state, T0 + 5 * 60 * MINUTE).items).toEqual([]);
	});

	it('no email on the checkout: nothing', () => {
		const state = send(settings, checkoutUpdate({ email: null, customer: null }, 1), emptyState(), T0).state;
		expect(check(settings, state, T0 + 5 * 60 * MINUTE).items).toEqual([]);
	});

	it('any later verified delivery also reports due carts (the clock is every request)', () => {
		const state = send(settings, checkoutUpdate({}, 1), emptyState(), T0).state;
		const unrelated = signShopifyDelivery({ topic: 'customers/create', payload: shopifyCustomer(), secret: SHOPIFY_SECRET });
		expect(types(send(settings, unrelated, state, T0 + 61 * MINUTE).items)).toEqual(['cart.abandoned']);
		// A forged request is no clock.
		const forged = signShopifyDelivery({ topic: 'customers/create', payload: shopifyCustomer(), secret: 'x' });
		expect(send(settings, forged, state, T0 + 61 * MINUTE).items).toEqual([]);
	});

	it('check requests: a configured check token is required; without abandonment they are refused', () => {
		const guarded = { ...settings, checkToken: 'tick-token' };
		const state = send(guarded, checkoutUpdate({}, 1), emptyState(), T0).state;
		expect(check(guarded, state, T0 + 2 * 60 * MINUTE).status).toBe(401);
		expect(check(guarded, state, T0 + 2 * 60 * MINUTE, { checkToken: 'tick-token' }).items).toHaveLength(1);
		expect(check(shopify(['order.created']), state, T0).status).toBe(400);
		const idle = check(settings, emptyState(), T0);
		expect(idle.status).toBe(200);
		expect(idle.body).toMatchObject({ status: 'checked', openCarts: 0, nextDueAt: null });
	});

	it('WooCommerce: a pending order with an email is an open checkout; payment completes it', () => {
		const wooSettings = woo(['cart.abandoned'], { abandonment: { ...DEFAULT_ABANDONMENT, thresholdMs: 30 * MINUTE } });
		const pending = signWooDelivery({ topic: 'order.created', payload: wooOrder({ status: 'pending', date_paid: null, date_paid_gmt: null }), secret: WOO_SECRET, deliveryId: 'p-1' });
		const opened = send(wooSettings, pending, emptyState(), T0).state;
		const due = check(wooSettings, opened, T0 + 31 * MINUTE);
		expect(types(due.items)).toEqual(['cart.abandoned']);
		const [event] = events(due);
		if (event.entity !== 'cart') throw new Error('expected a cart event');
		expect(event.cart.recoveryUrl).toContain('pay_for_order=true');

		const paid = signWooDelivery({ topic: 'order.updated', payload: wooOrder({ status: 'processing' }), secret: WOO_SECRET, deliveryId: 'p-2' });
		const completed = send(wooSettings, paid, opened, T0 + 10 * MINUTE).state;
		expect(check(wooSettings, completed, T0 + 60 * MINUTE).items).toEqual([]);
	});

	it('Custom: cart events and an order carrying cartId', () => {
		const customSettings = custom(['cart.abandoned'], { abandonment: { ...DEFAULT_ABANDONMENT, thresholdMs: MINUTE } });
		const cart = signCustomDelivery({ topic: 'cart.updated', payload: customCart(), secret: CUSTOM_SECRET, prefix: 'sha256=' });
		const opened = send(customSettings, cart, emptyState(), T0).state;
		expect(types(check(customSettings, opened, T0 + MINUTE).items)).toEqual(['cart.abandoned']);
		const order = signCustomDelivery({ topic: 'order.created', payload: customOrder(), secret: CUSTOM_SECRET, prefix: 'sha256=' });
		const closed = send(customSettings, order, opened, T0 + 30_000).state;
		expect(check(customSettings, closed, T0 + 10 * MINUTE).items).toEqual([]);
	});
});

describe('misconfiguration', () => {
	it('an empty secret answers 500 (the store retries later) and emits nothing', () => {
		const settings = shopify(['order.created'], { auth: { kind: 'hmac', header: 'x-shopify-hmac-sha256', secret: '', scheme: SHOPIFY_SCHEME } });
		const result = send(settings, signShopifyDelivery({ topic: 'orders/create', payload: shopifyOrder(), secret: '' }));
		expect(result.status).toBe(500);
		expect(result.items).toEqual([]);
	});
});
