import fc from 'fast-check';

import type { Condition } from '../../../core/router';
import { compileRouter, readTimeMillis } from '../../../core/router';
import { toEpochMillis } from '../../../core/model/time';
import type { RouterParameters } from '../../../nodes/WinBackRouter/settings';
import { PARAMETER_DEFAULTS, findItemExpressions, settingsFromParameters } from '../../../nodes/WinBackRouter/settings';
import { DAY, REFERENCE, defaultSettings, iso, routeOf } from './routerFixtures';

function customRouter(routes: Array<Record<string, unknown>>, extra: Partial<RouterParameters> = {}) {
	const parameters: RouterParameters = {
		...PARAMETER_DEFAULTS,
		suppressWhen: [],
		routing: 'custom',
		includeDefaultRoutes: false,
		routes: { route: routes },
		...extra,
	};
	return compileRouter(settingsFromParameters(parameters, REFERENCE));
}

const segmentCondition = (...segments: string[]) => ({ subject: 'segment', segments });

describe('custom routes', () => {
	it('one output per route in the order given, then Suppressed and Unmatched', () => {
		const router = customRouter([
			{ name: 'VIP High CLV', conditions: { condition: [{ subject: 'clvBand', clvMin: 1000 }] } },
			{ name: 'Everyone at risk', conditions: { condition: [segmentCondition('at_risk')] } },
		]);
		expect(router.outputNames).toEqual(['VIP High CLV', 'Everyone at risk', 'Suppressed', 'Unmatched']);
	});

	it('the first matching route wins, even when a later one matches too', () => {
		const router = customRouter([
			{ name: 'High CLV', conditions: { condition: [{ subject: 'clvBand', clvMin: 1000 }] } },
			{ name: 'At risk', conditions: { condition: [segmentCondition('at_risk')] } },
		]);
		const decision = router.route({ segment: 'at_risk', predictedClv: 5000 });
		expect(decision.fields).toMatchObject({ route: 'high_clv', routeName: 'High CLV', matchedRule: 'Route 1 ("High CLV"): CLV at least 1000' });
		expect(router.route({ segment: 'at_risk', predictedClv: 999.99 }).fields.route).toBe('at_risk');
	});

	it('custom routes come first, then the default routes when "Then Use Default Routes" is on', () => {
		const router = customRouter([{ name: 'Germany', conditions: { condition: [{ subject: 'field', field: 'address.country', operator: 'equals', value: 'de' }] } }], {
			includeDefaultRoutes: true,
		});
		expect(router.outputNames).toEqual([
			'Germany',
			'B2B Account Manager',
			'VIP Loyalty',
			'Replenishment',
			'Win-back Incentive',
			'Final Win-back',
			'Second Purchase',
			'Suppressed',
			'Unmatched',
		]);
		expect(router.route({ segment: 'champions', isB2B: true, address: { country: 'DE' } }).fields.route).toBe('germany');
		expect(router.route({ segment: 'champions', isB2B: true, address: { country: 'FR' } }).fields.route).toBe('b2b_account_manager');
	});

	it('"All Conditions" needs every condition, "Any Condition" one of them', () => {
		const conditions = { condition: [segmentCondition('champions'), { subject: 'b2b', isB2B: false }] };
		const all = customRouter([{ name: 'Consumer champions', match: 'all', conditions }]);
		expect(all.route({ segment: 'champions', isB2B: true }).fields.route).toBe('unmatched');
		expect(all.route({ segment: 'champions' }).fields.route).toBe('consumer_champions');
		const any = customRouter([{ name: 'Either', match: 'any', conditions }]);
		expect(any.route({ segment: 'lost', isB2B: false }).fields.route).toBe('either');
		expect(any.route({ segment: 'champions', isB2B: true }).fields.route).toBe('either');
		expect(any.route({ segment: 'lost', isB2B: true }).fields.route).toBe('unmatched');
	});

	it('segment conditions accept keys of any scheme, labels and the operator\'s own values', () => {
		const router = customRouter([{ name: 'Dormant', conditions: { condition: [{ subject: 'segment', segments: ['cant_loose'], otherSegments: 'Dormant, Sleeping Beauty' }] } }]);
		for (const segment of ['cant_loose', "Can't Lose", 'dormant', 'SLEEPING_BEAUTY']) expect(router.route({ segment }).fields.route).toBe('dormant');
		expect(router.route({ segment: 'cant_lose_them' }).fields.route).toBe('unmatched');
	});

	it('lifecycle stage conditions', () => {
		const router = customRouter([{ name: 'Early', conditions: { condition: [{ subject: 'lifecycleStage', lifecycleStages: ['early_retention'] }] } }]);
		expect(router.route({ lifecycleStage: 'Early Retention' }).fields.route).toBe('early');
	});

	it('CLV bands: from (included) up to (excluded); 0 means open-ended', () => {
		const router = customRouter([
			{ name: 'Low', conditions: { condition: [{ subject: 'clvBand', clvMin: 0, clvMax: 100 }] } },
			{ name: 'Mid', conditions: { condition: [{ subject: 'clvBand', clvMin: 100, clvMax: 1000 }] } },
			{ name: 'High', conditions: { condition: [{ subject: 'clvBand', clvMin: 1000, clvMax: 0 }] } },
		]);
		const band = (json: Record<string, unknown>) => router.route(json).fields.route;
		expect([band({ predictedClv: -5 }), band({ predictedClv: 99.99 }), band({ predictedClv: 100 }), band({ historicalClv: 999 }), band({ predictedClv: 1000 })]).toEqual([
			'low',
			'low',
			'mid',
			'mid',
			'high',
		]);
		const missing = router.route({ segment: 'x' });
		expect(missing.fields.reasons).toContain('Field "predictedClv / historicalClv" is missing on the item');
	});

	it('the offer, timing and message sequence of a custom route', () => {
		const router = customRouter([
			{
				name: 'Win back VIPs',
				conditions: { condition: [segmentCondition('cant_lose_them')] },
				offerType: 'fixed',
				offerValue: 50,
				offerOnTopCategory: false,
				sendTiming: 'delay',
				delayDays: 2,
				sequence: { step: [{ dayOffset: 0, template: 'vip_wb_1' }, { dayOffset: 10, template: 'vip_wb_2' }] },
			},
		]);
		const decision = router.route({ segment: 'cant_lose_them', predictedClv: 300, topCategory: 'Tea' });
		expect(decision.fields.offer).toMatchObject({ type: 'fixed', value: 30, capped: true, category: null });
		expect(decision.fields.sendAt).toBe(iso(REFERENCE + 2 * DAY));
		expect(decision.fields.sequence).toEqual([
			{ step: 1, dayOffset: 0, template: 'vip_wb_1', sendAt: '2024-06-03T00:00:00.000Z' },
			{ step: 2, dayOffset: 10, template: 'vip_wb_2', sendAt: '2024-06-13T00:00:00.000Z' },
		]);
	});
});

