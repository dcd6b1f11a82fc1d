import { NormalizationError, describeValue } from '../model/errors';
import { normalizeEmail } from '../model/email';
import { parseDateTime } from '../model/time';
import type { EnumNormalizer } from './enums';
import { isBlank, normalizeIdentifier, readField } from './identity';
import { MAX_ATTRIBUTES_PER_CALL, MAX_ATTRIBUTE_NAME_BYTES, MAX_ATTRIBUTE_VALUE_BYTES, jsonBytes, utf8Bytes } from './limits';
import type { IdentifierType, JsonObject } from './types';

/**
 * Person attributes from an item: the operator's field mapping, optionally every other field, with
 * timestamps turned into Unix seconds, enum values into the operator's spelling, consent attributes
 * held back unless this source owns them, and Customer.io's size limits checked before sending.
 *
 * Timestamps: Customer.io compares dates only when they are Unix timestamps in seconds
 * (`created_at`: "The Unix timestamp when the user was created", identify body in
 * https://docs.customer.io/api/track/#operation/identify); an ISO string would be stored as text.
 */
export interface FieldMapping {
	/** Attribute (or event property) name in Customer.io. */
	name: string;
	/** Field path in the input item. */
	field: string;
}

export type EmptyValuePolicy = 'skip' | 'clear';

export interface ValueSettings {
	mappings: FieldMapping[];
	/** Also send every top-level item field that is not mapped or excluded, under its own name. */
	sendAllFields: boolean;
	/** Top-level fields never sent by "send all" (the identifier field is always left out). */
	excludeFields: string[];
	/** Names converted to Unix seconds besides those ending in `_at`. */
	timestampNames: string[];
	/** Convert every name ending in `_at` (Customer.io's convention for dates). */
	convertAtSuffix: boolean;
	/** Zone for timestamps written without an offset (default UTC). */
	timeZone?: string;
	enums: EnumNormalizer;
	/** What an empty value means: leave the attribute alone (skip) or clear it in Customer.io. */
	emptyValues: EmptyValuePolicy;
}

export interface AttributeSettings extends ValueSettings {
	/** `source_of_truth`-style attribute stamped on every person this node writes. */
	sourceOfTruth: { name: string; value: string } | null;
	/** True when this source may set consent attributes (`unsubscribed`, …). */
	ownsConsent: boolean;
	consentAttributes: string[];
}

export interface BuiltValues {
	values: JsonObject;
	/** Consent attributes present on the item but not sent, because this source does not own them. */
	withheld: string[];
	/** Fields "send all" left out because their names cannot be attribute names. */
	skippedFields: string[];
}

const FORBIDDEN_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

/** Unix seconds for any date and time core/model/time can read (ISO, "YYYY-MM-DD HH:mm:ss", RFC 2822, epoch s/ms). */
export function toUnixSeconds(value: unknown, field: string, timeZone?: string): number {
	if (typeof value === 'boolean') throw new NormalizationError(field, `${describeValue(value)} is not a date and time`, value);
	return Math.floor(parseDateTime(value, field, { zone: timeZone }).toMillis() / 1000);
}

function isConsentName(name: string, consent: Set<string>): boolean {
	const lower = name.toLowerCase();
	return consent.has(lower) || lower.startsWith('cio_subscription_preferences.');
}

interface Candidate {
	name: string;
	value: unknown;
	field: string;
	mapped: boolean;
}

/** The mapped and (optionally) all other fields of an item, mapped ones last so they win. */
function collect(json: JsonObject, settings: ValueSettings, alwaysExclude: string[], skippedFields: string[]): Candidate[] {
	const candidates: Candidate[] = [];
	if (settings.sendAllFields) {
		const mappedFields = new Set(settings.mappings.map((m) => m.field.split('.')[0]));
		const excluded = new Set([...settings.excludeFields, ...alwaysExclude]);
		for (const key of Object.keys(json)) {
			if (excluded.has(key) || mappedFields.has(key)) continue;
			if (FORBIDDEN_NAMES.has(key) || key.trim() === '' || utf8Bytes(key) > MAX_ATTRIBUTE_NAME_BYTES) {
				skippedFields.push(key);
				continue;
			}
			candidates.push({ name: key, value: json[key], field: key, mapped: false });
		}
	}
	for (const mapping of settings.mappings) {
		candidates.push({ name: mapping.name.trim(), value: readField(json, mapping.field.trim()), field: mapping.field.trim(), mapped: true });
	}
	return candidates;
}

