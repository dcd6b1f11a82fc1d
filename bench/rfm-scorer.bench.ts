/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console */
/**
 * RFM Scorer benchmark: canonical orders (bench/rfm-data.ts, 5 orders per customer on average) through the
 * node's execute() in the test harness (test/helpers/nodeHarness.ts), the entry point n8n calls.
 *  - "scores": quintile scores, 11-segment map, lifecycle, simple CLV (predictive CLV off);
 *  - "scores + predictive": the same plus the BG/NBD and Gamma-Gamma fits and per-customer predictions;
 *    the fitted BG/NBD parameters are printed next to the ones the orders were simulated with;
 *  - "DuckDB": the same orders loaded into an in-memory DuckDB (@duckdb/node-api, appender) and the same
 *    RFM query in SQL (same hygiene: later duplicates win, excluded statuses and zero-value orders left
 *    out, refunds netted; quintile edges by quantile_cont, the linear-interpolation definition the node
 *    uses, right-closed bins). Load and query are timed separately; every customer's R/F/M values and
 *    scores are compared with the node's output and the agreement count printed;
 *  - CDNOW master file (69,659 transactions, 23,570 customers) with predictive CLV, when the data set is present.
 *
 * Run: node scripts/run-ts.js bench/rfm-scorer.bench.ts [--sizes 100000,1000000] [--runs 2] [--no-cdnow] [--no-duckdb] [--no-predictive] [--date-order]
 * (--no-predictive: the scores run only, e.g. under --cpu-prof to profile the scoring path alone;
 * --date-order: the orders sorted by date instead of grouped by customer)
 *
 * Memory: "input" is the heap the order items take; "heap after" is what is still held after the run,
 * outputs included, above the input; "peak RSS" is the process's high-water resident set so far
 * (monotonic, data generation included); "during the runs" is the resident set sampled by a worker
 * thread while execute() runs (synchronous work, so the main thread cannot sample it), next to the
 * resident set just before the last run: their difference is what the run added.
 */
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Worker } from 'node:worker_threads';

import { DuckDBInstance } from '@duckdb/node-api';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { runNode } from '../test/helpers/nodeHarness';
import type { BenchOrder } from './rfm-data';
import { BENCH_REFERENCE, TRUE_PARAMS, generateOrders } from './rfm-data';

// Required with its extension: Node's resolver would take the codex RfmScorer.node.json for
// "RfmScorer.node" (.json is tried before .ts under scripts/run-ts.js).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { RfmScorer } = require('../nodes/RfmScorer/RfmScorer.node.ts') as typeof import('../nodes/RfmScorer/RfmScorer.node');

const argument = (name: string): string | undefined => {
	const index = process.argv.indexOf(name);
	return index > 0 ? process.argv[index + 1] : undefined;
};
const SIZES = (argument('--sizes') ?? '100000,1000000').split(',').map((size) => Number(size.replace(/_/g, '')));
const RUNS = Number(argument('--runs') ?? 2);
const CDNOW = !process.argv.includes('--no-cdnow');
const DUCKDB = !process.argv.includes('--no-duckdb');
const PREDICTIVE = !process.argv.includes('--no-predictive');
// The generator writes each customer's orders one after another (like a line-item or customer-sorted
// export), and a customer's orders share one customer object. --date-order sorts them by order date, as
// webhooks and most order exports arrive, and gives every item its own objects and strings, allocated
// in item order, as after n8n parses them from JSON.
const DATE_ORDER = process.argv.includes('--date-order');
const DATASETS = process.env.RFM_DATASETS ?? '/work/shared/datasets';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
const heapUsed = () => {
	collectGarbage();
	collectGarbage();
	return process.memoryUsage().heapUsed;
};
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const peakRss = () => mb(process.resourceUsage().maxRSS * 1024);

