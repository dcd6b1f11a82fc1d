import { NormalizationError } from '../model/errors';
import type { AttributeSettings } from './attributes';
import { buildAttributes, toUnixSeconds } from './attributes';
import type { CustomerIoClient, PlannedOperation, PlannedRequest } from './client';
import type { EnumNormalizer } from './enums';
import type { ChangeEventRule, EventSettings } from './events';
import { buildChangeEvent, buildEvent, normalizeEventName } from './events';
import type { IdentitySettings } from './identity';
import { identifierKey, isBlank, readField, resolveIdentifier } from './identity';
import { V2_ITEM_MAX_BYTES, jsonBytes } from './limits';
import { anonymousEventRequest, eventOperation, identifyOperation, mergeOperation, personActionOperation } from './operations';
import type { BatchOperation, JsonObject, OperationFailure, OperationOutcome, PersonIdentifiers } from './types';
import { failure } from './types';

/**
 * Planners: input items → the operations to send, per item, with every input problem turned into that
 * item's failure (naming the item's field) instead of a request. Then one outcome per item.
 */
export interface ItemPlanOk {
	itemIndex: number;
	ok: true;
	operations: PlannedOperation[];
	/** What the node reports on the item's `customerio` field. */
	summary: JsonObject;
}

export interface ItemPlanFailed {
	itemIndex: number;
	ok: false;
	failure: OperationFailure;
}

export type ItemPlan = ItemPlanOk | ItemPlanFailed;

export interface ItemResult {
	itemIndex: number;
	ok: boolean;
	summary: JsonObject | null;
	failure: OperationFailure | null;
}

/** An input problem of one item as its failure: `Item 3: field "email" is empty — …`. */
export function inputFailure(itemIndex: number, error: unknown): OperationFailure {
	if (error instanceof NormalizationError) {
		return failure('INVALID_INPUT', `Item ${itemIndex}: field "${error.field}" ${error.message.slice(error.field.length + 2)}`, { field: error.field });
	}
	const message = error instanceof Error ? error.message : String(error);
	return failure('INVALID_INPUT', `Item ${itemIndex}: ${message}`);
}

function planItem(itemIndex: number, build: () => { operations: PlannedOperation[]; summary: JsonObject }): ItemPlan {
	try {
		return { itemIndex, ok: true, ...build() };
	} catch (error) {
		return { itemIndex, ok: false, failure: inputFailure(itemIndex, error) };
	}
}

/** A v2 operation ready for packing; over 32 KB it is refused here, naming the item. */
export function batchOp(operation: BatchOperation, label: string): PlannedOperation {
	const bytes = jsonBytes(operation);
	if (bytes > V2_ITEM_MAX_BYTES) {
		throw new NormalizationError('(request)', `makes a ${label} of ${bytes} bytes; Customer.io takes at most ${V2_ITEM_MAX_BYTES} bytes per operation in a batch — map fewer or smaller fields`);
	}
	return { kind: 'batch', operation, bytes, label };
}

// ---------------------------------------------------------------- identify

export interface IdentifyPlanSettings {
	identity: IdentitySettings;
	attributes: AttributeSettings;
	/** Field with when this data was last changed at the source: sent as the identify `timestamp`, so an older update never overwrites a newer one. */
	updatedAtField: string | null;
	changeEvents: ChangeEventRule[];
	/** Field with the moment of a change (for change events' timestamp and dedupe key). */
	changeTimestampField: string | null;
	deduplicate: boolean;
	enums: EnumNormalizer;
	now: Date;
}

interface IdentifyDraft {
	itemIndex: number;
	identifiers: PersonIdentifiers;
	attributes: JsonObject;
	timestamp: number | null;
	events: PlannedOperation[];
	summary: JsonObject;
}

/**
 * Identify (create or update) one person per item, plus change events. Items about the same person
 * in one run become ONE identify operation (their attributes applied in order of the source's
 * update time, then of the items): Customer.io warns that identify calls for a new person sent in
 * rapid succession can create duplicate profiles (`_update` in https://docs.customer.io/api/track/#operation/identify),
 * and two of them in concurrent batches would race.
 */
