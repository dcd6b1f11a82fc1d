import { decideFirstTouch } from '../../../core/zoho/attribution';
import { chunk, duplicateKeyOf, mergeRecordsByKey } from '../../../core/zoho/batching';
import { advanceMark, alreadySeen, requestSince } from '../../../core/zoho/changedSince';
import { systemDuplicateCheckField } from '../../../core/zoho/constants';
import { DATA_CENTRES, resolveApiDomain } from '../../../core/zoho/dataCentres';
import { readB2b, readCart, readOrder } from '../../../core/zoho/inputs';
import { assertApiName, buildCoqlSelectIn, buildGetRecordsRequest, buildUpsertRequest, coqlString, toZohoDate, toZohoDateTime } from '../../../core/zoho/requests';
import { interpretWriteOutcome, recordIndexFromJsonPath } from '../../../core/zoho/results';
import { classifyZohoOutcome } from '../../../core/zoho/retryPolicy';
import { computeRollup, rollupFields } from '../../../core/zoho/rollups';
import { NormalizationError } from '../../../core/model/errors';
import { cart, order } from './helpers';

describe('data centres', () => {
	it('has every region the issue names, with Zoho accounts hosts', () => {
		expect(Object.keys(DATA_CENTRES).sort()).toEqual(['au', 'ca', 'cn', 'eu', 'in', 'jp', 'sa', 'uk', 'us']);
		expect(DATA_CENTRES.ca.accountsUrl).toBe('https://accounts.zohocloud.ca');
		expect(DATA_CENTRES.au.accountsUrl).toBe('https://accounts.zoho.com.au');
		expect(DATA_CENTRES.cn.accountsUrl).toBe('https://accounts.zoho.com.cn');
	});

	it('calls the api_domain of the token response first, then the data centre default', () => {
		expect(resolveApiDomain({ dataCenter: 'eu', oauthTokenData: { api_domain: 'https://www.zohoapis.eu/' } })).toBe('https://www.zohoapis.eu');
		expect(resolveApiDomain({ dataCenter: 'jp', oauthTokenData: {} })).toBe('https://www.zohoapis.jp');
		expect(resolveApiDomain({ dataCenter: 'custom', customAccountsUrl: 'http://127.0.0.1:9/' })).toBe('http://127.0.0.1:9');
		expect(() => resolveApiDomain({ dataCenter: 'custom' })).toThrow(/Custom API Domain/);
		expect(() => resolveApiDomain({ dataCenter: 'xx' })).toThrow(/Unknown Zoho data centre/);
	});
});

describe('request building', () => {
	it('builds the v8 upsert body with duplicate_check_fields and trigger', () => {
		const request = buildUpsertRequest('Contacts', [{ Email: 'a@x.com' }], { duplicateCheckFields: ['Email'], trigger: [] });
		expect(request).toMatchObject({ method: 'POST', path: '/crm/v8/Contacts/upsert', body: { data: [{ Email: 'a@x.com' }], duplicate_check_fields: ['Email'], trigger: [] } });
		expect(buildUpsertRequest('Contacts', [{}]).body).toEqual({ data: [{}] });
	});

	it('refuses module and field names that are not API names (no path injection)', () => {
		expect(() => assertApiName('../settings', 'Module')).toThrow(/not a Zoho CRM API name/);
		expect(() => buildUpsertRequest('Contacts/../x', [])).toThrow();
		expect(assertApiName(' Store_Orders ', 'Module')).toBe('Store_Orders');
	});

	it('escapes COQL strings and writes one IN clause', () => {
		expect(coqlString("o'hara\\x")).toBe("'o\\'hara\\\\x'");
		expect(buildCoqlSelectIn('Contacts', ['UTM_Source'], 'Email', ['a@x.com', 'b@x.com'])).toBe("select id, UTM_Source, Email from Contacts where Email in ('a@x.com', 'b@x.com') order by id asc limit 2000 offset 0");
		expect(buildCoqlSelectIn('Contacts', [], 'Email', ['a@x.com'], 10, 20)).toBe("select id, Email from Contacts where Email = 'a@x.com' order by id asc limit 10 offset 20");
	});

	it('formats Zoho date-times with a numeric offset and no milliseconds', () => {
		expect(toZohoDateTime('2024-03-01T10:15:00.123Z')).toBe('2024-03-01T10:15:00+00:00');
		expect(toZohoDateTime('2024-03-01T10:15:00+05:30')).toBe('2024-03-01T04:45:00+00:00');
		expect(toZohoDate('2024-03-01T23:30:00-02:00')).toBe('2024-03-02');
	});

	it('asks Get Records for changes since a time, sorted by Modified_Time, page or page token', () => {
		const first = buildGetRecordsRequest({ module: 'Contacts', fields: ['Email'], modifiedSince: '2024-01-01T00:00:00Z' });
		expect(first.headers).toEqual({ 'If-Modified-Since': '2024-01-01T00:00:00+00:00' });
		expect(first.qs).toEqual({ fields: 'Modified_Time,Email', per_page: 200, sort_by: 'Modified_Time', sort_order: 'asc', page: 1 });
		const later = buildGetRecordsRequest({ module: 'Contacts', fields: ['Email'], pageToken: 'tok' });
		expect(later.qs).toMatchObject({ page_token: 'tok' });
		expect(later.qs).not.toHaveProperty('page');
	});

	it('knows the system-defined duplicate-check field per module', () => {
		expect(systemDuplicateCheckField('Contacts')).toBe('Email');
		expect(systemDuplicateCheckField('Accounts')).toBe('Account_Name');
		expect(systemDuplicateCheckField('Sales_Orders')).toBe('Subject');
		expect(systemDuplicateCheckField('Store_Orders')).toBe('Name');
	});
});

