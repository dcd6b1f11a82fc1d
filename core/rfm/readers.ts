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
	const keys = splitPath(trimmed);
	return (record) => {
		let value: unknown = record;
		for (const key of keys) {
			if (value === null || typeof value !== 'object') return record[trimmed];
			value = (value as Record<string, unknown>)[key];
		}
		return value === undefined ? record[trimmed] : value;
	};
}

function splitPath(path: string): string[] {
	return path
		.replace(/\[(\d+)\]/g, '.$1')
		.split('.')
		.filter((key) => key !== '');
}

/**
 * A field path prepared once per run for readField: one- and two-level paths ("total",
 * "customer.email") are read directly, anything else through the compiled reader.
 */
export interface FieldPath {
	/** 1 or 2 for the direct reads, 0 for the compiled reader (deeper paths, "items[0]", unmapped). */
	depth: 0 | 1 | 2;
	path: string;
	head: string;
	tail: string;
	read: PathReader;
}

export function fieldPath(path: string): FieldPath {
	const trimmed = path.trim();
	const keys = trimmed === '' ? [] : splitPath(trimmed);
	const read = compilePath(trimmed);
	if (keys.length === 1 && keys[0] === trimmed) return { depth: 1, path: trimmed, head: trimmed, tail: '', read };
	if (keys.length === 2) return { depth: 2, path: trimmed, head: keys[0], tail: keys[1], read };
	return { depth: 0, path: trimmed, head: '', tail: '', read };
}

/** The value at a field path; the same as compilePath(path)(record), including the dotted-flat-key fallback. */
export function readField(record: Record<string, unknown>, field: FieldPath): unknown {
	if (field.depth === 1) return record[field.head];
	if (field.depth === 2) {
		const inner = record[field.head];
		const value = inner !== null && typeof inner === 'object' ? (inner as Record<string, unknown>)[field.tail] : undefined;
		return value === undefined ? record[field.path] : value;
	}
	return field.read(record);
}

const MAX_MILLIS = Date.UTC(2201, 0, 1);
const MS_PER_DAY = 86_400_000;
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
			const fast = isoTimestampMillis(value);
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

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
	const y = month <= 2 ? year - 1 : year;
	const era = Math.floor(y / 400);
	const yearOfEra = y - era * 400;
	const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
	return era * 146097 + yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear - 719468;
}

/** The digits at s[i], s[i+1] as a number, or NaN. */
function two(s: string, i: number): number {
	const a = s.charCodeAt(i) - 48;
	const b = s.charCodeAt(i + 1) - 48;
	return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : NaN;
}

/**
 * Epoch ms of exactly "YYYY-MM-DDTHH:mm[:ss[.f…]](Z|±HH:MM)" — the canonical model's timestamps —
 * decoded from the digits; NaN for anything else, which then goes to parseDateTime.
 */
export function isoTimestampMillis(s: string): number {
	const len = s.length;
	if (len < 17 || len > 35) return NaN;
	if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58) return NaN;
	const year = two(s, 0) * 100 + two(s, 2);
	const month = two(s, 5);
	const day = two(s, 8);
	const hour = two(s, 11);
	const minute = two(s, 14);
	let second = 0;
	let millis = 0;
	let i = 16;
	if (s.charCodeAt(i) === 58) {
		second = two(s, 17);
		i = 19;
		if (s.charCodeAt(i) === 46) {
			let scale = 100;
			i++;
			const start = i;
			for (let c = s.charCodeAt(i) - 48; c >= 0 && c <= 9; c = s.charCodeAt(++i) - 48) {
				millis += c * scale;
				scale /= 10;
			}
			if (i === start) return NaN;
			millis = Math.floor(millis);
		}
	}
	let offsetMinutes = 0;
	const zone = s.charCodeAt(i);
	if (zone === 90 && i === len - 1) offsetMinutes = 0;
	else if ((zone === 43 || zone === 45) && i + 6 === len && s.charCodeAt(i + 3) === 58) {
		const offsetHours = two(s, i + 1);
		const offsetRest = two(s, i + 4);
		if (!(offsetHours <= 23 && offsetRest <= 59)) return NaN;
		offsetMinutes = (zone === 45 ? -1 : 1) * (offsetHours * 60 + offsetRest);
	} else return NaN;
	if (!(month >= 1 && month <= 12 && day >= 1 && hour <= 23 && minute <= 59 && second <= 59)) return NaN;
	if (day > 28) {
		const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
		if (day > (month === 2 && !leap ? 28 : DAYS_IN_MONTH[month])) return NaN;
	}
	const ms = ((daysFromCivil(year, month, day) * 24 + hour) * 60 + minute - offsetMinutes) * 60_000 + second * 1000 + millis;
	// NaN (a non-digit anywhere) fails both comparisons.
	return ms >= 0 && ms < MAX_MILLIS ? ms : NaN;
}

/**
 * Whether a timestamp that isoTimestampMillis decoded is written exactly as new Date(ms).toISOString()
 * writes it ("YYYY-MM-DDTHH:mm:ss.sssZ"): then the text can stand for the instant in the output. The
 * decoder has checked every digit and range; only the form is left to check.
 */
export function isIsoUtcText(decoded: string): boolean {
	return decoded.length === 24 && decoded.charCodeAt(19) === 46 && decoded.charCodeAt(23) === 90;
}

const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

/**
 * new Date(ms).toISOString(), about five times faster for the output's hot path: the date part is
 * formatted once per calendar day (customers share few distinct days) and the time from digit tables.
 * Anything outside whole milliseconds in 1970–2200 is left to Date.
 */
export function createIsoFormatter(): (ms: number) => string {
	const datePrefixes = new Map<number, string>();
	return (ms) => {
		if (!(ms >= 0 && ms < MAX_MILLIS && Number.isInteger(ms))) return new Date(ms).toISOString();
		const day = Math.floor(ms / MS_PER_DAY);
		let prefix = datePrefixes.get(day);
		if (prefix === undefined) {
			prefix = new Date(day * MS_PER_DAY).toISOString().slice(0, 11);
			datePrefixes.set(day, prefix);
		}
		const inDay = ms - day * MS_PER_DAY;
		const millis = inDay % 1000;
		const seconds = ((inDay - millis) / 1000) % 60;
		const minutes = Math.floor(inDay / 60_000) % 60;
		const hours = Math.floor(inDay / 3_600_000);
		const iso = `${prefix}${TWO_DIGITS[hours]}:${TWO_DIGITS[minutes]}:${TWO_DIGITS[seconds]}.${THREE_DIGITS[millis]}Z`;
		// Reading a character flattens the concatenation (a tree of string pieces, 5× the memory of the
		// 24 characters) into one string, which the garbage collector then keeps instead of the pieces.
		iso.charCodeAt(0);
		return iso;
	};
}

/** Resolves an IANA zone name ("Europe/Berlin"), "UTC" or a fixed offset ("UTC+2"); null when unknown. */
export function resolveZone(name: string): Zone | null {
	const zone = Info.normalizeZone(name.trim() === '' ? 'UTC' : name.trim());
	return zone && zone.isValid ? zone : null;
}

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
