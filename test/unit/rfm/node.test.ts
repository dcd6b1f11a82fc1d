import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { RfmCustomerFields } from '../../../core/model/segments';
import { RfmScorer } from '../../../nodes/RfmScorer/RfmScorer.node';
import type { HarnessOptions } from '../../helpers/nodeHarness';
import { jsonOf, runNode } from '../../helpers/nodeHarness';
import { readCdnowTransactions } from './datasets';

const FIXED = { referenceDate: 'fixed', fixedReferenceDate: '2024-07-01T00:00:00' };

function order(id: string, email: string | null, createdAt: unknown, total: unknown, extra: Record<string, unknown> = {}): IDataObject {
	return { id, createdAt, total, refundedTotal: 0, status: 'paid', currency: 'EUR', customer: { id: null, email }, ...extra } as IDataObject;
}

/** 20 customers; customer k bought k+1 times, 10 days apart, the last 3·(19−k) days before 1 June 2024, for 10·(k+1) each. */
function population(): IDataObject[] {
	const items: IDataObject[] = [];
	for (let k = 0; k < 20; k++) {
		for (let j = 0; j <= k; j++) {
			const at = new Date(Date.UTC(2024, 5, 1) - (j * 10 + (19 - k) * 3) * 86_400_000).toISOString();
			items.push(order(`${k}-${j}`, `c${k}@shop.io`, at, 10 * (k + 1)));
		}
	}
	return items;
}

const run = (parameters: Record<string, unknown>, items: IDataObject[], extra: Partial<HarnessOptions> = {}) => runNode(new RfmScorer(), { parameters: { ...FIXED, ...parameters }, items, ...extra });

/** Every number anywhere in the outputs must be finite. */
function expectNoNonFinite(outputs: INodeExecutionData[][]) {
	const bad: string[] = [];
	const walk = (value: unknown, path: string) => {
		if (typeof value === 'number' && !Number.isFinite(value)) bad.push(path);
		else if (value && typeof value === 'object') for (const [key, inner] of Object.entries(value)) walk(inner, `${path}.${key}`);
	};
	outputs.forEach((output, o) => output.forEach((item, i) => walk(item.json, `output${o}[${i}]`)));
	expect(bad).toEqual([]);
}

const FIELD_NAMES: Array<keyof RfmCustomerFields> = [
	'customerKey',
	'accountKey',
	'recencyDays',
	'frequency',
	'monetary',
	'averageOrderValue',
	'firstOrderAt',
	'lastOrderAt',
	'tenureDays',
	'averageDaysBetweenOrders',
	'rScore',
	'fScore',
	'mScore',
	'rfmCode',
	'segment',
	'segmentLabel',
	'lifecycleStage',
	'historicalClv',
	'simpleClv',
	'probabilityAlive',
	'expectedPurchases',
	'expectedAverageOrderValue',
	'predictedClv',
	'previousSegment',
	'segmentChanged',
];

