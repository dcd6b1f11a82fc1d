import { normalizeCart, normalizeCustomer, normalizeOrder, normalizeRefund } from '../../../core/model/normalizers';
import * as shopify from '../../fixtures/stores/shopify';
import { normalizationError, without } from './helpers';

describe('Shopify orders (orders/create|updated|paid|cancelled)', () => {
	const order = normalizeOrder('shopify', shopify.order());

	it('maps identity, times (offsets → UTC), status and money', () => {
		expect(order).toMatchObject({
			id: '450789469',
			number: '#1001',
			source: 'shopify',
			createdAt: '2024-03-01T15:00:00.000Z',
			updatedAt: '2024-03-01T15:05:00.000Z',
			status: 'paid',
			financialStatus: 'paid',
			currency: 'GBP',
			total: 1234.5,
			subtotal: 1194.5,
			tax: 199.08,
			discount: 20,
			shipping: 40,
			refundedTotal: 0,
			cartId: '901414060dcf8dbef4a5c4b1a5b4d7c2',
			coupons: ['SPRING20'],
			referrer: 'https://mail.example.net/',
		});
	});

	it('customer: email trimmed and lower-cased, company from the billing address, VAT id from note attributes, consent', () => {
		expect(order.customer).toEqual({
			id: '207119551',
			email: 'ada.lovelace@example.com',
			emailInvalid: null,
			firstName: 'Ada',
			lastName: 'Lovelace',
			phone: '+44 20 7946 0018',
			company: 'Analytical Engines Ltd',
			taxId: 'GB123456789',
			consent: { emailMarketing: true, smsMarketing: null },
			createdAt: '2024-02-10T14:00:00.000Z',
			updatedAt: '2024-03-01T15:05:00.000Z',
			ordersCount: 3,
			totalSpent: 2469,
			tags: ['vip'],
		});
	});

	it('addresses incl. company; country as ISO code', () => {
		expect(order.billingAddress).toEqual({
			company: 'Analytical Engines Ltd',
			firstName: 'Ada',
			lastName: 'Lovelace',
			line1: '12 Marylebone Road',
			line2: 'Suite 4',
			city: 'London',
			region: 'ENG',
			postalCode: 'NW1 5LR',
			country: 'GB',
			phone: '+44 20 7946 0018',
		});
		expect(order.shippingAddress?.company).toBeNull();
		expect(order.shippingAddress?.line2).toBeNull();
	});

	it('line items: sku, price, quantity, ids, totals after line discounts', () => {
		expect(order.lineItems).toEqual([
			{ id: '466157049', sku: 'DE-001', name: 'Difference Engine - Brass', quantity: 1, price: 1199, total: 1179, category: 'Machines', productId: '632910392', variantId: '39072856' },
			{ id: '518995019', sku: 'PC-10', name: 'Punch cards (10)', quantity: 2, price: 7.75, total: 15.5, category: null, productId: '921728736', variantId: '457924702' },
		]);
	});

	it('UTM from landing_site, utm_term from note attributes; landing page kept', () => {
		expect(order.utm).toEqual({ source: 'newsletter', medium: 'email', campaign: 'spring-sale', term: 'analytical engine', content: 'hero' });
		expect(order.landingPage).toBe('/products/difference-engine?utm_source=newsletter&utm_medium=email&utm_campaign=spring-sale&utm_content=hero');
	});

	it('keeps the payload under raw by default, and not with keepRaw: false', () => {
		expect(order.raw).toEqual(shopify.order());
		expect('raw' in normalizeOrder('shopify', shopify.order(), { keepRaw: false })).toBe(false);
	});

	it('partially_refunded: status and refundedTotal from successful refund transactions only', () => {
		const refunded = normalizeOrder('shopify', shopify.partiallyRefundedOrder());
		expect(refunded.status).toBe('partially_refunded');
		expect(refunded.financialStatus).toBe('partially_refunded');
		expect(refunded.refundedTotal).toBe(15.5); // 9.30 + 6.20; the failed 9.30 is not money out
		expect(refunded.total).toBe(1234.5); // what was charged; current_total_price is 1219.00
	});

	it('cancelled: cancelled_at wins over the financial status, which is kept; a full refund without refund records counts as the total', () => {
		const cancelled = normalizeOrder('shopify', shopify.cancelledOrder());
		expect(cancelled.status).toBe('cancelled');
		expect(cancelled.financialStatus).toBe('refunded');
		expect(cancelled.refundedTotal).toBe(1234.5);
	});

	it.each([
		['pending', null, 'pending'],
		['authorized', null, 'pending'],
		['paid', 'fulfilled', 'fulfilled'],
		['refunded', null, 'refunded'],
		['voided', null, 'cancelled'],
		['expired', null, 'failed'],
		[null, null, 'unknown'],
	])('financial_status %p with fulfillment_status %p → %p', (financial, fulfillment, expected) => {
		expect(normalizeOrder('shopify', { ...shopify.order(), financial_status: financial, fulfillment_status: fulfillment }).status).toBe(expected);
	});

	it('JPY: whole-yen amounts', () => {
		const jpy = normalizeOrder('shopify', shopify.jpyOrder());
		expect(jpy).toMatchObject({ currency: 'JPY', total: 15800, subtotal: 14800, tax: 1345, shipping: 1000 });
		expect(jpy.lineItems[0]).toMatchObject({ price: 7400, quantity: 2, total: 14800 });
	});

	it('amounts formatted "1,234.50" (e.g. relayed from an export) are read; with decimalSeparator "," so are "1.234,50"', () => {
		expect(normalizeOrder('shopify', { ...shopify.order(), total_price: '1,234.50' }).total).toBe(1234.5);
		expect(normalizeOrder('shopify', { ...shopify.order(), total_price: '1.234,50', subtotal_price: '1.194,50' }, { decimalSeparator: ',' })).toMatchObject({ total: 1234.5, subtotal: 1194.5 });
	});

	it('decimalSeparator "," does not corrupt Shopify\'s machine-written "1234.50" amounts', () => {
		expect(normalizeOrder('shopify', shopify.order(), { decimalSeparator: ',' })).toMatchObject({ total: 1234.5, tax: 199.08, subtotal: 1194.5 });
	});

	it('falls back to current_total_price and to shipping_lines when the primary fields are absent', () => {
		expect(normalizeOrder('shopify', without(shopify.order(), 'total_price', 'total_shipping_price_set'))).toMatchObject({ total: 1234.5, shipping: 40 });
	});

	it('missing optional data becomes null or empty, never a crash', () => {
		const minimal = normalizeOrder('shopify', { id: 1, created_at: '2024-03-01T10:00:00Z', total_price: '10.00' });
		expect(minimal).toMatchObject({
			id: '1',
			number: null,
			currency: null,
			subtotal: null,
			tax: null,
			discount: null,
			shipping: null,
			status: 'unknown',
			billingAddress: null,
			shippingAddress: null,
			lineItems: [],
			coupons: [],
			landingPage: null,
			referrer: null,
			cartId: null,
		});
		expect(minimal.customer).toMatchObject({ id: null, email: null, emailInvalid: null, consent: { emailMarketing: null, smsMarketing: null }, tags: [] });
		expect(minimal.utm).toEqual({ source: null, medium: null, campaign: null, term: null, content: null });
	});

	it('an invalid email is flagged, not passed on', () => {
		const bad = normalizeOrder('shopify', { ...shopify.order(), email: 'ada at example', contact_email: null });
		expect(bad.customer.email).toBeNull();
		expect(bad.customer.emailInvalid).toBe('ada at example');
	});

	it('handles 10,000 line items', () => {
		const line = shopify.order().line_items[1];
		const items = Array.from({ length: 10_000 }, (_, index) => ({ ...line, id: index + 1 }));
		const big = normalizeOrder('shopify', { ...shopify.order(), line_items: items });
		expect(big.lineItems).toHaveLength(10_000);
		expect(big.lineItems[9_999]).toMatchObject({ id: '10000', total: 15.5 });
	});

	describe('malformed payloads: the error names the field', () => {
		it.each([
			['missing id', { id: undefined }, 'id'],
			['id an object', { id: { value: 1 } }, 'id'],
			['total_price "abc"', { total_price: 'abc' }, 'total_price'],
			['no total at all', { total_price: undefined, current_total_price: undefined }, 'total_price'],
			['odd created_at', { created_at: 'last tuesday' }, 'created_at'],
			['odd updated_at', { updated_at: '2024-13-45' }, 'updated_at'],
			['currency "pounds"', { currency: 'pounds' }, 'currency'],
			['line_items not a list', { line_items: 'none' }, 'line_items'],
			['total_tax "n/a"', { total_tax: 'n/a' }, 'total_tax'],
			['billing_address a string', { billing_address: '12 Marylebone Road' }, 'billing_address'],
		])('%s', (_label, change, field) => {
			expect(normalizationError(() => normalizeOrder('shopify', { ...shopify.order(), ...change })).field).toBe(field);
		});

		it('a bad line item price names its index', () => {
			const order = shopify.order();
			order.line_items[1].price = 'free';
			const error = normalizationError(() => normalizeOrder('shopify', order));
			expect(error.field).toBe('line_items[1].price');
			expect(error.message).toContain('"free" is not an amount');
		});

		it('a negative quantity names its field', () => {
			const order = shopify.order();
			order.line_items[0].quantity = -1;
			expect(normalizationError(() => normalizeOrder('shopify', order)).field).toBe('line_items[0].quantity');
		});

		it('a refund transaction with a bad amount names its path', () => {
			const order = shopify.partiallyRefundedOrder();
			order.refunds[1].transactions[0].amount = 'lots';
			expect(normalizationError(() => normalizeOrder('shopify', order)).field).toBe('refunds[1].transactions[0].amount');
		});

		it('not an object at all', () => {
			expect(normalizationError(() => normalizeOrder('shopify', 'order')).field).toBe('payload');
			expect(normalizationError(() => normalizeOrder('shopify', [shopify.order()])).field).toBe('payload');
		});
	});
});

