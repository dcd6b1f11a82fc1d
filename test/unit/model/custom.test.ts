import { normalizeCart, normalizeCustomer, normalizeOrder, normalizeRefund } from '../../../core/model/normalizers';
import * as custom from '../../fixtures/stores/custom';
import { normalizationError, without } from './helpers';

describe('custom-store orders (the generic JSON shape)', () => {
	const order = normalizeOrder('custom', custom.order());

	it('maps the canonical names; "1.234,50" amounts detected; offsets → UTC; status by name', () => {
		expect(order).toMatchObject({
			id: 'ORD-2024-0042',
			number: '42',
			source: 'custom',
			createdAt: '2024-03-01T10:00:00.000Z',
			updatedAt: '2024-03-01T10:05:00.000Z',
			status: 'paid',
			currency: 'EUR',
			total: 1234.5,
			subtotal: 1200,
			tax: 197.1,
			discount: 0,
			shipping: 34.5,
			refundedTotal: 0,
			coupons: ['WELCOME'],
			cartId: 'CART-77',
			landingPage: 'https://werkzeug.example.org/?utm_source=newsletter&utm_medium=email',
			referrer: null,
		});
	});

	it('customer: nested object, email normalised, consent from acceptsMarketing', () => {
		expect(order.customer).toMatchObject({
			id: '7',
			email: 'clara.schmidt@example.org',
			firstName: 'Clara',
			lastName: 'Schmidt',
			company: 'Schmidt Werkzeuge KG',
			taxId: 'DE999999999',
			consent: { emailMarketing: true, smsMarketing: null },
		});
	});

	it('line items: missing quantity is 1, total = quantity × price', () => {
		expect(order.lineItems).toEqual([
			{ id: null, sku: 'HAMMER-1', name: 'Hammer', quantity: 2, price: 600, total: 1200, category: 'Tools', productId: null, variantId: null },
			{ id: null, sku: 'GIFT', name: 'Gift wrap', quantity: 1, price: 0, total: 0, category: null, productId: null, variantId: null },
		]);
	});

	it('utm: explicit fields win, the landing page fills the gaps', () => {
		expect(order.utm).toEqual({ source: 'newsletter', medium: 'email', campaign: 'march', term: null, content: null });
	});

	it('lenient: flat customer fields, snake_case, numbers as text, utm_* at the top level, entity under data', () => {
		const flat = normalizeOrder('custom', {
			data: {
				order_id: 1001,
				created_at: 1709287200,
				status: 'on-hold',
				currency_code: 'usd',
				total_price: '1,234.50',
				email: ' BUYER@Example.com ',
				first_name: 'Bo',
				line_items: [{ sku: 'X', qty: '3', unit_price: '2.50' }],
				utm_source: 'tiktok',
				coupon: 'HELLO',
			},
		});
		expect(flat).toMatchObject({ id: '1001', createdAt: '2024-03-01T10:00:00.000Z', status: 'on_hold', currency: 'USD', total: 1234.5, coupons: ['HELLO'] });
		expect(flat.customer).toMatchObject({ email: 'buyer@example.com', firstName: 'Bo' });
		expect(flat.lineItems[0]).toMatchObject({ sku: 'X', quantity: 3, price: 2.5, total: 7.5 });
		expect(flat.utm.source).toBe('tiktok');
	});

	it('the trigger’s flat shape (test/contract/stores/payloads.ts customOrder) is read', () => {
		const order = normalizeOrder('custom', {
			id: 'ORD-1001',
			number: '1001',
			createdAt: '2024-03-01T10:00:00Z',
			status: 'paid',
			currency: 'EUR',
			total: 120.5,
			email: 'clara@example.com',
			firstName: 'Clara',
			lastName: 'Schmidt',
			cartId: 'CART-77',
			lineItems: [{ sku: 'MUG-1', name: 'Mug', quantity: 2, price: 60.25 }],
		});
		expect(order).toMatchObject({ id: 'ORD-1001', total: 120.5, cartId: 'CART-77', customer: { email: 'clara@example.com', firstName: 'Clara', lastName: 'Schmidt' } });
	});

	it.each([
		['canceled', 'cancelled'],
		['Partially Refunded', 'partially_refunded'],
		['shipped', 'fulfilled'],
		['COMPLETE', 'completed'],
		['weird', 'unknown'],
	])('status %p → %p', (status, expected) => {
		expect(normalizeOrder('custom', { ...custom.order(), status }).status).toBe(expected);
	});

	it('a financial status fills in an unknown status; refundedTotal is positive', () => {
		expect(normalizeOrder('custom', { ...custom.order(), status: undefined, financialStatus: 'refunded', refundedTotal: '-1.234,50' })).toMatchObject({
			status: 'refunded',
			financialStatus: 'refunded',
			refundedTotal: 1234.5,
		});
	});

	it('decimalSeparator "," reads "1.234" as a thousand two hundred thirty-four', () => {
		expect(normalizeOrder('custom', { ...custom.order(), total: '1.234' }, { decimalSeparator: ',' }).total).toBe(1234);
	});

	describe('malformed payloads: the error names the field', () => {
		it.each([
			['missing id', { id: undefined }, 'id'],
			['total "abc"', { total: 'abc' }, 'total'],
			['missing total', { total: undefined }, 'total'],
			['odd createdAt', { createdAt: '31/02/2024' }, 'createdAt'],
			['customer a string', { customer: 'clara' }, 'customer'],
			['type says cart', { type: 'cart' }, 'type'],
		])('%s', (_label, change, field) => {
			expect(normalizationError(() => normalizeOrder('custom', { ...custom.order(), ...change })).field).toBe(field);
		});

		it('paths inside data and line items', () => {
			expect(normalizationError(() => normalizeOrder('custom', { data: { id: 1, createdAt: '2024-03-01', total: 'x' } })).field).toBe('data.total');
			expect(normalizationError(() => normalizeOrder('custom', { ...custom.order(), lineItems: [{ sku: 'A', price: 1 }, { sku: 'B' }] })).field).toBe('lineItems[1].price');
			expect(normalizationError(() => normalizeOrder('custom', { ...custom.order(), lineItems: [{ sku: 'A', price: 1, quantity: 'two' }] })).field).toBe('lineItems[0].quantity');
		});
	});
});

