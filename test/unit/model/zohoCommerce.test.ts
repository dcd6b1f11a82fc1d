import { normalizeCart, normalizeCustomer, normalizeOrder, normalizeRefund, parseZohoCommerceBody } from '../../../core/model/normalizers';
import * as zoho from '../../fixtures/stores/zohoCommerce';
import { normalizationError, without } from './helpers';

type SalesOrder = ReturnType<typeof zoho.salesOrder>['salesorder'];

function withOrder(change: Partial<Record<keyof SalesOrder, unknown>> & Record<string, unknown>) {
	const payload = zoho.salesOrder();
	return { salesorder: { ...payload.salesorder, ...change } };
}

describe('parseZohoCommerceBody', () => {
	it('form-encoded body with the JSON in JSONString', () => {
		expect(parseZohoCommerceBody(zoho.salesOrderFormBody(), zoho.FORM_CONTENT_TYPE)).toEqual(zoho.salesOrder());
	});

	it('the same as bytes, as JSON text, as an already-parsed form, and as an object', () => {
		expect(parseZohoCommerceBody(Buffer.from(zoho.salesOrderFormBody()), zoho.FORM_CONTENT_TYPE)).toEqual(zoho.salesOrder());
		expect(parseZohoCommerceBody(JSON.stringify(zoho.salesOrder()), 'application/json')).toEqual(zoho.salesOrder());
		expect(parseZohoCommerceBody(JSON.stringify(zoho.salesOrder()), zoho.FORM_CONTENT_TYPE)).toEqual(zoho.salesOrder()); // JSON despite the header
		expect(parseZohoCommerceBody({ JSONString: JSON.stringify(zoho.salesOrder()) })).toEqual(zoho.salesOrder());
		expect(parseZohoCommerceBody(zoho.salesOrder())).toEqual(zoho.salesOrder());
	});

	it('JSON posted URL-encoded without a field name', () => {
		expect(parseZohoCommerceBody(encodeURIComponent(JSON.stringify(zoho.salesOrder())), zoho.FORM_CONTENT_TYPE)).toEqual(zoho.salesOrder());
	});

	it('rejects what it cannot read, naming JSONString or body', () => {
		expect(normalizationError(() => parseZohoCommerceBody('JSONString=%7B%22salesorder%22%3A', zoho.FORM_CONTENT_TYPE)).field).toBe('JSONString');
		expect(normalizationError(() => parseZohoCommerceBody('a=1&b=2', zoho.FORM_CONTENT_TYPE)).field).toBe('JSONString');
		expect(normalizationError(() => parseZohoCommerceBody('JSONString=%5B1%2C2%5D', zoho.FORM_CONTENT_TYPE)).field).toBe('JSONString'); // a list, not an object
		expect(normalizationError(() => parseZohoCommerceBody('{"salesorder": ', 'application/json')).field).toBe('body');
		expect(normalizationError(() => parseZohoCommerceBody('   ')).field).toBe('body');
		expect(normalizationError(() => parseZohoCommerceBody(42)).field).toBe('body');
	});
});

