import fc from 'fast-check';

import { formatInstant, formatQuantity } from '../../../core/router/fields';
import { computeSendTime, scheduleSequence } from '../../../core/router';
import { DAY, REFERENCE, iso, routeOf } from './routerFixtures';

describe('send time', () => {
	it('now: the reference time', () => {
		expect(computeSendTime({ mode: 'now' }, { lastOrderAt: null, averageDaysBetweenOrders: null }, REFERENCE, 0)).toEqual({ millis: REFERENCE, reason: 'Send now' });
	});

	it('delay: reference time + N days', () => {
		expect(computeSendTime({ mode: 'delay', days: 2.5 }, { lastOrderAt: null, averageDaysBetweenOrders: null }, REFERENCE, 0)).toEqual({
			millis: REFERENCE + 2.5 * DAY,
			reason: 'Send 2.5 days after the reference time',
		});
	});

	it('purchase cycle: last order + the usual gap', () => {
		const lastOrderAt = REFERENCE - 10 * DAY;
		const sendTime = computeSendTime({ mode: 'purchaseCycle' }, { lastOrderAt, averageDaysBetweenOrders: 24.5 }, REFERENCE, 0);
		expect(sendTime.millis).toBe(lastOrderAt + 24.5 * DAY);
		expect(iso(sendTime.millis)).toBe('2024-06-15T12:00:00.000Z');
		expect(sendTime.reason).toBe('Send on 2024-06-15 12:00 UTC: last order 2024-05-22 + usual gap 24.5 days');
	});

	it('purchase cycle never schedules in the past: a gap already passed means now', () => {
		const sendTime = computeSendTime({ mode: 'purchaseCycle' }, { lastOrderAt: REFERENCE - 100 * DAY, averageDaysBetweenOrders: 30 }, REFERENCE, 0);
		expect(sendTime).toEqual({ millis: REFERENCE, reason: 'Send now: last order 2024-02-22 + usual gap 30 days is already due' });
	});

	it('purchase cycle with no usual gap (one order): the default gap, or now when it is 0', () => {
		const rhythm = { lastOrderAt: REFERENCE - 5 * DAY, averageDaysBetweenOrders: null };
		expect(computeSendTime({ mode: 'purchaseCycle' }, rhythm, REFERENCE, 0)).toEqual({ millis: REFERENCE, reason: 'Send now: the customer has no usual gap between orders yet' });
		const withDefault = computeSendTime({ mode: 'purchaseCycle' }, rhythm, REFERENCE, 30);
		expect(withDefault.millis).toBe(REFERENCE + 25 * DAY);
		expect(withDefault.reason).toBe('Send on 2024-06-26: last order 2024-05-27 + default gap 30 days (no usual gap yet)');
	});

	it('purchase cycle with no last order date: now', () => {
		expect(computeSendTime({ mode: 'purchaseCycle' }, { lastOrderAt: null, averageDaysBetweenOrders: 20 }, REFERENCE, 0).reason).toBe(
			'Send now: no last order date to time the purchase cycle from',
		);
	});

	it('the sequence is dated from the send time', () => {
		expect(scheduleSequence([{ step: 1, dayOffset: 0, template: 'a' }, { step: 2, dayOffset: 14, template: 'b' }], REFERENCE)).toEqual([
			{ step: 1, dayOffset: 0, template: 'a', sendAt: '2024-06-01T00:00:00.000Z' },
			{ step: 2, dayOffset: 14, template: 'b', sendAt: '2024-06-15T00:00:00.000Z' },
		]);
	});

	it('the default Second Purchase route uses "Gap When Unknown" for one-order customers', () => {
		const item = { segment: 'new_customers', lastOrderAt: '2024-05-20T00:00:00Z', averageDaysBetweenOrders: null };
		expect(routeOf(item).fields.sendAt).toBe(iso(REFERENCE));
		expect(routeOf(item, { defaultGapDays: 21 }).fields.sendAt).toBe('2024-06-10T00:00:00.000Z');
	});

	it('an unreadable gap sends the item to Unmatched', () => {
		const decision = routeOf({ segment: 'loyal', lastOrderAt: '2024-05-20T00:00:00Z', averageDaysBetweenOrders: 'monthly' });
		expect(decision.fields.route).toBe('unmatched');
		expect(decision.fields.reasons[0]).toBe('Field "averageDaysBetweenOrders": "monthly" is not a number — fix the value on the item or change "Average Days Between Orders Field"');
	});
});

describe('dates in reasons', () => {
	// The reference form: toISOString's date, and its hour and minute unless the time is exactly midnight.
	const viaIsoString = (millis: number) => {
		const text = new Date(millis).toISOString();
		return text.endsWith('T00:00:00.000Z') ? text.slice(0, 10) : `${text.slice(0, 10)} ${text.slice(11, 16)} UTC`;
	};

	it('formatInstant writes what toISOString gives, for any instant from year 0 to 9999 and beyond', () => {
		const instant = fc.oneof(
			fc.integer({ min: Date.parse('0000-01-01T00:00:00.000Z'), max: Date.parse('9999-12-31T23:59:59.999Z') }),
			fc.integer({ min: 0, max: 400 * 366 }).map((days) => Date.UTC(1970, 0, 1) + days * DAY),
			fc.integer({ min: -8.64e15, max: 8.64e15 }),
		);
		fc.assert(fc.property(instant, (millis) => expect(formatInstant(millis)).toBe(viaIsoString(millis))), { numRuns: 5000 });
		for (const millis of [0, Date.UTC(2000, 1, 29), Date.UTC(2100, 1, 28, 23, 59), Date.UTC(1999, 11, 31, 0, 0, 1), -1, Date.parse('+010000-01-01T00:00:00.000Z'), Date.parse('-000001-12-31T12:00:00.000Z')]) {
			expect(formatInstant(millis)).toBe(viaIsoString(millis));
		}
	});
});

describe('quantities in reasons', () => {
	it('formatQuantity writes whole numbers plainly and others with one decimal, as toFixed(1) does', () => {
		const reference = (value: number) => {
			const rounded = Math.round(value * 10) / 10;
			return Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(1);
		};
		fc.assert(fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), (value) => expect(formatQuantity(value)).toBe(reference(value))), { numRuns: 20_000 });
		for (const value of [0, -0, 0.05, 0.15, 2.25, 14, 1 / 3, -2.34, 72.04999]) expect(formatQuantity(value)).toBe(reference(value));
	});
});
