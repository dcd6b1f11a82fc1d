/**
 * Zoho Commerce sales orders → canonical model. Zoho Commerce shares the Zoho Inventory/Books
 * sales-order shape.
 * - Sales order attributes and statuses: https://www.zoho.com/commerce/api/sales-orders.html,
 *   https://www.zoho.com/commerce/api/retrieve-sales-order.html, https://www.zoho.com/commerce/api/list-all-sales-orders.html
 * - Webhooks (X-ZOHO-Event `salesorder.*`, form-encoded body, the JSON in `JSONString`):
 *   https://www.zoho.com/commerce/api/webhooks.html
 * - Sales returns and refunds: https://www.zoho.com/commerce/api/refund-payment.html,
 *   https://www.zoho.com/commerce/api/change-status.html
 * Timestamps are ISO-8601 with an offset written without a colon ("2016-06-11T17:38:06-0700");
 * `date` is a bare day, read in the `zone` option. Amounts are numbers.
 */
import { NormalizationError, describeValue } from '../errors';
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
	firstMoney,
	firstText,
	firstTime,
	isRecord,
	isTaxIdKey,
	keepsRaw,
	mapRecords,
	optionalCount,
	optionalId,
	optionalList,
	optionalMoney,
	optionalRecord,
	optionalText,
	readContext,
	requireRecord,
	requiredId,
	requiredMoney,
	requiredTime,
	splitName,
	sumMoney,
} from './shared';

/** The entity inside `{ "salesorder": {...} }` (API and webhook envelope), with its path prefix for errors. */
function unwrap(input: unknown, keys: readonly string[], what: string): { obj: Json; prefix: string; envelope: Json } {
	const payload = requireRecord(input, 'payload', what);
	for (const key of keys) if (isRecord(payload[key])) return { obj: payload[key] as Json, prefix: key, envelope: payload };
	return { obj: payload, prefix: '', envelope: payload };
}

function address(obj: Json, key: string, prefix: string): Address | null {
	const raw = optionalRecord(obj, key, prefix);
	if (!raw) return null;
	const path = fieldPath(prefix, key);
	const [firstName, lastName] = splitName(optionalText(raw, 'attention', path));
	return buildAddress({
		company: optionalText(raw, 'company_name', path),
		firstName,
		lastName,
		line1: firstText(raw, ['address', 'street'], path),
		line2: optionalText(raw, 'street2', path),
		city: optionalText(raw, 'city', path),
		region: optionalText(raw, 'state', path),
		postalCode: optionalText(raw, 'zip', path),
		country: countryOf(optionalText(raw, 'country_code', path), optionalText(raw, 'country', path)),
		phone: optionalText(raw, 'phone', path),
	});
}

/** The first contact person given as an object (Inventory sometimes lists bare ids). */
function contactPerson(obj: Json, prefix: string): { person: Json; path: string } | null {
	for (const key of ['contact_person_details', 'contact_persons']) {
		const list = optionalList(obj, key, prefix);
		const primary = list.findIndex((entry) => isRecord(entry) && entry.is_primary_contact === true);
		const index = primary >= 0 ? primary : list.findIndex(isRecord);
		if (index >= 0) return { person: list[index] as Json, path: fieldPath(fieldPath(prefix, key), index) };
	}
	return null;
}

function taxIdOf(obj: Json): string | null {
	for (const key of ['gst_no', 'vat_reg_no', 'tax_reg_no', 'tax_id']) {
		const value = obj[key];
		if (typeof value === 'string' && value.trim() !== '' && isTaxIdKey(key)) return value.trim();
	}
	return null;
}