describe('field conditions', () => {
	function matches(condition: Partial<Extract<Condition, { kind: 'field' }>>, json: Record<string, unknown>) {
		const settings = defaultSettings({
			routes: [{ key: 'hit', name: 'Hit', offer: { type: 'none', value: 0, onTopCategory: false }, timing: { mode: 'now' }, sequence: [] }],
			rules: [{ id: 'Route 1', routeKey: 'hit', match: 'all', conditions: [{ kind: 'field', field: 'x', operator: 'equals', value: '', ...condition }] }],
		});
		return compileRouter(settings).route(json).fields.route === 'hit';
	}

	it.each<[string, Partial<Extract<Condition, { kind: 'field' }>>, unknown, boolean]>([
		['equals text ignoring case', { operator: 'equals', value: 'Gold' }, ' gold ', true],
		['equals numbers as numbers', { operator: 'equals', value: '10' }, 10.0, true],
		['equals booleans', { operator: 'equals', value: 'true' }, true, true],
		['not equals', { operator: 'notEquals', value: 'gold' }, 'silver', true],
		['one of', { operator: 'oneOf', value: 'DE, AT, CH' }, 'at', true],
		['one of (no)', { operator: 'oneOf', value: 'DE, AT' }, 'FR', false],
		['contains text', { operator: 'contains', value: 'vip' }, 'Tier: VIP gold', true],
		['contains list entry', { operator: 'contains', value: 'wholesale' }, ['retail', 'Wholesale'], true],
		['contains list entry (no partial)', { operator: 'contains', value: 'whole' }, ['wholesale'], false],
		['starts with', { operator: 'startsWith', value: 'ab' }, 'ABC', true],
		['greater than', { operator: 'greaterThan', value: '5' }, '5.01', true],
		['greater than (equal)', { operator: 'greaterThan', value: '5' }, 5, false],
		['at least', { operator: 'greaterOrEqual', value: '5' }, 5, true],
		['less than money text', { operator: 'lessThan', value: '1000' }, '€ 999,99', true],
		['at most', { operator: 'lessOrEqual', value: '3' }, 4, false],
		['is true', { operator: 'isTrue' }, 'yes', true],
		['is false', { operator: 'isFalse' }, 0, true],
		['is present', { operator: 'exists' }, 'x', true],
		['is absent (empty)', { operator: 'notExists' }, '', true],
		['within the last 30 days', { operator: 'withinLastDays', value: '30' }, iso(REFERENCE - 29 * DAY), true],
		['within the last 30 days (no)', { operator: 'withinLastDays', value: '30' }, iso(REFERENCE - 31 * DAY), false],
		['more than 90 days ago', { operator: 'olderThanDays', value: '90' }, iso(REFERENCE - 91 * DAY), true],
	])('%s', (_label, condition, value, expected) => {
		expect(matches(condition, { x: value })).toBe(expected);
	});

	it('a missing field makes the condition false and is named in the Unmatched reason; "is absent" matches it', () => {
		expect(matches({ operator: 'equals', value: 'a' }, {})).toBe(false);
		expect(matches({ operator: 'notEquals', value: 'a' }, {})).toBe(false);
		expect(matches({ operator: 'notExists' }, {})).toBe(true);
		const settings = defaultSettings({
			routes: [{ key: 'hit', name: 'Hit', offer: { type: 'none', value: 0, onTopCategory: false }, timing: { mode: 'now' }, sequence: [] }],
			rules: [{ id: 'Route 1', routeKey: 'hit', match: 'all', conditions: [{ kind: 'field', field: 'tier', operator: 'equals', value: 'gold' }] }],
		});
		expect(compileRouter(settings).route({}).fields.reasons).toEqual(['No route matched (segment: none, lifecycle stage: none)', 'Field "tier" is missing on the item']);
	});

	it('an unreadable value goes to Unmatched naming the condition to change', () => {
		const router = customRouter([{ name: 'Big', conditions: { condition: [{ subject: 'field', field: 'orders', operator: 'greaterThan', value: '3' }] } }]);
		expect(router.route({ orders: 'many' }).fields.reasons).toEqual([
			'Field "orders": "many" is not an amount (expected e.g. 1234.50 or "1,234.50") — fix the value on the item or change "Route 1 ("Big"), condition 1"',
		]);
	});
});

