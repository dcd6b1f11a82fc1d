/**
 * Cheap readers for the aggregation hot path (a million orders per run). Each one has a fast path for
 * the shapes the canonical model produces (numbers, ISO-8601 UTC strings) and falls back to the
 * package's shared parsers (core/model/time.ts, core/model/money.ts) for everything else, so there is
 * still one definition of what a date or an amount is.
 */
import type { Zone } from 'luxon';
import { Info } from 'luxon';

import { compilePath as compileItemPath } from '../classifier/input';
import { parseDateTime } from '../model/time';
import { MAX_TIMESTAMP_MILLIS as MAX_MILLIS, isoTimestampMillis } from '../model/timestamps';

export type PathReader = (record: Record<string, unknown>) => unknown;

const absent: PathReader = () => undefined;

/**
 * Compiles a dot path ("customer.email", "lineItems[0].sku") into a reader: the package's one path
 * reader (core/classifier/input.ts), which also finds a flat key that itself contains dots
 * (spreadsheet exports) when the nested lookup finds nothing; an empty path reads nothing.
 */
export function compilePath(path: string): PathReader {
	const trimmed = path.trim();
	return trimmed === '' ? absent : (compileItemPath(trimmed) as PathReader);
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
