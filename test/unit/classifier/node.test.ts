import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { B2bClassifier } from '../../../nodes/B2bClassifier/B2bClassifier.node';
import { containsExpression, settingsReader } from '../../../nodes/B2bClassifier/settings';
import { jsonOf, runNode } from '../../helpers/nodeHarness';

const node = new B2bClassifier();

function order(email: string | null, total: unknown, extra: IDataObject = {}): IDataObject {
	return {
		id: String(total),
		total: total as IDataObject[string],
		currency: 'USD',
		customer: { email, emailInvalid: null, firstName: 'Sam', lastName: 'Lee', company: null, taxId: null },
		billingAddress: null,
		shippingAddress: null,
		lineItems: [{ quantity: 1 }],
		...extra,
	};
}

const defaults = { mode: 'weightedScore', output: 'annotate' };

describe('B2B Classifier node', () => {
	it('annotates every item on one output with the classification fields, keeping the item', async () => {
		const items = [order('sam.lee@acme.com', 900), order('sam@gmail.com', 20)];
		const { outputs } = await runNode(node, { parameters: defaults, items });
		expect(outputs).toHaveLength(1);
		const [first, second] = jsonOf(outputs[0]);
		expect(first).toMatchObject({ id: '900', isB2B: true, score: 60, emailDomain: 'acme.com', accountKey: 'acme.com', accountName: 'Acme', disposableEmail: false, classificationMode: 'weightedScore', signals: { companyEmailDomain: 35, orderTotalOverThreshold: 25 }, warnings: [] });
		expect(second).toMatchObject({ id: '20', isB2B: false, score: 0 });
		expect(outputs[0].map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(items[0]).not.toHaveProperty('isB2B');
	});

	it('splits into B2B (output 0) and B2C (output 1), pairing each item', async () => {
		const items = [order('sam@gmail.com', 20), order('buyer@acme.com', 900), order('x@yopmail.com', 20)];
		const { outputs } = await runNode(node, { parameters: { ...defaults, output: 'split' }, items });
		expect(outputs).toHaveLength(2);
		expect(outputs[0].map((item) => item.pairedItem)).toEqual([{ item: 1 }]);
		expect(outputs[1].map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);
		expect(jsonOf(outputs[1])[1]).toMatchObject({ disposableEmail: true });
	});

	it('returns empty outputs for no input', async () => {
		expect((await runNode(node, { parameters: { ...defaults, output: 'split' }, items: [] })).outputs).toEqual([[], []]);
	});

	it('classifies Commerce Trigger events without any mapping', async () => {
		const { outputs } = await runNode(node, { parameters: defaults, items: [{ type: 'order.created', entity: 'order', order: order('buyer@acme.com', 900) }] });
		expect(jsonOf(outputs[0])[0]).toMatchObject({ entity: 'order', isB2B: true, accountKey: 'acme.com' });
	});

	it('applies the threshold rule, currency settings and mapped fields', async () => {
		const { outputs } = await runNode(node, {
			parameters: {
				mode: 'thresholdRule',
				output: 'annotate',
				orderTotalThreshold: 400,
				thresholdCurrency: 'EUR',
				exchangeRates: { rates: [{ currency: 'USD', rate: 0.9 }] },
				fieldMapping: { emailField: 'contact.mail', orderTotalField: 'sum', currencyField: 'cur' },
			},
			items: [
				{ contact: { mail: 'a@gmail.com' }, sum: '450', cur: 'USD' }, // 405 EUR > 400
				{ contact: { mail: 'a@gmail.com' }, sum: '440', cur: 'USD' }, // 396 EUR
				{ contact: { mail: 'a@gmail.com' }, sum: '9000', cur: 'GBP' }, // no rate: not comparable
			],
		});
		expect(jsonOf(outputs[0]).map((json) => json.isB2B)).toEqual([true, false, false]);
		expect(jsonOf(outputs[0])[0].reasons).toEqual(['Free-mail domain gmail.com: not a company domain', 'Order total 450.00 USD = 405.00 EUR over 400.00 EUR (rule: B2B)']);
		expect(jsonOf(outputs[0])[2].warnings).toEqual(['Order total 9000.00 GBP not comparable with 400.00 EUR: no exchange rate for GBP — add one under "Exchange Rates"']);
	});

	it('keeps items with bad input, classified on the remaining signals', async () => {
		const { outputs } = await runNode(node, { parameters: defaults, items: [order(null, 'lots', { billingAddress: { company: 'Acme Inc.' } })] });
		expect(jsonOf(outputs[0])[0]).toMatchObject({
			isB2B: true,
			score: 50,
			warnings: [
				'No email in "customer.email": email signals not used — map the customer\'s email in "Email Field"',
				'Order total "lots" in "total" is not a number: order total signal not used',
			],
		});
	});

	it('with Strict Input, fails a bad item naming the item and the field', async () => {
		const run = runNode(node, { parameters: { ...defaults, options: { strictInput: true } }, items: [order('a@acme.com', 10), order('nope', 10)] });
		await expect(run).rejects.toThrow(NodeOperationError);
		await expect(run).rejects.toThrow('Item 1: Email "nope" in "customer.email" is not a valid address: email signals not used');
	});

	it('with Strict Input and Continue On Fail, the bad item leaves as an error item on the first output', async () => {
		const { outputs } = await runNode(node, {
			parameters: { ...defaults, output: 'split', options: { strictInput: true } },
			items: [order('a@acme.com', 900), order('nope', 10), order('b@gmail.com', 10)],
			continueOnFail: true,
		});
		expect(outputs[0].map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(jsonOf(outputs[0])[1]).toMatchObject({ id: '10', error: 'Item 1: Email "nope" in "customer.email" is not a valid address: email signals not used' });
		expect(jsonOf(outputs[0])[1]).not.toHaveProperty('isB2B');
		expect(outputs[1].map((item) => item.pairedItem)).toEqual([{ item: 2 }]);
	});

	it('fails on a bad setting naming the parameter', async () => {
		const run = runNode(node, { parameters: { ...defaults, exchangeRates: { rates: [{ currency: 'EUR', rate: -1 }] } }, items: [order('a@acme.com', 1)] });
		await expect(run).rejects.toThrow('Item 0: setting "Exchange Rates, entry 1" rate for EUR must be a positive number (USD per 1 EUR), got -1');
	});

	it('under Continue On Fail a bad setting turns every item into an error item', async () => {
		const { outputs } = await runNode(node, { parameters: { ...defaults, thresholdCurrency: 'dollars' }, items: [order('a@acme.com', 1), order('b@acme.com', 1)], continueOnFail: true });
		expect(jsonOf(outputs[0]).map((json) => json.error)).toEqual([
			'Item 0: setting "Threshold Currency" expected a three-letter currency code such as "USD", got "dollars"',
			'Item 1: setting "Threshold Currency" expected a three-letter currency code such as "USD", got "dollars"',
		]);
	});

	it('keeps binary data', async () => {
		const binary = { data: { data: 'aGk=', mimeType: 'text/plain' } };
		const { outputs } = await runNode(node, { parameters: defaults, items: [{ json: order('a@acme.com', 1), binary }] });
		expect(outputs[0][0].binary).toBe(binary);
	});
});

describe('parameter reads', () => {
	it('detects expressions in raw parameter values', () => {
		expect(containsExpression('={{ $json.threshold }}')).toBe(true);
		expect(containsExpression({ rates: [{ currency: 'EUR', rate: '={{ $json.rate }}' }] })).toBe(true);
		expect(containsExpression({ rates: [{ currency: 'EUR', rate: 1.08 }] })).toBe(false);
		expect(containsExpression(500)).toBe(false);
	});

	it('reads static settings once per run, and expression settings per item, recompiling only on change', () => {
		const reads: string[] = [];
		const thresholds = [100, 100, 900];
		const read = (name: string, itemIndex: number, fallback: unknown) => {
			reads.push(`${name}@${itemIndex}`);
			return name === 'orderTotalThreshold' ? thresholds[itemIndex] : fallback;
		};
		const staticFor = settingsReader('weightedScore', { orderTotalThreshold: 100 }, read);
		expect([0, 1, 2].map(staticFor).every((settings, _, all) => settings === all[0])).toBe(true);
		expect(reads.filter((entry) => entry.startsWith('orderTotalThreshold'))).toEqual(['orderTotalThreshold@0']);
		expect(reads).toHaveLength(9);

		reads.length = 0;
		const perItemFor = settingsReader('weightedScore', { orderTotalThreshold: '={{ $json.limit }}' }, read);
		const compiled = [0, 1, 2].map(perItemFor);
		expect(reads.filter((entry) => entry.startsWith('orderTotalThreshold'))).toEqual(['orderTotalThreshold@0', 'orderTotalThreshold@1', 'orderTotalThreshold@2']);
		expect(reads).toHaveLength(8 + 3);
		expect(compiled[0]).toBe(compiled[1]);
		expect(compiled[2]).not.toBe(compiled[1]);
		const input = compiled[0].read({ total: 500, currency: 'USD', customer: { email: 'a@gmail.com' }, lineItems: [] });
		expect(compiled[0].classify(input).fields.signals).toEqual({ orderTotalOverThreshold: 25 });
		expect(compiled[2].classify(input).fields.signals).toEqual({});
	});
});
