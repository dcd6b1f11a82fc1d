import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { ZohoContractServer } from '../../contract/zoho/server';
import { startZohoServer } from '../../contract/zoho/server';
import { jsonOf } from '../../helpers/nodeHarness';
import { FAST, cart, order, runZoho, zohoCredentials } from './helpers';

let server: ZohoContractServer;

beforeAll(async () => {
	server = await startZohoServer();
});
afterAll(async () => {
	await server.close();
});
beforeEach(() => server.reset());

const UPSERT = 'POST /crm/v8/{module}/upsert';
const pairs = (output: INodeExecutionData[]) => output.map((item) => (item.pairedItem as { item: number }).item);

const upsertParams = (columns: (i: number) => IDataObject, extra: IDataObject = {}) => ({
	resource: 'record',
	operation: 'upsert',
	module: 'Contacts',
	columns: (i: number) => ({ mappingMode: 'defineBelow', value: columns(i), matchingColumns: ['Email'], schema: [] }),
	options: { ...FAST },
	...extra,
});

const syncParams = (extra: IDataObject = {}) => ({
	resource: 'customer',
	operation: 'syncFromOrder',
	orderField: '',
	accountMatchBy: 'key',
	orderModule: 'Store_Orders',
	firstTouch: true,
	options: { ...FAST },
	...extra,
});

