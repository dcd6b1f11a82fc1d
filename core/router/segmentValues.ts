/**
 * The segment and lifecycle values the router understands, drawn from the shared enums so that the
 * three segment schemes (11-segment RFM, 10-segment R-F grid, threshold rule) route alike.
 */
import { LIFECYCLE_STAGES, RF_GRID_SEGMENTS, RFM_SEGMENTS, THRESHOLD_SEGMENTS } from '../model/segments';
import { normalizeKey } from './fields';

export interface ValueOption {
	/** The machine value (what the RFM Scorer writes). */
	value: string;
	/** What an operator reads, with the schemes that use the value. */
	name: string;
}

const SCHEMES: Array<{ label: string; segments: Record<string, string> }> = [
	{ label: '11-segment RFM', segments: RFM_SEGMENTS },
	{ label: '10-segment R-F grid', segments: RF_GRID_SEGMENTS },
	{ label: 'threshold rule', segments: THRESHOLD_SEGMENTS },
];

/** Every segment key of the three schemes once, labelled with the schemes that use it. */
export function segmentOptions(): ValueOption[] {
	const byValue = new Map<string, { label: string; schemes: string[] }>();
	for (const scheme of SCHEMES) {
		for (const [value, label] of Object.entries(scheme.segments)) {
			const entry = byValue.get(value) ?? { label, schemes: [] };
			entry.schemes.push(scheme.label);
			byValue.set(value, entry);
		}
	}
	return [...byValue.entries()]
		.map(([value, entry]) => ({ value, name: `${entry.label} (${value}: ${entry.schemes.join(', ')})` }))
		.sort((a, b) => a.name.localeCompare(b.name));
}

export function lifecycleStageOptions(): ValueOption[] {
	return Object.entries(LIFECYCLE_STAGES).map(([value, label]) => ({ value, name: `${label} (${value})` }));
}

/**
 * The normalised forms a value can arrive in: its key and its label in whichever scheme defines it
 * (`cant_loose` and "Can't Lose" both), so picking a key in the node also matches items carrying the label.
 */
export function segmentMatchKeys(values: readonly string[]): Set<string> {
	const keys = new Set<string>();
	for (const value of values) {
		const normalized = normalizeKey(value);
		if (normalized === '') continue;
		keys.add(normalized);
		for (const schemeValues of [RFM_SEGMENTS, RF_GRID_SEGMENTS, THRESHOLD_SEGMENTS, LIFECYCLE_STAGES] as Array<Record<string, string>>) {
			if (Object.prototype.hasOwnProperty.call(schemeValues, value)) keys.add(normalizeKey(schemeValues[value]));
		}
	}
	return keys;
}

/**
 * The segment groups of the default routes, as keys of the three schemes. The route list:
 * Champions → VIP; Loyal → replenishment; At Risk and Can't Lose Them → win-back with incentive;
 * Hibernating and Lost → final win-back; New → second purchase.
 */
export const DEFAULT_SEGMENT_GROUPS = {
	champions: ['champions', 'Champion'],
	loyal: ['loyal', 'loyal_customers'],
	atRisk: ['at_risk', 'cant_lose_them', 'at_Risk', 'cant_loose', 'At_Risk'],
	lapsed: ['hibernating', 'lost'],
	newCustomers: ['new_customers'],
} as const satisfies Record<string, ReadonlyArray<keyof typeof RFM_SEGMENTS | keyof typeof RF_GRID_SEGMENTS | keyof typeof THRESHOLD_SEGMENTS>>;

/** Lifecycle stages the default routes fall back on when the segment has no route (e.g. threshold "Other"). */
export const DEFAULT_LIFECYCLE_GROUPS = {
	lapsed: ['lapsed'],
	atRisk: ['at_risk'],
	loyal: ['loyal'],
	newCustomers: ['new'],
} as const satisfies Record<string, ReadonlyArray<keyof typeof LIFECYCLE_STAGES>>;
