import { chunk, keyValue } from '../batching';
import type { ZohoClient } from '../client';
import { COQL_IN_LIMIT, MAX_RECORDS_PER_WRITE } from '../constants';
import type { ZohoTrigger } from '../constants';
import { buildCoqlRequest, buildCoqlSelectIn, buildUpdateRequest } from '../requests';
import type { ZohoRecord } from '../types';
import { failure } from '../types';
import type { ItemResult, PlannedCall } from './common';
import { ResultBook, outcomeSummary } from './common';

/**
 * "Write RFM fields": updates existing Contacts with the RFM Scorer's segment, scores and CLV, by
 * Contact id, or by email (the ids are looked up with COQL, 50 emails per query). It never creates
 * Contacts: a customer with no Contact goes to Failed with NOT_FOUND, so the nightly run cannot fill
 * the CRM with half-empty records.
 */

export interface RfmEntry {
	itemIndex: number;
	email: string | null;
	contactId: string | null;
	/** Zoho field API name → value. */
	values: ZohoRecord;
}

export interface RfmConfig {
	matchBy: 'email' | 'id';
	emailField: string;
	trigger?: ZohoTrigger[];
}

export async function runWriteRfmFields(client: ZohoClient, entries: RfmEntry[], config: RfmConfig): Promise<ItemResult[]> {
	const book = new ResultBook();
	const idOf = new Map<number, string>();
	if (config.matchBy === 'id') {
		for (const e of entries) {
			if (e.contactId) idOf.set(e.itemIndex, e.contactId);
			else book.fail(e.itemIndex, 'input', failure('INVALID_INPUT', 'The item has no Zoho Contact id — map "Contact ID Field" to the field holding it, or match by email', { field: 'contactId' }));
		}
	} else {
		const withEmail = entries.filter((e) => {
			if (e.email) return true;
			book.fail(e.itemIndex, 'input', failure('INVALID_INPUT', 'The item has no email to find the Contact by — map "Email Field" (the RFM Scorer writes the customer key; use email as the key there)', { field: 'email' }));
			return false;
		});
		const lookup = await client.lookup('Contacts', [], config.emailField, withEmail.map((e) => e.email!));
		for (const e of withEmail) {
			const key = keyValue(e.email)!;
			const failed = lookup.failed.get(key);
			const found = lookup.found.get(key) ?? [];
			if (failed) book.fail(e.itemIndex, 'lookup', failed);
			else if (found.length === 0) book.fail(e.itemIndex, 'lookup', failure('NOT_FOUND', `No Contact in Zoho CRM has the email ${e.email} — sync the customer first ("Sync Customer From Order"), then write RFM fields`, { field: config.emailField }));
			else if (found.length > 1) book.fail(e.itemIndex, 'lookup', failure('DUPLICATE_DATA', `${found.length} Contacts share the email ${e.email}, so the RFM fields cannot be written to one of them — merge the duplicates in Zoho CRM`, { field: config.emailField }));
			else idOf.set(e.itemIndex, String(found[0].id));
		}
	}
	// One update per Contact (the last item wins when several items name the same Contact).
	const byId = new Map<string, { record: ZohoRecord; itemIndexes: number[] }>();
	for (const e of entries) {
		const id = idOf.get(e.itemIndex);
		if (!id || book.isFailed(e.itemIndex)) continue;
		if (!byId.has(id)) byId.set(id, { record: { id }, itemIndexes: [] });
		const slot = byId.get(id)!;
		Object.assign(slot.record, e.values);
		slot.itemIndexes.push(e.itemIndex);
	}
	const updates = Array.from(byId.values());
	const outcomes = updates.length > 0 ? await client.write('update', 'Contacts', updates.map((u) => u.record), { trigger: config.trigger }) : [];
	updates.forEach((u, i) => {
		for (const itemIndex of u.itemIndexes) {
			if (outcomes[i].ok) {
				book.note(itemIndex, 'contact', outcomeSummary(outcomes[i]));
				book.note(itemIndex, 'fieldsWritten', Object.keys(u.record).filter((k) => k !== 'id'));
			} else book.fail(itemIndex, 'contact', outcomes[i]);
		}
	});
	return book.results(entries.map((e) => e.itemIndex));
}

export function planWriteRfmFields(entries: RfmEntry[], config: RfmConfig): { calls: PlannedCall[]; results: ItemResult[] } {
	const calls: PlannedCall[] = [];
	if (config.matchBy === 'email') {
		const emails = Array.from(new Set(entries.map((e) => e.email).filter((e): e is string => !!e)));
		for (const group of chunk(emails, COQL_IN_LIMIT)) {
			calls.push({ stage: 'lookup', request: buildCoqlRequest(buildCoqlSelectIn('Contacts', [], config.emailField, group), `look up ${group.length} Contact(s) by email`), itemIndexes: entries.filter((e) => e.email && group.includes(e.email)).map((e) => e.itemIndex) });
		}
	}
	for (const batch of chunk(entries, MAX_RECORDS_PER_WRITE)) {
		calls.push({
			stage: 'contact',
			request: buildUpdateRequest('Contacts', batch.map((e) => ({ id: e.contactId ?? `<id of the Contact ${e.email}>`, ...e.values })), { trigger: config.trigger }),
			itemIndexes: batch.map((e) => e.itemIndex),
		});
	}
	return { calls, results: [] };
}
