import type { AttributeSettings } from '../../../core/customerio/attributes';
import { buildAttributes, toUnixSeconds } from '../../../core/customerio/attributes';
import { CustomerIoClient } from '../../../core/customerio/client';
import { EnumNormalizer, parseEnumValues } from '../../../core/customerio/enums';
import { canonicalJson, deterministicEventId, isUlid } from '../../../core/customerio/eventId';
import type { EventSettings } from '../../../core/customerio/events';
import { buildChangeEvent, buildEvent } from '../../../core/customerio/events';
import { resolveIdentifier } from '../../../core/customerio/identity';
import { DEFAULT_CONSENT_ATTRIBUTES, utf8Bytes } from '../../../core/customerio/limits';
import { BATCH_ENVELOPE_BYTES, batchRequest, packBatches } from '../../../core/customerio/operations';
import { executePlans, planIdentify, planTrack } from '../../../core/customerio/plan';
import { classifyTrackOutcome, interpretBatchOutcome } from '../../../core/customerio/results';
import type { TrackHttpOutcome, TrackRequest } from '../../../core/customerio/types';
import { CustomerIoAuthError } from '../../../core/customerio/types';
import { NormalizationError } from '../../../core/model/errors';

const noEnums = new EnumNormalizer([]);

function attributeSettings(overrides: Partial<AttributeSettings> = {}): AttributeSettings {
	return {
		mappings: [],
		sendAllFields: true,
		excludeFields: [],
		timestampNames: [],
		convertAtSuffix: true,
		enums: noEnums,
		emptyValues: 'skip',
		sourceOfTruth: null,
		ownsConsent: false,
		consentAttributes: DEFAULT_CONSENT_ATTRIBUTES,
		...overrides,
	};
}

function eventSettings(overrides: Partial<EventSettings> = {}): EventSettings {
	return { ...attributeSettings({ sendAllFields: false }), timestampField: null, deduplicate: true, dedupeKeyFields: [], ...overrides };
}

describe('identity: one canonical identifier per node', () => {
	it('normalises emails (trim, lower-case, "Name <addr>")', () => {
		expect(resolveIdentifier({ email: '  Jane.Doe@Example.COM ' }, { type: 'email', field: 'email' })).toEqual({ email: 'jane.doe@example.com' });
		expect(resolveIdentifier({ customer: { email: 'Jane <JANE@x.io>' } }, { type: 'email', field: 'customer.email' })).toEqual({ email: 'jane@x.io' });
	});

	it('reads ids as text, numbers included, and strips cio_ for cio_id', () => {
		expect(resolveIdentifier({ zohoContactId: 5725767000001 }, { type: 'id', field: 'zohoContactId' })).toEqual({ id: '5725767000001' });
		expect(resolveIdentifier({ cio: 'cio_03000001' }, { type: 'cio_id', field: 'cio' })).toEqual({ cio_id: '03000001' });
	});

	it('refuses items without a usable identifier, naming the field and the parameter', () => {
		expect(() => resolveIdentifier({ email: '' }, { type: 'email', field: 'email' })).toThrow(/is empty — every person needs an email address; map the field that holds it in "Identifier Field"/);
		expect(() => resolveIdentifier({}, { type: 'id', field: 'zohoContactId' })).toThrow(NormalizationError);
		expect(() => resolveIdentifier({ email: 'not-an-email' }, { type: 'email', field: 'email' })).toThrow(/"not-an-email" is not a valid email address/);
		expect(() => resolveIdentifier({ id: 'x'.repeat(151) }, { type: 'id', field: 'id' })).toThrow(/150-byte limit/);
		expect(() => resolveIdentifier({ id: { nested: 1 } }, { type: 'id', field: 'id' })).toThrow(/must be text or a number/);
	});

	it('never reads the prototype chain', () => {
		expect(() => resolveIdentifier({}, { type: 'id', field: 'constructor.name' })).toThrow(/is empty/);
		expect(() => resolveIdentifier({}, { type: 'id', field: '__proto__.toString' })).toThrow(/is empty/);
	});
});

