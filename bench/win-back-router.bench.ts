/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console */
/**
 * Win-back Router benchmark: customers shaped like the RFM Scorer's and B2B Classifier's output go
 * through the node's execute() (via the project's test harness, as n8n calls it), once with the
 * default routes and every suppression check, once with custom routes in front of the defaults.
 *
 *   node scripts/run-ts.js bench/win-back-router.bench.ts [sizes] [runs]
 *     sizes  comma-separated customer counts (default 200000,1000000: the target size, then a million)
 *     runs   timed runs per size and configuration, median reported (default 5 up to 200,000 customers, else 1)
 * Sizes above 200,000 run the default-route configuration only.
 *
 * Each size and configuration runs in its own Node process, so "peak RSS" is that run's own peak
 * (the input items included) and "heap held" is the heap after a full GC with input and outputs alive.
 * The input items are built before timing; the time is execute() alone. Target: 200,000 in under 1 s.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

import type { IDataObject, IExecuteFunctions, INodeType } from 'n8n-workflow';

import { DEFAULT_ROUTE_NAMES } from '../core/router';
import { SPECIAL_OUTPUT_NAMES, configuredOutputs } from '../nodes/WinBackRouter/outputs';
import { runNode } from '../test/helpers/nodeHarness';
import { seededRandom } from '../test/helpers/random';

export const REFERENCE = Date.UTC(2024, 5, 1);
const DAY = 86_400_000;
const HOUR = 3_600_000;

/**
 * Share of customers per RFM segment, with the recency (days since last order) and order count each
 * segment is made of, roughly as a mid-market store's base splits under the 11-segment map.
 */
const SEGMENT_MIX: Array<{ segment: string; stage: string; share: number; recency: [number, number]; orders: [number, number] }> = [
	{ segment: 'champions', stage: 'loyal', share: 0.08, recency: [0, 30], orders: [6, 20] },
	{ segment: 'loyal', stage: 'loyal', share: 0.1, recency: [5, 60], orders: [4, 12] },
	{ segment: 'potential_loyalist', stage: 'early_retention', share: 0.1, recency: [0, 45], orders: [2, 4] },
	{ segment: 'new_customers', stage: 'new', share: 0.08, recency: [0, 30], orders: [1, 1] },
	{ segment: 'promising', stage: 'early_retention', share: 0.05, recency: [10, 60], orders: [1, 2] },
	{ segment: 'need_attention', stage: 'early_retention', share: 0.07, recency: [40, 120], orders: [2, 4] },
	{ segment: 'about_to_sleep', stage: 'at_risk', share: 0.08, recency: [60, 150], orders: [1, 2] },
	{ segment: 'at_risk', stage: 'at_risk', share: 0.12, recency: [90, 240], orders: [3, 8] },
	{ segment: 'cant_lose_them', stage: 'at_risk', share: 0.03, recency: [120, 300], orders: [8, 25] },
	{ segment: 'hibernating', stage: 'lapsed', share: 0.14, recency: [180, 400], orders: [1, 3] },
	{ segment: 'lost', stage: 'lapsed', share: 0.15, recency: [300, 730], orders: [1, 2] },
];
const CATEGORIES = ['Coffee', 'Tea', 'Mugs', 'Grinders', 'Filters'];
const CURRENCIES = ['EUR', 'EUR', 'EUR', 'USD', 'GBP'];

/**
 * Deterministic (seeded) customers; the mix of flags below is what decides Suppressed and Unmatched.
 * (An earlier version drew from `seed * 1103515245 + 12345` in doubles, which loses bits past 2^53 and
 * repeated the same 455 customers over and over: memos and caches looked better than on real data.)
 */
