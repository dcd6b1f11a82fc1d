/**
 * Shopify Admin REST webhook bodies → canonical model. A webhook body is the REST resource JSON:
 * - orders/create|updated|paid|cancelled|fulfilled: https://shopify.dev/docs/api/admin-rest/latest/resources/order
 * - checkouts/create|update: https://shopify.dev/docs/api/admin-rest/latest/resources/abandoned-checkouts
 * - customers/create|update: https://shopify.dev/docs/api/admin-rest/latest/resources/customer
 * - refunds/create: https://shopify.dev/docs/api/admin-rest/latest/resources/refund
 * Amounts are decimal strings ("199.65"), times ISO-8601 with an offset.
 */
import { normalizeCurrency } from '../money';
import type { Address, Cart, Consent, Customer, LineItem, Order, OrderStatus, Refund, Utm } from '../types';
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
	firstText,
	isRecord,
	isTaxIdKey,
	keepsRaw,
	mapRecords,
	optionalBoolean,
	optionalCount,
	optionalId,
	optionalList,
	optionalMoney,
	optionalRecord,
	optionalText,
	optionalTime,
	parseTags,
	readContext,
	requireRecord,
	requiredId,
	requiredMoney,
	requiredTime,
	sumMoney,
} from './shared';

function currencyOf(payload: Json): string | null {
	const key = firstKey(payload, ['currency', 'presentment_currency']);
	return key === null ? null : normalizeCurrency(payload[key], key);
}

function address(obj: Json, key: string, prefix = ''): Address | null {
	const raw = optionalRecord(obj, key, prefix);
	if (!raw) return null;
	const path = fieldPath(prefix, key);
	return buildAddress({
		company: optionalText(raw, 'company', path),
		firstName: optionalText(raw, 'first_name', path),
		lastName: optionalText(raw, 'last_name', path),
		line1: optionalText(raw, 'address1', path),
		line2: optionalText(raw, 'address2', path),
		city: optionalText(raw, 'city', path),
		region: firstText(raw, ['province_code', 'province'], path),
		postalCode: optionalText(raw, 'zip', path),
		country: countryOf(optionalText(raw, 'country_code', path), optionalText(raw, 'country', path)),
		phone: optionalText(raw, 'phone', path),
	});
}

/** `email_marketing_consent.state` (2022-04+), else the legacy `accepts_marketing` flag. */
function consentState(value: unknown): boolean | null {
	if (!isRecord(value) || typeof value.state !== 'string') return null;
	switch (value.state.toLowerCase()) {
		case 'subscribed':
			return true;
		case 'unsubscribed':
		case 'not_subscribed':
		case 'redacted':
		case 'invalid':
			return false;
		default:
			return null; // "pending": double opt-in not confirmed yet
	}
}

function customerConsent(customer: Json | null, fallbackAcceptsMarketing: boolean | null): Consent {
	const email = customer ? (consentState(customer.email_marketing_consent) ?? optionalBoolean(customer, 'accepts_marketing')) : null;
	const sms = customer ? (consentState(customer.sms_marketing_consent) ?? optionalBoolean(customer, 'accepts_sms_marketing')) : null;
	return { emailMarketing: email ?? fallbackAcceptsMarketing, smsMarketing: sms };
}

/** A name/value list (order `note_attributes`) as a lookup with lower-cased names. */
function noteAttributes(payload: Json): Map<string, string> {
	const map = new Map<string, string>();
	for (const entry of optionalList(payload, 'note_attributes')) {
		if (!isRecord(entry) || typeof entry.name !== 'string') continue;
		const value = entry.value;
		if (typeof value === 'string' && value.trim() !== '') map.set(entry.name.trim().toLowerCase(), value.trim());
		else if (typeof value === 'number') map.set(entry.name.trim().toLowerCase(), String(value));
	}
	return map;
}

function taxIdFrom(attributes: Map<string, string>): string | null {
	for (const [name, value] of attributes) if (isTaxIdKey(name.replace(/[\s-]+/g, '_'))) return value;
	return null;
}

