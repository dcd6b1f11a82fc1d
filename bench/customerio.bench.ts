/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console */
/**
 * 10,000 `order_completed` events into Customer.io (the Track contract server, 100 ms latency per call):
 *   - this package's node (Event › Track): v2 batches packed to 500 KB, 4 requests in flight, paced
 *     at 100 requests/s, retries with backoff;
 *   - one request per item, one item after another — how n8n's built-in Customer.io node sends
 *     (for each input item it awaits `POST /api/v1/customers/{id}/events` with `{name, data}`).
 *
 *   node scripts/run-ts.js bench/customerio.bench.ts [--events 10000] [--latency 100] [--per-item-sample 300] [--faults 0]
 *
 * `--per-item-sample N` times the one-request-per-item run on the first N events and extrapolates
 * (the full run takes about events × latency, ~17 minutes at the defaults); 0 runs them all.
 * `--faults 0.3` makes 30% of calls fail (5xx, 429, dropped connections, half of them after the
 * server accepted the call) during the batched run, to show retries and deduplication at work.
 */
import { performance } from 'node:perf_hooks';

import { basicAuth, credentialsFor } from '../test/unit/customerio/helpers';
import { startCustomerIoServer } from '../test/contract/customerio/server';
import { runNode } from '../test/helpers/nodeHarness';

// Required with its extension: next to CustomerIoTrack.node.ts sits the codex CustomerIoTrack.node.json,
// which Node's resolver would pick first for an extensionless path under scripts/run-ts.js.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { CustomerIoTrack } = require('../nodes/CustomerIoTrack/CustomerIoTrack.node.ts') as typeof import('../nodes/CustomerIoTrack/CustomerIoTrack.node');

function arg(name: string, fallback: number): number {
	const index = process.argv.indexOf(`--${name}`);
	return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

const EVENTS = arg('events', 10_000);
const LATENCY = arg('latency', 100);
const SAMPLE = arg('per-item-sample', 300);
const FAULTS = arg('faults', 0);

const order = (i: number) => ({
	email: `buyer${i % 2_500}@example.com`,
	orderId: `#${100_000 + i}`,
	total: Math.round((20 + (i % 180) * 1.37) * 100) / 100,
	currency: 'EUR',
	itemCount: 1 + (i % 4),
	createdAt: new Date(Date.UTC(2024, 2, 1) + i * 60_000).toISOString(),
	source: 'shopify',
});

function seconds(ms: number): string {
	return `${(ms / 1000).toFixed(1)} s`;
}

async function main(): Promise<void> {
	const server = await startCustomerIoServer({ latencyMs: LATENCY });
	const items = Array.from({ length: EVENTS }, (_, i) => order(i));
	if (FAULTS > 0) server.setFaults({ rate: FAULTS, seed: 7, afterAcceptShare: 0.5 });

	let started = performance.now();
	const result = await runNode(new CustomerIoTrack(), {
		parameters: {
			resource: 'event',
			operation: 'track',
			identifierType: 'email',
			identifierField: 'email',
			eventName: 'order_completed',
			eventData: {
				property: [
					{ name: 'order_id', field: 'orderId' },
					{ name: 'total', field: 'total' },
					{ name: 'currency', field: 'currency' },
					{ name: 'item_count', field: 'itemCount' },
					{ name: 'source', field: 'source' },
				],
			},
			sendAllFieldsAsData: false,
			timestampField: 'createdAt',
			dedupeKeyFields: 'orderId',
			enumAttributes: {},
			options: { maxRetries: 8 },
		},
		items,
		credentials: credentialsFor(server),
		authenticate: basicAuth,
	});
	const batchedMs = performance.now() - started;
	const log = server.callLog();
	const counts = server.counts();
	const stored = server.listEvents({ name: 'order_completed' });
	const unique = new Set(stored.map((e) => e.data.order_id)).size;
	if (result.outputs[0].length !== EVENTS || stored.length !== EVENTS || unique !== EVENTS) {
		throw new Error(`batched run: ${result.outputs[0].length} items on Success, ${result.outputs[1].length} on Failed, ${stored.length} events stored (${unique} unique)`);
	}
	const batchBytes = log.calls.filter((c) => c.route === 'POST /api/v2/batch').map((c) => c.bytes);

	server.setFaults(null);
	server.reset();
	const perItemCount = SAMPLE > 0 ? Math.min(SAMPLE, EVENTS) : EVENTS;
	const authorization = 'Basic ' + Buffer.from(`${server.options.siteId}:${server.options.apiKey}`).toString('base64');
	started = performance.now();
	for (let i = 0; i < perItemCount; i++) {
		const item = items[i];
		const response = await fetch(`${server.url}/api/v1/customers/${encodeURIComponent(item.email)}/events`, {
			method: 'POST',
			headers: { authorization, 'content-type': 'application/json' },
			body: JSON.stringify({ name: 'order_completed', data: { order_id: item.orderId, total: item.total, currency: item.currency, item_count: item.itemCount, source: item.source } }),
		});
		await response.text();
		if (response.status !== 200) throw new Error(`per-item request ${i} answered ${response.status}`);
	}
	const perItemMs = performance.now() - started;
	const perItemTotalMs = (perItemMs / perItemCount) * EVENTS;
	await server.close();

	const rows = [
		['', 'requests', 'time', 'events stored'],
		[
			`Customer.io Track (v2 batch${FAULTS > 0 ? `, ${Math.round(FAULTS * 100)}% faults` : ''})`,
			String(log.calls.length),
			seconds(batchedMs),
			`${stored.length} (${counts.duplicateEventsIgnored} duplicate deliveries dropped by id)`,
		],
		[
			'one request per item (built-in node)',
			`${EVENTS}`,
			`${seconds(perItemTotalMs)}${perItemCount < EVENTS ? ` (extrapolated from ${perItemCount})` : ''}`,
			`${perItemCount < EVENTS ? `${perItemCount} in the sample` : EVENTS}`,
		],
	];
	const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
	console.log(`\n${EVENTS.toLocaleString('en')} order_completed events, ${LATENCY} ms latency per call\n`);
	for (const row of rows) console.log(row.map((cell, c) => cell.padEnd(widths[c])).join('  '));
	console.log(
		`\nbatched: ${batchBytes.length} batch requests of ${Math.min(...batchBytes).toLocaleString('en')}–${Math.max(...batchBytes).toLocaleString('en')} bytes (limit 500,000); ${log.faults} injected faults; ${log.calls.filter((c) => c.status !== 200).length} attempts answered other than 200 or dropped, all retried`,
	);
	console.log(`speed-up: ${(perItemTotalMs / batchedMs).toFixed(0)}× less time, ${(EVENTS / log.calls.length).toFixed(0)}× fewer requests\n`);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
