import { normalizeCart, normalizeCustomer, normalizeOrder, normalizeRefund } from '../../../core/model/normalizers';
import * as woo from '../../fixtures/stores/woocommerce';
import { normalizationError, without } from './helpers';

describe('WooCommerce orders (REST v3, order.created/updated)', () => {
	const order = normalizeOrder('woocommerce', woo.order());

	it('maps identity, *_gmt times as UTC, status and money strings', () => {
		expect(order).toMatchObject({
			id: '5120',
			number: '5120',
			source: 'woocommerce',
			createdAt: '2024-03-22T16:28:02.000Z',
			updatedAt: '2024-03-22T16:30:11.000Z',
			status: 'processing',
			financialStatus: 'paid',
			currency: 'EUR',
			total: 119,
			subtotal: 105.1, // 60.00 + 45.10 before the coupon
			tax: 19,
			discount: 10,
			shipping: 4.9,
			refundedTotal: 0,
			coupons: ['spring10'],
			cartId: null,
		});
	});

	it('*_gmt stays UTC whatever the zone option says', () => {
		expect(normalizeOrder('woocommerce', woo.order(), { zone: 'America/New_York' }).createdAt).toBe('2024-03-22T16:28:02.000Z');
	});

	it('without *_gmt, the local times are read in the zone option', () => {
		const legacy = normalizeOrder('woocommerce', woo.legacyOrder(), { zone: 'Europe/Berlin' });
		expect(legacy.createdAt).toBe('2024-03-22T16:28:02.000Z');
		expect(legacy.updatedAt).toBe('2024-03-22T16:30:11.000Z');
		expect(normalizeOrder('woocommerce', woo.legacyOrder()).createdAt).toBe('2024-03-22T17:28:02.000Z'); // default UTC
	});

	it('customer from billing: email normalised, company, phone, VAT id from _billing_vat', () => {
		expect(order.customer).toEqual({
			id: '42',
			email: 'jonas.mueller@example.de',
			emailInvalid: null,
			firstName: 'Jonas',
			lastName: 'Müller',
			phone: '+49 69 1234567',
			company: 'Rösterei Müller GmbH',
			taxId: 'DE123456789',
			consent: { emailMarketing: null, smsMarketing: null },
			createdAt: null,
			updatedAt: null,
			ordersCount: null,
			totalSpent: null,
			tags: [],
		});
	});

	it.each([
		['vat_number', 'ATU12345678'],
		['_vat_number', 'NL123456789B01'],
		['_billing_vat', 'DE123456789'],
		['_billing_vat_id', 'FR12345678901'],
	])('VAT id from meta key %p', (key, value) => {
		const payload = { ...woo.order(), meta_data: [{ id: 1, key, value }] };
		expect(normalizeOrder('woocommerce', payload).customer.taxId).toBe(value);
	});

	it('guest checkout (customer_id 0) has no customer id', () => {
		expect(normalizeOrder('woocommerce', { ...woo.order(), customer_id: 0 }).customer.id).toBeNull();
	});

	it('addresses: billing and shipping, country upper-cased, empty strings become null', () => {
		expect(order.billingAddress).toEqual({
			company: 'Rösterei Müller GmbH',
			firstName: 'Jonas',
			lastName: 'Müller',
			line1: 'Kaiserstraße 12',
			line2: '2. OG',
			city: 'Frankfurt am Main',
			region: 'HE',
			postalCode: '60311',
			country: 'DE',
			phone: '+49 69 1234567',
		});
		expect(order.shippingAddress).toMatchObject({ company: null, phone: null, country: 'DE' });
	});

	it('line items: unit price, line total after discounts, variation as variant (0 → null)', () => {
		expect(order.lineItems).toEqual([
			{ id: '811', sku: 'BEAN-1KG', name: 'Espresso Beans 1kg', quantity: 2, price: 25, total: 50, category: null, productId: '101', variantId: null },
			{ id: '812', sku: 'GRIND-1-BLK', name: 'Hand Grinder - Black', quantity: 1, price: 45.1, total: 45.1, category: null, productId: '102', variantId: '205' },
		]);
	});

	it('attribution meta: utm_* fields, "(none)" ignored, gaps filled from the session entry URL; landing page and referrer', () => {
		expect(order.utm).toEqual({ source: 'facebook', medium: 'paid_social', campaign: 'spring_beans', term: 'espresso', content: 'carousel' });
		expect(order.landingPage).toBe('https://roesterei.example.de/shop/?utm_source=facebook&utm_term=espresso&utm_content=carousel');
		expect(order.referrer).toBe('https://www.facebook.com/');
	});

	it('no attribution meta: all null', () => {
		const legacy = normalizeOrder('woocommerce', woo.legacyOrder());
		expect(legacy.utm).toEqual({ source: null, medium: null, campaign: null, term: null, content: null });
		expect(legacy.landingPage).toBeNull();
		expect(legacy.customer.taxId).toBe('ATU12345678');
	});

	it('refunds[] (negative totals): refundedTotal positive, a processing order becomes partially_refunded', () => {
		const refunded = normalizeOrder('woocommerce', woo.partiallyRefundedOrder());
		expect(refunded.refundedTotal).toBe(25);
		expect(refunded.status).toBe('partially_refunded');
		expect(refunded.financialStatus).toBe('partially_refunded');
		const full = normalizeOrder('woocommerce', { ...woo.order(), status: 'refunded', refunds: [{ id: 1, reason: '', total: '-119.00' }] });
		expect(full).toMatchObject({ status: 'refunded', financialStatus: 'refunded', refundedTotal: 119 });
	});

	it.each([
		['pending', 'pending'],
		['processing', 'processing'],
		['on-hold', 'on_hold'],
		['completed', 'completed'],
		['cancelled', 'cancelled'],
		['refunded', 'refunded'],
		['failed', 'failed'],
		['checkout-draft', 'pending'],
		['some-plugin-status', 'unknown'],
	])('status %p → %p', (status, expected) => {
		expect(normalizeOrder('woocommerce', { ...woo.order(), status }).status).toBe(expected);
	});

	it('an unpaid order has financial status unpaid', () => {
		expect(normalizeOrder('woocommerce', woo.pendingOrder()).financialStatus).toBe('unpaid');
	});

	it('invalid billing email flagged', () => {
		const payload = woo.order();
		payload.billing = { ...payload.billing, email: 'jonas(at)example.de' };
		const flagged = normalizeOrder('woocommerce', payload);
		expect(flagged.customer.email).toBeNull();
		expect(flagged.customer.emailInvalid).toBe('jonas(at)example.de');
	});

	it('handles 10,000 line items', () => {
		const line = woo.order().line_items[0];
		const payload = { ...woo.order(), line_items: Array.from({ length: 10_000 }, (_, index) => ({ ...line, id: index })) };
		const big = normalizeOrder('woocommerce', payload);
		expect(big.lineItems).toHaveLength(10_000);
		expect(big.subtotal).toBe(600_000);
	});

	describe('malformed payloads: the error names the field', () => {
		it.each([
			['missing id', { id: undefined }, 'id'],
			['total "abc"', { total: 'abc' }, 'total'],
			['missing total', { total: undefined }, 'total'],
			['odd date_created_gmt', { date_created_gmt: '0000-00-00 00:00:00' }, 'date_created_gmt'],
			['no creation time at all', { date_created_gmt: null, date_created: null }, 'date_created_gmt'],
			['discount_total "ten"', { discount_total: 'ten' }, 'discount_total'],
			['meta_data not a list', { meta_data: {} }, 'meta_data'],
			['currency "Euro"', { currency: 'Euro' }, 'currency'],
		])('%s', (_label, change, field) => {
			expect(normalizationError(() => normalizeOrder('woocommerce', { ...woo.order(), ...change })).field).toBe(field);
		});

		it('line item and refund paths', () => {
			const payload = woo.order();
			(payload.line_items[1] as Record<string, unknown>).total = '4,5,6';
			expect(normalizationError(() => normalizeOrder('woocommerce', payload)).field).toBe('line_items[1].total');
			const refunds = { ...woo.order(), refunds: [{ id: 1, total: '-abc' }] };
			expect(normalizationError(() => normalizeOrder('woocommerce', refunds)).field).toBe('refunds[0].total');
		});
	});
});

