/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console */
/**
 * B2B Classifier benchmark.
 *  1. Quality on the labelled set (test/fixtures/b2b/labelled-orders.json): confusion matrix, precision,
 *     recall and F1 (B2B = positive) for both modes, run through the node's execute().
 *  2. Speed: 100,000 orders through the node's execute() in the test harness (test/helpers/nodeHarness.ts),
 *     with static parameters (read once per run) and with one expression parameter (read per item).
 *
 * Run: node scripts/run-ts.js bench/b2b-classifier.bench.ts [--orders 100000]
 */
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';

import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';

import { disposableDomains, freeMailDomains } from '../core/classifier/domains';
import { registrableDomain } from '../core/classifier/publicSuffix';

import { FIXTURE_RATES_TO_USD, evaluate, loadLabelledOrders } from '../test/fixtures/b2b/evaluate';
import { jsonOf, runNode } from '../test/helpers/nodeHarness';

// Required with its extension: Node's resolver would take the codex B2bClassifier.node.json for
// "B2bClassifier.node" (.json is tried before .ts under scripts/run-ts.js).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { B2bClassifier } = require('../nodes/B2bClassifier/B2bClassifier.node.ts') as typeof import('../nodes/B2bClassifier/B2bClassifier.node');

const argument = (name: string, fallback: number) => {
	const index = process.argv.indexOf(name);
	return index > 0 ? Number(process.argv[index + 1]) : fallback;
};
const ORDER_COUNT = argument('--orders', 100_000);

const labelled = loadLabelledOrders();
const exchangeRates = { rates: Object.entries(FIXTURE_RATES_TO_USD).map(([currency, rate]) => ({ currency, rate })) };
const parameters = (mode: string, extra: IDataObject = {}) => ({ mode, output: 'annotate', thresholdCurrency: 'USD', orderTotalThreshold: 500, exchangeRates, ...extra });
const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

async function quality(): Promise<void> {
	const b2b = labelled.filter((entry) => entry.label === 'b2b').length;
	console.log(`Labelled set: ${labelled.length} orders (${b2b} B2B, ${labelled.length - b2b} B2C), ${new Set(labelled.map((entry) => entry.persona)).size} personas, ${new Set(labelled.map((entry) => entry.order.currency)).size} currencies`);
	for (const mode of ['thresholdRule', 'weightedScore']) {
		const { outputs } = await runNode(new B2bClassifier(), { parameters: parameters(mode), items: labelled.map((entry) => entry.order as never) });
		const result = evaluate(labelled, jsonOf(outputs[0]).map((json) => json.isB2B as boolean));
		console.log(`\n== ${mode === 'thresholdRule' ? 'Threshold rule' : 'Weighted score (default settings)'}`);
		console.log(`precision ${percent(result.precision)}  recall ${percent(result.recall)}  F1 ${result.f1.toFixed(3)}  accuracy ${percent(result.accuracy)}`);
		console.log('                 predicted B2B  predicted B2C');
		console.log(`  actual B2B     ${String(result.truePositives).padStart(13)}  ${String(result.falseNegatives).padStart(13)}`);
		console.log(`  actual B2C     ${String(result.falsePositives).padStart(13)}  ${String(result.trueNegatives).padStart(13)}`);
		console.log('  errors by persona:');
		for (const [persona, count] of Object.entries(result.errorsByPersona).sort((a, b) => b[1] - a[1])) {
			const total = labelled.filter((entry) => entry.persona === persona).length;
			console.log(`    ${String(count).padStart(3)} / ${String(total).padEnd(3)} ${persona}`);
		}
	}
}

/**
 * 100,000 orders cycled from the labelled set, each with its own id and address; 1 in 5 on a fresh company
 * domain. Wrapped as n8n items ({ json }) as n8n hands them to execute(), so the harness adds no wrapping.
 */
