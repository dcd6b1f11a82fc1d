import { chunk, duplicateKeyOf, mergeRecordsByKey } from '../batching';
import type { ZohoClient, WriteGroup } from '../client';
import { MAX_RECORDS_PER_WRITE, systemDuplicateCheckField } from '../constants';
import type { ZohoTrigger } from '../constants';
import { buildUpsertRequest } from '../requests';
import type { ZohoRecord } from '../types';
import { failure } from '../types';
import type { ItemResult, PlannedCall } from './common';
import { ResultBook, outcomeSummary } from './common';

/**
 * "Upsert records" into any module: items are grouped by module and options, records sharing a
 * duplicate-check value are merged, and each group goes out in calls of up to 100 records.
 */

export interface UpsertEntry {
	itemIndex: number;
	module: string;
	record: ZohoRecord;
	/** Fields to match existing records on; empty: the module's system-defined field. */
	duplicateCheckFields: string[];
	trigger?: ZohoTrigger[];
}

interface PreparedGroup {
	module: string;
	duplicateCheckFields: string[];
	trigger?: ZohoTrigger[];
	records: Array<{ itemIndexes: number[]; record: ZohoRecord }>;
}

function prepare(entries: UpsertEntry[], book: ResultBook): PreparedGroup[] {
	const groups = new Map<string, { group: PreparedGroup; entries: Array<{ itemIndex: number; record: ZohoRecord }> }>();
	for (const entry of entries) {
		const matchOn = entry.duplicateCheckFields.length > 0 ? entry.duplicateCheckFields : [systemDuplicateCheckField(entry.module)];
		if (duplicateKeyOf(entry.record, matchOn) === null) {
			book.fail(entry.itemIndex, 'input', failure(
				'MISSING_MATCH_VALUE',
				`The record has no value in ${matchOn.map((f) => `"${f}"`).join(' or ')}, the field(s) Zoho CRM matches existing ${entry.module} records on — map a value, or choose other "Columns to Match On". Without it a retry could create a duplicate.`,
				{ field: matchOn[0] },
			));
			continue;
		}
		const key = JSON.stringify([entry.module, entry.duplicateCheckFields, entry.trigger ?? null]);
		if (!groups.has(key)) groups.set(key, { group: { module: entry.module, duplicateCheckFields: entry.duplicateCheckFields, trigger: entry.trigger, records: [] }, entries: [] });
		groups.get(key)!.entries.push({ itemIndex: entry.itemIndex, record: entry.record });
	}
	return Array.from(groups.values()).map(({ group, entries: groupEntries }) => {
		const matchOn = group.duplicateCheckFields.length > 0 ? group.duplicateCheckFields : [systemDuplicateCheckField(group.module)];
		group.records = mergeRecordsByKey(groupEntries, matchOn).map(({ itemIndexes, record }) => ({ itemIndexes, record }));
		return group;
	});
}

export async function runUpsertRecords(client: ZohoClient, entries: UpsertEntry[]): Promise<ItemResult[]> {
	const book = new ResultBook();
	const groups = prepare(entries, book);
	const writeGroups: WriteGroup[] = groups.map((g) => ({
		kind: 'upsert',
		module: g.module,
		records: g.records.map((r) => r.record),
		options: { duplicateCheckFields: g.duplicateCheckFields, trigger: g.trigger },
	}));
	const outcomes = await client.writeGroups(writeGroups);
	groups.forEach((group, g) => {
		group.records.forEach(({ itemIndexes }, r) => {
			const outcome = outcomes[g][r];
			for (const itemIndex of itemIndexes) {
				book.note(itemIndex, 'module', group.module);
				if (outcome.ok) {
					for (const [key, value] of Object.entries(outcomeSummary(outcome))) book.note(itemIndex, key, value);
					if (itemIndexes.length > 1) book.note(itemIndex, 'mergedWithItems', itemIndexes.filter((i) => i !== itemIndex));
				} else {
					book.fail(itemIndex, 'record', outcome);
				}
			}
		});
	});
	return book.results(entries.map((e) => e.itemIndex));
}

/** The calls a run would make, without sending anything; items that would fail before sending are returned too. */
export function planUpsertRecords(entries: UpsertEntry[]): { calls: PlannedCall[]; results: ItemResult[] } {
	const book = new ResultBook();
	const groups = prepare(entries, book);
	const calls: PlannedCall[] = [];
	for (const group of groups) {
		for (const batch of chunk(group.records, MAX_RECORDS_PER_WRITE)) {
			calls.push({
				stage: 'record',
				request: buildUpsertRequest(group.module, batch.map((r) => r.record), { duplicateCheckFields: group.duplicateCheckFields, trigger: group.trigger }),
				itemIndexes: batch.flatMap((r) => r.itemIndexes),
			});
		}
	}
	return { calls, results: book.results(entries.map((e) => e.itemIndex)).filter((r) => !r.ok) };
}
