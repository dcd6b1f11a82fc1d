import { DEFAULT_ROUTE_KEYS, compileRouter, defaultRules } from '../../../core/router';
import { LIFECYCLE_STAGES, RF_GRID_SEGMENTS, RFM_SEGMENTS, THRESHOLD_SEGMENTS } from '../../../core/model/segments';
import { REFERENCE, defaultSettings, iso, routeOf } from './routerFixtures';

const { b2b, vip, replenishment, winBack, finalWinBack, secondPurchase } = DEFAULT_ROUTE_KEYS;

describe('default routes: outputs', () => {
	it('has one output per default route, then Suppressed and Unmatched, in this order', () => {
		expect(compileRouter(defaultSettings()).outputNames).toEqual([
			'B2B Account Manager',
			'VIP Loyalty',
			'Replenishment',
			'Win-back Incentive',
			'Final Win-back',
			'Second Purchase',
			'Suppressed',
			'Unmatched',
		]);
	});
});

describe('default routes: every segment key of the three schemes', () => {
	// [segment, expected route]; segments without a default route fall through to Unmatched (no stage given).
	const rfm11: Array<[keyof typeof RFM_SEGMENTS, string]> = [
		['champions', vip],
		['loyal', replenishment],
		['at_risk', winBack],
		['cant_lose_them', winBack],
		['hibernating', finalWinBack],
		['lost', finalWinBack],
		['new_customers', secondPurchase],
		['potential_loyalist', 'unmatched'],
		['promising', 'unmatched'],
		['need_attention', 'unmatched'],
		['about_to_sleep', 'unmatched'],
	];
	const rfGrid10: Array<[keyof typeof RF_GRID_SEGMENTS, string]> = [
		['champions', vip],
		['loyal_customers', replenishment],
		['at_Risk', winBack],
		['cant_loose', winBack],
		['hibernating', finalWinBack],
		['new_customers', secondPurchase],
		['potential_loyalists', 'unmatched'],
		['promising', 'unmatched'],
		['need_attention', 'unmatched'],
		['about_to_sleep', 'unmatched'],
	];
	const threshold: Array<[keyof typeof THRESHOLD_SEGMENTS, string]> = [
		['Champion', vip],
		['At_Risk', winBack],
		['Other', 'unmatched'],
	];

	it('covers every key of every scheme in these tables', () => {
		expect(rfm11.map(([key]) => key).sort()).toEqual(Object.keys(RFM_SEGMENTS).sort());
		expect(rfGrid10.map(([key]) => key).sort()).toEqual(Object.keys(RF_GRID_SEGMENTS).sort());
		expect(threshold.map(([key]) => key).sort()).toEqual(Object.keys(THRESHOLD_SEGMENTS).sort());
	});

	it.each([...rfm11, ...rfGrid10, ...threshold])('segment %s → %s', (segment, expected) => {
		expect(routeOf({ segment }).fields.route).toBe(expected);
	});

	it.each([
		["Can't Lose Them", winBack],
		["Can't Lose", winBack],
		['At Risk', winBack],
		['Loyal Customers', replenishment],
		['  CHAMPIONS ', vip],
		['New Customers', secondPurchase],
	])('the label %j (as CRMs store it) routes like its key → %s', (segment, expected) => {
		expect(routeOf({ segment }).fields.route).toBe(expected);
	});
});

describe('default routes: lifecycle stage when the segment has no route', () => {
	const stages: Array<[keyof typeof LIFECYCLE_STAGES, string]> = [
		['lapsed', finalWinBack],
		['at_risk', winBack],
		['loyal', replenishment],
		['new', secondPurchase],
		['early_retention', 'unmatched'],
	];

	it('covers every lifecycle stage', () => {
		expect(stages.map(([stage]) => stage).sort()).toEqual(Object.keys(LIFECYCLE_STAGES).sort());
	});

	it.each(stages)('threshold segment "Other" with stage %s → %s', (lifecycleStage, expected) => {
		expect(routeOf({ segment: 'Other', lifecycleStage }).fields.route).toBe(expected);
	});

	it('uses the stage when the item has no segment at all', () => {
		expect(routeOf({ lifecycleStage: 'lapsed' }).fields.route).toBe(finalWinBack);
	});

	it('About To Sleep with stage at_risk → Win-back Incentive (rule 8)', () => {
		const decision = routeOf({ segment: 'about_to_sleep', lifecycleStage: 'at_risk' });
		expect(decision.fields.route).toBe(winBack);
		expect(decision.fields.matchedRule).toBe('Default rule 8: lifecycle stage is one of at_risk');
	});
});

