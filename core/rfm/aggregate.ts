/**
 * Order hygiene and aggregation: input records (one per order, or one per pre-aggregated customer)
 * become a column table of customers. Every record either contributes to a customer or is reported
 * as an Exclusion with its index and reason; nothing else leaves this module.
 *
 * Orders are aggregated in linear passes over typed arrays: (1) read and validate each record,
 * (2) number the customers of the valid orders and list each customer's orders in input order
 * (keyGroups.ts), (3) per customer: drop superseded duplicates, apply the status, zero-value and refund
 * rules, and sum. No object is created per order, and few arrays: V8 counts typed arrays as external
 * memory and starts a full collection 64 MB past the last one, 0.6 s over a heap of a million items,
 * so a run keeps to about 60 bytes per order (one slot column less is one array less).
 */
import type { Zone } from 'luxon';

import { NormalizationError, describeValue } from '../model/errors';
import type { MoneyParseOptions } from '../model/money';
import { parseMoney, parseOptionalMoney } from '../model/money';
import type { FieldPath } from './readers';
import { isIsoUtcText, isoTimestampMillis } from '../model/timestamps';
import { groupKeys } from './keyGroups';
import { compilePath, createDateReader, createDayNumberer, customerKeyOf, fieldPath, readField } from './readers';

export type ExclusionReason =
	| 'not_an_order'
	| 'missing_customer_key'
	| 'invalid_date'
	| 'future_date'
	| 'invalid_amount'
	| 'invalid_order_count'
	| 'negative_total'
	| 'excluded_status'
	| 'duplicate_order'
	| 'duplicate_customer'
	| 'zero_value'
	| 'refund_without_order';

export const EXCLUSION_REASONS: readonly ExclusionReason[] = [
	'not_an_order',
	'missing_customer_key',
	'invalid_date',
	'future_date',
	'invalid_amount',
	'invalid_order_count',
	'negative_total',
	'excluded_status',
	'duplicate_order',
	'duplicate_customer',
	'zero_value',
	'refund_without_order',
];

/** Reasons that mean the input is wrong (as opposed to an order the hygiene rules leave out on purpose). */
export const INVALID_INPUT_REASONS: ReadonlySet<ExclusionReason> = new Set([
	'not_an_order',
	'missing_customer_key',
	'invalid_date',
	'future_date',
	'invalid_amount',
	'invalid_order_count',
	'negative_total',
]);

export interface Exclusion {
	/** Index of the input record. */
	index: number;
	reason: ExclusionReason;
	/** What is wrong and what to do, naming the item and the field. */
	message: string;
	field: string | null;
	customerKey: string | null;
	orderId: string | null;
}

export interface OrderFieldMap {
	customerKey: string;
	/** Read when the customer key field is empty (canonical orders: the customer id when there is no email). */
	customerKeyFallback: string;
	orderDate: string;
	total: string;
	refundedTotal: string;
	status: string;
	orderId: string;
	currency: string;
	accountKey: string;
	previousSegment: string;
}

export const DEFAULT_ORDER_FIELDS: OrderFieldMap = {
	customerKey: 'customer.email',
	customerKeyFallback: 'customer.id',
	orderDate: 'createdAt',
	total: 'total',
	refundedTotal: 'refundedTotal',
	status: 'status',
	orderId: 'id',
	currency: 'currency',
	accountKey: 'accountKey',
	previousSegment: 'previousSegment',
};

export interface CustomerFieldMap {
	customerKey: string;
	firstOrderDate: string;
	lastOrderDate: string;
	orderCount: string;
	totalSpend: string;
	currency: string;
	accountKey: string;
	previousSegment: string;
}

export const DEFAULT_CUSTOMER_FIELDS: CustomerFieldMap = {
	customerKey: 'email',
	firstOrderDate: 'firstOrderAt',
	lastOrderDate: 'lastOrderAt',
	orderCount: 'ordersCount',
	totalSpend: 'totalSpent',
	currency: 'currency',
	accountKey: 'accountKey',
	previousSegment: 'previousSegment',
};

export interface HygieneOptions {
	/** Order statuses (lower case) that are not purchases, e.g. cancelled. */
	excludedStatuses: readonly string[];
	/** Statuses (lower case) under which a negative total is a refund that nets off the customer's spend. */
	refundStatuses: readonly string[];
	/** Treat every negative total as a refund (exports that write refunds as negative order lines). */
	negativeTotalsAreRefunds: boolean;
	/** Count orders whose net value (total − refunds) is 0. */
	countZeroValueOrders: boolean;
	/** Count several orders of one customer on one calendar day as one purchase. */
	mergeSameDayOrders: boolean;
	money?: MoneyParseOptions;
}

export const DEFAULT_HYGIENE: HygieneOptions = {
	excludedStatuses: ['cancelled', 'canceled', 'failed', 'voided'],
	refundStatuses: ['refunded', 'partially_refunded'],
	negativeTotalsAreRefunds: false,
	countZeroValueOrders: false,
	mergeSameDayOrders: false,
};

export type RollUp = 'customer' | 'account';

export interface AggregationContext {
	zone: Zone;
	referenceMillis: number;
	rollUp?: RollUp;
}