describe('Zoho CRM Upsert — Record: Create or Update', () => {
	it('batches N items into ⌈N/100⌉ upsert calls and returns each result on its own item', async () => {
		const items = Array.from({ length: 250 }, (_, i) => ({ email: `p${i}@example.com`, name: `P${i}` }));
		const columns = (i: number) => ({ Email: items[i].email, Last_Name: items[i].name });
		const first = await runZoho(server, upsertParams(columns), items);
		expect(server.count(UPSERT, 'Contacts')).toBe(3);
		expect(first.outputs[0]).toHaveLength(250);
		expect(first.outputs[1]).toHaveLength(0);
		expect(pairs(first.outputs[0])).toEqual(items.map((_, i) => i));
		expect(jsonOf(first.outputs[0])[7]).toMatchObject({ email: 'p7@example.com', zoho: { module: 'Contacts', action: 'insert', id: expect.any(String) } });
		const second = await runZoho(server, upsertParams(columns), items);
		expect(server.count(UPSERT, 'Contacts')).toBe(6);
		expect(jsonOf(second.outputs[0]).every((j) => (j.zoho as IDataObject).action === 'update')).toBe(true);
		expect(server.list('Contacts')).toHaveLength(250);
	});

	it('puts Zoho\'s per-record errors on the right items (Failed output, field and code), the rest on Success', async () => {
		const rows = [
			{ Email: 'ok1@example.com', Last_Name: 'One' },
			{ Email: 'not-an-email', Last_Name: 'Two' },
			{ Email: 'new@example.com' },
			{ Email: 'ok2@example.com', Last_Name: 'Four' },
			{ Last_Name: 'No email' },
		];
		const result = await runZoho(server, upsertParams((i) => rows[i]), rows.map((_, i) => ({ row: i })));
		expect(pairs(result.outputs[0])).toEqual([0, 3]);
		expect(pairs(result.outputs[1])).toEqual([1, 2, 4]);
		const failed = jsonOf(result.outputs[1]).map((j) => j.zohoError as IDataObject);
		expect(failed[0]).toMatchObject({ stage: 'record', code: 'INVALID_DATA', field: 'Email', jsonPath: '$.data[1].Email', retryable: false });
		expect(failed[1]).toMatchObject({ code: 'MANDATORY_NOT_FOUND', field: 'Last_Name' });
		expect(failed[1].message).toMatch(/needs "Last_Name" to create this Contacts record/);
		expect(failed[2]).toMatchObject({ stage: 'input', code: 'MISSING_MATCH_VALUE', field: 'Email' });
		expect(server.count(UPSERT, 'Contacts')).toBe(1);
	});

	it('merges items that share the match value into one record, so one call never carries a key twice', async () => {
		const rows = [{ Email: 'same@example.com', Last_Name: 'A' }, { Email: 'SAME@example.com', First_Name: 'Bea' }];
		const result = await runZoho(server, upsertParams((i) => rows[i]), [{}, {}]);
		expect(jsonOf(result.outputs[0]).map((j) => (j.zoho as IDataObject).mergedWithItems)).toEqual([[1], [0]]);
		expect(server.list('Contacts')).toEqual([expect.objectContaining({ Last_Name: 'A', First_Name: 'Bea' })]);
	});

	it('refreshes an expired token once through the OAuth2 helper and repeats the call', async () => {
		server.expireTokens();
		const credentials = zohoCredentials(server);
		const refreshes: Array<{ credentialType: string; status: number }> = [];
		const result = await runZoho(server, upsertParams(() => ({ Email: 'r@example.com', Last_Name: 'R' })), [{}], { credentials, tokenRefreshLog: refreshes });
		expect(result.outputs[0]).toHaveLength(1);
		expect(refreshes).toEqual([{ credentialType: 'zohoCrmRetentionOAuth2Api', status: 200 }]);
		expect((credentials.zohoCrmRetentionOAuth2Api.oauthTokenData as IDataObject).access_token).toMatch(/^1000\.issued-/);
		expect(server.callLog().calls.map((c) => c.status)).toEqual([401, 200, 200]);
	});

	it('fails the run with a clear error when the token cannot be refreshed; under Continue On Fail every item goes to Failed', async () => {
		server.expireTokens();
		const credentials = zohoCredentials(server, { refresh_token: 'revoked' });
		await expect(runZoho(server, upsertParams(() => ({ Email: 'x@example.com', Last_Name: 'X' })), [{}, {}], { credentials })).rejects.toThrow(/refresh failed|invalid_code/);
		const kept = await runZoho(server, upsertParams(() => ({ Email: 'x@example.com', Last_Name: 'X' })), [{ a: 1 }, { a: 2 }], { credentials: zohoCredentials(server, { refresh_token: 'revoked' }), continueOnFail: true });
		expect(kept.outputs[0]).toHaveLength(0);
		expect(pairs(kept.outputs[1])).toEqual([0, 1]);
		expect(jsonOf(kept.outputs[1])[0]).toMatchObject({ a: 1, error: expect.any(String), zohoError: { stage: 'run', code: 'RUN_FAILED' } });
	});

	it('dry run returns the requests it would send and sends nothing', async () => {
		const items = Array.from({ length: 150 }, (_, i) => ({ i }));
		const result = await runZoho(server, upsertParams((i) => ({ Email: `d${i}@example.com`, Last_Name: 'D' }), { options: { dryRun: true } }), items);
		expect(server.callLog().calls).toHaveLength(0);
		expect(result.requests).toHaveLength(0);
		const calls = jsonOf(result.outputs[0]);
		expect(calls.map((c) => [c.method, c.url, ((c.body as IDataObject).data as unknown[]).length])).toEqual([
			['POST', `${server.url}/crm/v8/Contacts/upsert`, 100],
			['POST', `${server.url}/crm/v8/Contacts/upsert`, 50],
		]);
		expect((result.outputs[0][1].pairedItem as Array<{ item: number }>).map((p) => p.item)).toEqual(items.slice(100).map((_, i) => 100 + i));
	});
});

