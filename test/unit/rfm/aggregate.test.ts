import fc from 'fast-check';
import { DateTime } from 'luxon';

import type { AggregationResult, HygieneOptions } from '../../../core/rfm/aggregate';
import { DEFAULT_CUSTOMER_FIELDS, DEFAULT_HYGIENE, DEFAULT_ORDER_FIELDS, aggregateCustomers, aggregateOrders } from '../../../core/rfm/aggregate';
import { createIsoFormatter } from '../../../core/model/timestamps';
import { createDateReader, createDayNumberer, resolveZone } from '../../../core/rfm/readers';

const UTC = resolveZone('UTC')!;
const REFERENCE = Date.parse('2024-06-30T12:00:00Z');

function order(id: string | null, email: string | null, createdAt: unknown, total: unknown, extra: Record<string, unknown> = {}) {
	return { id, createdAt, total, refundedTotal: 0, status: 'paid', currency: 'EUR', customer: { id: email ? `c-${email}` : null, email }, ...extra };
}

function run(records: unknown[], hygiene: Partial<HygieneOptions> = {}, zone = UTC, referenceMillis = REFERENCE, rollUp: 'customer' | 'account' = 'customer') {
	return aggregateOrders(records, DEFAULT_ORDER_FIELDS, { ...DEFAULT_HYGIENE, ...hygiene }, { zone, referenceMillis, rollUp });
}

function row(result: AggregationResult, key: string) {
	const i = result.table.keys.indexOf(key);
	if (i < 0) throw new Error(`no customer ${key}`);
	const t = result.table;
	return {
		frequency: t.frequency[i],
		purchaseDays: t.purchaseDays[i],
		monetary: t.monetary[i],
		repeatSpend: t.repeatSpend[i],
		firstDay: t.firstDay[i],
		lastDay: t.lastDay[i],
		sources: Array.from(t.sourceIndex.subarray(t.sourceStart[i], t.sourceStart[i + 1])),
		accountKey: t.accountKeys[i],
		previousSegment: t.previousSegments[i],
	};
}

/** Every input index is either a source of exactly one customer or exactly one exclusion. */
function expectAllAccounted(result: AggregationResult, n: number) {
	const seen = new Array<number>(n).fill(0);
	for (const index of result.table.sourceIndex) seen[index]++;
	for (const exclusion of result.exclusions) seen[exclusion.index]++;
	expect(seen.every((count) => count === 1)).toBe(true);
	expect(result.table.sourceStart[result.table.size]).toBe(result.table.sourceIndex.length);
}

