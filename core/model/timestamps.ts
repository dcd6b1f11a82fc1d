/**
 * The canonical model's timestamps ("2024-05-31T10:15:00.000Z", or with an offset) decoded and written
 * from their digits, without Date or luxon: the RFM Scorer and the Win-back Router read and write one
 * or more per item, a million times a run. Anything outside these forms is left to core/model/time.ts,
 * which remains the one definition of what a date is; these functions give the same instants for the
 * forms they accept (tests compare them with it).
 */

import { flatText } from './text';

/** toEpochMillis accepts years up to 2200: the fast paths stop where it does. */
export const MAX_TIMESTAMP_MILLIS = Date.UTC(2201, 0, 1);
const MS_PER_DAY = 86_400_000;

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
	return ms >= 0 && ms < MAX_TIMESTAMP_MILLIS ? ms : NaN;
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
		if (!(ms >= 0 && ms < MAX_TIMESTAMP_MILLIS && Number.isInteger(ms))) return new Date(ms).toISOString();
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
		return flatText(iso);
	};
}

