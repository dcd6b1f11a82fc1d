/**
 * Reading the values the router needs from an item, fast enough for 200,000 items a run.
 * Field paths are compiled once (compilePath); dates and amounts go through the canonical parsers,
 * with one fast path for the ISO-8601 strings the RFM Scorer writes.
 */
import { compilePath } from '../classifier/input';
import { NormalizationError, describeValue } from '../model/errors';
import { parseMoney } from '../model/money';
import { toEpochMillis } from '../model/time';
import { isoTimestampMillis } from '../model/timestamps';

export { compilePath };

export type Getter = (source: unknown) => unknown;

/** A reader's NormalizationError as an ItemFieldError naming the setting; any other error unchanged. */
export function asItemFieldError(error: unknown, field: string, setting: string, value: unknown): unknown {
	if (error instanceof NormalizationError && !(error instanceof ItemFieldError)) {
		return new ItemFieldError(field, setting, error.message.slice(error.field.length + 2), value);
	}
	return error;
}

/** A value on an item that cannot be read; the item goes to Unmatched with this message. */
export class ItemFieldError extends NormalizationError {
	readonly setting: string;

	constructor(field: string, setting: string, message: string, value: unknown) {
		super(field, message, value);
		this.name = 'ItemFieldError';
		this.setting = setting;
	}

	/** The reason an operator reads: what is wrong and where to fix it. */
	get reason(): string {
		return `Field "${this.field}": ${this.message.slice(this.field.length + 2)} — fix the value on the item or change "${this.setting}"`;
	}
}


export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

/** Absent for the router: not there, null, or empty text. */
export function isMissing(value: unknown): boolean {
	return value === undefined || value === null || value === '';
}

/**
 * Milliseconds since the epoch for a date-time value: the same result as toEpochMillis (which it falls
 * back to for every form the canonical decoder does not take), so it throws the same NormalizationError
 * for unreadable values.
 */
export function readTimeMillis(value: unknown, field: string): number {
	if (typeof value === 'string') {
		const millis = isoTimestampMillis(value);
		if (millis === millis) return millis;
	}
	return toEpochMillis(value, field);
}

const TRUE_WORDS = new Set(['true', 'yes', 'y', '1', 'on']);
const FALSE_WORDS = new Set(['false', 'no', 'n', '0', 'off']);

/**
 * A yes/no flag as stores and CRMs write it: booleans, "true"/"false", "yes"/"no", "1"/"0", "on"/"off",
 * or a count (0 is no, more is yes: "2 open tickets" counts as an open case).
 */
export function readFlag(value: unknown, field: string): boolean {
	if (typeof value === 'boolean') return value;
	if (typeof value === 'number' && Number.isFinite(value)) return value > 0;
	if (typeof value === 'string') {
		const word = value.trim().toLowerCase();
		if (TRUE_WORDS.has(word)) return true;
		if (FALSE_WORDS.has(word)) return false;
		if (/^\d+$/.test(word)) return Number(word) > 0;
	}
	throw new NormalizationError(field, `${describeValue(value)} is not a yes/no value (use true/false, yes/no, 1/0 or a count)`, value);
}

/** A plain number (days, scores): numbers or numeric text. */
export function readNumber(value: unknown, field: string): number {
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	if (typeof value === 'string' && value.trim() !== '') {
		const number = Number(value.trim());
		if (Number.isFinite(number)) return number;
	}
	throw new NormalizationError(field, `${describeValue(value)} is not a number`, value);
}

/** An amount of money: numbers, or text such as "1,234.50" read by the canonical money parser. */
export function readAmount(value: unknown, field: string): number {
	return typeof value === 'number' && Number.isFinite(value) ? value : parseMoney(value, field);
}

/**
 * Segment and stage values compared loosely: case, spaces, underscores and apostrophes do not matter,
 * so the RFM Scorer's key `cant_lose_them`, its label "Can't Lose Them" and a CRM picklist value
 * "Cant Lose Them" are the same value.
 */
export function normalizeKey(value: unknown): string {
	return String(value).toLowerCase().replace(/[^a-z0-9]+/g, '');
}

export type IsoFormatter = (millis: number) => string;

/** toISOString without a memory, for callers that format one date at a time. */
export const toIsoString: IsoFormatter = (millis) => new Date(millis).toISOString();

/**
 * Short, stable rendering of a date for reasons: "2024-03-01" or "2024-03-01 10:15 UTC" (toISOString's
 * digits). Written from the day number (civil_from_days) rather than through a Date: reasons carry a
 * date for most customers, and this is several times cheaper.
 */
export function formatInstant(millis: number): string {
	const days = Math.floor(millis / DAY_MS);
	const dayMillis = millis - days * DAY_MS;
	// civil_from_days (H. Hinnant), the inverse of daysFromCivil.
	const shifted = days + 719_468;
	const era = Math.floor(shifted / 146_097);
	const dayOfEra = shifted - era * 146_097;
	const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
	const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
	const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
	const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
	const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
	const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
	// toISOString writes other years with a sign and six digits: keep its form there.
	if (!Number.isFinite(millis) || year < 0 || year > 9999) return formatInstantSlowly(millis);
	const date = `${year < 1000 ? String(year).padStart(4, '0') : year}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
	if (dayMillis === 0) return date;
	const minutes = Math.floor(dayMillis / 60_000);
	const hour = Math.floor(minutes / 60);
	const minute = minutes - hour * 60;
	return `${date} ${hour < 10 ? '0' : ''}${hour}:${minute < 10 ? '0' : ''}${minute} UTC`;
}

function formatInstantSlowly(millis: number): string {
	const text = toIsoString(millis);
	return text.endsWith('T00:00:00.000Z') ? text.slice(0, 10) : `${text.slice(0, 10)} ${text.slice(11, 16)} UTC`;
}

/** Days or hours in reasons: whole numbers stay whole, others get one decimal. */
export function formatQuantity(value: number): string {
	// k / 10 prints with one decimal (shortest round-trip form), whole numbers without: what toFixed(1) gave, cheaper.
	return String(Math.round(value * 10) / 10);
}