describe('RFM Scorer node', () => {
	it('describes itself with three named outputs', () => {
		const { description } = new RfmScorer();
		expect(description.name).toBe('rfmScorer');
		expect(description.displayName).toBe('RFM Scorer');
		expect(description.outputNames).toEqual(['Customers', 'Summary', 'Excluded']);
	});

	it('scores canonical orders with the defaults: the RfmCustomerFields, pairedItem to the orders, a summary', async () => {
		const items = population();
		const { outputs } = await run({}, items);
		const customers = jsonOf(outputs[0]);
		expect(customers).toHaveLength(20);
		for (const customer of customers) expect(Object.keys(customer).sort()).toEqual([...FIELD_NAMES].sort());
		const top = customers.find((c) => c.customerKey === 'c19@shop.io') as IDataObject;
		expect(top).toMatchObject({ frequency: 20, monetary: 4000, averageOrderValue: 200, fScore: 5, mScore: 5, historicalClv: 4000 });
		expect(top).toMatchObject({ recencyDays: 30, rScore: 5, rfmCode: '555', segment: 'champions', segmentLabel: 'Champions' });

		// pairedItem: each customer lists exactly its own orders; all orders appear once.
		const paired = outputs[0].flatMap((item) => (item.pairedItem as Array<{ item: number }>).map((p) => p.item));
		expect(paired.sort((a, b) => a - b)).toEqual(items.map((_, i) => i));
		const first = outputs[0].find((item) => item.json.customerKey === 'c0@shop.io') as INodeExecutionData;
		expect(first.pairedItem).toEqual([{ item: 0 }]);

		const summary = jsonOf(outputs[1])[0];
		expect(summary).toMatchObject({ customers: 20, itemsRead: items.length, ordersCounted: items.length, excludedItems: 0, segmentScheme: 'rfm11', currencies: { EUR: items.length } });
		expect(outputs[2]).toEqual([]);
		expectNoNonFinite(outputs);
	});

	it('sends every left-out item to Excluded with the reason and the input index', async () => {
		const items = [
			...population(),
			order('x1', null, '2024-01-01T00:00:00Z', 10),
			order('x2', 'c1@shop.io', 'soon', 10),
			order('x3', 'c1@shop.io', '2024-01-01T00:00:00Z', 10, { status: 'cancelled' }),
			order('x4', 'c1@shop.io', '2025-01-01T00:00:00Z', 10),
		];
		const n = items.length;
		const { outputs } = await run({}, items);
		const excluded = outputs[2];
		expect(excluded.map((item) => [item.json.itemIndex, item.json.reason, item.pairedItem])).toEqual([
			[n - 4, 'missing_customer_key', { item: n - 4 }],
			[n - 3, 'invalid_date', { item: n - 3 }],
			[n - 2, 'excluded_status', { item: n - 2 }],
			[n - 1, 'future_date', { item: n - 1 }],
		]);
		expect(excluded[1].json.error).toMatch(/^Item \d+: field "createdAt" "soon" is not a date/);
		const summary = jsonOf(outputs[1])[0] as { exclusions: Record<string, number>; excludedItems: number };
		expect(summary.excludedItems).toBe(4);
		expect(summary.exclusions).toMatchObject({ missing_customer_key: 1, invalid_date: 1, excluded_status: 1, future_date: 1 });
		expect(outputs[0]).toHaveLength(20);
	});

	it('stops on an invalid item when asked, naming the item and field', async () => {
		const items = [...population(), order('x1', 'c1@shop.io', 'soon', 10)];
		await expect(run({ options: { invalidItems: 'fail' } }, items)).rejects.toThrow(new RegExp(`^Item ${items.length - 1}: field "createdAt" "soon" is not a date`));
		await expect(run({ options: { invalidItems: 'fail' } }, items)).rejects.toBeInstanceOf(NodeOperationError);
		const { outputs } = await run({ options: { invalidItems: 'fail' } }, items, { continueOnFail: true });
		expect(outputs[2]).toHaveLength(1);
	});

	it('renames labels without changing the machine key, and reports segment changes', async () => {
		const items = population().map((item) => ({ ...item, previousSegment: (item.customer as IDataObject).email === 'c19@shop.io' ? 'Lost' : "Can't Lose Them" }));
		const { outputs } = await run({ options: { segmentLabels: { labels: [{ segment: 'champions', label: 'VIP' }] } } }, items);
		const customers = jsonOf(outputs[0]);
		for (const customer of customers) {
			if (customer.segment === 'champions') expect(customer.segmentLabel).toBe('VIP');
			const previous = customer.customerKey === 'c19@shop.io' ? 'lost' : 'cant_lose_them';
			expect(customer.previousSegment).toBe(previous);
			expect(customer.segmentChanged).toBe(customer.segment !== previous);
		}
		expect(customers.some((c) => c.segment === 'champions')).toBe(true);
	});

	it('offers fixed thresholds and the two other segment schemes', async () => {
		const items = population();
		const thresholds = await run(
			{ scoringMethod: 'thresholds', recencyThresholds: '30, 60, 90, 120', frequencyThresholds: '1, 2, 5, 10', monetaryThresholds: '50, 100, 1000, 2000', segmentScheme: 'threshold' },
			items,
		);
		const top = jsonOf(thresholds.outputs[0]).find((c) => c.customerKey === 'c19@shop.io') as IDataObject;
		// c19: last order 30 days before 1 July (a value equal to a cut point is in the lower band: score 5),
		// 20 orders, 4000 spent; not a Champion, whose rule needs recency below 30 days.
		expect(top).toMatchObject({ recencyDays: 30, rScore: 5, fScore: 5, mScore: 5, segment: 'Other', segmentLabel: 'Other' });
		const grid = await run({ segmentScheme: 'rfGrid' }, items);
		for (const c of jsonOf(grid.outputs[0])) expect(['champions', 'loyal_customers', 'potential_loyalists', 'new_customers', 'promising', 'need_attention', 'about_to_sleep', 'at_Risk', 'cant_loose', 'hibernating']).toContain(c.segment);
		await expect(run({ scoringMethod: 'thresholds', recencyThresholds: '30, 20' }, items)).rejects.toThrow(/Parameter "Recency Thresholds \(Days\)": expected 4 numbers/);
	});

	it('scores pre-aggregated customers (mode b)', async () => {
		const items: IDataObject[] = Array.from({ length: 10 }, (_, k) => ({
			email: `p${k}@shop.io`,
			firstOrderAt: '2023-01-01T00:00:00Z',
			lastOrderAt: `2024-0${(k % 6) + 1}-15T00:00:00Z`,
			ordersCount: k + 1,
			totalSpent: 100 * (k + 1),
		}));
		items.push({ email: 'bad@shop.io', lastOrderAt: '2024-01-01', ordersCount: 'many', totalSpent: 5 });
		const { outputs } = await run({ inputShape: 'customers' }, items);
		expect(outputs[0]).toHaveLength(10);
		expect(outputs[0][3].pairedItem).toEqual([{ item: 3 }]);
		expect(jsonOf(outputs[0])[3]).toMatchObject({ customerKey: 'p3@shop.io', frequency: 4, monetary: 400, averageOrderValue: 100 });
		expect(jsonOf(outputs[2])).toMatchObject([{ itemIndex: 10, reason: 'invalid_order_count' }]);
	});

	it('rolls up to accounts', async () => {
		const items = [
			order('1', 'a@acme.io', '2024-01-01T00:00:00Z', 100, { accountKey: 'acme.io' }),
			order('2', 'b@acme.io', '2024-02-01T00:00:00Z', 200, { accountKey: 'acme.io' }),
			order('3', 'solo@gmail.com', '2024-03-01T00:00:00Z', 50),
		];
		const { outputs } = await run({ options: { rollUpToAccounts: true } }, items);
		const customers = jsonOf(outputs[0]);
		expect(customers.map((c) => [c.customerKey, c.accountKey, c.frequency, c.monetary, c.contactKeys])).toEqual([
			['acme.io', 'acme.io', 2, 300, ['a@acme.io', 'b@acme.io']],
			['solo@gmail.com', null, 1, 50, ['solo@gmail.com']],
		]);
		expect(outputs[0][0].pairedItem).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('measures days in the operator\'s timezone and refuses an unknown one', async () => {
		const items = [order('1', 'a@x.io', '2024-06-30T22:30:00Z', 10)];
		const berlin = await run({ fixedReferenceDate: '2024-07-01T12:00:00', options: { timezone: 'Europe/Berlin' } }, items);
		expect(jsonOf(berlin.outputs[0])[0].recencyDays).toBe(0);
		const utc = await run({ fixedReferenceDate: '2024-07-01T12:00:00', options: { timezone: 'UTC' } }, items);
		expect(jsonOf(utc.outputs[0])[0].recencyDays).toBe(1);
		await expect(run({ options: { timezone: 'Mars/Olympus' } }, items)).rejects.toThrow(/Parameter "Timezone": "Mars\/Olympus" is not a timezone/);
	});

	it('uses now as the default reference date', async () => {
		const recent = new Date(Date.now() - 3 * 86_400_000).toISOString();
		const { outputs } = await runNode(new RfmScorer(), { parameters: { options: { timezone: 'UTC' } }, items: [order('1', 'a@x.io', recent, 10)] });
		expect(jsonOf(outputs[0])[0].recencyDays).toBe(3);
	});

	it('fails predictive CLV with a clear message when the data cannot support it, or reports it with Continue On Fail', async () => {
		const items = population().slice(0, 6);
		await expect(run({ predictiveClv: true }, items)).rejects.toThrow(/^Predictive CLV could not be computed\. BG\/NBD: only 2 of 3 customers bought more than once .*at least 20/);
		const { outputs } = await run({ predictiveClv: true }, items, { continueOnFail: true });
		expect(jsonOf(outputs[0]).every((c) => c.predictedClv === null && c.probabilityAlive === null)).toBe(true);
		expect(jsonOf(outputs[1])[0].predictiveError).toMatch(/only 2 of 3 customers/);
		expectNoNonFinite(outputs);
	});

	it('fits BG/NBD and Gamma-Gamma on CDNOW through the node (α in days) and never outputs NaN or Infinity', async () => {
		const items = readCdnowTransactions().map((t) => ({ customer: { id: t.sampleId }, createdAt: t.date, total: t.dollars })) as IDataObject[];
		const { outputs } = await run(
			{
				customerKeyField: 'customer.id',
				fallbackCustomerKeyField: '',
				fixedReferenceDate: '1997-09-30T00:00:00',
				predictiveClv: true,
				horizonMonths: 12,
				annualDiscountRate: 10,
				options: { timezone: 'UTC', countZeroValueOrders: true },
			},
			items,
		);
		const summary = jsonOf(outputs[1])[0] as { predictive: { bgNbd: Record<string, number>; gammaGamma: Record<string, number> } };
		const { bgNbd, gammaGamma } = summary.predictive;
		expect(Math.abs(bgNbd.r / 0.243 - 1)).toBeLessThan(0.01);
		expect(Math.abs(bgNbd.alpha / (4.414 * 7) - 1)).toBeLessThan(0.01);
		expect(Math.abs(bgNbd.a / 0.793 - 1)).toBeLessThan(0.01);
		expect(Math.abs(bgNbd.b / 2.426 - 1)).toBeLessThan(0.01);
		expect(Math.abs(gammaGamma.p / 6.25 - 1)).toBeLessThan(0.01);
		expect(Math.abs(gammaGamma.q / 3.74 - 1)).toBeLessThan(0.01);
		expect(Math.abs(gammaGamma.gamma / 15.44 - 1)).toBeLessThan(0.01);
		const customers = jsonOf(outputs[0]);
		expect(customers).toHaveLength(2357);
		for (const c of customers) {
			expect(c.probabilityAlive as number).toBeGreaterThanOrEqual(0);
			expect(c.probabilityAlive as number).toBeLessThanOrEqual(1);
			expect(c.predictedClv as number).toBeGreaterThanOrEqual(0);
		}
		expect(jsonOf(outputs[2]).every((e) => e.reason === 'future_date')).toBe(true);
		expectNoNonFinite(outputs);
	});

	it('outputs only finite numbers on hostile input', async () => {
		const items: IDataObject[] = [
			order('1', 'a@x.io', '2024-06-30T00:00:00Z', 0, { refundedTotal: 0 }),
			order('2', 'b@x.io', '2024-06-30T00:00:00Z', 1e300),
			order('3', 'c@x.io', 0, 5),
			order('4', 'd@x.io', '2024-06-30T00:00:00Z', 'NaN'),
			order('5', 'e@x.io', '2024-06-30T00:00:00Z', '1e999'),
			order('6', 'f@x.io', '2024-06-30T00:00:00Z', 5, { refundedTotal: -5 }),
		];
		const { outputs } = await run({ options: { countZeroValueOrders: true } }, items);
		expectNoNonFinite(outputs);
		const { outputs: empty } = await run({}, []);
		expect(empty[0]).toEqual([]);
		expect(jsonOf(empty[1])[0]).toMatchObject({ customers: 0, itemsRead: 0 });
	});
});
