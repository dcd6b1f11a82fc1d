import type { ZohoRecord } from './types';

/**
 * Batching helpers: records from many input items become as few calls as Zoho allows, and records
 * that share a duplicate-check value become one record, so that one call never carries the same key
 * twice and two concurrent calls never race on the same key (which could create duplicates).
 */

export interface KeyedRecord {
	/** The input items this record stands for (several when items shared a key). */
	itemIndexes: number[];
	record: ZohoRecord;
	/** `Field=value` of the first duplicate-check field with a value; null when none has one. */
	key: string | null;
}

export function chunk<T>(items: T[], size: number): T[][] {
	if (!Number.isInteger(size) || size < 1) throw new Error(`chunk size must be a positive integer, got ${size}`);
	const chunks: T[][] = [];
	for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
	return chunks;
}

/** The comparable form of a key value: lookups by id, text trimmed and case-folded (Zoho's unique check ignores case). */
export function keyValue(value: unknown): string | null {
	if (value === undefined || value === null) return null;
	if (typeof value === 'object' && !Array.isArray(value)) return keyValue((value as { id?: unknown }).id);
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	if (typeof value !== 'string') return null;
	const text = value.trim().toLowerCase();
	return text === '' ? null : text;
}

/** The key Zoho will match this record on: the first duplicate-check field that has a value. */
export function duplicateKeyOf(record: ZohoRecord, duplicateCheckFields: string[]): string | null {
	for (const field of duplicateCheckFields) {
		const value = keyValue(record[field]);
		if (value !== null) return `${field}=${value}`;
	}
	return null;
}

/**
 * Merges records that share a duplicate-check key, in input order: a later item's defined values
 * override an earlier item's (so the newest data wins), fields only the earlier item had are kept.
 * Records without any key value stay separate. The order of first appearance is preserved.
 */
export function mergeRecordsByKey(entries: Array<{ itemIndex: number; record: ZohoRecord }>, duplicateCheckFields: string[]): KeyedRecord[] {
	const merged: KeyedRecord[] = [];
	const byKey = new Map<string, KeyedRecord>();
	for (const { itemIndex, record } of entries) {
		const key = duplicateKeyOf(record, duplicateCheckFields);
		const existing = key === null ? undefined : byKey.get(key);
		if (existing) {
			existing.itemIndexes.push(itemIndex);
			for (const [field, value] of Object.entries(record)) if (value !== undefined) existing.record[field] = value;
			continue;
		}
		const entry: KeyedRecord = { itemIndexes: [itemIndex], record: { ...record }, key };
		merged.push(entry);
		if (key !== null) byKey.set(key, entry);
	}
	return merged;
}

/** Drops undefined values so they are not sent (null is sent: it clears a field in Zoho). */
export function compactRecord(record: ZohoRecord): ZohoRecord {
	const out: ZohoRecord = {};
	for (const [field, value] of Object.entries(record)) if (value !== undefined) out[field] = value;
	return out;
}
