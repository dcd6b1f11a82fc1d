import { MAX_RECORDS_PER_PAGE } from './constants';
import type { ZohoClient } from './client';
import { buildGetRecordsRequest } from './requests';
import type { ZohoRecord } from './types';

/**
 * "Records changed since": reads a module's records modified after a time, sorted by Modified_Time,
 * past the 2,000-record page limit with `page_token`, and keeps a high-water mark so the next run
 * starts where this one ended. https://www.zoho.com/crm/developer/docs/api/v8/get-records.html
 *
 * Zoho's Modified_Time has one-second resolution, so a record changed in the same second as the
 * mark could be missed by a strict "after". The next run therefore asks from one second before the
 * mark and drops the records it already returned at the mark (their ids are remembered).
 */

export interface HighWaterMark {
	/** ISO time of the newest Modified_Time returned so far. */
	modifiedTime: string;
	/** Ids of the records returned whose Modified_Time equals the mark. */
	idsAtMark: string[];
}

export function modifiedMillis(record: ZohoRecord): number | null {
	const value = record.Modified_Time;
	if (typeof value !== 'string') return null;
	const millis = Date.parse(value);
	return Number.isFinite(millis) ? millis : null;
}

/** The time to send as If-Modified-Since. */
export function requestSince(mark: HighWaterMark | null, initialSince: string): string {
	if (!mark) return initialSince;
	return new Date(Date.parse(mark.modifiedTime) - 1000).toISOString();
}

/** True when the record was already returned by an earlier run (at or before the mark). */
export function alreadySeen(record: ZohoRecord, mark: HighWaterMark | null): boolean {
	if (!mark) return false;
	const millis = modifiedMillis(record);
	if (millis === null) return false;
	const markMillis = Date.parse(mark.modifiedTime);
	if (millis < markMillis) return true;
	return millis === markMillis && mark.idsAtMark.includes(String(record.id));
}

/** The mark after returning `records` (in Modified_Time order), starting from `previous`. */
export function advanceMark(previous: HighWaterMark | null, records: ZohoRecord[]): HighWaterMark | null {
	let mark = previous ? { modifiedTime: previous.modifiedTime, idsAtMark: [...previous.idsAtMark] } : null;
	for (const record of records) {
		const millis = modifiedMillis(record);
		if (millis === null) continue;
		const iso = new Date(millis).toISOString();
		const markMillis = mark ? Date.parse(mark.modifiedTime) : -Infinity;
		if (millis > markMillis) mark = { modifiedTime: iso, idsAtMark: [String(record.id)] };
		else if (millis === markMillis && mark && !mark.idsAtMark.includes(String(record.id))) mark.idsAtMark.push(String(record.id));
	}
	return mark;
}

export interface ChangedSinceOptions {
	module: string;
	fields: string[];
	mark: HighWaterMark | null;
	/** Used when there is no mark yet (first run). */
	initialSince: string;
	/** Stop after this many new records (0: all). The mark then covers exactly what was returned. */
	maxRecords?: number;
	perPage?: number;
}

export interface ChangedSinceResult {
	records: ZohoRecord[];
	mark: HighWaterMark | null;
	calls: number;
	since: string;
}

export async function readChangedSince(client: ZohoClient, options: ChangedSinceOptions): Promise<ChangedSinceResult> {
	const since = requestSince(options.mark, options.initialSince);
	const records: ZohoRecord[] = [];
	const max = options.maxRecords && options.maxRecords > 0 ? options.maxRecords : Infinity;
	let page = 1;
	let pageToken: string | null = null;
	let calls = 0;
	for (;;) {
		const request = buildGetRecordsRequest({ module: options.module, fields: options.fields, modifiedSince: since, page, pageToken, perPage: options.perPage ?? MAX_RECORDS_PER_PAGE });
		calls++;
		const body = (await client.read(request, options.module)) as { data?: ZohoRecord[]; info?: { more_records?: boolean; next_page_token?: string | null } } | null;
		for (const record of body?.data ?? []) {
			if (alreadySeen(record, options.mark)) continue;
			records.push(record);
			if (records.length >= max) break;
		}
		if (records.length >= max || !body?.info?.more_records) break;
		pageToken = body.info.next_page_token ?? null;
		page++;
	}
	return { records, mark: advanceMark(options.mark, records), calls, since };
}