/**
 * The process's resident set sampled every 2 ms by a worker thread while the main thread runs
 * execute() (synchronous work): the peak during the run, which maxRSS (the whole process life,
 * data generation included) cannot give.
 */
class RssSampler {
	private readonly shared = new Float64Array(new SharedArrayBuffer(16));
	private readonly worker = new Worker(
		`const { workerData } = require('node:worker_threads');
		const cells = new Float64Array(workerData);
		const tick = () => {
			if (cells[1] === 1) cells[0] = Math.max(cells[0], process.memoryUsage.rss());
			setTimeout(tick, 2);
		};
		tick();`,
		{ eval: true, workerData: this.shared.buffer },
	);

	constructor() {
		this.worker.unref(); // never keeps the process alive, e.g. after a failure
	}

	start(): void {
		this.shared[0] = process.memoryUsage.rss();
		this.shared[1] = 1;
	}

	/** Peak RSS in bytes since start(). */
	stop(): number {
		this.shared[1] = 0;
		return Math.max(this.shared[0], process.memoryUsage.rss());
	}

	close(): Promise<number> {
		return this.worker.terminate();
	}
}
const rssSampler = new RssSampler();
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const baseParameters = {
	referenceDate: 'fixed',
	fixedReferenceDate: BENCH_REFERENCE,
	segmentScheme: 'rfm11',
	options: { timezone: 'UTC' },
};

interface Timed {
	wall: number;
	cpu: number;
	/** Wall and CPU milliseconds inside the node's execute() (without the test harness's own work on the items). */
	executeWall: number;
	executeCpu: number;
	outputs: INodeExecutionData[][];
	customers: number;
	excluded: number;
	summary: IDataObject;
}

async function score(items: INodeExecutionData[], parameters: IDataObject): Promise<Timed> {
	const node = new RfmScorer();
	const execute = node.execute;
	let executeWall = 0;
	let executeCpu = 0;
	node.execute = async function (this: IExecuteFunctions) {
		const cpuBefore = process.cpuUsage();
		const start = performance.now();
		try {
			return await execute.call(this);
		} finally {
			executeWall = performance.now() - start;
			const cpu = process.cpuUsage(cpuBefore);
			executeCpu = (cpu.user + cpu.system) / 1000;
		}
	};
	const cpuBefore = process.cpuUsage();
	const start = performance.now();
	const { outputs } = await runNode(node, { parameters, items });
	const wall = performance.now() - start;
	const cpu = process.cpuUsage(cpuBefore);
	return { wall, cpu: (cpu.user + cpu.system) / 1000, executeWall, executeCpu, outputs, customers: outputs[0].length, excluded: outputs[2].length, summary: outputs[1][0].json };
}

async function timeRuns(label: string, items: INodeExecutionData[], parameters: IDataObject, runs: number, inputBytes: number, before: number): Promise<Timed> {
	const walls: number[] = [];
	const cpuTimes: number[] = [];
	const executeWalls: number[] = [];
	const executeCpuTimes: number[] = [];
	let last: Timed | undefined;
	let heapAfter = 0;
	let runPeakRss = 0;
	let rssBefore = 0;
	for (let run = 0; run < runs; run++) {
		last = undefined;
		heapUsed();
		rssBefore = process.memoryUsage.rss();
		rssSampler.start();
		last = await score(items, parameters);
		runPeakRss = Math.max(runPeakRss, rssSampler.stop());
		walls.push(last.wall);
		cpuTimes.push(last.cpu);
		executeWalls.push(last.executeWall);
		executeCpuTimes.push(last.executeCpu);
		heapAfter = heapUsed() - before - inputBytes;
	}
	const best = Math.min(...walls);
	const result = last as Timed;
	console.log(
		`  ${label.padEnd(20)} best ${best.toFixed(0).padStart(5)} ms, median ${median(walls).toFixed(0).padStart(5)} ms (CPU best ${Math.min(...cpuTimes).toFixed(0)} ms)  ` +
			`${Math.round((items.length / best) * 1000).toLocaleString('en').padStart(9)} orders/s  ` +
			`${result.customers.toLocaleString('en')} customers, ${result.excluded.toLocaleString('en')} excluded; ` +
			`heap after (outputs held) +${mb(heapAfter)}, peak RSS ${peakRss()}; during the runs: peak RSS ${mb(runPeakRss)} ` +
			`(before the last run ${mb(rssBefore)}, input ${mb(inputBytes)} of heap)`,
	);
	console.log(
		`  ${''.padEnd(20)} inside execute(): best ${Math.min(...executeWalls).toFixed(0).padStart(5)} ms, median ${median(executeWalls).toFixed(0).padStart(5)} ms ` +
			`(CPU best ${Math.min(...executeCpuTimes).toFixed(0)} ms, median ${median(executeCpuTimes).toFixed(0)} ms); runs: ${walls.map((wall) => wall.toFixed(0)).join(', ')} ms`,
	);
	return result;
}

