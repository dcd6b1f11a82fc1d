import { compileInputReader, compilePath } from '../../../core/classifier/input';

const canonicalOrder = {
	id: '1001',
	total: 640,
	currency: 'EUR',
	customer: { email: 'jo@acme.com', emailInvalid: null, firstName: 'Jo', lastName: 'Bloggs', company: 'Acme (customer)', taxId: 'DE123456789' },
	billingAddress: { company: 'Acme GmbH', firstName: 'Jo', lastName: 'Bloggs', line1: 'Industriestraße 12', line2: null, city: 'Köln', country: 'DE', phone: null },
	shippingAddress: { company: null, firstName: 'Jo', lastName: 'Bloggs', line1: 'Gate 4', line2: null, city: 'Köln', country: 'DE', phone: null },
	lineItems: [{ quantity: 12 }, { quantity: '3' }, { quantity: 'many' }],
};

describe('reading items', () => {
	const read = compileInputReader();

	it('reads a canonical order where the model keeps each field', () => {
		const input = read(canonicalOrder);
		expect(input).toMatchObject({
			kind: 'order',
			email: { value: 'jo@acme.com', path: 'customer.email' },
			total: { value: 640, path: 'total' },
			currency: { value: 'EUR', path: 'currency' },
			company: { value: 'Acme GmbH', path: 'billingAddress.company' },
			taxId: { value: 'DE123456789', path: 'customer.taxId' },
			largestQuantity: 12,
		});
		expect(input.addressTexts()).toEqual(['Industriestraße 12', 'Köln', 'Gate 4', 'Köln']);
		expect(input.personNames()).toEqual(['Jo Bloggs']);
	});

	it('reads through a Commerce Trigger event and names paths from the item root', () => {
		const input = read({ type: 'order.created', entity: 'order', order: canonicalOrder });
		expect(input).toMatchObject({ kind: 'order', email: { value: 'jo@acme.com', path: 'order.customer.email' }, total: { path: 'order.total' } });
	});

	it('reads the invalid address a canonical order keeps in emailInvalid', () => {
		const input = read({ ...canonicalOrder, customer: { ...canonicalOrder.customer, email: null, emailInvalid: 'jo(at)acme' } });
		expect(input.email).toEqual({ value: 'jo(at)acme', path: 'customer.emailInvalid' });
	});

	it('reads a canonical customer, which has no order total', () => {
		const customer = { id: 'c1', email: 'jo@acme.com', emailInvalid: null, company: 'Acme', taxId: null, consent: { emailMarketing: null, smsMarketing: null }, firstName: 'Jo', lastName: 'B' };
		expect(read(customer)).toMatchObject({ kind: 'customer', email: { value: 'jo@acme.com', path: 'email' }, hasTotal: false, company: { value: 'Acme', path: 'company' } });
		expect(read({ entity: 'customer', customer })).toMatchObject({ kind: 'customer', hasTotal: false, email: { path: 'customer.email' } });
	});

	it('reads a cart event', () => {
		expect(read({ entity: 'cart', cart: { id: 'k', email: 'jo@acme.com', total: 20, currency: 'USD', lineItems: [], recoveryUrl: null, customer: null } })).toMatchObject({
			kind: 'cart',
			email: { value: 'jo@acme.com', path: 'cart.email' },
			total: { value: 20, path: 'cart.total' },
		});
	});

	it('reads mapped dot paths from the item root', () => {
		const readMapped = compileInputReader({
			email: 'contact.email',
			total: 'totals.grand',
			currency: 'totals.currency',
			company: 'billing.company_name',
			taxId: 'billing.vat',
			lineItems: 'line_items',
			quantityKey: 'qty',
			addresses: ['billing.street', ' shipping '],
		});
		const item = {
			contact: { email: 'jo@acme.com' },
			totals: { grand: '1.234,50', currency: 'eur' },
			billing: { company_name: 'Acme', vat: 'FR12345678901', street: 'Suite 4' },
			shipping: { address_1: 'Dock 3', company: 'ignored as an address line' },
			line_items: [{ qty: 2 }, { qty: 30 }],
		};
		const input = readMapped(item);
		expect(input).toMatchObject({
			email: { value: 'jo@acme.com', path: 'contact.email' },
			total: { value: '1.234,50', path: 'totals.grand' },
			currency: { value: 'eur', path: 'totals.currency' },
			company: { value: 'Acme', path: 'billing.company_name' },
			taxId: { value: 'FR12345678901', path: 'billing.vat' },
			largestQuantity: 30,
		});
		expect(input.addressTexts()).toEqual(['Suite 4', 'Dock 3']);
	});

	it('returns one reused object, refilled for each item', () => {
		const first = read(canonicalOrder);
		const second = read({ email: 'x@y.com' });
		expect(second).toBe(first);
		expect(second).toMatchObject({ kind: 'other', email: { value: 'x@y.com', path: 'email' }, largestQuantity: 0, hasTotal: true, total: { value: undefined, path: 'total' } });
	});

	it('paths take list positions and flat keys that contain dots', () => {
		expect(compilePath('items[1].sku')({ items: [{ sku: 'a' }, { sku: 'b' }] })).toBe('b');
		expect(compilePath('customer.email')({ 'customer.email': 'flat@acme.com' })).toBe('flat@acme.com');
		expect(compilePath('a.b.c')({ a: null })).toBeUndefined();
		expect(compilePath('a.b')('text')).toBeUndefined();
	});
});
