import type { SuppressionSettings } from '../../../core/router';
import { DEFAULT_FIELD_NAMES } from '../../../core/router';
import { ALL_SUPPRESSION, DAY, HOUR, NO_SUPPRESSION, REFERENCE, iso, routeOf } from './routerFixtures';

/** A customer every default rule would route (win-back), with nothing that suppresses. */
const CUSTOMER = { customerKey: 'c1', segment: 'at_risk', lifecycleStage: 'at_risk', predictedClv: 500, averageOrderValue: 60, lastOrderAt: iso(REFERENCE - 90 * DAY) };

function suppress(extra: Record<string, unknown>, suppression: Partial<SuppressionSettings> = {}) {
	return routeOf({ ...CUSTOMER, ...extra }, { suppression: { ...ALL_SUPPRESSION, ...suppression } });
}

describe('suppression', () => {
	it('a customer with nothing to suppress is routed with every check on', () => {
		const decision = suppress({});
		expect(decision.fields.route).toBe('win_back_incentive');
		expect(decision.fields.suppressedBy).toEqual([]);
	});

	it.each<[string, Record<string, unknown>, string, string]>([
		['unsubscribed', { unsubscribed: true }, 'unsubscribed', 'Unsubscribed (field "unsubscribed" is yes)'],
		['unsubscribed written as text', { unsubscribed: 'Yes' }, 'unsubscribed', 'Unsubscribed (field "unsubscribed" is yes)'],
		['no marketing consent', { consent: { emailMarketing: false } }, 'noConsent', 'No marketing consent (field "consent.emailMarketing" is no)'],
		['open support case', { hasOpenSupportCase: true }, 'openSupportCase', 'Open support case (field "hasOpenSupportCase" is yes)'],
		['open support cases as a count', { hasOpenSupportCase: 2 }, 'openSupportCase', 'Open support case (field "hasOpenSupportCase" is 2)'],
		['active subscription', { hasActiveSubscription: 'true' }, 'activeSubscription', 'Active subscription (field "hasActiveSubscription" is "true")'],
		[
			'purchased within the exit window',
			{ lastOrderAt: iso(REFERENCE - 2 * DAY) },
			'recentPurchase',
			'Purchased 2 days ago (2024-05-30), within the 7-day exit window',
		],
		[
			'refunded within the exit window',
			{ lastRefundAt: iso(REFERENCE - 36 * HOUR) },
			'recentPurchase',
			'Refunded 1.5 days ago (2024-05-30 12:00 UTC), within the 7-day exit window',
		],
		[
			'contacted within the frequency cap',
			{ lastContactedAt: iso(REFERENCE - 30 * HOUR) },
			'frequencyCap',
			'Contacted 1.3 days ago (2024-05-30 18:00 UTC), within the 3-day frequency cap',
		],
		[
			'segment changed within the debounce window',
			{ segmentChangedAt: iso(REFERENCE - 5 * HOUR) },
			'segmentDebounce',
			'Segment changed 5 hours ago (2024-05-31 19:00 UTC), less than 24 hours: waiting until it settles',
		],
		[
			'segment changed in this scoring run (flag, no time)',
			{ segmentChanged: true },
			'segmentDebounce',
			'Segment changed in this scoring run (field "segmentChanged" is yes, no "segmentChangedAt"): waiting 24 hours until it settles',
		],
		['in another journey (name)', { activeJourney: 'Abandoned cart' }, 'otherJourney', 'In another journey: "Abandoned cart"'],
		['in other journeys (list)', { activeJourney: ['Abandoned cart', 'Browse'] }, 'otherJourney', 'In another journey: Abandoned cart, Browse'],
		['in another journey (flag)', { activeJourney: true }, 'otherJourney', 'In another journey (field "activeJourney" is yes)'],
	])('%s → Suppressed', (_label, extra, code, reason) => {
		const decision = suppress(extra);
		expect(decision.outputName).toBe('Suppressed');
		expect(decision.fields).toMatchObject({ route: 'suppressed', routeName: 'Suppressed', matchedRule: 'Suppression', offer: null, sendAt: null, sequence: [] });
		expect(decision.fields.suppressedBy).toEqual([code]);
		expect(decision.fields.reasons).toEqual([reason]);
	});

	it('suppression beats routing and lists every reason that applies, in check order', () => {
		const decision = suppress({ activeJourney: 'VIP', unsubscribed: true, hasOpenSupportCase: 'yes', lastContactedAt: iso(REFERENCE - DAY) });
		expect(decision.fields.suppressedBy).toEqual(['unsubscribed', 'openSupportCase', 'frequencyCap', 'otherJourney']);
		expect(decision.fields.reasons).toHaveLength(4);
	});

	it('suppression beats the B2B route as well', () => {
		expect(suppress({ isB2B: true, unsubscribed: true }).fields.route).toBe('suppressed');
	});

	it.each<[string, Record<string, unknown>]>([
		['not unsubscribed', { unsubscribed: false }],
		['consent given', { consent: { emailMarketing: true } }],
		['no support case (0 open)', { hasOpenSupportCase: 0 }],
		['subscription inactive ("no")', { hasActiveSubscription: 'no' }],
		['last order outside the exit window (8 days)', { lastOrderAt: iso(REFERENCE - 8 * DAY) }],
		['purchase exactly 7 days ago is inside the window, 7 days + 1 ms is outside', { lastOrderAt: iso(REFERENCE - 7 * DAY - 1) }],
		['contact exactly 3 days ago no longer blocks', { lastContactedAt: iso(REFERENCE - 3 * DAY) }],
		['segment changed 24 hours ago has settled', { segmentChangedAt: iso(REFERENCE - 24 * HOUR) }],
		['change time wins over the flag', { segmentChanged: true, segmentChangedAt: iso(REFERENCE - 30 * HOUR) }],
		['journey "none"', { activeJourney: 'none' }],
		['journey false', { activeJourney: false }],
		['empty journey list', { activeJourney: [] }],
	])('does not suppress: %s', (_label, extra) => {
		expect(suppress(extra).fields.route).toBe('win_back_incentive');
	});

	it('the exit window is inclusive: a purchase exactly N days ago still suppresses', () => {
		expect(suppress({ lastOrderAt: iso(REFERENCE - 7 * DAY) }).fields.suppressedBy).toEqual(['recentPurchase']);
	});

	it('absent fields never suppress (unless consent is required)', () => {
		const decision = routeOf({ segment: 'at_risk' }, { suppression: ALL_SUPPRESSION });
		expect(decision.fields.route).toBe('win_back_incentive');
	});

	it('"Require Marketing Consent" suppresses customers without a consent value', () => {
		const decision = suppress({}, { requireConsent: true });
		expect(decision.fields.suppressedBy).toEqual(['noConsent']);
		expect(decision.fields.reasons).toEqual(['No marketing consent on record (field "consent.emailMarketing" is missing and consent is required)']);
		expect(suppress({ consent: { emailMarketing: true } }, { requireConsent: true }).fields.route).toBe('win_back_incentive');
	});

	it('each check can be switched off on its own', () => {
		const off: Array<[Partial<SuppressionSettings>, Record<string, unknown>]> = [
			[{ unsubscribed: false }, { unsubscribed: true }],
			[{ openSupportCase: false }, { hasOpenSupportCase: true }],
			[{ activeSubscription: false }, { hasActiveSubscription: true }],
			[{ recentPurchaseDays: null }, { lastOrderAt: iso(REFERENCE - DAY) }],
			[{ frequencyCapDays: null }, { lastContactedAt: iso(REFERENCE - HOUR) }],
			[{ segmentDebounceHours: null }, { segmentChangedAt: iso(REFERENCE - HOUR) }],
			[{ otherJourney: false }, { activeJourney: 'Welcome' }],
		];
		for (const [setting, extra] of off) {
			expect(suppress(extra).fields.route).toBe('suppressed');
			expect(suppress(extra, setting).fields.route).toBe('win_back_incentive');
		}
	});

	it('with no check enabled nothing is suppressed', () => {
		const decision = routeOf({ ...CUSTOMER, unsubscribed: true, activeJourney: 'X' }, { suppression: NO_SUPPRESSION });
		expect(decision.fields.route).toBe('win_back_incentive');
	});

	it('windows follow the configured lengths', () => {
		expect(suppress({ lastContactedAt: iso(REFERENCE - 5 * DAY) }, { frequencyCapDays: 7 }).fields.suppressedBy).toEqual(['frequencyCap']);
		expect(suppress({ segmentChangedAt: iso(REFERENCE - 30 * HOUR) }, { segmentDebounceHours: 48 }).fields.suppressedBy).toEqual(['segmentDebounce']);
		expect(suppress({ lastOrderAt: iso(REFERENCE - 20 * DAY) }, { recentPurchaseDays: 30 }).fields.suppressedBy).toEqual(['recentPurchase']);
	});

	it('uses the mapped field names', () => {
		const decision = routeOf({ ...CUSTOMER, crm: { optedOut: 1 } }, { suppression: ALL_SUPPRESSION, fields: { ...DEFAULT_FIELD_NAMES, unsubscribed: 'crm.optedOut' } });
		expect(decision.fields.reasons).toEqual(['Unsubscribed (field "crm.optedOut" is yes)']);
	});

	it('an unreadable date goes to Unmatched with the field, the problem and the setting to change', () => {
		const decision = suppress({ lastContactedAt: 'last Tuesday' });
		expect(decision.fields.route).toBe('unmatched');
		expect(decision.fields.reasons).toHaveLength(1);
		expect(decision.fields.reasons[0]).toMatch(/^Field "lastContactedAt": "last Tuesday" is not a date and time .* change "Last Contacted At Field"$/);
	});

	it('an unreadable yes/no goes to Unmatched', () => {
		const decision = suppress({ unsubscribed: 'perhaps' });
		expect(decision.fields.route).toBe('unmatched');
		expect(decision.fields.reasons[0]).toContain('change "Unsubscribed Field"');
	});

	it('dates in other accepted formats are read (epoch seconds, offsets, "YYYY-MM-DD HH:mm:ss")', () => {
		expect(suppress({ lastContactedAt: Math.floor((REFERENCE - DAY) / 1000) }).fields.suppressedBy).toEqual(['frequencyCap']);
		expect(suppress({ lastContactedAt: '2024-05-31T02:00:00+02:00' }).fields.suppressedBy).toEqual(['frequencyCap']);
		expect(suppress({ lastContactedAt: '2024-05-31 00:00:00' }).fields.suppressedBy).toEqual(['frequencyCap']);
	});
});