function printFit(summary: IDataObject, truth?: typeof TRUE_PARAMS): void {
	const predictive = summary.predictive as { bgNbd: Record<string, number>; gammaGamma: Record<string, number> } | null;
	if (!predictive) {
		console.log(`  predictive fit failed: ${String(summary.predictiveError)}`);
		return;
	}
	const { bgNbd, gammaGamma } = predictive;
	const names = ['r', 'alpha', 'a', 'b'] as const;
	console.log(`  BG/NBD (α in days): ${names.map((name) => `${name} ${bgNbd[name].toFixed(3)}${truth ? ` (true ${truth[name]})` : ''}`).join(', ')}; log-likelihood ${bgNbd.logLikelihood.toFixed(1)}`);
	console.log(`  Gamma-Gamma: p ${gammaGamma.p.toFixed(3)}, q ${gammaGamma.q.toFixed(3)}, γ ${gammaGamma.gamma.toFixed(3)} on ${gammaGamma.customers.toLocaleString('en')} repeat customers`);
}

async function synthetic(size: number): Promise<void> {
	const customers = Math.max(1, Math.round(size / 5));
	console.log(`\n== ${size.toLocaleString('en')} orders from ${customers.toLocaleString('en')} customers${DATE_ORDER ? ', in date order' : ', grouped by customer'}`);
	const before = heapUsed();
	let generated = generateOrders(size, customers);
	if (DATE_ORDER) {
		generated.sort((p, q) => (p.createdAt < q.createdAt ? -1 : p.createdAt > q.createdAt ? 1 : 0));
		generated = generated.map((order) => JSON.parse(JSON.stringify(order)) as BenchOrder);
	}
	const items: INodeExecutionData[] = generated.map((order) => ({ json: order as unknown as IDataObject }));
	const inputBytes = heapUsed() - before;
	console.log(`  input: ${mb(inputBytes)} of heap (${((inputBytes / size) | 0).toLocaleString('en')} bytes per order item)`);
	const scores = await timeRuns('scores', items, baseParameters, RUNS, inputBytes, before);
	if (PREDICTIVE) {
		// The scores run's outputs stay held for the DuckDB comparison: count the heap from here.
		const heldBefore = heapUsed() - inputBytes;
		const predictive = await timeRuns('scores + predictive', items, { ...baseParameters, predictiveClv: true, horizonMonths: 12 }, Math.max(1, Math.min(RUNS, 2)), inputBytes, heldBefore);
		printFit(predictive.summary, TRUE_PARAMS);
	}
	if (DUCKDB) await duckdbSideBySide(items, scores);
}

/** Wall and CPU milliseconds of an async step (CPU is the whole process's: DuckDB's worker threads included). */
async function measure<T>(step: () => Promise<T>): Promise<{ value: T; wall: number; cpu: number }> {
	const cpuBefore = process.cpuUsage();
	const start = performance.now();
	const value = await step();
	const cpu = process.cpuUsage(cpuBefore);
	return { value, wall: performance.now() - start, cpu: (cpu.user + cpu.system) / 1000 };
}

