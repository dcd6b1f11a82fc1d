/**
 * WooCommerce REST API v3 resources → canonical model. Webhook bodies (order.created/updated,
 * customer.created/updated) are the REST v3 resource JSON (WC_Webhook::build_payload).
 * - Order properties: https://woocommerce.github.io/woocommerce-rest-api-docs/#order-properties
 * - Customer properties: https://woocommerce.github.io/woocommerce-rest-api-docs/#customer-properties
 * - Refund properties: https://woocommerce.github.io/woocommerce-rest-api-docs/#order-refund-properties
 * - Order attribution meta (`_wc_order_attribution_*`, WooCommerce 8.5+): https://woocommerce.com/document/order-attribution-tracking/
 * `*_gmt` times are UTC without an offset; the others are the site's local time (the `zone` option).
 * Amounts are decimal strings ("29.35"); refund totals inside an order are negative.
 */
import { normalizeCurrency } from '../money';
import type { Address, Cart, Customer, LineItem, Order, OrderStatus, Refund, Utm } from '../types';
import { mergeUtm, utmFromUrl } from '../utm';
import {
	type Json,
	type NormalizeOptions,
	type ReadContext,
	buildAddress,
	buildCustomer,
	buildLineItem,
	countryOf,
	fieldPath,
	firstKey,
	isTaxIdKey,
	keepsRaw,
	mapRecords,
	optionalCount,
	optionalId,
	optionalMoney,
	optionalNonZeroId,
	optionalRecord,
	optionalText,
	readContext,
	requireRecord,
	requiredId,
	requiredMoney,
	sumMoney,
} from './shared';
import { NormalizationError } from '../errors';
import { toIsoUtc } from '../time';

/**
 * A WooCommerce time: `<key>_gmt` is UTC whatever the `zone` option says; the plain key is the site's
 * local time and read in the `zone` option. Null when neither is present.
 */
function wooTime(obj: Json, key: string, prefix: string, ctx: ReadContext): string | null {
	const gmtKey = `${key}_gmt`;
	const gmt = obj[gmtKey];
	if (gmt !== undefined && gmt !== null && gmt !== '') return toIsoUtc(gmt, fieldPath(prefix, gmtKey), { zone: 'utc' });
	const local = obj[key];
	if (local !== undefined && local !== null && local !== '') return toIsoUtc(local, fieldPath(prefix, key), ctx.time);
	return null;
}

function requiredWooTime(obj: Json, key: string, prefix: string, ctx: ReadContext, what: string): string {
	const time = wooTime(obj, key, prefix, ctx);
	if (time === null) throw new NormalizationError(fieldPath(prefix, `${key}_gmt`), `is missing: ${what} must carry "${key}_gmt" or "${key}"`, undefined);
	return time;
}

/** `meta_data` as a lookup by key (first non-empty value wins). */
function metaData(obj: Json, prefix = ''): Map<string, string> {
	const meta = new Map<string, string>();
	mapRecords(obj, 'meta_data', prefix, 'a meta data entry', (entry) => {
		const key = typeof entry.key === 'string' ? entry.key : null;
		const value = typeof entry.value === 'string' ? entry.value.trim() : typeof entry.value === 'number' ? String(entry.value) : '';
		if (key && value !== '' && !meta.has(key)) meta.set(key, value);
	});
	return meta;
}

function taxIdFrom(meta: Map<string, string>): string | null {
	for (const [key, value] of meta) if (isTaxIdKey(key)) return value;
	return null;
}

function address(obj: Json, key: 'billing' | 'shipping'): Address | null {
	const raw = optionalRecord(obj, key);
	if (!raw) return null;
	return buildAddress({
		company: optionalText(raw, 'company', key),
		firstName: optionalText(raw, 'first_name', key),
		lastName: optionalText(raw, 'last_name', key),
		line1: optionalText(raw, 'address_1', key),
		line2: optionalText(raw, 'address_2', key),
		city: optionalText(raw, 'city', key),
		region: optionalText(raw, 'state', key),
		postalCode: optionalText(raw, 'postcode', key),
		country: countryOf(optionalText(raw, 'country', key), null),
		phone: optionalText(raw, 'phone', key),
	});
}

const STATUS: Record<string, OrderStatus> = {
	pending: 'pending',
	'checkout-draft': 'pending',
	processing: 'processing',
	'on-hold': 'on_hold',
	completed: 'completed',
	cancelled: 'cancelled',
	refunded: 'refunded',
	failed: 'failed',
	trash: 'cancelled',
};

/** WooCommerce has no "partially refunded" status: a processing/completed order with refunds becomes one. */
function orderStatus(status: string | null, refunded: number, total: number): OrderStatus {
	const mapped = status ? (STATUS[status.toLowerCase()] ?? 'unknown') : 'unknown';
	if ((mapped === 'processing' || mapped === 'completed') && refunded > 0) return refunded >= total ? 'refunded' : 'partially_refunded';
	return mapped;
}