describe('custom-store carts, customers and refunds', () => {
	it('cart under data, epoch updatedAt, total from number', () => {
		const cart = normalizeCart('custom', custom.cart());
		expect(cart).toMatchObject({
			id: 'CART-77',
			source: 'custom',
			email: 'clara.schmidt@example.org',
			currency: 'EUR',
			total: 1234.5,
			createdAt: '2024-03-01T10:40:00.000Z',
			updatedAt: '2024-03-01T10:45:00.000Z',
			completedAt: null,
			recoveryUrl: 'https://werkzeug.example.org/cart/recover/CART-77',
		});
		expect(cart.lineItems[0]).toMatchObject({ quantity: 2, price: 600, total: 1200 });
		expect(cart.customer?.email).toBe('clara.schmidt@example.org');
		expect(cart.raw).toEqual(custom.cart());
	});

	it('a cart without contact has no customer', () => {
		const anonymous = without(custom.cart().data, 'email');
		expect(normalizeCart('custom', anonymous)).toMatchObject({ email: null, emailInvalid: null, customer: null });
	});

	it('customer: "Name <email>", consent object, counts and spend as text, tags list', () => {
		const customer = normalizeCustomer('custom', custom.customer());
		expect(customer).toMatchObject({
			id: '7',
			email: 'clara.schmidt@example.org',
			firstName: 'Clara',
			lastName: 'Schmidt',
			phone: '+49 89 123456',
			consent: { emailMarketing: true, smsMarketing: false },
			createdAt: '2023-11-02T08:00:00.000Z',
			ordersCount: 5,
			totalSpent: 3456.7,
			tags: ['b2b', 'tools'],
		});
	});

	it('a customer needs an id or an email; an invalid email alone is kept, flagged', () => {
		expect(normalizationError(() => normalizeCustomer('custom', { firstName: 'Nobody' })).field).toBe('id');
		expect(normalizeCustomer('custom', { email: 'nobody@' })).toMatchObject({ id: null, email: null, emailInvalid: 'nobody@' });
	});

	it('refund: negative amounts and lines become positive', () => {
		const refund = normalizeRefund('custom', custom.refund());
		expect(refund).toMatchObject({ id: 'RF-9', orderId: 'ORD-2024-0042', createdAt: '2024-03-05T09:00:00.000Z', currency: 'EUR', amount: 600, reason: 'Returned one hammer' });
		expect(refund.lineItems[0]).toMatchObject({ sku: 'HAMMER-1', quantity: 1, price: 600, total: 600 });
	});

	it('refund errors name orderId and amount', () => {
		expect(normalizationError(() => normalizeRefund('custom', { ...custom.refund(), orderId: undefined })).field).toBe('orderId');
		expect(normalizationError(() => normalizeRefund('custom', { ...custom.refund(), amount: 'all of it' })).field).toBe('amount');
	});
});