describe('Shopify checkouts (checkouts/create|update)', () => {
	const cart = normalizeCart('shopify', shopify.checkout());

	it('maps the token as id, contact, total, items, times, recovery URL and UTM', () => {
		expect(cart).toMatchObject({
			id: '901414060dcf8dbef4a5c4b1a5b4d7c2',
			source: 'shopify',
			email: 'grace.hopper@example.com',
			emailInvalid: null,
			phone: '+1 555 0100', // no checkout phone: the billing address's
			currency: 'USD',
			total: 398,
			createdAt: '2024-03-01T14:40:00.000Z',
			updatedAt: '2024-03-01T14:45:00.000Z',
			completedAt: null,
			recoveryUrl: 'https://shop.example.com/59910/checkouts/901414060dcf8dbef4a5c4b1a5b4d7c2/recover?key=a1b2c3',
			utm: { source: 'google', medium: 'cpc', campaign: 'brand', term: null, content: null },
			landingPage: 'https://shop.example.com/collections/all?utm_source=google&utm_medium=cpc&utm_campaign=brand',
		});
		expect(cart.lineItems).toEqual([{ id: '39072856', sku: 'IPOD2008GREEN', name: 'IPod Nano - 8gb', quantity: 2, price: 199, total: 398, category: null, productId: '632910392', variantId: '39072856' }]);
		expect(cart.customer).toMatchObject({ id: '207119552', firstName: 'Grace', company: 'Navy Labs', consent: { emailMarketing: false, smsMarketing: null }, ordersCount: 0, totalSpent: 0 });
		expect(cart.raw).toEqual(shopify.checkout());
	});

	it('the order that completes it points back with the same token', () => {
		expect(normalizeOrder('shopify', shopify.order()).cartId).toBe(cart.id);
	});

	it('completed_at, and the phone of a checkout without email', () => {
		const completed = normalizeCart('shopify', { ...shopify.checkout(), completed_at: '2024-03-01T10:00:00-05:00' });
		expect(completed.completedAt).toBe('2024-03-01T15:00:00.000Z');
		const phoneOnly = normalizeCart('shopify', { ...shopify.checkout(), email: null, customer: null, phone: '+15550100' });
		expect(phoneOnly).toMatchObject({ email: null, emailInvalid: null, phone: '+15550100', customer: null });
	});

	it('falls back to the numeric id without a token', () => {
		expect(normalizeCart('shopify', { ...shopify.checkout(), token: null }).id).toBe('450789469');
	});

	it('errors name token, total_price and created_at', () => {
		expect(normalizationError(() => normalizeCart('shopify', { ...shopify.checkout(), token: null, id: null })).field).toBe('token');
		expect(normalizationError(() => normalizeCart('shopify', { ...shopify.checkout(), total_price: 'abc' })).field).toBe('total_price');
		expect(normalizationError(() => normalizeCart('shopify', { ...shopify.checkout(), created_at: 'now-ish' })).field).toBe('created_at');
		expect(normalizationError(() => normalizeCart('shopify', { ...shopify.checkout(), line_items: [{ quantity: 1 }] })).field).toBe('line_items[0].price');
	});
});

