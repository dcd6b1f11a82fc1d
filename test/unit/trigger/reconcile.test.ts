/**
 * reconcileState: what the execution re-records when n8n 2.x dropped the webhook call's static data.
 *
 * Each case starts from the state BEFORE a webhook call and plays the call twice:
 * - "kept" (n8n 1.x): handleDelivery's new state is what the next request sees;
 * - "dropped" (n8n 2.x): that state is thrown away, and the next request sees the state before the call
 *   reconciled from the emitted items alone (as JSON, the way n8n hands them to the execution).
 * The next request must then be handled exactly alike under both.
 */
import { DEFAULT_ABANDONMENT } from '../../../core/trigger/abandonment';
import { type DeliveryConfig, type DeliveryResult, handleDelivery } from '../../../core/trigger/delivery';
import { type ReconcileSettings, reconcileState } from '../../../core/trigger/reconcile';
import { type TriggerState, emptyState, readState } from '../../../core/trigger/state';
import { customCart, customOrder, shopifyCheckout, shopifyCustomer, shopifyOrder, wooOrder, zohoSalesOrder } from '../../contract/stores/payloads';
import { type SignedDelivery, signCustomDelivery, signShopifyDelivery, signWooDelivery, zohoDelivery } from '../../contract/stores/signer';

import { CUSTOM_SECRET, MINUTE, SHOPIFY_SECRET, T0, WOO_SECRET, ZOHO_TOKEN, custom, shopify, woo, zoho } from './deliveryConfig';

const withAbandonment = (thresholdMs: number) => ({ abandonment: { ...DEFAULT_ABANDONMENT, thresholdMs } });

/** What the node's execute() passes: the same parameters, read the same way (config.ts readShared). */
function reconcileSettings(settings: DeliveryConfig): ReconcileSettings {
	const { source, dedupe, abandonment, mapper, normalize } = settings;
	return { source, dedupe, abandonment, mapper, normalize };
}

function send(settings: DeliveryConfig, delivery: SignedDelivery, state: TriggerState, now: number): DeliveryResult {
	const headers: Record<string, string> = {};
	for (const [key, value] of Object.entries(delivery.headers)) headers[key.toLowerCase()] = value;
	return handleDelivery({ headers, query: delivery.query ?? {}, rawBody: Buffer.from(delivery.body, 'utf8') }, settings, state, now);
}

function check(settings: DeliveryConfig, state: TriggerState, now: number): DeliveryResult {
	return handleDelivery({ headers: {}, query: { check: 'abandoned-carts' }, rawBody: Buffer.alloc(0) }, settings, state, now);
}

/** Static data and execution items are JSON in n8n. */
const asJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

interface Played {
	result: DeliveryResult;
	/** n8n 1.x: the webhook call's state was saved. */
	kept: TriggerState;
	/** n8n 2.x: the webhook call's state was dropped; the execution reconciled the state before it. */
	dropped: TriggerState;
}

/**
 * One webhook call that starts an execution, under both n8n lines. The execution runs a few seconds
 * later. Also asserts the n8n 1.x case: reconciling over the kept state changes nothing.
 */
function play(settings: DeliveryConfig, before: TriggerState, request: (state: TriggerState) => DeliveryResult): Played {
	const result = request(before);
	expect(result.items.length).toBeGreaterThan(0); // an execution starts
	const items = asJson(result.items);
	const executionAt = Date.parse(result.items[0].receivedAt) + 3_000;
	const reconciled = reconcileState(readState(asJson(before)), items, reconcileSettings(settings), executionAt);
	expect(reconciled.changed).toBe(true);

	const kept = readState(asJson(result.state));
	const overKept = reconcileState(kept, items, reconcileSettings(settings), executionAt);
	expect(overKept.changed).toBe(false);
	expect(overKept.state).toBe(kept);
	return { result, kept, dropped: readState(asJson(reconciled.state)) };
}

