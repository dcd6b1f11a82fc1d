import type { Utm } from '../model/types';
import type { ZohoRecord } from './types';

/**
 * First-touch attribution: the UTM source/medium/campaign of a customer's first order is written on
 * the Contact once and never overwritten. Zoho's upsert cannot write "only if empty", so the node
 * reads the Contact's current values first (COQL, which has no index lag) and sends the UTM fields
 * only when all of them are empty there.
 */

export interface UtmFieldNames {
	source: string;
	medium: string;
	campaign: string;
}

export const DEFAULT_UTM_FIELDS: UtmFieldNames = { source: 'UTM_Source', medium: 'UTM_Medium', campaign: 'UTM_Campaign' };

export function activeUtmFields(names: UtmFieldNames): Array<[keyof UtmFieldNames, string]> {
	return (Object.entries(names) as Array<[keyof UtmFieldNames, string]>).filter(([, field]) => typeof field === 'string' && field.trim() !== '');
}

function isEmpty(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** True when the existing record already carries any of the UTM fields (then nothing is written). */
export function hasFirstTouch(existing: ZohoRecord | undefined, names: UtmFieldNames): boolean {
	if (!existing) return false;
	return activeUtmFields(names).some(([, field]) => !isEmpty(existing[field]));
}

export function hasUtmValues(utm: Utm): boolean {
	return !isEmpty(utm.source) || !isEmpty(utm.medium) || !isEmpty(utm.campaign);
}

/** Among the orders seen for one customer, the earliest that carries UTM values. */
export function earliestWithUtm<T extends { createdAt: string; utm: Utm }>(orders: T[]): T | null {
	let best: T | null = null;
	for (const order of orders) {
		if (!hasUtmValues(order.utm)) continue;
		if (!best || Date.parse(order.createdAt) < Date.parse(best.createdAt)) best = order;
	}
	return best;
}

export type FirstTouchDecision =
	| { write: true; fields: ZohoRecord; fromOrderCreatedAt: string }
	| { write: false; reason: 'already_set' | 'no_utm' | 'not_mapped' };

/**
 * What to write for one customer: the UTM fields of their earliest order with UTM, unless the
 * Contact already has first-touch values (then nothing, ever).
 */
export function decideFirstTouch<T extends { createdAt: string; utm: Utm }>(existing: ZohoRecord | undefined, orders: T[], names: UtmFieldNames): FirstTouchDecision {
	const active = activeUtmFields(names);
	if (active.length === 0) return { write: false, reason: 'not_mapped' };
	if (hasFirstTouch(existing, names)) return { write: false, reason: 'already_set' };
	const first = earliestWithUtm(orders);
	if (!first) return { write: false, reason: 'no_utm' };
	const fields: ZohoRecord = {};
	for (const [key, field] of active) fields[field] = first.utm[key] ?? null;
	return { write: true, fields, fromOrderCreatedAt: first.createdAt };
}