/** The customer of an order or checkout: the embedded `customer`, filled from the payload's own contact fields. */
function embeddedCustomer(payload: Json, ctx: ReadContext, billing: Address | null, taxId: string | null): Customer {
	const customer = optionalRecord(payload, 'customer');
	const prefix = 'customer';
	const defaultAddress = customer ? address(customer, 'default_address', prefix) : null;
	const email = firstText(payload, ['email', 'contact_email']) ?? (customer ? optionalText(customer, 'email', prefix) : null);
	return buildCustomer({
		id: customer ? optionalId(customer, 'id', prefix) : null,
		email,
		firstName: (customer ? optionalText(customer, 'first_name', prefix) : null) ?? billing?.firstName ?? null,
		lastName: (customer ? optionalText(customer, 'last_name', prefix) : null) ?? billing?.lastName ?? null,
		phone: optionalText(payload, 'phone') ?? (customer ? optionalText(customer, 'phone', prefix) : null) ?? billing?.phone ?? defaultAddress?.phone ?? null,
		company: billing?.company ?? defaultAddress?.company ?? null,
		taxId,
		consent: customerConsent(customer, optionalBoolean(payload, 'buyer_accepts_marketing')),
		createdAt: customer ? optionalTime(customer, 'created_at', prefix, ctx) : null,
		updatedAt: customer ? optionalTime(customer, 'updated_at', prefix, ctx) : null,
		ordersCount: customer ? optionalCount(customer, 'orders_count', prefix) : null,
		totalSpent: customer ? optionalMoney(customer, 'total_spent', prefix, ctx) : null,
		tags: customer ? parseTags(customer.tags) : [],
	});
}

/** Line-level discounts: `discount_allocations[].amount` (current API), else the older `total_discount`. */
function lineDiscount(item: Json, path: string, ctx: ReadContext): number {
	const allocations = optionalList(item, 'discount_allocations', path);
	if (allocations.length > 0) {
		let sum = 0;
		allocations.forEach((allocation, index) => {
			const allocationPath = fieldPath(fieldPath(path, 'discount_allocations'), index);
			sum += optionalMoney(requireRecord(allocation, allocationPath, 'a discount allocation'), 'amount', allocationPath, ctx) ?? 0;
		});
		return sum;
	}
	return optionalMoney(item, 'total_discount', path, ctx) ?? 0;
}

function lineItem(item: Json, path: string, ctx: ReadContext, currency: string | null): LineItem {
	const quantity = optionalCount(item, 'quantity', path) ?? 1;
	const price = requiredMoney(item, 'price', path, ctx);
	// Checkouts give `line_price` (quantity × price); orders give line discounts instead.
	const linePrice = optionalMoney(item, 'line_price', path, ctx);
	return buildLineItem(
		{
			id: optionalId(item, 'id', path) ?? optionalId(item, 'key', path),
			sku: optionalText(item, 'sku', path),
			name: firstText(item, ['name', 'title'], path),
			quantity,
			price,
			total: linePrice ?? sumMoney([quantity * price, -lineDiscount(item, path, ctx)], currency),
			category: optionalText(item, 'product_type', path),
			productId: optionalId(item, 'product_id', path),
			variantId: optionalId(item, 'variant_id', path),
		},
		currency,
	);
}

function lineItems(payload: Json, ctx: ReadContext, currency: string | null): LineItem[] {
	return mapRecords(payload, 'line_items', '', 'a line item', (item, path) => lineItem(item, path, ctx, currency));
}

/** UTM from note attributes (apps such as UTM trackers write them there), else from the landing URL. */
function utmOf(payload: Json, attributes: Map<string, string>): Utm {
	const explicit: Partial<Utm> = {
		source: attributes.get('utm_source') ?? null,
		medium: attributes.get('utm_medium') ?? null,
		campaign: attributes.get('utm_campaign') ?? null,
		term: attributes.get('utm_term') ?? null,
		content: attributes.get('utm_content') ?? null,
	};
	return mergeUtm(explicit, utmFromUrl(optionalText(payload, 'landing_site')));
}

/** Money out through refund transactions: `kind: "refund"` that did not fail. */
function refundTransactionsTotal(refund: Json, prefix: string, ctx: ReadContext): number | null {
	const transactions = optionalList(refund, 'transactions', prefix);
	let found = false;
	let total = 0;
	transactions.forEach((entry, index) => {
		const path = fieldPath(fieldPath(prefix, 'transactions'), index);
		const transaction = requireRecord(entry, path, 'a refund transaction');
		const kind = optionalText(transaction, 'kind', path);
		const status = optionalText(transaction, 'status', path);
		if (kind !== null && kind.toLowerCase() !== 'refund') return;
		if (status !== null && !['success', 'pending'].includes(status.toLowerCase())) return;
		found = true;
		total += Math.abs(requiredMoney(transaction, 'amount', path, ctx));
	});
	return found ? total : null;
}

function refundedTotal(payload: Json, ctx: ReadContext, currency: string | null, financialStatus: string | null, total: number): number {
	const refunds = optionalList(payload, 'refunds');
	if (refunds.length === 0) return financialStatus === 'refunded' ? total : 0;
	const amounts = refunds.map((entry, index) => {
		const path = fieldPath('refunds', index);
		return refundTransactionsTotal(requireRecord(entry, path, 'a refund'), path, ctx) ?? 0;
	});
	return sumMoney(amounts, currency);
}

