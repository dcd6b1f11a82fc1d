import { chunk } from '../batching';
import type { ZohoClient } from '../client';
import { MAX_RECORDS_PER_WRITE } from '../constants';
import type { ZohoTrigger } from '../constants';
import type { CartFacts } from '../inputs';
import { fallbackLastName } from '../inputs';
import { buildUpsertRequest, toZohoDateTime } from '../requests';
import type { ZohoRecord } from '../types';
import type { ItemResult, PlannedCall } from './common';
import { ResultBook, outcomeSummary } from './common';
import type { PersonFieldNames } from './people';
import { personRecord, upsertPeople } from './people';

/**
 * "Abandoned cart to Lead": one Lead per email, upserted by email, with a status field set to the
 * abandoned-cart value, the cart value and the recovery URL. Several carts of one shopper in a run
 * become one Lead carrying the latest cart (by abandonment time).
 */

export interface LeadConfig {
	fields: PersonFieldNames;
	leadSourceValue: string;
	statusField: string;
	statusValue: string;
	cartValueField: string;
	recoveryUrlField: string;
	cartIdField: string;
	abandonedAtField: string;
	trigger?: ZohoTrigger[];
}

export const DEFAULT_LEAD_CART_FIELDS = {
	statusField: 'Lead_Status',
	statusValue: 'Abandoned_Cart',
	cartValueField: 'Cart_Value',
	recoveryUrlField: 'Cart_Recovery_URL',
	cartIdField: 'Cart_ID',
	abandonedAtField: 'Cart_Abandoned_At',
};

export interface CartEntry {
	itemIndex: number;
	cart: CartFacts;
}

function leadGroups(entries: CartEntry[], config: LeadConfig) {
	const byEmail = new Map<string, CartEntry[]>();
	for (const entry of entries) {
		const email = entry.cart.person.email;
		if (!byEmail.has(email)) byEmail.set(email, []);
		byEmail.get(email)!.push(entry);
	}
	return Array.from(byEmail.values()).map((group) => {
		const latest = group.reduce((a, b) => (Date.parse(b.cart.abandonedAt) >= Date.parse(a.cart.abandonedAt) ? b : a));
		const record: ZohoRecord = {};
		for (const { cart } of group) Object.assign(record, personRecord(cart.person, null, config.fields, config.leadSourceValue));
		const put = (field: string, value: unknown) => {
			if (field && value !== null && value !== undefined && value !== '') record[field] = value;
		};
		put(config.statusField, config.statusValue);
		put(config.cartValueField, latest.cart.total);
		put(config.recoveryUrlField, latest.cart.recoveryUrl);
		put(config.cartIdField, latest.cart.id);
		put(config.abandonedAtField, toZohoDateTime(latest.cart.abandonedAt));
		const lastNameKnown = group.some((g) => g.cart.person.lastName);
		return {
			itemIndexes: group.map((g) => g.itemIndex),
			cartId: latest.cart.id,
			record,
			fallbackLastName: lastNameKnown || !config.fields.lastName ? null : fallbackLastName(latest.cart.person),
		};
	});
}

export async function runAbandonedCartToLead(client: ZohoClient, entries: CartEntry[], config: LeadConfig): Promise<ItemResult[]> {
	const book = new ResultBook();
	const groups = leadGroups(entries, config);
	const outcomes = await upsertPeople(client, 'Leads', groups, config.fields, config.trigger);
	groups.forEach((group, i) => {
		for (const itemIndex of group.itemIndexes) {
			const outcome = outcomes[i];
			if (outcome.ok) {
				book.note(itemIndex, 'lead', outcomeSummary(outcome));
				book.note(itemIndex, 'leadCartId', group.cartId);
			} else book.fail(itemIndex, 'lead', outcome);
		}
	});
	return book.results(entries.map((e) => e.itemIndex));
}

export function planAbandonedCartToLead(entries: CartEntry[], config: LeadConfig): { calls: PlannedCall[]; results: ItemResult[] } {
	const calls = chunk(leadGroups(entries, config), MAX_RECORDS_PER_WRITE).map((batch) => ({
		stage: 'lead',
		request: buildUpsertRequest('Leads', batch.map((g) => g.record), { duplicateCheckFields: [config.fields.email], trigger: config.trigger }),
		itemIndexes: batch.flatMap((g) => g.itemIndexes),
	}));
	return { calls, results: [] };
}