function financialStatus(status: OrderStatus, paid: boolean, refunded: number, total: number): string {
	if (status === 'refunded' || (refunded > 0 && refunded >= total)) return 'refunded';
	if (refunded > 0) return 'partially_refunded';
	return paid ? 'paid' : 'unpaid';
}

function lineItem(item: Json, path: string, ctx: ReadContext, currency: string | null, sign: 1 | -1): LineItem {
	const quantity = Math.abs(optionalCount(item, 'quantity', path, { allowNegative: sign < 0 }) ?? 1);
	const total = optionalMoney(item, 'total', path, ctx);
	// `price` is the unit price after discounts (a number in v3); older payloads only have totals.
	const price = optionalMoney(item, 'price', path, ctx) ?? (total !== null && quantity > 0 ? total / quantity : null);
	if (price === null) throw new NormalizationError(fieldPath(path, 'price'), 'is missing: a line item needs "price" or "total"', item.price);
	return buildLineItem(
		{
			id: optionalId(item, 'id', path),
			sku: optionalText(item, 'sku', path),
			name: optionalText(item, 'name', path),
			quantity,
			price: Math.abs(price),
			total: total === null ? null : Math.abs(total),
			category: null,
			productId: optionalNonZeroId(item, 'product_id', path),
			variantId: optionalNonZeroId(item, 'variation_id', path),
		},
		currency,
	);
}

/** Attribution meta first (WooCommerce 8.5+), gaps filled from the session entry URL's utm_* parameters. */
function attribution(meta: Map<string, string>): { utm: Utm; landingPage: string | null; referrer: string | null } {
	const prefix = '_wc_order_attribution_';
	const landingPage = meta.get(`${prefix}session_entry`) ?? null;
	const explicit: Partial<Utm> = {
		source: meta.get(`${prefix}utm_source`) ?? null,
		medium: meta.get(`${prefix}utm_medium`) ?? null,
		campaign: meta.get(`${prefix}utm_campaign`) ?? null,
		term: meta.get(`${prefix}utm_term`) ?? null,
		content: meta.get(`${prefix}utm_content`) ?? null,
	};
	// "(none)" is what the attribution script writes for an absent value.
	for (const key of Object.keys(explicit) as Array<keyof Utm>) if (explicit[key] === '(none)') explicit[key] = null;
	return { utm: mergeUtm(explicit, utmFromUrl(landingPage)), landingPage, referrer: meta.get(`${prefix}referrer`) ?? null };
}

export function wooOrder(input: unknown, options: NormalizeOptions = {}): Order {
	const payload = requireRecord(input, 'payload', 'a WooCommerce order');
	const id = requiredId(payload, 'id', '', 'a WooCommerce order');
	const currency = normalizeCurrency(payload.currency);
	const ctx = readContext(options, currency);
	const total = requiredMoney(payload, 'total', '', ctx);
	const refunds = mapRecords(payload, 'refunds', '', 'a refund', (refund, path) => Math.abs(optionalMoney(refund, 'total', path, ctx) ?? 0));
	const refundedTotal = sumMoney(refunds, currency);
	const rawStatus = optionalText(payload, 'status');
	const status = orderStatus(rawStatus, refundedTotal, total);
	const meta = metaData(payload);
	const billingAddress = address(payload, 'billing');
	const shippingAddress = address(payload, 'shipping');
	const billing = optionalRecord(payload, 'billing') ?? {};
	const items = mapRecords(payload, 'line_items', '', 'a line item', (item, path) => lineItem(item, path, ctx, currency, 1));
	// WooCommerce has no order subtotal field: it is the line items' pre-discount subtotals.
	const subtotals = mapRecords(payload, 'line_items', '', 'a line item', (item, path) => optionalMoney(item, 'subtotal', path, ctx));
	const { utm, landingPage, referrer } = attribution(meta);
	const order: Order = {
		id,
		number: optionalText(payload, 'number'),
		source: 'woocommerce',
		createdAt: requiredWooTime(payload, 'date_created', '', ctx, 'a WooCommerce order'),
		updatedAt: wooTime(payload, 'date_modified', '', ctx),
		status,
		financialStatus: financialStatus(status, wooTime(payload, 'date_paid', '', ctx) !== null, refundedTotal, total),
		currency,
		total,
		subtotal: subtotals.length > 0 && subtotals.every((value) => value !== null) ? sumMoney(subtotals as number[], currency) : null,
		tax: optionalMoney(payload, 'total_tax', '', ctx),
		discount: optionalMoney(payload, 'discount_total', '', ctx),
		shipping: optionalMoney(payload, 'shipping_total', '', ctx),
		refundedTotal,
		customer: buildCustomer({
			id: optionalNonZeroId(payload, 'customer_id'), // 0 = guest checkout
			email: billing.email,
			firstName: billingAddress?.firstName ?? shippingAddress?.firstName ?? null,
			lastName: billingAddress?.lastName ?? shippingAddress?.lastName ?? null,
			phone: billingAddress?.phone ?? shippingAddress?.phone ?? null,
			company: billingAddress?.company ?? shippingAddress?.company ?? null,
			taxId: taxIdFrom(meta),
		}),
		billingAddress,
		shippingAddress,
		lineItems: items,
		coupons: mapRecords(payload, 'coupon_lines', '', 'a coupon line', (line, path) => optionalText(line, 'code', path)).filter(
			(code): code is string => code !== null,
		),
		utm,
		landingPage,
		referrer,
		cartId: null,
	};
	if (keepsRaw(options)) order.raw = input;
	return order;
}