/** The next request handled under both lines: the same answer and the same items. */
function sameNext(played: Played, next: (state: TriggerState) => DeliveryResult): DeliveryResult {
	const afterKept = next(played.kept);
	const afterDropped = next(played.dropped);
	expect({ status: afterDropped.status, body: afterDropped.body, items: afterDropped.items }).toEqual({
		status: afterKept.status,
		body: afterKept.body,
		items: afterKept.items,
	});
	return afterKept;
}

const types = (result: DeliveryResult) => result.items.map((item) => item.type);

describe('reconcileState: event ids (a redelivery after reconcile is a duplicate)', () => {
	it('Shopify: a retry of the same delivery, and the same event through a second subscription', () => {
		const settings = shopify(['order.created']);
		const delivery = signShopifyDelivery({ topic: 'orders/create', payload: shopifyOrder(), secret: SHOPIFY_SECRET, webhookId: 'wh-1', eventId: 'ev-1' });
		const played = play(settings, emptyState(), (state) => send(settings, delivery, state, T0));
		expect(sameNext(played, (state) => send(settings, delivery, state, T0 + 30 * MINUTE)).outcome).toBe('duplicate');

		const secondSubscription = signShopifyDelivery({ topic: 'orders/create', payload: shopifyOrder(), secret: SHOPIFY_SECRET, webhookId: 'wh-2', eventId: 'ev-1' });
		expect(sameNext(played, (state) => send(settings, secondSubscription, state, T0 + MINUTE)).outcome).toBe('duplicate');

		// A new event is still emitted, and an event id seen on another topic is no duplicate.
		const other = signShopifyDelivery({ topic: 'orders/create', payload: shopifyOrder({ id: 1 }), secret: SHOPIFY_SECRET, eventId: 'ev-2' });
		expect(types(sameNext(played, (state) => send(settings, other, state, T0 + MINUTE)))).toEqual(['order.created']);
		const updated = shopify(['order.created', 'order.updated']);
		const sameIdOtherTopic = signShopifyDelivery({ topic: 'orders/updated', payload: shopifyOrder(), secret: SHOPIFY_SECRET, eventId: 'ev-1' });
		expect(types(sameNext(played, (state) => send(updated, sameIdOtherTopic, state, T0 + MINUTE)))).toEqual(['order.updated']);
	});

	it('Shopify: a payload that cannot be mapped (mapping-error item) is recognised on redelivery too', () => {
		const settings = shopify(['order.created']);
		const delivery = signShopifyDelivery({ topic: 'orders/create', payload: { email: 'no-id@example.com' }, secret: SHOPIFY_SECRET });
		const played = play(settings, emptyState(), (state) => send(settings, delivery, state, T0));
		expect(played.result.items[0]).toHaveProperty('mappingError');
		expect(sameNext(played, (state) => send(settings, delivery, state, T0 + MINUTE)).outcome).toBe('duplicate');
	});

	it('the memory before the call is kept: earlier deliveries stay duplicates', () => {
		const settings = shopify(['order.created']);
		const first = signShopifyDelivery({ topic: 'orders/create', payload: shopifyOrder({ id: 1 }), secret: SHOPIFY_SECRET });
		const before = send(settings, first, emptyState(), T0).state;
		const second = signShopifyDelivery({ topic: 'orders/create', payload: shopifyOrder({ id: 2 }), secret: SHOPIFY_SECRET });
		const played = play(settings, before, (state) => send(settings, second, state, T0 + MINUTE));
		expect(sameNext(played, (state) => send(settings, first, state, T0 + 2 * MINUTE)).outcome).toBe('duplicate');
		expect(sameNext(played, (state) => send(settings, second, state, T0 + 2 * MINUTE)).outcome).toBe('duplicate');
	});

	it('WooCommerce: a resend of the same body under a new delivery id', () => {
		const settings = woo(['order.created']);
		const delivery = (deliveryId: string) => signWooDelivery({ topic: 'order.created', payload: wooOrder(), secret: WOO_SECRET, deliveryId });
		const played = play(settings, emptyState(), (state) => send(settings, delivery('d-1'), state, T0));
		expect(sameNext(played, (state) => send(settings, delivery('d-2'), state, T0 + MINUTE)).outcome).toBe('duplicate');
	});

	it('Zoho Commerce and Custom: by content hash, and by the sender\'s event id', () => {
		const zohoSettings = zoho(['order.created']);
		const zohoOrder = zohoDelivery({ event: 'salesorder.created', payload: zohoSalesOrder(), token: ZOHO_TOKEN });
		const zohoPlayed = play(zohoSettings, emptyState(), (state) => send(zohoSettings, zohoOrder, state, T0));
		expect(sameNext(zohoPlayed, (state) => send(zohoSettings, zohoOrder, state, T0 + MINUTE)).outcome).toBe('duplicate');

		const customSettings = custom(['order.created']);
		const customDelivery = signCustomDelivery({ topic: 'order.created', payload: customOrder(), secret: CUSTOM_SECRET, prefix: 'sha256=', eventId: 'evt-9' });
		const customPlayed = play(customSettings, emptyState(), (state) => send(customSettings, customDelivery, state, T0));
		const sameEventNewBody = signCustomDelivery({ topic: 'order.created', payload: customOrder({ note: 'resent' }), secret: CUSTOM_SECRET, prefix: 'sha256=', eventId: 'evt-9' });
		expect(sameNext(customPlayed, (state) => send(customSettings, sameEventNewBody, state, T0 + MINUTE)).outcome).toBe('duplicate');
	});

	it('a redelivery older than the duplicate memory is emitted again on both lines (the id is remembered from when it was received)', () => {
		const settings = shopify(['order.created'], { dedupe: { maxEntries: 10_000, maxAgeMs: 3_600_000 } });
		const delivery = signShopifyDelivery({ topic: 'orders/create', payload: shopifyOrder(), secret: SHOPIFY_SECRET });
		const played = play(settings, emptyState(), (state) => send(settings, delivery, state, T0));
		expect(types(sameNext(played, (state) => send(settings, delivery, state, T0 + 2 * 3_600_000)))).toEqual(['order.created']);
	});
});

