/**
 * Generators of hostile input for the property-based tests under test/unit/hostile: what a store, a
 * spreadsheet export or an upstream Code node can really hand our nodes. Every generated record goes
 * through JSON.stringify/JSON.parse before use, because that is how n8n items and webhook bodies are
 * made: a `"__proto__"` key is then an own data property, exactly as an attacker's JSON delivers it.
 *
 * The shapes start from valid canonical records (so most runs reach deep code paths) and are then
 * mutated at random paths: values replaced by hostile ones, keys deleted, prototype keys added at
 * every level. Sizes are bounded (see MAX_* below) so that no property can hang.
 */
import fc from 'fast-check';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** Keys that reach Object.prototype when code assigns `target[key] = value` or merges recursively. */
export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

/** Keys that shadow inherited members or confuse naive lookups (`obj[key]` without hasOwnProperty). */
const TRICKY_KEYS = [
	...PROTOTYPE_KEYS,
	'toString',
	'valueOf',
	'hasOwnProperty',
	'__defineGetter__',
	'isPrototypeOf',
	'then',
	'length',
	'',
	' ',
	'0',
	'-1',
	'a.b',
	'[0]',
	'polluted',
] as const;

/** Strings that look like numbers, dates, emails or code but are not what they seem. */
const TRICKY_STRINGS = [
	'1,234.50',
	'1.234,50',
	'1 234,50',
	'$1,234.50',
	'€ 12,00',
	'12.345.678,9',
	'-0',
	'0x1F',
	'1e309',
	'-1e309',
	'1e-400',
	'NaN',
	'nan',
	'Infinity',
	'-Infinity',
	'+Inf',
	'∞',
	'9007199254740993',
	'99999999999999999999999',
	'',
	'   ',
	'\t\n',
	'null',
	'undefined',
	'true',
	'[object Object]',
	'2024-02-30',
	'2024-13-01T00:00:00Z',
	'0000-00-00 00:00:00',
	'31/12/2024',
	'12/31/2024',
	'2024-03-10T02:30:00',
	'2024-03-31T02:30:00+25:00',
	'275760-09-13T00:00:00Z',
	'-000001-01-01T00:00:00Z',
	'1700000000',
	'1700000000000',
	'T',
	'Z',
	'not an email',
	'a@b',
	'@example.com',
	' A@EXAMPLE.COM ',
	'x@example.com\u0000',
	'ｍａｉｌ@ｅｘａｍｐｌｅ.ｃｏｍ',
	'\u202Eevil',
	'\uD800',
	'💥🛒',
	'<script>alert(1)</script>',
	"'; DROP TABLE orders; --",
	'%s%n%x',
	'../../etc/passwd',
	'__proto__',
	'constructor',
	'=cmd|calc',
	'{{ $json.secret }}',
	'sha256=',
] as const;

const TRICKY_NUMBERS = [0, -0, -1, 1, 0.1, 1.005, -1e-10, 1e21, 1e308, -1e308, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, Number.MIN_VALUE, 2 ** 31, -(2 ** 31), 4.35] as const;

/** Bounds that keep every run fast. */
export const MAX_HUGE_STRING = 200_000;
export const MAX_LONG_ARRAY = 3_000;
export const MAX_DEPTH = 400;

const trickyString = fc.constantFrom(...TRICKY_STRINGS);
const anyText = fc.oneof(
	{ weight: 3, arbitrary: trickyString },
	{ weight: 2, arbitrary: fc.string({ maxLength: 30 }) },
	{ weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
	{ weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 10 }) },
);

/** A string of up to 200,000 characters (one character repeated, or a tricky value repeated). */
export const hugeString = fc
	.tuple(fc.constantFrom('9', 'a', '1,2', 'é', '💥', '<', ' ', '\\', '"'), fc.integer({ min: 5_000, max: MAX_HUGE_STRING }))
	.map(([unit, length]) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length));