// The node's defaults (bench/rfm-data.ts orders, BENCH_REFERENCE in UTC), written in SQL.
const RFM_SQL = `
CREATE OR REPLACE TABLE rfm AS
WITH latest AS (           -- an order id repeated by a later item of the same customer: the later item wins
	SELECT * FROM orders
	QUALIFY row_number() OVER (PARTITION BY customer_key, order_id ORDER BY seq DESC) = 1
), counted AS (
	SELECT customer_key, created_at, greatest(total - refunded, 0) AS net
	FROM latest
	WHERE lower(status) NOT IN ('cancelled', 'canceled', 'failed', 'voided') AND greatest(total - refunded, 0) <> 0
), customers AS (
	SELECT customer_key,
		date_diff('day', CAST(max(created_at) AS DATE), DATE '${BENCH_REFERENCE.slice(0, 10)}') AS recency_days,
		count(*) AS frequency,
		round(sum(net), 2) AS monetary
	FROM counted GROUP BY customer_key
), edges AS (
	SELECT quantile_cont(recency_days, [0.2, 0.4, 0.6, 0.8]) AS r,
		quantile_cont(frequency, [0.2, 0.4, 0.6, 0.8]) AS f,
		quantile_cont(monetary, [0.2, 0.4, 0.6, 0.8]) AS m
	FROM customers
)
SELECT c.*,
	6 - (1 + (recency_days > r[1])::INT + (recency_days > r[2])::INT + (recency_days > r[3])::INT + (recency_days > r[4])::INT) AS r_score,
	1 + (frequency > f[1])::INT + (frequency > f[2])::INT + (frequency > f[3])::INT + (frequency > f[4])::INT AS f_score,
	1 + (monetary > m[1])::INT + (monetary > m[2])::INT + (monetary > m[3])::INT + (monetary > m[4])::INT AS m_score
FROM customers c, edges`;

async function duckdbSideBySide(items: INodeExecutionData[], node: Timed): Promise<void> {
	const instance = await DuckDBInstance.create(':memory:');
	const connection = await instance.connect();
	try {
		await connection.run(
			'CREATE TABLE orders (seq INTEGER, order_id VARCHAR, customer_key VARCHAR, created_at TIMESTAMP, status VARCHAR, total DOUBLE, refunded DOUBLE)',
		);
		const load = await measure(async () => {
			const appender = await connection.createAppender('orders');
			for (let i = 0; i < items.length; i++) {
				const order = items[i].json as unknown as BenchOrder;
				appender.appendInteger(i);
				appender.appendVarchar(order.id);
				appender.appendVarchar(order.customer.email.trim().toLowerCase());
				appender.appendVarchar(order.createdAt); // cast to TIMESTAMP by DuckDB, like the node parses it
				appender.appendVarchar(order.status);
				appender.appendDouble(order.total);
				appender.appendDouble(order.refundedTotal);
				appender.endRow();
			}
			appender.closeSync();
		});
		const query = await measure(() => connection.run(RFM_SQL));
		const customers = await connection.runAndReadAll('SELECT count(*) FROM rfm').then((result) => Number(result.getRowsJS()[0][0]));
		console.log(
			`  DuckDB (in-memory)   load ${load.wall.toFixed(0)} ms (CPU ${load.cpu.toFixed(0)} ms; appender, ${items.length.toLocaleString('en')} rows), ` +
				`RFM query ${query.wall.toFixed(0)} ms (CPU ${query.cpu.toFixed(0)} ms; ${customers.toLocaleString('en')} customers)`,
		);
		const ratio = (ours: number, theirs: number) => `${(ours / theirs).toFixed(2)}×`;
		console.log(
			`  node execute (last scores run) ${node.wall.toFixed(0)} ms wall / ${node.cpu.toFixed(0)} ms CPU; node ÷ DuckDB query: ${ratio(node.wall, query.wall)} wall, ${ratio(node.cpu, query.cpu)} CPU; ` +
				`node ÷ DuckDB load + query: ${ratio(node.wall, load.wall + query.wall)} wall, ${ratio(node.cpu, load.cpu + query.cpu)} CPU`,
		);

		const reader = await connection.runAndReadAll('SELECT customer_key, recency_days, frequency, monetary, r_score, f_score, m_score FROM rfm');
		const sql = new Map<string, number[]>();
		for (const [key, ...values] of reader.getRowsJS()) sql.set(String(key), values.map(Number));
		let agree = 0;
		const disagreements: string[] = [];
		for (const { json } of node.outputs[0]) {
			const row = sql.get(json.customerKey as string);
			const ours = [json.recencyDays, json.frequency, json.monetary, json.rScore, json.fScore, json.mScore] as number[];
			const same = row !== undefined && ours.every((value, k) => (k === 2 ? Math.abs(value - row[k]) < 0.005 : value === row[k]));
			if (same) agree++;
			else if (disagreements.length < 3) disagreements.push(`${String(json.customerKey)}: node ${ours.join('/')}, DuckDB ${row ? row.join('/') : 'missing'}`);
		}
		console.log(
			`  agreement (recency, frequency, monetary, R/F/M scores): ${agree.toLocaleString('en')} of ${node.customers.toLocaleString('en')} node customers, ` +
				`DuckDB has ${sql.size.toLocaleString('en')}${disagreements.length ? `; first differences: ${disagreements.join('; ')}` : ''}`,
		);
	} finally {
		connection.closeSync();
		instance.closeSync();
	}
}