/** `custom_fields` as a lookup by api_name and label, normalised (`cf_utm_source`, "UTM Source" → `utm_source`). */
function customFields(obj: Json, prefix: string): Map<string, string> {
	const fields = new Map<string, string>();
	for (const entry of optionalList(obj, 'custom_fields', prefix)) {
		if (!isRecord(entry)) continue;
		const value = typeof entry.value === 'string' ? entry.value.trim() : typeof entry.value === 'number' ? String(entry.value) : '';
		if (value === '') continue;
		for (const name of [entry.api_name, entry.label, entry.placeholder]) {
			if (typeof name !== 'string') continue;
			const key = name.trim().toLowerCase().replace(/^cf_/, '').replace(/[^a-z0-9]+/g, '_');
			if (!fields.has(key)) fields.set(key, value);
		}
	}
	return fields;
}

function orderStatus(obj: Json, prefix: string): OrderStatus {
	const lower = (key: string) => optionalText(obj, key, prefix)?.toLowerCase() ?? null;
	const orderStatusText = lower('order_status');
	const status = lower('status');
	const statuses = [orderStatusText, status];
	if (statuses.some((value) => value === 'cancelled' || value === 'void' || value === 'declined')) return 'cancelled';
	const refund = lower('refund_status');
	if (refund === 'refunded' || orderStatusText === 'returned') return 'refunded';
	if (refund === 'partially_refunded') return 'partially_refunded';
	if (statuses.some((value) => value === 'completed' || value === 'closed')) return 'completed';
	const shipped = lower('shipped_status');
	if (shipped === 'shipped' || shipped === 'delivered' || shipped === 'fulfilled' || status === 'fulfilled') return 'fulfilled';
	if (statuses.some((value) => value === 'onhold' || value === 'on_hold')) return 'on_hold';
	if (lower('paid_status') === 'paid') return 'paid';
	if (statuses.some((value) => value === 'confirmed' || value === 'open' || value === 'invoiced' || value === 'partially_invoiced')) return 'processing';
	if (statuses.some((value) => value === 'pending' || value === 'draft')) return 'pending';
	return 'unknown';
}

function lineItem(item: Json, path: string, ctx: ReadContext, currency: string | null): LineItem {
	const quantity = Math.abs(optionalCount(item, 'quantity', path, { allowNegative: true }) ?? 1);
	const total = optionalMoney(item, 'item_total', path, ctx);
	const rate = firstMoney(item, ['rate', 'bcy_rate'], path, ctx) ?? (total !== null && quantity > 0 ? total / quantity : null);
	if (rate === null) throw new NormalizationError(fieldPath(path, 'rate'), 'is missing: a line item needs "rate" or "item_total"', item.rate);
	const productId = optionalId(item, 'product_id', path);
	const itemId = optionalId(item, 'item_id', path);
	return buildLineItem(
		{
			id: optionalId(item, 'line_item_id', path),
			sku: optionalText(item, 'sku', path),
			name: firstText(item, ['name', 'description'], path),
			quantity,
			price: rate,
			total,
			category: optionalText(item, 'category_name', path),
			// Zoho Commerce: product_id is the product, item_id its variant; Inventory has items only.
			productId: productId ?? itemId,
			variantId: productId !== null ? itemId : null,
		},
		currency,
	);
}

function refundedTotal(obj: Json, prefix: string, ctx: ReadContext, currency: string | null, total: number): number {
	const direct = optionalMoney(obj, 'refunded_amount', prefix, ctx);
	if (direct !== null) return Math.abs(direct);
	const returns = optionalList(obj, 'salesreturns', prefix);
	if (returns.length > 0) {
		return sumMoney(
			returns.map((entry, index) => {
				const path = fieldPath(fieldPath(prefix, 'salesreturns'), index);
				return Math.abs(optionalMoney(requireRecord(entry, path, 'a sales return'), 'refunded_amount', path, ctx) ?? 0);
			}),
			currency,
		);
	}
	return optionalText(obj, 'refund_status', prefix)?.toLowerCase() === 'refunded' ? total : 0;
}

