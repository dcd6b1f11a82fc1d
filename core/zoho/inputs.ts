import { normalizeEmail } from '../model/email';
import { NormalizationError, describeValue } from '../model/errors';
import { normalizeCurrency, parseMoney, parseOptionalMoney } from '../model/money';
import type { Utm } from '../model/types';
import { toIsoUtc, toOptionalIsoUtc } from '../model/time';
import { mergeUtm, utmFromUrl } from '../model/utm';

/**
 * Reads what the Zoho flows need from an item's JSON: a canonical Order (or a CommerceEvent
 * `{ entity: 'order', order }`), a Cart, the B2B Classifier's fields, the RFM Scorer's fields.
 * Problems raise NormalizationError naming the field, so the node can tell the operator which item
 * and which field is wrong.
 */

type Json = Record<string, unknown>;

function obj(value: unknown): Json | null {
	return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : null;
}

function text(value: unknown): string | null {
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value !== 'string') return null;
	const t = value.trim();
	return t === '' ? null : t;
}

/** Reads a dotted path (`order.customer.email`); a key containing dots is tried whole first. */
export function getPath(source: Json, path: string): unknown {
	if (path === '') return source;
	if (path in source) return source[path];
	let current: unknown = source;
	for (const key of path.split('.')) {
		const o = obj(current);
		if (!o || !Object.prototype.hasOwnProperty.call(o, key)) return undefined;
		current = o[key];
	}
	return current;
}

/**
 * The object to read from: the field the operator named, else `order`/`cart` when the item is a
 * CommerceEvent of that entity, else the item itself.
 */
export function selectEntity(json: Json, entity: 'order' | 'cart', fieldPath: string): { value: Json; prefix: string } {
	if (fieldPath) {
		const value = obj(getPath(json, fieldPath));
		if (!value) throw new NormalizationError(fieldPath, `should hold the ${entity} object, got ${describeValue(getPath(json, fieldPath))} — point "${entity === 'order' ? 'Order' : 'Cart'} Field" at the ${entity}, or leave it empty`);
		return { value, prefix: `${fieldPath}.` };
	}
	if (json.entity === entity && obj(json[entity])) return { value: json[entity] as Json, prefix: `${entity}.` };
	if (json.entity && json.entity !== entity && typeof json.entity === 'string') {
		throw new NormalizationError('entity', `is "${json.entity}", but this operation needs ${entity === 'order' ? 'an order' : 'a cart'} — filter the items before this node`);
	}
	return { value: json, prefix: '' };
}

export interface Person {
	email: string;
	firstName: string | null;
	lastName: string | null;
	phone: string | null;
	company: string | null;
	customerId: string | null;
}

export interface PostalAddress {
	street: string | null;
	city: string | null;
	region: string | null;
	postalCode: string | null;
	country: string | null;
}

export interface OrderFacts {
	id: string;
	number: string;
	createdAt: string;
	status: string;
	financialStatus: string | null;
	source: string | null;
	currency: string | null;
	total: number;
	refundedTotal: number;
	person: Person;
	address: PostalAddress | null;
	utm: Utm;
	lineItems: Array<{ sku: string | null; name: string | null; quantity: number; price: number; total: number }>;
}

function requireEmail(raw: unknown, field: string, emailInvalid?: unknown): string {
	const { email, invalid } = normalizeEmail(raw);
	if (email) return email;
	const bad = invalid ?? text(emailInvalid);
	if (bad) throw new NormalizationError(field, `is not a valid email address (${describeValue(bad)}) — Zoho CRM matches people by email; fix the address in the store`, bad);
	throw new NormalizationError(field, 'is empty — Zoho CRM matches people by email; this order or cart has no email (guest checkout without email?)');
}

function readAddress(value: unknown): PostalAddress | null {
	const a = obj(value);
	if (!a) return null;
	const line1 = text(a.line1);
	const line2 = text(a.line2);
	const street = line1 && line2 ? `${line1}, ${line2}` : line1 ?? line2;
	const address = { street, city: text(a.city), region: text(a.region), postalCode: text(a.postalCode), country: text(a.country) };
	return Object.values(address).some((v) => v !== null) ? address : null;
}