describe('route settings errors name the setting', () => {
	it.each<[string, Array<Record<string, unknown>>, string]>([
		['no name', [{ name: ' ', conditions: { condition: [segmentCondition('lost')] } }], 'Route 1: has no name; give every route a name (it labels the output)'],
		['no conditions', [{ name: 'A' }], 'Route 1 ("A"): has no conditions; add at least one condition so the route knows which customers it takes'],
		[
			'duplicate names',
			[
				{ name: 'Lost', conditions: { condition: [segmentCondition('lost')] } },
				{ name: 'lost', conditions: { condition: [segmentCondition('lost')] } },
			],
			'Route 2 ("lost"): another route already has this name; route names must differ (they label the outputs and become the "route" value)',
		],
		['reserved name', [{ name: 'Unmatched', conditions: { condition: [segmentCondition('lost')] } }], 'Route 1 ("Unmatched"): "Unmatched" is reserved for the node\'s own output; choose another name'],
		['segment condition without segments', [{ name: 'A', conditions: { condition: [{ subject: 'segment' }] } }], 'Route 1 ("A"), condition 1: lists no segment; pick segments or type your own in "Other Segment Values"'],
		[
			'number operator with text',
			[{ name: 'A', conditions: { condition: [{ subject: 'field', field: 'x', operator: 'greaterThan', value: 'ten' }] } }],
			'Route 1 ("A"), condition 1: "ten" is not a number; this operator compares numbers',
		],
		['field condition without field', [{ name: 'A', conditions: { condition: [{ subject: 'field', operator: 'exists' }] } }], 'Route 1 ("A"), condition 1: has no field name; enter the field to test, e.g. "tags" or "address.country"'],
		['empty CLV band', [{ name: 'A', conditions: { condition: [{ subject: 'clvBand', clvMin: 500, clvMax: 100 }] } }], 'Route 1 ("A"), condition 1: the CLV band is empty: maximum 100 is not above minimum 500'],
		[
			'percent over 100',
			[{ name: 'A', offerType: 'percent', offerValue: 150, conditions: { condition: [segmentCondition('lost')] } }],
			'Route 1 ("A"), Offer Value: a percent discount must be above 0 and at most 100 (got 150)',
		],
		[
			'message without template',
			[{ name: 'A', conditions: { condition: [segmentCondition('lost')] }, sequence: { step: [{ dayOffset: 0, template: '' }] } }],
			'Route 1 ("A"), message 1: has no template; enter the template or campaign ID the messaging node should send',
		],
	])('%s', (_label, routes, message) => {
		expect(() => customRouter(routes)).toThrow(message);
	});

	it('no route at all without the defaults', () => {
		expect(() => customRouter([])).toThrow('Routes: has no route; add a route, or turn on "Then Use Default Routes"');
	});

	it('a custom route may not reuse a default route name when the defaults follow', () => {
		expect(() => customRouter([{ name: 'VIP Loyalty', conditions: { condition: [segmentCondition('lost')] } }], { includeDefaultRoutes: true })).toThrow(
			'Route 1 ("VIP Loyalty"): has the name of the default route "VIP Loyalty"; rename it, or turn off "Then Use Default Routes"',
		);
	});

	it('general settings', () => {
		const base = { ...PARAMETER_DEFAULTS };
		expect(() => compileRouter(settingsFromParameters({ ...base, maxDiscountShareOfClv: 150 }, REFERENCE))).toThrow('Max Discount (% of CLV): must be between 0 and 100 (got 150)');
		expect(() => compileRouter(settingsFromParameters({ ...base, frequencyCapDays: -1 }, REFERENCE))).toThrow('Frequency Cap (Days): must be zero or more (got -1)');
		expect(() => settingsFromParameters({ ...base, options: { referenceTime: 'soon' } }, REFERENCE)).toThrow(/^Reference Time: "soon" is not a date .*leave it empty to use the time of the run$/);
		expect(() => compileRouter(settingsFromParameters({ ...base, fieldNames: { segment: ' ' } }, REFERENCE))).toThrow(
			'Field Names, Segment Field: is empty; enter the field name or remove the option to use the default',
		);
		expect(() => settingsFromParameters({ ...base, suppressWhen: ['weekend'] }, REFERENCE)).toThrow('Suppress When: "weekend" is not a suppression check this node knows');
	});
});