describe('Shopify customers (customers/create|update)', () => {
	it('maps consent (email_marketing_consent.state), counts, spend, tags string and the default address company', () => {
		const customer = normalizeCustomer('shopify', shopify.customer());
		expect(customer).toMatchObject({
			id: '207119551',
			email: 'ada.lovelace@example.com',
			emailInvalid: null,
			firstName: 'Ada',
			lastName: 'Lovelace',
			phone: '+442079460018',
			company: 'Analytical Engines Ltd',
			taxId: null,
			consent: { emailMarketing: true, smsMarketing: false },
			createdAt: '2024-02-10T14:00:00.000Z',
			updatedAt: '2024-03-04T16:30:00.000Z',
			ordersCount: 3,
			totalSpent: 1234.5,
			tags: ['wholesale', 'vip'],
		});
		expect(customer.raw).toEqual(shopify.customer());
	});

	it('legacy accepts_marketing, and an invalid email flagged', () => {
		const customer = normalizeCustomer('shopify', shopify.legacyCustomer());
		expect(customer.consent).toEqual({ emailMarketing: false, smsMarketing: null });
		expect(customer.email).toBeNull();
		expect(customer.emailInvalid).toBe('not-an-email');
	});

	it.each([
		['subscribed', true],
		['unsubscribed', false],
		['not_subscribed', false],
		['pending', null],
	])('email_marketing_consent.state %p → %p', (state, expected) => {
		const customer = normalizeCustomer('shopify', { ...shopify.customer(), email_marketing_consent: { state } });
		expect(customer.consent.emailMarketing).toBe(expected);
	});

	it('errors name id, total_spent and orders_count', () => {
		expect(normalizationError(() => normalizeCustomer('shopify', { ...shopify.customer(), id: null })).field).toBe('id');
		expect(normalizationError(() => normalizeCustomer('shopify', { ...shopify.customer(), total_spent: 'a lot' })).field).toBe('total_spent');
		expect(normalizationError(() => normalizeCustomer('shopify', { ...shopify.customer(), orders_count: 'three' })).field).toBe('orders_count');
	});
});