describe('batching', () => {
	it('chunks at the size given', () => {
		expect(chunk(Array.from({ length: 250 }, (_, i) => i), 100).map((c) => c.length)).toEqual([100, 100, 50]);
		expect(chunk([], 100)).toEqual([]);
		expect(() => chunk([1], 0)).toThrow();
	});

	it('keys on the first duplicate-check field with a value, case-folded', () => {
		expect(duplicateKeyOf({ Email: ' A@X.com ', Phone: '1' }, ['Email', 'Phone'])).toBe('Email=a@x.com');
		expect(duplicateKeyOf({ Email: '', Phone: 12 }, ['Email', 'Phone'])).toBe('Phone=12');
		expect(duplicateKeyOf({ Contact: { id: '77' } }, ['Contact'])).toBe('Contact=77');
		expect(duplicateKeyOf({}, ['Email'])).toBeNull();
	});

	it('merges records sharing a key (later values win) and keeps keyless records apart', () => {
		const merged = mergeRecordsByKey(
			[
				{ itemIndex: 0, record: { Email: 'a@x.com', First_Name: 'A', Phone: '1' } },
				{ itemIndex: 1, record: { Email: 'b@x.com' } },
				{ itemIndex: 2, record: { Email: 'A@x.com', First_Name: 'Ann', Phone: undefined } },
				{ itemIndex: 3, record: { First_Name: 'no key' } },
				{ itemIndex: 4, record: { First_Name: 'no key' } },
			],
			['Email'],
		);
		expect(merged.map((m) => m.itemIndexes)).toEqual([[0, 2], [1], [3], [4]]);
		expect(merged[0].record).toEqual({ Email: 'A@x.com', First_Name: 'Ann', Phone: '1' });
	});
});

