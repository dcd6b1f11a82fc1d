/**
 * Readers the store normalisers share. Each reader takes the object, the key and the path of the
 * object inside the payload, so that an error names the exact payload field (`line_items[2].price`).
 * Absent optional data gives null; present but unreadable data throws a NormalizationError.
 */
import { normalizeEmail } from '../email';
import { NormalizationError, describeValue } from '../errors';
import { parseMoney, parseOptionalMoney, roundMoney, type MoneyParseOptions } from '../money';
import { toIsoUtc, toOptionalIsoUtc, type TimeParseOptions } from '../time';
import type { Address, Consent, Customer, LineItem, OrderStatus, SourceStore, Utm } from '../types';
import { EMPTY_UTM } from '../utm';

export type Json = Record<string, unknown>;

export interface NormalizeOptions {
	/** Default true: the store's payload is kept under `raw`. */
	keepRaw?: boolean;
	/** How the store writes amounts given as text; without it the separator is detected. */
	decimalSeparator?: '.' | ',';
	/** IANA zone for timestamps written without an offset; default UTC. */
	zone?: string;
}

/** The per-call settings every reader needs. */
export interface ReadContext {
	money: MoneyParseOptions;
	time: TimeParseOptions;
}

export const STORE_LABELS: Record<SourceStore, string> = {
	shopify: 'Shopify',
	woocommerce: 'WooCommerce',
	zohoCommerce: 'Zoho Commerce',
	custom: 'custom store',
};

export function readContext(options: NormalizeOptions = {}, currency?: string | null): ReadContext {
	return {
		money: { decimalSeparator: options.decimalSeparator, currency: currency ?? undefined },
		time: options.zone ? { zone: options.zone } : {},
	};
}

export function isRecord(value: unknown): value is Json {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `line_items` + 2 → `line_items[2]`; `customer` + `email` → `customer.email`; '' + `id` → `id`. */
export function fieldPath(prefix: string, key: string | number): string {
	if (typeof key === 'number') return `${prefix}[${key}]`;
	return prefix ? `${prefix}.${key}` : key;
}

export function requireRecord(value: unknown, field: string, what: string): Json {
	if (isRecord(value)) return value;
	throw new NormalizationError(field, `expected ${what} as a JSON object, got ${describeValue(value)}`, value);
}

/** The keepRaw default: true unless explicitly switched off. */
export function keepsRaw(options: NormalizeOptions | undefined): boolean {
	return options?.keepRaw !== false;
}

function absent(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** The first key of `keys` whose value is present (not undefined/null/blank text). */
export function firstKey(obj: Json, keys: readonly string[]): string | null {
	for (const key of keys) if (!absent(obj[key])) return key;
	return null;
}

/**
 * An identifier as text. Stores send ids as numbers (Shopify, WooCommerce) or strings (Zoho); both
 * become strings. Note that Shopify's 64-bit ids above 2^53 arrive already rounded by JSON.parse.
 */
export function optionalId(obj: Json, key: string, prefix = ''): string | null {
	const value = obj[key];
	if (absent(value)) return null;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value === 'string') return value.trim();
	if (typeof value === 'bigint') return value.toString();
	throw new NormalizationError(fieldPath(prefix, key), `expected an id (text or number), got ${describeValue(value)}`, value);
}

/** Like optionalId, but 0 (WooCommerce's "guest" customer and "no variation") counts as absent. */
export function optionalNonZeroId(obj: Json, key: string, prefix = ''): string | null {
	const id = optionalId(obj, key, prefix);
	return id === '0' ? null : id;
}

export function requiredId(obj: Json, keys: string | readonly string[], prefix: string, what: string): string {
	const list = typeof keys === 'string' ? [keys] : keys;
	for (const key of list) {
		const id = optionalId(obj, key, prefix);
		if (id !== null) return id;
	}
	const field = fieldPath(prefix, list[0]);
	throw new NormalizationError(field, `is missing: ${what} must carry "${list[0]}"`, obj[list[0]]);
}

/** Trimmed text; numbers become text; blank and absent give null. Objects are an error. */
export function optionalText(obj: Json, key: string, prefix = ''): string | null {
	const value = obj[key];
	if (absent(value)) return null;
	if (typeof value === 'string') return value.trim();
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	throw new NormalizationError(fieldPath(prefix, key), `expected text, got ${describeValue(value)}`, value);
}

/** The first present text among `keys`. */
export function firstText(obj: Json, keys: readonly string[], prefix = ''): string | null {
	for (const key of keys) {
		const text = optionalText(obj, key, prefix);
		if (text !== null) return text;
	}
	return null;
}

export function requiredMoney(obj: Json, key: string, prefix: string, ctx: ReadContext): number {
	const value = obj[key];
	if (absent(value)) {
		throw new NormalizationError(fieldPath(prefix, key), `is missing: expected an amount such as 12.50`, value);
	}
	return parseMoney(value, fieldPath(prefix, key), ctx.money);
}

export function optionalMoney(obj: Json, key: string, prefix: string, ctx: ReadContext): number | null {
	return parseOptionalMoney(obj[key], fieldPath(prefix, key), ctx.money);
}

/** The first present amount among `keys`, or null. */
export function firstMoney(obj: Json, keys: readonly string[], prefix: string, ctx: ReadContext): number | null {
	const key = firstKey(obj, keys);
	return key === null ? null : optionalMoney(obj, key, prefix, ctx);
}

/** A count such as a quantity: a number or numeric text, zero or more. */
export function optionalCount(obj: Json, key: string, prefix: string, options: { allowNegative?: boolean } = {}): number | null {
	const value = obj[key];
	if (absent(value)) return null;
	const field = fieldPath(prefix, key);
	const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim().replace(',', '.')) : NaN;
	if (!Number.isFinite(n)) throw new NormalizationError(field, `expected a number, got ${describeValue(value)}`, value);
	if (n < 0 && !options.allowNegative) throw new NormalizationError(field, `must be zero or more, got ${describeValue(value)}`, value);
	return n;
}

