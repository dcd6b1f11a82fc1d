/**
 * Custom stores: the documented generic JSON shape (docs/canonical-model.md, "Custom stores"), which
 * is the canonical field names themselves. Lenient by design, since these payloads are hand-built:
 * camelCase or snake_case names, money as numbers or text, ids as numbers or text, the entity either
 * at the top level or under `data` / `order` / `cart` / `customer` / `refund`.
 */
import { NormalizationError, describeValue } from '../errors';
import { normalizeCurrency } from '../money';
import type { Address, Cart, Consent, Customer, LineItem, Order, Refund, Utm } from '../types';
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
	keepsRaw,
	mapRecords,
	optionalBoolean,
	optionalCount,
	optionalId,
	optionalList,
	parseTags,
	readContext,
	requireRecord,
	requiredId,
	requiredMoney,
	requiredTime,
	statusFromName,
} from './shared';

type Entity = 'order' | 'cart' | 'customer' | 'refund';

/** The entity object: the payload itself, or its `data` / `<entity>` member. Checks `type` when given. */
function unwrap(input: unknown, entity: Entity): { obj: Json; prefix: string } {
	const payload = requireRecord(input, 'payload', `a custom-store ${entity}`);
	const type = typeof payload.type === 'string' ? payload.type.trim().toLowerCase() : null;
	const typeEntity = type?.split('.')[0] ?? null;
	if (typeEntity && ['order', 'cart', 'customer', 'refund'].includes(typeEntity) && typeEntity !== entity) {
		throw new NormalizationError('type', `says "${payload.type}", but a ${entity} was expected here`, payload.type);
	}
	const hasOwnId = firstKey(payload, ['id', `${entity}Id`, `${entity}_id`]) !== null;
	if (!hasOwnId) {
		for (const key of ['data', entity]) if (isRecord(payload[key])) return { obj: payload[key] as Json, prefix: key };
	}
	return { obj: payload, prefix: '' };
}

function firstId(obj: Json, keys: readonly string[], prefix: string): string | null {
	for (const key of keys) {
		const id = optionalId(obj, key, prefix);
		if (id !== null) return id;
	}
	return null;
}

function firstRecord(obj: Json, keys: readonly string[], prefix: string): { value: Json; path: string } | null {
	for (const key of keys) {
		const value = obj[key];
		if (value === undefined || value === null) continue;
		const path = fieldPath(prefix, key);
		return { value: requireRecord(value, path, key), path };
	}
	return null;
}

function currencyOf(obj: Json, prefix: string): string | null {
	const key = firstKey(obj, ['currency', 'currencyCode', 'currency_code']);
	return key === null ? null : normalizeCurrency(obj[key], fieldPath(prefix, key));
}

function address(obj: Json, keys: readonly string[], prefix: string): Address | null {
	const found = firstRecord(obj, keys, prefix);
	if (!found) return null;
	const { value: raw, path } = found;
	return buildAddress({
		company: firstText(raw, ['company', 'companyName', 'company_name'], path),
		firstName: firstText(raw, ['firstName', 'first_name'], path),
		lastName: firstText(raw, ['lastName', 'last_name'], path),
		line1: firstText(raw, ['line1', 'address1', 'address_1', 'street', 'address'], path),
		line2: firstText(raw, ['line2', 'address2', 'address_2', 'street2'], path),
		city: firstText(raw, ['city'], path),
		region: firstText(raw, ['region', 'state', 'province', 'provinceCode', 'province_code'], path),
		postalCode: firstText(raw, ['postalCode', 'postal_code', 'zip', 'postcode'], path),
		country: countryOf(firstText(raw, ['countryCode', 'country_code'], path), firstText(raw, ['country'], path)),
		phone: firstText(raw, ['phone'], path),
	});
}

function consentOf(obj: Json, prefix: string): Partial<Consent> {
	const consent = firstRecord(obj, ['consent'], prefix)?.value ?? {};
	return {
		emailMarketing:
			optionalBoolean(consent, 'emailMarketing') ?? optionalBoolean(consent, 'email_marketing') ?? optionalBoolean(obj, 'acceptsMarketing') ?? optionalBoolean(obj, 'accepts_marketing'),
		smsMarketing: optionalBoolean(consent, 'smsMarketing') ?? optionalBoolean(consent, 'sms_marketing') ?? optionalBoolean(obj, 'acceptsSmsMarketing'),
	};
}

