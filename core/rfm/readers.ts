/**
 * Cheap readers for the aggregation hot path (a million orders per run). Each one has a fast path for
 * the shapes the canonical model produces (numbers, ISO-8601 UTC strings) and falls back to the
 * package's shared parsers (core/model/time.ts, core/model/money.ts) for everything else, so there is
 * still one definition of what a date or an amount is.
 */
import type { Zone } from 'luxon';
import { Info } from 'luxon';

import { parseDateTime } from '../model/time';

export type PathReader = (record: Record<string, unknown>) => unknown;

const absent: PathReader = () => undefined;

/**
 * Compiles a dot path ("customer.email", "lineItems[0].sku") into a reader. A flat key that itself
 * contains dots (spreadsheet exports) is found too, when the nested lookup finds nothing.
 */
export function compilePath(path: string): PathReader {
	const trimmed = path.trim();
	if (trimmed === '') return absent;
	const keys = trimmed
		.replace(/\[(\d+)\]/g, '.$1')
		.split('.')
		.filter((key) => key !== '');
	if (keys.length === 1) {
		const key = keys[0];
		return (record) => record[key];
	}
	if (keys.length === 2) {
		const [k1, k2] = keys;
		return (record) => {
			const inner = record[k1];
			if (inner !== null && typeof inner === 'object') {
				const value = (inner as Record<string, unknown>)[k2];
				if (value !== undefined) return value;
			}
			return record[trimmed];
		};
	}
	return (record) => {
		let value: unknown = record;
		for (const key of keys) {
			if (value === null || typeof value !== 'object') return record[trimmed];
			value = (value as Record<string, unknown>)[key];
		}
		return value === undefined ? record[trimmed] : value;
	};
}

const MAX_MILLIS = Date.UTC(2201, 0, 1);
const FALLBACK_CACHE_LIMIT = 100_000;

/**
 * Returns epoch milliseconds. Fast paths: finite numbers (Unix seconds below 1e11, else milliseconds,
 * the rule of core/model/time.ts) and complete ISO-8601 timestamps with "Z" or an offset. Anything
 * else goes through parseDateTime, memoised because exports repeat the same timestamp on many lines.
 */
export function createDateReader(zone: string): (value: unknown, field: string) => number {
	const cache = new Map<string, number>();
	return (value, field) => {
		if (typeof value === 'number') {
			if (value >= 0 && Number.isFinite(value)) {
				const ms = value < 1e11 ? value * 1000 : value;
				if (ms < MAX_MILLIS) return ms;
			}
		} else if (typeof value === 'string') {
			const fast = isoMillis(value);
			if (fast === fast) return fast;
			const cached = cache.get(value);
			if (cached !== undefined) return cached;
		}
		// Throws a NormalizationError naming the field when the value is not a date.
		const ms = parseDateTime(value, field, { zone }).toMillis();
		if (typeof value === 'string') {
			if (cache.size >= FALLBACK_CACHE_LIMIT) cache.clear();
			cache.set(value, ms);
		}
		return ms;
	};
}

const DAYS_IN_MONTH = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const digit = (s: string, i: number): number => s.charCodeAt(i) - 48;

/** Epoch ms of "YYYY-MM-DDTHH:mm[:ss[.fff]](Z|±HH:MM)", or NaN when the text is not exactly that. */
function isoMillis(s: string): number {
	const len = s.length;
	if (len < 17 || len > 35) return NaN;
	if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58) return NaN;
	const last = s.charCodeAt(len - 1);
	const sign = s.charCodeAt(len - 6);
	if (last !== 90 && !(s.charCodeAt(len - 3) === 58 && (sign === 43 || sign === 45))) return NaN;
	const month = digit(s, 5) * 10 + digit(s, 6);
	const day = digit(s, 8) * 10 + digit(s, 9);
	const hour = digit(s, 11) * 10 + digit(s, 12);
	if (!(month >= 1 && month <= 12 && day >= 1 && hour >= 0 && hour <= 23)) return NaN;
	if (day > 28) {
		const year = digit(s, 0) * 1000 + digit(s, 1) * 100 + digit(s, 2) * 10 + digit(s, 3);
		const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
		if (day > (month === 2 && !leap ? 28 : DAYS_IN_MONTH[month])) return NaN;
	}
	const ms = Date.parse(s);
	return ms >= 0 && ms < MAX_MILLIS ? ms : NaN;
}

/** Resolves an IANA zone name ("Europe/Berlin"), "UTC" or a fixed offset ("UTC+2"); null when unknown. */
export function resolveZone(name: string): Zone | null {
	const zone = Info.normalizeZone(name.trim() === '' ? 'UTC' : name.trim());
	return zone && zone.isValid ? zone : null;
}

const MS_PER_DAY = 86_400_000;
const UNKNOWN = 1e9;
const TRANSITION = 2e9;

/**
 * Calendar day number (days since 1970-01-01 in the zone) of an instant. Offsets are looked up once
 * per UTC day and reused for every order of that day; only days on which the zone changes its offset
 * (daylight saving) ask luxon per order.
 */
export function createDayNumberer(zone: Zone): (ms: number) => number {
	if (zone.isUniversal) {
		const offsetMs = zone.offset(0) * 60_000;
		return (ms) => Math.floor((ms + offsetMs) / MS_PER_DAY);
	}
	const offsets = new Float64Array(Math.ceil(MAX_MILLIS / MS_PER_DAY) + 2).fill(UNKNOWN);
	return (ms) => {
		const utcDay = Math.floor(ms / MS_PER_DAY);
		let offset = utcDay >= 0 && utcDay < offsets.length ? offsets[utcDay] : TRANSITION;
		if (offset === UNKNOWN) {
			const start = zone.offset(utcDay * MS_PER_DAY);
			const end = zone.offset((utcDay + 1) * MS_PER_DAY - 1);
			offset = start === end ? start : TRANSITION;
			offsets[utcDay] = offset;
		}
		if (offset === TRANSITION) offset = zone.offset(ms);
		return Math.floor((ms + offset * 60_000) / MS_PER_DAY);
	};
}

/** A customer key as text: trimmed; e-mail-like keys lower-cased (stores and CRMs treat them so). */
export function customerKeyOf(value: unknown): string | null {
	if (typeof value === 'string') {
		const text = value.trim();
		if (text === '') return null;
		return text.includes('@') ? text.toLowerCase() : text;
	}
	if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;
	if (typeof value === 'bigint') return String(value);
	return null;
}