describe('Shopify refunds (refunds/create)', () => {
	it('amount from refund transactions, order id, reason, refunded lines', () => {
		const refund = normalizeRefund('shopify', shopify.refund());
		expect(refund).toMatchObject({
			id: '929361463',
			orderId: '450789469',
			source: 'shopify',
			createdAt: '2024-03-05T17:00:00.000Z',
			currency: 'GBP',
			amount: 9.3,
			reason: 'wrong size',
		});
		expect(refund.lineItems).toEqual([{ id: '518995019', sku: 'PC-10', name: 'Punch cards (10)', quantity: 1, price: 7.75, total: 7.75, category: null, productId: '921728736', variantId: '457924702' }]);
	});

	it('negative transaction amounts become a positive refund; non-refund kinds are ignored', () => {
		const refund = shopify.refund();
		refund.transactions = [
			{ ...refund.transactions[0], amount: '-9.30' },
			{ ...refund.transactions[0], id: 2, kind: 'capture', amount: '100.00' },
		];
		expect(normalizeRefund('shopify', refund).amount).toBe(9.3);
	});

	it('without transactions: the refunded lines plus their tax', () => {
		expect(normalizeRefund('shopify', { ...shopify.refund(), transactions: [] }).amount).toBe(9.3);
	});

	it('errors name order_id and the transaction amount', () => {
		expect(normalizationError(() => normalizeRefund('shopify', { ...shopify.refund(), order_id: undefined })).field).toBe('order_id');
		const refund = shopify.refund();
		refund.transactions[0].amount = 'abc';
		expect(normalizationError(() => normalizeRefund('shopify', refund)).field).toBe('transactions[0].amount');
	});
});