/** A customer from `obj` (its own fields), with `fallback` (e.g. the order's top level) filling gaps. */
function customerFrom(obj: Json, prefix: string, ctx: ReadContext, fallback: { obj: Json; prefix: string } | null, billing: Address | null): Customer {
	const text = (keys: readonly string[]) => firstText(obj, keys, prefix) ?? (fallback ? firstText(fallback.obj, keys, fallback.prefix) : null);
	const emailKeys = ['email', 'emailAddress', 'email_address'];
	const emailKey = firstKey(obj, emailKeys);
	const fallbackEmailKey = fallback ? firstKey(fallback.obj, emailKeys) : null;
	const email = emailKey !== null ? obj[emailKey] : fallback && fallbackEmailKey !== null ? fallback.obj[fallbackEmailKey] : null;
	const tagsKey = firstKey(obj, ['tags']);
	return buildCustomer({
		id: firstId(obj, ['id', 'customerId', 'customer_id'], prefix) ?? (fallback ? firstId(fallback.obj, ['customerId', 'customer_id'], fallback.prefix) : null),
		email,
		firstName: text(['firstName', 'first_name']) ?? billing?.firstName ?? null,
		lastName: text(['lastName', 'last_name']) ?? billing?.lastName ?? null,
		phone: text(['phone', 'phoneNumber', 'phone_number']) ?? billing?.phone ?? null,
		company: text(['company', 'companyName', 'company_name']) ?? billing?.company ?? null,
		taxId: text(['taxId', 'tax_id', 'vatNumber', 'vat_number', 'vatId', 'vat_id']),
		consent: (() => {
			const own = consentOf(obj, prefix);
			const outer = fallback ? consentOf(fallback.obj, fallback.prefix) : {};
			return { emailMarketing: own.emailMarketing ?? outer.emailMarketing, smsMarketing: own.smsMarketing ?? outer.smsMarketing };
		})(),
		createdAt: firstTime(obj, ['createdAt', 'created_at'], prefix, ctx),
		updatedAt: firstTime(obj, ['updatedAt', 'updated_at'], prefix, ctx),
		ordersCount: (() => {
			const key = firstKey(obj, ['ordersCount', 'orders_count']);
			return key === null ? null : optionalCount(obj, key, prefix);
		})(),
		totalSpent: firstMoney(obj, ['totalSpent', 'total_spent'], prefix, ctx),
		tags: tagsKey === null ? [] : parseTags(obj[tagsKey]),
	});
}

/** `refund`: quantities and amounts may be negative (as stores write refunds) and are made positive. */
function lineItems(obj: Json, prefix: string, ctx: ReadContext, currency: string | null, refund = false): LineItem[] {
	const key = firstKey(obj, ['lineItems', 'line_items', 'items']) ?? 'lineItems';
	return mapRecords(obj, key, prefix, 'a line item', (item, path) => {
		const quantityKey = firstKey(item, ['quantity', 'qty']);
		const quantity = Math.abs(quantityKey === null ? 1 : (optionalCount(item, quantityKey, path, { allowNegative: refund }) ?? 1));
		const signedTotal = firstMoney(item, ['total', 'lineTotal', 'line_total'], path, ctx);
		const total = signedTotal !== null && refund ? Math.abs(signedTotal) : signedTotal;
		const unit = firstMoney(item, ['price', 'unitPrice', 'unit_price'], path, ctx);
		const price = (unit !== null && refund ? Math.abs(unit) : unit) ?? (total !== null && quantity > 0 ? total / quantity : null);
		if (price === null) throw new NormalizationError(fieldPath(path, 'price'), 'is missing: a line item needs "price" (unit price) or "total"', item.price);
		return buildLineItem(
			{
				id: firstId(item, ['id', 'lineItemId', 'line_item_id'], path),
				sku: firstText(item, ['sku'], path),
				name: firstText(item, ['name', 'title'], path),
				quantity,
				price,
				total,
				category: firstText(item, ['category', 'productType', 'product_type'], path),
				productId: firstId(item, ['productId', 'product_id'], path),
				variantId: firstId(item, ['variantId', 'variant_id'], path),
			},
			currency,
		);
	});
}