describe('per-record results', () => {
	const success = (id: string, action: string) => ({ code: 'SUCCESS', duplicate_field: action === 'update' ? 'Email' : null, action, details: { id }, message: 'ok', status: 'success' });

	it('maps a 207 answer record by record, with Zoho\'s field and JSON path', () => {
		const outcomes = interpretWriteOutcome(
			{ kind: 'response', status: 207, headers: {}, body: { data: [success('1', 'insert'), { code: 'INVALID_DATA', details: { api_name: 'Email', json_path: '$.data[1].Email', expected_data_type: 'email' }, message: 'invalid data', status: 'error' }, success('3', 'update')] } },
			3,
			'Contacts',
		);
		expect(outcomes[0]).toMatchObject({ ok: true, action: 'insert', id: '1', duplicateField: null });
		expect(outcomes[1]).toMatchObject({ ok: false, code: 'INVALID_DATA', field: 'Email', jsonPath: '$.data[1].Email', httpStatus: 207, retryable: false });
		expect((outcomes[1] as { message: string }).message).toMatch(/"Email".*expects email/);
		expect(outcomes[2]).toMatchObject({ ok: true, action: 'update', duplicateField: 'Email' });
	});

	it('reads a 400 with data[] as per-record errors (all failed), incl. DUPLICATE_DATA with more_records and MANDATORY_NOT_FOUND', () => {
		const outcomes = interpretWriteOutcome(
			{
				kind: 'response',
				status: 400,
				headers: {},
				body: {
					data: [
						{ code: 'DUPLICATE_DATA', details: { api_name: 'Email', json_path: '$.data[0].Email', duplicate_record: { id: '9' }, more_records: true }, message: 'duplicate data', status: 'error' },
						{ code: 'MANDATORY_NOT_FOUND', details: { api_name: 'Last_Name', json_path: '$.data[1].Last_Name' }, message: 'required field not found', status: 'error' },
					],
				},
			},
			2,
			'Contacts',
		);
		expect(outcomes.map((o) => !o.ok && o.code)).toEqual(['DUPLICATE_DATA', 'MANDATORY_NOT_FOUND']);
		expect((outcomes[0] as { message: string }).message).toMatch(/More than one existing Contacts record/);
		expect((outcomes[1] as { message: string }).message).toMatch(/needs "Last_Name"/);
	});

	it('flattens MULTIPLE_OR_MULTI_ERRORS to its first error', () => {
		const [outcome] = interpretWriteOutcome(
			{ kind: 'response', status: 400, headers: {}, body: { data: [{ code: 'MULTIPLE_OR_MULTI_ERRORS', details: { errors: [{ code: 'DUPLICATE_DATA', details: { api_name: 'Mobile', json_path: '$.data[0].Mobile' } }] }, message: 'Multiple errors', status: 'error' }] } },
			1,
			'Leads',
		);
		expect(outcome).toMatchObject({ ok: false, code: 'DUPLICATE_DATA', field: 'Mobile' });
	});

	it('applies a call-level error to every record (LIMIT_EXCEEDED, INVALID_MODULE, exhausted 429/5xx, network)', () => {
		const limit = interpretWriteOutcome({ kind: 'response', status: 400, headers: {}, body: { data: [{ code: 'LIMIT_EXCEEDED', details: { maximum_length: 100, api_name: 'data' }, message: 'too many', status: 'error' }] } }, 101, 'Contacts');
		expect(limit).toHaveLength(101);
		expect(limit.every((o) => !o.ok && o.code === 'LIMIT_EXCEEDED')).toBe(true);
		const module = interpretWriteOutcome({ kind: 'response', status: 400, headers: {}, body: { code: 'INVALID_MODULE', details: {}, message: 'bad', status: 'error' } }, 2, 'Nope');
		expect(module[1]).toMatchObject({ ok: false, code: 'INVALID_MODULE', retryable: false });
		const busy = interpretWriteOutcome({ kind: 'response', status: 429, headers: {}, body: { code: 'TOO_MANY_REQUESTS' } }, 2, 'Contacts', 6);
		expect(busy[0]).toMatchObject({ ok: false, code: 'TOO_MANY_REQUESTS', retryable: true, httpStatus: 429 });
		expect((busy[0] as { message: string }).message).toMatch(/all 6 attempt/);
		const net = interpretWriteOutcome({ kind: 'network', code: 'ECONNRESET', message: 'socket hang up' }, 1, 'Contacts', 3);
		expect(net[0]).toMatchObject({ ok: false, code: 'NETWORK_ERROR', retryable: true });
	});

	it('reads the record index out of a JSON path', () => {
		expect(recordIndexFromJsonPath('$.data[12].Email')).toBe(12);
		expect(recordIndexFromJsonPath(null)).toBeNull();
	});
});