export function buildCustomers(total: number): IDataObject[] {
	const random = seededRandom(42);
	const between = ([low, high]: [number, number]) => low + Math.floor(random() * (high - low + 1));
	const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
	const iso = (millis: number) => new Date(millis).toISOString();
	const cumulative: number[] = [];
	SEGMENT_MIX.reduce((sum, entry) => (cumulative.push(sum + entry.share), sum + entry.share), 0);

	const list: IDataObject[] = new Array(total);
	for (let index = 0; index < total; index++) {
		const draw = random();
		const mix = SEGMENT_MIX[Math.max(0, cumulative.findIndex((edge) => draw < edge))] ?? SEGMENT_MIX[SEGMENT_MIX.length - 1];
		const frequency = between(mix.orders);
		const recencyDays = between(mix.recency);
		const lastOrderAt = REFERENCE - recencyDays * DAY - Math.floor(random() * DAY);
		const aov = Math.round((20 + random() * 180) * 100) / 100;
		const historicalClv = Math.round(frequency * aov * 100) / 100;
		const segmentChanged = random() < 0.08;
		const customer: IDataObject = {
			customerKey: `c${index}@example.com`,
			recencyDays,
			frequency,
			monetary: historicalClv,
			averageOrderValue: aov,
			firstOrderAt: iso(lastOrderAt - (frequency - 1) * 45 * DAY),
			lastOrderAt: iso(lastOrderAt),
			averageDaysBetweenOrders: frequency > 1 ? 20 + Math.floor(random() * 60) : null,
			rfmCode: `${between([1, 5])}${between([1, 5])}${between([1, 5])}`,
			segment: mix.segment,
			lifecycleStage: mix.stage,
			historicalClv,
			// About 1 in 5 has too few orders for a prediction; 1 in 50 has it as store-formatted text.
			predictedClv: random() < 0.8 ? Math.round(historicalClv * (0.3 + random()) * 100) / 100 : null,
			segmentChanged,
			// Half of the changes carry a time (within 3 days): the debounce reads it; the rest count as "just now".
			segmentChangedAt: segmentChanged && random() < 0.5 ? iso(REFERENCE - Math.floor(random() * 72 * HOUR)) : null,
			isB2B: random() < 0.05,
			topCategory: pick(CATEGORIES),
			currency: pick(CURRENCIES),
			unsubscribed: random() < 0.03,
			consent: { emailMarketing: random() < 0.98 },
			hasOpenSupportCase: random() < 0.015,
			hasActiveSubscription: random() < 0.04,
			lastRefundAt: random() < 0.03 ? iso(REFERENCE - Math.floor(random() * 30 * DAY)) : null,
			// 30% were messaged in the last 10 days: the 3-day frequency cap holds back about a third of those.
			lastContactedAt: random() < 0.3 ? iso(REFERENCE - Math.floor(random() * 10 * DAY)) : null,
			activeJourney: random() < 0.02 ? 'Abandoned cart' : null,
		};
		// Dirty data as it arrives from stores and CRMs: text amounts, a missing segment, an unreadable date.
		const dirt = random();
		if (dirt < 0.02 && typeof customer.predictedClv === 'number') customer.predictedClv = customer.predictedClv.toLocaleString('en-US', { minimumFractionDigits: 2 });
		else if (dirt < 0.025) customer.segment = null;
		else if (dirt < 0.026) customer.lastOrderAt = 'last spring';
		list[index] = customer;
	}
	return list;
}

export const CONFIGURATIONS: Record<string, IDataObject> = {
	'default routes, all suppression checks': {},
	'2 custom routes + default routes': {
		routing: 'custom',
		includeDefaultRoutes: true,
		routes: {
			route: [
				{ name: 'VIP High CLV', conditions: { condition: [{ subject: 'clvBand', clvMin: 1500 }, { subject: 'segment', segments: ['champions', 'loyal'] }] } },
				{
					name: 'Tea Win-back',
					conditions: { condition: [{ subject: 'field', field: 'topCategory', operator: 'equals', value: 'tea' }, { subject: 'lifecycleStage', lifecycleStages: ['at_risk', 'lapsed'] }] },
					offerType: 'fixed',
					offerValue: 15,
					sendTiming: 'purchaseCycle',
					sequence: { step: [{ dayOffset: 0, template: 'tea_1' }, { dayOffset: 7, template: 'tea_2' }, { dayOffset: 14, template: 'tea_3' }] },
				},
			],
		},
	},
};

