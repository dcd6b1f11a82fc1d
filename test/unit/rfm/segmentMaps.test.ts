import { RF_GRID_SEGMENTS, RFM_SEGMENTS } from '../../../core/model/segments';
import { DEFAULT_THRESHOLD_RULES, rfGridSegment, rfm11Segment, thresholdSegment } from '../../../core/rfm/segmentMaps';

/**
 * The published 11-segment table, transcribed here independently of core/rfm from
 * https://squeezely.atlassian.net/wiki/pages/diffpages.action?originalId=2666070026&pageId=2666070037
 * (same codes as https://intercom.help/maestraio/en/articles/11889655-how-does-rfm-segmentation-work).
 */
const PUBLISHED_TABLE: Array<[string, string]> = [
	['Champions', '555, 554, 544, 545, 454, 455, 445'],
	['Loyal', '543, 444, 435, 355, 354, 345, 344, 335'],
	['Potential Loyalist', '553, 551, 552, 541, 542, 533, 532, 531, 452, 451, 442, 441, 431, 453, 433, 432, 423, 353, 352, 351, 342, 341, 333, 323'],
	['New Customers', '512, 511, 422, 421 412, 411, 311'],
	['Promising', '525, 524, 523, 522, 521, 515, 514, 513, 425,424, 413,414,415, 315, 314, 313'],
	['Need Attention', '535, 534, 443, 434, 343, 334, 325, 324'],
	['About To Sleep', '331, 321, 312, 221, 213, 231, 241, 251'],
	['At Risk', '255, 254, 245, 244, 253, 252, 243, 242, 235, 234, 225, 224, 153, 152, 145, 143, 142, 135, 134, 133, 125, 124'],
	['Cannot Lose Them', '155, 154, 144, 214,215,115, 114, 113'],
	['Hibernating customers', '332, 322, 233, 232, 223, 222, 132, 123, 122, 212, 211'],
	['Lost customers', '111, 112, 121, 131,141,151'],
];

const PUBLISHED_NAME_TO_KEY: Record<string, keyof typeof RFM_SEGMENTS> = {
	Champions: 'champions',
	Loyal: 'loyal',
	'Potential Loyalist': 'potential_loyalist',
	'New Customers': 'new_customers',
	Promising: 'promising',
	'Need Attention': 'need_attention',
	'About To Sleep': 'about_to_sleep',
	'At Risk': 'at_risk',
	'Cannot Lose Them': 'cant_lose_them',
	'Hibernating customers': 'hibernating',
	'Lost customers': 'lost',
};

describe('11-segment map over the 125 R-F-M codes', () => {
	const expected = new Map<string, string>();
	for (const [name, codes] of PUBLISHED_TABLE) for (const code of codes.match(/\d{3}/g) ?? []) expected.set(code, PUBLISHED_NAME_TO_KEY[name]);

	it('the published table covers each of the 125 codes once', () => {
		expect(expected.size).toBe(125);
	});

	it('maps every code as published', () => {
		for (const [code, key] of expected) expect([code, rfm11Segment(+code[0], +code[1], +code[2])]).toEqual([code, key]);
	});

	it.each([
		['555', 'champions'],
		['155', 'cant_lose_them'],
		['111', 'lost'],
		['511', 'new_customers'],
		['535', 'need_attention'],
		['331', 'about_to_sleep'],
		['253', 'at_risk'],
		['323', 'potential_loyalist'],
		['344', 'loyal'],
		['525', 'promising'],
		['332', 'hibernating'],
	])('%s is %s', (code, key) => {
		expect(rfm11Segment(+code[0], +code[1], +code[2])).toBe(key);
	});
});

describe('10-segment R-F grid of the pandas notebooks', () => {
	// The notebooks' map, applied as they do: rfm["segment"] = (R + F).replace(seg_map, regex=True).
	const SEG_MAP: Array<[RegExp, string]> = [
		[/[1-2][1-2]/, 'hibernating'],
		[/[1-2][3-4]/, 'at_Risk'],
		[/[1-2]5/, 'cant_loose'],
		[/3[1-2]/, 'about_to_sleep'],
		[/33/, 'need_attention'],
		[/[3-4][4-5]/, 'loyal_customers'],
		[/41/, 'promising'],
		[/51/, 'new_customers'],
		[/[4-5][2-3]/, 'potential_loyalists'],
		[/5[4-5]/, 'champions'],
	];
	const notebookSegment = (rf: string): string => SEG_MAP.reduce((text, [pattern, name]) => text.replace(pattern, name), rf);

	it('matches the regex map on all 25 R-F pairs', () => {
		for (let r = 1; r <= 5; r++) {
			for (let f = 1; f <= 5; f++) {
				const key = rfGridSegment(r, f);
				expect([`${r}${f}`, key]).toEqual([`${r}${f}`, notebookSegment(`${r}${f}`)]);
				expect(RF_GRID_SEGMENTS).toHaveProperty(key);
			}
		}
	});
});

describe('threshold rules', () => {
	const rules = DEFAULT_THRESHOLD_RULES;
	it('Champion: recency < 30 days, frequency ≥ 3, monetary > 1000', () => {
		expect(thresholdSegment(29, 3, 1000.01, rules)).toBe('Champion');
		expect(thresholdSegment(30, 3, 5000, rules)).toBe('Other');
		expect(thresholdSegment(5, 2, 5000, rules)).toBe('Other');
		expect(thresholdSegment(5, 3, 1000, rules)).toBe('Other');
	});

	it('At_Risk: recency > 180 days and frequency ≥ 5', () => {
		expect(thresholdSegment(181, 5, 0, rules)).toBe('At_Risk');
		expect(thresholdSegment(180, 5, 0, rules)).toBe('Other');
		expect(thresholdSegment(400, 4, 99999, rules)).toBe('Other');
	});

	it('uses the operator numbers', () => {
		const custom = { ...rules, championMaxRecencyDays: 60, championMinFrequency: 1, championMinMonetary: 0 };
		expect(thresholdSegment(59, 1, 1, custom)).toBe('Champion');
	});
});