describe('attributes', () => {
	const canonical = { type: 'email' as const, field: 'email', value: 'jane@example.com' };

	it('sends other identifiers as attributes of the same person, normalised', () => {
		const { values } = buildAttributes({ email: 'jane@example.com', id: 42, first_name: 'Jane' }, attributeSettings(), canonical);
		expect(values).toEqual({ id: '42', first_name: 'Jane' });
		const byId = buildAttributes({ zohoContactId: 'Z1', email: ' JANE@Example.com ' }, attributeSettings(), { type: 'id', field: 'zohoContactId', value: 'Z1' });
		expect(byId.values).toEqual({ email: 'jane@example.com' });
	});

	it('refuses an attribute that would move the canonical identifier', () => {
		expect(() => buildAttributes({ email: 'jane@example.com', other: 'bob@example.com' }, attributeSettings({ sendAllFields: false, mappings: [{ name: 'email', field: 'other' }] }), canonical)).toThrow(
			/one item cannot change a person's email/,
		);
	});

	it('converts *_at and named timestamps to Unix seconds, whatever the input format', () => {
		const { values } = buildAttributes(
			{
				email: 'jane@example.com',
				created_at: '2024-03-01T10:15:00Z',
				updated_at: '2024-03-01 10:15:00',
				last_order_at: 1709288100000,
				first_seen_at: '1709288100',
				signup_at: 'Fri, 01 Mar 2024 10:15:00 +0000',
				birthday: '2024-03-01',
			},
			attributeSettings({ timestampNames: ['birthday'] }),
			canonical,
		);
		// 2024-03-01T10:15:00Z = 1709288100 (date -u -d '2024-03-01T10:15:00Z' +%s)
		expect(values).toEqual({ created_at: 1709288100, updated_at: 1709288100, last_order_at: 1709288100, first_seen_at: 1709288100, signup_at: 1709288100, birthday: 1709251200 });
		expect(toUnixSeconds('2024-03-01 11:15:00', 'x', 'Europe/Berlin')).toBe(1709288100);
		expect(() => buildAttributes({ email: 'jane@example.com', created_at: 'last tuesday' }, attributeSettings(), canonical)).toThrow(/field "created_at"|created_at/);
	});

	it('normalises enum spellings to the configured one ("VIP", "Vip", "vip" → one value)', () => {
		const enums = new EnumNormalizer([
			{ attribute: 'vip_tier', values: parseEnumValues('VIP=premium|v.i.p., Gold, Silver') },
			{ attribute: 'segment', values: parseEnumValues('Champions, At Risk, Can\'t Lose Them') },
		]);
		for (const input of ['VIP', 'Vip', 'vip', ' vip ', 'premium', 'V.I.P.']) {
			expect(buildAttributes({ email: 'jane@example.com', vip_tier: input }, attributeSettings({ enums }), canonical).values.vip_tier).toBe('VIP');
		}
		expect(buildAttributes({ email: 'jane@example.com', segment: 'at_risk' }, attributeSettings({ enums }), canonical).values.segment).toBe('At Risk');
		expect(buildAttributes({ email: 'jane@example.com', segment: 'cant_lose_them' }, attributeSettings({ enums }), canonical).values.segment).toBe("Can't Lose Them");
		expect(() => buildAttributes({ email: 'jane@example.com', vip_tier: 'Platinum' }, attributeSettings({ enums }), canonical)).toThrow(/"Platinum" is not one of the spellings set for "vip_tier" \("VIP", "Gold", "Silver"\)/);
		const keep = new EnumNormalizer([{ attribute: 'vip_tier', values: ['VIP'] }], 'keep');
		expect(buildAttributes({ email: 'jane@example.com', vip_tier: ' Platinum ' }, attributeSettings({ enums: keep }), canonical).values.vip_tier).toBe('Platinum');
		expect(() => new EnumNormalizer([{ attribute: 'x', values: ['VIP', 'vip'] }])).toThrow(/"vip" would mean both "VIP" and "vip"/);
		expect(() => new EnumNormalizer([{ attribute: 'x', values: ['VIP', 'Gold=vip'] }])).toThrow(/would mean both/);
	});

	it('holds consent attributes back unless this source owns consent', () => {
		const json = { email: 'jane@example.com', unsubscribed: false, 'cio_subscription_preferences.topics.topic_1': true, accepts_marketing: true, first_name: 'Jane' };
		const held = buildAttributes(json, attributeSettings(), canonical);
		expect(held.values).toEqual({ first_name: 'Jane' });
		expect(held.withheld.sort()).toEqual(['accepts_marketing', 'cio_subscription_preferences.topics.topic_1', 'unsubscribed']);
		const owned = buildAttributes(json, attributeSettings({ ownsConsent: true }), canonical);
		expect(owned.values).toEqual({ unsubscribed: false, 'cio_subscription_preferences.topics.topic_1': true, accepts_marketing: true, first_name: 'Jane' });
	});

	it('stamps source_of_truth, skips or clears empties, and skips unusable field names', () => {
		const json = JSON.parse('{"email":"jane@example.com","__proto__":{"polluted":true},"nickname":"","cio_id":"x"}') as Record<string, unknown>;
		const built = buildAttributes(json, attributeSettings({ sourceOfTruth: { name: 'source_of_truth', value: 'zoho_crm' } }), canonical);
		expect(built.values).toEqual({ source_of_truth: 'zoho_crm' });
		expect(built.skippedFields.sort()).toEqual(['__proto__', 'cio_id']);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		expect(buildAttributes({ email: 'jane@example.com', nickname: null }, attributeSettings({ emptyValues: 'clear' }), canonical).values).toEqual({ nickname: '' });
	});

	it('checks Customer.io limits: 1000-byte values, 300 attributes, 150-byte names', () => {
		expect(() => buildAttributes({ email: 'jane@example.com', bio: 'é'.repeat(501) }, attributeSettings(), canonical)).toThrow(/is 1002 bytes long; Customer.io takes at most 1000 bytes/);
		const many: Record<string, unknown> = { email: 'jane@example.com' };
		for (let i = 0; i < 301; i++) many[`a${i}`] = i;
		expect(() => buildAttributes(many, attributeSettings(), canonical)).toThrow(/has 301 attributes/);
		const longName = buildAttributes({ email: 'jane@example.com', ['n'.repeat(151)]: 1 }, attributeSettings(), canonical);
		expect(longName.skippedFields).toHaveLength(1);
	});
});

