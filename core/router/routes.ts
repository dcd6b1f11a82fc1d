/**
 * The default routes (outputs) and the default rules (precedence) that fill them.
 *
 * Precedence of the default rules, first match wins:
 *   1  B2B flag set                                   → B2B Account Manager (before any segment rule, so
 *                                                       wholesale accounts never get a consumer discount)
 *   2  segment Champions / Champion                   → VIP Loyalty
 *   3  segment At Risk / Can't Lose (all schemes)     → Win-back Incentive
 *   4  segment Hibernating / Lost                     → Final Win-back
 *   5  segment Loyal / Loyal Customers                → Replenishment
 *   6  segment New Customers                          → Second Purchase
 *   7  lifecycle stage lapsed                         → Final Win-back
 *   8  lifecycle stage at_risk                        → Win-back Incentive
 *   9  lifecycle stage loyal                          → Replenishment
 *   10 lifecycle stage new                            → Second Purchase
 * The segment decides when it has a route; the lifecycle stage is the fallback for segments without
 * one (the threshold scheme's "Other", Potential Loyalist, About To Sleep, ...). Everything else is Unmatched.
 */
import { DEFAULT_LIFECYCLE_GROUPS, DEFAULT_SEGMENT_GROUPS } from './segmentValues';
import type { RouteDefinition, RoutingRule } from './types';

export const SUPPRESSED_OUTPUT = { key: 'suppressed', name: 'Suppressed' } as const;
export const UNMATCHED_OUTPUT = { key: 'unmatched', name: 'Unmatched' } as const;

export const DEFAULT_ROUTE_KEYS = {
	b2b: 'b2b_account_manager',
	vip: 'vip_loyalty',
	replenishment: 'replenishment',
	winBack: 'win_back_incentive',
	finalWinBack: 'final_win_back',
	secondPurchase: 'second_purchase',
} as const;

export interface DefaultRouteOptions {
	/** Rule 1 (B2B first). Off: B2B items follow the consumer rules; the output stays (and stays empty). */
	b2bRoute: boolean;
	/** Requested discount on Win-back Incentive, in percent (capped by CLV). */
	winBackPercent: number;
	/** Requested discount on Final Win-back, in percent (capped by CLV). */
	finalWinBackPercent: number;
}

export const DEFAULT_ROUTE_OPTIONS: DefaultRouteOptions = { b2bRoute: true, winBackPercent: 10, finalWinBackPercent: 20 };

/** Output order of the default routes; the node adds Suppressed and Unmatched after them. */
export function defaultRoutes(options: DefaultRouteOptions = DEFAULT_ROUTE_OPTIONS): RouteDefinition[] {
	return [
		{
			key: DEFAULT_ROUTE_KEYS.b2b,
			name: 'B2B Account Manager',
			offer: { type: 'none', value: 0, onTopCategory: false },
			timing: { mode: 'now' },
			sequence: [
				{ step: 1, dayOffset: 0, template: 'b2b_rep_introduction' },
				{ step: 2, dayOffset: 7, template: 'b2b_rep_follow_up' },
			],
		},
		{
			key: DEFAULT_ROUTE_KEYS.vip,
			name: 'VIP Loyalty',
			offer: { type: 'none', value: 0, onTopCategory: false },
			timing: { mode: 'now' },
			sequence: [
				{ step: 1, dayOffset: 0, template: 'vip_thank_you' },
				{ step: 2, dayOffset: 7, template: 'vip_early_access' },
				{ step: 3, dayOffset: 21, template: 'vip_referral_invite' },
			],
		},
		{
			key: DEFAULT_ROUTE_KEYS.replenishment,
			name: 'Replenishment',
			offer: { type: 'none', value: 0, onTopCategory: true },
			timing: { mode: 'purchaseCycle' },
			sequence: [
				{ step: 1, dayOffset: 0, template: 'replenishment_reminder' },
				{ step: 2, dayOffset: 5, template: 'replenishment_last_reminder' },
			],
		},
		{
			key: DEFAULT_ROUTE_KEYS.winBack,
			name: 'Win-back Incentive',
			offer: { type: 'percent', value: options.winBackPercent, onTopCategory: true },
			timing: { mode: 'now' },
			sequence: [
				{ step: 1, dayOffset: 0, template: 'win_back_offer' },
				{ step: 2, dayOffset: 5, template: 'win_back_reminder' },
				{ step: 3, dayOffset: 14, template: 'win_back_last_call' },
			],
		},
		{
			key: DEFAULT_ROUTE_KEYS.finalWinBack,
			name: 'Final Win-back',
			offer: { type: 'percent', value: options.finalWinBackPercent, onTopCategory: true },
			timing: { mode: 'now' },
			sequence: [
				{ step: 1, dayOffset: 0, template: 'final_win_back_offer' },
				{ step: 2, dayOffset: 7, template: 'final_win_back_reminder' },
				{ step: 3, dayOffset: 14, template: 'final_win_back_goodbye' },
			],
		},
		{
			key: DEFAULT_ROUTE_KEYS.secondPurchase,
			name: 'Second Purchase',
			offer: { type: 'freeShipping', value: 0, onTopCategory: true },
			timing: { mode: 'purchaseCycle' },
			sequence: [
				{ step: 1, dayOffset: 0, template: 'second_purchase_nudge' },
				{ step: 2, dayOffset: 7, template: 'second_purchase_reminder' },
			],
		},
	];
}

