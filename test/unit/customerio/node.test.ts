import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { RETENTION_EVENT_NAMES, V2_BATCH_MAX_BYTES, utf8Bytes } from '../../../core/customerio/limits';
import { CustomerIoTrack } from '../../../nodes/CustomerIoTrack/CustomerIoTrack.node';
import type { CustomerIoContractServer } from '../../contract/customerio/server';
import { startCustomerIoServer } from '../../contract/customerio/server';
import { runCustomerIo } from './helpers';

let server: CustomerIoContractServer;

beforeAll(async () => {
	server = await startCustomerIoServer();
});
afterAll(async () => {
	await server.close();
});
beforeEach(() => server.reset());

const identify = (extra: Record<string, unknown> = {}) => ({ resource: 'person', operation: 'identify', identifierType: 'email', identifierField: 'email', ...extra });
const track = (extra: Record<string, unknown> = {}) => ({ resource: 'event', operation: 'track', identifierType: 'email', identifierField: 'email', eventName: 'order_completed', ...extra });

describe('Customer.io Track node: identity', () => {
	it('keys every item by the one identifier: case variants and events land on ONE profile', async () => {
		const items = [
			{ email: 'Jane@Example.com', first_name: 'Jane', zohoContactId: 'Z1' },
			{ email: '  jane@example.com ', city: 'Berlin' },
			{ email: 'bob@example.com', first_name: 'Bob' },
		];
		const identified = await runCustomerIo(server, identify({ sendAllFields: true, options: { excludeFields: 'zohoContactId' } }), items);
		expect(identified.failed).toEqual([]);
		const tracked = await runCustomerIo(server, track({ dedupeKeyFields: 'orderId' }), [
			{ email: 'JANE@EXAMPLE.COM', orderId: '1001' },
			{ email: 'bob@example.com', orderId: '1002' },
		]);
		expect(tracked.failed).toEqual([]);
		expect(server.listPeople()).toHaveLength(2);
		const jane = server.findPerson({ email: 'jane@example.com' })!;
		expect(jane.attributes).toEqual({ first_name: 'Jane', city: 'Berlin' });
		expect(server.listEvents({ person: jane.cio_id })).toHaveLength(1);
	});

	it('keyed by an external id, the email goes in as an attribute of that person, not a second profile', async () => {
		await runCustomerIo(server, identify({ identifierType: 'id', identifierField: 'zohoContactId', sendAllFields: true }), [{ zohoContactId: 'Z-100', email: ' Mia@Shop.example ', lifecycle_stage: 'new' }]);
		// Later, a store event for the same person arrives keyed by email.
		await runCustomerIo(server, track({ dedupeKeyFields: 'orderId' }), [{ email: 'mia@shop.example', orderId: 'A1' }]);
		expect(server.listPeople()).toEqual([expect.objectContaining({ id: 'Z-100', email: 'mia@shop.example', attributes: { lifecycle_stage: 'new' } })]);
		expect(server.counts()).toMatchObject({ people: 1, events: 1 });
	});

	it('an item without a usable identifier goes to Failed with its index and field; no anonymous profile is made', async () => {
		const { success, failed, outputs } = await runCustomerIo(server, identify({ sendAllFields: true }), [{ email: 'a@example.com' }, { email: '' }, { name: 'no email at all' }, { email: 'not an email' }]);
		expect(success).toHaveLength(1);
		expect(failed.map((f) => f.error)).toEqual([
			'Item 1: field "email" is empty — every person needs an email address; map the field that holds it in "Identifier Field" (items without one are not sent, so no anonymous profile is created)',
			'Item 2: field "email" is empty — every person needs an email address; map the field that holds it in "Identifier Field" (items without one are not sent, so no anonymous profile is created)',
			'Item 3: field "email" "not an email" is not a valid email address — fix it at the source, or identify people by ID instead',
		]);
		expect(outputs[1].map((i) => i.pairedItem)).toEqual([{ item: 1 }, { item: 2 }, { item: 3 }]);
		expect(failed[0].customerioError).toMatchObject({ code: 'INVALID_INPUT', field: 'email', retryable: false });
		expect(server.counts()).toMatchObject({ people: 1, events: 0 });
	});
});

