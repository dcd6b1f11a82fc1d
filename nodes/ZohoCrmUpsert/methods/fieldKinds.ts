import type { ResourceMapperField } from 'n8n-workflow';

import { toZohoDate, toZohoDateTime } from '../../../core/zoho/requests';

/**
 * The mapping columns carry a short marker in their label for the Zoho types the canvas has no widget
 * for ("· lookup", "· date", "· date-time"), so values can be shaped for Zoho at run time without
 * another metadata call: a lookup gets `{ id }`, dates get Zoho's formats.
 */
export const KIND_MARKERS = { lookup: ' · lookup (record ID)', date: ' · date', datetime: ' · date-time' } as const;

export type FieldKind = keyof typeof KIND_MARKERS | 'plain';

export function fieldKind(field: ResourceMapperField | undefined): FieldKind {
	if (!field) return 'plain';
	for (const [kind, marker] of Object.entries(KIND_MARKERS)) if (field.displayName.endsWith(marker)) return kind as FieldKind;
	return 'plain';
}

function isoOf(value: unknown): string | null {
	if (value instanceof Date) return value.toISOString();
	if (value && typeof value === 'object' && typeof (value as { toISO?: unknown }).toISO === 'function') return (value as { toISO: () => string }).toISO();
	return typeof value === 'string' ? value : null;
}

function safely(build: () => string): string | null {
	try {
		return build();
	} catch {
		return null;
	}
}

/** Shapes a mapped value for Zoho according to the column's kind. */
export function shapeValue(kind: FieldKind, value: unknown, fieldId: string): unknown {
	if (kind === 'lookup') {
		if (value && typeof value === 'object' && 'id' in (value as object)) return value;
		const id = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
		if (!/^\d{1,25}$/.test(id)) throw new Error(`field "${fieldId}" links to another record and needs that record's Zoho id (digits), got ${JSON.stringify(value)}`);
		return { id };
	}
	if (kind === 'date' || kind === 'datetime') {
		const iso = isoOf(value);
		const shaped = iso === null ? null : kind === 'date' && /^\d{4}-\d{2}-\d{2}$/.test(iso) ? iso : safely(() => (kind === 'date' ? toZohoDate(iso) : toZohoDateTime(iso)));
		if (shaped === null) throw new Error(`field "${fieldId}" needs an ISO-8601 date${kind === 'datetime' ? ' and time' : ''} such as 2024-03-01T10:15:00Z, got ${JSON.stringify(value)}`);
		return shaped;
	}
	return value;
}