describe('Zoho CRM Upsert — Customer: Sync From Order', () => {
	it('upserts the Account first for B2B orders, links the Contact to it, and the Order to the Contact', async () => {
		const items = [
			{ ...order(1, {}, { email: 'buyer@acme.com' }), isB2B: true, accountKey: 'acme.com', accountName: 'Acme Tools' },
			{ ...order(2, {}, { email: 'ap@acme.com' }), isB2B: true, accountKey: 'acme.com', accountName: 'ACME Tools Ltd' },
			{ entity: 'order', order: order(3, {}, { email: 'jane@gmail.com' }), isB2B: false, accountKey: null },
		];
		const result = await runZoho(server, syncParams(), items);
		expect(result.outputs[1]).toHaveLength(0);
		const accounts = server.list('Accounts');
		expect(accounts).toHaveLength(1);
		expect(accounts[0]).toMatchObject({ Account_Key: 'acme.com', Account_Name: 'ACME Tools Ltd' });
		const contacts = Object.fromEntries(server.list('Contacts').map((c) => [c.Email as string, c]));
		expect((contacts['buyer@acme.com'].Account_Name as IDataObject).id).toBe(accounts[0].id);
		expect((contacts['ap@acme.com'].Account_Name as IDataObject).id).toBe(accounts[0].id);
		expect(contacts['jane@gmail.com'].Account_Name).toBeUndefined();
		const orders = Object.fromEntries(server.list('Store_Orders').map((o) => [o.Order_Number as string, o]));
		expect(Object.keys(orders).sort()).toEqual(['#1001', '#1002', '#1003']);
		expect((orders['#1001'].Contact as IDataObject).id).toBe(contacts['buyer@acme.com'].id);
		expect((orders['#1001'].Account as IDataObject).id).toBe(accounts[0].id);
		expect(orders['#1003']).toMatchObject({ Name: 'Order #1003', Order_Total: 13, Order_Date: '2024-01-01T12:03:00+00:00', Order_Currency: 'EUR', Order_Status: 'paid' });
		expect(orders['#1003'].Account).toBeUndefined();
		const out = jsonOf(result.outputs[0]);
		expect(out[0]).toMatchObject({ zohoContactId: contacts['buyer@acme.com'].id, zoho: { account: { action: 'insert' }, contact: { action: 'insert' }, order: { action: 'insert' } } });
		expect(out[1]).toMatchObject({ zoho: { account: { id: accounts[0].id } } });
		expect(server.count(UPSERT, 'Accounts')).toBe(1);
		expect(server.count(UPSERT, 'Contacts')).toBe(1);
		expect(server.count(UPSERT, 'Store_Orders')).toBe(1);
	});

	it('never overwrites first-touch UTM: the first order wins, later orders leave it alone', async () => {
		const google = { source: 'google', medium: 'cpc', campaign: 'spring', term: null, content: null };
		const facebook = { source: 'facebook', medium: 'social', campaign: 'summer', term: null, content: null };
		await runZoho(server, syncParams(), [order(1, { utm: google }, { email: 'ann@example.com' })]);
		const second = await runZoho(server, syncParams(), [order(2, { utm: facebook }, { email: 'ann@example.com' })]);
		expect(server.list('Contacts')[0]).toMatchObject({ UTM_Source: 'google', UTM_Medium: 'cpc', UTM_Campaign: 'spring' });
		expect(jsonOf(second.outputs[0])[0]).toMatchObject({ zoho: { firstTouch: 'already_set' } });
		// Same run, two orders: the earlier one's UTM is the first touch whatever the item order.
		await runZoho(server, syncParams(), [order(20, { utm: facebook, createdAt: '2024-05-02T00:00:00Z' }, { email: 'bo@example.com' }), order(21, { utm: google, createdAt: '2024-05-01T00:00:00Z' }, { email: 'bo@example.com' })]);
		expect(server.list('Contacts').find((c) => c.Email === 'bo@example.com')).toMatchObject({ UTM_Source: 'google' });
		// A Contact that exists without UTM gets it from its next order.
		server.seed('Contacts', [{ Email: 'cy@example.com', Last_Name: 'Cy' }]);
		await runZoho(server, syncParams(), [order(30, { utm: facebook }, { email: 'cy@example.com' })]);
		expect(server.list('Contacts').find((c) => c.Email === 'cy@example.com')).toMatchObject({ UTM_Source: 'facebook', UTM_Medium: 'social' });
	});

	it('recomputes order roll-ups from the stored orders, so a redelivered order is not counted twice', async () => {
		const rollupFields = { lifetimeSpend: 'Lifetime_Spend', orderCount: 'Order_Count', lastOrderDate: 'Last_Order_Date', averageOrderValue: 'Average_Order_Value' };
		const who = { email: 'al@example.com' };
		await runZoho(server, syncParams({ rollupFields }), [order(1, { total: 10 }, who), order(2, { total: 20.5 }, who)]);
		const redelivered = await runZoho(server, syncParams({ rollupFields }), [order(2, { total: 20.5 }, who), order(3, { total: 30, createdAt: '2024-06-01T09:00:00Z' }, who), order(4, { total: 99, status: 'cancelled' }, who)]);
		expect(redelivered.outputs[1]).toHaveLength(0);
		expect(server.list('Store_Orders')).toHaveLength(4);
		expect(server.list('Contacts')[0]).toMatchObject({ Order_Count: 3, Lifetime_Spend: 60.5, Average_Order_Value: 20.17, Last_Order_Date: '2024-06-01' });
		expect(jsonOf(redelivered.outputs[0])[0]).toMatchObject({ zoho: { order: { action: 'update' }, rollup: { orderCount: 3, excluded: 1 } } });
	});

	it('gives a new Contact without a last name a fallback, but never replaces an existing last name', async () => {
		server.seed('Contacts', [{ Email: 'known@example.com', Last_Name: 'Real' }]);
		await runZoho(server, syncParams({ firstTouch: false }), [order(1, {}, { email: 'known@example.com', firstName: 'K', lastName: null }), order(2, {}, { email: 'nameless@example.com', firstName: null, lastName: null })]);
		const contacts = Object.fromEntries(server.list('Contacts').map((c) => [c.Email as string, c]));
		expect(contacts['known@example.com'].Last_Name).toBe('Real');
		expect(contacts['nameless@example.com'].Last_Name).toBe('nameless');
	});

	it('reports bad orders on their own items and still syncs the others', async () => {
		const items = [order(1), order(2, {}, { email: null }), { entity: 'cart', cart: cart(1) }, order(4, { total: 'twelve' }), { ...order(5), isB2B: true, accountKey: null }];
		const result = await runZoho(server, syncParams(), items);
		expect(pairs(result.outputs[0])).toEqual([0]);
		expect(pairs(result.outputs[1])).toEqual([1, 2, 3, 4]);
		const errors = jsonOf(result.outputs[1]).map((j) => j.zohoError as IDataObject);
		expect(errors[0]).toMatchObject({ stage: 'input', code: 'INVALID_INPUT', field: 'customer.email' });
		expect(errors[0].message).toMatch(/^Item 1: field "customer.email" is empty/);
		expect(errors[1].message).toMatch(/needs an order/);
		expect(errors[2]).toMatchObject({ field: 'total' });
		expect(errors[3]).toMatchObject({ stage: 'account', field: 'accountKey' });
	});

	it('writes Sales Orders with a line per order line pointing at the chosen Product', async () => {
		const [product] = server.seed('Products', [{ Product_Name: 'Store item' }]);
		const result = await runZoho(server, syncParams({ orderModule: 'Sales_Orders', salesOrderProductId: product.id, firstTouch: false }), [order(1)]);
		expect(result.outputs[1]).toHaveLength(0);
		expect(server.list('Sales_Orders')[0]).toMatchObject({ Subject: 'Order #1001', Order_Number: '#1001', Ordered_Items: [{ Product_Name: { id: product.id }, Quantity: 1, List_Price: 11, Description: 'SKU-1 — Widget' }] });
	});

	it('survives a 30% fault storm (5xx, 429, dropped connections, some after commit): every record exactly once, nothing on Failed', async () => {
		const items = Array.from({ length: 1000 }, (_, i) => {
			const company = i % 3 === 0 ? `co${i % 30}.example` : null;
			const email = company ? `buyer${i % 45}@${company}` : `person${i % 400}@example.com`;
			return { ...order(i, { utm: { source: `s${i}`, medium: 'm', campaign: 'c', term: null, content: null } }, { email }), isB2B: company !== null, accountKey: company, accountName: company } as IDataObject;
		});
		server.setFaults({ rate: 0.3, seed: 2024, afterCommitShare: 0.5 });
		// Besides the random share, make sure each write stage meets a fault after its commit.
		server.scriptFaults([
			{ kind: 'drop', phase: 'after', route: UPSERT },
			{ kind: 'serverError', phase: 'after', route: UPSERT },
			{ kind: 'tooManyRequests', phase: 'after', route: UPSERT },
			{ kind: 'drop', phase: 'after', route: 'PUT /crm/v8/{module}' },
		]);
		const result = await runZoho(server, syncParams({ rollupFields: { orderCount: 'Order_Count' } }), items);
		expect(result.outputs[1]).toHaveLength(0);
		expect(result.outputs[0]).toHaveLength(1000);
		const log = server.callLog();
		expect(log.faults).toBeGreaterThan(10);
		expect(log.calls.filter((c) => c.fault?.phase === 'after').length).toBeGreaterThanOrEqual(4);
		expect(new Set(log.calls.filter((c) => c.fault).map((c) => c.fault!.kind))).toEqual(new Set(['drop', 'serverError', 'tooManyRequests']));
		const emails = new Set(items.map((i) => ((i.customer as IDataObject).email as string).toLowerCase()));
		const contacts = server.list('Contacts');
		expect(contacts).toHaveLength(emails.size);
		expect(new Set(contacts.map((c) => String(c.Email).toLowerCase())).size).toBe(emails.size);
		const accounts = server.list('Accounts');
		expect(accounts.map((a) => a.Account_Key).sort()).toEqual(Array.from(new Set(items.map((i) => i.accountKey).filter(Boolean))).sort());
		const orders = server.list('Store_Orders');
		expect(orders).toHaveLength(1000);
		const contactIdByEmail = new Map(contacts.map((c) => [String(c.Email).toLowerCase(), c.id]));
		for (const item of items) {
			const stored = orders.find((o) => o.Order_Number === item.number)!;
			expect((stored.Contact as IDataObject).id).toBe(contactIdByEmail.get(((item.customer as IDataObject).email as string).toLowerCase()));
		}
		const ordersPerContact = new Map<string, number>();
		for (const o of orders) ordersPerContact.set((o.Contact as IDataObject).id as string, (ordersPerContact.get((o.Contact as IDataObject).id as string) ?? 0) + 1);
		for (const c of contacts) expect(c.Order_Count).toBe(ordersPerContact.get(c.id));
	});
});