/** The names of the default outputs, in order (without Suppressed and Unmatched). */
export const DEFAULT_ROUTE_NAMES: readonly string[] = defaultRoutes().map((route) => route.name);

export function defaultRules(options: DefaultRouteOptions = DEFAULT_ROUTE_OPTIONS): RoutingRule[] {
	const segment = (number: number, values: readonly string[], routeKey: string): RoutingRule => ({
		id: `Default rule ${number}`,
		routeKey,
		match: 'all',
		conditions: [{ kind: 'segment', values: [...values] }],
	});
	const stage = (number: number, values: readonly string[], routeKey: string): RoutingRule => ({
		id: `Default rule ${number}`,
		routeKey,
		match: 'all',
		conditions: [{ kind: 'lifecycleStage', values: [...values] }],
	});
	const rules: RoutingRule[] = [];
	if (options.b2bRoute) {
		rules.push({ id: 'Default rule 1', routeKey: DEFAULT_ROUTE_KEYS.b2b, match: 'all', conditions: [{ kind: 'b2b', isB2B: true }] });
	}
	rules.push(
		segment(2, DEFAULT_SEGMENT_GROUPS.champions, DEFAULT_ROUTE_KEYS.vip),
		segment(3, DEFAULT_SEGMENT_GROUPS.atRisk, DEFAULT_ROUTE_KEYS.winBack),
		segment(4, DEFAULT_SEGMENT_GROUPS.lapsed, DEFAULT_ROUTE_KEYS.finalWinBack),
		segment(5, DEFAULT_SEGMENT_GROUPS.loyal, DEFAULT_ROUTE_KEYS.replenishment),
		segment(6, DEFAULT_SEGMENT_GROUPS.newCustomers, DEFAULT_ROUTE_KEYS.secondPurchase),
		stage(7, DEFAULT_LIFECYCLE_GROUPS.lapsed, DEFAULT_ROUTE_KEYS.finalWinBack),
		stage(8, DEFAULT_LIFECYCLE_GROUPS.atRisk, DEFAULT_ROUTE_KEYS.winBack),
		stage(9, DEFAULT_LIFECYCLE_GROUPS.loyal, DEFAULT_ROUTE_KEYS.replenishment),
		stage(10, DEFAULT_LIFECYCLE_GROUPS.newCustomers, DEFAULT_ROUTE_KEYS.secondPurchase),
	);
	return rules;
}

/** A route name as a machine key: "VIP high CLV" → "vip_high_clv". */
export function routeKeyFromName(name: string): string {
	return name
		.trim()
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '_')
		.replace(/^_+|_+$/g, '');
}
