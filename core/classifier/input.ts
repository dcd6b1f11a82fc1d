/**
 * Reads what the classifier needs from one item's JSON: a canonical order, customer or cart, a Commerce
 * Trigger event wrapping one (`{entity: 'order', order: {...}}`), or any item whose fields the operator
 * mapped with dot paths. Unmapped fields are looked up where the canonical model keeps them.
 */

type Json = Record<string, unknown>;
type Getter = (source: unknown) => unknown;

/** Dot paths, with `[n]` for list positions: `order.customer.email`, `line_items[0].quantity`. */
export function compilePath(path: string): Getter {
	const keys = path
		.replace(/\[(\d+)\]/g, '.$1')
		.split('.')
		.filter((key) => key !== '');
	if (keys.length === 1) {
		const [key] = keys;
		return (source) => (source !== null && typeof source === 'object' ? (source as Json)[key] : undefined);
	}
	return (source) => {
		// A key that itself contains dots ("customer.email" as one flat key) wins over the nested reading.
		if (source !== null && typeof source === 'object' && path in (source as Json)) return (source as Json)[path];
		let value: unknown = source;
		for (const key of keys) {
			if (value === null || typeof value !== 'object') return undefined;
			value = (value as Json)[key];
		}
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

export interface ClassifierInput {
	kind: RecordKind;
	email: ReadValue;
	/** Null when the record has no order total by nature (a customer record). */
	total: ReadValue | null;
	currency: ReadValue;
	company: ReadValue;
	taxId: ReadValue;
	/** Quantities of the line items that have a numeric quantity. */
	quantities: number[];
	/** Address lines (billing and shipping), as text; read on demand. */
	addressTexts: () => string[];
	/** The shopper's own names, to spot a company field that only repeats them; read on demand. */
	personNames: () => string[];
}

function isEmpty(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

interface Candidate {
	path: string;
	get: Getter;
}

function candidates(paths: string[]): Candidate[] {
	return paths.map((path) => ({ path, get: compilePath(path) }));
}

/** The first non-empty value among the candidate paths, or the first path with its (empty) value. */
function firstPresent(source: unknown, list: Candidate[], prefix: string): ReadValue {
	for (const candidate of list) {
		const value = candidate.get(source);
		if (!isEmpty(value)) return { value, path: prefix + candidate.path };
	}
	return { value: list.length ? list[0].get(source) : undefined, path: prefix + (list[0]?.path ?? '') };
}

const CANONICAL = {
	email: candidates(['customer.email', 'customer.emailInvalid', 'email', 'emailInvalid']),
	total: candidates(['total']),
	currency: candidates(['currency']),
	company: candidates(['billingAddress.company', 'customer.company', 'company', 'shippingAddress.company']),
	taxId: candidates(['customer.taxId', 'taxId', 'billingAddress.taxId']),
	lineItems: candidates(['lineItems']),
	addresses: candidates(['billingAddress', 'shippingAddress']),
	names: [
		['customer.firstName', 'customer.lastName'],
		['billingAddress.firstName', 'billingAddress.lastName'],
		['shippingAddress.firstName', 'shippingAddress.lastName'],
		['firstName', 'lastName'],
	].map(([first, last]) => [compilePath(first), compilePath(last)] as const),
};

const ENTITIES = new Set(['order', 'cart', 'customer', 'refund']);

/** A Commerce Trigger event wraps its record under the entity's name. */
function unwrap(json: Json): { record: unknown; prefix: string; entity: string | null } {
	const entity = json.entity;
	if (typeof entity === 'string' && ENTITIES.has(entity) && json[entity] !== null && typeof json[entity] === 'object') {
		return { record: json[entity], prefix: `${entity}.`, entity };
	}
	return { record: json, prefix: '', entity: null };
}

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
	for (const [key, part] of Object.entries(value as Json)) {
		if (typeof part === 'string' && part !== '' && !NOT_ADDRESS_LINES.has(key)) into.push(part);
	}
}

function quantitiesOf(lineItems: unknown, quantity: Getter): number[] {
	if (!Array.isArray(lineItems)) return [];
	const result: number[] = [];
	for (const line of lineItems) {
		const raw = quantity(line);
		const value = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
		if (Number.isFinite(value)) result.push(value);
	}
	return result;
}

/**
 * Compiles the reader once per node run: mapped paths are read from the item's root (what the operator
 * sees in n8n's input panel); unmapped ones from the canonical places inside the (unwrapped) record.
 */
export function compileInputReader(mapping: FieldMapping = {}): (json: Json) => ClassifierInput {
	const mapped = (path: string | undefined): Candidate[] | null => (path && path.trim() !== '' ? candidates([path.trim()]) : null);
	const email = mapped(mapping.email);
	const total = mapped(mapping.total);
	const currency = mapped(mapping.currency);
	const company = mapped(mapping.company);
	const taxId = mapped(mapping.taxId);
	const lineItems = mapped(mapping.lineItems);
	const quantity = compilePath(mapping.quantityKey?.trim() || 'quantity');
	const addressPaths = (mapping.addresses ?? []).map((path) => path.trim()).filter((path) => path !== '');
	const addresses = addressPaths.length ? candidates(addressPaths) : null;

	return (json) => {
		const { record, prefix, entity } = unwrap(json);
		const kind = recordKind(record, entity);
		const read = (own: Candidate[] | null, canonical: Candidate[]) => (own ? firstPresent(json, own, '') : firstPresent(record, canonical, prefix));

		const addressTexts = () => {
			const texts: string[] = [];
			for (const candidate of addresses ?? CANONICAL.addresses) addressText(candidate.get(addresses ? json : record), texts);
			return texts;
		};
		const personNames = () => {
			const names: string[] = [];
			for (const [first, last] of CANONICAL.names) {
				const name = [first(record), last(record)].filter((part) => typeof part === 'string' && part.trim() !== '').join(' ');
				if (name !== '') names.push(name);
			}
			return names;
		};

		return {
			kind,
			email: read(email, CANONICAL.email),
			total: total ? firstPresent(json, total, '') : kind === 'customer' ? null : firstPresent(record, CANONICAL.total, prefix),
			currency: read(currency, CANONICAL.currency),
			company: read(company, CANONICAL.company),
			taxId: read(taxId, CANONICAL.taxId),
			quantities: quantitiesOf(lineItems ? lineItems[0].get(json) : CANONICAL.lineItems[0].get(record), quantity),
			addressTexts,
			personNames,
		};
	};
}