describe('retry classification', () => {
	const response = (status: number, headers: Record<string, unknown> = {}, body: unknown = {}) => ({ kind: 'response' as const, status, headers, body });

	it('retries 429, 5xx and network failures, not 4xx or 401', () => {
		expect(classifyZohoOutcome(response(429))).toEqual({ retry: true });
		expect(classifyZohoOutcome(response(500)).retry).toBe(true);
		expect(classifyZohoOutcome(response(503)).retry).toBe(true);
		expect(classifyZohoOutcome({ kind: 'network', code: 'ECONNRESET', message: '' }).retry).toBe(true);
		expect(classifyZohoOutcome(response(400)).retry).toBe(false);
		expect(classifyZohoOutcome(response(401)).retry).toBe(false);
		expect(classifyZohoOutcome(response(207)).retry).toBe(false);
	});

	it('waits as long as Retry-After or Zoho\'s details.retry_after says', () => {
		expect(classifyZohoOutcome(response(429, { 'Retry-After': '7' }))).toEqual({ retry: true, delayMs: 7000 });
		expect(classifyZohoOutcome(response(429, {}, { code: 'TOO_MANY_REQUESTS', details: { retry_after: 2 } }))).toEqual({ retry: true, delayMs: 2000 });
	});
});

describe('first-touch attribution', () => {
	const names = { source: 'UTM_Source', medium: 'UTM_Medium', campaign: 'UTM_Campaign' };
	const orders = [
		{ createdAt: '2024-02-01T00:00:00Z', utm: { source: 'newsletter', medium: 'email', campaign: 'feb', term: null, content: null } },
		{ createdAt: '2024-01-01T00:00:00Z', utm: { source: 'google', medium: 'cpc', campaign: 'jan', term: null, content: null } },
		{ createdAt: '2023-12-01T00:00:00Z', utm: { source: null, medium: null, campaign: null, term: null, content: null } },
	];

	it('writes the earliest order with UTM when the Contact has none', () => {
		expect(decideFirstTouch(undefined, orders, names)).toEqual({ write: true, fields: { UTM_Source: 'google', UTM_Medium: 'cpc', UTM_Campaign: 'jan' }, fromOrderCreatedAt: '2024-01-01T00:00:00Z' });
		expect(decideFirstTouch({ UTM_Source: '', UTM_Medium: null }, orders, names).write).toBe(true);
	});

	it('never overwrites: any existing UTM value blocks the write', () => {
		expect(decideFirstTouch({ UTM_Medium: 'referral' }, orders, names)).toEqual({ write: false, reason: 'already_set' });
		expect(decideFirstTouch(undefined, [orders[2]], names)).toEqual({ write: false, reason: 'no_utm' });
		expect(decideFirstTouch(undefined, orders, { source: '', medium: '', campaign: '' })).toEqual({ write: false, reason: 'not_mapped' });
	});
});

describe('order-history roll-ups', () => {
	it('sums, counts, dates and averages the counted orders, leaving out cancelled/refunded ones', () => {
		const rollup = computeRollup([
			{ total: 10.1, orderedAt: '2024-01-01T10:00:00+00:00', status: 'paid', currency: 'EUR' },
			{ total: 20.2, orderedAt: '2024-03-05T10:00:00+00:00', status: 'fulfilled', currency: 'EUR' },
			{ total: 999, orderedAt: '2024-04-01T10:00:00+00:00', status: 'cancelled', currency: 'EUR' },
			{ total: 0.1, orderedAt: '2024-02-01T10:00:00+00:00', status: null, currency: 'eur' },
		]);
		expect(rollup).toEqual({ orderCount: 3, lifetimeSpend: 30.4, averageOrderValue: 10.13, lastOrderAt: '2024-03-05T10:00:00.000Z', currency: 'EUR', mixedCurrencies: false, excluded: 1 });
		expect(rollupFields(rollup, { lifetimeSpend: 'Lifetime_Spend', orderCount: 'Order_Count', lastOrderDate: 'Last_Order_Date', averageOrderValue: '' })).toEqual({ Lifetime_Spend: 30.4, Order_Count: 3, Last_Order_Date: '2024-03-05' });
	});

	it('does not add amounts in different currencies (spend and AOV left out)', () => {
		const rollup = computeRollup([
			{ total: 10, orderedAt: null, status: 'paid', currency: 'EUR' },
			{ total: 1500, orderedAt: null, status: 'paid', currency: 'JPY' },
		]);
		expect(rollup).toMatchObject({ orderCount: 2, lifetimeSpend: null, averageOrderValue: null, mixedCurrencies: true });
		expect(rollupFields(rollup, { lifetimeSpend: 'S', orderCount: 'C', lastOrderDate: 'D', averageOrderValue: 'A' })).toEqual({ C: 2 });
	});

	it('rounds to the currency\'s minor unit (JPY has none)', () => {
		expect(computeRollup([{ total: 1000, orderedAt: null, status: 'paid', currency: 'JPY' }, { total: 1001, orderedAt: null, status: 'paid', currency: 'JPY' }, { total: 1001, orderedAt: null, status: 'paid', currency: 'JPY' }]).averageOrderValue).toBe(1001);
	});
});