interface RunResult {
	medianMs: number;
	bestMs: number;
	/** The same, inside execute() only (without the test harness's work on the items). */
	executeMedianMs: number;
	executeBestMs: number;
	/** CPU time of the process (GC threads included): steadier than wall time on a shared machine. */
	medianCpuMs: number;
	counts: Record<string, number>;
	peakRssMb: number;
	heapHeldMb: number;
	/**
	 * The machine's speed at that moment: median of 3 JSON round trips of the same input items, a fixed
	 * amount of work of the same kind (reading and allocating 200,000 objects). This VM's speed drifts by
	 * half over an hour; execute() ÷ this is the steadier figure to compare between sessions.
	 */
	referenceMs: number;
}

/** One size and configuration, in this process (started by main with --expose-gc). */
async function runChild(size: number, configuration: string, runs: number): Promise<void> {
	// Loaded by its .ts name: run-ts would otherwise resolve "WinBackRouter.node" to the codex WinBackRouter.node.json.
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { WinBackRouter } = require(path.join(__dirname, '../nodes/WinBackRouter/WinBackRouter.node.ts')) as { WinBackRouter: new () => INodeType };
	const node = new WinBackRouter();
	// Time execute() itself too, apart from the harness's own work on the items (as n8n would call it).
	const execute = node.execute!;
	let executeMs = 0;
	node.execute = async function (this: IExecuteFunctions) {
		const start = process.hrtime.bigint();
		try {
			return await execute.call(this);
		} finally {
			executeMs = Number(process.hrtime.bigint() - start) / 1e6;
		}
	};
	const parameters = { ...CONFIGURATIONS[configuration], options: { referenceTime: new Date(REFERENCE).toISOString() } };
	const items = buildCustomers(size).map((json) => ({ json }));
	const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

	const times: number[] = [];
	const executeTimes: number[] = [];
	const cpuTimes: number[] = [];
	let result: Awaited<ReturnType<typeof runNode>> | undefined;
	for (let run = 0; run < runs; run++) {
		result = undefined; // let the previous run's outputs go before the next one
		gc();
		const started = process.hrtime.bigint();
		const cpuBefore = process.cpuUsage();
		result = await runNode(node, { parameters, items });
		times.push(Number(process.hrtime.bigint() - started) / 1e6);
		executeTimes.push(executeMs);
		const cpu = process.cpuUsage(cpuBefore);
		cpuTimes.push((cpu.user + cpu.system) / 1000);
	}
	gc();
	const heapHeldMb = process.memoryUsage().heapUsed / 2 ** 20;
	const outputs = result?.outputs ?? [];
	const names = configuredOutputs(parameters, [...DEFAULT_ROUTE_NAMES], SPECIAL_OUTPUT_NAMES).map((output) => output.displayName);
	const counts: Record<string, number> = {};
	outputs.forEach((output, index) => (counts[names[index]] = output.length));
	const total = outputs.reduce((sum, output) => sum + output.length, 0);
	if (total !== size) throw new Error(`${configuration}: ${size} customers in, ${total} out`);
	const peakRssMb = process.resourceUsage().maxRSS / 1024; // before the reference runs allocate their copies
	result = undefined; // the outputs are counted: let them go before the reference runs
	const referenceTimes: number[] = [];
	const REFERENCE_SLICE = 200_000;
	for (let run = 0; run < 3; run++) {
		gc();
		const started = process.hrtime.bigint();
		// In slices of 200,000 items: the text of 1,000,000 would pass V8's longest string (about 2^29 characters).
		const copies: unknown[] = [];
		for (let start = 0; start < items.length; start += REFERENCE_SLICE) copies.push(JSON.parse(JSON.stringify(items.slice(start, start + REFERENCE_SLICE))));
		referenceTimes.push(Number(process.hrtime.bigint() - started) / 1e6);
	}
	const sorted = [...times].sort((a, b) => a - b);
	const report: RunResult = {
		medianMs: sorted[Math.floor(sorted.length / 2)],
		medianCpuMs: [...cpuTimes].sort((a, b) => a - b)[Math.floor(cpuTimes.length / 2)],
		bestMs: sorted[0],
		executeMedianMs: [...executeTimes].sort((a, b) => a - b)[Math.floor(executeTimes.length / 2)],
		executeBestMs: Math.min(...executeTimes),
		counts,
		peakRssMb,
		heapHeldMb,
		referenceMs: [...referenceTimes].sort((a, b) => a - b)[1],
	};
	process.stdout.write(JSON.stringify(report));
}