describe('settings from parameters', () => {
	it('the parameter defaults give the default routes, all suppression checks and the documented windows', () => {
		const settings = settingsFromParameters(PARAMETER_DEFAULTS, REFERENCE);
		expect(settings.routes.map((route) => route.key)).toEqual(['b2b_account_manager', 'vip_loyalty', 'replenishment', 'win_back_incentive', 'final_win_back', 'second_purchase']);
		expect(settings.suppression).toEqual({
			unsubscribed: true,
			requireConsent: false,
			openSupportCase: true,
			activeSubscription: true,
			recentPurchaseDays: 7,
			frequencyCapDays: 3,
			segmentDebounceHours: 24,
			otherJourney: true,
		});
		expect(settings.referenceTime).toBe(REFERENCE);
		expect(settings.maxDiscountShareOfClv).toBe(10);
	});

	it('reads the reference time in the workflow time zone when it has no offset', () => {
		expect(settingsFromParameters({ ...PARAMETER_DEFAULTS, options: { referenceTime: '2024-06-01T02:00:00' } }, 0, 'Europe/Berlin').referenceTime).toBe(REFERENCE);
		expect(settingsFromParameters({ ...PARAMETER_DEFAULTS, options: { referenceTime: '2024-06-01T00:00:00Z' } }, 0, 'Europe/Berlin').referenceTime).toBe(REFERENCE);
	});

	it('default route settings change the default offers and the B2B rule', () => {
		const settings = settingsFromParameters({ ...PARAMETER_DEFAULTS, defaultRouteSettings: { b2bRoute: false, winBackPercent: 15, finalWinBackPercent: 25 } }, REFERENCE);
		expect(settings.routes.find((route) => route.key === 'win_back_incentive')?.offer.value).toBe(15);
		expect(settings.routes.find((route) => route.key === 'final_win_back')?.offer.value).toBe(25);
		expect(settings.rules.some((rule) => rule.routeKey === 'b2b_account_manager')).toBe(false);
		expect(routeOf({ segment: 'at_risk', isB2B: true }, { rules: settings.rules }).fields.route).toBe('win_back_incentive');
	});

	it('finds parameters whose expressions read item data', () => {
		expect(
			findItemExpressions({
				routing: 'custom',
				maxDiscountShareOfClv: '={{ 5 + 5 }}',
				options: { referenceTime: '={{ $now }}' },
				routes: { route: [{ name: 'A', conditions: { condition: [{ value: 'x' }, { value: '={{ $json.tier }}' }] } }] },
				fieldNames: { segment: "={{ $('RFM Scorer').item.json.segment }}" },
			}),
		).toEqual(['routes.route[0].conditions.condition[1].value', 'fieldNames.segment']);
	});
});

