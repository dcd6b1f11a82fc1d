/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console */
/**
 * 10,000 contacts into Zoho CRM (the contract server, 100 ms latency per call):
 *   - this package's node (Record › Create or Update): batches of 100, 5 calls in flight;
 *   - one call per item, one item after another — how n8n's built-in Zoho CRM node upserts
 *     (its upsert sends `data: [oneRecord]` for each input item in turn).
 *
 *   node scripts/run-ts.js bench/zoho-crm.bench.ts [--contacts 10000] [--latency 100] [--per-item-sample 0]
 *
 * `--per-item-sample N` times the one-call-per-item run on the first N contacts only and extrapolates
 * (the full run takes about contacts × latency, ~17 minutes at the defaults).
 */
import { performance } from 'node:perf_hooks';

import { DEFAULT_CREDENTIALS, startZohoServer } from '../test/contract/zoho/server';
import { runNode } from '../test/helpers/nodeHarness';

// Required with its extension: next to ZohoCrmUpsert.node.ts sits the codex ZohoCrmUpsert.node.json,
// which Node's resolver would pick first for an extensionless path under scripts/run-ts.js.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ZohoCrmUpsert } = require('../nodes/ZohoCrmUpsert/ZohoCrmUpsert.node.ts') as typeof import('../nodes/ZohoCrmUpsert/ZohoCrmUpsert.node');

function arg(name: string, fallback: number): number {
	const index = process.argv.indexOf(`--${name}`);
	return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

const CONTACTS = arg('contacts', 10_000);
const LATENCY = arg('latency', 100);
const SAMPLE = arg('per-item-sample', 0);

const contact = (i: number) => ({ Email: `bench${i}@example.com`, First_Name: `First${i}`, Last_Name: `Last${i}`, Lead_Source: 'Online Store' });

async function main(): Promise<void> {
	const server = await startZohoServer({ latencyMs: LATENCY });
	const credentialType = 'zohoCrmRetentionOAuth2Api';
	const credentials = {
		[credentialType]: {
			dataCenter: 'custom',
			customAccountsUrl: server.url,
			clientId: DEFAULT_CREDENTIALS.clientId,
			clientSecret: DEFAULT_CREDENTIALS.clientSecret,
			accessTokenUrl: `${server.url}/oauth/v2/token`,
			authentication: 'body',
			oauthTokenData: { access_token: DEFAULT_CREDENTIALS.accessToken, refresh_token: DEFAULT_CREDENTIALS.refreshToken, api_domain: server.url },
		},
	};
	const items = Array.from({ length: CONTACTS }, (_, i) => contact(i));

	// This package: all items through the node.
	let started = performance.now();
	const result = await runNode(new ZohoCrmUpsert(), {
		parameters: {
			resource: 'record',
			operation: 'upsert',
			module: 'Contacts',
			columns: (i: number) => ({ mappingMode: 'defineBelow', value: items[i], matchingColumns: ['Email'], schema: [] }),
			options: {},
		},
		items,
		credentials,
		oauth2CredentialTypes: [credentialType],
	});
	const batchedMs = performance.now() - started;
	const batchedCalls = server.callLog().calls.length;
	const batchedStored = server.list('Contacts').length;
	if (result.outputs[0].length !== CONTACTS || batchedStored !== CONTACTS) throw new Error(`batched run lost records: ${result.outputs[0].length} out, ${batchedStored} stored`);

	// One call per item, sequentially.
	server.reset();
	const perItemCount = SAMPLE > 0 ? Math.min(SAMPLE, CONTACTS) : CONTACTS;
	started = performance.now();
	for (let i = 0; i < perItemCount; i++) {
		const response = await fetch(`${server.url}/crm/v8/Contacts/upsert`, {
			method: 'POST',
			headers: { Authorization: `Zoho-oauthtoken ${DEFAULT_CREDENTIALS.accessToken}`, 'content-type': 'application/json' },
			body: JSON.stringify({ data: [items[i]] }),
		});
		await response.text();
	}
	const perItemMeasuredMs = performance.now() - started;
	const perItemCalls = server.callLog().calls.length;
	const perItemMs = (perItemMeasuredMs / perItemCount) * CONTACTS;
	await server.close();

	const row = (label: string, calls: number, ms: number, note = '') => `${label.padEnd(42)} ${String(calls).padStart(7)} ${(ms / 1000).toFixed(1).padStart(10)} s${note}`;
	console.log(`Zoho CRM upsert of ${CONTACTS.toLocaleString('en')} contacts, contract server latency ${LATENCY} ms per call`);
	console.log(`${'approach'.padEnd(42)} ${'calls'.padStart(7)} ${'time'.padStart(12)}`);
	console.log(row('Zoho CRM Upsert (batches of 100, 5 in flight)', batchedCalls, batchedMs));
	console.log(
		row(
			'one call per item, sequential (built-in)',
			SAMPLE > 0 ? Math.round((perItemCalls / perItemCount) * CONTACTS) : perItemCalls,
			perItemMs,
			SAMPLE > 0 ? `  (extrapolated from ${perItemCount} items: ${perItemCalls} calls in ${(perItemMeasuredMs / 1000).toFixed(1)} s)` : '',
		),
	);
	console.log(`speed-up: ${(perItemMs / batchedMs).toFixed(0)}× faster, ${((SAMPLE > 0 ? CONTACTS : perItemCalls) / batchedCalls).toFixed(0)}× fewer calls`);
}

void main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