describe('default routes: precedence (first matching rule wins)', () => {
	it('B2B comes before every segment rule: a B2B champion gets the account manager, not VIP', () => {
		const decision = routeOf({ segment: 'champions', isB2B: true });
		expect(decision.fields.route).toBe(b2b);
		expect(decision.fields.matchedRule).toBe('Default rule 1: customer is B2B');
	});

	it('B2B beats a win-back segment too, so wholesale accounts never get a consumer discount', () => {
		const decision = routeOf({ segment: 'cant_lose_them', isB2B: 'yes', predictedClv: 10_000, averageOrderValue: 500 });
		expect(decision.fields.route).toBe(b2b);
		expect(decision.fields.offer?.type).toBe('none');
	});

	it('isB2B false or absent follows the consumer rules', () => {
		expect(routeOf({ segment: 'champions', isB2B: false }).fields.route).toBe(vip);
		expect(routeOf({ segment: 'champions' }).fields.route).toBe(vip);
	});

	it('with the B2B rule off, a B2B champion goes to VIP and the B2B output stays in place', () => {
		const settings = { rules: defaultRules({ b2bRoute: false, winBackPercent: 10, finalWinBackPercent: 20 }) };
		const decision = routeOf({ segment: 'champions', isB2B: true }, settings);
		expect(decision.fields.route).toBe(vip);
		expect(decision.output).toBe(1);
	});

	it('the segment decides before the lifecycle stage', () => {
		const decision = routeOf({ segment: 'loyal', lifecycleStage: 'lapsed' });
		expect(decision.fields.route).toBe(replenishment);
		expect(decision.fields.matchedRule).toBe('Default rule 5: segment is one of loyal, loyal_customers');
	});
});

describe('default routes: what a routed item carries', () => {
	it('route, routeName, matchedRule, reasons, offer, sendAt and the dated sequence', () => {
		const decision = routeOf({ segment: 'at_risk', lifecycleStage: 'at_risk', predictedClv: 400, averageOrderValue: 50, topCategory: 'Coffee' });
		expect(decision.outputName).toBe('Win-back Incentive');
		expect(decision.fields).toMatchObject({
			route: 'win_back_incentive',
			routeName: 'Win-back Incentive',
			matchedRule: 'Default rule 3: segment is one of at_risk, cant_lose_them, at_Risk, cant_loose, At_Risk',
			suppressedBy: [],
			sendAt: iso(REFERENCE),
		});
		expect(decision.fields.reasons).toEqual([
			'Route "Win-back Incentive" by Default rule 3: segment is one of at_risk, cant_lose_them, at_Risk, cant_loose, At_Risk (segment: "at_risk", lifecycle stage: "at_risk")',
			'10% off on Coffee (10% of average order 50.00 = 5.00, within 10% of CLV 400.00 (predictedClv) = 40.00)',
			'Send now',
		]);
		expect(decision.fields.offer).toMatchObject({ type: 'percent', value: 10, category: 'Coffee', capped: false });
		expect(decision.fields.sequence).toEqual([
			{ step: 1, dayOffset: 0, template: 'win_back_offer', sendAt: '2024-06-01T00:00:00.000Z' },
			{ step: 2, dayOffset: 5, template: 'win_back_reminder', sendAt: '2024-06-06T00:00:00.000Z' },
			{ step: 3, dayOffset: 14, template: 'win_back_last_call', sendAt: '2024-06-15T00:00:00.000Z' },
		]);
	});

	it('Final Win-back asks for 20 % and the B2B route offers no discount', () => {
		const lost = routeOf({ segment: 'lost', predictedClv: 1000, averageOrderValue: 100 });
		expect(lost.fields.offer).toMatchObject({ type: 'percent', value: 20, requested: { type: 'percent', value: 20 } });
		const account = routeOf({ segment: 'lost', isB2B: true, predictedClv: 1000, averageOrderValue: 100 });
		expect(account.fields.offer).toMatchObject({ type: 'none', value: 0 });
		expect(account.fields.sequence.map((step) => step.template)).toEqual(['b2b_rep_introduction', 'b2b_rep_follow_up']);
	});

	it('Replenishment is timed to the purchase cycle', () => {
		const decision = routeOf({ segment: 'loyal', lastOrderAt: '2024-05-20T00:00:00Z', averageDaysBetweenOrders: 30 });
		expect(decision.fields.sendAt).toBe('2024-06-19T00:00:00.000Z');
		expect(decision.fields.reasons[2]).toBe('Send on 2024-06-19: last order 2024-05-20 + usual gap 30 days');
	});

	it('customers sent at the reference time share one frozen sequence; a purchase-cycle date gets the customer\'s own', () => {
		const router = compileRouter(defaultSettings());
		const due = (lastOrderAt: string) => router.route({ segment: 'loyal', lastOrderAt, averageDaysBetweenOrders: 30 }).fields;
		const [overdueA, overdueB] = [due('2024-01-10T00:00:00Z'), due('2024-02-10T08:00:00Z')];
		expect(overdueA.sendAt).toBe(iso(REFERENCE));
		expect(overdueB.sequence).toBe(overdueA.sequence);
		expect(Object.isFrozen(overdueA.sequence) && overdueA.sequence.every((step) => Object.isFrozen(step))).toBe(true);
		const [ownA, ownB] = [due('2024-05-20T00:00:00Z'), due('2024-05-21T06:30:00Z')];
		expect([ownA.sendAt, ownB.sendAt]).toEqual(['2024-06-19T00:00:00.000Z', '2024-06-20T06:30:00.000Z']);
		expect(ownA.sequence[0]).toMatchObject({ step: 1, dayOffset: 0, sendAt: '2024-06-19T00:00:00.000Z' });
		expect(ownB.sequence[0]).toMatchObject({ step: 1, dayOffset: 0, sendAt: '2024-06-20T06:30:00.000Z' });
		expect(ownB.sequence).not.toBe(ownA.sequence);
	});
});