describe('changed-since high-water mark', () => {
	const rec = (id: string, time: string) => ({ id, Modified_Time: time });

	it('moves the mark to the newest Modified_Time and remembers the ids at it', () => {
		const mark = advanceMark(null, [rec('1', '2024-01-01T10:00:00+00:00'), rec('2', '2024-01-01T10:00:05+00:00'), rec('3', '2024-01-01T10:00:05+00:00')]);
		expect(mark).toEqual({ modifiedTime: '2024-01-01T10:00:05.000Z', idsAtMark: ['2', '3'] });
		expect(advanceMark(mark, [])).toEqual(mark);
	});

	it('asks from one second before the mark and drops what it already returned there', () => {
		const mark = { modifiedTime: '2024-01-01T10:00:05.000Z', idsAtMark: ['2'] };
		expect(requestSince(mark, '2000-01-01T00:00:00Z')).toBe('2024-01-01T10:00:04.000Z');
		expect(requestSince(null, '2000-01-01T00:00:00Z')).toBe('2000-01-01T00:00:00Z');
		expect(alreadySeen(rec('2', '2024-01-01T10:00:05+00:00'), mark)).toBe(true);
		expect(alreadySeen(rec('9', '2024-01-01T10:00:05+00:00'), mark)).toBe(false);
		expect(alreadySeen(rec('1', '2024-01-01T10:00:04+00:00'), mark)).toBe(true);
		expect(alreadySeen(rec('2', '2024-01-01T10:00:06+00:00'), mark)).toBe(false);
	});
});

describe('reading items', () => {
	it('reads a canonical order, a Commerce Trigger event and an order under a named field alike', () => {
		const o = order(1, { utm: { source: null, medium: null, campaign: null, term: null, content: null }, landingPage: '/p?utm_source=fb&utm_medium=social' });
		const direct = readOrder(o);
		expect(direct).toMatchObject({ id: 'ord-1', number: '#1001', total: 11, currency: 'EUR', person: { email: 'customer1@example.com', firstName: 'First1' }, utm: { source: 'fb', medium: 'social' } });
		expect(readOrder({ entity: 'order', type: 'order.created', order: o })).toEqual(direct);
		expect(readOrder({ payload: { order: o } }, 'payload.order')).toEqual(direct);
	});

	it('names the field when an order cannot be used', () => {
		expect(() => readOrder(order(1, {}, { email: null }))).toThrow(NormalizationError);
		expect(() => readOrder(order(1, {}, { email: null }))).toThrow(/customer\.email: is empty/);
		expect(() => readOrder({ entity: 'order', order: order(1, { total: 'abc' }) })).toThrow(/order\.total/);
		expect(() => readOrder({ entity: 'cart', cart: {} })).toThrow(/needs an order/);
		expect(() => readOrder(order(1, {}, { email: null, emailInvalid: 'not-an-email' }))).toThrow(/not a valid email address/);
	});

	it('reads a cart and the B2B Classifier\'s fields (top level or under b2b)', () => {
		expect(readCart({ entity: 'cart', cart: cart(3) })).toMatchObject({ id: 'cart-3', total: 53, recoveryUrl: 'https://shop.example.com/cart/recover/3', abandonedAt: '2024-02-01T10:05:00.000Z', person: { email: 'shopper3@example.com' } });
		expect(readB2b({ isB2B: true, accountKey: 'acme.com', accountName: 'Acme' })).toEqual({ isB2B: true, accountKey: 'acme.com', accountName: 'Acme' });
		expect(readB2b({ b2b: { isB2B: 'true', accountKey: 'acme.com', accountName: null } })).toEqual({ isB2B: true, accountKey: 'acme.com', accountName: null });
		expect(readB2b({})).toEqual({ isB2B: false, accountKey: null, accountName: null });
	});
});