describe('WooCommerce carts (the pending order stands for the checkout)', () => {
	it('maps the pending order with its payment URL as recovery URL', () => {
		const cart = normalizeCart('woocommerce', woo.pendingOrder());
		expect(cart).toMatchObject({
			id: '5121',
			source: 'woocommerce',
			email: 'jonas.mueller@example.de',
			phone: '+49 69 1234567',
			currency: 'EUR',
			total: 119,
			createdAt: '2024-03-22T16:28:02.000Z',
			completedAt: null,
			recoveryUrl: 'https://roesterei.example.de/kasse/order-pay/5121/?pay_for_order=true&key=wc_order_Zz9',
		});
		expect(cart.lineItems).toHaveLength(2);
		expect(cart.raw).toEqual(woo.pendingOrder());
	});

	it('a paid order is a completed cart', () => {
		expect(normalizeCart('woocommerce', woo.order()).completedAt).toBe('2024-03-22T16:28:05.000Z');
	});
});

describe('WooCommerce customers (customer.created/updated)', () => {
	it('maps email, names, billing company and phone, times, VAT id from meta', () => {
		const customer = normalizeCustomer('woocommerce', woo.customer());
		expect(customer).toMatchObject({
			id: '42',
			email: 'jonas.mueller@example.de',
			emailInvalid: null,
			firstName: 'Jonas',
			lastName: 'Müller',
			phone: '+49 69 1234567',
			company: 'Rösterei Müller GmbH',
			taxId: 'DE123456789',
			createdAt: '2024-01-15T09:00:00.000Z',
			updatedAt: '2024-03-22T16:30:11.000Z',
			ordersCount: null,
			totalSpent: null,
			consent: { emailMarketing: null, smsMarketing: null },
		});
		expect(customer.raw).toEqual(woo.customer());
	});

	it('falls back to the billing email; errors name id and date_created_gmt', () => {
		expect(normalizeCustomer('woocommerce', { ...woo.customer(), email: '' }).email).toBe('jonas.mueller@example.de');
		expect(normalizationError(() => normalizeCustomer('woocommerce', { ...woo.customer(), id: null })).field).toBe('id');
		expect(normalizationError(() => normalizeCustomer('woocommerce', { ...woo.customer(), date_created_gmt: 'soon' })).field).toBe('date_created_gmt');
	});
});

describe('WooCommerce refunds (REST refund resource)', () => {
	it('maps amount (positive), order id, reason and the negative refund lines as positive', () => {
		const refund = normalizeRefund('woocommerce', woo.refund());
		expect(refund).toMatchObject({ id: '5131', orderId: '5120', source: 'woocommerce', createdAt: '2024-03-25T09:00:00.000Z', amount: 25, reason: 'Beans stale', currency: null });
		expect(refund.lineItems).toEqual([{ id: '816', sku: 'BEAN-1KG', name: 'Espresso Beans 1kg', quantity: 1, price: 25, total: 25, category: null, productId: '101', variantId: null }]);
	});

	it('a negative amount becomes positive; a missing order id is named', () => {
		expect(normalizeRefund('woocommerce', { ...woo.refund(), amount: '-25.00' }).amount).toBe(25);
		const withoutOrder = without(woo.refund(), 'order_id');
		const error = normalizationError(() => normalizeRefund('woocommerce', withoutOrder));
		expect(error.field).toBe('order_id');
		expect(error.message).toContain('add the order id');
		expect(normalizeRefund('woocommerce', { ...withoutOrder, parent_id: 5120 }).orderId).toBe('5120');
	});
});
