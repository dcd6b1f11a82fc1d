import { DateTime, Info } from 'luxon';

import { NormalizationError, describeValue } from './errors';

export interface TimeParseOptions {
	/**
	 * Zone for timestamps written without an offset ("2024-03-01 10:15:00"). Defaults to UTC, which is
	 * what WooCommerce's `*_gmt` fields and most exports mean. An IANA name such as "Europe/Berlin".
	 */
	zone?: string;
}

/**
 * Each local format with the shape of text it can match: luxon's year token (yyyy) takes exactly four
 * digits and the others here exactly two, so text of another shape is not handed to DateTime.fromFormat,
 * which builds its parser on every call (about 15 µs each; an unreadable date tried all seven formats
 * and cost over 100 µs, a tenth of the Win-back Router's time on data with one bad date in a thousand).
 */
const LOCAL_FORMATS = ['yyyy-MM-dd HH:mm:ss', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd HH:mm:ss', 'yyyy/MM/dd', 'yyyyMMdd', 'dd.MM.yyyy', 'dd.MM.yyyy HH:mm:ss'].map((format) => ({
	format,
	shape: new RegExp(`^${format.replace(/[./]/g, '\\$&').replace('yyyy', '\\d{4}').replace(/MM|dd|HH|mm|ss/g, '\\d{2}')}$`),
}));

/**
 * Reads a point in time and returns it as an ISO-8601 UTC string.
 * Accepts ISO-8601 with or without offset, "YYYY-MM-DD HH:mm:ss", "YYYYMMDD", RFC 2822/HTTP dates,
 * Unix epoch seconds or milliseconds (numbers or digit strings), and Date objects.
 * Throws a NormalizationError naming the field when it is none of those.
 */
export function toIsoUtc(value: unknown, field: string, options: TimeParseOptions = {}): string {
	const dt = parseDateTime(value, field, options);
	return dt.toUTC().toISO({ suppressMilliseconds: false }) as string;
}

export function toOptionalIsoUtc(value: unknown, field: string, options: TimeParseOptions = {}): string | null {
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return null;
	return toIsoUtc(value, field, options);
}

/** Milliseconds since the epoch, for arithmetic on already-normalised ISO strings. */
export function toEpochMillis(value: unknown, field: string, options: TimeParseOptions = {}): number {
	return parseDateTime(value, field, options).toMillis();
}

export function parseDateTime(value: unknown, field: string, options: TimeParseOptions = {}): DateTime {
	const zone = options.zone?.trim() || 'utc';
	if (!Info.normalizeZone(zone)?.isValid) {
		// A setting, not the payload, is wrong: say so instead of calling every date unreadable.
		throw new NormalizationError('zone', `"${zone}" is not a time zone (use an IANA name such as "Europe/Berlin", or "UTC")`, zone);
	}
	let dt: DateTime | null = null;
	if (value instanceof Date) {
		dt = DateTime.fromJSDate(value);
	} else if (typeof value === 'number') {
		dt = fromEpoch(value);
	} else if (typeof value === 'string') {
		const text = value.trim();
		if (/^\d{9,13}(\.\d+)?$/.test(text)) {
			dt = fromEpoch(Number(text));
		} else if (text !== '') {
			dt = DateTime.fromISO(text, { zone, setZone: true });
			if (!dt.isValid) dt = DateTime.fromRFC2822(text, { zone, setZone: true });
			if (!dt.isValid) dt = DateTime.fromHTTP(text, { zone, setZone: true });
			for (const { format, shape } of LOCAL_FORMATS) {
				if (dt.isValid) break;
				if (shape.test(text)) dt = DateTime.fromFormat(text, format, { zone });
			}
		}
	}
	if (!dt || !dt.isValid) {
		throw new NormalizationError(
			field,
			`${describeValue(value)} is not a date and time this package can read (use ISO-8601 such as "2024-03-01T10:15:00Z", "2024-03-01 10:15:00", or Unix seconds)`,
			value,
		);
	}
	if (dt.year < 1970 || dt.year > 2200) {
		throw new NormalizationError(field, `${describeValue(value)} is outside the years 1970 to 2200`, value);
	}
	return dt;
}

function fromEpoch(n: number): DateTime | null {
	if (!Number.isFinite(n) || n < 0) return null;
	// Below 1e11 the number is seconds (until the year 5138); above, milliseconds.
	return n < 1e11 ? DateTime.fromSeconds(n, { zone: 'utc' }) : DateTime.fromMillis(n, { zone: 'utc' });
}
