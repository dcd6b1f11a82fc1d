import fc from 'fast-check';
import type { IDataObject, INodeExecutionData, INodeParameters, INodeProperties, INodeTypes } from 'n8n-workflow';
import { NodeHelpers, NodeOperationError, Workflow } from 'n8n-workflow';

import { DEFAULT_FIELD_NAMES, DEFAULT_ROUTE_OPTIONS } from '../../../core/router';
import { WinBackRouter } from '../../../nodes/WinBackRouter/WinBackRouter.node';
import { OUTPUTS_EXPRESSION } from '../../../nodes/WinBackRouter/outputs';
import { PARAMETER_DEFAULTS } from '../../../nodes/WinBackRouter/settings';
import { jsonOf, runNode } from '../../helpers/nodeHarness';
import { DAY, REFERENCE, iso } from './routerFixtures';

const DEFAULT_OUTPUTS = ['B2B Account Manager', 'VIP Loyalty', 'Replenishment', 'Win-back Incentive', 'Final Win-back', 'Second Purchase', 'Suppressed', 'Unmatched'];
const FIXED_TIME = { options: { referenceTime: iso(REFERENCE) } };

/** What n8n itself computes as the node's outputs for these parameters (n8n-workflow's own evaluator). */
function outputsInN8n(parameters: IDataObject): string[] {
	const node = new WinBackRouter();
	const nodeTypes: INodeTypes = {
		getByName: () => node,
		getByNameAndVersion: () => node,
		getKnownTypes: () => ({}),
	} as unknown as INodeTypes;
	const workflow = new Workflow({
		id: 'w',
		nodes: [{ id: 'n', name: 'Win-back Router', type: 'n8n-nodes-commerce-retention.winBackRouter', typeVersion: 1, position: [0, 0], parameters: parameters as INodeParameters }],
		connections: {},
		active: false,
		nodeTypes,
	});
	const outputs = NodeHelpers.getNodeOutputs(workflow, workflow.getNode('Win-back Router')!, node.description);
	return outputs.map((output) => (typeof output === 'string' ? output : String(output.displayName)));
}

