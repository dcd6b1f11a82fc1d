/**
 * Reads what the classifier needs from one item's JSON: a canonical order, customer or cart, a Commerce
 * Trigger event wrapping one (`{entity: 'order', order: {...}}`), or any item whose fields the operator
 * mapped with dot paths. Unmapped fields are looked up where the canonical model keeps them.
 */

type Json = Record<string, unknown>;
type Getter = (source: unknown) => unknown;

/**
 * Dot paths, with `[n]` for list positions: `order.customer.email`, `line_items[0].quantity`.
 * `flatKeys`: also accept the whole path as one key when the nested reading finds nothing (items
 * flattened by earlier nodes hold "customer.email" as one key); on for the operator's own paths.
 */
export function compilePath(path: string, flatKeys = true): Getter {
	const keys = path
		.replace(/\[(\d+)\]/g, '.$1')
		.split('.')
		.filter((key) => key !== '');
	if (keys.length === 1) {
		const [key] = keys;
		return (source) => (source !== null && typeof source === 'object' ? (source as Json)[key] : undefined);
	}
	return (source) => {
		let value: unknown = source;
		for (let index = 0; index < keys.length; index++) {
			if (value === null || typeof value !== 'object') {
				value = undefined;
				break;
			}
			value = (value as Json)[keys[index]];
		}
		if (flatKeys && value === undefined && source !== null && typeof source === 'object') return (source as Json)[path];
		return value;
	};
}

export interface FieldMapping {
	email?: string;
	total?: string;
	currency?: string;
	company?: string;
	taxId?: string;
	lineItems?: string;
	/** The quantity's key inside each line item. */
	quantityKey?: string;
	/** Paths to address objects or address text. */
	addresses?: string[];
}

export type RecordKind = 'order' | 'cart' | 'customer' | 'other';

/** A value read from the item, with the path it was read from (or the first path tried), for messages. */
export interface ReadValue {
	value: unknown;
	path: string;
}

/**
 * What one item offers the classifier. The reader fills and returns the same object on every call
 * (100,000 items should not cost 100,000 × 7 short-lived objects): use it before reading the next item.
 */
export interface ClassifierInput {
	kind: RecordKind;
	email: ReadValue;
	/** False when the record has no order total by nature (a customer record); `total` is then empty. */
	hasTotal: boolean;
	total: ReadValue;
	currency: ReadValue;
	company: ReadValue;
	taxId: ReadValue;
	/** The largest numeric line-item quantity, 0 when there is none. */
	largestQuantity: number;
	/** Address lines (billing and shipping), as text; read on demand. */
	addressTexts(): string[];
	/** The shopper's own names, to spot a company field that only repeats them; read on demand. */
	personNames(): string[];
}