function utmOf(obj: Json, prefix: string, landingPage: string | null): Utm {
	const nested = firstRecord(obj, ['utm'], prefix);
	const read = (name: keyof Utm) => {
		const capital = name[0].toUpperCase() + name.slice(1);
		return (nested ? firstText(nested.value, [name, `utm_${name}`], nested.path) : null) ?? firstText(obj, [`utm_${name}`, `utm${capital}`], prefix);
	};
	const explicit: Partial<Utm> = { source: read('source'), medium: read('medium'), campaign: read('campaign'), term: read('term'), content: read('content') };
	return mergeUtm(explicit, utmFromUrl(landingPage));
}

function couponsOf(obj: Json, prefix: string): string[] {
	const listKey = firstKey(obj, ['coupons', 'couponCodes', 'coupon_codes', 'discountCodes', 'discount_codes']);
	if (listKey !== null) {
		const value = obj[listKey];
		if (typeof value === 'string') return parseTags(value);
		return optionalList(obj, listKey, prefix)
			.map((entry, index) => {
				if (typeof entry === 'string') return entry.trim();
				if (isRecord(entry)) return firstText(entry, ['code'], fieldPath(fieldPath(prefix, listKey), index)) ?? '';
				throw new NormalizationError(fieldPath(fieldPath(prefix, listKey), index), `expected a coupon code, got ${describeValue(entry)}`, entry);
			})
			.filter((code) => code !== '');
	}
	const single = firstText(obj, ['coupon', 'couponCode', 'coupon_code'], prefix);
	return single ? [single] : [];
}

export function customOrder(input: unknown, options: NormalizeOptions = {}): Order {
	const { obj, prefix } = unwrap(input, 'order');
	const id = requiredId(obj, ['id', 'orderId', 'order_id'], prefix, 'a custom-store order');
	const currency = currencyOf(obj, prefix);
	const ctx = readContext(options, currency);
	const billingAddress = address(obj, ['billingAddress', 'billing_address', 'billing'], prefix);
	const shippingAddress = address(obj, ['shippingAddress', 'shipping_address'], prefix);
	const nestedCustomer = firstRecord(obj, ['customer'], prefix);
	const customer = nestedCustomer
		? customerFrom(nestedCustomer.value, nestedCustomer.path, ctx, { obj, prefix }, billingAddress ?? shippingAddress)
		: customerFrom({}, prefix, ctx, { obj, prefix }, billingAddress ?? shippingAddress);
	const landingPage = firstText(obj, ['landingPage', 'landing_page', 'landingSite', 'landing_site'], prefix);
	const status = statusFromName(firstText(obj, ['status', 'orderStatus', 'order_status'], prefix));
	const financialStatus = firstText(obj, ['financialStatus', 'financial_status', 'paymentStatus', 'payment_status'], prefix);
	const order: Order = {
		id,
		number: firstText(obj, ['number', 'orderNumber', 'order_number', 'name'], prefix),
		source: 'custom',
		createdAt: requiredTime(obj, ['createdAt', 'created_at', 'date'], prefix, ctx, 'a custom-store order'),
		updatedAt: firstTime(obj, ['updatedAt', 'updated_at'], prefix, ctx),
		status: status === 'unknown' ? statusFromName(financialStatus) : status,
		financialStatus: financialStatus?.toLowerCase() ?? null,
		currency,
		total: requiredMoney(obj, firstKey(obj, ['total', 'totalPrice', 'total_price']) ?? 'total', prefix, ctx),
		subtotal: firstMoney(obj, ['subtotal', 'subTotal', 'sub_total', 'subtotal_price'], prefix, ctx),
		tax: firstMoney(obj, ['tax', 'totalTax', 'total_tax'], prefix, ctx),
		discount: firstMoney(obj, ['discount', 'totalDiscount', 'total_discount', 'discount_total', 'total_discounts'], prefix, ctx),
		shipping: firstMoney(obj, ['shipping', 'shippingTotal', 'shipping_total'], prefix, ctx),
		refundedTotal: Math.abs(firstMoney(obj, ['refundedTotal', 'refunded_total', 'refunded'], prefix, ctx) ?? 0),
		customer,
		billingAddress,
		shippingAddress,
		lineItems: lineItems(obj, prefix, ctx, currency),
		coupons: couponsOf(obj, prefix),
		utm: utmOf(obj, prefix, landingPage),
		landingPage,
		referrer: firstText(obj, ['referrer', 'referringSite', 'referring_site'], prefix),
		cartId: firstText(obj, ['cartId', 'cart_id', 'checkoutId', 'checkout_id'], prefix),
	};
	if (keepsRaw(options)) order.raw = input;
	return order;
}

