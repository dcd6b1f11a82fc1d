import type { Utm } from './types';

export const EMPTY_UTM: Readonly<Utm> = Object.freeze({ source: null, medium: null, campaign: null, term: null, content: null });

const UTM_KEYS = ['source', 'medium', 'campaign', 'term', 'content'] as const;

/**
 * Reads utm_* parameters from a landing-page URL or path ("/products/x?utm_source=google&..."),
 * as Shopify's `landing_site` holds them. Returns an all-null Utm when there are none.
 */
export function utmFromUrl(url: string | null | undefined): Utm {
	const utm: Utm = { ...EMPTY_UTM };
	if (!url || typeof url !== 'string') return utm;
	const queryStart = url.indexOf('?');
	if (queryStart < 0) return utm;
	const query = url.slice(queryStart + 1).split('#')[0];
	let params: URLSearchParams;
	try {
		params = new URLSearchParams(query);
	} catch {
		return utm;
	}
	// Keys compared case-insensitively: ad tools write UTM_Source as often as utm_source.
	for (const [name, value] of params) {
		const lower = name.trim().toLowerCase();
		if (!lower.startsWith('utm_')) continue;
		const key = lower.slice(4) as (typeof UTM_KEYS)[number];
		if ((UTM_KEYS as readonly string[]).includes(key) && utm[key] === null && value.trim() !== '') utm[key] = value.trim();
	}
	return utm;
}

/** Field-by-field: the explicit value wins, the URL fills the gaps. */
export function mergeUtm(explicit: Partial<Utm>, fallback: Utm): Utm {
	const merged: Utm = { ...EMPTY_UTM };
	for (const key of UTM_KEYS) {
		const value = explicit[key];
		merged[key] = typeof value === 'string' && value.trim() !== '' ? value.trim() : fallback[key];
	}
	return merged;
}

export function hasUtm(utm: Utm): boolean {
	return UTM_KEYS.some((key) => utm[key] !== null);
}
