/**
 * Stable enum values shared by the RFM Scorer (which writes them), the Win-back Router (which routes
 * on them) and the CRM / Customer.io nodes (which store them). Machine values never change; the labels
 * are what an operator reads. Renaming for display is an option of the nodes, not a change here.
 */

/** The 11-segment map over the 125 R-F-M codes. */
export const RFM_SEGMENTS = {
	champions: 'Champions',
	loyal: 'Loyal',
	potential_loyalist: 'Potential Loyalist',
	new_customers: 'New Customers',
	promising: 'Promising',
	need_attention: 'Need Attention',
	about_to_sleep: 'About To Sleep',
	at_risk: 'At Risk',
	cant_lose_them: "Can't Lose Them",
	hibernating: 'Hibernating',
	lost: 'Lost',
} as const;
export type RfmSegment = keyof typeof RFM_SEGMENTS;

/** The 10-segment map on R and F only, as in the widely used pandas notebooks (their spellings kept). */
export const RF_GRID_SEGMENTS = {
	champions: 'Champions',
	loyal_customers: 'Loyal Customers',
	potential_loyalists: 'Potential Loyalists',
	new_customers: 'New Customers',
	promising: 'Promising',
	need_attention: 'Need Attention',
	about_to_sleep: 'About To Sleep',
	at_Risk: 'At Risk',
	cant_loose: "Can't Lose",
	hibernating: 'Hibernating',
} as const;
export type RfGridSegment = keyof typeof RF_GRID_SEGMENTS;

/** The threshold-rule scheme as stores write it in their CRM picklists. */
export const THRESHOLD_SEGMENTS = {
	Champion: 'Champion',
	At_Risk: 'At Risk',
	Other: 'Other',
} as const;
export type ThresholdSegment = keyof typeof THRESHOLD_SEGMENTS;

export const LIFECYCLE_STAGES = {
	new: 'New',
	early_retention: 'Early Retention',
	loyal: 'Loyal',
	at_risk: 'At Risk',
	lapsed: 'Lapsed',
} as const;
export type LifecycleStage = keyof typeof LIFECYCLE_STAGES;

/**
 * The fields the RFM Scorer writes on each customer item; other nodes read these names.
 * (Documented here so the router, CRM and Customer.io nodes default their field mappings to them.)
 */
export interface RfmCustomerFields {
	customerKey: string;
	accountKey?: string | null;
	recencyDays: number;
	frequency: number;
	monetary: number;
	averageOrderValue: number;
	firstOrderAt: string;
	lastOrderAt: string;
	tenureDays: number;
	averageDaysBetweenOrders: number | null;
	rScore: number;
	fScore: number;
	mScore: number;
	rfmCode: string;
	segment: string;
	segmentLabel: string;
	lifecycleStage: LifecycleStage;
	historicalClv: number;
	simpleClv?: number | null;
	probabilityAlive?: number | null;
	expectedPurchases?: number | null;
	expectedAverageOrderValue?: number | null;
	predictedClv?: number | null;
	previousSegment?: string | null;
	segmentChanged?: boolean;
}

/** The fields the B2B Classifier writes on each item. */
export interface B2bClassificationFields {
	isB2B: boolean;
	score: number;
	reasons: string[];
	emailDomain: string | null;
	accountKey: string | null;
	accountName: string | null;
	disposableEmail: boolean;
}