export function requiredTime(obj: Json, keys: string | readonly string[], prefix: string, ctx: ReadContext, what: string): string {
	const list = typeof keys === 'string' ? [keys] : keys;
	const key = firstKey(obj, list);
	if (key === null) {
		throw new NormalizationError(fieldPath(prefix, list[0]), `is missing: ${what} must carry a date and time in "${list[0]}"`, obj[list[0]]);
	}
	return toIsoUtc(obj[key], fieldPath(prefix, key), ctx.time);
}

export function optionalTime(obj: Json, key: string, prefix: string, ctx: ReadContext): string | null {
	return toOptionalIsoUtc(obj[key], fieldPath(prefix, key), ctx.time);
}

/** The first present time among `keys`, or null. */
export function firstTime(obj: Json, keys: readonly string[], prefix: string, ctx: ReadContext): string | null {
	const key = firstKey(obj, keys);
	return key === null ? null : optionalTime(obj, key, prefix, ctx);
}

/** An array field: absent → [], present but not a list → error naming the field. */
export function optionalList(obj: Json, key: string, prefix = ''): unknown[] {
	const value = obj[key];
	if (value === undefined || value === null) return [];
	if (!Array.isArray(value)) throw new NormalizationError(fieldPath(prefix, key), `expected a list, got ${describeValue(value)}`, value);
	return value;
}

/** An object field: absent → null, present but not an object → error naming the field. */
export function optionalRecord(obj: Json, key: string, prefix = ''): Json | null {
	const value = obj[key];
	if (value === undefined || value === null || value === '') return null;
	if (!isRecord(value)) throw new NormalizationError(fieldPath(prefix, key), `expected an object, got ${describeValue(value)}`, value);
	return value;
}

export function optionalBoolean(obj: Json, key: string): boolean | null {
	const value = obj[key];
	if (typeof value === 'boolean') return value;
	if (value === 1 || value === '1' || value === 'true' || value === 'yes') return true;
	if (value === 0 || value === '0' || value === 'false' || value === 'no') return false;
	return null;
}

/** Two-letter codes are upper-cased (ISO 3166-1 alpha-2); other text (a country name) is kept as given. */
export function countryOf(code: string | null, name: string | null): string | null {
	if (code && /^[A-Za-z]{2}$/.test(code)) return code.toUpperCase();
	if (name && /^[A-Za-z]{2}$/.test(name)) return name.toUpperCase();
	return code ?? name;
}

/** "Priya Raman" → ["Priya", "Raman"]; "Cher" → ["Cher", null]. */
export function splitName(full: string | null): [string | null, string | null] {
	if (!full) return [null, null];
	const parts = full.trim().split(/\s+/);
	if (parts.length === 1) return [parts[0], null];
	return [parts[0], parts.slice(1).join(' ')];
}

export function buildAddress(fields: Address): Address | null {
	const meaningful: Array<keyof Address> = ['company', 'firstName', 'lastName', 'line1', 'line2', 'city', 'region', 'postalCode', 'country'];
	return meaningful.some((key) => fields[key] !== null) ? fields : null;
}

export const UNKNOWN_CONSENT: Readonly<Consent> = Object.freeze({ emailMarketing: null, smsMarketing: null });

export interface CustomerFields extends Partial<Omit<Customer, 'email' | 'emailInvalid' | 'consent' | 'tags'>> {
	/** The address as received; validated and lower-cased here. */
	email?: unknown;
	consent?: Partial<Consent>;
	tags?: string[];
}

