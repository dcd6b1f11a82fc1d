import type { UtmFieldNames } from '../attribution';
import { activeUtmFields, decideFirstTouch } from '../attribution';
import { chunk } from '../batching';
import type { ZohoClient } from '../client';
import { COQL_IN_LIMIT } from '../constants';
import type { ZohoTrigger } from '../constants';
import type { OrderFacts } from '../inputs';
import { fallbackLastName } from '../inputs';
import { buildCoqlRequest, buildCoqlSelectIn, buildUpsertRequest } from '../requests';
import type { RecordOutcome, ZohoRecord } from '../types';
import { failure } from '../types';
import type { ItemResult, PlannedCall } from './common';
import { ResultBook, outcomeSummary } from './common';
import type { PersonFieldNames } from './people';
import { personRecord, upsertPeople } from './people';

/**
 * "Stamp first-touch UTM": writes the UTM source/medium/campaign of a customer's first order on the
 * Contact, only when the Contact has none, and never overwrites. A Contact that does not exist yet is
 * created with the UTM (its first order is this one). Orders without UTM change nothing.
 */

export interface FirstTouchConfig {
	utm: UtmFieldNames;
	contactFields: PersonFieldNames;
	leadSourceValue: string;
	trigger?: ZohoTrigger[];
}

export interface FirstTouchEntry {
	itemIndex: number;
	order: OrderFacts;
}

export async function runStampFirstTouch(client: ZohoClient, entries: FirstTouchEntry[], config: FirstTouchConfig): Promise<ItemResult[]> {
	const book = new ResultBook();
	const fields = activeUtmFields(config.utm).map(([, f]) => f);
	if (fields.length === 0) {
		for (const e of entries) book.fail(e.itemIndex, 'input', failure('INVALID_CONFIG', 'No UTM field is mapped — fill in at least "UTM Source Field"'));
		return book.results(entries.map((e) => e.itemIndex));
	}
	const byEmail = new Map<string, FirstTouchEntry[]>();
	for (const e of entries) {
		if (!byEmail.has(e.order.person.email)) byEmail.set(e.order.person.email, []);
		byEmail.get(e.order.person.email)!.push(e);
	}
	const lookup = await client.lookup('Contacts', fields, config.contactFields.email, Array.from(byEmail.keys()));
	const updates: Array<{ record: ZohoRecord; itemIndexes: number[] }> = [];
	const creates: Array<{ record: ZohoRecord; fallbackLastName: string | null; itemIndexes: number[] }> = [];
	for (const [email, group] of byEmail) {
		const itemIndexes = group.map((g) => g.itemIndex);
		const failed = lookup.failed.get(email);
		if (failed) {
			itemIndexes.forEach((i) => book.fail(i, 'lookup', failed));
			continue;
		}
		const found = lookup.found.get(email) ?? [];
		if (found.length > 1) {
			itemIndexes.forEach((i) => book.fail(i, 'lookup', failure('DUPLICATE_DATA', `${found.length} Contacts share the email ${email}, so first-touch cannot be decided — merge the duplicates in Zoho CRM`, { field: config.contactFields.email })));
			continue;
		}
		const decision = decideFirstTouch(found[0], group.map((g) => g.order), config.utm);
		itemIndexes.forEach((i) => book.note(i, 'firstTouch', decision.write ? 'written' : decision.reason));
		if (!decision.write) {
			if (found[0]) itemIndexes.forEach((i) => book.note(i, 'contact', { id: String(found[0].id), action: 'unchanged' }));
			continue;
		}
		if (found[0]) {
			updates.push({ record: { id: String(found[0].id), ...decision.fields }, itemIndexes });
		} else {
			const last = group[group.length - 1].order;
			const record = { ...personRecord(last.person, last.address, config.contactFields, config.leadSourceValue), ...decision.fields };
			creates.push({ record, fallbackLastName: group.some((g) => g.order.person.lastName) ? null : fallbackLastName(last.person), itemIndexes });
		}
	}
	const updateOutcomes = updates.length > 0 ? await client.write('update', 'Contacts', updates.map((u) => u.record), { trigger: config.trigger }) : [];
	const createOutcomes = await upsertPeople(client, 'Contacts', creates, config.contactFields, config.trigger);
	const apply = (list: Array<{ itemIndexes: number[] }>, outcomes: RecordOutcome[]) =>
		list.forEach((entry, i) => entry.itemIndexes.forEach((itemIndex) => (outcomes[i].ok ? book.note(itemIndex, 'contact', outcomeSummary(outcomes[i])) : book.fail(itemIndex, 'contact', outcomes[i]))));
	apply(updates, updateOutcomes);
	apply(creates, createOutcomes);
	return book.results(entries.map((e) => e.itemIndex));
}

export function planStampFirstTouch(entries: FirstTouchEntry[], config: FirstTouchConfig): { calls: PlannedCall[]; results: ItemResult[] } {
	const fields = activeUtmFields(config.utm).map(([, f]) => f);
	const emails = Array.from(new Set(entries.map((e) => e.order.person.email)));
	const calls: PlannedCall[] = chunk(emails, COQL_IN_LIMIT).map((group) => ({
		stage: 'lookup',
		request: buildCoqlRequest(buildCoqlSelectIn('Contacts', fields, config.contactFields.email, group), `look up ${group.length} Contact(s) by email`),
		itemIndexes: entries.filter((e) => group.includes(e.order.person.email)).map((e) => e.itemIndex),
	}));
	calls.push({
		stage: 'contact',
		request: buildUpsertRequest('Contacts', [{ [config.contactFields.email]: '<email>', ...Object.fromEntries(fields.map((f) => [f, '<first order UTM>'])) }], { duplicateCheckFields: [config.contactFields.email], trigger: config.trigger }),
		itemIndexes: entries.map((e) => e.itemIndex),
		note: 'Only Contacts without UTM values are written: existing ones by id (PUT /Contacts), new ones by upsert; up to 100 per call',
	});
	return { calls, results: [] };
}
