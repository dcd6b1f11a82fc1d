import { DateTime } from 'luxon';

import { parseDateTime, toEpochMillis, toIsoUtc, toOptionalIsoUtc } from '../../../core/model/time';
import { seededRandom } from '../../helpers/random';
import { errorField } from './helpers';

describe('toIsoUtc', () => {
	it.each([
		['2024-03-01T10:00:00-05:00', '2024-03-01T15:00:00.000Z'], // Shopify
		['2024-03-22T10:15:30+0530', '2024-03-22T04:45:30.000Z'], // Zoho: offset without colon
		['2016-06-11T17:38:06-0700', '2016-06-12T00:38:06.000Z'], // Zoho docs example
		['2024-03-22T19:28:02', '2024-03-22T19:28:02.000Z'], // WooCommerce *_gmt: zone-less UTC
		['2024-03-01T10:15:00Z', '2024-03-01T10:15:00.000Z'],
		['2024-03-01T10:15:00.123456Z', '2024-03-01T10:15:00.123Z'],
		['2024-03-01 10:15:00', '2024-03-01T10:15:00.000Z'],
		['2024-03-01 10:15', '2024-03-01T10:15:00.000Z'],
		['2024/03/01', '2024-03-01T00:00:00.000Z'],
		['2024-03-01', '2024-03-01T00:00:00.000Z'],
		['20240301', '2024-03-01T00:00:00.000Z'],
		['01.03.2024', '2024-03-01T00:00:00.000Z'],
		['Fri, 01 Mar 2024 10:15:00 +0100', '2024-03-01T09:15:00.000Z'],
		['1709288100', '2024-03-01T10:15:00.000Z'], // epoch seconds as text
		[1709288100, '2024-03-01T10:15:00.000Z'],
		[1709288100000, '2024-03-01T10:15:00.000Z'], // epoch milliseconds
	])('reads %p as %p', (input, expected) => {
		expect(toIsoUtc(input, 'created_at')).toBe(expected);
	});

	it('reads Date objects', () => {
		expect(toIsoUtc(new Date(Date.UTC(2024, 2, 1, 10, 15)), 'createdAt')).toBe('2024-03-01T10:15:00.000Z');
	});

	it('reads zone-less text in the given zone, but keeps explicit offsets', () => {
		expect(toIsoUtc('2024-03-22T17:28:02', 'date_created', { zone: 'Europe/Berlin' })).toBe('2024-03-22T16:28:02.000Z');
		expect(toIsoUtc('2024-07-01 12:00:00', 'date', { zone: 'Europe/Berlin' })).toBe('2024-07-01T10:00:00.000Z');
		expect(toIsoUtc('2024-03-22', 'date', { zone: 'Asia/Kolkata' })).toBe('2024-03-21T18:30:00.000Z');
		expect(toIsoUtc('2024-03-01T10:00:00-05:00', 'created_at', { zone: 'Europe/Berlin' })).toBe('2024-03-01T15:00:00.000Z');
	});

	it('names the setting when the zone itself is wrong', () => {
		expect(errorField(() => toIsoUtc('2024-03-01 10:00:00', 'created_at', { zone: 'Mars/Olympus' }))).toBe('zone');
	});

	it.each([['yesterday'], ['2024-13-01'], ['2024-02-30T10:00:00Z'], ['0000-00-00 00:00:00'], [''], ['   '], [null], [undefined], [{}], [true], [-5], [NaN], ['1800-01-01T00:00:00Z'], ['2999-01-01T00:00:00Z']])(
		'rejects %p with an error naming the field',
		(input) => {
			expect(errorField(() => toIsoUtc(input, 'date_created_gmt'))).toBe('date_created_gmt');
		},
	);

	it('explains what it can read', () => {
		expect(() => toIsoUtc('soon', 'created_at')).toThrow(/created_at: "soon" is not a date and time.*ISO-8601/);
	});
});

describe('toOptionalIsoUtc and toEpochMillis', () => {
	it('absent and blank give null; odd dates still throw', () => {
		expect(toOptionalIsoUtc(null, 'completed_at')).toBeNull();
		expect(toOptionalIsoUtc(undefined, 'completed_at')).toBeNull();
		expect(toOptionalIsoUtc(' ', 'completed_at')).toBeNull();
		expect(errorField(() => toOptionalIsoUtc('later', 'completed_at'))).toBe('completed_at');
	});

	it('gives epoch milliseconds of the UTC instant', () => {
		expect(toEpochMillis('2024-03-01T10:00:00-05:00', 'created_at')).toBe(Date.UTC(2024, 2, 1, 15));
		expect(parseDateTime('2024-03-01T10:00:00-05:00', 'created_at').offset).toBe(-300);
	});
});

describe('local formats', () => {
	// The documented local forms (on trimmed text), tried with luxon's own format parser and no shortcut: the reference the
	// reader must agree with on any text (it only skips formats the text cannot have the shape of).
	const FORMATS = ['yyyy-MM-dd HH:mm:ss', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd HH:mm:ss', 'yyyy/MM/dd', 'yyyyMMdd', 'dd.MM.yyyy', 'dd.MM.yyyy HH:mm:ss'];

	function readByEveryFormat(untrimmed: string): number | null {
		const text = untrimmed.trim();
		for (const format of FORMATS) {
			const dt = DateTime.fromFormat(text, format, { zone: 'utc' });
			if (dt.isValid) return dt.year >= 1970 && dt.year <= 2200 ? dt.toMillis() : null;
		}
		return null;
	}

	function readOrNull(text: string): number | null {
		try {
			return toEpochMillis(text, 'createdAt');
		} catch {
			return null;
		}
	}

	it('reads every local form as luxon does, on valid and mangled dates', () => {
		const random = seededRandom(7);
		const mangles = '0123456789-/. :';
		let read = 0;
		for (let index = 0; index < 4000; index++) {
			let text = DateTime.fromMillis(Math.floor(random() * 4e12), { zone: 'utc' }).toFormat(FORMATS[index % FORMATS.length]);
			for (let edit = Math.floor(random() * 3); edit > 0; edit--) {
				const at = Math.floor(random() * (text.length + 1));
				const char = mangles[Math.floor(random() * mangles.length)];
				text = random() < 0.5 ? text.slice(0, at) + char + text.slice(at + 1) : text.slice(0, at) + char + text.slice(at);
			}
			const expected = readByEveryFormat(text);
			// ISO and epoch forms are read before the local ones: compare only text none of those take.
			if (DateTime.fromISO(text.trim(), { zone: 'utc' }).isValid || /^\d{9,13}(\.\d+)?$/.test(text.trim())) continue;
			expect([text, readOrNull(text)]).toEqual([text, expected]);
			if (expected !== null) read++;
		}
		expect(read).toBeGreaterThan(500);
	});
});