describe('reading canonical orders', () => {
	it('reads orders and CommerceEvent order items, keyed by e-mail (any case) with the customer id as fallback', () => {
		const records = [
			order('1', 'Ann@Example.com', '2024-01-01T10:00:00.000Z', 100),
			{ entity: 'order', type: 'order.created', eventId: 'e1', topic: 'orders/create', order: order('2', 'ann@example.com', '2024-02-01T10:00:00Z', 50) },
			order('3', null, '2024-03-01T10:00:00Z', 20, { customer: { id: 'store-77', email: null } }),
		];
		const result = run(records);
		expect(result.table.keys).toEqual(['ann@example.com', 'store-77']);
		expect(row(result, 'ann@example.com')).toMatchObject({ frequency: 2, monetary: 150, sources: [0, 1] });
		expect(row(result, 'store-77')).toMatchObject({ frequency: 1, monetary: 20, sources: [2] });
		expectAllAccounted(result, 3);
	});

	it('reads amounts written as text with the shared money parser', () => {
		const result = run([order('1', 'a@x.io', '2024-01-01T00:00:00Z', '1,234.50'), order('2', 'a@x.io', '2024-01-02T00:00:00Z', '€ 10,25')]);
		expect(row(result, 'a@x.io').monetary).toBeCloseTo(1244.75, 10);
		const comma = aggregateOrders([order('1', 'b@x.io', '2024-01-01T00:00:00Z', '1.234,50')], DEFAULT_ORDER_FIELDS, { ...DEFAULT_HYGIENE, money: { decimalSeparator: ',' } }, { zone: UTC, referenceMillis: REFERENCE });
		expect(row(comma, 'b@x.io').monetary).toBeCloseTo(1234.5, 10);
	});

	it('reports each unreadable item with its index, reason and field, and keeps it out of the population', () => {
		const records = [
			order('1', 'a@x.io', '2024-01-01T00:00:00Z', 10),
			order('2', null, '2024-01-01T00:00:00Z', 10),
			order('3', 'a@x.io', 'yesterday', 10),
			order('4', 'a@x.io', '2024-02-30T10:00:00Z', 10),
			order('5', 'a@x.io', '2024-01-01T00:00:00Z', 'ten euros'),
			order('6', 'a@x.io', '2031-01-01T00:00:00Z', 10),
			order('7', 'a@x.io', '2024-01-01T00:00:00Z', -10),
			{ entity: 'cart', eventId: 'e', topic: 'checkouts/create', cart: {} },
			'not an object',
			order('8', 'a@x.io', '2024-01-01T00:00:00Z', 10, { refundedTotal: 'n/a' }),
		];
		const result = run(records);
		expect(result.exclusions.map((e) => [e.index, e.reason, e.field])).toEqual([
			[1, 'missing_customer_key', 'customer.email'],
			[2, 'invalid_date', 'createdAt'],
			[3, 'invalid_date', 'createdAt'],
			[4, 'invalid_amount', 'total'],
			[5, 'future_date', 'createdAt'],
			[6, 'negative_total', 'total'],
			[7, 'not_an_order', null],
			[8, 'not_an_order', null],
			[9, 'invalid_amount', 'refundedTotal'],
		]);
		expect(result.exclusions[1].message).toBe(
			'Item 2: field "createdAt" "yesterday" is not a date and time this package can read (use ISO-8601 such as "2024-03-01T10:15:00Z", "2024-03-01 10:15:00", or Unix seconds) — map the order date in "Order Date Field"',
		);
		expect(result.exclusions[0].message).toMatch(/^Item 1: fields "customer.email" and "customer.id" are empty — map the customer's email or id in "Customer Key Field"$/);
		expect(result.exclusions[6].message).toMatch(/this is a cart event, not an order/);
		expect(row(result, 'a@x.io')).toMatchObject({ frequency: 1, monetary: 10 });
		expectAllAccounted(result, records.length);
	});
});

describe('order hygiene', () => {
	it('leaves out cancelled, failed and voided orders (and the operator\'s own list)', () => {
		const records = [
			order('1', 'a@x.io', '2024-01-01T00:00:00Z', 10),
			order('2', 'a@x.io', '2024-01-02T00:00:00Z', 10, { status: 'cancelled' }),
			order('3', 'a@x.io', '2024-01-03T00:00:00Z', 10, { status: 'Canceled' }),
			order('4', 'a@x.io', '2024-01-04T00:00:00Z', 10, { status: 'pending' }),
		];
		const result = run(records);
		expect(result.counts.excluded_status).toBe(2);
		expect(row(result, 'a@x.io').frequency).toBe(2);
		expect(run(records, { excludedStatuses: ['cancelled', 'canceled', 'pending'] }).counts.excluded_status).toBe(3);
		expect(result.exclusions[0].message).toBe('Item 1: order 2 has status "cancelled", which is not counted as a purchase (see "Excluded Statuses")');
	});

	it('drops duplicates by order id: the last item of an order wins (a later cancel or refund event supersedes)', () => {
		const records = [
			order('1', 'a@x.io', '2024-01-01T00:00:00Z', 100),
			order('2', 'a@x.io', '2024-01-05T00:00:00Z', 40),
			order('1', 'a@x.io', '2024-01-01T00:00:00Z', 100, { refundedTotal: 30, status: 'partially_refunded' }),
			order('2', 'a@x.io', '2024-01-05T00:00:00Z', 40, { status: 'cancelled' }),
		];
		const result = run(records);
		expect(result.exclusions.map((e) => [e.index, e.reason])).toEqual([
			[0, 'duplicate_order'],
			[1, 'duplicate_order'],
			[3, 'excluded_status'],
		]);
		expect(row(result, 'a@x.io')).toMatchObject({ frequency: 1, monetary: 70, sources: [2] });
		expectAllAccounted(result, 4);
	});

	it('finds duplicates among many orders of one customer', () => {
		const records = Array.from({ length: 40 }, (_, i) => order(String(i % 25), 'a@x.io', `2024-01-${String((i % 25) + 1).padStart(2, '0')}T00:00:00Z`, 1));
		const result = run(records);
		expect(result.counts.duplicate_order).toBe(15);
		expect(row(result, 'a@x.io').frequency).toBe(25);
	});

	it('nets refunds off the total; a fully refunded order has value 0 and is counted only on request', () => {
		const records = [
			order('1', 'a@x.io', '2024-01-01T00:00:00Z', 100, { refundedTotal: 25 }),
			order('2', 'a@x.io', '2024-01-02T00:00:00Z', 50, { refundedTotal: 50, status: 'refunded' }),
			order('3', 'a@x.io', '2024-01-03T00:00:00Z', 20, { refundedTotal: 35 }),
		];
		const result = run(records);
		expect(result.counts.zero_value).toBe(2);
		expect(result.overRefundedOrders).toBe(1);
		expect(row(result, 'a@x.io')).toMatchObject({ frequency: 1, monetary: 75 });
		const counted = run(records, { countZeroValueOrders: true });
		expect(row(counted, 'a@x.io')).toMatchObject({ frequency: 3, monetary: 75 });
	});

	it('treats negative totals as refunds under a refund status or when asked, never otherwise', () => {
		const records = [
			order('1', 'a@x.io', '2024-01-01T00:00:00Z', 100),
			order('r1', 'a@x.io', '2024-01-02T00:00:00Z', -30, { status: 'refunded' }),
			order('r2', 'a@x.io', '2024-01-03T00:00:00Z', -20),
			order('r3', 'b@x.io', '2024-01-03T00:00:00Z', -20, { status: 'refunded' }),
		];
		const strict = run(records);
		expect(strict.exclusions.map((e) => [e.index, e.reason])).toEqual([
			[2, 'negative_total'],
			[3, 'refund_without_order'],
		]);
		expect(row(strict, 'a@x.io')).toMatchObject({ frequency: 1, monetary: 70, sources: [0, 1] });
		expect(strict.refundsApplied).toBe(1);
		const lenient = run(records, { negativeTotalsAreRefunds: true });
		expect(row(lenient, 'a@x.io')).toMatchObject({ frequency: 1, monetary: 50, sources: [0, 1, 2] });
		expectAllAccounted(lenient, 4);
	});

	it('clamps a customer whose refunds exceed the spend at 0 and counts it', () => {
		const result = run([order('1', 'a@x.io', '2024-01-01T00:00:00Z', 10), order('2', 'a@x.io', '2024-01-02T00:00:00Z', -50, { status: 'refunded' })]);
		expect(row(result, 'a@x.io').monetary).toBe(0);
		expect(result.negativeNetCustomers).toBe(1);
	});

	it('merges same-day orders on request; purchase days (BG/NBD) are always distinct days', () => {
		const records = [
			order('1', 'a@x.io', '2024-01-01T08:00:00Z', 10),
			order('2', 'a@x.io', '2024-01-01T18:00:00Z', 15),
			order('3', 'a@x.io', '2024-01-04T00:00:00Z', 30),
			order('4', 'a@x.io', '2024-01-09T00:00:00Z', 40),
		];
		expect(row(run(records), 'a@x.io')).toMatchObject({ frequency: 4, purchaseDays: 3, monetary: 95, repeatSpend: 70 });
		expect(row(run(records, { mergeSameDayOrders: true }), 'a@x.io')).toMatchObject({ frequency: 3, purchaseDays: 3, monetary: 95 });
	});

	it('takes the account key and the previous segment from the latest order that has them', () => {
		const result = run([
			order('1', 'a@x.io', '2024-01-01T00:00:00Z', 10, { accountKey: 'acme', previousSegment: 'loyal' }),
			order('2', 'a@x.io', '2024-01-02T00:00:00Z', 10, { previousSegment: 'champions' }),
		]);
		expect(row(result, 'a@x.io')).toMatchObject({ accountKey: 'acme', previousSegment: 'champions' });
	});

	it('rolls contacts up to their account', () => {
		const records = [
			order('1', 'a@acme.io', '2024-01-01T00:00:00Z', 10, { accountKey: 'acme.io' }),
			order('2', 'b@acme.io', '2024-02-01T00:00:00Z', 20, { accountKey: 'acme.io' }),
			order('3', 'c@gmail.com', '2024-03-01T00:00:00Z', 30),
		];
		const result = run(records, {}, UTC, REFERENCE, 'account');
		expect(result.table.keys).toEqual(['acme.io', 'c@gmail.com']);
		expect(row(result, 'acme.io')).toMatchObject({ frequency: 2, monetary: 30, accountKey: 'acme.io', sources: [0, 1] });
		expect(result.table.contactKeys).toEqual([['a@acme.io', 'b@acme.io'], ['c@gmail.com']]);
	});

	it('accounts for every item, whatever the input', () => {
		const value = fc.oneof(
			fc.constant(undefined),
			fc.constant(null),
			fc.constant(''),
			fc.integer({ min: -100, max: 500 }),
			fc.constantFrom('12.50', '1,234.50', 'abc', '-3', '(4.00)'),
		);
		const date = fc.oneof(
			fc.constant(undefined),
			fc.constantFrom('2024-01-01T10:00:00Z', '2024-05-05 10:00:00', '20240303', 'garbage', '2030-01-01T00:00:00Z', '2024-06-30T23:59:59+02:00'),
			fc.integer({ min: 1_600_000_000, max: 1_800_000_000 }),
		);
		const record = fc.record({
			id: fc.oneof(fc.constant(undefined), fc.constantFrom('1', '2', '3', '4'), fc.integer({ min: 1, max: 4 })),
			createdAt: date,
			total: value,
			refundedTotal: value,
			status: fc.constantFrom('paid', 'cancelled', 'refunded', 'partially_refunded', undefined, 7),
			customer: fc.record({ email: fc.constantFrom('a@x.io', 'B@x.io', '', null, undefined), id: fc.constantFrom('1', null, undefined) }),
		});
		fc.assert(
			fc.property(fc.array(fc.oneof(record, fc.constant(null), fc.constant(42)), { maxLength: 60 }), fc.boolean(), fc.boolean(), fc.boolean(), (records, zero, merge, negative) => {
				const result = run(records, { countZeroValueOrders: zero, mergeSameDayOrders: merge, negativeTotalsAreRefunds: negative });
				expectAllAccounted(result, records.length);
				for (let i = 0; i < result.table.size; i++) {
					expect(Number.isFinite(result.table.monetary[i]) && result.table.monetary[i] >= 0).toBe(true);
					expect(result.table.frequency[i]).toBeGreaterThanOrEqual(1);
					expect(result.table.lastDay[i]).toBeLessThanOrEqual(result.referenceDay);
				}
			}),
			{ numRuns: 300 },
		);
	});
});

describe('dates and calendar days', () => {
	it('reads ISO with offsets, local timestamps in the zone, YYYYMMDD and Unix seconds or milliseconds', () => {
		const read = createDateReader('Europe/Berlin');
		expect(read('2024-03-01T10:15:00+02:00', 'd')).toBe(Date.parse('2024-03-01T08:15:00Z'));
		expect(read('2024-03-01 10:15:00', 'd')).toBe(Date.parse('2024-03-01T09:15:00Z'));
		expect(read('20240301', 'd')).toBe(Date.parse('2024-02-29T23:00:00Z'));
		expect(read(1709287200, 'd')).toBe(1709287200000);
		expect(read(1709287200123, 'd')).toBe(1709287200123);
		expect(read('2024-02-29T10:00:00Z', 'd')).toBe(Date.parse('2024-02-29T10:00:00Z'));
		expect(() => read('2023-02-29T10:00:00Z', 'd')).toThrow(/not a date/);
		expect(() => read('1960-01-01T00:00:00Z', 'd')).toThrow(/outside the years/);
	});

	it('numbers days in the operator\'s timezone, across daylight-saving changes', () => {
		for (const name of ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata', 'UTC']) {
			const zone = resolveZone(name)!;
			const dayOf = createDayNumberer(zone);
			for (const iso of ['2024-03-10T06:30:00Z', '2024-03-10T07:30:00Z', '2024-03-31T00:59:59Z', '2024-03-31T01:00:00Z', '2024-04-06T15:29:00Z', '2024-04-06T15:31:00Z', '2024-11-03T05:59:00Z', '2024-11-03T06:01:00Z']) {
				const ms = Date.parse(iso);
				const local = DateTime.fromMillis(ms, { zone: name });
				const expected = Math.floor(Date.UTC(local.year, local.month - 1, local.day) / 86_400_000);
				expect([name, iso, dayOf(ms)]).toEqual([name, iso, expected]);
			}
		}
	});

	it('formats instants exactly as Date.prototype.toISOString does', () => {
		const iso = createIsoFormatter();
		for (const ms of [0, 1, 999, 86_399_999, 86_400_000, Date.parse('2024-02-29T23:59:59.999Z'), Date.UTC(2201, 0, 1) - 1, Date.UTC(2201, 0, 1), -1, -86_400_001, 1.5]) {
			expect([ms, iso(ms)]).toEqual([ms, new Date(ms).toISOString()]);
		}
		fc.assert(
			fc.property(fc.integer({ min: -1e12, max: 8e12 }), (ms) => iso(ms) === new Date(ms).toISOString()),
			{ numRuns: 2000 },
		);
	});

	it('measures recency in calendar days of the zone and leaves out orders after the reference day', () => {
		const berlin = resolveZone('Europe/Berlin')!;
		const reference = Date.parse('2024-06-30T21:30:00Z'); // 23:30 on 30 June in Berlin
		const result = run(
			[
				order('1', 'a@x.io', '2024-06-29T22:30:00Z', 10), // 30 June, 00:30 in Berlin
				order('2', 'b@x.io', '2024-06-30T22:30:00Z', 10), // 1 July in Berlin: after the reference day
			],
			{},
			berlin,
			reference,
		);
		expect(row(result, 'a@x.io').lastDay).toBe(result.referenceDay);
		expect(result.exclusions.map((e) => e.reason)).toEqual(['future_date']);
	});
});

describe('pre-aggregated customers (mode b)', () => {
	const fields = DEFAULT_CUSTOMER_FIELDS;
	const customer = (email: unknown, extra: Record<string, unknown> = {}) => ({ email, firstOrderAt: '2023-01-01T00:00:00Z', lastOrderAt: '2024-06-01T00:00:00Z', ordersCount: 4, totalSpent: 400, ...extra });

	it('reads first/last order date, order count and spend; repeat spend is the average order value times the repeat orders', () => {
		const result = aggregateCustomers([customer('a@x.io'), customer('b@x.io', { firstOrderAt: null, ordersCount: '1', totalSpent: '99.90' })], fields, {}, { zone: UTC, referenceMillis: REFERENCE });
		expect(result.table.keys).toEqual(['a@x.io', 'b@x.io']);
		expect(Array.from(result.table.frequency)).toEqual([4, 1]);
		expect(Array.from(result.table.monetary)).toEqual([400, 99.9]);
		expect(Array.from(result.table.repeatSpend)).toEqual([300, 0]);
		expect(result.table.firstDay[1]).toBe(result.table.lastDay[1]);
		expectAllAccounted(result, 2);
	});

	it('reports unusable customers with the reason', () => {
		const records = [
			customer(''),
			customer('a@x.io', { ordersCount: 0 }),
			customer('b@x.io', { ordersCount: 2.5 }),
			customer('c@x.io', { firstOrderAt: '' }),
			customer('d@x.io', { lastOrderAt: '2030-01-01T00:00:00Z' }),
			customer('e@x.io', { firstOrderAt: '2024-06-02T00:00:00Z' }),
			customer('f@x.io', { totalSpent: -1 }),
			customer('g@x.io'),
			customer('G@x.io'),
		];
		const result = aggregateCustomers(records, fields, {}, { zone: UTC, referenceMillis: REFERENCE });
		expect(result.exclusions.map((e) => [e.index, e.reason])).toEqual([
			[0, 'missing_customer_key'],
			[1, 'invalid_order_count'],
			[2, 'invalid_order_count'],
			[3, 'invalid_date'],
			[4, 'future_date'],
			[5, 'invalid_date'],
			[6, 'negative_total'],
			[8, 'duplicate_customer'],
		]);
		expect(result.table.keys).toEqual(['g@x.io']);
		expectAllAccounted(result, records.length);
	});
});
