import type { BuiltEvent } from './events';
import { V2_BATCH_MAX_BYTES, jsonBytes } from './limits';
import type { BatchOperation, JsonObject, PersonIdentifiers, TrackRequest } from './types';

/**
 * Request bodies, as the Track API documents them (https://docs.customer.io/api/track/):
 * - v2 person operations (`POST /api/v2/batch`, element schemas identify_person, person_event,
 *   person_delete, person_suppress, person_unsuppress, person_merge): `{type: "person", identifiers:
 *   {id|email|cio_id}, action, …}`; merge takes `primary`/`secondary` instead of `identifiers`; event
 *   data goes in `attributes`; `timestamp` is Unix seconds.
 * - v1 anonymous event (`POST /api/v1/events`, operation trackAnonymous): `{name, anonymous_id, data,
 *   id, timestamp}`. v2 has no anonymous person identifier, so this one operation stays on v1.
 */
export function identifyOperation(identifiers: PersonIdentifiers, attributes: JsonObject, timestamp: number | null): BatchOperation {
	const operation: BatchOperation = { type: 'person', identifiers, action: 'identify', attributes };
	if (timestamp !== null) operation.timestamp = timestamp;
	return operation;
}

export function eventOperation(identifiers: PersonIdentifiers, event: BuiltEvent): BatchOperation {
	const operation: BatchOperation = { type: 'person', identifiers, action: 'event', name: event.name };
	if (event.id) operation.id = event.id;
	if (event.timestamp !== null) operation.timestamp = event.timestamp;
	operation.attributes = event.data;
	return operation;
}

export function personActionOperation(identifiers: PersonIdentifiers, action: 'delete' | 'suppress' | 'unsuppress'): BatchOperation {
	return { type: 'person', identifiers, action };
}

export function mergeOperation(primary: PersonIdentifiers, secondary: PersonIdentifiers): BatchOperation {
	return { type: 'person', action: 'merge', primary, secondary };
}

export function anonymousEventRequest(anonymousId: string, event: BuiltEvent): TrackRequest {
	const body: JsonObject = { name: event.name, anonymous_id: anonymousId, data: event.data };
	if (event.id) body.id = event.id;
	if (event.timestamp !== null) body.timestamp = event.timestamp;
	return { method: 'POST', path: '/api/v1/events', body, purpose: `track anonymous event "${event.name}"` };
}

export function batchRequest(operations: BatchOperation[]): TrackRequest {
	return { method: 'POST', path: '/api/v2/batch', body: { batch: operations }, purpose: `send ${operations.length} operation(s) in one v2 batch` };
}

/** `{"batch":[]}` — the bytes a batch request adds around its operations. */
export const BATCH_ENVELOPE_BYTES = jsonBytes({ batch: [] });

/**
 * Packs operations, in order, into as few batch requests as the request limit allows: each request's
 * JSON body (`{"batch":[op,op,…]}`, measured in UTF-8 bytes) stays within `maxRequestBytes`.
 * Returns the operations' indexes per request. Every operation must fit on its own (callers reject
 * those over the 32 KB per-operation limit first).
 */
export function packBatches(operationBytes: number[], maxRequestBytes: number = V2_BATCH_MAX_BYTES): number[][] {
	const batches: number[][] = [];
	let current: number[] = [];
	let size = BATCH_ENVELOPE_BYTES;
	operationBytes.forEach((bytes, index) => {
		if (BATCH_ENVELOPE_BYTES + bytes > maxRequestBytes) throw new Error(`operation ${index} (${bytes} bytes) cannot fit in a ${maxRequestBytes}-byte request`);
		const added = bytes + (current.length > 0 ? 1 : 0);
		if (current.length > 0 && size + added > maxRequestBytes) {
			batches.push(current);
			current = [];
			size = BATCH_ENVELOPE_BYTES;
		}
		size += bytes + (current.length > 0 ? 1 : 0);
		current.push(index);
	});
	if (current.length > 0) batches.push(current);
	return batches;
}