describe('reconcileState: WooCommerce milestones (paid, cancelled, refunded once per order)', () => {
	const settings = woo(['order.paid', 'order.refunded']);
	const update = (overrides: Record<string, unknown>, deliveryId: string) =>
		signWooDelivery({ topic: 'order.updated', payload: wooOrder(overrides), secret: WOO_SECRET, deliveryId });

	it('a paid order is not reported paid again by its next update; its refund still is', () => {
		const played = play(settings, emptyState(), (state) => send(settings, update({ status: 'processing' }, 'd-1'), state, T0));
		expect(types(played.result)).toEqual(['order.paid']);
		const completed = sameNext(played, (state) => send(settings, update({ status: 'completed', date_modified: '2024-03-23T10:00:00' }, 'd-2'), state, T0 + MINUTE));
		expect(completed.items).toEqual([]);
		const refunded = sameNext(played, (state) => send(settings, update({ status: 'refunded', date_modified: '2024-03-24T10:00:00' }, 'd-3'), state, T0 + MINUTE));
		expect(types(refunded)).toEqual(['order.refunded']);
		// The resend of the paid update itself is a duplicate.
		expect(sameNext(played, (state) => send(settings, update({ status: 'processing' }, 'd-9'), state, T0 + MINUTE)).outcome).toBe('duplicate');
	});

	it('without the raw payload ("Include Raw Payload" off) the milestone is keyed by the order id all the same', () => {
		const lean = woo(['order.paid'], { keepRaw: false });
		const played = play(lean, emptyState(), (state) => send(lean, update({ status: 'processing' }, 'd-1'), state, T0));
		expect(sameNext(played, (state) => send(lean, update({ status: 'completed', date_modified: '2024-03-23T10:00:00' }, 'd-2'), state, T0 + MINUTE)).items).toEqual([]);
	});

	it('a milestone of an order that did not map (mapping-error item) is keyed by the payload\'s id', () => {
		const unreadable = { date_paid: 'not a date', date_paid_gmt: 'not a date' };
		const played = play(settings, emptyState(), (state) => send(settings, update({ status: 'processing', ...unreadable }, 'd-1'), state, T0));
		expect(played.result.items[0]).toMatchObject({ type: 'order.paid', mappingError: expect.anything() });
		expect(sameNext(played, (state) => send(settings, update({ status: 'completed', ...unreadable, date_modified: '2024-03-23T10:00:00' }, 'd-2'), state, T0 + MINUTE)).items).toEqual([]);
	});
});

