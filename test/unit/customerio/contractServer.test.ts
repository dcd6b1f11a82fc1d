import type { CustomerIoContractServer } from '../../contract/customerio/server';
import { DEFAULT_CREDENTIALS, startCustomerIoServer } from '../../contract/customerio/server';

let server: CustomerIoContractServer;

beforeAll(async () => {
	server = await startCustomerIoServer();
});
afterAll(async () => {
	await server.close();
});
beforeEach(() => server.reset());

const auth = 'Basic ' + Buffer.from(`${DEFAULT_CREDENTIALS.siteId}:${DEFAULT_CREDENTIALS.apiKey}`).toString('base64');

async function call(method: string, path: string, body?: unknown, authorization = auth): Promise<{ status: number; body: unknown; headers: Headers }> {
	const response = await fetch(server.url + path, { method, headers: { authorization, 'content-type': 'application/json' }, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
	const text = await response.text();
	return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
}

const ULID_A = '01HQZ8Q7G0ABCDEFGHJKMNPQRS';

describe('Customer.io Track contract server', () => {
	it('requires Basic auth with the site id and API key, and reports the region', async () => {
		expect((await call('GET', '/api/v1/accounts/region', undefined, '')).status).toBe(401);
		expect((await call('GET', '/api/v1/accounts/region', undefined, 'Basic ' + Buffer.from('test-site-id:wrong').toString('base64'))).status).toBe(401);
		const ok = await call('GET', '/api/v1/accounts/region');
		expect(ok).toMatchObject({ status: 200, body: { region: 'us', url: server.url } });
	});

	it('v1 identify treats email case-insensitively and an id in the body as the same person', async () => {
		expect((await call('PUT', '/api/v1/customers/Jane%40Example.com', { first_name: 'Jane' })).status).toBe(200);
		await call('PUT', '/api/v1/customers/jane%40example.com', { id: 'Z1', plan: 'gold' });
		await call('PUT', '/api/v1/customers/Z1', { email: 'JANE@example.com', city: 'Berlin' });
		expect(server.listPeople()).toHaveLength(1);
		expect(server.findPerson({ id: 'Z1' })).toMatchObject({ email: 'jane@example.com', id: 'Z1', attributes: { first_name: 'Jane', plan: 'gold', city: 'Berlin' } });
	});

	it('an identify with a new id but a known email updates that person (no second profile)', async () => {
		await call('PUT', '/api/v1/customers/jane%40example.com', {});
		await call('PUT', '/api/v1/customers/NEW-ID', { email: 'jane@example.com', plan: 'gold' });
		expect(server.listPeople()).toHaveLength(1);
		expect(server.findPerson({ email: 'jane@example.com' })).toMatchObject({ id: 'NEW-ID', attributes: { plan: 'gold' } });
	});

	it('refuses to move an identifier that belongs to someone else (attribute update failure, 200)', async () => {
		server.seedPeople([{ id: 'A', email: 'a@example.com' }, { id: 'B', email: 'b@example.com' }]);
		const reply = await call('POST', '/api/v2/entity', { type: 'person', identifiers: { id: 'A' }, action: 'identify', attributes: { email: 'b@example.com' } });
		expect(reply.status).toBe(200);
		expect(server.findPerson({ id: 'A' })?.email).toBe('a@example.com');
		expect(server.counts().attributeUpdateFailures).toBe(1);
	});

	it('an older identify timestamp does not overwrite newer attributes; empty values remove attributes', async () => {
		await call('POST', '/api/v2/entity', { type: 'person', identifiers: { id: '1' }, action: 'identify', timestamp: 200, attributes: { tier: 'Gold', nickname: 'J' } });
		await call('POST', '/api/v2/entity', { type: 'person', identifiers: { id: '1' }, action: 'identify', timestamp: 100, attributes: { tier: 'Silver' } });
		await call('POST', '/api/v2/entity', { type: 'person', identifiers: { id: '1' }, action: 'identify', timestamp: 300, attributes: { nickname: '' } });
		expect(server.findPerson({ id: '1' })?.attributes).toEqual({ tier: 'Gold' });
	});

	it('deduplicates events by ULID id and refuses ids that are not ULIDs', async () => {
		const event = { name: 'order_completed', id: ULID_A, data: { order_id: '1' } };
		expect((await call('POST', '/api/v1/customers/jane%40example.com/events', event)).status).toBe(200);
		expect((await call('POST', '/api/v1/customers/jane%40example.com/events', event)).status).toBe(200);
		await call('POST', '/api/v2/batch', { batch: [{ type: 'person', identifiers: { email: 'jane@example.com' }, action: 'event', name: 'order_completed', id: ULID_A, attributes: {} }] });
		expect(server.listEvents({ name: 'order_completed' })).toHaveLength(1);
		expect(server.counts().duplicateEventsIgnored).toBe(2);
		const bad = await call('POST', '/api/v1/customers/jane%40example.com/events', { name: 'x', id: 'order-1' });
		expect(bad).toMatchObject({ status: 400, body: { meta: { error: 'id must be a valid ULID' } } });
	});

	it('validates events with Customer.io\'s documented messages', async () => {
		expect((await call('POST', '/api/v1/events', { name: ' ', anonymous_id: 'a' })).body).toEqual({ meta: { error: 'event name must not be blank' } });
		expect((await call('POST', '/api/v1/events', { name: 'x'.repeat(101), anonymous_id: 'a' })).body).toEqual({ meta: { error: 'event name cannot be longer than 100 bytes' } });
		expect((await call('POST', '/api/v1/events', { name: 'x', anonymous_id: 'a', data: '' })).body).toEqual({ meta: { error: 'event data must be a hash (e.g., send "data":{} instead of "data":"")' } });
		expect((await call('POST', '/api/v1/events', { name: 'x', anonymous_id: 'a', timestamp: 1709288100000 })).body).toEqual({ meta: { error: 'timestamp must be a Unix timestamp in seconds' } });
		expect((await call('POST', '/api/v1/events', { name: 'viewed', anonymous_id: 'anon-1', data: {} })).status).toBe(200);
		expect(server.counts()).toMatchObject({ anonymousEvents: 1, people: 0 });
	});

	it('v2 batch: 207 with batch_index for invalid operations, the rest applied; 400 when malformed; 413 over 500 kb', async () => {
		const reply = await call('POST', '/api/v2/batch', {
			batch: [
				{ type: 'person', identifiers: { id: '1' }, action: 'identify', attributes: { a: 1 } },
				{ type: 'person', identifiers: { id: '2', email: 'x@y.z' }, action: 'identify' },
				{ type: 'person', identifiers: { id: '3' }, action: 'event', name: '' },
				{ type: 'person', identifiers: { id: '4' }, action: 'identify', attributes: { bio: 'x'.repeat(1001) } },
			],
		});
		expect(reply.status).toBe(207);
		expect(reply.body).toEqual({
			errors: [
				{ batch_index: 1, reason: 'invalid', field: 'identifiers', message: 'identifiers must contain exactly one of id, email or cio_id — you cannot pass multiple identifiers' },
				{ batch_index: 2, reason: 'required', field: 'name', message: 'event name must not be blank' },
				{ batch_index: 3, reason: 'invalid', field: 'attributes.bio', message: "value for attribute 'bio' cannot be longer than 1000 bytes" },
			],
		});
		expect(server.listPeople().map((p) => p.id)).toEqual(['1']);
		expect((await call('POST', '/api/v2/batch', '{"batch": nope')).status).toBe(400);
		expect((await call('POST', '/api/v2/batch', { items: [] })).status).toBe(400);
		const big = { batch: Array.from({ length: 20 }, (_, i) => ({ type: 'person', identifiers: { id: String(i) }, action: 'event', name: 'x', attributes: { pad: 'p'.repeat(25_000) } })) };
		expect((await call('POST', '/api/v2/batch', big)).status).toBe(413);
		const oneTooBig = await call('POST', '/api/v2/batch', { batch: [{ type: 'person', identifiers: { id: '9' }, action: 'event', name: 'x', attributes: { pad: 'p'.repeat(33_000) } }] });
		expect(oneTooBig).toMatchObject({ status: 207, body: { errors: [{ batch_index: 0, reason: 'too_large' }] } });
	});

	it('suppress deletes the person and blocks their identifiers until unsuppressed', async () => {
		server.seedPeople([{ id: '7', email: 'seven@example.com' }]);
		await call('POST', '/api/v2/batch', { batch: [{ type: 'person', identifiers: { id: '7' }, action: 'suppress' }] });
		await call('PUT', '/api/v1/customers/seven%40example.com', { back: true });
		expect(server.counts()).toMatchObject({ people: 0, suppressedIdentifiers: 2 });
		await call('POST', '/api/v1/customers/seven%40example.com/unsuppress');
		await call('PUT', '/api/v1/customers/7', {});
		expect(server.counts()).toMatchObject({ people: 1, suppressedIdentifiers: 0 });
	});

	it('merge: needs an existing primary; moves events and unset attributes; deletes the secondary', async () => {
		server.seedPeople([{ email: 'keep@example.com', attributes: { plan: 'gold' } }, { id: 'dup', attributes: { plan: 'free', city: 'Paris' } }]);
		await call('POST', '/api/v2/batch', { batch: [{ type: 'person', identifiers: { id: 'dup' }, action: 'event', name: 'viewed', attributes: {} }] });
		expect((await call('POST', '/api/v1/merge_customers', { primary: { email: 'nobody@example.com' }, secondary: { id: 'dup' } })).status).toBe(200);
		expect(server.counts().merges).toBe(0);
		expect((await call('POST', '/api/v1/merge_customers', { primary: { email: 'keep@example.com', id: 'x' }, secondary: { id: 'dup' } })).status).toBe(400);
		await call('POST', '/api/v2/batch', { batch: [{ type: 'person', action: 'merge', primary: { email: 'keep@example.com' }, secondary: { id: 'dup' } }] });
		expect(server.listPeople()).toHaveLength(1);
		const kept = server.findPerson({ email: 'keep@example.com' })!;
		expect(kept).toMatchObject({ id: 'dup', attributes: { plan: 'gold', city: 'Paris' } });
		expect(server.listEvents({ name: 'viewed' })[0].person).toBe(kept.cio_id);
	});

	it('answers 429 with Retry-After past the configured rate', async () => {
		server.configure({ rateLimitPerSecond: 5 });
		const statuses = await Promise.all(Array.from({ length: 12 }, () => call('GET', '/api/v1/accounts/region').then((r) => r.status)));
		expect(statuses.filter((s) => s === 200)).toHaveLength(5);
		expect(statuses.filter((s) => s === 429)).toHaveLength(7);
		const limited = await call('GET', '/api/v1/accounts/region');
		expect(limited.headers.get('retry-after')).toBe('1');
	});

	it('injects faults before and after accepting a call, and logs them', async () => {
		server.scriptFaults([
			{ kind: 'serverError', phase: 'before', status: 503 },
			{ kind: 'drop', phase: 'after', route: 'POST /api/v2/batch' },
		]);
		const batch = { batch: [{ type: 'person', identifiers: { id: '1' }, action: 'event', name: 'order_completed', id: ULID_A, attributes: {} }] };
		expect((await call('POST', '/api/v2/batch', batch)).status).toBe(503);
		expect(server.counts().events).toBe(0);
		await expect(call('POST', '/api/v2/batch', batch)).rejects.toThrow();
		expect(server.counts().events).toBe(1);
		expect((await call('POST', '/api/v2/batch', batch)).status).toBe(200);
		expect(server.counts()).toMatchObject({ events: 1, duplicateEventsIgnored: 1 });
		expect(server.callLog().calls.map((c) => c.fault)).toEqual([{ kind: 'serverError', phase: 'before' }, { kind: 'drop', phase: 'after' }, null]);
	});

	it('has a control API over HTTP', async () => {
		await call('PUT', '/api/v1/customers/1', {});
		const state = (await (await fetch(`${server.url}/__control/state`)).json()) as { counts: { people: number } };
		expect(state.counts.people).toBe(1);
		await fetch(`${server.url}/__control/faults`, { method: 'POST', body: JSON.stringify({ rate: 1, kinds: { tooManyRequests: 1, serverError: 0, drop: 0 }, afterAcceptShare: 0 }) });
		expect((await call('PUT', '/api/v1/customers/2', {})).status).toBe(429);
		await fetch(`${server.url}/__control/faults`, { method: 'DELETE' });
		const calls = (await (await fetch(`${server.url}/__control/calls`)).json()) as { counts: Record<string, number> };
		expect(calls.counts['PUT /api/v1/customers/{identifier}']).toBe(2);
		await fetch(`${server.url}/__control/reset`, { method: 'POST' });
		expect(server.counts().people).toBe(0);
	});
});