/** One row per customer (or account), column-wise. Days are calendar days in the context's zone. */
export interface CustomerTable {
	size: number;
	keys: string[];
	accountKeys: Array<string | null>;
	previousSegments: Array<string | null>;
	/** Contacts of each account (account roll-up only). */
	contactKeys: string[][] | null;
	/** Counted orders, or purchase days when same-day orders are merged. */
	frequency: Float64Array;
	/** Distinct purchase days: BG/NBD repeat purchases x = purchaseDays − 1 (lifetimes' convention). */
	purchaseDays: Float64Array;
	/** Net spend: order totals minus refunds. */
	monetary: Float64Array;
	/** Spend after the first purchase day: the Gamma-Gamma model's repeat spend. */
	repeatSpend: Float64Array;
	firstAt: Float64Array;
	lastAt: Float64Array;
	/**
	 * firstAt / lastAt as the input wrote them, when that is exactly the output's form (new
	 * Date(ms).toISOString()); undefined where they must be formatted. Absent: format every one.
	 */
	firstAtText?: Array<string | undefined>;
	lastAtText?: Array<string | undefined>;
	firstDay: Int32Array;
	lastDay: Int32Array;
	/** Input indices of the records each row was built from: sourceIndex[sourceStart[k] .. sourceStart[k+1]). */
	sourceStart: Int32Array;
	sourceIndex: Int32Array;
}

export interface AggregationResult {
	table: CustomerTable;
	exclusions: Exclusion[];
	counts: Record<ExclusionReason, number>;
	recordsRead: number;
	ordersCounted: number;
	refundsApplied: number;
	/** Orders whose refunds exceeded their total (their net value is taken as 0). */
	overRefundedOrders: number;
	/** Customers whose refunds exceeded their spend (their monetary value is taken as 0). */
	negativeNetCustomers: number;
	currencies: Record<string, number>;
	referenceDay: number;
}

const ORDER_FIELD_LABELS: Record<keyof OrderFieldMap, string> = {
	customerKey: 'Customer Key Field',
	customerKeyFallback: 'Fallback Customer Key Field',
	orderDate: 'Order Date Field',
	total: 'Order Total Field',
	refundedTotal: 'Refunded Total Field',
	status: 'Status Field',
	orderId: 'Order ID Field',
	currency: 'Currency Field',
	accountKey: 'Account Key Field',
	previousSegment: 'Previous Segment Field',
};

const CUSTOMER_FIELD_LABELS: Record<keyof CustomerFieldMap, string> = {
	customerKey: 'Customer Key Field',
	firstOrderDate: 'First Order Date Field',
	lastOrderDate: 'Last Order Date Field',
	orderCount: 'Order Count Field',
	totalSpend: 'Total Spend Field',
	currency: 'Currency Field',
	accountKey: 'Account Key Field',
	previousSegment: 'Previous Segment Field',
};

function emptyCounts(): Record<ExclusionReason, number> {
	return Object.fromEntries(EXCLUSION_REASONS.map((reason) => [reason, 0])) as Record<ExclusionReason, number>;
}

function detailOf(error: unknown): string {
	if (error instanceof NormalizationError) return error.message.slice(error.field.length + 2);
	return error instanceof Error ? error.message : String(error);
}