/** A Customer with every field present, the email checked the one way every node expects. */
export function buildCustomer(fields: CustomerFields): Customer {
	const { email, invalid } = normalizeEmail(fields.email);
	return {
		id: fields.id ?? null,
		email,
		emailInvalid: invalid,
		firstName: fields.firstName ?? null,
		lastName: fields.lastName ?? null,
		phone: fields.phone ?? null,
		company: fields.company ?? null,
		taxId: fields.taxId ?? null,
		consent: { emailMarketing: fields.consent?.emailMarketing ?? null, smsMarketing: fields.consent?.smsMarketing ?? null },
		createdAt: fields.createdAt ?? null,
		updatedAt: fields.updatedAt ?? null,
		ordersCount: fields.ordersCount ?? null,
		totalSpent: fields.totalSpent ?? null,
		tags: fields.tags ?? [],
	};
}

/** "vip, wholesale ,," → ["vip", "wholesale"]; a list of strings is trimmed the same way. */
export function parseTags(value: unknown): string[] {
	const parts = Array.isArray(value) ? value.filter((tag): tag is string => typeof tag === 'string') : typeof value === 'string' ? value.split(',') : [];
	return parts.map((tag) => tag.trim()).filter((tag) => tag !== '');
}

export interface LineItemFields {
	id: string | null;
	sku: string | null;
	name: string | null;
	quantity: number;
	price: number;
	/** Null: quantity × price. */
	total: number | null;
	category: string | null;
	productId: string | null;
	variantId: string | null;
}

export function buildLineItem(fields: LineItemFields, currency: string | null): LineItem {
	return {
		id: fields.id,
		sku: fields.sku,
		name: fields.name,
		quantity: fields.quantity,
		price: fields.price,
		total: fields.total ?? roundMoney(fields.quantity * fields.price, currency),
		category: fields.category,
		productId: fields.productId,
		variantId: fields.variantId,
	};
}

/** Maps each element of a list field, each with its own path (`line_items[3]`), objects only. */
export function mapRecords<T>(obj: Json, key: string, prefix: string, what: string, map: (item: Json, path: string, index: number) => T): T[] {
	const list = optionalList(obj, key, prefix);
	const out: T[] = new Array<T>(list.length);
	for (let index = 0; index < list.length; index++) {
		const path = fieldPath(fieldPath(prefix, key), index);
		out[index] = map(requireRecord(list[index], path, what), path, index);
	}
	return out;
}

export function sumMoney(amounts: number[], currency: string | null): number {
	let total = 0;
	for (const amount of amounts) total += amount;
	return roundMoney(total, currency);
}

export function emptyUtm(): Utm {
	return { ...EMPTY_UTM };
}

/**
 * VAT / tax ids as the common WooCommerce plugins and other stores store them in meta data:
 * `_billing_vat`, `vat_number`, `_vat_number`, `_billing_vat_id`, `billing_eu_vat_number`, ...
 * Keys are compared without leading underscores and case.
 */
const TAX_ID_KEYS = new Set([
	'billing_vat',
	'billing_vat_number',
	'billing_vat_id',
	'billing_eu_vat_number',
	'eu_vat_number',
	'vat',
	'vat_number',
	'vat_id',
	'vatid',
	'vat_reg_no',
	'tax_id',
	'tax_number',
	'billing_tax_id',
	'billing_cif',
	'billing_nif',
	'gst_no',
	'gstin',
	'tax_reg_no',
	'abn',
]);

export function isTaxIdKey(key: string): boolean {
	return TAX_ID_KEYS.has(key.replace(/^_+/, '').toLowerCase());
}

/** Canonical statuses given by name, with the spellings custom stores commonly use. */
const STATUS_SYNONYMS: Record<string, OrderStatus> = {
	pending: 'pending',
	pending_payment: 'pending',
	unpaid: 'pending',
	draft: 'pending',
	open: 'pending',
	new: 'pending',
	checkout_draft: 'pending',
	authorized: 'pending',
	paid: 'paid',
	processing: 'processing',
	confirmed: 'processing',
	in_progress: 'processing',
	fulfilled: 'fulfilled',
	shipped: 'fulfilled',
	delivered: 'fulfilled',
	completed: 'completed',
	complete: 'completed',
	closed: 'completed',
	cancelled: 'cancelled',
	canceled: 'cancelled',
	void: 'cancelled',
	voided: 'cancelled',
	declined: 'cancelled',
	refunded: 'refunded',
	returned: 'refunded',
	partially_refunded: 'partially_refunded',
	failed: 'failed',
	on_hold: 'on_hold',
	onhold: 'on_hold',
	hold: 'on_hold',
};

/** "On-Hold", "on hold", "partially-refunded" → canonical; anything else → "unknown". */
export function statusFromName(value: string | null): OrderStatus {
	if (!value) return 'unknown';
	const key = value.trim().toLowerCase().replace(/[\s-]+/g, '_');
	return STATUS_SYNONYMS[key] ?? 'unknown';
}
