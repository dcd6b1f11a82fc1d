import type { RouterSettings, SuppressionSettings } from '../../../core/router';
import { DEFAULT_FIELD_NAMES, compileRouter, defaultRoutes, defaultRules } from '../../../core/router';

/** 2024-06-01T00:00:00Z: the fixed "now" of the router tests. */
export const REFERENCE = Date.UTC(2024, 5, 1);
export const DAY = 86_400_000;
export const HOUR = 3_600_000;

export const NO_SUPPRESSION: SuppressionSettings = {
	unsubscribed: false,
	requireConsent: false,
	openSupportCase: false,
	activeSubscription: false,
	recentPurchaseDays: null,
	frequencyCapDays: null,
	segmentDebounceHours: null,
	otherJourney: false,
};

export const ALL_SUPPRESSION: SuppressionSettings = {
	unsubscribed: true,
	requireConsent: false,
	openSupportCase: true,
	activeSubscription: true,
	recentPurchaseDays: 7,
	frequencyCapDays: 3,
	segmentDebounceHours: 24,
	otherJourney: true,
};

/** The default routes and rules, no suppression, 10 % CLV cap, reference time REFERENCE. */
export function defaultSettings(overrides: Partial<RouterSettings> = {}): RouterSettings {
	return {
		routes: defaultRoutes(),
		rules: defaultRules(),
		suppression: NO_SUPPRESSION,
		fields: { ...DEFAULT_FIELD_NAMES },
		maxDiscountShareOfClv: 10,
		referenceTime: REFERENCE,
		defaultGapDays: 0,
		...overrides,
	};
}

export function routeOf(json: Record<string, unknown>, overrides: Partial<RouterSettings> = {}) {
	const router = compileRouter(defaultSettings(overrides));
	const decision = router.route(json);
	return { ...decision, outputName: router.outputNames[decision.output] };
}

export function iso(millis: number): string {
	return new Date(millis).toISOString();
}
