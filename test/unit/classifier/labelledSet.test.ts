import { B2bClassifier } from '../../../nodes/B2bClassifier/B2bClassifier.node';
import { FIXTURE_RATES_TO_USD, evaluate, loadLabelledOrders } from '../../fixtures/b2b/evaluate';
import { jsonOf, runNode } from '../../helpers/nodeHarness';

const labelled = loadLabelledOrders();
const rates = { rates: Object.entries(FIXTURE_RATES_TO_USD).map(([currency, rate]) => ({ currency, rate })) };

async function predictions(mode: 'weightedScore' | 'thresholdRule'): Promise<boolean[]> {
	const { outputs } = await runNode(new B2bClassifier(), {
		parameters: { mode, output: 'annotate', thresholdCurrency: 'USD', exchangeRates: rates },
		items: labelled.map((entry) => entry.order as never),
	});
	return jsonOf(outputs[0]).map((json) => json.isB2B as boolean);
}

describe('labelled order set', () => {
	it('holds at least 300 orders of both kinds across regions, currencies and traps', () => {
		expect(labelled.length).toBeGreaterThanOrEqual(300);
		expect(labelled.filter((entry) => entry.label === 'b2b').length).toBeGreaterThan(100);
		expect(labelled.filter((entry) => entry.label === 'b2c').length).toBeGreaterThan(100);
		expect(new Set(labelled.map((entry) => entry.order.currency)).size).toBeGreaterThanOrEqual(10);
		expect(new Set(labelled.map((entry) => entry.persona)).size).toBeGreaterThanOrEqual(15);
	});

	it('evaluates a known confusion matrix exactly', () => {
		const sample = [
			{ label: 'b2b', persona: 'a' },
			{ label: 'b2b', persona: 'a' },
			{ label: 'b2c', persona: 'b' },
			{ label: 'b2c', persona: 'b' },
		] as never[];
		expect(evaluate(sample, [true, false, true, false])).toEqual({
			truePositives: 1, falsePositives: 1, falseNegatives: 1, trueNegatives: 1,
			precision: 0.5, recall: 0.5, f1: 0.5, accuracy: 0.5, errorsByPersona: { a: 1, b: 1 },
		});
	});

	// A regression guard for the weights and lists, not a claim about real stores: see docs/nodes/B2bClassifier.md.
	it('the weighted score keeps precision ≥ 0.9 and beats the threshold rule on F1', async () => {
		const weighted = evaluate(labelled, await predictions('weightedScore'));
		const rule = evaluate(labelled, await predictions('thresholdRule'));
		expect(weighted.precision).toBeGreaterThanOrEqual(0.9);
		expect(weighted.recall).toBeGreaterThanOrEqual(0.7);
		expect(weighted.f1).toBeGreaterThan(rule.f1);
	});
});