export function customCart(input: unknown, options: NormalizeOptions = {}): Cart {
	const { obj, prefix } = unwrap(input, 'cart');
	const id = requiredId(obj, ['id', 'cartId', 'cart_id', 'token'], prefix, 'a custom-store cart');
	const currency = currencyOf(obj, prefix);
	const ctx = readContext(options, currency);
	const nestedCustomer = firstRecord(obj, ['customer'], prefix);
	const hasContact = firstKey(obj, ['email', 'emailAddress', 'email_address', 'customerId', 'customer_id']) !== null;
	const customer = nestedCustomer
		? customerFrom(nestedCustomer.value, nestedCustomer.path, ctx, { obj, prefix }, null)
		: hasContact
			? customerFrom({}, prefix, ctx, { obj, prefix }, null)
			: null;
	const landingPage = firstText(obj, ['landingPage', 'landing_page', 'landingSite', 'landing_site'], prefix);
	const cart: Cart = {
		id,
		source: 'custom',
		email: customer?.email ?? null,
		emailInvalid: customer?.emailInvalid ?? null,
		phone: firstText(obj, ['phone', 'phoneNumber', 'phone_number'], prefix) ?? customer?.phone ?? null,
		customer,
		currency,
		total: requiredMoney(obj, firstKey(obj, ['total', 'totalPrice', 'total_price']) ?? 'total', prefix, ctx),
		lineItems: lineItems(obj, prefix, ctx, currency),
		createdAt: requiredTime(obj, ['createdAt', 'created_at'], prefix, ctx, 'a custom-store cart'),
		updatedAt: firstTime(obj, ['updatedAt', 'updated_at'], prefix, ctx),
		completedAt: firstTime(obj, ['completedAt', 'completed_at'], prefix, ctx),
		recoveryUrl: firstText(obj, ['recoveryUrl', 'recovery_url', 'abandonedCheckoutUrl', 'abandoned_checkout_url'], prefix),
		utm: utmOf(obj, prefix, landingPage),
		landingPage,
	};
	if (keepsRaw(options)) cart.raw = input;
	return cart;
}

export function customCustomer(input: unknown, options: NormalizeOptions = {}): Customer {
	const { obj, prefix } = unwrap(input, 'customer');
	const ctx = readContext(options);
	const billing = address(obj, ['billingAddress', 'billing_address', 'address', 'defaultAddress', 'default_address'], prefix);
	const customer = customerFrom(obj, prefix, ctx, null, billing);
	// A customer needs an identity: its id, or at least an email (even an invalid one, flagged).
	if (customer.id === null && customer.email === null && customer.emailInvalid === null) {
		throw new NormalizationError(fieldPath(prefix, 'id'), 'is missing: a custom-store customer needs "id" or "email"', obj.id);
	}
	if (keepsRaw(options)) customer.raw = input;
	return customer;
}

export function customRefund(input: unknown, options: NormalizeOptions = {}): Refund {
	const { obj, prefix } = unwrap(input, 'refund');
	const id = requiredId(obj, ['id', 'refundId', 'refund_id'], prefix, 'a custom-store refund');
	const orderId = requiredId(obj, ['orderId', 'order_id'], prefix, 'a custom-store refund');
	const currency = currencyOf(obj, prefix);
	const ctx = readContext(options, currency);
	const refund: Refund = {
		id,
		orderId,
		source: 'custom',
		createdAt: requiredTime(obj, ['createdAt', 'created_at', 'date'], prefix, ctx, 'a custom-store refund'),
		currency,
		amount: Math.abs(requiredMoney(obj, firstKey(obj, ['amount', 'total']) ?? 'amount', prefix, ctx)),
		reason: firstText(obj, ['reason', 'note'], prefix),
		lineItems: lineItems(obj, prefix, ctx, currency, true),
	};
	if (keepsRaw(options)) refund.raw = input;
	return refund;
}