describe('Zoho CRM Upsert — other commerce operations', () => {
	it('turns abandoned carts into one Lead per email with the cart status, value and recovery URL', async () => {
		const items = [{ entity: 'cart', cart: cart(1, { updatedAt: '2024-02-01T10:05:00Z', total: 10 }) }, cart(1, { id: 'cart-1b', updatedAt: '2024-02-01T11:00:00Z', total: 25 }), cart(2)];
		const result = await runZoho(server, { resource: 'customer', operation: 'abandonedCartToLead', cartField: '', statusValue: 'Abandoned_Cart', options: { ...FAST } }, items);
		expect(result.outputs[1]).toHaveLength(0);
		// One call for both Leads, and one more for the new Lead Zoho refused without a last name (sent again with the fallback).
		expect(server.count(UPSERT, 'Leads')).toBe(2);
		const leads = Object.fromEntries(server.list('Leads').map((l) => [l.Email as string, l]));
		expect(Object.keys(leads).sort()).toEqual(['shopper1@example.com', 'shopper2@example.com']);
		expect(leads['shopper1@example.com']).toMatchObject({ Lead_Status: 'Abandoned_Cart', Cart_Value: 25, Cart_ID: 'cart-1b', Cart_Recovery_URL: 'https://shop.example.com/cart/recover/1', Cart_Abandoned_At: '2024-02-01T11:00:00+00:00', Last_Name: 'Shopper1', Lead_Source: 'Online Store' });
	});

	it('writes RFM fields to existing Contacts by email, and reports customers without a Contact', async () => {
		server.seed('Contacts', [{ Email: 'champ@example.com', Last_Name: 'C' }, { Email: 'risk@example.com', Last_Name: 'R' }]);
		const rfm = (email: string, segment: string, label: string, stage: string) => ({ customerKey: email, segment, segmentLabel: label, rfmCode: '545', rScore: 5, fScore: 4, mScore: 5, lifecycleStage: stage, historicalClv: 1234.5, predictedClv: null });
		const result = await runZoho(server, { resource: 'customer', operation: 'writeRfmFields', matchBy: 'email', emailInputField: 'customerKey', segmentAs: 'label', options: { ...FAST } }, [rfm('champ@example.com', 'champions', 'Champions', 'loyal'), rfm('ghost@example.com', 'lost', 'Lost', 'lapsed'), rfm('RISK@example.com', 'at_risk', 'At Risk', 'at_risk')]);
		expect(pairs(result.outputs[0])).toEqual([0, 2]);
		expect(jsonOf(result.outputs[1])[0]).toMatchObject({ zohoError: { stage: 'lookup', code: 'NOT_FOUND' } });
		const contacts = Object.fromEntries(server.list('Contacts').map((c) => [c.Email as string, c]));
		expect(contacts['champ@example.com']).toMatchObject({ RFM_Segment: 'Champions', RFM_Score: '545', R_Score: 5, Lifecycle_Stage: 'Loyal', Historical_CLV: 1234.5 });
		expect(contacts['risk@example.com']).toMatchObject({ RFM_Segment: 'At Risk', Lifecycle_Stage: 'At Risk' });
		expect(server.list('Contacts')).toHaveLength(2);
	});

	it('stamps first-touch UTM only on Contacts without one, creating missing Contacts', async () => {
		server.seed('Contacts', [{ Email: 'has@example.com', Last_Name: 'H', UTM_Source: 'partner' }, { Email: 'empty@example.com', Last_Name: 'E' }]);
		const utm = { source: 'google', medium: 'cpc', campaign: 'x', term: null, content: null };
		const result = await runZoho(server, { resource: 'customer', operation: 'stampFirstTouch', orderField: '', options: { ...FAST } }, [order(1, { utm }, { email: 'has@example.com' }), order(2, { utm }, { email: 'empty@example.com' }), order(3, { utm }, { email: 'new@example.com' }), order(4, {}, { email: 'plain@example.com' })]);
		expect(jsonOf(result.outputs[0]).map((j) => (j.zoho as IDataObject).firstTouch)).toEqual(['already_set', 'written', 'written', 'no_utm']);
		const contacts = Object.fromEntries(server.list('Contacts').map((c) => [c.Email as string, c]));
		expect(contacts['has@example.com'].UTM_Source).toBe('partner');
		expect(contacts['empty@example.com']).toMatchObject({ UTM_Source: 'google', UTM_Medium: 'cpc' });
		expect(contacts['new@example.com']).toMatchObject({ UTM_Source: 'google', Last_Name: 'Last3' });
		expect(contacts['plain@example.com']).toBeUndefined();
	});
});