export function planIdentify(items: JsonObject[], settings: IdentifyPlanSettings): ItemPlan[] {
	const failed = new Map<number, ItemPlan>();
	const drafts: IdentifyDraft[] = [];
	// Fields that steer the node are not person attributes, even with "send all other fields".
	const controlFields = [settings.updatedAtField, settings.changeTimestampField, ...settings.changeEvents.flatMap((rule) => [rule.previousField, rule.changedFlagField])]
		.filter((field): field is string => !!field)
		.map((field) => field.split('.')[0]);
	items.forEach((json, itemIndex) => {
		try {
			const identifiers = resolveIdentifier(json, settings.identity);
			const person = identifierKey(identifiers);
			const canonical = { type: settings.identity.type, field: settings.identity.field, value: Object.values(identifiers)[0] as string };
			const built = buildAttributes(json, { ...settings.attributes, excludeFields: [...settings.attributes.excludeFields, ...controlFields] }, canonical);
			let timestamp: number | null = null;
			if (settings.updatedAtField) {
				const value = readField(json, settings.updatedAtField);
				if (!isBlank(value)) timestamp = toUnixSeconds(value, settings.updatedAtField, settings.attributes.timeZone);
			}
			const events: PlannedOperation[] = [];
			const changes: JsonObject[] = [];
			for (const rule of settings.changeEvents) {
				const decision = buildChangeEvent(json, rule, { person, enums: settings.enums, timestampField: settings.changeTimestampField, timeZone: settings.attributes.timeZone, deduplicate: settings.deduplicate, now: settings.now });
				if (decision.emit) {
					events.push(batchOp(eventOperation(identifiers, decision.event), `event "${decision.event.name}"`));
					changes.push({ name: decision.event.name, id: decision.event.id, from: decision.from as never, to: decision.to as never, sent: true });
				} else {
					changes.push({ name: rule.name, from: decision.from as never, to: decision.to as never, sent: false, reason: decision.reason });
				}
			}
			const summary: JsonObject = { operation: 'identify', identifiers, attributes: Object.keys(built.values).sort() };
			if (timestamp !== null) summary.timestamp = timestamp;
			if (built.withheld.length > 0) summary.withheldAttributes = built.withheld;
			if (built.skippedFields.length > 0) summary.skippedFields = built.skippedFields;
			if (changes.length > 0) summary.changeEvents = changes;
			drafts.push({ itemIndex, identifiers, attributes: built.values, timestamp, events, summary });
		} catch (error) {
			failed.set(itemIndex, { itemIndex, ok: false, failure: inputFailure(itemIndex, error) });
		}
	});

	const byPerson = new Map<string, IdentifyDraft[]>();
	for (const draft of drafts) {
		const key = identifierKey(draft.identifiers);
		if (!byPerson.has(key)) byPerson.set(key, []);
		byPerson.get(key)!.push(draft);
	}
	const plans = new Map<number, ItemPlan>(failed);
	for (const group of byPerson.values()) {
		const ordered = [...group].sort((a, b) => (a.timestamp ?? -Infinity) - (b.timestamp ?? -Infinity) || a.itemIndex - b.itemIndex);
		const attributes: JsonObject = {};
		for (const draft of ordered) Object.assign(attributes, draft.attributes);
		const timestamps = group.map((d) => d.timestamp).filter((t): t is number => t !== null);
		const timestamp = timestamps.length > 0 ? Math.max(...timestamps) : null;
		let shared: PlannedOperation;
		try {
			shared = batchOp(identifyOperation(group[0].identifiers, attributes, timestamp), 'identify');
		} catch (error) {
			for (const draft of group) plans.set(draft.itemIndex, { itemIndex: draft.itemIndex, ok: false, failure: inputFailure(draft.itemIndex, error) });
			continue;
		}
		for (const draft of group) {
			if (group.length > 1) draft.summary.sameProfileAsItems = group.map((d) => d.itemIndex).filter((i) => i !== draft.itemIndex);
			plans.set(draft.itemIndex, { itemIndex: draft.itemIndex, ok: true, operations: [shared, ...draft.events], summary: draft.summary });
		}
	}
	return items.map((_, itemIndex) => plans.get(itemIndex)!);
}

// ---------------------------------------------------------------- events

export interface TrackPlanSettings {
	identity: IdentitySettings;
	event: EventSettings;
}

/** One named event per item, for the person the item identifies. `names` holds each item's event name (parameters may differ per item). */
export function planTrack(items: JsonObject[], names: unknown[], settings: TrackPlanSettings): ItemPlan[] {
	return items.map((json, itemIndex) =>
		planItem(itemIndex, () => {
			const identifiers = resolveIdentifier(json, settings.identity);
			const name = normalizeEventName(names[itemIndex]);
			const event = buildEvent(json, settings.event, identifierKey(identifiers), name, [settings.identity.field]);
			const summary: JsonObject = { operation: 'track', identifiers, event: { name, id: event.id, timestamp: event.timestamp } };
			if (event.skippedFields.length > 0) summary.skippedFields = event.skippedFields;
			return { operations: [batchOp(eventOperation(identifiers, event), `event "${name}"`)], summary };
		}),
	);
}

export interface AnonymousPlanSettings {
	anonymousIdField: string;
	event: EventSettings;
}

/** Anonymous events: v1 `POST /api/v1/events`, one request per item (v2 has no anonymous identifier). */
export function planTrackAnonymous(items: JsonObject[], names: unknown[], settings: AnonymousPlanSettings): ItemPlan[] {
	return items.map((json, itemIndex) =>
		planItem(itemIndex, () => {
			const raw = readField(json, settings.anonymousIdField);
			if (isBlank(raw) || (typeof raw !== 'string' && typeof raw !== 'number')) {
				throw new NormalizationError(settings.anonymousIdField, 'is empty — an anonymous event needs the visitor\'s anonymous ID; map it in "Anonymous ID Field"', raw);
			}
			const anonymousId = String(raw).trim();
			const name = normalizeEventName(names[itemIndex]);
			const event = buildEvent(json, settings.event, `anonymous:${anonymousId}`, name, [settings.anonymousIdField]);
			const request = anonymousEventRequest(anonymousId, event);
			return {
				operations: [{ kind: 'single', request, label: `anonymous event "${name}"` }],
				summary: { operation: 'trackAnonymous', anonymousId, event: { name, id: event.id, timestamp: event.timestamp } },
			};
		}),
	);
}