describe('Zoho Commerce sales orders', () => {
	const order = normalizeOrder('zohoCommerce', parseZohoCommerceBody(zoho.salesOrderFormBody(), zoho.FORM_CONTENT_TYPE));

	it('maps identity, +0530 timestamps to UTC, status and money', () => {
		expect(order).toMatchObject({
			id: '51128000000118027',
			number: 'SO-00009',
			source: 'zohoCommerce',
			createdAt: '2024-03-22T04:45:30.000Z',
			updatedAt: '2024-03-22T04:50:00.000Z',
			status: 'paid',
			financialStatus: 'paid',
			currency: 'INR',
			total: 1112,
			subtotal: 1000,
			tax: 162,
			discount: 100, // discount_amount; the "10.00%" in discount is a rate, not read as money
			shipping: 50,
			refundedTotal: 0,
			coupons: ['CHAI10'],
		});
	});

	it('customer from the contact person, email normalised, company and GSTIN', () => {
		expect(order.customer).toEqual({
			id: '51128000000096001',
			email: 'priya.raman@example.in',
			emailInvalid: null,
			firstName: 'Priya',
			lastName: 'Raman',
			phone: '+91 98450 12345',
			company: 'Raman Tea Traders',
			taxId: '29ABCDE1234F1Z5',
			consent: { emailMarketing: null, smsMarketing: null },
			createdAt: null,
			updatedAt: null,
			ordersCount: null,
			totalSpent: null,
			tags: [],
		});
	});

	it('addresses: attention split into names, address/street2, country code when given, else the name', () => {
		expect(order.billingAddress).toEqual({
			company: null,
			firstName: 'Priya',
			lastName: 'Raman',
			line1: '12 MG Road',
			line2: 'Floor 3',
			city: 'Bengaluru',
			region: 'Karnataka',
			postalCode: '560001',
			country: 'IN',
			phone: '+91 80 4000 1234',
		});
		expect(order.shippingAddress).toMatchObject({ line1: '4 Industrial Layout', line2: null, city: 'Hosur', country: 'India', phone: null });
	});

	it('line items: rate as price, item_total, product and variant ids, category', () => {
		expect(order.lineItems).toEqual([
			{ id: '51128000000118035', sku: 'TEA-MASALA-250', name: 'Masala Chai 250g', quantity: 2, price: 300, total: 600, category: null, productId: '51128000000102100', variantId: '51128000000102130' },
			{ id: '51128000000118037', sku: 'KETTLE-1', name: 'Brass Kettle', quantity: 1, price: 400, total: 400, category: 'Teaware', productId: '51128000000102131', variantId: null },
		]);
	});

	it('UTM from custom fields, gaps filled from the landing page custom field', () => {
		expect(order.utm).toEqual({ source: 'instagram', medium: 'social', campaign: 'diwali', term: null, content: null });
		expect(order.landingPage).toBe('https://chai.example.in/?utm_source=ig&utm_medium=social&utm_campaign=diwali');
	});

	it('raw keeps the envelope as received', () => {
		expect(order.raw).toEqual(zoho.salesOrder());
	});

	it('accepts the bare sales order and the API envelope with code/message', () => {
		expect(normalizeOrder('zohoCommerce', zoho.salesOrder().salesorder).id).toBe('51128000000118027');
		expect(normalizeOrder('zohoCommerce', { code: 0, message: 'success', ...zoho.salesOrder() }).id).toBe('51128000000118027');
	});

	it.each([
		[{ order_status: 'void', status: 'void' }, 'cancelled'],
		[{ order_status: 'cancelled' }, 'cancelled'],
		[{ order_status: 'declined' }, 'cancelled'],
		[{ refund_status: 'refunded' }, 'refunded'],
		[{ refund_status: 'partially_refunded' }, 'partially_refunded'],
		[{ order_status: 'returned' }, 'refunded'],
		[{ order_status: 'completed', status: 'closed' }, 'completed'],
		[{ shipped_status: 'delivered' }, 'fulfilled'],
		[{ shipped_status: 'shipped' }, 'fulfilled'],
		[{ order_status: 'onhold', status: 'onhold' }, 'on_hold'],
		[{ paid_status: 'unpaid' }, 'processing'],
		[{ order_status: 'pending', status: 'draft', paid_status: 'unpaid' }, 'pending'],
		[{ order_status: 'something', status: 'new-thing', paid_status: 'unpaid' }, 'unknown'],
	])('status fields %p → %p', (change, expected) => {
		expect(normalizeOrder('zohoCommerce', withOrder(change)).status).toBe(expected);
	});

	it('refundedTotal: refunded_amount, else sales returns, else the total when refund_status is refunded', () => {
		expect(normalizeOrder('zohoCommerce', withOrder({ refunded_amount: 472 })).refundedTotal).toBe(472);
		expect(normalizeOrder('zohoCommerce', withOrder({ salesreturns: [{ refunded_amount: 100 }, { refunded_amount: 372.5 }] })).refundedTotal).toBe(472.5);
		expect(normalizeOrder('zohoCommerce', withOrder({ refund_status: 'refunded' })).refundedTotal).toBe(1112);
	});

	it('without created_time the date is read in the zone option', () => {
		const payload = withOrder({ created_time: undefined });
		expect(normalizeOrder('zohoCommerce', payload).createdAt).toBe('2024-03-22T00:00:00.000Z');
		expect(normalizeOrder('zohoCommerce', payload, { zone: 'Asia/Kolkata' }).createdAt).toBe('2024-03-21T18:30:00.000Z');
	});

	it('amounts as text are read, incl. "1.112,00" with decimalSeparator ","', () => {
		expect(normalizeOrder('zohoCommerce', withOrder({ total: '1112.00', sub_total: '1,000.00' }))).toMatchObject({ total: 1112, subtotal: 1000 });
		expect(normalizeOrder('zohoCommerce', withOrder({ total: '1.112,00' }), { decimalSeparator: ',' }).total).toBe(1112);
	});

	it('customer name from customer_name when there is no contact person; invalid email flagged', () => {
		const bare = normalizeOrder('zohoCommerce', withOrder({ contact_persons: [], email: 'priya@', billing_address: undefined }));
		expect(bare.customer).toMatchObject({ firstName: 'Priya', lastName: 'Raman', email: null, emailInvalid: 'priya@' });
	});

	it('handles 10,000 line items', () => {
		const line = zoho.salesOrder().salesorder.line_items[1];
		const big = normalizeOrder('zohoCommerce', withOrder({ line_items: Array.from({ length: 10_000 }, () => line) }));
		expect(big.lineItems).toHaveLength(10_000);
	});

	describe('malformed payloads: the error names the field, inside the envelope', () => {
		it.each([
			['missing salesorder_id', { salesorder_id: undefined }, 'salesorder.salesorder_id'],
			['total "abc"', { total: 'abc' }, 'salesorder.total'],
			['odd created_time', { created_time: '22/03/2024 10:15' }, 'salesorder.created_time'],
			['no time at all', { created_time: undefined, date: undefined }, 'salesorder.created_time'],
			['currency_code "Rupees"', { currency_code: 'Rupees' }, 'salesorder.currency_code'],
			['line_items an object', { line_items: { a: 1 } }, 'salesorder.line_items'],
		])('%s', (_label, change, field) => {
			expect(normalizationError(() => normalizeOrder('zohoCommerce', withOrder(change))).field).toBe(field);
		});

		it('a line item without rate or item_total', () => {
			const payload = zoho.salesOrder();
			payload.salesorder.line_items[1] = { ...payload.salesorder.line_items[1], rate: undefined as unknown as number, item_total: undefined as unknown as number };
			expect(normalizationError(() => normalizeOrder('zohoCommerce', payload)).field).toBe('salesorder.line_items[1].rate');
		});
	});
});