function main(): void {
	const sizes = (process.argv[2] ?? '200000,1000000').split(',').map((text) => Number(text.replace(/_/g, '')));
	const runsArgument = process.argv[3] === undefined ? null : Number(process.argv[3]);
	if (sizes.some((size) => !Number.isInteger(size) || size <= 0) || (runsArgument !== null && (!Number.isInteger(runsArgument) || runsArgument <= 0))) {
		console.error('usage: node scripts/run-ts.js bench/win-back-router.bench.ts [sizes, e.g. 100000,1000000] [runs]');
		process.exitCode = 2;
		return;
	}
	console.log(`Win-back Router, Node ${process.version}, time of execute() (median of the runs); reference time ${new Date(REFERENCE).toISOString()}`);
	const runTs = path.join(__dirname, '../scripts/run-ts.js');
	for (const size of sizes) {
		const runs = runsArgument ?? (size <= 200_000 ? 5 : 1);
		// Above 200,000 only the default configuration, to keep the whole default bench near a minute.
		const configurations = size <= 200_000 ? Object.keys(CONFIGURATIONS) : Object.keys(CONFIGURATIONS).slice(0, 1);
		for (const configuration of configurations) {
			// Bench only, never in a node: a process per run so that its peak RSS is the run's own.
			// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions
			const output = execFileSync(
				process.execPath,
				['--expose-gc', '--max-old-space-size=8192', runTs, __filename, '--child', String(size), configuration, String(runs)],
				{ encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 },
			);
			const result = JSON.parse(output) as RunResult;
			console.log(
				`\n${size.toLocaleString('en')} customers, ${configuration}, ${runs} run(s): ${result.medianMs.toFixed(0)} ms (best ${result.bestMs.toFixed(0)} ms), ` +
					`${Math.round(size / (result.medianMs / 1000)).toLocaleString('en')} customers/s, CPU ${result.medianCpuMs.toFixed(0)} ms; ` +
					`inside execute() ${result.executeMedianMs.toFixed(0)} ms (best ${result.executeBestMs.toFixed(0)} ms); ` +
					`peak RSS ${result.peakRssMb.toFixed(0)} MB, heap held ${result.heapHeldMb.toFixed(0)} MB; ` +
					`machine reference (JSON round trip of the input) ${result.referenceMs.toFixed(0)} ms, execute() ÷ reference ${(result.executeMedianMs / result.referenceMs).toFixed(2)}`,
			);
			for (const [name, count] of Object.entries(result.counts)) {
				console.log(`  ${name.padEnd(22)} ${count.toLocaleString('en').padStart(10)}  ${((100 * count) / size).toFixed(1).padStart(5)}%`);
			}
		}
	}
}

// Run only when started as the bench (not when a check script imports buildCustomers).
const startedAsBench = path.resolve(process.argv[1] ?? '') === __filename;
if (!startedAsBench) {
	// imported: nothing to run
} else if (process.argv[2] === '--child') {
	runChild(Number(process.argv[3]), process.argv[4], Number(process.argv[5])).catch((error) => {
		console.error(error);
		process.exitCode = 1;
	});
} else {
	main();
}
