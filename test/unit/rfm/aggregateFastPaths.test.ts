/**
 * The aggregation's fast paths against plain reference definitions: customer keys grouped by their
 * raw form and normalised once per spelling (keyGroups.ts), order timestamps whose input text is reused
 * as the output's first/last order date, duplicate ids found through a tag (pairwise, or sorted by tag
 * in larger groups), and the per-customer sums kept as the orders go by.
 */
import fc from 'fast-check';

import { DEFAULT_HYGIENE, DEFAULT_ORDER_FIELDS, aggregateOrders } from '../../../core/rfm/aggregate';
import { createIsoFormatter } from '../../../core/model/timestamps';
import { resolveZone } from '../../../core/rfm/readers';

const UTC = resolveZone('UTC')!;
const REFERENCE = Date.parse('2024-06-30T12:00:00Z');

function run(records: unknown[]) {
	return aggregateOrders(records, DEFAULT_ORDER_FIELDS, DEFAULT_HYGIENE, { zone: UTC, referenceMillis: REFERENCE, rollUp: 'customer' });
}

/** Sources of each customer key, as the table lists them. */
function groups(result: ReturnType<typeof run>): Map<string, number[]> {
	const t = result.table;
	return new Map(t.keys.map((key, i) => [key, Array.from(t.sourceIndex.subarray(t.sourceStart[i], t.sourceStart[i + 1]))]));
}

describe('customer keys', () => {
	it('groups orders by the trimmed, lower-cased e-mail whatever the spelling, order of items or fallback to the customer id', () => {
		const people = ['ann@example.com', 'Bob@Example.com', 'carl', 'dora@x.org'];
		const spelling = fc.record({
			person: fc.integer({ min: 0, max: people.length - 1 }),
			upper: fc.boolean(),
			padded: fc.boolean(),
			emailMissing: fc.boolean(),
		});
		fc.assert(
			fc.property(fc.array(spelling, { maxLength: 40 }), (orders) => {
				const spelled = orders.map((o) => {
					const email = o.upper ? people[o.person].toUpperCase() : people[o.person];
					// Without an e-mail the customer id is the key: a different customer from the e-mail's.
					return o.emailMissing ? null : o.padded ? `  ${email} ` : email;
				});
				const records = orders.map((o, i) => ({ id: `o${i}`, createdAt: '2024-01-02T03:04:05.000Z', total: 10, status: 'paid', customer: { id: `id-${o.person}`, email: spelled[i] } }));
				// The reference definition: trimmed; lower-cased when it is an e-mail (has an "@").
				const expected = new Map<string, number[]>();
				orders.forEach((o, i) => {
					const email = spelled[i]?.trim();
					const key = email === undefined ? `id-${o.person}` : email.includes('@') ? email.toLowerCase() : email;
					expected.set(key, [...(expected.get(key) ?? []), i]);
				});
				expect(groups(run(records))).toEqual(expected);
			}),
		);
	});
});

describe('first and last order dates', () => {
	const instant = fc.integer({ min: Date.parse('2000-01-01T00:00:00Z'), max: REFERENCE - 1 });
	const forms = ['canonical', 'seconds', 'offset', 'utcOffset', 'milliseconds'] as const;
	const write = (ms: number, form: (typeof forms)[number]): unknown => {
		const iso = new Date(ms).toISOString();
		if (form === 'canonical') return iso;
		if (form === 'seconds') return `${iso.slice(0, 19)}Z`;
		if (form === 'utcOffset') return iso.replace('Z', '+00:00');
		if (form === 'offset') return new Date(ms + 2 * 3_600_000).toISOString().replace('Z', '+02:00');
		return ms;
	};

	it('are the earliest and latest instants, written as Date.prototype.toISOString writes them, whatever form the input used', () => {
		const dated = fc.record({ ms: instant, form: fc.constantFrom(...forms) });
		fc.assert(
			fc.property(fc.array(dated, { minLength: 1, maxLength: 12 }), (orders) => {
				const records = orders.map((o, i) => ({ id: `o${i}`, createdAt: write(o.ms, o.form), total: 10, status: 'paid', customer: { email: 'a@b.c' } }));
				const t = run(records).table;
				const effective = orders.map((o) => (o.form === 'seconds' ? Math.floor(o.ms / 1000) * 1000 : o.ms));
				const first = Math.min(...effective);
				const last = Math.max(...effective);
				expect([t.firstAt[0], t.lastAt[0]]).toEqual([first, last]);
				const format = createIsoFormatter();
				expect(t.firstAtText?.[0] ?? format(t.firstAt[0])).toBe(new Date(first).toISOString());
				expect(t.lastAtText?.[0] ?? format(t.lastAt[0])).toBe(new Date(last).toISOString());
			}),
		);
	});

	it('reuse only input text that is already in that form', () => {
		const records = [
			{ id: '1', createdAt: '2024-01-02T03:04:05Z', total: 10, customer: { email: 'a@b.c' } },
			{ id: '2', createdAt: '2024-02-02T03:04:05.000+00:00', total: 10, customer: { email: 'a@b.c' } },
			{ id: '3', createdAt: '2024-03-02T03:04:05.120Z', total: 10, customer: { email: 'x@b.c' } },
		];
		const t = run(records).table;
		expect(t.firstAtText?.[0]).toBeUndefined();
		expect(t.lastAtText?.[0]).toBeUndefined();
		expect(t.firstAtText?.[1]).toBe('2024-03-02T03:04:05.120Z');
	});
});

