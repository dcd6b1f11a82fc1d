import { NormalizationError, describeValue } from '../model/errors';
import type { ValueSettings } from './attributes';
import { buildEventData, toUnixSeconds } from './attributes';
import type { EnumNormalizer } from './enums';
import { enumKey } from './enums';
import { deterministicEventId } from './eventId';
import { isBlank, readField } from './identity';
import { MAX_EVENT_DATA_BYTES, MAX_EVENT_NAME_BYTES, jsonBytes, utf8Bytes } from './limits';
import type { JsonObject } from './types';

/**
 * Events for moments: named events with data, a timestamp in Unix seconds and a deterministic id, and
 * change events (`segment_changed` with `from`/`to`) derived from an item's previous and current value.
 *
 * Event names: Customer.io trims leading and trailing spaces from event names and limits them to 100
 * bytes (https://docs.customer.io/api/track/#operation/track; limits table in the Track API overview;
 * "event name must not be blank", https://docs.customer.io/journeys/invalid-api-requests).
 */
export interface EventSettings extends ValueSettings {
	/** Field with the moment the event happened; empty: Customer.io uses the time it receives the event. */
	timestampField: string | null;
	/** Send a deterministic id so Customer.io drops repeats of the same event. */
	deduplicate: boolean;
	/** Fields whose values make the event unique (e.g. `order.id`); empty: the event's data and timestamp. */
	dedupeKeyFields: string[];
}

export interface BuiltEvent {
	name: string;
	id: string | null;
	/** Unix seconds, or null to let Customer.io stamp the time of receipt. */
	timestamp: number | null;
	data: JsonObject;
	skippedFields: string[];
}

export function normalizeEventName(value: unknown, field = 'Event Name'): string {
	if (isBlank(value)) throw new NormalizationError(field, 'is empty — every event needs a name (for example "order_completed")', value);
	if (typeof value !== 'string' && typeof value !== 'number') throw new NormalizationError(field, `${describeValue(value)} cannot be an event name`, value);
	const name = String(value).trim();
	if (utf8Bytes(name) > MAX_EVENT_NAME_BYTES) throw new NormalizationError(field, `${describeValue(name)} is longer than Customer.io's ${MAX_EVENT_NAME_BYTES}-byte limit for event names`, value);
	return name;
}

function eventTimestamp(json: JsonObject, field: string | null, timeZone?: string): number | null {
	if (!field) return null;
	const value = readField(json, field);
	if (isBlank(value)) return null;
	return toUnixSeconds(value, field, timeZone);
}

function checkDataSize(data: JsonObject, field: string): void {
	const bytes = jsonBytes(data);
	if (bytes > MAX_EVENT_DATA_BYTES) {
		throw new NormalizationError(field, `makes ${bytes} bytes of event data; Customer.io takes at most ${MAX_EVENT_DATA_BYTES} bytes per event — map fewer or smaller fields`);
	}
}

/**
 * One named event for one person (`person` is the identifier key, e.g. `email:jane@example.com`, or
 * `anonymous:<id>`). `alwaysExclude` are fields never sent as data (the identifier field).
 */
export function buildEvent(json: JsonObject, settings: EventSettings, person: string, name: string, alwaysExclude: string[]): BuiltEvent {
	const timestamp = eventTimestamp(json, settings.timestampField, settings.timeZone);
	const { values: data, skippedFields } = buildEventData(json, settings, [...alwaysExclude, ...(settings.timestampField ? [settings.timestampField] : [])]);
	checkDataSize(data, '(event data)');
	let id: string | null = null;
	if (settings.deduplicate) {
		let key: unknown;
		if (settings.dedupeKeyFields.length > 0) {
			key = settings.dedupeKeyFields.map((field) => {
				const value = readField(json, field);
				if (isBlank(value)) {
					throw new NormalizationError(field, `is empty — the event's dedupe key ("Dedupe Key Fields") needs it; map a field every item has, or clear "Dedupe Key Fields" to key on the event's data`, value);
				}
				return typeof value === 'string' ? value.trim() : value;
			});
		} else {
			key = { data, timestamp };
		}
		id = deterministicEventId({ person, name, key, timestampSeconds: timestamp });
	}
	return { name, id, timestamp, data, skippedFields };
}

export interface ChangeEventRule {
	/** Event name, e.g. `segment_changed` or `lifecycle_stage_changed`. */
	name: string;
	previousField: string;
	currentField: string;
	/** Optional field that says whether the value changed (the RFM Scorer's `segmentChanged`). */
	changedFlagField: string | null;
	/** The attribute the value belongs to (e.g. `segment`): its enum spelling applies, and it is sent as `attribute`. */
	attribute: string | null;
	/** Emit when there is no previous value (a person's first segment); default off. */
	emitWithoutPrevious: boolean;
}

export type ChangeDecision =
	| { emit: true; event: BuiltEvent; from: unknown; to: unknown }
	| { emit: false; reason: 'unchanged' | 'no_previous' | 'no_current' | 'flag_false'; from: unknown; to: unknown };

function changeValue(json: JsonObject, field: string, rule: ChangeEventRule, enums: EnumNormalizer): unknown {
	const value = readField(json, field);
	if (isBlank(value)) return null;
	const normalized = rule.attribute ? enums.normalize(rule.attribute, value, field) : value;
	return typeof normalized === 'string' ? normalized.trim() : normalized;
}

function sameValue(a: unknown, b: unknown): boolean {
	if (typeof a === 'string' && typeof b === 'string') return enumKey(a) === enumKey(b);
	return JSON.stringify(a) === JSON.stringify(b);
}

function flagSaysUnchanged(value: unknown): boolean {
	return value === false || value === 0 || (typeof value === 'string' && ['false', '0', 'no'].includes(value.trim().toLowerCase()));
}

/**
 * A change event when the item's previous and current values differ: `{from, to, attribute}`.
 * No event when they are equal, when the change flag says false, when there is no current value, or
 * (unless asked) when there is no previous value.
 *
 * The dedupe key is (from, to, when): `when` is the event timestamp if the operator mapped one, else
 * the UTC date of the run — so a re-run the same day does not repeat the event, while a person who
 * moves A→B, back, and A→B again on a later day gets a new event.
 */
export function buildChangeEvent(
	json: JsonObject,
	rule: ChangeEventRule,
	context: { person: string; enums: EnumNormalizer; timestampField: string | null; timeZone?: string; deduplicate: boolean; now: Date },
): ChangeDecision {
	const from = changeValue(json, rule.previousField, rule, context.enums);
	const to = changeValue(json, rule.currentField, rule, context.enums);
	if (to === null) return { emit: false, reason: 'no_current', from, to };
	if (rule.changedFlagField) {
		const flag = readField(json, rule.changedFlagField);
		if (!isBlank(flag) && flagSaysUnchanged(flag)) return { emit: false, reason: 'flag_false', from, to };
	}
	if (from === null && !rule.emitWithoutPrevious) return { emit: false, reason: 'no_previous', from, to };
	if (from !== null && sameValue(from, to)) return { emit: false, reason: 'unchanged', from, to };
	const name = normalizeEventName(rule.name, 'Change Event Name');
	const timestamp = eventTimestamp(json, context.timestampField, context.timeZone);
	const data: JsonObject = { from, to };
	if (rule.attribute) data.attribute = rule.attribute;
	const when = timestamp ?? context.now.toISOString().slice(0, 10);
	const id = context.deduplicate ? deterministicEventId({ person: context.person, name, key: { from, to, when }, timestampSeconds: timestamp }) : null;
	return { emit: true, event: { name, id, timestamp, data, skippedFields: [] }, from, to };
}
