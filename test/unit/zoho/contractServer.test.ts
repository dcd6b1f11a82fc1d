import type { ZohoContractServer } from '../../contract/zoho/server';
import { DEFAULT_CREDENTIALS, startZohoServer } from '../../contract/zoho/server';

/** The contract server behaves as Zoho documents, so the node's tests mean something. */

let server: ZohoContractServer;

beforeAll(async () => {
	server = await startZohoServer();
});
afterAll(async () => {
	await server.close();
});
beforeEach(() => server.reset());

async function call(method: string, path: string, body?: unknown, token: string = DEFAULT_CREDENTIALS.accessToken, headers: Record<string, string> = {}) {
	const response = await fetch(server.url + path, { method, headers: { Authorization: `Zoho-oauthtoken ${token}`, 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
	const text = await response.text();
	return { status: response.status, body: text ? JSON.parse(text) : null };
}

describe('Zoho CRM contract server', () => {
	it('upserts by the system duplicate field: insert, then update by case-insensitive Email', async () => {
		const first = await call('POST', '/crm/v8/Contacts/upsert', { data: [{ Email: 'ann@x.com', Last_Name: 'Lee' }] });
		expect(first.status).toBe(200);
		expect(first.body.data[0]).toMatchObject({ code: 'SUCCESS', action: 'insert', duplicate_field: null, status: 'success' });
		const second = await call('POST', '/crm/v8/Contacts/upsert', { data: [{ Email: 'ANN@x.com', First_Name: 'Ann' }] });
		expect(second.body.data[0]).toMatchObject({ action: 'update', duplicate_field: 'Email', details: { id: first.body.data[0].details.id } });
		expect(server.list('Contacts')).toHaveLength(1);
		expect(server.list('Contacts')[0]).toMatchObject({ Last_Name: 'Lee', First_Name: 'Ann' });
	});

	it('answers DUPLICATE_DATA with more_records when more than one record matches', async () => {
		server.seed('Contacts', [{ Email: 'dup@x.com', Last_Name: 'A' }, { Email: 'dup@x.com', Last_Name: 'B' }]);
		const res = await call('POST', '/crm/v8/Contacts/upsert', { data: [{ Email: 'dup@x.com', Last_Name: 'C' }, { Email: 'ok@x.com', Last_Name: 'D' }] });
		expect(res.status).toBe(207);
		expect(res.body.data[0]).toMatchObject({ code: 'DUPLICATE_DATA', details: { api_name: 'Email', json_path: '$.data[0].Email', more_records: true }, status: 'error' });
		expect(server.list('Contacts')).toHaveLength(3);
	});

	it('matches on the given duplicate_check_fields only, and refuses fields that are not unique', async () => {
		await call('POST', '/crm/v8/Accounts/upsert', { data: [{ Account_Name: 'Acme', Account_Key: 'acme.com' }], duplicate_check_fields: ['Account_Key'] });
		const renamed = await call('POST', '/crm/v8/Accounts/upsert', { data: [{ Account_Name: 'ACME Tools Ltd', Account_Key: 'acme.com' }], duplicate_check_fields: ['Account_Key'] });
		expect(renamed.body.data[0]).toMatchObject({ action: 'update', duplicate_field: 'Account_Key' });
		const bad = await call('POST', '/crm/v8/Accounts/upsert', { data: [{ Account_Name: 'X' }], duplicate_check_fields: ['Website'] });
		expect(bad.status).toBe(400);
		expect(bad.body).toMatchObject({ code: 'INVALID_DATA', details: { api_name: 'Website' } });
	});

	it('accepts 100 records and refuses 101 with LIMIT_EXCEEDED', async () => {
		const make = (n: number) => Array.from({ length: n }, (_, i) => ({ Email: `p${i}@x.com`, Last_Name: `P${i}` }));
		expect((await call('POST', '/crm/v8/Contacts/upsert', { data: make(100) })).status).toBe(200);
		const over = await call('POST', '/crm/v8/Contacts/upsert', { data: make(101) });
		expect(over.status).toBe(400);
		expect(over.body.data[0]).toMatchObject({ code: 'LIMIT_EXCEEDED', details: { maximum_length: 100 } });
	});

	it('validates mandatory fields, types, lengths, lookups and unique fields; all failed → 400', async () => {
		const res = await call('POST', '/crm/v8/Contacts/upsert', {
			data: [{ Email: 'a@x.com' }, { Email: 'not-an-email', Last_Name: 'X' }, { Email: 'b@x.com', Last_Name: 'Y', Account_Name: { id: '999' } }, { Email: 'c@x.com', Last_Name: 'Z', Order_Count: 1.5 }, { Email: 'd@x.com', Last_Name: 'x'.repeat(81) }],
		});
		expect(res.status).toBe(400);
		expect(res.body.data.map((d: { code: string; details: { api_name: string } }) => `${d.code}:${d.details.api_name}`)).toEqual(['MANDATORY_NOT_FOUND:Last_Name', 'INVALID_DATA:Email', 'INVALID_DATA:Account_Name', 'INVALID_DATA:Order_Count', 'INVALID_DATA:Last_Name']);
		await call('POST', '/crm/v8/Store_Orders/upsert', { data: [{ Name: 'Order 1', Order_Number: '1' }] });
		const unique = await call('POST', '/crm/v8/Store_Orders', { data: [{ Name: 'Order 1 again', Order_Number: '1' }] });
		expect(unique.body.data[0]).toMatchObject({ code: 'DUPLICATE_DATA', details: { api_name: 'Order_Number', more_records: false } });
	});

	it('updates by id (PUT) and answers unknown ids with INVALID_DATA', async () => {
		const created = await call('POST', '/crm/v8/Contacts/upsert', { data: [{ Email: 'u@x.com', Last_Name: 'U' }] });
		const id = created.body.data[0].details.id;
		const res = await call('PUT', '/crm/v8/Contacts', { data: [{ id, RFM_Segment: 'Champions' }, { id: '1', RFM_Segment: 'Lost' }, { RFM_Segment: 'x' }] });
		expect(res.status).toBe(207);
		expect(res.body.data.map((d: { code: string }) => d.code)).toEqual(['SUCCESS', 'INVALID_DATA', 'MANDATORY_NOT_FOUND']);
		expect(server.list('Contacts')[0].RFM_Segment).toBe('Champions');
	});

	it('refuses unknown and expired tokens with 401 INVALID_TOKEN; the token endpoint issues a new one with api_domain', async () => {
		expect((await call('GET', '/crm/v8/settings/modules', undefined, 'nope')).body).toMatchObject({ code: 'INVALID_TOKEN', status: 'error' });
		server.expireTokens();
		expect((await call('GET', '/crm/v8/settings/modules')).status).toBe(401);
		const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: DEFAULT_CREDENTIALS.refreshToken, client_id: DEFAULT_CREDENTIALS.clientId, client_secret: DEFAULT_CREDENTIALS.clientSecret });
		const token = (await (await fetch(`${server.url}/oauth/v2/token`, { method: 'POST', body: form })).json()) as { access_token: string };
		expect(token).toMatchObject({ token_type: 'Bearer', expires_in: 3600, api_domain: server.url });
		const ok = await fetch(`${server.url}/crm/v8/settings/modules`, { headers: { Authorization: `Bearer ${token.access_token}` } });
		expect(ok.status).toBe(200);
		const bad = await fetch(`${server.url}/oauth/v2/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'x' }) });
		expect(bad.status).toBe(400);
		expect(await bad.json()).toEqual({ error: 'invalid_code' });
	});

	it('answers 429 when more calls are in flight than the concurrency limit', async () => {
		server.configure({ concurrencyLimit: 2, latencyMs: 50 });
		const statuses = await Promise.all(Array.from({ length: 5 }, () => call('GET', '/crm/v8/settings/modules').then((r) => r.status)));
		expect(statuses.filter((s) => s === 429)).toHaveLength(3);
	});

	it('pages Get Records: pages up to 2,000 records, then page_token; If-Modified-Since filters', async () => {
		server.seed('Contacts', Array.from({ length: 2450 }, (_, i) => ({ Email: `r${i}@x.com`, Last_Name: 'R', Modified_Time: `2024-01-01T00:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}+00:00` })));
		const tooFar = await call('GET', '/crm/v8/Contacts?fields=Email&per_page=200&page=11');
		expect(tooFar.body).toMatchObject({ code: 'DISCRETE_PAGINATION_LIMIT_EXCEEDED' });
		let seen = 0;
		let token: string | null = null;
		let page = 1;
		for (;;) {
			const res = await call('GET', `/crm/v8/Contacts?fields=Email&per_page=200&sort_by=Modified_Time&sort_order=asc&${token ? `page_token=${token}` : `page=${page}`}`);
			seen += res.body.data.length;
			if (!res.body.info.more_records) break;
			token = res.body.info.next_page_token;
			page++;
		}
		expect(seen).toBe(2450);
		const since = await call('GET', '/crm/v8/Contacts?fields=Email&per_page=200', undefined, undefined, { 'If-Modified-Since': '2024-01-01T00:40:39+00:00' });
		expect(since.body.info.count).toBe(10);
		expect((await call('GET', '/crm/v8/Contacts?per_page=200')).body).toMatchObject({ code: 'REQUIRED_PARAM_MISSING' });
	});

	it('runs COQL select … where … in (…) with lookups by id, and refuses more than 50 values', async () => {
		const account = (await call('POST', '/crm/v8/Accounts/upsert', { data: [{ Account_Name: 'Acme' }] })).body.data[0].details.id;
		await call('POST', '/crm/v8/Contacts/upsert', { data: [{ Email: 'a@x.com', Last_Name: 'A', Account_Name: { id: account }, UTM_Source: 'google' }, { Email: 'b@x.com', Last_Name: 'B' }] });
		const res = await call('POST', '/crm/v8/coql', { select_query: `select Email, UTM_Source from Contacts where (Email in ('A@x.com', 'c@x.com')) or Account_Name = '${account}' limit 10` });
		expect(res.body.data).toEqual([{ id: expect.any(String), Email: 'a@x.com', UTM_Source: 'google' }]);
		const empty = await call('POST', '/crm/v8/coql', { select_query: "select Email from Contacts where Email = 'none@x.com'" });
		expect(empty.status).toBe(204);
		const many = Array.from({ length: 51 }, (_, i) => `'v${i}'`).join(',');
		expect((await call('POST', '/crm/v8/coql', { select_query: `select Email from Contacts where Email in (${many})` })).body.code).toBe('LIMIT_EXCEEDED');
		expect((await call('POST', '/crm/v8/coql', { select_query: 'select Email from' })).body.code).toBe('SYNTAX_ERROR');
	});

	it('searches by criteria and email; 204 when nothing matches', async () => {
		await call('POST', '/crm/v8/Leads/upsert', { data: [{ Email: 'l1@x.com', Last_Name: 'Smith, J' }, { Email: 'l2@x.com', Last_Name: 'Jones' }] });
		const byCriteria = await call('GET', `/crm/v8/Leads/search?criteria=${encodeURIComponent('((Last_Name:equals:Smith\\, J)or(Email:starts_with:l2))')}`);
		expect(byCriteria.body.data.map((r: { Email: string }) => r.Email).sort()).toEqual(['l1@x.com', 'l2@x.com']);
		expect((await call('GET', '/crm/v8/Leads/search?email=L2@x.com')).body.data).toHaveLength(1);
		expect((await call('GET', '/crm/v8/Leads/search?email=none@x.com')).status).toBe(204);
	});

	it('serves modules and fields metadata, with mandatory and unique flags', async () => {
		const modules = await call('GET', '/crm/v8/settings/modules');
		expect(modules.body.modules.map((m: { api_name: string }) => m.api_name)).toEqual(expect.arrayContaining(['Contacts', 'Accounts', 'Leads', 'Sales_Orders', 'Store_Orders']));
		const fields = await call('GET', '/crm/v8/settings/fields?module=Accounts');
		const byName = Object.fromEntries(fields.body.fields.map((f: { api_name: string }) => [f.api_name, f]));
		expect(byName.Account_Name).toMatchObject({ system_mandatory: true, data_type: 'text' });
		expect(byName.Account_Key.unique).toEqual({ casesensitive: false });
		expect((await call('GET', '/crm/v8/settings/fields?module=Nope')).body.code).toBe('INVALID_MODULE');
	});

	it('injects scripted faults before or after commit, and a seeded share of random faults', async () => {
		server.scriptFaults([{ kind: 'drop', phase: 'after' }]);
		await expect(call('POST', '/crm/v8/Contacts/upsert', { data: [{ Email: 'f@x.com', Last_Name: 'F' }] })).rejects.toThrow();
		expect(server.list('Contacts')).toHaveLength(1);
		server.scriptFaults([{ kind: 'serverError', phase: 'before' }]);
		expect((await call('POST', '/crm/v8/Contacts/upsert', { data: [{ Email: 'g@x.com', Last_Name: 'G' }] })).status).toBe(500);
		expect(server.list('Contacts')).toHaveLength(1);
		server.setFaults({ rate: 0.5, seed: 7, kinds: { serverError: 1, tooManyRequests: 1, drop: 0 } });
		const statuses = [];
		for (let i = 0; i < 40; i++) statuses.push((await call('GET', '/crm/v8/settings/modules')).status);
		const failed = statuses.filter((s) => s !== 200).length;
		expect(failed).toBeGreaterThan(8);
		expect(failed).toBeLessThan(32);
		expect(server.callLog().faults).toBe(failed + 2);
	});

	it('exposes the control API over HTTP (state, calls, reset)', async () => {
		await call('POST', '/crm/v8/Contacts/upsert', { data: [{ Email: 'h@x.com', Last_Name: 'H' }] });
		const calls = (await (await fetch(`${server.url}/__control/calls`)).json()) as { counts: Record<string, number> };
		expect(calls.counts['POST /crm/v8/{module}/upsert']).toBe(1);
		const state = (await (await fetch(`${server.url}/__control/state`)).json()) as { counts: Record<string, number> };
		expect(state.counts.Contacts).toBe(1);
		await fetch(`${server.url}/__control/reset`, { method: 'POST' });
		expect(server.list('Contacts')).toHaveLength(0);
	});
});