describe('duplicate order ids', () => {
	it('are compared in full: ids alike in length and last characters stay apart, equal ids are one order', () => {
		const records = ['A-0012', 'B-0012', 'A-0012', 'A-9912', 'B-0012'].map((id, i) => ({ id, createdAt: '2024-01-02T03:04:05.000Z', total: 10 + i, customer: { email: 'a@b.c' } }));
		const result = run(records);
		expect(result.exclusions.map((e) => [e.index, e.reason])).toEqual([
			[0, 'duplicate_order'],
			[1, 'duplicate_order'],
		]);
		expect(result.table.frequency[0]).toBe(3);
		expect(result.table.monetary[0]).toBe(12 + 13 + 14);
	});
});

describe('per-customer figures against a plain reference', () => {
	// Ids alike in length and last two characters (one tag) and unlike; customers with a few orders and
	// with many (the sorted-by-tag path from 17 orders on, long runs of one tag from 17 alike).
	const ids = ['A-0012', 'B-0012', 'C-0012', 'A-9912', 'A-0013', 'Z-12', 'order-1', 'order-2'];
	const orderArbitrary = fc.record({
		customer: fc.constantFrom(0, 0, 0, 0, 0, 1, 2, 3),
		id: fc.oneof(fc.constantFrom(...ids), fc.integer({ min: 0, max: 40 }).map((k) => `X${String(k).padStart(3, '0')}12`), fc.constant(null)),
		day: fc.integer({ min: 0, max: 9 }),
		hour: fc.integer({ min: 0, max: 23 }),
		total: fc.integer({ min: 0, max: 50 }),
		status: fc.constantFrom('paid', 'paid', 'paid', 'cancelled', 'refunded'),
	});

	it('match a direct definition: later items win, excluded and zero-value orders left out, refunds netted, first-day spend apart', () => {
		fc.assert(
			fc.property(fc.array(orderArbitrary, { maxLength: 120, size: 'max' }), (orders) => {
				const records = orders.map((o) => ({
					id: o.id,
					createdAt: new Date(Date.UTC(2024, 0, 1 + o.day, o.hour)).toISOString(),
					total: o.status === 'refunded' ? -o.total : o.total,
					status: o.status,
					customer: { email: `c${o.customer}@x.io` },
				}));
				const result = run(records);
				const superseded = (i: number) => orders[i].id !== null && orders.some((o, later) => later > i && o.customer === orders[i].customer && o.id === orders[i].id);
				const expected = new Map<string, { frequency: number; monetary: number; purchaseDays: number; repeatSpend: number; sources: number[] }>();
				for (let c = 0; c < 4; c++) {
					const mine = orders.map((o, i) => ({ ...o, i })).filter((o) => o.customer === c && !superseded(o.i));
					const counted = mine.filter((o) => o.status === 'paid' && o.total > 0);
					if (counted.length === 0) continue;
					const refunds = mine.filter((o) => o.status === 'refunded' && o.total > 0);
					const spend = counted.reduce((sum, o) => sum + o.total, 0);
					const firstDay = Math.min(...counted.map((o) => o.day));
					const days = new Set(counted.map((o) => o.day)).size;
					const firstDaySpend = counted.filter((o) => o.day === firstDay).reduce((sum, o) => sum + o.total, 0);
					expected.set(`c${c}@x.io`, {
						frequency: counted.length,
						monetary: Math.max(0, spend - refunds.reduce((sum, o) => sum + o.total, 0)),
						purchaseDays: days,
						repeatSpend: days > 1 ? spend - firstDaySpend : 0,
						sources: [...counted, ...refunds].map((o) => o.i).sort((p, q) => p - q),
					});
				}
				const t = result.table;
				const actual = new Map(
					t.keys.map((key, k) => [
						key,
						{
							frequency: t.frequency[k],
							monetary: t.monetary[k],
							purchaseDays: t.purchaseDays[k],
							repeatSpend: t.repeatSpend[k],
							sources: Array.from(t.sourceIndex.subarray(t.sourceStart[k], t.sourceStart[k + 1])),
						},
					]),
				);
				expect(actual).toEqual(expected);
				const duplicates = result.exclusions.filter((e) => e.reason === 'duplicate_order').map((e) => e.index);
				expect(duplicates).toEqual(orders.map((_, i) => i).filter(superseded));
			}),
			{ numRuns: 300 },
		);
	});
});