describe('Zoho Commerce carts, customers and refunds', () => {
	it('a draft sales order as a cart', () => {
		const cart = normalizeCart('zohoCommerce', withOrder({ order_status: 'draft', status: 'draft', paid_status: 'unpaid' }));
		expect(cart).toMatchObject({ id: '51128000000118027', source: 'zohoCommerce', email: 'priya.raman@example.in', total: 1112, currency: 'INR', completedAt: null, recoveryUrl: null });
	});

	it('a contact: primary contact person, company, GSTIN, times', () => {
		const customer = normalizeCustomer('zohoCommerce', zoho.contact());
		expect(customer).toMatchObject({
			id: '51128000000096001',
			email: 'accounts@ramantea.example.in',
			firstName: 'Priya',
			lastName: 'Raman',
			phone: '+91 80 4000 1234',
			company: 'Raman Tea Traders',
			taxId: '29ABCDE1234F1Z5',
			createdAt: '2024-01-05T06:30:00.000Z',
			updatedAt: '2024-03-22T04:50:00.000Z',
		});
		expect(customer.raw).toEqual(zoho.contact());
	});

	it('the customer of a sales order', () => {
		expect(normalizeCustomer('zohoCommerce', zoho.salesOrder())).toMatchObject({ id: '51128000000096001', email: 'priya.raman@example.in', company: 'Raman Tea Traders' });
		expect(normalizationError(() => normalizeCustomer('zohoCommerce', withOrder({ customer_id: undefined }))).field).toBe('salesorder.customer_id');
		expect(normalizationError(() => normalizeCustomer('zohoCommerce', { contact: { contact_name: 'x' } })).field).toBe('contact.contact_id');
	});

	it('a sales return with its refund', () => {
		const refund = normalizeRefund('zohoCommerce', zoho.salesReturn());
		expect(refund).toMatchObject({ id: '51128000000125025', orderId: '51128000000118027', createdAt: '2024-03-30T03:30:00.000Z', currency: 'INR', amount: 472, reason: 'Kettle dented' });
		expect(refund.lineItems).toEqual([{ id: '51128000000125033', sku: 'KETTLE-1', name: 'Brass Kettle', quantity: 1, price: 400, total: 400, category: null, productId: '51128000000102131', variantId: null }]);
	});

	it('a refund-payment answer plus the sales order id it was made for', () => {
		const refund = normalizeRefund('zohoCommerce', { salesreturns: { refund_id: '51128000000121227', refund_date: '2019-09-30', amount: 1, return_number: '', refund_type: 'order_refund' }, salesorder_id: '1' });
		expect(refund).toMatchObject({ id: '51128000000121227', amount: 1, createdAt: '2019-09-30T00:00:00.000Z' });
	});

	it('refund errors name the sales order id and the amount', () => {
		const payload = zoho.salesReturn();
		const withoutOrder = without(payload.salesreturn, 'salesorders');
		expect(normalizationError(() => normalizeRefund('zohoCommerce', { salesreturn: withoutOrder })).field).toBe('salesreturn.salesorder_id');
		expect(normalizationError(() => normalizeRefund('zohoCommerce', { salesreturn: { ...payload.salesreturn, refunded_amount: 0, total: 'x' } })).field).toBe('salesreturn.total');
	});
});