const scalar: fc.Arbitrary<Json> = fc.oneof(
	{ weight: 4, arbitrary: anyText },
	{ weight: 2, arbitrary: fc.constantFrom<Json>(...TRICKY_NUMBERS) },
	{ weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
	{ weight: 1, arbitrary: fc.integer() },
	{ weight: 1, arbitrary: fc.boolean() },
	{ weight: 1, arbitrary: fc.constant(null) },
);

const key = fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...TRICKY_KEYS) }, { weight: 3, arbitrary: fc.string({ maxLength: 8 }) });

/** Builds an object with own properties only (a `__proto__` key stays a key, as JSON.parse makes it). */
function ownObject(entries: Array<[string, Json]>): JsonObject {
	const object: JsonObject = {};
	for (const [name, value] of entries) Object.defineProperty(object, name, { value, enumerable: true, writable: true, configurable: true });
	return object;
}

/** Arbitrary JSON of bounded size, with tricky keys and values at every level. */
export const hostileJson: fc.Arbitrary<Json> = fc.letrec<{ value: Json }>((tie) => ({
	value: fc.oneof(
		{ depthSize: 'small', withCrossShrink: true },
		scalar,
		fc.array(tie('value'), { maxLength: 5 }),
		fc.array(fc.tuple(key, tie('value')), { maxLength: 5 }).map(ownObject),
	),
})).value;

/** The classic pollution payloads: merged or assigned key by key, they would write to Object.prototype. */
export const pollutionPayload: fc.Arbitrary<Json> = fc.constantFrom<Json>(
	JSON.parse('{"__proto__": {"polluted": "yes", "isAdmin": true, "toString": "x"}}'),
	{ constructor: { prototype: { polluted: 'yes' } } },
	{ prototype: { polluted: 'yes' } },
	JSON.parse('{"__proto__": {"__proto__": {"polluted": "yes"}}}'),
	JSON.parse('[{"__proto__": {"polluted": "yes"}}]'),
);

/** A deeply nested value: `{a: {a: ...}}`, `[[[...]]]` or a mix, up to MAX_DEPTH levels. */
export const deepValue: fc.Arbitrary<Json> = fc
	.tuple(fc.integer({ min: 50, max: MAX_DEPTH }), fc.constantFrom('object', 'array', 'mixed', 'proto'))
	.map(([depth, kind]) => {
		let value: Json = 'bottom';
		for (let level = 0; level < depth; level++) {
			if (kind === 'array' || (kind === 'mixed' && level % 2 === 0)) value = [value];
			else if (kind === 'proto') value = ownObject([['__proto__', value]]);
			else value = { a: value };
		}
		return value;
	});

export const longArray: fc.Arbitrary<Json> = fc
	.tuple(fc.integer({ min: 500, max: MAX_LONG_ARRAY }), scalar)
	.map(([length, value]) => Array.from({ length }, () => value));

/** Any value a field may hold in hostile input. */
export const hostileValue: fc.Arbitrary<Json> = fc.oneof(
	{ weight: 10, arbitrary: scalar },
	{ weight: 3, arbitrary: hostileJson },
	{ weight: 2, arbitrary: pollutionPayload },
	{ weight: 1, arbitrary: fc.constantFrom<Json>({}, [], [null], [{}], { '': '' }) },
	{ weight: 1, arbitrary: hugeString },
	{ weight: 1, arbitrary: deepValue },
	{ weight: 1, arbitrary: longArray },
);

// ---------------------------------------------------------------------------------------------------
// Mutations of valid records

type Mutation =
	| { kind: 'replace'; at: number; value: Json }
	| { kind: 'delete'; at: number }
	| { kind: 'addKey'; at: number; key: string; value: Json }
	| { kind: 'wrap'; at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
	{ weight: 5, arbitrary: fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: hostileValue }) },
	{ weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }) },
	{
		weight: 3,
		arbitrary: fc.record({
			kind: fc.constant('addKey' as const),
			at: fc.nat(),
			key: fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS), key),
			value: fc.oneof(pollutionPayload, hostileValue),
		}),
	},
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant('wrap' as const), at: fc.nat() }) },
);