function orderCustomer(obj: Json, prefix: string, ctx: ReadContext, billing: Address | null): Customer {
	const contact = contactPerson(obj, prefix);
	const person = contact?.person ?? {};
	const personPath = contact?.path ?? '';
	const [nameFirst, nameLast] = splitName(optionalText(obj, 'customer_name', prefix));
	const personFirst = optionalText(person, 'first_name', personPath);
	const personLast = optionalText(person, 'last_name', personPath);
	const usePersonName = personFirst !== null || personLast !== null;
	return buildCustomer({
		id: optionalId(obj, 'customer_id', prefix),
		email: firstText(obj, ['email', 'customer_email'], prefix) ?? optionalText(person, 'email', personPath),
		firstName: usePersonName ? personFirst : (billing?.firstName ?? nameFirst),
		lastName: usePersonName ? personLast : (billing?.lastName ?? nameLast),
		phone: firstText(person, ['mobile', 'phone'], personPath) ?? firstText(obj, ['mobile', 'phone'], prefix) ?? billing?.phone ?? null,
		company: optionalText(obj, 'company_name', prefix),
		taxId: taxIdOf(obj),
	});
}

export function zohoOrder(input: unknown, options: NormalizeOptions = {}): Order {
	const { obj, prefix } = unwrap(input, ['salesorder'], 'a Zoho Commerce sales order');
	const id = requiredId(obj, 'salesorder_id', prefix, 'a Zoho Commerce sales order');
	const currency = normalizeCurrency(obj.currency_code, fieldPath(prefix, 'currency_code'));
	const ctx = readContext(options, currency);
	const total = requiredMoney(obj, 'total', prefix, ctx);
	const billingAddress = address(obj, 'billing_address', prefix);
	const shippingAddress = address(obj, 'shipping_address', prefix);
	const custom = customFields(obj, prefix);
	const landingPage = custom.get('landing_page') ?? null;
	const explicitUtm: Partial<Utm> = {
		source: custom.get('utm_source') ?? null,
		medium: custom.get('utm_medium') ?? null,
		campaign: custom.get('utm_campaign') ?? null,
		term: custom.get('utm_term') ?? null,
		content: custom.get('utm_content') ?? null,
	};
	const coupon = optionalText(obj, 'coupon_code', prefix);
	const order: Order = {
		id,
		number: optionalText(obj, 'salesorder_number', prefix),
		source: 'zohoCommerce',
		createdAt: requiredTime(obj, ['created_time', 'date'], prefix, ctx, 'a Zoho Commerce sales order'),
		updatedAt: firstTime(obj, ['last_modified_time'], prefix, ctx),
		status: orderStatus(obj, prefix),
		financialStatus: firstText(obj, ['paid_status', 'invoiced_status'], prefix)?.toLowerCase() ?? null,
		currency,
		total,
		subtotal: optionalMoney(obj, 'sub_total', prefix, ctx),
		tax: optionalMoney(obj, 'tax_total', prefix, ctx),
		// `discount` is a percentage ("20.00%") or an amount depending on discount_type: only amounts are read.
		discount: firstMoney(obj, ['discount_total', 'discount_amount'], prefix, ctx),
		shipping: optionalMoney(obj, 'shipping_charge', prefix, ctx),
		refundedTotal: refundedTotal(obj, prefix, ctx, currency, total),
		customer: orderCustomer(obj, prefix, ctx, billingAddress),
		billingAddress,
		shippingAddress,
		lineItems: mapRecords(obj, 'line_items', prefix, 'a line item', (item, path) => lineItem(item, path, ctx, currency)),
		coupons: coupon ? [coupon] : [],
		utm: mergeUtm(explicitUtm, utmFromUrl(landingPage)),
		landingPage,
		referrer: custom.get('referrer') ?? null,
		cartId: null,
	};
	if (keepsRaw(options)) order.raw = input;
	return order;
}

