/**
 * The router's settings and results as plain data. The node translates its parameters into
 * RouterSettings; compileRouter turns them into one function applied to every item.
 */
import type { B2bClassificationFields, RfmCustomerFields } from '../model/segments';

/** Where the router reads each value on an item (dot paths allowed). Defaults: DEFAULT_FIELD_NAMES. */
export interface FieldNames {
	segment: string;
	lifecycleStage: string;
	isB2B: string;
	predictedClv: string;
	historicalClv: string;
	averageOrderValue: string;
	topCategory: string;
	currency: string;
	lastOrderAt: string;
	averageDaysBetweenOrders: string;
	lastRefundAt: string;
	unsubscribed: string;
	marketingConsent: string;
	openSupportCase: string;
	activeSubscription: string;
	lastContactedAt: string;
	segmentChangedAt: string;
	segmentChanged: string;
	activeJourney: string;
}

type RfmField = keyof RfmCustomerFields;
type B2bField = keyof B2bClassificationFields;

/**
 * The names the RFM Scorer and B2B Classifier write (checked against their interfaces at compile time),
 * and the canonical Customer's consent path; the rest are the names we document for CRM/helpdesk data.
 */
export const DEFAULT_FIELD_NAMES: FieldNames = {
	segment: 'segment' satisfies RfmField,
	lifecycleStage: 'lifecycleStage' satisfies RfmField,
	isB2B: 'isB2B' satisfies B2bField,
	predictedClv: 'predictedClv' satisfies RfmField,
	historicalClv: 'historicalClv' satisfies RfmField,
	averageOrderValue: 'averageOrderValue' satisfies RfmField,
	topCategory: 'topCategory',
	currency: 'currency',
	lastOrderAt: 'lastOrderAt' satisfies RfmField,
	averageDaysBetweenOrders: 'averageDaysBetweenOrders' satisfies RfmField,
	lastRefundAt: 'lastRefundAt',
	unsubscribed: 'unsubscribed',
	marketingConsent: 'consent.emailMarketing',
	openSupportCase: 'hasOpenSupportCase',
	activeSubscription: 'hasActiveSubscription',
	lastContactedAt: 'lastContactedAt',
	segmentChangedAt: 'segmentChangedAt',
	segmentChanged: 'segmentChanged' satisfies RfmField,
	activeJourney: 'activeJourney',
};

/** How each field mapping reads on the canvas, for messages that tell the operator what to change. */
export const FIELD_LABELS: Record<keyof FieldNames, string> = {
	segment: 'Segment Field',
	lifecycleStage: 'Lifecycle Stage Field',
	isB2B: 'B2B Flag Field',
	predictedClv: 'Predicted CLV Field',
	historicalClv: 'Historical CLV Field',
	averageOrderValue: 'Average Order Value Field',
	topCategory: 'Top Category Field',
	currency: 'Currency Field',
	lastOrderAt: 'Last Order At Field',
	averageDaysBetweenOrders: 'Average Days Between Orders Field',
	lastRefundAt: 'Last Refund At Field',
	unsubscribed: 'Unsubscribed Field',
	marketingConsent: 'Marketing Consent Field',
	openSupportCase: 'Open Support Case Field',
	activeSubscription: 'Active Subscription Field',
	lastContactedAt: 'Last Contacted At Field',
	segmentChangedAt: 'Segment Changed At Field',
	segmentChanged: 'Segment Changed Flag Field',
	activeJourney: 'Active Journey Field',
};

export type FieldOperator =
	| 'equals'
	| 'notEquals'
	| 'oneOf'
	| 'contains'
	| 'startsWith'
	| 'greaterThan'
	| 'greaterOrEqual'
	| 'lessThan'
	| 'lessOrEqual'
	| 'isTrue'
	| 'isFalse'
	| 'exists'
	| 'notExists'
	| 'withinLastDays'
	| 'olderThanDays';

export type Condition =
	/** The segment (any of the three schemes; keys or labels) is one of `values`. */
	| { kind: 'segment'; values: string[] }
	| { kind: 'lifecycleStage'; values: string[] }
	/** The B2B Classifier's flag equals `isB2B`; an item without the flag counts as not B2B. */
	| { kind: 'b2b'; isB2B: boolean }
	/** min ≤ CLV < max, CLV being predictedClv, else historicalClv; null = unbounded. */
	| { kind: 'clvBand'; min: number | null; max: number | null }
	| { kind: 'field'; field: string; operator: FieldOperator; value: string };

