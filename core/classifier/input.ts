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
	/** `path` under each event prefix ("order." + path), built once. */
	prefixed: Record<string, string>;
}

function candidates(paths: string[], flatKeys: boolean): Candidate[] {
	return paths.map((path) => ({ path, get: compilePath(path, flatKeys), prefixed: { '': path } }));
}

function prefixedPath(candidate: Candidate, prefix: string): string {
	return (candidate.prefixed[prefix] ??= prefix + candidate.path);
}

/** Writes the first non-empty value among the candidate paths (or the first path with its empty value) into `into`. */
function readFirstPresent(source: unknown, list: Candidate[], prefix: string, into: ReadValue): void {
	for (const candidate of list) {
		const value = candidate.get(source);
		if (!isEmpty(value)) {
			into.value = value;
			into.path = prefixedPath(candidate, prefix);
			return;
		}
	}
	into.value = list[0].get(source);
	into.path = prefixedPath(list[0], prefix);
}

const CANONICAL = {
	email: candidates(['customer.email', 'customer.emailInvalid', 'email', 'emailInvalid'], false),
	total: candidates(['total'], false),
	currency: candidates(['currency'], false),
	company: candidates(['billingAddress.company', 'customer.company', 'company', 'shippingAddress.company'], false),
	taxId: candidates(['customer.taxId', 'taxId', 'billingAddress.taxId'], false),
	lineItems: candidates(['lineItems'], false),
	addresses: candidates(['billingAddress', 'shippingAddress'], false),
	names: [
		['customer.firstName', 'customer.lastName'],
		['billingAddress.firstName', 'billingAddress.lastName'],
		['shippingAddress.firstName', 'shippingAddress.lastName'],
		['firstName', 'lastName'],
	].map(([first, last]) => [compilePath(first, false), compilePath(last, false)] as const),
};

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

/**
 * Compiles the reader once per node run: mapped paths are read from the item's root (what the operator
 * sees in n8n's input panel); unmapped ones from the canonical places inside the (unwrapped) record.
 */
export function compileInputReader(mapping: FieldMapping = {}): (json: Json) => ClassifierInput {
	const mapped = (path: string | undefined): Candidate[] | null => (path && path.trim() !== '' ? candidates([path.trim()], true) : null);
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
	let record: unknown = json;
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
			const source = addresses ? json : record;
			for (const candidate of addresses ?? CANONICAL.addresses) addressText(candidate.get(source), texts);
			return texts;
		},
		personNames() {
			const names: string[] = [];
			for (const [first, last] of CANONICAL.names) {
				const firstName = first(record);
				const lastName = last(record);
				const name = `${typeof firstName === 'string' ? firstName : ''} ${typeof lastName === 'string' ? lastName : ''}`.trim();
				if (name !== '' && !names.includes(name)) names.push(name);
			}
			return names;
		},
	};

	return (item) => {
		json = item;
		// A Commerce Trigger event wraps its record under the entity's name.
		const entity = typeof item.entity === 'string' && ENTITIES.has(item.entity) && item[item.entity] !== null && typeof item[item.entity] === 'object' ? item.entity : null;
		record = entity ? item[entity] : item;
		const prefix = entity ? EVENT_PREFIXES[entity] : '';
		input.kind = recordKind(record, entity);
		const read = (own: Candidate[] | null, canonical: Candidate[], into: ReadValue) => (own ? readFirstPresent(item, own, '', into) : readFirstPresent(record, canonical, prefix, into));
		read(email, CANONICAL.email, input.email);
		input.hasTotal = total !== null || input.kind !== 'customer';
		if (input.hasTotal) read(total, CANONICAL.total, input.total);
		else {
			input.total.value = undefined;
			input.total.path = '';
		}
		read(currency, CANONICAL.currency, input.currency);
		read(company, CANONICAL.company, input.company);
		read(taxId, CANONICAL.taxId, input.taxId);
		input.largestQuantity = largestQuantity(lineItems ? lineItems[0].get(item) : CANONICAL.lineItems[0].get(record), quantity);
		return input;
	};
}