describe('events', () => {
	it('builds events with Unix timestamps and a stable ULID keyed on the chosen fields', () => {
		const settings = eventSettings({ mappings: [{ name: 'order_total', field: 'order.total' }], timestampField: 'order.createdAt', dedupeKeyFields: ['order.id'] });
		const json = { email: 'jane@example.com', order: { id: '1001', total: 59.9, createdAt: '2024-03-01T10:15:00Z' } };
		const first = buildEvent(json, settings, 'email:jane@example.com', 'order_completed', ['email']);
		expect(first.timestamp).toBe(1709288100);
		expect(first.data).toEqual({ order_total: 59.9 });
		expect(isUlid(first.id)).toBe(true);
		// Same order, data changed (e.g. a later webhook delivery): same id.
		const again = buildEvent({ ...json, order: { ...json.order, total: 60 } }, settings, 'email:jane@example.com', 'order_completed', ['email']);
		expect(again.id).toBe(first.id);
		// Another order or another person: another id.
		expect(buildEvent({ ...json, order: { ...json.order, id: '1002' } }, settings, 'email:jane@example.com', 'order_completed', ['email']).id).not.toBe(first.id);
		expect(buildEvent(json, settings, 'email:bob@example.com', 'order_completed', ['email']).id).not.toBe(first.id);
		expect(() => buildEvent({ email: 'x@y.z', order: {} }, settings, 'email:x@y.z', 'order_completed', ['email'])).toThrow(/field "order.createdAt"|"order.id" is empty|order\.id/);
	});

	it('encodes the event time in the ULID time part (first 10 characters)', () => {
		const id = deterministicEventId({ person: 'id:1', name: 'x', key: 1, timestampSeconds: 1709288100 });
		// ULID time = 1709288100000 ms in Crockford base-32
		let ms = 0;
		for (const c of id.slice(0, 10)) ms = ms * 32 + '0123456789ABCDEFGHJKMNPQRSTVWXYZ'.indexOf(c);
		expect(ms).toBe(1709288100000);
		expect(canonicalJson({ b: 1, a: [2, { d: 1, c: 2 }] })).toBe('{"a":[2,{"c":2,"d":1}],"b":1}');
	});

	it('emits a change event with from/to only when the value changed', () => {
		const enums = new EnumNormalizer([{ attribute: 'segment', values: ['Champions', 'At Risk', 'Loyal'] }]);
		const rule = { name: 'segment_changed', attribute: 'segment', previousField: 'previousSegment', currentField: 'segment', changedFlagField: 'segmentChanged', emitWithoutPrevious: false };
		const context = { person: 'email:jane@example.com', enums, timestampField: null, deduplicate: true, now: new Date('2024-03-02T08:00:00Z') };
		const changed = buildChangeEvent({ previousSegment: 'loyal', segment: 'at_risk', segmentChanged: true }, rule, context);
		expect(changed.emit).toBe(true);
		if (!changed.emit) return;
		expect(changed.event.data).toEqual({ from: 'Loyal', to: 'At Risk', attribute: 'segment' });
		expect(isUlid(changed.event.id)).toBe(true);
		expect(buildChangeEvent({ previousSegment: 'loyal', segment: 'at_risk' }, rule, context)).toMatchObject({ emit: true });
		expect(buildChangeEvent({ previousSegment: 'Loyal', segment: 'loyal', segmentChanged: true }, rule, context)).toMatchObject({ emit: false, reason: 'unchanged' });
		expect(buildChangeEvent({ previousSegment: 'Loyal', segment: 'At Risk', segmentChanged: false }, rule, context)).toMatchObject({ emit: false, reason: 'flag_false' });
		expect(buildChangeEvent({ previousSegment: null, segment: 'Champions' }, rule, context)).toMatchObject({ emit: false, reason: 'no_previous' });
		expect(buildChangeEvent({ previousSegment: null, segment: 'Champions' }, { ...rule, emitWithoutPrevious: true }, context)).toMatchObject({ emit: true, from: null, to: 'Champions' });
		expect(buildChangeEvent({ previousSegment: 'Loyal' }, rule, context)).toMatchObject({ emit: false, reason: 'no_current' });
		// Same change re-sent the same day: same id; on another day: a new id.
		const sameDay = buildChangeEvent({ previousSegment: 'loyal', segment: 'at_risk' }, rule, { ...context, now: new Date('2024-03-02T23:59:00Z') });
		const nextDay = buildChangeEvent({ previousSegment: 'loyal', segment: 'at_risk' }, rule, { ...context, now: new Date('2024-03-03T00:01:00Z') });
		expect(sameDay.emit && sameDay.event.id).toBe(changed.event.id);
		expect(nextDay.emit && nextDay.event.id).not.toBe(changed.event.id);
	});
});