interface Slot {
	parent: JsonObject | Json[];
	key: string | number;
}

/** Every slot of a JSON tree (object properties and array elements), iteratively, up to a bound. */
function slots(root: JsonObject): Slot[] {
	const found: Slot[] = [];
	const stack: Array<JsonObject | Json[]> = [root];
	while (stack.length > 0 && found.length < 500) {
		const container = stack.pop()!;
		const keys: Array<string | number> = Array.isArray(container) ? container.map((_, index) => index).slice(0, 20) : Object.keys(container);
		for (const name of keys) {
			found.push({ parent: container, key: name });
			const value = (container as Record<string | number, Json>)[name];
			if (value !== null && typeof value === 'object') stack.push(value as JsonObject | Json[]);
		}
	}
	return found;
}

function objectsIn(root: JsonObject): JsonObject[] {
	const objects: JsonObject[] = [root];
	for (const slot of slots(root)) {
		const value = (slot.parent as Record<string | number, Json>)[slot.key];
		if (value !== null && typeof value === 'object' && !Array.isArray(value)) objects.push(value);
	}
	return objects;
}

function set(container: JsonObject | Json[], name: string | number, value: Json): void {
	// A copy, so a later mutation cannot make a shared constant contain itself.
	const copy = value === null || typeof value !== 'object' ? value : (JSON.parse(JSON.stringify(value)) as Json);
	Object.defineProperty(container, name, { value: copy, enumerable: true, writable: true, configurable: true });
}

function applyMutations(base: JsonObject, mutations: Mutation[]): JsonObject {
	const root = structuredClone(base);
	for (const change of mutations) {
		if (change.kind === 'addKey') {
			const objects = objectsIn(root);
			set(objects[change.at % objects.length], change.key, change.value);
			continue;
		}
		const all = slots(root);
		if (all.length === 0) continue;
		const slot = all[change.at % all.length];
		const current = (slot.parent as Record<string | number, Json>)[slot.key];
		if (change.kind === 'replace') set(slot.parent, slot.key, change.value);
		else if (change.kind === 'wrap') set(slot.parent, slot.key, [current]);
		else if (Array.isArray(slot.parent)) slot.parent.splice(Number(slot.key), 1);
		else delete slot.parent[slot.key as string];
	}
	return root;
}

