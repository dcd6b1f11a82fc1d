import { roundMoney } from '../model/money';

/**
 * Order-history roll-ups on the Contact (lifetime spend, order count, last order date, average order
 * value). They are recomputed from the order records stored in Zoho CRM — which are deduplicated
 * by order number — rather than incremented, so a retried call or a redelivered webhook can never
 * count an order twice.
 */

export interface StoredOrder {
	total: number | null;
	orderedAt: string | null;
	status: string | null;
	currency: string | null;
}

export interface Rollup {
	orderCount: number;
	/** Sum of counted order totals; null when the orders are in more than one currency (not comparable). */
	lifetimeSpend: number | null;
	/** lifetimeSpend / orderCount; null when not comparable or no orders. */
	averageOrderValue: number | null;
	/** Latest order date (ISO), null when none is known. */
	lastOrderAt: string | null;
	currency: string | null;
	mixedCurrencies: boolean;
	/** Orders left out because they were cancelled, failed or fully refunded. */
	excluded: number;
}

/** Canonical statuses that do not count as a purchase. */
export const EXCLUDED_ORDER_STATUSES = new Set(['cancelled', 'failed', 'refunded', 'voided']);

export function computeRollup(orders: StoredOrder[]): Rollup {
	let orderCount = 0;
	let sum = 0;
	let excluded = 0;
	let lastMillis: number | null = null;
	let lastOrderAt: string | null = null;
	const currencies = new Set<string>();
	for (const order of orders) {
		const status = (order.status ?? '').trim().toLowerCase();
		if (EXCLUDED_ORDER_STATUSES.has(status)) {
			excluded++;
			continue;
		}
		orderCount++;
		if (typeof order.total === 'number' && Number.isFinite(order.total)) sum += order.total;
		if (order.currency) currencies.add(order.currency.toUpperCase());
		const millis = order.orderedAt ? Date.parse(order.orderedAt) : NaN;
		if (Number.isFinite(millis) && (lastMillis === null || millis > lastMillis)) {
			lastMillis = millis;
			lastOrderAt = new Date(millis).toISOString();
		}
	}
	const mixedCurrencies = currencies.size > 1;
	const currency = currencies.size === 1 ? Array.from(currencies)[0] : null;
	const lifetimeSpend = mixedCurrencies ? null : roundMoney(sum, currency);
	const averageOrderValue = mixedCurrencies || orderCount === 0 ? null : roundMoney(sum / orderCount, currency);
	return { orderCount, lifetimeSpend, averageOrderValue, lastOrderAt, currency, mixedCurrencies, excluded };
}

export interface RollupFieldNames {
	lifetimeSpend: string;
	orderCount: string;
	lastOrderDate: string;
	averageOrderValue: string;
}

export const NO_ROLLUP_FIELDS: RollupFieldNames = { lifetimeSpend: '', orderCount: '', lastOrderDate: '', averageOrderValue: '' };

export function rollupsMapped(names: RollupFieldNames): boolean {
	return Object.values(names).some((v) => typeof v === 'string' && v.trim() !== '');
}

/** The Contact fields to write for a roll-up (only mapped fields; spend/AOV left out when currencies are mixed). */
export function rollupFields(rollup: Rollup, names: RollupFieldNames): Record<string, unknown> {
	const fields: Record<string, unknown> = {};
	if (names.orderCount) fields[names.orderCount] = rollup.orderCount;
	if (names.lifetimeSpend && rollup.lifetimeSpend !== null) fields[names.lifetimeSpend] = rollup.lifetimeSpend;
	if (names.averageOrderValue && rollup.averageOrderValue !== null) fields[names.averageOrderValue] = rollup.averageOrderValue;
	if (names.lastOrderDate && rollup.lastOrderAt) fields[names.lastOrderDate] = rollup.lastOrderAt.slice(0, 10);
	return fields;
}