function isEmpty(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

interface Candidate {
	path: string;
	get: Getter;
}

function candidates(paths: string[], flatKeys: boolean): Candidate[] {
	return paths.map((path) => ({ path, get: compilePath(path, flatKeys) }));
}

/** A field the operator mapped: read from the item's root at their path. */
function readMapped(item: Json, candidate: Candidate, into: ReadValue): void {
	into.value = candidate.get(item);
	into.path = candidate.path;
}

/** Where the canonical model keeps each field, in the order tried (the first non-empty one is used). */
const CANONICAL_PATHS = {
	email: ['customer.email', 'customer.emailInvalid', 'email', 'emailInvalid'],
	total: ['total'],
	currency: ['currency'],
	company: ['billingAddress.company', 'customer.company', 'company', 'shippingAddress.company'],
	taxId: ['customer.taxId', 'taxId', 'billingAddress.taxId'],
} as const;
type CanonicalPaths = { -readonly [field in keyof typeof CANONICAL_PATHS]: readonly string[] };

function withPrefix(prefix: string): CanonicalPaths {
	const paths = {} as CanonicalPaths;
	for (const field of Object.keys(CANONICAL_PATHS) as Array<keyof CanonicalPaths>) paths[field] = CANONICAL_PATHS[field].map((path) => prefix + path);
	return paths;
}

function asObject(value: unknown): Json | undefined {
	return value !== null && typeof value === 'object' ? (value as Json) : undefined;
}

/** Index of the first non-empty value, 0 when all are empty. */
function firstPresent(a: unknown, b: unknown, c: unknown, d: unknown): number {
	return !isEmpty(a) ? 0 : !isEmpty(b) ? 1 : !isEmpty(c) ? 2 : !isEmpty(d) ? 3 : 0;
}

function pick(into: ReadValue, paths: readonly string[], a: unknown, b: unknown, c?: unknown, d?: unknown): void {
	const index = firstPresent(a, b, c, d);
	into.value = index === 0 ? a : index === 1 ? b : index === 2 ? c : d;
	into.path = paths[index];
}

const ENTITIES = new Set(['order', 'cart', 'customer', 'refund']);
const EVENT_PREFIXES: Record<string, string> = { order: 'order.', cart: 'cart.', customer: 'customer.', refund: 'refund.' };

function recordKind(record: unknown, entity: string | null): RecordKind {
	if (entity === 'order' || entity === 'cart' || entity === 'customer') return entity;
	if (record === null || typeof record !== 'object') return 'other';
	const fields = record as Json;
	if (Array.isArray(fields.lineItems) && 'customer' in fields) return 'order';
	if (Array.isArray(fields.lineItems) && 'recoveryUrl' in fields) return 'cart';
	if ('consent' in fields || 'ordersCount' in fields || 'totalSpent' in fields) return 'customer';
	return 'other';
}

/** Address keys that are not address lines (the company is a signal of its own). */
const NOT_ADDRESS_LINES = new Set([
	'company', 'firstName', 'lastName', 'first_name', 'last_name', 'name', 'email', 'phone', 'country', 'countryCode',
	'country_code', 'region', 'province', 'province_code', 'state', 'postalCode', 'postcode', 'zip',
]);

function addressText(value: unknown, into: string[]): void {
	if (typeof value === 'string') {
		if (value.trim() !== '') into.push(value);
		return;
	}
	if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
	const fields = value as Json;
	for (const key in fields) {
		const part = fields[key];
		if (typeof part === 'string' && part !== '' && !NOT_ADDRESS_LINES.has(key)) into.push(part);
	}
}

function largestQuantity(lineItems: unknown, quantity: Getter): number {
	if (!Array.isArray(lineItems)) return 0;
	let largest = 0;
	for (const line of lineItems) {
		const raw = quantity(line);
		const value = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
		if (value > largest) largest = value;
	}
	return largest;
}

/** largestQuantity for the canonical `quantity` key, read as a plain property. */
function largestQuantityOf(lineItems: unknown): number {
	if (!Array.isArray(lineItems)) return 0;
	let largest = 0;
	for (const line of lineItems) {
		const raw = line !== null && typeof line === 'object' ? (line as Json).quantity : undefined;
		const value = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
		if (value > largest) largest = value;
	}
	return largest;
}

function addPersonName(names: string[], firstName: unknown, lastName: unknown): void {
	const name = `${typeof firstName === 'string' ? firstName : ''} ${typeof lastName === 'string' ? lastName : ''}`.trim();
	if (name !== '' && !names.includes(name)) names.push(name);
}

/**
 * Compiles the reader once per node run: mapped paths are read from the item's root (what the operator
 * sees in n8n's input panel); unmapped ones from the canonical places inside the (unwrapped) record.
 */
export function compileInputReader(mapping: FieldMapping = {}): (json: Json) => ClassifierInput {
	const mapped = (path: string | undefined): Candidate | null => (path && path.trim() !== '' ? candidates([path.trim()], true)[0] : null);
	const email = mapped(mapping.email);
	const total = mapped(mapping.total);
	const currency = mapped(mapping.currency);
	const company = mapped(mapping.company);
	const taxId = mapped(mapping.taxId);
	const lineItems = mapped(mapping.lineItems);
	const quantity = compilePath(mapping.quantityKey?.trim() || 'quantity');
	const addressPaths = (mapping.addresses ?? []).map((path) => path.trim()).filter((path) => path !== '');
	const addresses = addressPaths.length ? candidates(addressPaths, true) : null;

	let json: Json = {};
	let record: Json = json;
	const input: ClassifierInput = {
		kind: 'other',
		email: { value: undefined, path: '' },
		hasTotal: true,
		total: { value: undefined, path: '' },
		currency: { value: undefined, path: '' },
		company: { value: undefined, path: '' },
		taxId: { value: undefined, path: '' },
		largestQuantity: 0,
		addressTexts() {
			const texts: string[] = [];
			if (addresses) for (const candidate of addresses) addressText(candidate.get(json), texts);
			else {
				addressText(record.billingAddress, texts);
				addressText(record.shippingAddress, texts);
			}
			return texts;
		},
		personNames() {
			const names: string[] = [];
			const customer = asObject(record.customer);
			const billing = asObject(record.billingAddress);
			const shipping = asObject(record.shippingAddress);
			addPersonName(names, customer?.firstName, customer?.lastName);
			addPersonName(names, billing?.firstName, billing?.lastName);
			addPersonName(names, shipping?.firstName, shipping?.lastName);
			addPersonName(names, record.firstName, record.lastName);
			return names;
		},
	};
	const pathsByPrefix: Record<string, CanonicalPaths> = { '': CANONICAL_PATHS };
	for (const prefix of Object.values(EVENT_PREFIXES)) pathsByPrefix[prefix] = withPrefix(prefix);
	const defaultQuantity = mapping.quantityKey === undefined || mapping.quantityKey.trim() === '' || mapping.quantityKey.trim() === 'quantity';

	return (item) => {
		json = item;
		// A Commerce Trigger event wraps its record under the entity's name.
		const entity = typeof item.entity === 'string' && ENTITIES.has(item.entity) && item[item.entity] !== null && typeof item[item.entity] === 'object' ? item.entity : null;
		record = entity ? (item[entity] as Json) : item;
		const paths = pathsByPrefix[entity ? EVENT_PREFIXES[entity] : ''];
		input.kind = recordKind(record, entity);
		// Unmapped fields: plain property reads at the canonical places (this runs once per item).
		const customer = asObject(record.customer);
		const billing = asObject(record.billingAddress);
		if (email) readMapped(item, email, input.email);
		else pick(input.email, paths.email, customer?.email, customer?.emailInvalid, record.email, record.emailInvalid);
		input.hasTotal = total !== null || input.kind !== 'customer';
		if (!input.hasTotal) {
			input.total.value = undefined;
			input.total.path = '';
		} else if (total) readMapped(item, total, input.total);
		else pick(input.total, paths.total, record.total, undefined);
		if (currency) readMapped(item, currency, input.currency);
		else pick(input.currency, paths.currency, record.currency, undefined);
		if (company) readMapped(item, company, input.company);
		else pick(input.company, paths.company, billing?.company, customer?.company, record.company, asObject(record.shippingAddress)?.company);
		if (taxId) readMapped(item, taxId, input.taxId);
		else pick(input.taxId, paths.taxId, customer?.taxId, record.taxId, billing?.taxId);
		const lines = lineItems ? lineItems.get(item) : record.lineItems;
		input.largestQuantity = defaultQuantity ? largestQuantityOf(lines) : largestQuantity(lines, quantity);
		return input;
	};
}