describe('Customer.io Track node: attributes', () => {
	it('normalises enums and timestamps, stamps source_of_truth, and withholds consent unless owned', async () => {
		const params = identify({
			attributes: { attribute: [{ name: 'vip_tier', field: 'tier' }, { name: 'last_order_at', field: 'lastOrderAt' }, { name: 'segment', field: 'segment' }] },
			enumAttributes: { enum: [{ attribute: 'vip_tier', values: 'VIP, Gold, Silver' }, { attribute: 'segment', values: 'Champions, At Risk, Loyal' }] },
			options: { sourceOfTruthValue: 'zoho_crm', updatedAtField: 'modified' },
			sendAllFields: true,
		});
		const items = [
			{ email: 'a@example.com', tier: 'vip', lastOrderAt: '2024-03-01T10:15:00Z', segment: 'at_risk', unsubscribed: false, modified: '2024-03-05T00:00:00Z' },
			{ email: 'b@example.com', tier: 'Vip ', lastOrderAt: '2024-03-01 10:15:00', segment: 'CHAMPIONS', modified: '2024-03-05T00:00:00Z' },
			{ email: 'c@example.com', tier: 'Diamond', lastOrderAt: 1709288100, segment: 'Loyal', modified: '2024-03-05T00:00:00Z' },
		];
		const { success, failed } = await runCustomerIo(server, params, items);
		expect(server.findPerson({ email: 'a@example.com' })?.attributes).toEqual({ vip_tier: 'VIP', last_order_at: 1709288100, segment: 'At Risk', source_of_truth: 'zoho_crm' });
		expect(server.findPerson({ email: 'b@example.com' })?.attributes).toEqual({ vip_tier: 'VIP', last_order_at: 1709288100, segment: 'Champions', source_of_truth: 'zoho_crm' });
		expect(success[0].customerio).toMatchObject({ operation: 'identify', withheldAttributes: ['unsubscribed'], timestamp: 1709596800 });
		expect(failed).toHaveLength(1);
		expect(failed[0].error).toBe('Item 2: field "tier" "Diamond" is not one of the spellings set for "vip_tier" ("VIP", "Gold", "Silver") — add it under "Enum Attributes", or fix the value at the source');
		expect(server.findPerson({ email: 'c@example.com' })).toBeNull();
	});
});

describe('Customer.io Track node: change events', () => {
	const rfmItems = [
		{ email: 'a@example.com', previousSegment: 'loyal', segment: 'at_risk', segmentChanged: true },
		{ email: 'b@example.com', previousSegment: 'champions', segment: 'champions', segmentChanged: false },
		{ email: 'c@example.com', previousSegment: null, segment: 'new_customers', segmentChanged: false },
		{ email: 'd@example.com', previousSegment: 'at_risk', segment: 'lost', segmentChanged: true },
	];
	const params = identify({
		attributes: { attribute: [{ name: 'segment', field: 'segment' }] },
		changeEvents: { change: [{ name: 'segment_changed', attribute: 'segment', previousField: 'previousSegment', currentField: 'segment', changedFlagField: 'segmentChanged', emitWithoutPrevious: false }] },
	});

	it('sends segment_changed with from/to only for items whose value changed, once across re-runs', async () => {
		const first = await runCustomerIo(server, params, rfmItems);
		expect(first.failed).toEqual([]);
		expect(first.success).toHaveLength(4);
		const events = server.listEvents({ name: 'segment_changed' });
		expect(events.map((e) => e.data)).toEqual([
			{ from: 'loyal', to: 'at_risk', attribute: 'segment' },
			{ from: 'at_risk', to: 'lost', attribute: 'segment' },
		]);
		expect(first.success[1].customerio).toMatchObject({ changeEvents: [{ name: 'segment_changed', sent: false, reason: 'flag_false' }] });
		// The nightly job re-runs (or n8n retries the execution): nothing new.
		await runCustomerIo(server, params, rfmItems);
		expect(server.listEvents({ name: 'segment_changed' })).toHaveLength(2);
		expect(server.counts().duplicateEventsIgnored).toBe(2);
		expect(server.counts().people).toBe(4);
	});
});