describe('Zoho CRM Upsert — Record: Get Changed Since', () => {
	it('reads past 2,000 records with page tokens and continues from the high-water mark next run', async () => {
		const base = Date.UTC(2024, 0, 1);
		server.seed('Contacts', Array.from({ length: 2450 }, (_, i) => ({ Email: `h${i}@example.com`, Last_Name: 'H', Modified_Time: new Date(base + Math.floor(i / 3) * 1000).toISOString().replace('.000Z', '+00:00') })));
		const params = { resource: 'record', operation: 'getChangedSince', module: 'Contacts', fields: 'Email,Last_Name', since: 'lastRun', initialLookbackHours: 0, maxRecords: 0, options: { ...FAST } };
		const staticData: IDataObject = {};
		const first = await runZoho(server, params, [{}], { staticData });
		expect(first.outputs[0]).toHaveLength(2450);
		expect(new Set(jsonOf(first.outputs[0]).map((r) => r.id)).size).toBe(2450);
		expect(server.count('GET /crm/v8/{module}')).toBe(13);
		expect(staticData['zohoChangedSince:Contacts']).toMatchObject({ modifiedTime: new Date(base + 816 * 1000).toISOString(), idsAtMark: expect.any(Array) });
		const nothing = await runZoho(server, params, [{}], { staticData });
		expect(nothing.outputs[0]).toHaveLength(0);
		server.advanceClock(5000);
		const changed = server.list('Contacts').slice(0, 5).map((c) => ({ Email: c.Email as string, First_Name: 'Changed' }));
		await runZoho(server, upsertParams((i) => changed[i]), changed.map(() => ({})));
		const next = await runZoho(server, params, [{}], { staticData });
		expect(jsonOf(next.outputs[0]).map((r) => r.Email).sort()).toEqual(changed.map((c) => c.Email).sort());
	});

	it('stops at Max Records and resumes after the last record returned', async () => {
		server.seed('Contacts', Array.from({ length: 30 }, (_, i) => ({ Email: `m${i}@example.com`, Last_Name: 'M', Modified_Time: `2024-01-01T00:00:${String(Math.floor(i / 2)).padStart(2, '0')}+00:00` })));
		const params = { resource: 'record', operation: 'getChangedSince', module: 'Contacts', fields: 'Email', since: 'lastRun', initialLookbackHours: 0, maxRecords: 7, options: { ...FAST } };
		const staticData: IDataObject = {};
		const seen: string[] = [];
		for (let run = 0; run < 6; run++) seen.push(...jsonOf((await runZoho(server, params, [{}], { staticData })).outputs[0]).map((r) => r.Email as string));
		expect(seen).toHaveLength(30);
		expect(new Set(seen).size).toBe(30);
	});
});