/** Converts one value: timestamp, enum, size check. Returns undefined to leave it out. */
function convertValue(candidate: Candidate, settings: ValueSettings, valueLimitBytes: number | null): unknown {
	const { name, field } = candidate;
	let value = candidate.value;
	if (value === undefined || (typeof value === 'string' && value.trim() === '') || value === null) {
		return settings.emptyValues === 'clear' ? '' : undefined;
	}
	if (settings.timestampNames.includes(name) || (settings.convertAtSuffix && /_at$/i.test(name))) {
		value = toUnixSeconds(value, field, settings.timeZone);
	}
	value = settings.enums.normalize(name, value, field);
	if (typeof value === 'number' && !Number.isFinite(value)) throw new NormalizationError(field, `${describeValue(value)} is not a number Customer.io can store`, value);
	if (typeof value === 'string') value = value.trim();
	if (valueLimitBytes !== null) {
		const bytes = typeof value === 'string' ? utf8Bytes(value) : jsonBytes(value);
		if (bytes > valueLimitBytes) {
			throw new NormalizationError(field, `is ${bytes} bytes long; Customer.io takes at most ${valueLimitBytes} bytes per attribute value ("${name}") — shorten it or leave the field out`, value);
		}
	}
	return value;
}

function checkName(candidate: Candidate): void {
	const { name, field } = candidate;
	if (name === '') throw new NormalizationError(field, 'is mapped to an attribute with no name — give the mapping a name');
	if (FORBIDDEN_NAMES.has(name)) throw new NormalizationError(field, `is mapped to "${name}", which cannot be an attribute name`);
	if (utf8Bytes(name) > MAX_ATTRIBUTE_NAME_BYTES) throw new NormalizationError(field, `is mapped to an attribute name longer than Customer.io's ${MAX_ATTRIBUTE_NAME_BYTES} bytes`);
}

/**
 * Person attributes for an identify. `canonical` is the node's identifier type: an attribute with the
 * same name must agree with the identifier (it cannot move the identifier to another value); the other
 * identifiers (`email` when people are keyed by ID, `id` when keyed by email) are normalised and sent
 * as attributes of this one person.
 */
export function buildAttributes(json: JsonObject, settings: AttributeSettings, canonical: { type: IdentifierType; field: string; value: string }): BuiltValues {
	const skippedFields: string[] = [];
	const withheld: string[] = [];
	const consent = new Set(settings.consentAttributes.map((c) => c.trim().toLowerCase()).filter((c) => c !== ''));
	const values: JsonObject = Object.create(null) as JsonObject;
	for (const candidate of collect(json, settings, [canonical.field.split('.')[0]], skippedFields)) {
		if (candidate.mapped) checkName(candidate);
		const { name, field } = candidate;
		if (name === 'cio_id' || name === '_update') {
			if (candidate.mapped) throw new NormalizationError(field, `is mapped to "${name}", which Customer.io sets itself — remove this mapping`);
			skippedFields.push(field);
			continue;
		}
		if (!settings.ownsConsent && isConsentName(name, consent)) {
			if (!isBlank(candidate.value)) withheld.push(name);
			continue;
		}
		if (name === 'id' || name === 'email') {
			if (isBlank(candidate.value)) continue;
			const normalized = name === 'email' ? emailAttribute(candidate.value, field) : normalizeIdentifier('id', candidate.value, field);
			if (name === canonical.type) {
				if (normalized !== canonical.value) {
					throw new NormalizationError(field, `holds ${describeValue(candidate.value)} but the person is identified by ${name} ${describeValue(canonical.value)} — one item cannot change a person's ${name}; fix the mapping`);
				}
				continue;
			}
			values[name] = normalized;
			continue;
		}
		const value = convertValue(candidate, settings, MAX_ATTRIBUTE_VALUE_BYTES);
		if (value === undefined) {
			delete values[name];
			continue;
		}
		values[name] = value;
	}
	if (settings.sourceOfTruth && settings.sourceOfTruth.name.trim() !== '') values[settings.sourceOfTruth.name.trim()] = settings.sourceOfTruth.value;
	const count = Object.keys(values).length;
	if (count > MAX_ATTRIBUTES_PER_CALL) {
		throw new NormalizationError('(attributes)', `has ${count} attributes; Customer.io takes at most ${MAX_ATTRIBUTES_PER_CALL} per call — map fewer fields or turn off "Send All Other Fields"`);
	}
	return { values: { ...values }, withheld, skippedFields };
}

function emailAttribute(value: unknown, field: string): string {
	const { email } = normalizeEmail(value);
	if (!email) throw new NormalizationError(field, `${describeValue(value)} is not a valid email address — fix it at the source or leave the field out of the mapping`, value);
	return email;
}

/**
 * Event data (v2 `attributes` of an event, v1 `data`): the same mapping, timestamp and enum rules, no
 * consent filtering (event data does not set person attributes); the whole object is checked against
 * the event data limit by the caller.
 */
export function buildEventData(json: JsonObject, settings: ValueSettings, alwaysExclude: string[]): BuiltValues {
	const skippedFields: string[] = [];
	const values: JsonObject = Object.create(null) as JsonObject;
	for (const candidate of collect(json, settings, alwaysExclude, skippedFields)) {
		if (candidate.mapped) checkName(candidate);
		const value = convertValue(candidate, settings, null);
		if (value === undefined) {
			delete values[candidate.name];
			continue;
		}
		values[candidate.name] = value;
	}
	return { values: { ...values }, withheld: [], skippedFields };
}