function optionalText(value: unknown): string | null {
	if (typeof value === 'string') {
		const text = value.trim();
		return text === '' ? null : text;
	}
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The order inside a record: the record itself, or `order` of a canonical CommerceEvent. */
function orderRootOf(record: unknown): Record<string, unknown> | string {
	if (!isRecord(record)) return 'the item has no JSON object';
	const entity = record.entity;
	if (typeof entity === 'string' && ('eventId' in record || 'topic' in record || entity in record)) {
		if (entity === 'order' && isRecord(record.order)) return record.order;
		return `this is a ${entity} event, not an order — route only order events (entity "order") into the RFM Scorer`;
	}
	return record;
}

/** Counts currencies; consecutive items usually share one, so only a change costs a lookup. */
class CurrencyCounter {
	private lastRaw: unknown = undefined;
	private lastCount = 0;
	private readonly counts = new Map<string, number>();

	add(raw: unknown): void {
		if (raw === this.lastRaw) {
			this.lastCount++;
			return;
		}
		this.flush();
		this.lastRaw = raw;
		this.lastCount = 1;
	}

	private flush(): void {
		const raw = this.lastRaw;
		if (typeof raw === 'string' && raw.trim() !== '' && this.lastCount > 0) {
			const code = raw.trim().toUpperCase();
			this.counts.set(code, (this.counts.get(code) ?? 0) + this.lastCount);
		}
		this.lastCount = 0;
	}

	result(): Record<string, number> {
		this.flush();
		this.lastRaw = undefined;
		return Object.fromEntries([...this.counts.entries()].sort((p, q) => q[1] - p[1]));
	}
}

const STATUS_EXCLUDED = 1;
const STATUS_REFUND = 2;

const KIND_ORDER = 0;
const KIND_REFUND = 1;
const KIND_EXCLUDED_STATUS = 2;
/** An order whose id a later item of the same customer repeats (set in pass 3). */
const KIND_SUPERSEDED = 3;

/** Aggregates one record per order. */
export function aggregateOrders(
	records: ArrayLike<unknown>,
	fields: OrderFieldMap,
	hygiene: HygieneOptions,
	context: AggregationContext,
): AggregationResult {
	const exclusions: Exclusion[] = [];
	const counts = emptyCounts();
	const exclude: Exclude = (index, reason, message, field, customerKey, orderId) => {
		counts[reason]++;
		exclusions.push({ index, reason, message, field, customerKey, orderId });
	};
	// The passes are separate functions so that V8 optimises each one on its own: one large function
	// was recompiled on stack replacement for every loop of every run (60–170 ms per compile).
	const read = readOrders(records, fields, hygiene, context, exclude);
	const grouped = summarizeCustomers(records, fields, hygiene, read, exclude);
	return {
		table: grouped.table,
		exclusions: exclusions.sort((p, q) => p.index - q.index),
		counts,
		recordsRead: records.length,
		ordersCounted: grouped.ordersCounted,
		refundsApplied: grouped.refundsApplied,
		overRefundedOrders: read.overRefundedOrders,
		negativeNetCustomers: grouped.negativeNetCustomers,
		currencies: read.currencies,
		referenceDay: read.referenceDay,
	};
}

type Exclude = (index: number, reason: ExclusionReason, message: string, field: string | null, customerKey: string | null, orderId: string | null) => void;

/** Passes 1 and 2's result: one slot per valid order (columns), and each customer's slots. */
interface OrderSlots {
	/** The slots of customer c, in input order: customerSlots[customerStart[c] … customerStart[c + 1]). */
	customerStart: Int32Array;
	customerSlots: Int32Array;
	slotSource: Int32Array;
	slotMillis: Float64Array;
	slotNet: Float64Array;
	slotKind: Uint8Array;
	slotId: Array<string | undefined>;
	slotDateText: Array<string | undefined>;
	slotIdTag: Int32Array;
	keys: string[];
	accountKeys: Array<string | null>;
	previousSegments: Array<string | null>;
	contacts: Array<Set<string>>;
	byAccount: boolean;
	statusPath: FieldPath;
	overRefundedOrders: number;
	currencies: Record<string, number>;
	referenceDay: number;
	dayOf: (millis: number) => number;
}

/** Passes 1 and 2: reads and validates each record, then groups the valid orders by customer. */
function readOrders(records: ArrayLike<unknown>, fields: OrderFieldMap, hygiene: HygieneOptions, context: AggregationContext, exclude: Exclude): OrderSlots {
	const n = records.length;
	const keyPath = fieldPath(fields.customerKey);
	const keyFallbackPath = fieldPath(fields.customerKeyFallback);
	const datePath = fieldPath(fields.orderDate);
	const totalPath = fieldPath(fields.total);
	const refundedPath = fieldPath(fields.refundedTotal);
	const statusPath = fieldPath(fields.status);
	const idPath = fieldPath(fields.orderId);
	const currencyPath = fieldPath(fields.currency);
	const accountPath = fieldPath(fields.accountKey);
	const previousPath = fieldPath(fields.previousSegment);
	const parseDate = createDateReader(context.zone.name);
	const dayOf = createDayNumberer(context.zone);
	const referenceDay = dayOf(context.referenceMillis);
	const excludedStatuses = new Set(hygiene.excludedStatuses.map((s) => s.toLowerCase()));
	const refundStatuses = new Set(hygiene.refundStatuses.map((s) => s.toLowerCase()));
	// Statuses repeat ("paid", "cancelled", …): normalised once per distinct raw value.
	const statusFlags = new Map<unknown, number>();
	const statusFlagsOf = (raw: unknown): number => {
		let flags = statusFlags.get(raw);
		if (flags === undefined) {
			const status = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
			flags = (excludedStatuses.has(status) ? STATUS_EXCLUDED : 0) | (refundStatuses.has(status) ? STATUS_REFUND : 0);
			statusFlags.set(raw, flags);
		}
		return flags;
	};
	const byAccount = context.rollUp === 'account';
	const money = hygiene.money ?? {};

	// Pass 1: one slot per valid order.
	const slotSource = new Int32Array(n);
	const slotMillis = new Float64Array(n);
	const slotNet = new Float64Array(n);
	const slotKind = new Uint8Array(n);
	const slotId: Array<string | undefined> = new Array(n);
	const slotDateText: Array<string | undefined> = new Array(n);
	const slotIdTag = new Int32Array(n);
	let slots = 0;
	let overRefundedOrders = 0;

	// Each valid order's grouping text: its customer key (grouped and numbered after this pass, see
	// keyGroups.ts), or its account under the account roll-up. Account keys, previous segments and an
	// account's contacts are kept per order (allocated only when one appears) and given to the
	// customers then, later orders winning as before.
	const slotText: string[] = new Array(n);
	let slotAccount: Array<string | undefined> | null = null;
	let slotPrevious: Array<string | undefined> | null = null;
	const slotContact: string[] | null = byAccount ? new Array(n) : null;
	const currencies = new CurrencyCounter();

	for (let i = 0; i < n; i++) {
		const root = orderRootOf(records[i]);
		if (typeof root === 'string') {
			exclude(i, 'not_an_order', `Item ${i}: ${root}`, null, null, null);
			continue;
		}
		const rawId = idPath.depth === 1 ? root[idPath.head] : readField(root, idPath);
		const orderId = typeof rawId === 'string' ? (rawId === '' ? undefined : rawId) : typeof rawId === 'number' ? String(rawId) : undefined;

		let rawKey: unknown;
		if (keyPath.depth === 2) {
			const inner = root[keyPath.head];
			rawKey = inner !== null && typeof inner === 'object' ? (inner as Record<string, unknown>)[keyPath.tail] : undefined;
			if (rawKey === undefined) rawKey = root[keyPath.path];
		} else rawKey = readField(root, keyPath);
		// A string that starts with a visible ASCII character cannot trim to nothing: it is grouped as it
		// is and normalised once per distinct spelling; anything else is normalised here.
		const first = typeof rawKey === 'string' ? rawKey.charCodeAt(0) : 0;
		let key = first > 32 && first < 127 ? (rawKey as string) : customerKeyOf(rawKey);
		if (key === null) key = customerKeyOf(readField(root, keyFallbackPath));
		if (key === null) {
			const named = fields.customerKeyFallback.trim() ? `fields "${fields.customerKey}" and "${fields.customerKeyFallback}" are` : `field "${fields.customerKey}" is`;
			exclude(i, 'missing_customer_key', `Item ${i}: ${named} empty — map the customer's email or id in "${ORDER_FIELD_LABELS.customerKey}"`, fields.customerKey, null, orderId ?? null);
			continue;
		}

		const rawDate = datePath.depth === 1 ? root[datePath.head] : readField(root, datePath);
		// Canonical timestamps (what Date#toISOString writes) are decoded here and their text is kept for
		// the output's first/last order dates: no string is formatted or allocated for them.
		let millis = typeof rawDate === 'string' ? isoTimestampMillis(rawDate) : NaN;
		let dateText: string | undefined;
		try {
			if (millis === millis) dateText = isIsoUtcText(rawDate as string) ? (rawDate as string) : undefined;
			else millis = parseDate(rawDate, fields.orderDate);
		} catch (error) {
			exclude(i, 'invalid_date', `Item ${i}: field "${fields.orderDate}" ${detailOf(error)} — map the order date in "${ORDER_FIELD_LABELS.orderDate}"`, fields.orderDate, customerKeyOf(key), orderId ?? null);
			continue;
		}
		const day = dayOf(millis);
		if (day > referenceDay) {
			exclude(
				i,
				'future_date',
				`Item ${i}: field "${fields.orderDate}" (${new Date(millis).toISOString()}) is after the reference date — check the order's date or the node's "Reference Date"`,
				fields.orderDate,
				customerKeyOf(key),
				orderId ?? null,
			);
			continue;
		}

		const rawTotal = totalPath.depth === 1 ? root[totalPath.head] : readField(root, totalPath);
		const rawRefunded = refundedPath.depth === 1 ? root[refundedPath.head] : readField(root, refundedPath);
		let total: number;
		let refunded: number;
		try {
			total = parseMoney(rawTotal, fields.total, money);
		} catch (error) {
			exclude(i, 'invalid_amount', `Item ${i}: field "${fields.total}" ${detailOf(error)} — map the order total in "${ORDER_FIELD_LABELS.total}"`, fields.total, customerKeyOf(key), orderId ?? null);
			continue;
		}
		try {
			// Some stores write refunds as negative amounts; the magnitude is what was refunded.
			refunded = rawRefunded === 0 || rawRefunded === undefined ? 0 : Math.abs(parseOptionalMoney(rawRefunded, fields.refundedTotal, money) ?? 0);
		} catch (error) {
			exclude(
				i,
				'invalid_amount',
				`Item ${i}: field "${fields.refundedTotal}" ${detailOf(error)} — map the refunded amount in "${ORDER_FIELD_LABELS.refundedTotal}" or leave it empty`,
				fields.refundedTotal,
				customerKeyOf(key),
				orderId ?? null,
			);
			continue;
		}

		const rawStatus = statusPath.depth === 1 ? root[statusPath.head] : readField(root, statusPath);
		const flags = statusFlagsOf(rawStatus);
		let kind = KIND_ORDER;
		let net = total - refunded;
		if (total < 0) {
			if (!hygiene.negativeTotalsAreRefunds && (flags & STATUS_REFUND) === 0) {
				exclude(
					i,
					'negative_total',
					`Item ${i}: field "${fields.total}" is ${total}, a negative total on an order that is not a refund (status ${describeValue(rawStatus)}) — fix the amount, or turn on "Negative Totals Are Refunds" if your export writes refunds as negative orders`,
					fields.total,
					customerKeyOf(key),
					orderId ?? null,
				);
				continue;
			}
			kind = KIND_REFUND;
			net = total;
		} else if (net < 0) {
			overRefundedOrders++;
			net = 0;
		}
		if ((flags & STATUS_EXCLUDED) !== 0) kind = KIND_EXCLUDED_STATUS;

		const rawAccount = accountPath.depth === 1 ? root[accountPath.head] : readField(root, accountPath);
		const account = rawAccount === undefined ? null : optionalText(rawAccount);
		if (account !== null) (slotAccount ??= new Array(n))[slots] = account;
		if (slotContact !== null) {
			const contact = customerKeyOf(key) as string;
			slotContact[slots] = contact;
			slotText[slots] = account ?? contact;
		} else slotText[slots] = key;

		const rawPrevious = previousPath.depth === 1 ? root[previousPath.head] : readField(root, previousPath);
		if (rawPrevious !== undefined) {
			const previous = optionalText(rawPrevious);
			if (previous !== null) (slotPrevious ??= new Array(n))[slots] = previous;
		}
		const rawCurrency = currencyPath.depth === 1 ? root[currencyPath.head] : readField(root, currencyPath);
		currencies.add(rawCurrency);

		slotSource[slots] = i;
		slotMillis[slots] = millis;
		slotNet[slots] = net;
		slotKind[slots] = kind;
		slotId[slots] = orderId;
		if (orderId !== undefined) slotIdTag[slots] = idTag(orderId);
		slotDateText[slots] = dateText;
		slots++;
	}

	// Customers (or accounts) numbered by first appearance; an account's key is its own text.
	const { groupOf: slotCustomer, keys, groupStart: customerStart, members: customerSlots } = groupKeys(slotText, slots, byAccount ? (text) => text : (text) => customerKeyOf(text) as string);
	const accountKeys: Array<string | null> = new Array<string | null>(keys.length).fill(null);
	const previousSegments: Array<string | null> = new Array<string | null>(keys.length).fill(null);
	const contacts: Array<Set<string>> = byAccount ? keys.map(() => new Set<string>()) : [];
	if (slotAccount !== null || slotPrevious !== null || slotContact !== null) {
		for (let s = 0; s < slots; s++) {
			const c = slotCustomer[s];
			const account = slotAccount?.[s];
			if (account !== undefined) accountKeys[c] = account;
			const previous = slotPrevious?.[s];
			if (previous !== undefined) previousSegments[c] = previous;
			if (slotContact !== null) contacts[c].add(slotContact[s]);
		}
	}

	return {
		customerStart,
		customerSlots,
		slotSource,
		slotMillis,
		slotNet,
		slotKind,
		slotId,
		slotDateText,
		slotIdTag,
		keys,
		accountKeys,
		previousSegments,
		contacts,
		byAccount,
		statusPath,
		overRefundedOrders,
		currencies: currencies.result(),
		referenceDay,
		dayOf,
	};
}

/** Pass 3: per customer, applies the duplicate, status, zero-value and refund rules, and sums. */
function summarizeCustomers(records: ArrayLike<unknown>, fields: OrderFieldMap, hygiene: HygieneOptions, read: OrderSlots, exclude: Exclude) {
	const { customerStart: groupStart, customerSlots: ordered, slotSource, slotMillis, slotNet, slotKind, slotId, slotDateText, slotIdTag, keys, accountKeys, previousSegments, contacts, byAccount, statusPath, dayOf } = read;
	const customers = keys.length;

	// Pass 3: per customer (days are numbered again here rather than kept per order: one array less).
	const frequency = new Float64Array(customers);
	const purchaseDays = new Float64Array(customers);
	const monetary = new Float64Array(customers);
	const repeatSpend = new Float64Array(customers);
	const firstAt = new Float64Array(customers);
	const lastAt = new Float64Array(customers);
	const firstAtText: Array<string | undefined> = new Array(customers);
	const lastAtText: Array<string | undefined> = new Array(customers);
	const firstDay = new Int32Array(customers);
	const lastDay = new Int32Array(customers);
	const sourceStart = new Int32Array(customers + 1);
	// Written over the customers' slot list as it is read (the write position never passes the read
	// position): a customer's sources are its counted orders and refunds, in input order.
	const sourceIndex = ordered;
	const outKeys: string[] = [];
	const outAccounts: Array<string | null> = [];
	const outPrevious: Array<string | null> = [];
	const outContacts: string[][] | null = byAccount ? [] : null;
	let days = new Int32Array(64);
	const supersededScratch = { keys: new Float64Array(64), run: new Int32Array(16) };
	let k = 0;
	let sources = 0;
	let ordersCounted = 0;
	let refundsApplied = 0;
	let negativeNetCustomers = 0;

	for (let c = 0; c < customers; c++) {
		const start = groupStart[c];
		const end = groupStart[c + 1];
		if (end - start > 1) markSuperseded(ordered, start, end, slotId, slotIdTag, slotKind, supersededScratch);

		let counted = 0;
		let spend = 0;
		let refunds = 0;
		let minMillis = Infinity;
		let maxMillis = -Infinity;
		let minText: string | undefined;
		let maxText: string | undefined;
		let minDay = 0;
		let maxDay = 0;
		// Spend on the earliest purchase day, kept as the days go by: what the Gamma-Gamma model leaves out.
		let firstDaySpend = 0;
		if (days.length < end - start) days = new Int32Array(2 * (end - start));
		const groupSourceStart = sources;
		for (let j = start; j < end; j++) {
			const s = ordered[j];
			const source = slotSource[s];
			const orderId = slotId[s] ?? null;
			const kind = slotKind[s];
			if (kind === KIND_SUPERSEDED) {
				exclude(source, 'duplicate_order', `Item ${source}: order ${orderId} appears again in a later item; the later one is used`, fields.orderId, keys[c], orderId);
				continue;
			}
			if (kind === KIND_EXCLUDED_STATUS) {
				const root = orderRootOf(records[source]) as Record<string, unknown>;
				exclude(
					source,
					'excluded_status',
					`Item ${source}: order ${orderId ?? ''} has status ${describeValue(readField(root, statusPath))}, which is not counted as a purchase (see "Excluded Statuses")`,
					fields.status,
					keys[c],
					orderId,
				);
				continue;
			}
			if (kind === KIND_REFUND) {
				refunds += slotNet[s];
				sourceIndex[sources++] = source;
				continue;
			}
			const net = slotNet[s];
			if (net === 0 && !hygiene.countZeroValueOrders) {
				exclude(
					source,
					'zero_value',
					`Item ${source}: order ${orderId ?? ''} has a net value of 0 (total minus refunds) — zero-value orders are not counted unless "Count Zero-Value Orders" is on`,
					fields.total,
					keys[c],
					orderId,
				);
				continue;
			}
			const millis = slotMillis[s];
			const day = dayOf(millis);
			if (counted === 0 || day < minDay) firstDaySpend = net;
			else if (day === minDay) firstDaySpend += net;
			if (millis < minMillis) {
				minMillis = millis;
				minText = slotDateText[s];
				minDay = day;
			}
			if (millis > maxMillis) {
				maxMillis = millis;
				maxText = slotDateText[s];
				maxDay = day;
			}
			days[counted++] = day;
			spend += net;
			sourceIndex[sources++] = source;
		}
		if (counted === 0) {
			// Refund lines of a customer without a counted order have nothing to net against.
			for (let j = groupSourceStart; j < sources; j++) {
				exclude(
					sourceIndex[j],
					'refund_without_order',
					`Item ${sourceIndex[j]}: a refund for ${keys[c]} without any counted order of that customer in this run — include the customer's orders or leave refunds out`,
					fields.total,
					keys[c],
					null,
				);
			}
			sources = groupSourceStart;
			continue;
		}
		// Distinct purchase days.
		let distinct = 1;
		if (counted > 1) {
			const list = days.subarray(0, counted);
			if (counted <= 16) insertionSort(list);
			else list.sort();
			for (let j = 1; j < counted; j++) if (list[j] !== list[j - 1]) distinct++;
		}
		ordersCounted += counted;
		refundsApplied += sources - groupSourceStart - counted;
		let net = spend + refunds;
		if (net < 0) {
			negativeNetCustomers++;
			net = 0;
		}
		frequency[k] = hygiene.mergeSameDayOrders ? distinct : counted;
		purchaseDays[k] = distinct;
		monetary[k] = net;
		repeatSpend[k] = distinct > 1 ? Math.max(0, spend - firstDaySpend) : 0;
		firstAt[k] = minMillis;
		lastAt[k] = maxMillis;
		firstAtText[k] = minText;
		lastAtText[k] = maxText;
		firstDay[k] = minDay;
		lastDay[k] = maxDay;
		outKeys.push(keys[c]);
		outAccounts.push(accountKeys[c]);
		outPrevious.push(previousSegments[c]);
		if (outContacts) outContacts.push([...contacts[c]]);
		sourceStart[k] = groupSourceStart;
		k++;
		sourceStart[k] = sources;
	}

	return {
		table: {
			size: k,
			keys: outKeys,
			accountKeys: outAccounts,
			previousSegments: outPrevious,
			contactKeys: outContacts,
			frequency: frequency.subarray(0, k),
			purchaseDays: purchaseDays.subarray(0, k),
			monetary: monetary.subarray(0, k),
			repeatSpend: repeatSpend.subarray(0, k),
			firstAt: firstAt.subarray(0, k),
			lastAt: lastAt.subarray(0, k),
			firstAtText: k === customers ? firstAtText : firstAtText.slice(0, k),
			lastAtText: k === customers ? lastAtText : lastAtText.slice(0, k),
			firstDay: firstDay.subarray(0, k),
			lastDay: lastDay.subarray(0, k),
			sourceStart: sourceStart.subarray(0, k + 1),
			sourceIndex: sourceIndex.subarray(0, sources),
		},
		ordersCounted,
		refundsApplied,
		negativeNetCustomers,
	};
}

/**
 * Length and last two characters of an order id: ids of one store share a long prefix
 * ("gid://shopify/Order/…") and differ at the end, so equal tags are rare among different ids and
 * the ids themselves are only compared when their tags match.
 */
function idTag(id: string): number {
	const length = id.length;
	return (Math.imul(length, 65_599) + Math.imul(id.charCodeAt(length - 1) | 0, 257) + (id.charCodeAt(length - 2) | 0)) | 0;
}

const LOCAL_INDEX_SPAN = 2 ** 21;

/**
 * Marks every occurrence of an order id that a later item of the same customer repeats
 * (KIND_SUPERSEDED). Only ids with equal tags are compared: pairwise in small groups; in larger ones
 * after sorting the group's orders by tag (tag and position packed in one number, so the sort is a
 * numeric sort of a Float64Array): cheaper than a Set of the ids, which hashes every id string.
 */
function markSuperseded(ordered: Int32Array, start: number, end: number, ids: Array<string | undefined>, tags: Int32Array, kinds: Uint8Array, scratch: { keys: Float64Array; run: Int32Array }): void {
	const size = end - start;
	if (size <= 16) {
		markRepeats(ordered, start, end, ids, tags, kinds);
		return;
	}
	if (size >= LOCAL_INDEX_SPAN) {
		markRepeatsWithSet(ordered, start, end, ids, kinds);
		return;
	}
	if (scratch.keys.length < size) scratch.keys = new Float64Array(2 * size);
	const keys = scratch.keys.subarray(0, size);
	for (let j = 0; j < size; j++) keys[j] = (tags[ordered[start + j]] >>> 0) * LOCAL_INDEX_SPAN + j;
	keys.sort();
	// Runs of one tag, in input order within the run: each compared in full (a Set when a run is long).
	const run = scratch.run;
	for (let a = 0; a < size; ) {
		const tag = Math.floor(keys[a] / LOCAL_INDEX_SPAN);
		let b = a + 1;
		while (b < size && Math.floor(keys[b] / LOCAL_INDEX_SPAN) === tag) b++;
		if (b - a > 1) {
			if (b - a > 16) {
				const long = new Int32Array(b - a);
				for (let x = a; x < b; x++) long[x - a] = ordered[start + (keys[x] % LOCAL_INDEX_SPAN)];
				markRepeatsWithSet(long, 0, b - a, ids, kinds);
			} else {
				for (let x = a; x < b; x++) run[x - a] = ordered[start + (keys[x] % LOCAL_INDEX_SPAN)];
				markRepeats(run, 0, b - a, ids, tags, kinds);
			}
		}
		a = b;
	}
}

/** Pairwise: for few orders, cheaper than any structure. */
function markRepeats(slots: Int32Array, start: number, end: number, ids: Array<string | undefined>, tags: Int32Array, kinds: Uint8Array): void {
	for (let j = start; j < end; j++) {
		const slot = slots[j];
		const id = ids[slot];
		if (id === undefined) continue;
		const tag = tags[slot];
		for (let later = j + 1; later < end; later++) {
			const other = slots[later];
			if (tags[other] === tag && ids[other] === id) {
				kinds[slot] = KIND_SUPERSEDED;
				break;
			}
		}
	}
}

function markRepeatsWithSet(slots: Int32Array, start: number, end: number, ids: Array<string | undefined>, kinds: Uint8Array): void {
	const seen = new Set<string>();
	for (let j = end - 1; j >= start; j--) {
		const id = ids[slots[j]];
		if (id === undefined) continue;
		if (seen.has(id)) kinds[slots[j]] = KIND_SUPERSEDED;
		else seen.add(id);
	}
}

function insertionSort(list: Int32Array): void {
	for (let i = 1; i < list.length; i++) {
		const value = list[i];
		let j = i - 1;
		while (j >= 0 && list[j] > value) {
			list[j + 1] = list[j];
			j--;
		}
		list[j + 1] = value;
	}
}

/**
 * Aggregates one record per customer with pre-aggregated figures (mode b). Without per-order data,
 * every order is taken to fall on a different day, and the repeat spend is the average order value
 * times the repeat orders.
 */
export function aggregateCustomers(
	records: ArrayLike<unknown>,
	fields: CustomerFieldMap,
	money: MoneyParseOptions,
	context: AggregationContext,
): AggregationResult {
	const n = records.length;
	const readKey = compilePath(fields.customerKey);
	const readFirst = compilePath(fields.firstOrderDate);
	const readLast = compilePath(fields.lastOrderDate);
	const readCount = compilePath(fields.orderCount);
	const readSpend = compilePath(fields.totalSpend);
	const readCurrency = compilePath(fields.currency);
	const readAccount = compilePath(fields.accountKey);
	const readPrevious = compilePath(fields.previousSegment);
	const parseDate = createDateReader(context.zone.name);
	const dayOf = createDayNumberer(context.zone);
	const referenceDay = dayOf(context.referenceMillis);
	const byAccount = context.rollUp === 'account';

	const exclusions: Exclusion[] = [];
	const counts = emptyCounts();
	const exclude = (index: number, reason: ExclusionReason, message: string, field: string | null, customerKey: string | null) => {
		counts[reason]++;
		exclusions.push({ index, reason, message, field, customerKey, orderId: null });
	};
	const frequency = new Float64Array(n);
	const monetary = new Float64Array(n);
	const firstAt = new Float64Array(n);
	const lastAt = new Float64Array(n);
	const firstDay = new Int32Array(n);
	const lastDay = new Int32Array(n);
	const keys: string[] = [];
	const accountKeys: Array<string | null> = [];
	const previousSegments: Array<string | null> = [];
	const contacts: string[][] = [];
	const sources: number[][] = [];
	const rowOf = new Map<string, number>();
	const seenCustomers = new Set<string>();
	const currencies = new CurrencyCounter();

	for (let i = 0; i < n; i++) {
		const record = records[i];
		if (!isRecord(record)) {
			exclude(i, 'not_an_order', `Item ${i}: the item has no JSON object`, null, null);
			continue;
		}
		const key = customerKeyOf(readKey(record));
		if (key === null) {
			exclude(i, 'missing_customer_key', `Item ${i}: field "${fields.customerKey}" is empty — map the customer's email or id in "${CUSTOMER_FIELD_LABELS.customerKey}"`, fields.customerKey, null);
			continue;
		}
		if (seenCustomers.has(key)) {
			exclude(i, 'duplicate_customer', `Item ${i}: customer ${key} already appeared in an earlier item; the first one is used`, fields.customerKey, key);
			continue;
		}
		let last: number;
		let first: number;
		try {
			last = parseDate(readLast(record), fields.lastOrderDate);
		} catch (error) {
			exclude(i, 'invalid_date', `Item ${i}: field "${fields.lastOrderDate}" ${detailOf(error)} — map the last order date in "${CUSTOMER_FIELD_LABELS.lastOrderDate}"`, fields.lastOrderDate, key);
			continue;
		}
		const rawCount = readCount(record);
		const count = typeof rawCount === 'string' && rawCount.trim() !== '' ? Number(rawCount) : rawCount;
		if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) {
			exclude(
				i,
				'invalid_order_count',
				`Item ${i}: field "${fields.orderCount}" is ${describeValue(rawCount)}, expected a whole number of orders of at least 1 — map it in "${CUSTOMER_FIELD_LABELS.orderCount}"`,
				fields.orderCount,
				key,
			);
			continue;
		}
		const rawFirst = readFirst(record);
		if (rawFirst === undefined || rawFirst === null || rawFirst === '') {
			if (count > 1) {
				exclude(
					i,
					'invalid_date',
					`Item ${i}: field "${fields.firstOrderDate}" is empty, and a customer with ${count} orders needs a first order date — map it in "${CUSTOMER_FIELD_LABELS.firstOrderDate}"`,
					fields.firstOrderDate,
					key,
				);
				continue;
			}
			first = last;
		} else {
			try {
				first = parseDate(rawFirst, fields.firstOrderDate);
			} catch (error) {
				exclude(i, 'invalid_date', `Item ${i}: field "${fields.firstOrderDate}" ${detailOf(error)} — map the first order date in "${CUSTOMER_FIELD_LABELS.firstOrderDate}"`, fields.firstOrderDate, key);
				continue;
			}
		}
		const dayFirst = dayOf(first);
		const dayLast = dayOf(last);
		if (dayLast > referenceDay || dayFirst > referenceDay) {
			exclude(i, 'future_date', `Item ${i}: the order dates (${new Date(Math.max(first, last)).toISOString()}) are after the reference date — check them or the node's "Reference Date"`, fields.lastOrderDate, key);
			continue;
		}
		if (first > last) {
			exclude(i, 'invalid_date', `Item ${i}: the first order date is after the last order date — check "${fields.firstOrderDate}" and "${fields.lastOrderDate}"`, fields.firstOrderDate, key);
			continue;
		}
		let spend: number;
		try {
			spend = parseMoney(readSpend(record), fields.totalSpend, money);
		} catch (error) {
			exclude(i, 'invalid_amount', `Item ${i}: field "${fields.totalSpend}" ${detailOf(error)} — map the customer's total spend in "${CUSTOMER_FIELD_LABELS.totalSpend}"`, fields.totalSpend, key);
			continue;
		}
		if (spend < 0) {
			exclude(i, 'negative_total', `Item ${i}: field "${fields.totalSpend}" is ${spend}; a customer's total spend cannot be negative`, fields.totalSpend, key);
			continue;
		}
		seenCustomers.add(key);
		const account = optionalText(readAccount(record));
		const groupKey = byAccount && account !== null ? account : key;
		const previous = optionalText(readPrevious(record));
		const rawCurrency = readCurrency(record);
		currencies.add(rawCurrency);
		let row = rowOf.get(groupKey);
		if (row === undefined) {
			row = keys.length;
			rowOf.set(groupKey, row);
			keys.push(groupKey);
			accountKeys.push(account);
			previousSegments.push(previous);
			contacts.push([]);
			sources.push([]);
			firstAt[row] = first;
			lastAt[row] = last;
			firstDay[row] = dayFirst;
			lastDay[row] = dayLast;
		} else {
			if (first < firstAt[row]) {
				firstAt[row] = first;
				firstDay[row] = dayFirst;
			}
			if (last > lastAt[row]) {
				lastAt[row] = last;
				lastDay[row] = dayLast;
			}
			if (previous !== null) previousSegments[row] = previous;
		}
		if (byAccount) contacts[row].push(key);
		frequency[row] += count;
		monetary[row] += spend;
		sources[row].push(i);
	}
	const size = keys.length;
	const sourceStart = new Int32Array(size + 1);
	for (let row = 0; row < size; row++) sourceStart[row + 1] = sourceStart[row] + sources[row].length;
	const sourceIndex = new Int32Array(sourceStart[size]);
	for (let row = 0; row < size; row++) sourceIndex.set(sources[row], sourceStart[row]);
	const freq = frequency.slice(0, size);
	const spendCol = monetary.slice(0, size);
	const repeatSpend = new Float64Array(size);
	for (let row = 0; row < size; row++) repeatSpend[row] = freq[row] > 1 ? (spendCol[row] * (freq[row] - 1)) / freq[row] : 0;
	let ordersCounted = 0;
	for (let row = 0; row < size; row++) ordersCounted += freq[row];
	return {
		table: {
			size,
			keys,
			accountKeys,
			previousSegments,
			contactKeys: byAccount ? contacts : null,
			frequency: freq,
			purchaseDays: freq.slice(),
			monetary: spendCol,
			repeatSpend,
			firstAt: firstAt.slice(0, size),
			lastAt: lastAt.slice(0, size),
			firstDay: firstDay.slice(0, size),
			lastDay: lastDay.slice(0, size),
			sourceStart,
			sourceIndex,
		},
		exclusions,
		counts,
		recordsRead: n,
		ordersCounted,
		refundsApplied: 0,
		overRefundedOrders: 0,
		negativeNetCustomers: 0,
		currencies: currencies.result(),
		referenceDay,
	};
}