describe('Customer.io Track node: batching', () => {
	it('packs 10,000 events into as few requests as 500 KB allows (exact count from the operation size)', async () => {
		const n = 10_000;
		const items = Array.from({ length: n }, (_, i) => ({ email: `p${String(i).padStart(5, '0')}@example.com`, orderId: `o${String(i).padStart(5, '0')}`, total: 12.5, createdAt: '2024-03-01T10:15:00Z' }));
		const { success, failed } = await runCustomerIo(
			server,
			track({ dedupeKeyFields: 'orderId', timestampField: 'createdAt', eventData: { property: [{ name: 'order_id', field: 'orderId' }, { name: 'total', field: 'total' }] } }),
			items,
		);
		expect(failed).toEqual([]);
		expect(success).toHaveLength(n);
		// Every operation has the same size; written out by hand, not by the node:
		const sample = { type: 'person', identifiers: { email: 'p00000@example.com' }, action: 'event', name: 'order_completed', id: '0'.repeat(26), timestamp: 1709288100, attributes: { order_id: 'o00000', total: 12.5 } };
		const opBytes = utf8Bytes(JSON.stringify(sample));
		const perRequest = Math.floor((V2_BATCH_MAX_BYTES - '{"batch":[]}'.length + 1) / (opBytes + 1));
		const expectedRequests = Math.ceil(n / perRequest);
		expect(server.count('POST /api/v2/batch')).toBe(expectedRequests);
		expect(expectedRequests).toBeLessThan(50);
		for (const call of server.callLog().calls) expect(call.bytes).toBeLessThanOrEqual(V2_BATCH_MAX_BYTES);
		expect(server.counts()).toMatchObject({ events: n, people: n });
	});

	it('maps per-item errors of a 207 back to the right items (pairedItem), the rest succeed', async () => {
		// Make the server's per-operation limit smaller than ours so that it, not our validation, refuses some.
		server.configure({ maxOperationBytes: 400 });
		const items = Array.from({ length: 12 }, (_, i) => ({ email: `u${i}@example.com`, orderId: `o${i}`, note: i % 4 === 1 ? 'x'.repeat(500) : 'short' }));
		items[6] = { email: '', orderId: 'o6', note: 'short' };
		const { outputs, success, failed } = await runCustomerIo(server, track({ dedupeKeyFields: 'orderId', eventData: { property: [{ name: 'note', field: 'note' }] } }), items);
		expect(outputs[1].map((o) => o.pairedItem)).toEqual([{ item: 1 }, { item: 5 }, { item: 6 }, { item: 9 }]);
		expect(failed.map((f) => (f.customerioError as IDataObject).code)).toEqual(['TOO_LARGE', 'TOO_LARGE', 'INVALID_INPUT', 'TOO_LARGE']);
		expect(failed[0].error).toMatch(/^Item 1: Customer\.io rejected this event "order_completed": each operation must be 400 bytes or smaller \(this one is \d+\) — fix the value and run the item again$/);
		expect(outputs[0].map((o) => o.pairedItem)).toEqual([0, 2, 3, 4, 7, 8, 10, 11].map((item) => ({ item })));
		expect(success.every((s) => (s.customerio as IDataObject).operation === 'track')).toBe(true);
		expect(server.listEvents().map((e) => e.data.note)).toHaveLength(8);
		expect(server.count('POST /api/v2/batch')).toBe(1);
	});
});