/**
 * WooCommerce has no cart webhooks: an order in "Pending payment" (or "Draft") is the open checkout,
 * its `payment_url` the way back to it, and the order's payment its completion.
 */
export function wooCart(input: unknown, options: NormalizeOptions = {}): Cart {
	const order = wooOrder(input, { ...options, keepRaw: false });
	const payload = input as Json;
	const cart: Cart = {
		id: order.id,
		source: 'woocommerce',
		email: order.customer.email,
		emailInvalid: order.customer.emailInvalid,
		phone: order.customer.phone,
		customer: order.customer,
		currency: order.currency,
		total: order.total,
		lineItems: order.lineItems,
		createdAt: order.createdAt,
		updatedAt: order.updatedAt,
		completedAt: wooTime(payload, 'date_paid', '', readContext(options, order.currency)),
		recoveryUrl: optionalText(payload, 'payment_url'),
		utm: order.utm,
		landingPage: order.landingPage,
	};
	if (keepsRaw(options)) cart.raw = input;
	return cart;
}

export function wooCustomer(input: unknown, options: NormalizeOptions = {}): Customer {
	const payload = requireRecord(input, 'payload', 'a WooCommerce customer');
	const id = requiredId(payload, 'id', '', 'a WooCommerce customer');
	const ctx = readContext(options);
	const billingAddress = address(payload, 'billing');
	const shippingAddress = address(payload, 'shipping');
	const billing = optionalRecord(payload, 'billing') ?? {};
	const email = firstKey(payload, ['email']) !== null ? payload.email : billing.email;
	const customer = buildCustomer({
		id,
		email,
		firstName: optionalText(payload, 'first_name') ?? billingAddress?.firstName ?? null,
		lastName: optionalText(payload, 'last_name') ?? billingAddress?.lastName ?? null,
		phone: billingAddress?.phone ?? shippingAddress?.phone ?? null,
		company: billingAddress?.company ?? shippingAddress?.company ?? null,
		taxId: taxIdFrom(metaData(payload)),
		createdAt: wooTime(payload, 'date_created', '', ctx),
		updatedAt: wooTime(payload, 'date_modified', '', ctx),
		// REST v3 dropped these; v2 payloads and some plugins still send them.
		ordersCount: optionalCount(payload, 'orders_count', ''),
		totalSpent: optionalMoney(payload, 'total_spent', '', ctx),
	});
	if (keepsRaw(options)) customer.raw = input;
	return customer;
}

/**
 * A refund resource (GET /orders/<id>/refunds/<refund_id>). The resource does not name its order,
 * so the payload must carry `order_id` (or `parent_id`), e.g. set from the request URL.
 */
export function wooRefund(input: unknown, options: NormalizeOptions = {}): Refund {
	const payload = requireRecord(input, 'payload', 'a WooCommerce refund');
	const id = requiredId(payload, 'id', '', 'a WooCommerce refund');
	const orderId = requiredId(payload, ['order_id', 'parent_id'], '', 'a WooCommerce refund (add the order id from the refund URL)');
	const currency = normalizeCurrency(payload.currency);
	const ctx = readContext(options, currency);
	const amountKey = firstKey(payload, ['amount', 'total']) ?? 'amount';
	const refund: Refund = {
		id,
		orderId,
		source: 'woocommerce',
		createdAt: requiredWooTime(payload, 'date_created', '', ctx, 'a WooCommerce refund'),
		currency,
		amount: Math.abs(requiredMoney(payload, amountKey, '', ctx)),
		reason: optionalText(payload, 'reason'),
		lineItems: mapRecords(payload, 'line_items', '', 'a refund line item', (item, path) => lineItem(item, path, ctx, currency, -1)),
	};
	if (keepsRaw(options)) refund.raw = input;
	return refund;
}