// ---------------------------------------------------------------- person actions

export function planPersonAction(items: JsonObject[], identity: IdentitySettings, action: 'delete' | 'suppress' | 'unsuppress'): ItemPlan[] {
	return items.map((json, itemIndex) =>
		planItem(itemIndex, () => {
			const identifiers = resolveIdentifier(json, identity);
			return { operations: [batchOp(personActionOperation(identifiers, action), action)], summary: { operation: action, identifiers } };
		}),
	);
}

export interface MergePlanSettings {
	primary: IdentitySettings;
	secondary: IdentitySettings;
}

/**
 * Merge the secondary person into the primary (https://docs.customer.io/api/track/#operation/merge):
 * the primary must already exist; the secondary is deleted; not reversible.
 */
export function planMerge(items: JsonObject[], settings: MergePlanSettings): ItemPlan[] {
	return items.map((json, itemIndex) =>
		planItem(itemIndex, () => {
			const primary = resolveIdentifier(json, settings.primary);
			const secondary = resolveIdentifier(json, { ...settings.secondary, parameterLabel: settings.secondary.parameterLabel ?? 'Secondary Identifier Field' });
			if (identifierKey(primary) === identifierKey(secondary)) {
				throw new NormalizationError(settings.secondary.field, 'names the same person as the primary identifier — a person cannot be merged into themselves');
			}
			return { operations: [batchOp(mergeOperation(primary, secondary), 'merge')], summary: { operation: 'merge', primary, secondary } };
		}),
	);
}

// ---------------------------------------------------------------- execution

/**
 * All planned operations of all items, each once: items about the same person share their identify
 * operation, and identical events (same dedupe id for the same person) are sent once.
 */
export function flattenPlans(plans: ItemPlan[]): { operations: PlannedOperation[]; byItem: Map<number, number[]> } {
	const operations: PlannedOperation[] = [];
	const position = new Map<PlannedOperation | string, number>();
	const byItem = new Map<number, number[]>();
	for (const plan of plans) {
		if (!plan.ok) continue;
		const positions: number[] = [];
		for (const op of plan.operations) {
			let key: PlannedOperation | string = op;
			if (op.kind === 'batch' && op.operation.action === 'event' && typeof op.operation.id === 'string') {
				key = `event:${JSON.stringify(op.operation.identifiers)}:${op.operation.id}`;
			}
			let at = position.get(key);
			if (at === undefined) {
				at = operations.length;
				operations.push(op);
				position.set(key, at);
			}
			if (!positions.includes(at)) positions.push(at);
		}
		byItem.set(plan.itemIndex, positions);
	}
	return { operations, byItem };
}

/** Sends everything and returns one result per item, in input order. */
export async function executePlans(client: CustomerIoClient, plans: ItemPlan[]): Promise<ItemResult[]> {
	const { operations, byItem } = flattenPlans(plans);
	const outcomes: OperationOutcome[] = operations.length > 0 ? await client.run(operations) : [];
	return plans.map((plan) => {
		if (!plan.ok) return { itemIndex: plan.itemIndex, ok: false, summary: null, failure: plan.failure };
		const positions = byItem.get(plan.itemIndex) ?? [];
		const results = positions.map((p) => ({ op: operations[p], outcome: outcomes[p] }));
		const summary: JsonObject = { ...plan.summary, attempts: Math.max(0, ...results.map((r) => r.outcome.attempts)) };
		const firstFailure = results.find((r) => !r.outcome.ok);
		if (!firstFailure) return { itemIndex: plan.itemIndex, ok: true, summary, failure: null };
		if (results.length > 1) {
			summary.parts = results.map((r) => (r.outcome.ok ? { part: r.op.label, ok: true } : { part: r.op.label, ok: false, code: (r.outcome as OperationFailure).code }));
		}
		const f = firstFailure.outcome as OperationFailure;
		const done = results.filter((r) => r.outcome.ok).map((r) => r.op.label);
		const message = `Item ${plan.itemIndex}: ${f.message}${done.length > 0 ? ` (${done.join(', ')} went through; running the item again is safe)` : ''}`;
		return { itemIndex: plan.itemIndex, ok: false, summary, failure: { ...f, message } };
	});
}

/** The requests a run would send, each with the input items it serves (dry run). */
export function planRequests(client: CustomerIoClient, plans: ItemPlan[]): Array<PlannedRequest & { items: number[] }> {
	const { operations, byItem } = flattenPlans(plans);
	const itemsOf = new Map<number, number[]>();
	for (const [item, positions] of byItem) for (const p of positions) itemsOf.set(p, [...(itemsOf.get(p) ?? []), item]);
	return client.plan(operations).map((planned) => ({
		...planned,
		items: Array.from(new Set(planned.operations.flatMap((p) => itemsOf.get(p) ?? []))).sort((a, b) => a - b),
	}));
}