describe('default routes: items missing fields go to Unmatched with the reason', () => {
	it('no segment and no stage', () => {
		const decision = routeOf({ customerKey: 'c1' });
		expect(decision.outputName).toBe('Unmatched');
		expect(decision.fields).toMatchObject({ route: 'unmatched', routeName: 'Unmatched', matchedRule: null, offer: null, sendAt: null, sequence: [] });
		expect(decision.fields.reasons).toEqual([
			'No route matched (segment: none, lifecycle stage: none)',
			'Field "segment" is missing on the item',
			'Field "lifecycleStage" is missing on the item',
		]);
	});

	it('null and empty values count as missing', () => {
		const decision = routeOf({ segment: null, lifecycleStage: '' });
		expect(decision.fields.reasons).toContain('Field "segment" is missing on the item');
		expect(decision.fields.reasons).toContain('Field "lifecycleStage" is missing on the item');
	});

	it('a segment with no route and no stage names the missing stage', () => {
		expect(routeOf({ segment: 'promising' }).fields.reasons).toEqual([
			'No route matched (segment: "promising", lifecycle stage: none)',
			'Field "lifecycleStage" is missing on the item',
		]);
	});

	it('a segment that is an object is unreadable: Unmatched, naming the field and the setting', () => {
		const decision = routeOf({ segment: { code: 'x' } });
		expect(decision.fields.route).toBe('unmatched');
		expect(decision.fields.reasons).toEqual([
			'Field "segment": is a list or an object, expected a segment or stage name — fix the value on the item or change "Segment Field"',
		]);
	});

	it('a B2B flag that is not yes/no is unreadable: Unmatched rather than guessing', () => {
		const decision = routeOf({ segment: 'at_risk', isB2B: 'maybe' });
		expect(decision.fields.route).toBe('unmatched');
		expect(decision.fields.reasons[0]).toMatch(/^Field "isB2B": "maybe" is not a yes\/no value .* change "B2B Flag Field"$/);
	});

	it('mapped field names are honoured (dot paths)', () => {
		const fields = { ...defaultSettings().fields, segment: 'rfm.segment', lifecycleStage: 'rfm.stage' };
		expect(routeOf({ rfm: { segment: 'hibernating', stage: 'lapsed' } }, { fields }).fields.route).toBe(finalWinBack);
	});
});
