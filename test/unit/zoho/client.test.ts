/* eslint-disable @n8n/community-nodes/no-restricted-globals */
import { ZohoClient } from '../../../core/zoho/client';
import { ZohoAuthError } from '../../../core/zoho/types';
import type { ZohoContractServer } from '../../contract/zoho/server';
import { startZohoServer } from '../../contract/zoho/server';
import { fetchTransport } from './helpers';

let server: ZohoContractServer;

beforeAll(async () => {
	server = await startZohoServer();
});
afterAll(async () => {
	await server.close();
});
beforeEach(() => server.reset());

const UPSERT = 'POST /crm/v8/{module}/upsert';
const contacts = (n: number, prefix = 'c') => Array.from({ length: n }, (_, i) => ({ Email: `${prefix}${i}@example.com`, Last_Name: `L${i}` }));
// Short real waits: retries must be spread out in time, as n8n's sleep spreads them, or a burst of
// instant retries would exhaust itself against calls still in flight.
const shortSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const client = (options: Partial<ConstructorParameters<typeof ZohoClient>[0]> = {}) =>
	new ZohoClient({ transport: fetchTransport(server.url), sleep: shortSleep, retryPolicy: { maxRetries: 12, baseDelayMs: 10, maxDelayMs: 60 }, ...options });

describe('ZohoClient against the contract server', () => {
	it.each([1, 99, 100, 101, 250, 1000])('writes %i records in ⌈N/100⌉ upsert calls', async (n) => {
		const outcomes = await client().write('upsert', 'Contacts', contacts(n), { duplicateCheckFields: ['Email'] });
		expect(outcomes).toHaveLength(n);
		expect(outcomes.every((o) => o.ok && o.action === 'insert')).toBe(true);
		expect(server.count(UPSERT, 'Contacts')).toBe(Math.ceil(n / 100));
		expect(server.callLog().calls.every((c) => c.records <= 100)).toBe(true);
		expect(server.list('Contacts')).toHaveLength(n);
	});

	it('keeps at most the configured number of calls in flight', async () => {
		server.configure({ latencyMs: 30 });
		await client({ concurrency: 3 }).write('upsert', 'Contacts', contacts(1000), { duplicateCheckFields: ['Email'] });
		expect(server.callLog().maxInFlight).toBeLessThanOrEqual(3);
		expect(server.callLog().maxInFlight).toBeGreaterThanOrEqual(2);
	});

	it('retries the 429s of a server whose concurrency limit is below the client\'s, and loses nothing', async () => {
		server.configure({ latencyMs: 20, concurrencyLimit: 2 });
		const outcomes = await client({ concurrency: 5 }).write('upsert', 'Contacts', contacts(800), { duplicateCheckFields: ['Email'] });
		expect(outcomes.every((o) => o.ok)).toBe(true);
		expect(server.callLog().calls.filter((c) => c.status === 429).length).toBeGreaterThan(0);
		expect(server.list('Contacts')).toHaveLength(800);
	});

	it('ends a 30% fault storm (5xx, 429, dropped connections, half after commit) with every record exactly once', async () => {
		server.setFaults({ rate: 0.3, seed: 42, afterCommitShare: 0.5 });
		const c = client({ concurrency: 5 });
		const first = await c.write('upsert', 'Contacts', contacts(2000), { duplicateCheckFields: ['Email'] });
		expect(first.every((o) => o.ok)).toBe(true);
		const log = server.callLog();
		expect(log.faults).toBeGreaterThan(3);
		expect(log.calls.some((call) => call.fault?.phase === 'after' && call.route === UPSERT)).toBe(true);
		const stored = server.list('Contacts');
		expect(stored).toHaveLength(2000);
		expect(new Set(stored.map((r) => String(r.Email).toLowerCase())).size).toBe(2000);
		// A committed-but-unanswered batch comes back as "update" on retry: still one record per email.
		expect(first.filter((o) => o.ok && o.action === 'update').length).toBeGreaterThan(0);
	});

	it('throws ZohoAuthError on 401 (n8n refreshes before the client sees it)', async () => {
		server.expireTokens();
		await expect(client().write('upsert', 'Contacts', contacts(3))).rejects.toBeInstanceOf(ZohoAuthError);
	});

	it('looks up by COQL in chunks of 50 values and groups the rows by value', async () => {
		await client().write('upsert', 'Contacts', contacts(120), { duplicateCheckFields: ['Email'] });
		server.clearCalls();
		const emails = [...contacts(120).map((c) => c.Email.toUpperCase()), 'missing@example.com'];
		const result = await client().lookup('Contacts', ['Last_Name'], 'Email', emails);
		expect(server.count('POST /crm/v8/coql')).toBe(Math.ceil(121 / 50));
		expect(result.found.size).toBe(120);
		expect(result.found.get('c7@example.com')?.[0]).toMatchObject({ Last_Name: 'L7' });
		expect(result.failed.size).toBe(0);
	});
});
