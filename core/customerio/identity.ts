import { get } from 'lodash';

import { normalizeEmail } from '../model/email';
import { NormalizationError, describeValue } from '../model/errors';
import { MAX_ID_BYTES, utf8Bytes } from './limits';
import type { IdentifierType, JsonObject, PersonIdentifiers } from './types';

/**
 * Who an item is about. The operator picks ONE canonical identifier per node — email for a D2C store,
 * or an external id such as the Zoho contact id — and every item is identified by it alone. Other
 * identifiers an item carries travel as attributes (see attributes.ts), never as a second identity:
 * the v2 API takes exactly one identifier per operation ("You cannot pass multiple identifiers",
 * https://docs.customer.io/api/track/#tag/track_v2/operation/entity), and guessing between two is how
 * duplicate profiles are born. An item without a usable identifier is an error, never an anonymous
 * profile.
 */
export interface IdentitySettings {
	type: IdentifierType;
	/** Field path in the item, e.g. `email`, `customer.email`, `zohoContactId`. */
	field: string;
	/** The node parameter that names the field, for error messages (e.g. "Identifier Field"). */
	parameterLabel?: string;
}

export const IDENTIFIER_LABELS: Record<IdentifierType, string> = {
	email: 'an email address',
	id: 'a person ID',
	cio_id: 'a Customer.io ID (cio_id)',
};

/** A field of an item: an own key first (keys may contain dots), then a dotted path. Never the prototype. */
export function readField(json: JsonObject, path: string): unknown {
	if (path === '') return undefined;
	if (Object.prototype.hasOwnProperty.call(json, path)) return json[path];
	if (!path.includes('.') && !path.includes('[')) return undefined;
	const parts = path.split(/\.|\[|\]/).filter((p) => p !== '');
	if (parts.some((p) => p === '__proto__' || p === 'constructor' || p === 'prototype')) return undefined;
	return get(json, parts);
}

export function isBlank(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** Reads and normalises the canonical identifier of one item; throws a NormalizationError naming the field. */
export function resolveIdentifier(json: JsonObject, settings: IdentitySettings): PersonIdentifiers {
	const value = readField(json, settings.field);
	return { [settings.type]: normalizeIdentifier(settings.type, value, settings.field, settings.parameterLabel ?? 'Identifier Field') } as PersonIdentifiers;
}

/** One identifier value made ready for Customer.io: emails trimmed and lower-cased, ids as text within 150 bytes. */
export function normalizeIdentifier(type: IdentifierType, value: unknown, field: string, parameterLabel = 'Identifier Field'): string {
	if (isBlank(value)) {
		throw new NormalizationError(
			field,
			`is empty — every person needs ${IDENTIFIER_LABELS[type]}; map the field that holds it in "${parameterLabel}" (items without one are not sent, so no anonymous profile is created)`,
			value,
		);
	}
	if (type === 'email') {
		const { email } = normalizeEmail(value);
		if (!email) throw new NormalizationError(field, `${describeValue(value)} is not a valid email address — fix it at the source, or identify people by ID instead`, value);
		return email;
	}
	let text: string;
	if (typeof value === 'string') text = value.trim();
	else if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
	else if (typeof value === 'bigint') text = value.toString();
	else throw new NormalizationError(field, `${describeValue(value)} cannot be ${IDENTIFIER_LABELS[type]} — it must be text or a number`, value);
	// cio_id is referenced as `cio_<value>` in v1 paths; the v2 `identifiers.cio_id` takes the bare value.
	if (type === 'cio_id') text = text.replace(/^cio_/, '');
	if (utf8Bytes(text) > MAX_ID_BYTES) {
		throw new NormalizationError(field, `${describeValue(value)} is longer than Customer.io's ${MAX_ID_BYTES}-byte limit for IDs`, value);
	}
	return text;
}

export function identifierType(ids: PersonIdentifiers): IdentifierType {
	return Object.keys(ids)[0] as IdentifierType;
}

export function identifierValue(ids: PersonIdentifiers): string {
	return Object.values(ids)[0] as string;
}

/** A comparable key for "the same person" within one run: `email:jane@example.com`. */
export function identifierKey(ids: PersonIdentifiers): string {
	return `${identifierType(ids)}:${identifierValue(ids)}`;
}

/**
 * The identifier as a v1 path segment: ids and emails as they are, cio_id with its `cio_` prefix
 * (https://docs.customer.io/api/track/#operation/identify, path parameter `identifier`).
 */
export function identifierPathSegment(ids: PersonIdentifiers): string {
	const type = identifierType(ids);
	const value = identifierValue(ids);
	return encodeURIComponent(type === 'cio_id' ? `cio_${value}` : value);
}