describe('Customer.io Track node: faults', () => {
	it('a 30% fault storm (5xx, 429, dropped connections, before and after acceptance) ends with every event exactly once', async () => {
		server.setFaults({ rate: 0.3, seed: 42, afterAcceptShare: 0.5 });
		const people = 400;
		const items = Array.from({ length: 3_000 }, (_, i) => ({ email: `c${i % people}@example.com`, orderId: `order-${i}`, total: i, notes: 'n'.repeat(5_000) }));
		const identifyRun = await runCustomerIo(server, identify({ attributes: { attribute: [{ name: 'last_total', field: 'total' }] }, options: { maxRetries: 15 } }), items);
		const trackRun = await runCustomerIo(
			server,
			track({ dedupeKeyFields: 'orderId', eventData: { property: [{ name: 'order_id', field: 'orderId' }, { name: 'notes', field: 'notes' }] }, options: { maxRetries: 15 } }),
			items,
		);
		const anonymousRun = await runCustomerIo(server, { resource: 'event', operation: 'trackAnonymous', anonymousIdField: 'visitor', eventName: '__custom', customEventName: 'page_viewed', dedupeKeyFields: 'visitId', options: { maxRetries: 15 } }, Array.from({ length: 150 }, (_, i) => ({ visitor: `v${i % 30}`, visitId: `visit-${i}` })));
		for (const run of [identifyRun, trackRun, anonymousRun]) expect(run.failed).toEqual([]);
		const log = server.callLog();
		expect(log.calls.filter((c) => c.fault?.phase === 'after').length).toBeGreaterThan(5);
		expect(log.calls.filter((c) => c.fault?.phase === 'before').length).toBeGreaterThan(5);
		const orders = server.listEvents({ name: 'order_completed' });
		expect(orders).toHaveLength(3_000);
		expect(new Set(orders.map((e) => e.data.order_id)).size).toBe(3_000);
		expect(server.listEvents({ name: 'page_viewed' })).toHaveLength(150);
		expect(server.counts().duplicateEventsIgnored).toBeGreaterThan(0);
		expect(server.counts().people).toBe(people);
	});

	it('what retries cannot deliver is on Failed (retryable), counted, equal to what is missing; a re-run completes it exactly once', async () => {
		const items = Array.from({ length: 30 }, (_, i) => ({ email: `f${i}@example.com`, orderId: `o${i}`, pad: 'p'.repeat(20_000) }));
		const params = track({ dedupeKeyFields: 'orderId', eventData: { property: [{ name: 'order_id', field: 'orderId' }, { name: 'pad', field: 'pad' }] }, options: { maxRetries: 1, concurrency: 1 } });
		server.scriptFaults([
			{ kind: 'serverError', phase: 'before' },
			{ kind: 'serverError', phase: 'before' },
		]);
		const first = await runCustomerIo(server, params, items);
		const delivered = new Set(server.listEvents().map((e) => e.data.order_id));
		expect(first.failed.length).toBeGreaterThan(0);
		expect(first.failed.length + delivered.size).toBe(30);
		expect(first.failed.every((f) => (f.customerioError as IDataObject).retryable === true && (f.customerioError as IDataObject).code === 'SERVER_ERROR')).toBe(true);
		for (const f of first.failed) expect(delivered.has(f.orderId)).toBe(false);
		await runCustomerIo(server, params, items);
		expect(server.listEvents()).toHaveLength(30);
	});

	it('refused credentials stop the run with a clear error, or send every item to Failed under Continue On Fail', async () => {
		const bad = { customerIoTrackApi: { siteId: 'test-site-id', apiKey: 'wrong', region: 'custom', customUrl: server.url } };
		await expect(runCustomerIo(server, identify(), [{ email: 'a@example.com' }], { credentials: bad })).rejects.toThrow(NodeApiError);
		await expect(runCustomerIo(server, identify(), [{ email: 'a@example.com' }], { credentials: bad })).rejects.toThrow(/Customer\.io refused the Track API credentials \(HTTP 401\)/);
		const continued = await runCustomerIo(server, identify(), [{ email: 'a@example.com' }, { email: 'b@example.com' }], { credentials: bad, continueOnFail: true });
		expect(continued.failed.map((f) => (f.customerioError as IDataObject).code)).toEqual(['UNAUTHORIZED', 'UNAUTHORIZED']);
		expect(continued.outputs[1].map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});
});

describe('Customer.io Track node: other operations', () => {
	it('merge, suppress, unsuppress and delete through v2 batches', async () => {
		server.seedPeople([{ email: 'keep@example.com', attributes: { plan: 'gold' } }, { id: 'dup-1', attributes: { city: 'Rome' } }, { email: 'gdpr@example.com' }, { email: 'gone@example.com' }]);
		const merged = await runCustomerIo(server, { resource: 'person', operation: 'merge', identifierType: 'email', identifierField: 'email', secondaryIdentifierType: 'id', secondaryIdentifierField: 'duplicateId' }, [{ email: 'KEEP@example.com', duplicateId: 'dup-1' }, { email: 'x@example.com', duplicateId: '' }]);
		expect(merged.success[0].customerio).toEqual({ operation: 'merge', primary: { email: 'keep@example.com' }, secondary: { id: 'dup-1' }, attempts: 1 });
		expect(merged.failed[0].error).toMatch(/^Item 1: field "duplicateId" is empty — .* "Secondary Identifier Field"/);
		expect(server.findPerson({ email: 'keep@example.com' })).toMatchObject({ id: 'dup-1', attributes: { plan: 'gold', city: 'Rome' } });
		await runCustomerIo(server, { resource: 'person', operation: 'suppress', identifierType: 'email', identifierField: 'email' }, [{ email: 'gdpr@example.com' }]);
		await runCustomerIo(server, { resource: 'person', operation: 'delete', identifierType: 'email', identifierField: 'email' }, [{ email: 'gone@example.com' }]);
		await runCustomerIo(server, identify(), [{ email: 'gdpr@example.com' }]);
		expect(server.listPeople().map((p) => p.email)).toEqual(['keep@example.com']);
		await runCustomerIo(server, { resource: 'person', operation: 'unsuppress', identifierType: 'email', identifierField: 'email' }, [{ email: 'gdpr@example.com' }]);
		await runCustomerIo(server, identify(), [{ email: 'gdpr@example.com' }]);
		expect(server.counts()).toMatchObject({ people: 2, merges: 1, deletedPeople: 2 });
		expect(server.callLog().counts).toEqual({ 'POST /api/v2/batch': 6 });
	});

	it('anonymous events go to v1 /api/v1/events with a dedupe id and Unix timestamp', async () => {
		const { success } = await runCustomerIo(server, { resource: 'event', operation: 'trackAnonymous', anonymousIdField: 'anonymousId', eventName: 'cart_abandoned', timestampField: 'at', dedupeKeyFields: 'cartId', sendAllFieldsAsData: true }, [{ anonymousId: 'anon-9', cartId: 'c1', at: '2024-03-01T10:15:00Z', recoveryUrl: 'https://shop.example/r/1' }]);
		expect(server.listEvents()).toEqual([expect.objectContaining({ person: null, anonymous_id: 'anon-9', name: 'cart_abandoned', timestamp: 1709288100, data: { cartId: 'c1', recoveryUrl: 'https://shop.example/r/1' } })]);
		expect(success[0].customerio).toMatchObject({ operation: 'trackAnonymous', anonymousId: 'anon-9', event: { name: 'cart_abandoned', timestamp: 1709288100 } });
		expect(server.callLog().counts).toEqual({ 'POST /api/v1/events': 1 });
	});

	it('a custom event name may differ per item (expression), e.g. one per win-back route', async () => {
		await runCustomerIo(server, track({ eventName: '__custom', customEventName: (i: number) => (i === 0 ? 'winback_discount' : 'winback_rep_intro'), dedupeKeyFields: 'customerKey' }), [
			{ email: 'a@example.com', customerKey: 'a' },
			{ email: 'b@example.com', customerKey: 'b' },
		]);
		expect(server.listEvents().map((e) => e.name)).toEqual(['winback_discount', 'winback_rep_intro']);
	});

	it('dry run returns the requests it would send and sends nothing', async () => {
		const { outputs, success, failed } = await runCustomerIo(server, identify({ sendAllFields: true, options: { dryRun: true } }), [{ email: 'a@example.com', x: 1 }, { email: 'A@example.com', y: 2 }, { email: '' }]);
		expect(server.callLog().calls).toHaveLength(0);
		expect(success).toEqual([
			{
				dryRun: true,
				request: 1,
				purpose: 'send 1 operation(s) in one v2 batch',
				method: 'POST',
				url: `${server.url}/api/v2/batch`,
				headers: { Authorization: 'Basic <site id>:<api key>', 'Content-Type': 'application/json' },
				body: { batch: [{ type: 'person', identifiers: { email: 'a@example.com' }, action: 'identify', attributes: { x: 1, y: 2 } }] },
				bytes: utf8Bytes(JSON.stringify({ batch: [{ type: 'person', identifiers: { email: 'a@example.com' }, action: 'identify', attributes: { x: 1, y: 2 } }] })),
				items: [0, 1],
			},
		]);
		expect(outputs[0][0].pairedItem).toEqual([{ item: 0 }, { item: 1 }]);
		expect(failed).toHaveLength(1);
	});
});

describe('Customer.io Track node: description', () => {
	it('offers the retention vocabulary as event names, and free text', () => {
		const node = new CustomerIoTrack();
		const eventName = node.description.properties.find((p) => p.name === 'eventName') as INodeProperties;
		const values = (eventName.options as Array<{ value: string }>).map((o) => o.value);
		for (const name of RETENTION_EVENT_NAMES) expect(values).toContain(name);
		expect(values).toContain('__custom');
		expect(node.description).toMatchObject({ name: 'customerIoTrack', displayName: 'Customer.io Track', outputNames: ['Success', 'Failed'], credentials: [{ name: 'customerIoTrackApi', required: true }] });
	});
});