function orderStatus(payload: Json, financialStatus: string | null): OrderStatus {
	if (optionalText(payload, 'cancelled_at') !== null) return 'cancelled';
	const fulfilled = optionalText(payload, 'fulfillment_status')?.toLowerCase() === 'fulfilled';
	switch (financialStatus) {
		case 'refunded':
			return 'refunded';
		case 'partially_refunded':
			return 'partially_refunded';
		case 'voided':
			return 'cancelled';
		case 'expired':
			return 'failed';
		case 'pending':
		case 'authorized':
		case 'partially_paid':
			return 'pending';
		case 'paid':
			return fulfilled ? 'fulfilled' : 'paid';
		default:
			return fulfilled ? 'fulfilled' : 'unknown';
	}
}

function shippingTotal(payload: Json, ctx: ReadContext, currency: string | null): number | null {
	const set = optionalRecord(payload, 'total_shipping_price_set');
	const shopMoney = set ? optionalRecord(set, 'shop_money', 'total_shipping_price_set') : null;
	if (shopMoney) {
		const amount = optionalMoney(shopMoney, 'amount', 'total_shipping_price_set.shop_money', ctx);
		if (amount !== null) return amount;
	}
	const lines = optionalList(payload, 'shipping_lines');
	if (lines.length === 0) return null;
	return sumMoney(
		lines.map((entry, index) => {
			const path = fieldPath('shipping_lines', index);
			return optionalMoney(requireRecord(entry, path, 'a shipping line'), 'price', path, ctx) ?? 0;
		}),
		currency,
	);
}

export function shopifyOrder(input: unknown, options: NormalizeOptions = {}): Order {
	const payload = requireRecord(input, 'payload', 'a Shopify order');
	const id = requiredId(payload, 'id', '', 'a Shopify order');
	const currency = currencyOf(payload);
	const ctx = readContext(options, currency);
	const financialStatus = optionalText(payload, 'financial_status')?.toLowerCase() ?? null;
	// `total_price` is what was charged; `current_total_price` (after edits and refunds) only stands in when it is absent.
	const total = requiredMoney(payload, firstKey(payload, ['total_price', 'current_total_price']) ?? 'total_price', '', ctx);
	const attributes = noteAttributes(payload);
	const billingAddress = address(payload, 'billing_address');
	const shippingAddress = address(payload, 'shipping_address');
	const order: Order = {
		id,
		number: optionalText(payload, 'name') ?? optionalId(payload, 'order_number'),
		source: 'shopify',
		createdAt: requiredTime(payload, ['created_at', 'processed_at'], '', ctx, 'a Shopify order'),
		updatedAt: optionalTime(payload, 'updated_at', '', ctx),
		status: orderStatus(payload, financialStatus),
		financialStatus,
		currency,
		total,
		subtotal: optionalMoney(payload, 'subtotal_price', '', ctx),
		tax: optionalMoney(payload, 'total_tax', '', ctx),
		discount: optionalMoney(payload, 'total_discounts', '', ctx),
		shipping: shippingTotal(payload, ctx, currency),
		refundedTotal: refundedTotal(payload, ctx, currency, financialStatus, total),
		customer: embeddedCustomer(payload, ctx, billingAddress ?? shippingAddress, taxIdFrom(attributes)),
		billingAddress,
		shippingAddress,
		lineItems: lineItems(payload, ctx, currency),
		coupons: mapRecords(payload, 'discount_codes', '', 'a discount code', (code, path) => optionalText(code, 'code', path)).filter(
			(code): code is string => code !== null,
		),
		utm: utmOf(payload, attributes),
		landingPage: optionalText(payload, 'landing_site'),
		referrer: optionalText(payload, 'referring_site'),
		cartId: optionalText(payload, 'checkout_token') ?? optionalText(payload, 'cart_token'),
	};
	if (keepsRaw(options)) order.raw = input;
	return order;
}