/** CDNOW_master.txt: header `customer_id date number_of_cds dollar_value`, whitespace-separated, CRLF. */
function cdnowItems(): INodeExecutionData[] | null {
	const file = join(DATASETS, 'lifetimes_CDNOW_master.txt');
	if (!existsSync(file)) return null;
	const lines = readFileSync(file, 'utf8').split(/\r?\n/).slice(1);
	const items: INodeExecutionData[] = [];
	for (const line of lines) {
		const [customerId, date, , dollars] = line.trim().split(/\s+/);
		if (!customerId || !date) continue;
		const createdAt = `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T00:00:00Z`;
		items.push({ json: { customer: { id: customerId }, createdAt, total: Number(dollars) } });
	}
	return items;
}

async function cdnow(): Promise<void> {
	const items = cdnowItems();
	if (!items) {
		console.log(`\n== CDNOW: ${DATASETS}/lifetimes_CDNOW_master.txt not found, skipped`);
		return;
	}
	console.log(`\n== CDNOW master: ${items.length.toLocaleString('en')} transactions, whole period to 1998-06-30`);
	const parameters = { ...baseParameters, fixedReferenceDate: '1998-07-01T00:00:00Z', options: { timezone: 'UTC', countZeroValueOrders: true } };
	const before = heapUsed();
	await timeRuns('scores', items, parameters, RUNS, 0, before);
	if (!PREDICTIVE) return;
	const predictive = await timeRuns('scores + predictive', items, { ...parameters, predictiveClv: true, horizonMonths: 12 }, Math.max(1, Math.min(RUNS, 2)), 0, before);
	printFit(predictive.summary);
}

async function main(): Promise<void> {
	console.log(`RFM Scorer benchmark: node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), load average ${loadavg().map((value) => value.toFixed(2)).join(' ')}`);
	console.log('The machine is shared: wall times vary with its load; best of the runs is the figure to compare.');
	const started = performance.now();
	for (const size of SIZES) await synthetic(size);
	if (CDNOW) await cdnow();
	console.log(`\nwhole benchmark: ${((performance.now() - started) / 1000).toFixed(1)} s`);
	await rssSampler.close();
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