describe('batching by size', () => {
	it('packs operations into requests of at most the limit, measured in UTF-8 bytes of the JSON body', () => {
		expect(BATCH_ENVELOPE_BYTES).toBe('{"batch":[]}'.length);
		// 100 operations of 100 bytes: a request holds k with 12 + 100k + (k - 1) ≤ 1000 → k = 9.
		const sizes = Array.from({ length: 100 }, () => 100);
		const packed = packBatches(sizes, 1000);
		expect(packed).toHaveLength(Math.ceil(100 / 9));
		expect(packed[0]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
		expect(packed.flat()).toEqual(sizes.map((_, i) => i));
	});

	it('agrees with the real JSON length of the request', () => {
		const ops = Array.from({ length: 50 }, (_, i) => ({ type: 'person' as const, action: 'event' as const, identifiers: { email: `p${i}@ex.com` }, name: 'order_completed', attributes: { note: 'ü'.repeat(i) } }));
		const sizes = ops.map((op) => utf8Bytes(JSON.stringify(op)));
		const limit = 2000;
		for (const group of packBatches(sizes, limit)) {
			const body = JSON.stringify(batchRequest(group.map((i) => ops[i])).body);
			expect(utf8Bytes(body)).toBeLessThanOrEqual(limit);
			expect(utf8Bytes(body)).toBe(BATCH_ENVELOPE_BYTES + group.reduce((sum, i) => sum + sizes[i], 0) + group.length - 1);
		}
	});
});

describe('results and retry classification', () => {
	it('maps a 207 to the operations it names, by batch_index', () => {
		const outcome: TrackHttpOutcome = { kind: 'response', status: 207, headers: {}, body: { errors: [{ batch_index: 2, reason: 'invalid', field: 'name', message: 'event name must not be blank' }, { batch_index: 0, reason: 'required', field: 'identifiers', message: 'missing' }] } };
		const { outcomes } = interpretBatchOutcome(outcome, ['identify', 'event "a"', 'event "b"', 'event "c"'], 1);
		expect(outcomes.map((o) => o.ok)).toEqual([false, true, false, true]);
		expect(outcomes[2]).toMatchObject({ ok: false, code: 'INVALID', field: 'name', apiMessage: 'event name must not be blank', httpStatus: 207 });
	});

	it('a 400 that names operations: those fail, the others are sent again', () => {
		const outcome: TrackHttpOutcome = { kind: 'response', status: 400, headers: {}, body: { errors: [{ batch_index: 1, reason: 'invalid', field: 'timestamp', message: 'bad' }] } };
		const { outcomes, resend } = interpretBatchOutcome(outcome, ['a', 'b', 'c'], 1);
		expect(resend).toEqual([0, 2]);
		expect(outcomes[1]).toMatchObject({ ok: false, field: 'timestamp' });
	});

	it('retries 429, 5xx and dropped connections, honouring Retry-After; not 4xx', () => {
		expect(classifyTrackOutcome({ kind: 'network', code: 'ECONNRESET', message: '' })).toEqual({ retry: true });
		expect(classifyTrackOutcome({ kind: 'response', status: 503, body: null, headers: {} })).toEqual({ retry: true });
		expect(classifyTrackOutcome({ kind: 'response', status: 429, body: null, headers: { 'Retry-After': '2' } })).toEqual({ retry: true, delayMs: 2000 });
		expect(classifyTrackOutcome({ kind: 'response', status: 400, body: null, headers: {} })).toEqual({ retry: false });
	});
});

describe('client with a scripted transport', () => {
	const instantSleep = async () => {};

	it('retries a lost answer, splits on 413, and reports per operation in order', async () => {
		const script: TrackHttpOutcome[] = [
			{ kind: 'network', code: 'ECONNRESET', message: 'socket hang up' },
			{ kind: 'response', status: 413, body: null, headers: {} },
			{ kind: 'response', status: 200, body: {}, headers: {} },
			{ kind: 'response', status: 207, body: { errors: [{ batch_index: 0, reason: 'invalid', message: 'nope' }] }, headers: {} },
		];
		const seen: TrackRequest[] = [];
		const client = new CustomerIoClient({ transport: async (r) => (seen.push(r), script.shift()!), sleep: instantSleep, ratePerSecond: 0, retryPolicy: { maxRetries: 3, baseDelayMs: 0, maxDelayMs: 0 } });
		const ops = [0, 1, 2, 3].map((i) => ({ kind: 'batch' as const, operation: { type: 'person' as const, action: 'delete' as const, identifiers: { id: String(i) } }, bytes: 60, label: 'delete' }));
		const outcomes = await client.run(ops);
		expect(seen.map((r) => (r.body as { batch: unknown[] }).batch.length)).toEqual([4, 4, 2, 2]);
		expect(outcomes.map((o) => o.ok)).toEqual([true, true, false, true]);
		expect(client.stats).toMatchObject({ requests: 4, retries: 1 });
	});

	it('gives up after the retries with a retryable failure, and throws on 401', async () => {
		const always503 = new CustomerIoClient({ transport: async () => ({ kind: 'response', status: 503, body: null, headers: {} }), sleep: instantSleep, ratePerSecond: 0, retryPolicy: { maxRetries: 2, baseDelayMs: 0, maxDelayMs: 0 } });
		const [outcome] = await always503.run([{ kind: 'batch', operation: { type: 'person', action: 'delete', identifiers: { id: '1' } }, bytes: 50, label: 'delete' }]);
		expect(outcome).toMatchObject({ ok: false, code: 'SERVER_ERROR', retryable: true, attempts: 3 });
		const unauthorized = new CustomerIoClient({ transport: async () => ({ kind: 'response', status: 401, body: null, headers: {} }), sleep: instantSleep, ratePerSecond: 0 });
		await expect(unauthorized.run([{ kind: 'batch', operation: { type: 'person', action: 'delete', identifiers: { id: '1' } }, bytes: 50, label: 'delete' }])).rejects.toBeInstanceOf(CustomerIoAuthError);
	});

	it('paces request starts to the configured rate through the injected sleep', async () => {
		let clock = 0;
		const waits: number[] = [];
		const client = new CustomerIoClient({
			transport: async () => ({ kind: 'response', status: 200, body: {}, headers: {} }),
			sleep: async (ms) => {
				waits.push(ms);
				clock += ms;
			},
			now: () => clock,
			concurrency: 1,
			ratePerSecond: 10,
		});
		const singles = [0, 1, 2].map((i) => ({ kind: 'single' as const, request: { method: 'POST' as const, path: '/api/v1/events', body: { name: 'x', anonymous_id: String(i) }, purpose: 'x' }, label: 'x' }));
		await client.run(singles);
		expect(waits).toEqual([100, 100]);
	});
});

describe('planners', () => {
	it('items about the same person share one identify operation (one profile per person)', async () => {
		const plans = planIdentify(
			[
				{ email: 'Jane@Example.com', segment: 'Loyal', updated: '2024-03-02T00:00:00Z' },
				{ email: 'bob@example.com', segment: 'Champions' },
				{ email: ' jane@example.com ', segment: 'At Risk', updated: '2024-03-01T00:00:00Z' },
				{ email: '' },
			],
			{
				identity: { type: 'email', field: 'email' },
				attributes: attributeSettings({ excludeFields: ['updated'] }),
				updatedAtField: 'updated',
				changeEvents: [],
				changeTimestampField: null,
				deduplicate: true,
				enums: noEnums,
				now: new Date(),
			},
		);
		expect(plans.map((p) => p.ok)).toEqual([true, true, true, false]);
		const sent: unknown[] = [];
		const client = new CustomerIoClient({
			transport: async (request) => {
				sent.push(...(request.body as { batch: unknown[] }).batch);
				return { kind: 'response', status: 200, body: {}, headers: {} };
			},
			sleep: async () => {},
			ratePerSecond: 0,
		});
		const results = await executePlans(client, plans);
		expect(sent).toEqual([
			// Jane's newer update (item 0, updated 2 March) wins over the older one (item 2, 1 March).
			{ type: 'person', identifiers: { email: 'jane@example.com' }, action: 'identify', attributes: { segment: 'Loyal' }, timestamp: 1709337600 },
			{ type: 'person', identifiers: { email: 'bob@example.com' }, action: 'identify', attributes: { segment: 'Champions' } },
		]);
		expect(results.map((r) => r.ok)).toEqual([true, true, true, false]);
		expect(results[3].failure?.message).toBe('Item 3: field "email" is empty — every person needs an email address; map the field that holds it in "Identifier Field" (items without one are not sent, so no anonymous profile is created)');
		expect(results[0].summary?.sameProfileAsItems).toEqual([2]);
	});

	it('refuses an operation over 32 KB before sending, on its own item', () => {
		const plans = planTrack([{ email: 'a@b.co', blob: 'x'.repeat(40_000) }, { email: 'c@d.co', blob: 'y' }], ['big', 'small'], {
			identity: { type: 'email', field: 'email' },
			event: eventSettings({ sendAllFields: true }),
		});
		expect(plans[0]).toMatchObject({ ok: false, failure: { code: 'INVALID_INPUT' } });
		expect((plans[0] as { failure: { message: string } }).failure.message).toMatch(/^Item 0: .*at most 32000 bytes per operation/);
		expect(plans[1].ok).toBe(true);
	});
});