export interface RoutingRule {
	/** Shown in `matchedRule`: "Default rule 3" or "Route 2". */
	id: string;
	routeKey: string;
	match: 'all' | 'any';
	conditions: Condition[];
}

export type OfferType = 'none' | 'percent' | 'fixed' | 'freeShipping';

export interface OfferRule {
	type: OfferType;
	/** Percent (10 = 10 %), amount, or the estimated shipping cost for free shipping (0 = not capped). */
	value: number;
	/** Put the customer's top category on the offer (else the offer is store-wide). */
	onTopCategory: boolean;
}

export type SendTiming = { mode: 'now' } | { mode: 'purchaseCycle' } | { mode: 'delay'; days: number };

export interface SequenceStep {
	step: number;
	dayOffset: number;
	template: string;
}

export interface RouteDefinition {
	/** Machine value written as `route` (e.g. `win_back_incentive`). */
	key: string;
	/** The output's label on the canvas, written as `routeName`. */
	name: string;
	offer: OfferRule;
	timing: SendTiming;
	sequence: SequenceStep[];
}

export type SuppressionReason =
	| 'unsubscribed'
	| 'noConsent'
	| 'openSupportCase'
	| 'activeSubscription'
	| 'recentPurchase'
	| 'frequencyCap'
	| 'segmentDebounce'
	| 'otherJourney';

export interface SuppressionSettings {
	/** Unsubscribed, or marketing consent explicitly false. */
	unsubscribed: boolean;
	/** With `unsubscribed`: also suppress when the consent field is missing (consent must be given). */
	requireConsent: boolean;
	openSupportCase: boolean;
	activeSubscription: boolean;
	/** Days; null = off. Purchased or refunded within this many days before the reference time. */
	recentPurchaseDays: number | null;
	/** Days; null = off. Contacted within this many days before the reference time. */
	frequencyCapDays: number | null;
	/** Hours; null = off. Segment changed less than this many hours before the reference time. */
	segmentDebounceHours: number | null;
	otherJourney: boolean;
}

export interface RouterSettings {
	/** Output order: these routes, then Suppressed, then Unmatched. */
	routes: RouteDefinition[];
	/** Precedence order: the first rule that matches decides the route. */
	rules: RoutingRule[];
	suppression: SuppressionSettings;
	fields: FieldNames;
	/** A discount never exceeds this percentage of the customer's CLV (0 to 100). */
	maxDiscountShareOfClv: number;
	/** "Now" for every time comparison and send time, in epoch milliseconds (fixed for reproducible runs). */
	referenceTime: number;
	/** With purchase-cycle timing: the gap to assume when the customer has no usual gap (0 = send now). */
	defaultGapDays: number;
}

/** The offer written on each routed item. */
export interface RoutedOffer {
	type: OfferType;
	/** Percent, amount, or estimated shipping cost granted (after the CLV cap). */
	value: number;
	currency: string | null;
	/** The customer's top category the offer applies to; null = store-wide. */
	category: string | null;
	requested: { type: OfferType; value: number };
	/** The CLV cap lowered the requested value. */
	capped: boolean;
	/** The discount was dropped (type became "none"): the cap left nothing or the CLV/order value was unknown. */
	withheld: boolean;
	clv: number | null;
	clvSource: 'predictedClv' | 'historicalClv' | null;
	/** The most discount the cap allows: share × CLV. */
	maxDiscount: number | null;
	/** What the granted discount is expected to cost on one order. */
	estimatedDiscount: number | null;
	summary: string;
}

export interface RoutedStep extends SequenceStep {
	sendAt: string;
}

/** The fields the Win-back Router writes on every item (other nodes and templates read these names). */
export interface WinBackRoutingFields {
	route: string;
	routeName: string;
	/** Why the item took this output, in an operator's words. */
	reasons: string[];
	/** The rule that decided ("Default rule 3: ...", "Suppression", or null when unmatched). */
	matchedRule: string | null;
	suppressedBy: SuppressionReason[];
	offer: RoutedOffer | null;
	sendAt: string | null;
	sequence: RoutedStep[];
}

export interface RoutingDecision {
	/** Index into the node's outputs. */
	output: number;
	fields: WinBackRoutingFields;
}