/** Zoho Commerce sends no cart events; a draft or pending sales order stands for an open checkout. */
export function zohoCart(input: unknown, options: NormalizeOptions = {}): Cart {
	const order = zohoOrder(input, { ...options, keepRaw: false });
	const cart: Cart = {
		id: order.id,
		source: 'zohoCommerce',
		email: order.customer.email,
		emailInvalid: order.customer.emailInvalid,
		phone: order.customer.phone,
		customer: order.customer,
		currency: order.currency,
		total: order.total,
		lineItems: order.lineItems,
		createdAt: order.createdAt,
		updatedAt: order.updatedAt,
		completedAt: null,
		recoveryUrl: null,
		utm: order.utm,
		landingPage: order.landingPage,
	};
	if (keepsRaw(options)) cart.raw = input;
	return cart;
}

/**
 * A Zoho contact (`{ "contact": {...} }`, the Books/Inventory contact shape) or, when the payload is a
 * sales order, the order's customer.
 */
export function zohoCustomer(input: unknown, options: NormalizeOptions = {}): Customer {
	const envelope = requireRecord(input, 'payload', 'a Zoho Commerce customer');
	if (isRecord(envelope.salesorder) || envelope.salesorder_id !== undefined) {
		const order = zohoOrder(input, { ...options, keepRaw: false });
		if (order.customer.id === null) throw new NormalizationError(fieldPath(isRecord(envelope.salesorder) ? 'salesorder' : '', 'customer_id'), 'is missing: the sales order names no customer', undefined);
		const customer: Customer = { ...order.customer, createdAt: null, updatedAt: null };
		if (keepsRaw(options)) customer.raw = input;
		return customer;
	}
	const { obj, prefix } = unwrap(input, ['contact', 'customer'], 'a Zoho Commerce customer');
	const id = requiredId(obj, ['contact_id', 'customer_id'], prefix, 'a Zoho Commerce customer');
	const ctx = readContext(options);
	const billingAddress = address(obj, 'billing_address', prefix);
	const contact = contactPerson(obj, prefix);
	const person = contact?.person ?? {};
	const personPath = contact?.path ?? '';
	const [nameFirst, nameLast] = splitName(firstText(obj, ['contact_name', 'customer_name'], prefix));
	const firstName = optionalText(obj, 'first_name', prefix) ?? optionalText(person, 'first_name', personPath);
	const lastName = optionalText(obj, 'last_name', prefix) ?? optionalText(person, 'last_name', personPath);
	const hasName = firstName !== null || lastName !== null;
	const customer = buildCustomer({
		id,
		email: optionalText(obj, 'email', prefix) ?? optionalText(person, 'email', personPath),
		firstName: hasName ? firstName : nameFirst,
		lastName: hasName ? lastName : nameLast,
		phone: firstText(obj, ['mobile', 'phone'], prefix) ?? firstText(person, ['mobile', 'phone'], personPath) ?? billingAddress?.phone ?? null,
		company: optionalText(obj, 'company_name', prefix),
		taxId: taxIdOf(obj),
		createdAt: firstTime(obj, ['created_time'], prefix, ctx),
		updatedAt: firstTime(obj, ['last_modified_time'], prefix, ctx),
		tags: [],
	});
	if (keepsRaw(options)) customer.raw = input;
	return customer;
}

/**
 * A sales return (`{ "salesreturn": {...} }`) or a refund (`{ refund_id, refund_date, amount }`, as the
 * refund endpoints answer, plus the `salesorder_id` they were called with).
 */