describe('date fast path', () => {
	it('gives the same instant as the canonical parser for any ISO-8601 date-time', () => {
		const isoText = fc
			.record({
				millis: fc.integer({ min: Date.UTC(1970, 0, 2), max: Date.UTC(2199, 11, 30) }),
				offsetMinutes: fc.integer({ min: -14 * 60, max: 14 * 60 }),
				form: fc.constantFrom('Z', 'offset', 'date', 'noSeconds', 'noMillis'),
			})
			.map(({ millis, offsetMinutes, form }) => {
				const text = new Date(millis).toISOString();
				if (form === 'Z') return text;
				if (form === 'date') return text.slice(0, 10);
				if (form === 'noSeconds') return `${text.slice(0, 16)}Z`;
				if (form === 'noMillis') return `${text.slice(0, 19)}Z`;
				const local = new Date(millis + offsetMinutes * 60_000).toISOString().slice(0, 23);
				const sign = offsetMinutes < 0 ? '-' : '+';
				const abs = Math.abs(offsetMinutes);
				return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
			});
		fc.assert(fc.property(isoText, (text) => expect(readTimeMillis(text, 'f')).toBe(toEpochMillis(text, 'f'))));
	});

	it('leaves impossible dates to the canonical parser, which refuses them', () => {
		expect(() => readTimeMillis('2023-02-30T00:00:00Z', 'lastOrderAt')).toThrow('lastOrderAt: "2023-02-30T00:00:00Z" is not a date and time');
		expect(() => readTimeMillis('2024-04-31', 'f')).toThrow('is not a date and time');
		expect(() => readTimeMillis('1900-02-29T00:00:00Z', 'f')).toThrow();
		expect(readTimeMillis('2024-02-29T00:00:00Z', 'f')).toBe(Date.UTC(2024, 1, 29));
		expect(readTimeMillis('2000-02-29', 'f')).toBe(Date.UTC(2000, 1, 29));
		expect(() => readTimeMillis('2100-02-29', 'f')).toThrow('is not a date and time');
		expect(readTimeMillis('2024-12-31T23:59:59.999Z', 'f')).toBe(Date.UTC(2024, 11, 31, 23, 59, 59, 999));
	});
});