describe('Win-back Router node: outputs on the canvas', () => {
	it('the outputs expression is one self-contained n8n expression', () => {
		expect(OUTPUTS_EXPRESSION.startsWith('={{(function')).toBe(true);
		expect(OUTPUTS_EXPRESSION.endsWith(')}}')).toBe(true);
		const body = OUTPUTS_EXPRESSION.slice(3, -2);
		// Two braces in a row would end or start an expression early.
		expect(body).not.toMatch(/\{\{|\}\}/);
		// Compiled code referring to imports (router_1.X) would fail inside n8n's expression sandbox.
		expect(body).not.toMatch(/_\d+\.|require\(|\?\.|\?\?/);
	});

	it('n8n labels the default outputs', () => {
		expect(outputsInN8n({})).toEqual(DEFAULT_OUTPUTS);
		expect(outputsInN8n({ routing: 'defaults' })).toEqual(DEFAULT_OUTPUTS);
	});

	it('n8n adds one output per custom route, before the default ones when they are kept', () => {
		const routes = { route: [{ name: 'VIP High CLV' }, { name: '' }] };
		expect(outputsInN8n({ routing: 'custom', routes })).toEqual(['VIP High CLV', 'Route 2', ...DEFAULT_OUTPUTS]);
		expect(outputsInN8n({ routing: 'custom', routes, includeDefaultRoutes: false })).toEqual(['VIP High CLV', 'Route 2', 'Suppressed', 'Unmatched']);
	});

	it('execute returns exactly the outputs n8n draws', async () => {
		const parameters = {
			routing: 'custom',
			includeDefaultRoutes: true,
			routes: { route: [{ name: 'High CLV', conditions: { condition: [{ subject: 'clvBand', clvMin: 1000 }] } }] },
			...FIXED_TIME,
		};
		const result = await runNode(new WinBackRouter(), { parameters, items: [{ segment: 'lost' }] });
		expect(result.outputs).toHaveLength(outputsInN8n(parameters).length);
		expect(result.outputs).toHaveLength(9);
	});
});

describe('Win-back Router node: parameters', () => {
	const properties = new WinBackRouter().description.properties;
	const byName = (name: string): INodeProperties[] => properties.filter((property) => property.name === name);

	it('the canvas defaults are the ones the node applies when a parameter is unset', () => {
		for (const name of ['routing', 'includeDefaultRoutes', 'suppressWhen', 'requireConsent', 'exitWindowDays', 'frequencyCapDays', 'debounceHours', 'maxDiscountShareOfClv'] as const) {
			expect([name, byName(name)[0].default]).toEqual([name, PARAMETER_DEFAULTS[name]]);
		}
		for (const settings of byName('defaultRouteSettings')) {
			const defaults = Object.fromEntries((settings.options as INodeProperties[]).map((option) => [option.name, option.default]));
			expect(defaults).toEqual(DEFAULT_ROUTE_OPTIONS);
		}
		const fieldNames = Object.fromEntries((byName('fieldNames')[0].options as INodeProperties[]).map((option) => [option.name, option.default]));
		expect(fieldNames).toEqual(DEFAULT_FIELD_NAMES);
	});
});

describe('Win-back Router node: execute', () => {
	const items = [
		{ customerKey: 'b2b', segment: 'champions', isB2B: true },
		{ customerKey: 'vip', segment: 'champions' },
		{ customerKey: 'loyal', segment: 'loyal', lastOrderAt: iso(REFERENCE - 20 * DAY), averageDaysBetweenOrders: 30 },
		{ customerKey: 'risk', segment: 'cant_lose_them', predictedClv: 400, averageOrderValue: 50 },
		{ customerKey: 'lapsed', segment: 'Other', lifecycleStage: 'lapsed' },
		{ customerKey: 'new', segment: 'new_customers', lastOrderAt: iso(REFERENCE - 10 * DAY) },
		{ customerKey: 'unsub', segment: 'champions', unsubscribed: true },
		{ customerKey: 'nothing' },
	];

	it('sends each customer to its output, keeps its fields and adds the routing fields, with pairedItem', async () => {
		const input = items.map((json) => ({ json: { ...json } as IDataObject }));
		const { outputs } = await runNode(new WinBackRouter(), { parameters: FIXED_TIME, items: input });
		expect(outputs.map((output) => jsonOf(output).map((json) => json.customerKey))).toEqual([['b2b'], ['vip'], ['loyal'], ['risk'], ['lapsed'], ['new'], ['unsub'], ['nothing']]);
		outputs.forEach((output, index) => {
			for (const item of output) {
				expect(item.pairedItem).toEqual({ item: items.findIndex((entry) => entry.customerKey === item.json.customerKey) });
				expect(item.json.routeName).toBe(DEFAULT_OUTPUTS[index]);
				expect(Object.keys(item.json)).toEqual(expect.arrayContaining(['route', 'routeName', 'reasons', 'matchedRule', 'suppressedBy', 'offer', 'sendAt', 'sequence']));
			}
		});
		expect(outputs[3][0].json).toMatchObject({ customerKey: 'risk', predictedClv: 400, route: 'win_back_incentive', offer: { type: 'percent', value: 10 } });
		expect(outputs[2][0].json.sendAt).toBe(iso(REFERENCE + 10 * DAY));
		// The input items are not changed.
		expect(input.map((item) => item.json)).toEqual(items);
	});

	it('keeps binary data on the item', async () => {
		const binary = { data: { data: 'aGk=', mimeType: 'text/plain' } };
		const { outputs } = await runNode(new WinBackRouter(), { parameters: FIXED_TIME, items: [{ json: { segment: 'lost' }, binary }] as INodeExecutionData[] });
		expect(outputs[4][0].binary).toBe(binary);
	});

	it('runs with no items', async () => {
		const { outputs } = await runNode(new WinBackRouter(), { parameters: {}, items: [] });
		expect(outputs).toEqual(DEFAULT_OUTPUTS.map(() => []));
	});

	it('a wrong setting fails the run with a message naming the setting', async () => {
		const run = runNode(new WinBackRouter(), { parameters: { ...FIXED_TIME, maxDiscountShareOfClv: 150 }, items: [{ segment: 'lost' }] });
		await expect(run).rejects.toThrow(NodeOperationError);
		await expect(runNode(new WinBackRouter(), { parameters: { ...FIXED_TIME, maxDiscountShareOfClv: 150 }, items: [{ segment: 'lost' }] })).rejects.toThrow(
			'Setting "Max Discount (% of CLV)" must be between 0 and 100 (got 150)',
		);
	});

	it('with "Continue On Fail", a wrong setting puts every item on Unmatched with the error', async () => {
		const { outputs } = await runNode(new WinBackRouter(), {
			parameters: { routing: 'custom', includeDefaultRoutes: false, routes: { route: [{ name: 'A' }] } },
			items: [{ n: 1 }, { n: 2 }],
			continueOnFail: true,
		});
		expect(outputs).toHaveLength(3);
		expect(outputs[2].map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(outputs[2][0].json).toMatchObject({ n: 1, error: 'Setting "Route 1 ("A")" has no conditions; add at least one condition so the route knows which customers it takes' });
	});
});

describe('Win-back Router node: nothing is lost (property)', () => {
	const dates = fc.oneof(
		fc.integer({ min: REFERENCE - 400 * DAY, max: REFERENCE + 10 * DAY }).map(iso),
		fc.constantFrom('not a date', '', null, '2024-02-30', 1717200000, '2024-05-31 10:00:00'),
	);
	const flag = fc.oneof(fc.boolean(), fc.constantFrom('yes', 'no', 'maybe', 0, 3, null, ''));
	const amount = fc.oneof(fc.double({ min: -100, max: 20_000, noNaN: true }), fc.constantFrom('1,234.50', 'n/a', null));
	const segment = fc.constantFrom(
		'champions',
		'loyal',
		'at_risk',
		'cant_lose_them',
		'cant_loose',
		'At_Risk',
		'Champion',
		'Other',
		'hibernating',
		'lost',
		'new_customers',
		'promising',
		"Can't Lose Them",
		'',
		null,
		42,
	);
	const customer = fc.record(
		{
			customerKey: fc.string(),
			segment,
			lifecycleStage: fc.constantFrom('new', 'early_retention', 'loyal', 'at_risk', 'lapsed', 'Lapsed', 'unknown', null),
			isB2B: flag,
			predictedClv: amount,
			historicalClv: amount,
			averageOrderValue: amount,
			topCategory: fc.constantFrom('Shoes', 'Tea', '', null),
			currency: fc.constantFrom('EUR', 'JPY', 'usd', 'euro', null),
			lastOrderAt: dates,
			averageDaysBetweenOrders: fc.oneof(fc.double({ min: 0, max: 400, noNaN: true }), fc.constantFrom(null, 'often')),
			lastRefundAt: dates,
			unsubscribed: flag,
			hasOpenSupportCase: flag,
			hasActiveSubscription: flag,
			lastContactedAt: dates,
			segmentChangedAt: dates,
			segmentChanged: flag,
			activeJourney: fc.oneof(fc.constantFrom('Welcome', '', 'no', true, false, null, 2), fc.array(fc.string(), { maxLength: 2 }), fc.constant({ id: 1 })),
		},
		{ requiredKeys: [] },
	);
	const parameters = fc.record({
		routing: fc.constantFrom('defaults', 'custom'),
		includeDefaultRoutes: fc.boolean(),
		suppressWhen: fc.subarray(PARAMETER_DEFAULTS.suppressWhen),
		requireConsent: fc.boolean(),
		maxDiscountShareOfClv: fc.integer({ min: 0, max: 100 }),
	});
	const customRoutes = {
		route: [
			{ name: 'High CLV', conditions: { condition: [{ subject: 'clvBand', clvMin: 5000 }] }, offerType: 'fixed', offerValue: 40, sendTiming: 'purchaseCycle' },
			{ name: 'Tea lovers', match: 'any', conditions: { condition: [{ subject: 'field', field: 'topCategory', operator: 'equals', value: 'tea' }, { subject: 'b2b', isB2B: false }] } },
		],
	};

	it('every input item leaves on exactly one output, once, with its pairedItem', async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(customer, { maxLength: 40 }), parameters, async (customers, chosen) => {
				const { outputs } = await runNode(new WinBackRouter(), { parameters: { ...chosen, routes: customRoutes, ...FIXED_TIME }, items: customers as IDataObject[] });
				const all = outputs.flat();
				expect(all).toHaveLength(customers.length);
				const paired = all.map((item) => (item.pairedItem as { item: number }).item).sort((a, b) => a - b);
				expect(paired).toEqual(customers.map((_, index) => index));
				const names = outputsInN8n({ ...chosen, routes: customRoutes });
				expect(outputs).toHaveLength(names.length);
				outputs.forEach((output, index) => {
					for (const item of output) {
						expect(item.json.routeName).toBe(names[index]);
						expect((item.json.reasons as string[]).length).toBeGreaterThan(0);
						// The customer's own fields are all still there.
						const source = customers[(item.pairedItem as { item: number }).item] as IDataObject;
						for (const key of Object.keys(source)) expect(item.json[key]).toEqual(source[key]);
					}
				});
			}),
			{ numRuns: 150 },
		);
	});
});