export function shopifyCart(input: unknown, options: NormalizeOptions = {}): Cart {
	const payload = requireRecord(input, 'payload', 'a Shopify checkout');
	// The token is what orders point back to (`checkout_token`), so it is the cart's id.
	const id = requiredId(payload, ['token', 'id'], '', 'a Shopify checkout');
	const currency = currencyOf(payload);
	const ctx = readContext(options, currency);
	const billingAddress = address(payload, 'billing_address');
	const shippingAddress = address(payload, 'shipping_address');
	const hasCustomer = isRecord(payload.customer) || firstText(payload, ['email', 'contact_email']) !== null;
	const customer = hasCustomer ? embeddedCustomer(payload, ctx, billingAddress ?? shippingAddress, null) : null;
	const cart: Cart = {
		id,
		source: 'shopify',
		email: customer?.email ?? null,
		emailInvalid: customer?.emailInvalid ?? null,
		phone: optionalText(payload, 'phone') ?? customer?.phone ?? shippingAddress?.phone ?? null,
		customer,
		currency,
		total: requiredMoney(payload, 'total_price', '', ctx),
		lineItems: lineItems(payload, ctx, currency),
		createdAt: requiredTime(payload, 'created_at', '', ctx, 'a Shopify checkout'),
		updatedAt: optionalTime(payload, 'updated_at', '', ctx),
		completedAt: optionalTime(payload, 'completed_at', '', ctx),
		recoveryUrl: optionalText(payload, 'abandoned_checkout_url'),
		utm: utmOf(payload, noteAttributes(payload)),
		landingPage: optionalText(payload, 'landing_site'),
	};
	if (keepsRaw(options)) cart.raw = input;
	return cart;
}

export function shopifyCustomer(input: unknown, options: NormalizeOptions = {}): Customer {
	const payload = requireRecord(input, 'payload', 'a Shopify customer');
	const id = requiredId(payload, 'id', '', 'a Shopify customer');
	const currency = normalizeCurrency(payload.currency);
	const ctx = readContext(options, currency);
	const defaultAddress = address(payload, 'default_address');
	const customer = buildCustomer({
		id,
		email: payload.email,
		firstName: optionalText(payload, 'first_name') ?? defaultAddress?.firstName ?? null,
		lastName: optionalText(payload, 'last_name') ?? defaultAddress?.lastName ?? null,
		phone: optionalText(payload, 'phone') ?? defaultAddress?.phone ?? null,
		company: defaultAddress?.company ?? null,
		consent: customerConsent(payload, null),
		createdAt: optionalTime(payload, 'created_at', '', ctx),
		updatedAt: optionalTime(payload, 'updated_at', '', ctx),
		ordersCount: optionalCount(payload, 'orders_count', ''),
		totalSpent: optionalMoney(payload, 'total_spent', '', ctx),
		tags: parseTags(payload.tags),
	});
	if (keepsRaw(options)) customer.raw = input;
	return customer;
}

export function shopifyRefund(input: unknown, options: NormalizeOptions = {}): Refund {
	const payload = requireRecord(input, 'payload', 'a Shopify refund');
	const id = requiredId(payload, 'id', '', 'a Shopify refund');
	const orderId = requiredId(payload, 'order_id', '', 'a Shopify refund');
	const firstTransaction = optionalList(payload, 'transactions').find(isRecord);
	const currency = normalizeCurrency(firstTransaction?.currency, 'transactions[0].currency');
	const ctx = readContext(options, currency);
	const items = mapRecords(payload, 'refund_line_items', '', 'a refund line item', (entry, path) => {
		const line = optionalRecord(entry, 'line_item', path) ?? {};
		const linePath = fieldPath(path, 'line_item');
		const quantity = Math.abs(optionalCount(entry, 'quantity', path, { allowNegative: true }) ?? 1);
		const subtotal = optionalMoney(entry, 'subtotal', path, ctx);
		const price = optionalMoney(line, 'price', linePath, ctx) ?? (subtotal !== null && quantity > 0 ? subtotal / quantity : 0);
		return buildLineItem(
			{
				id: optionalId(entry, 'line_item_id', path) ?? optionalId(line, 'id', linePath),
				sku: optionalText(line, 'sku', linePath),
				name: firstText(line, ['name', 'title'], linePath),
				quantity,
				price,
				total: subtotal === null ? null : Math.abs(subtotal),
				category: optionalText(line, 'product_type', linePath),
				productId: optionalId(line, 'product_id', linePath),
				variantId: optionalId(line, 'variant_id', linePath),
			},
			currency,
		);
	});
	// The money that went back is in the transactions; without them, the refunded lines plus tax.
	let amount = refundTransactionsTotal(payload, '', ctx);
	if (amount === null) {
		const lineTax = mapRecords(payload, 'refund_line_items', '', 'a refund line item', (entry, path) => Math.abs(optionalMoney(entry, 'total_tax', path, ctx) ?? 0));
		amount = sumMoney([...items.map((item) => item.total), ...lineTax], currency);
	}
	const refund: Refund = {
		id,
		orderId,
		source: 'shopify',
		createdAt: requiredTime(payload, ['created_at', 'processed_at'], '', ctx, 'a Shopify refund'),
		currency,
		amount: sumMoney([amount], currency),
		reason: optionalText(payload, 'note'),
		lineItems: items,
	};
	if (keepsRaw(options)) refund.raw = input;
	return refund;
}