/** What n8n would hold after the value went through JSON (webhook body, HTTP response, stored execution). */
export function viaJson<T>(value: T): T {
	return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * A valid record of the given shape, then 0 to 6 hostile mutations; 1 time in 12 a wholly arbitrary
 * JSON value instead (wrong type at the top: an array, a string, null).
 */
export function hostile(base: fc.Arbitrary<JsonObject>): fc.Arbitrary<JsonObject> {
	return fc.oneof(
		{ weight: 11, arbitrary: fc.tuple(base, fc.array(mutation, { maxLength: 6 })).map(([record, mutations]) => viaJson(applyMutations(record, mutations))) },
		{ weight: 1, arbitrary: hostileJson.map((value) => viaJson(value) as JsonObject) },
	);
}

/** Up to `max` hostile records. */
export function hostileItems(base: fc.Arbitrary<JsonObject>, max = 8): fc.Arbitrary<JsonObject[]> {
	return fc.array(hostile(base), { minLength: 1, maxLength: max });
}

// ---------------------------------------------------------------------------------------------------
// Valid shapes (canonical model, core/model/types.ts, and the RFM Scorer's customer fields)

const email = fc.oneof(
	fc.emailAddress({ size: 'xsmall' }),
	fc.constantFrom('Ann@Example.com', 'buyer@acme-gmbh.de', 'x@gmail.com', 'ops@mailinator.com', 'same@example.com'),
);
const isoDate = fc
	.integer({ min: Date.UTC(2015, 0, 1), max: Date.UTC(2025, 0, 1) })
	.map((ms) => new Date(ms).toISOString());
const money = fc.oneof(fc.integer({ min: 0, max: 5_000 }), fc.double({ min: 0, max: 50_000, noNaN: true }).map((v) => Math.round(v * 100) / 100));
const currency = fc.constantFrom('EUR', 'USD', 'GBP', 'JPY', 'eur', 'XXX');
const utm = fc.record({
	source: fc.constantFrom(null, 'google', 'newsletter'),
	medium: fc.constantFrom(null, 'cpc', 'email'),
	campaign: fc.constantFrom(null, 'spring', 'b2b-fair'),
	term: fc.constant(null),
	content: fc.constant(null),
});

export const canonicalCustomer: fc.Arbitrary<JsonObject> = fc.record({
	id: fc.oneof(fc.uuid(), fc.constantFrom('c1', 'c2', 'constructor')),
	email: fc.option(email, { nil: null }),
	emailInvalid: fc.constant(null),
	firstName: fc.constantFrom('Ann', 'Bo', null),
	lastName: fc.constantFrom('Smith', null),
	phone: fc.constantFrom('+4930123456', null),
	company: fc.constantFrom('Acme GmbH', null, ''),
	taxId: fc.constantFrom('DE123456789', null),
	consent: fc.record({ emailMarketing: fc.constantFrom(true, false, null), smsMarketing: fc.constantFrom(true, false, null) }),
	createdAt: fc.option(isoDate, { nil: null }),
	updatedAt: fc.constant(null),
	ordersCount: fc.option(fc.nat(50), { nil: null }),
	totalSpent: fc.option(money, { nil: null }),
	tags: fc.array(fc.constantFrom('wholesale', 'vip', 'b2b'), { maxLength: 3 }),
});

const lineItem = fc.record({
	id: fc.constantFrom('li1', 'li2'),
	sku: fc.constantFrom('SKU-1', 'SKU-2', null),
	name: fc.constantFrom('Widget', 'Pallet of widgets'),
	quantity: fc.integer({ min: 1, max: 500 }),
	price: money,
	total: money,
	category: fc.constant(null),
	productId: fc.constant(null),
	variantId: fc.constant(null),
});

const address = fc.record({
	company: fc.constantFrom('Acme GmbH', null),
	firstName: fc.constant(null),
	lastName: fc.constant(null),
	line1: fc.constantFrom('1 Main St', null),
	line2: fc.constant(null),
	city: fc.constantFrom('Berlin', 'Paris'),
	region: fc.constant(null),
	postalCode: fc.constantFrom('10115', null),
	country: fc.constantFrom('DE', 'FR', 'US'),
	phone: fc.constant(null),
});

export const canonicalOrder: fc.Arbitrary<JsonObject> = fc.record({
	id: fc.oneof(fc.uuid(), fc.constantFrom('o1', 'o2', '__proto__', 'toString')),
	number: fc.constantFrom('#1001', '#1002', null),
	source: fc.constantFrom('shopify', 'woocommerce', 'zohoCommerce', 'custom'),
	createdAt: isoDate,
	updatedAt: fc.constant(null),
	status: fc.constantFrom('paid', 'completed', 'cancelled', 'refunded', 'pending', 'unknown'),
	financialStatus: fc.constantFrom('paid', null),
	currency,
	total: money,
	subtotal: fc.option(money, { nil: null }),
	tax: fc.constant(null),
	discount: fc.constant(null),
	shipping: fc.constant(null),
	refundedTotal: fc.constantFrom(0, 5),
	customer: canonicalCustomer,
	billingAddress: fc.option(address, { nil: null }),
	shippingAddress: fc.constant(null),
	lineItems: fc.array(lineItem, { maxLength: 3 }),
	coupons: fc.constant([]),
	utm,
	landingPage: fc.constantFrom(null, 'https://shop.example.com/?utm_source=x'),
	referrer: fc.constant(null),
	cartId: fc.constantFrom(null, 'cart-1'),
	// Fields other nodes add on the way (B2B Classifier, Zoho CRM Upsert), read downstream.
	isB2B: fc.boolean(),
	accountKey: fc.constantFrom('acme-gmbh.de', null),
	accountName: fc.constantFrom('Acme GmbH', null),
});

export const canonicalCart: fc.Arbitrary<JsonObject> = fc.record({
	id: fc.oneof(fc.uuid(), fc.constantFrom('cart-1', '__proto__', 'constructor')),
	source: fc.constantFrom('shopify', 'custom'),
	email: fc.option(email, { nil: null }),
	emailInvalid: fc.constant(null),
	phone: fc.constantFrom('+4930123456', null),
	customer: fc.option(canonicalCustomer, { nil: null }),
	currency,
	total: money,
	lineItems: fc.array(lineItem, { maxLength: 2 }),
	createdAt: isoDate,
	updatedAt: fc.option(isoDate, { nil: null }),
	completedAt: fc.constant(null),
	recoveryUrl: fc.constantFrom('https://shop.example.com/cart/recover/1', null),
	utm,
	landingPage: fc.constant(null),
});

/** A Commerce Trigger event wrapping an entity: `{type, entity, order}` etc. */
export const triggerEvent: fc.Arbitrary<JsonObject> = fc.oneof(
	canonicalOrder.map((order) => ({ type: 'order.created', source: order.source, topic: 'orders/create', eventId: 'e1', receivedAt: order.createdAt, entity: 'order', order })),
	canonicalCart.map((cart) => ({ type: 'cart.abandoned', source: cart.source, topic: 'cart.abandoned', eventId: 'e2', receivedAt: cart.createdAt, entity: 'cart', cart })),
);

/** Pre-aggregated customers, as the RFM Scorer's "customers" input shape reads them. */
export const aggregatedCustomer: fc.Arbitrary<JsonObject> = fc.record({
	email: email,
	firstOrderAt: isoDate,
	lastOrderAt: isoDate,
	ordersCount: fc.oneof(fc.integer({ min: 0, max: 40 }), fc.constantFrom('3', '1,000')),
	totalSpent: fc.oneof(money, fc.constantFrom('1,234.50', '99.90')),
	currency,
	accountKey: fc.constantFrom('acme-gmbh.de', null),
	previousSegment: fc.constantFrom('champions', 'at_risk', null),
});

/** What the RFM Scorer writes per customer (RfmCustomerFields), as the router, Zoho and Customer.io read it. */
export const rfmCustomer: fc.Arbitrary<JsonObject> = fc.record({
	customerKey: email,
	accountKey: fc.constantFrom('acme-gmbh.de', null),
	recencyDays: fc.integer({ min: 0, max: 2000 }),
	frequency: fc.integer({ min: 1, max: 50 }),
	monetary: money,
	averageOrderValue: money,
	firstOrderAt: isoDate,
	lastOrderAt: isoDate,
	tenureDays: fc.integer({ min: 0, max: 3000 }),
	averageDaysBetweenOrders: fc.option(fc.integer({ min: 1, max: 400 }), { nil: null }),
	rScore: fc.integer({ min: 1, max: 5 }),
	fScore: fc.integer({ min: 1, max: 5 }),
	mScore: fc.integer({ min: 1, max: 5 }),
	rfmCode: fc.constantFrom('555', '111', '353'),
	segment: fc.constantFrom('champions', 'loyal', 'at_risk', 'cant_lose_them', 'hibernating', 'lost', 'new_customers', 'Champion'),
	segmentLabel: fc.constantFrom('Champions', 'At Risk', 'Lost'),
	lifecycleStage: fc.constantFrom('new', 'early_retention', 'loyal', 'at_risk', 'lapsed'),
	historicalClv: money,
	predictedClv: fc.option(money, { nil: null }),
	previousSegment: fc.constantFrom('champions', 'at_risk', null),
	segmentChanged: fc.boolean(),
	email: fc.option(email, { nil: null }),
	isB2B: fc.boolean(),
	zohoContactId: fc.constantFrom(null, '5725767000000411001'),
	emailMarketing: fc.constantFrom(true, false, null, 'yes'),
	lastContactedAt: fc.option(isoDate, { nil: null }),
	ordersLast90Days: fc.nat(10),
});
