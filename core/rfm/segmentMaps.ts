/**
 * The three segment schemes an operator can pick. Machine keys come from core/model/segments.ts and
 * never change; labels can be renamed by the node.
 */
import type { RfGridSegment, RfmSegment, ThresholdSegment } from '../model/segments';
import { RF_GRID_SEGMENTS, RFM_SEGMENTS, THRESHOLD_SEGMENTS } from '../model/segments';

export type SegmentScheme = 'rfm11' | 'rfGrid' | 'threshold';

/**
 * The 11-segment map over the 125 R-F-M codes, as published in the widely copied "RFM segments"
 * table, e.g. Squeezely's RFM app defaults
 * (https://squeezely.atlassian.net/wiki/pages/diffpages.action?originalId=2666070026&pageId=2666070037)
 * and Maestra's RFM segmentation help
 * (https://intercom.help/maestraio/en/articles/11889655-how-does-rfm-segmentation-work).
 * Every one of the 125 codes appears exactly once (checked when the lookup is built).
 */
export const RFM11_CODES: Record<RfmSegment, readonly string[]> = {
	champions: ['555', '554', '544', '545', '454', '455', '445'],
	loyal: ['543', '444', '435', '355', '354', '345', '344', '335'],
	potential_loyalist: [
		'553', '551', '552', '541', '542', '533', '532', '531', '452', '451', '442', '441',
		'431', '453', '433', '432', '423', '353', '352', '351', '342', '341', '333', '323',
	],
	new_customers: ['512', '511', '422', '421', '412', '411', '311'],
	promising: ['525', '524', '523', '522', '521', '515', '514', '513', '425', '424', '413', '414', '415', '315', '314', '313'],
	need_attention: ['535', '534', '443', '434', '343', '334', '325', '324'],
	about_to_sleep: ['331', '321', '312', '221', '213', '231', '241', '251'],
	at_risk: [
		'255', '254', '245', '244', '253', '252', '243', '242', '235', '234', '225',
		'224', '153', '152', '145', '143', '142', '135', '134', '133', '125', '124',
	],
	cant_lose_them: ['155', '154', '144', '214', '215', '115', '114', '113'],
	hibernating: ['332', '322', '233', '232', '223', '222', '132', '123', '122', '212', '211'],
	lost: ['111', '112', '121', '131', '141', '151'],
};

const codeIndex = (r: number, f: number, m: number): number => (r - 1) * 25 + (f - 1) * 5 + (m - 1);

const RFM11_LOOKUP: RfmSegment[] = (() => {
	const lookup = new Array<RfmSegment | undefined>(125);
	for (const [segment, codes] of Object.entries(RFM11_CODES) as Array<[RfmSegment, readonly string[]]>) {
		for (const code of codes) {
			const i = codeIndex(Number(code[0]), Number(code[1]), Number(code[2]));
			if (lookup[i] !== undefined) throw new Error(`RFM code ${code} is mapped twice`);
			lookup[i] = segment;
		}
	}
	if (lookup.some((s) => s === undefined) || lookup.length !== 125) throw new Error('the RFM segment map must cover all 125 codes');
	return lookup as RfmSegment[];
})();

export function rfm11Segment(r: number, f: number, m: number): RfmSegment {
	return RFM11_LOOKUP[codeIndex(r, f, m)];
}

/**
 * The 10-segment R-F grid of the pandas notebooks (their regex map on the two-digit "RF" string):
 * [1-2][1-2] hibernating, [1-2][3-4] at_Risk, [1-2]5 cant_loose, 3[1-2] about_to_sleep,
 * 33 need_attention, [3-4][4-5] loyal_customers, 41 promising, 51 new_customers,
 * [4-5][2-3] potential_loyalists, 5[4-5] champions.
 */
export function rfGridSegment(r: number, f: number): RfGridSegment {
	if (r <= 2) return f <= 2 ? 'hibernating' : f <= 4 ? 'at_Risk' : 'cant_loose';
	if (r === 3) return f <= 2 ? 'about_to_sleep' : f === 3 ? 'need_attention' : 'loyal_customers';
	if (f >= 4) return r === 4 ? 'loyal_customers' : 'champions';
	if (f === 1) return r === 4 ? 'promising' : 'new_customers';
	return 'potential_loyalists';
}

/** The threshold rules stores write in their CRM; every number is an operator setting. */
export interface ThresholdRules {
	/** Champion when recency is below this many days... */
	championMaxRecencyDays: number;
	/** ...and at least this many orders... */
	championMinFrequency: number;
	/** ...and spend above this amount. */
	championMinMonetary: number;
	/** At_Risk when recency is above this many days... */
	atRiskMinRecencyDays: number;
	/** ...and at least this many orders. */
	atRiskMinFrequency: number;
}

export const DEFAULT_THRESHOLD_RULES: ThresholdRules = {
	championMaxRecencyDays: 30,
	championMinFrequency: 3,
	championMinMonetary: 1000,
	atRiskMinRecencyDays: 180,
	atRiskMinFrequency: 5,
};

export function thresholdSegment(recencyDays: number, frequency: number, monetary: number, rules: ThresholdRules): ThresholdSegment {
	if (recencyDays < rules.championMaxRecencyDays && frequency >= rules.championMinFrequency && monetary > rules.championMinMonetary) return 'Champion';
	if (recencyDays > rules.atRiskMinRecencyDays && frequency >= rules.atRiskMinFrequency) return 'At_Risk';
	return 'Other';
}

/** Default display labels of a scheme, keyed by machine key. */
export function defaultLabels(scheme: SegmentScheme): Record<string, string> {
	if (scheme === 'rfm11') return { ...RFM_SEGMENTS };
	if (scheme === 'rfGrid') return { ...RF_GRID_SEGMENTS };
	return { ...THRESHOLD_SEGMENTS };
}