describe('reconcileState: the cart book (opened, closed, abandoned)', () => {
	it('Shopify, five emitted cart updates with every webhook state dropped, then silence: one cart.abandoned, the last snapshot', () => {
		const settings = shopify(['cart.updated', 'cart.abandoned'], withAbandonment(60 * MINUTE));
		let kept = emptyState();
		let dropped = emptyState();
		for (let n = 0; n < 5; n++) {
			const delivery = signShopifyDelivery({ topic: 'checkouts/update', payload: shopifyCheckout({ total_price: `${100 + n}.00`, updated_at: `2024-03-01T09:5${n}:00-05:00` }), secret: SHOPIFY_SECRET });
			const onKept = play(settings, kept, (state) => send(settings, delivery, state, T0 + n * MINUTE));
			const onDropped = play(settings, dropped, (state) => send(settings, delivery, state, T0 + n * MINUTE));
			expect(types(onDropped.result)).toEqual(['cart.updated']);
			kept = onKept.kept;
			dropped = onDropped.dropped;
		}
		const lines: Played = { result: check(settings, kept, T0), kept, dropped };
		expect(sameNext(lines, (state) => check(settings, state, T0 + 4 * MINUTE + 59 * MINUTE)).items).toEqual([]);
		const due = sameNext(lines, (state) => check(settings, state, T0 + 4 * MINUTE + 60 * MINUTE));
		expect(due.items).toHaveLength(1);
		expect(due.items[0]).toMatchObject({ type: 'cart.abandoned', cart: { total: 104, email: 'bob.norman@example.com' } });
	});

	it('Shopify: the order that completes an open checkout closes it (nothing abandoned, a later update does not reopen it), raw kept or not', () => {
		for (const keepRaw of [true, false]) {
			const settings = shopify(['order.created', 'cart.abandoned'], { ...withAbandonment(60 * MINUTE), keepRaw });
			// The checkout was recorded by a call that started no execution, so n8n saved its state on both lines.
			const opened = send(settings, signShopifyDelivery({ topic: 'checkouts/update', payload: shopifyCheckout(), secret: SHOPIFY_SECRET }), emptyState(), T0);
			expect(opened.outcome).toBe('recorded');
			const order = signShopifyDelivery({ topic: 'orders/create', payload: shopifyOrder(), secret: SHOPIFY_SECRET });
			const played = play(settings, opened.state, (state) => send(settings, order, state, T0 + 20 * MINUTE));
			expect(types(played.result)).toEqual(['order.created']);
			expect(sameNext(played, (state) => check(settings, state, T0 + 5 * 60 * MINUTE)).items).toEqual([]);
			const lateUpdate = signShopifyDelivery({ topic: 'checkouts/update', payload: shopifyCheckout({ total_price: '1.00' }), secret: SHOPIFY_SECRET });
			const after = (state: TriggerState) => check(settings, send(settings, lateUpdate, state, T0 + 30 * MINUTE).state, T0 + 5 * 60 * MINUTE);
			expect(sameNext(played, after).items).toEqual([]);
		}
	});

	it('Shopify: a cart reported abandoned by a delivery stays closed, and that delivery stays a duplicate', () => {
		const settings = shopify(['customer.created', 'cart.abandoned'], withAbandonment(60 * MINUTE));
		const opened = send(settings, signShopifyDelivery({ topic: 'checkouts/update', payload: shopifyCheckout(), secret: SHOPIFY_SECRET }), emptyState(), T0).state;
		const customer = signShopifyDelivery({ topic: 'customers/create', payload: shopifyCustomer(), secret: SHOPIFY_SECRET });
		const played = play(settings, opened, (state) => send(settings, customer, state, T0 + 61 * MINUTE));
		expect(types(played.result)).toEqual(['customer.created', 'cart.abandoned']);
		expect(sameNext(played, (state) => check(settings, state, T0 + 3 * 60 * MINUTE)).items).toEqual([]);
		expect(sameNext(played, (state) => send(settings, customer, state, T0 + 62 * MINUTE)).outcome).toBe('duplicate');
		const lateUpdate = signShopifyDelivery({ topic: 'checkouts/update', payload: shopifyCheckout({ total_price: '9.00' }), secret: SHOPIFY_SECRET });
		expect(sameNext(played, (state) => check(settings, send(settings, lateUpdate, state, T0 + 70 * MINUTE).state, T0 + 5 * 60 * MINUTE)).items).toEqual([]);
	});

	it('a cart reported by a check request is not reported again', () => {
		const settings = shopify(['cart.abandoned'], withAbandonment(60 * MINUTE));
		const opened = send(settings, signShopifyDelivery({ topic: 'checkouts/update', payload: shopifyCheckout(), secret: SHOPIFY_SECRET }), emptyState(), T0).state;
		const played = play(settings, opened, (state) => check(settings, state, T0 + 61 * MINUTE));
		expect(types(played.result)).toEqual(['cart.abandoned']);
		expect(sameNext(played, (state) => check(settings, state, T0 + 62 * MINUTE)).items).toEqual([]);
	});

	it('WooCommerce: an emitted pending order opens the checkout; the emitted payment closes it', () => {
		const settings = woo(['order.created', 'order.paid', 'cart.abandoned'], withAbandonment(30 * MINUTE));
		const pending = signWooDelivery({ topic: 'order.created', payload: wooOrder({ status: 'pending', date_paid: null, date_paid_gmt: null }), secret: WOO_SECRET });
		const opened = play(settings, emptyState(), (state) => send(settings, pending, state, T0));
		expect(types(opened.result)).toEqual(['order.created']);
		const due = sameNext(opened, (state) => check(settings, state, T0 + 31 * MINUTE));
		expect(due.items).toMatchObject([{ type: 'cart.abandoned', cart: { recoveryUrl: expect.stringContaining('pay_for_order=true') } }]);

		const paid = signWooDelivery({ topic: 'order.updated', payload: wooOrder({ status: 'processing' }), secret: WOO_SECRET });
		const closed = play(settings, opened.dropped, (state) => send(settings, paid, state, T0 + 10 * MINUTE));
		expect(types(closed.result)).toEqual(['order.paid']);
		expect(sameNext(closed, (state) => check(settings, state, T0 + 60 * MINUTE)).items).toEqual([]);
	});

	it('Custom: an emitted cart opens it, an emitted order with cartId closes it', () => {
		const settings = custom(['cart.updated', 'order.created', 'cart.abandoned'], withAbandonment(MINUTE));
		const cart = signCustomDelivery({ topic: 'cart.updated', payload: customCart(), secret: CUSTOM_SECRET, prefix: 'sha256=' });
		const opened = play(settings, emptyState(), (state) => send(settings, cart, state, T0));
		expect(types(sameNext(opened, (state) => check(settings, state, T0 + MINUTE)))).toEqual(['cart.abandoned']);

		const order = signCustomDelivery({ topic: 'order.created', payload: customOrder(), secret: CUSTOM_SECRET, prefix: 'sha256=' });
		const closed = play(settings, opened.dropped, (state) => send(settings, order, state, T0 + 30_000));
		expect(sameNext(closed, (state) => check(settings, state, T0 + 10 * MINUTE)).items).toEqual([]);
	});
});

describe('reconcileState: inputs it does not own', () => {
	it('ignores items of another source, items without a type, and non-objects; reports no change', () => {
		const settings = reconcileSettings(shopify(['order.created']));
		const state = emptyState();
		const items = [null, 'text', 42, [], { type: 'order.created', source: 'woocommerce', topic: 'order.created', eventId: 'x' }, { hello: 'world' }];
		const result = reconcileState(state, items, settings, T0);
		expect(result).toEqual({ state, changed: false });
		expect(result.state).toBe(state);
	});
});
