import { NormalizationError } from '../../../core/model/errors';
import { normalizeCart, normalizeCustomer, normalizeOrder, normalizeRefund } from '../../../core/model/normalizers';
import type { SourceStore } from '../../../core/model/types';
import * as custom from '../../fixtures/stores/custom';
import * as shopify from '../../fixtures/stores/shopify';
import * as woo from '../../fixtures/stores/woocommerce';
import * as zoho from '../../fixtures/stores/zohoCommerce';
import { normalizationError } from './helpers';

const ORDERS: Array<[SourceStore, () => unknown]> = [
	['shopify', shopify.order],
	['woocommerce', woo.order],
	['zohoCommerce', zoho.salesOrder],
	['custom', custom.order],
];

describe('normalisers, every store', () => {
	it.each(ORDERS)('%s: an order has the full canonical shape, JSON-safe, raw kept by default', (source, fixture) => {
		const order = normalizeOrder(source, fixture());
		expect(order.source).toBe(source);
		expect(Object.keys(order).sort()).toEqual(
			[
				'billingAddress',
				'cartId',
				'coupons',
				'createdAt',
				'currency',
				'customer',
				'discount',
				'financialStatus',
				'id',
				'landingPage',
				'lineItems',
				'number',
				'raw',
				'referrer',
				'refundedTotal',
				'shipping',
				'shippingAddress',
				'source',
				'status',
				'subtotal',
				'tax',
				'total',
				'updatedAt',
				'utm',
			].sort(),
		);
		expect(order.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
		expect(JSON.parse(JSON.stringify(order))).toEqual(order);
		expect(order.raw).toEqual(fixture());
	});

	it.each(ORDERS)('%s: a missing id is an error naming the id field', (source) => {
		const error = normalizationError(() => normalizeOrder(source, {}));
		expect(error).toBeInstanceOf(NormalizationError);
		expect(error.field).toMatch(/(^|\.)(id|salesorder_id)$/);
		expect(error.message).toContain('is missing');
	});

	it.each(ORDERS)('%s: the payload is not modified', (source, fixture) => {
		const payload = fixture();
		const before = JSON.stringify(payload);
		normalizeOrder(source, payload, { keepRaw: false });
		expect(JSON.stringify(payload)).toBe(before);
	});

	it('keepRaw: false leaves raw out on every entity', () => {
		const options = { keepRaw: false };
		expect(normalizeCart('shopify', shopify.checkout(), options)).not.toHaveProperty('raw');
		expect(normalizeCustomer('woocommerce', woo.customer(), options)).not.toHaveProperty('raw');
		expect(normalizeRefund('custom', custom.refund(), options)).not.toHaveProperty('raw');
		expect(normalizeOrder('zohoCommerce', zoho.salesOrder(), options)).not.toHaveProperty('raw');
	});

	it('an unknown source is named', () => {
		expect(normalizationError(() => normalizeOrder('magento' as SourceStore, {})).field).toBe('source');
		expect(normalizationError(() => normalizeOrder('__proto__' as SourceStore, {})).field).toBe('source');
	});

	it.each(['shopify', 'woocommerce', 'zohoCommerce', 'custom'] as SourceStore[])('%s: null, a list or text as payload is an error, not a crash', (source) => {
		for (const payload of [null, undefined, [], 'order', 42]) {
			for (const normalize of [normalizeOrder, normalizeCart, normalizeCustomer, normalizeRefund]) {
				expect(() => normalize(source, payload)).toThrow(NormalizationError);
			}
		}
	});

	it('a bad zone option is named as "zone" for every store', () => {
		expect(normalizationError(() => normalizeOrder('woocommerce', woo.legacyOrder(), { zone: 'Nowhere/Land' })).field).toBe('zone');
	});
});