function manyOrders(count: number): INodeExecutionData[] {
	const items: INodeExecutionData[] = new Array(count);
	for (let index = 0; index < count; index++) {
		const source = labelled[index % labelled.length].order;
		const email = source.customer.email ?? '';
		const at = email.indexOf('@');
		const domain = index % 5 === 0 ? `shop-${index}.example-${index % 97}.co.uk` : email.slice(at + 1);
		items[index] = { json: { ...(source as unknown as IDataObject), id: String(index), customer: { ...source.customer, email: `${email.slice(0, at)}${index}@${domain}` } } };
	}
	return items;
}

async function timeRun(label: string, items: INodeExecutionData[], extra: IDataObject = {}, runs = 5): Promise<void> {
	const walls: number[] = [];
	const cpus: number[] = [];
	let outputCount = 0;
	for (let run = 0; run < runs; run++) {
		const cpuBefore = process.cpuUsage();
		const start = performance.now();
		const { outputs } = await runNode(new B2bClassifier(), { parameters: parameters('weightedScore', extra), items });
		walls.push(performance.now() - start);
		const cpu = process.cpuUsage(cpuBefore);
		cpus.push((cpu.user + cpu.system) / 1000);
		outputCount = outputs[0].length;
	}
	const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
	const best = Math.min(...walls);
	console.log(
		`${label}: wall best ${best.toFixed(0)} ms / median ${median(walls).toFixed(0)} ms (${((best * 1000) / items.length).toFixed(2)} µs/item); ` +
			`process CPU best ${Math.min(...cpus).toFixed(0)} ms / median ${median(cpus).toFixed(0)} ms; ${outputCount} items out`,
	);
}

async function speed(): Promise<void> {
	console.log(`\n== Speed: ${ORDER_COUNT.toLocaleString('en')} orders through execute() in the test harness`);
	console.log(`node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), load average ${loadavg().map((value) => value.toFixed(2)).join(' ')} — the machine is shared, so wall times vary; CPU time includes V8's GC threads`);
	const items = manyOrders(ORDER_COUNT);
	await timeRun('weighted score, parameters read once', items);
	await timeRun('threshold rule, parameters read once', items, { mode: 'thresholdRule' });
	await timeRun('weighted score, Order Total Threshold as an expression (read per item)', items, { orderTotalThreshold: () => 500 }, 3);

	// What getNodeParameter costs in the harness; in n8n each call also runs the expression resolver.
	const names = ['orderTotalThreshold', 'thresholdCurrency', 'exchangeRates', 'scoreThreshold', 'wholesaleQuantity', 'knownBusinesses', 'listedConsumers', 'fieldMapping', 'options'];
	let reads = 0;
	const start = performance.now();
	await runNode(
		{
			description: { displayName: 'Probe', name: 'probe', version: 1 },
			async execute(this: IExecuteFunctions) {
				for (let index = 0; index < ORDER_COUNT; index++) for (const name of names) if (this.getNodeParameter(name, index, null) !== undefined) reads++;
				return [[]];
			},
		} as unknown as INodeType,
		{ parameters: parameters('weightedScore'), items: [] },
	);
	console.log(`harness getNodeParameter: ${names.length} reads × ${ORDER_COUNT.toLocaleString('en')} items = ${(performance.now() - start).toFixed(0)} ms (${reads} reads); the node reads static parameters once per run instead`);
}

/** Building the shipped sets happens once per process, on the first classified item. */
function listLoading(): void {
	const start = performance.now();
	const free = freeMailDomains().size;
	const disposable = disposableDomains().size;
	registrableDomain('warm.example.co.uk');
	console.log(`Lists built once per process: ${free.toLocaleString('en')} free-mail + ${disposable.toLocaleString('en')} disposable domains + public-suffix rules in ${(performance.now() - start).toFixed(0)} ms\n`);
}

Promise.resolve()
	.then(listLoading)
	.then(quality)
	.then(speed)
	.catch((error) => {
		console.error(error);
		process.exit(1);
	});