/** Reads a canonical Order (see core/model/types.ts) for the CRM sync. */
export function readOrder(json: Json, orderField = ''): OrderFacts {
	const { value: order, prefix } = selectEntity(json, 'order', orderField);
	const id = text(order.id);
	if (!id) throw new NormalizationError(`${prefix}id`, 'is empty — every order needs the store\'s order id (it becomes the order number in Zoho CRM when there is no number)');
	const customer = obj(order.customer) ?? {};
	const billing = obj(order.billingAddress);
	const shipping = obj(order.shippingAddress);
	const email = requireEmail(customer.email ?? order.email, `${prefix}customer.email`, customer.emailInvalid);
	const currency = normalizeCurrency(order.currency, `${prefix}currency`);
	const utmRaw = obj(order.utm) ?? {};
	const utm = mergeUtm(utmRaw as Partial<Utm>, utmFromUrl(text(order.landingPage)));
	const lineItems = (Array.isArray(order.lineItems) ? order.lineItems : []).map((raw, index) => {
		const li = obj(raw) ?? {};
		const quantity = typeof li.quantity === 'number' && Number.isFinite(li.quantity) ? li.quantity : Number(li.quantity) || 1;
		const price = parseOptionalMoney(li.price, `${prefix}lineItems[${index}].price`) ?? 0;
		return { sku: text(li.sku), name: text(li.name), quantity, price, total: parseOptionalMoney(li.total, `${prefix}lineItems[${index}].total`) ?? price * quantity };
	});
	return {
		id,
		number: text(order.number) ?? id,
		createdAt: toIsoUtc(order.createdAt, `${prefix}createdAt`),
		status: text(order.status) ?? 'unknown',
		financialStatus: text(order.financialStatus),
		source: text(order.source),
		currency,
		total: parseMoney(order.total, `${prefix}total`),
		refundedTotal: parseOptionalMoney(order.refundedTotal, `${prefix}refundedTotal`) ?? 0,
		person: {
			email,
			firstName: text(customer.firstName) ?? text(billing?.firstName) ?? text(shipping?.firstName),
			lastName: text(customer.lastName) ?? text(billing?.lastName) ?? text(shipping?.lastName),
			phone: text(customer.phone) ?? text(billing?.phone) ?? text(shipping?.phone),
			company: text(customer.company) ?? text(billing?.company),
			customerId: text(customer.id),
		},
		address: readAddress(billing) ?? readAddress(shipping),
		utm,
		lineItems,
	};
}

export interface CartFacts {
	id: string;
	total: number;
	currency: string | null;
	recoveryUrl: string | null;
	abandonedAt: string;
	person: Person;
	utm: Utm;
	itemCount: number;
}

/** Reads a canonical Cart (or `{ entity: 'cart', cart }`) for the abandoned-cart Lead. */
export function readCart(json: Json, cartField = ''): CartFacts {
	const { value: cart, prefix } = selectEntity(json, 'cart', cartField);
	const id = text(cart.id);
	if (!id) throw new NormalizationError(`${prefix}id`, 'is empty — every cart needs the store\'s cart or checkout id');
	const customer = obj(cart.customer) ?? {};
	const email = requireEmail(cart.email ?? customer.email, `${prefix}email`, cart.emailInvalid);
	const abandonedAt = toOptionalIsoUtc(cart.updatedAt, `${prefix}updatedAt`) ?? toIsoUtc(cart.createdAt, `${prefix}createdAt`);
	return {
		id,
		total: parseMoney(cart.total, `${prefix}total`),
		currency: normalizeCurrency(cart.currency, `${prefix}currency`),
		recoveryUrl: text(cart.recoveryUrl),
		abandonedAt,
		person: {
			email,
			firstName: text(customer.firstName),
			lastName: text(customer.lastName),
			phone: text(cart.phone) ?? text(customer.phone),
			company: text(customer.company),
			customerId: text(customer.id),
		},
		utm: mergeUtm((obj(cart.utm) ?? {}) as Partial<Utm>, utmFromUrl(text(cart.landingPage))),
		itemCount: Array.isArray(cart.lineItems) ? cart.lineItems.length : 0,
	};
}

export interface B2bFieldNames {
	isB2B: string;
	accountKey: string;
	accountName: string;
}

export const DEFAULT_B2B_FIELDS: B2bFieldNames = { isB2B: 'isB2B', accountKey: 'accountKey', accountName: 'accountName' };

export interface B2bFacts {
	isB2B: boolean;
	accountKey: string | null;
	accountName: string | null;
}

/** Reads the B2B Classifier's fields (see B2bClassificationFields) from the item, top level or under `b2b`. */
export function readB2b(json: Json, names: B2bFieldNames = DEFAULT_B2B_FIELDS): B2bFacts {
	const nested = obj(json.b2b) ?? {};
	const pick = (path: string) => {
		const top = getPath(json, path);
		return top !== undefined ? top : getPath(nested, path);
	};
	const flag = pick(names.isB2B);
	const isB2B = flag === true || flag === 'true' || flag === 1;
	return { isB2B, accountKey: text(pick(names.accountKey)), accountName: text(pick(names.accountName)) };
}

/** The person's last name for Zoho when the store gave none: first name, else the email's local part. */
export function fallbackLastName(person: Person): string {
	return person.firstName ?? person.email.split('@')[0];
}