export function zohoRefund(input: unknown, options: NormalizeOptions = {}): Refund {
	const { obj, prefix, envelope } = unwrap(input, ['salesreturn', 'salesreturns', 'refund'], 'a Zoho Commerce refund');
	const id = requiredId(obj, ['refund_id', 'salesreturn_id', 'creditnote_refund_id'], prefix, 'a Zoho Commerce refund');
	const linkedOrder = optionalList(obj, 'salesorders', prefix).find(isRecord);
	const orderId =
		optionalId(obj, 'salesorder_id', prefix) ??
		(linkedOrder ? optionalId(linkedOrder, 'salesorder_id', fieldPath(fieldPath(prefix, 'salesorders'), 0)) : null) ??
		(envelope !== obj ? optionalId(envelope, 'salesorder_id') : null);
	if (orderId === null) {
		throw new NormalizationError(fieldPath(prefix, 'salesorder_id'), 'is missing: a refund must name its sales order (add the id the refund was made for)', obj.salesorder_id);
	}
	const currency = normalizeCurrency(obj.currency_code, fieldPath(prefix, 'currency_code'));
	const ctx = readContext(options, currency);
	// A sales return's `total` is what was returned; `refunded_amount` what has gone back so far.
	const refunded = optionalMoney(obj, 'refunded_amount', prefix, ctx);
	const amountKey = firstKey(obj, ['amount', 'total']);
	let amount: number;
	if (refunded !== null && refunded !== 0) amount = refunded;
	else if (amountKey !== null) amount = requiredMoney(obj, amountKey, prefix, ctx);
	else throw new NormalizationError(fieldPath(prefix, 'amount'), `is missing: a refund needs "amount", got ${describeValue(obj.amount)}`, obj.amount);
	const refund: Refund = {
		id,
		orderId,
		source: 'zohoCommerce',
		createdAt: requiredTime(obj, ['created_time', 'refund_date', 'date'], prefix, ctx, 'a Zoho Commerce refund'),
		currency,
		amount: Math.abs(amount),
		reason: firstText(obj, ['reason', 'description'], prefix),
		lineItems: mapRecords(obj, 'line_items', prefix, 'a refund line item', (item, path) => lineItem(item, path, ctx, currency)),
	};
	if (keepsRaw(options)) refund.raw = input;
	return refund;
}

/**
 * Zoho Commerce POSTs webhooks form-encoded (`Content-Type: application/x-www-form-urlencoded`) with
 * the JSON in a `JSONString` field; some setups send the JSON itself. Accepts the raw text (or bytes)
 * or an already-parsed body and returns the JSON object.
 */
export function parseZohoCommerceBody(body: unknown, contentType?: string): unknown {
	if (body instanceof Uint8Array) body = Buffer.from(body).toString('utf8');
	if (isRecord(body)) {
		const jsonString = body.JSONString;
		if (jsonString === undefined) return body;
		if (isRecord(jsonString)) return jsonString;
		return parseJsonObject(jsonString, 'JSONString');
	}
	if (typeof body !== 'string') {
		throw new NormalizationError('body', `expected the webhook body as text or an object, got ${describeValue(body)}`, body);
	}
	const text = body.trim();
	if (text === '') throw new NormalizationError('body', 'is empty', body);
	if (/json/i.test(contentType ?? '') || text.startsWith('{')) return parseJsonObject(text, 'body');
	const form = new URLSearchParams(text);
	const jsonString = form.get('JSONString');
	if (jsonString !== null) return parseJsonObject(jsonString, 'JSONString');
	// The JSON posted URL-encoded without a field name arrives as one key with an empty value.
	const entries = [...form.entries()];
	if (entries.length === 1 && entries[0][1] === '' && entries[0][0].trim().startsWith('{')) return parseJsonObject(entries[0][0], 'body');
	throw new NormalizationError(
		'JSONString',
		`is missing: the form-encoded body has no JSONString field (fields: ${entries.map(([key]) => key).slice(0, 5).join(', ') || 'none'})`,
		undefined,
	);
}

function parseJsonObject(value: unknown, field: string): Json {
	if (typeof value !== 'string') throw new NormalizationError(field, `expected JSON text, got ${describeValue(value)}`, value);
	let parsed: unknown;
	let syntaxError: string | null = null;
	try {
		parsed = JSON.parse(value);
	} catch (error) {
		syntaxError = (error as Error).message;
	}
	if (syntaxError !== null) throw new NormalizationError(field, `is not valid JSON (${syntaxError})`, value);
	if (!isRecord(parsed)) throw new NormalizationError(field, `expected a JSON object, got ${describeValue(parsed)}`, parsed);
	return parsed;
}
