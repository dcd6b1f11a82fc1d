import { createHash } from 'node:crypto';

/**
 * Deterministic event ids, so that a retried request or a re-run of the same workflow does not create
 * the same event twice.
 *
 * What Customer.io does with it (https://docs.customer.io/journeys/events/#deduplicating-events, and the
 * `id` property of `person_event` in https://docs.customer.io/api/track/#tag/track_v2/operation/batch):
 * "You can provide an id with your events, to deduplicate events … The id must be a ULID. If two
 * events contain the same id, we won't process the event multiple times." The docs state no time
 * window for this, and Customer.io staff have said the ULID's embedded timestamp is not used, only its
 * format (https://community.customer.io/data-integrations-38/why-ulid-ids-are-required-for-deduplicating-events-428).
 *
 * So the id is ULID-shaped (26 Crockford base-32 characters: 48-bit time, 80 bits of "randomness")
 * and computed, not random: the time part is the event's own timestamp when it has one (so ids still
 * sort by event time), the other 80 bits are the first 80 bits of SHA-256 over (identifier, event
 * name, dedupe key). Same person + same event name + same key ⇒ same id, in any run.
 */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const ULID_PATTERN = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;
const MAX_TIME = 2 ** 48 - 1;

export function isUlid(text: unknown): boolean {
	return typeof text === 'string' && ULID_PATTERN.test(text);
}

function encodeTime(ms: number): string {
	let value = ms;
	let out = '';
	for (let i = 0; i < 10; i++) {
		out = CROCKFORD[value % 32] + out;
		value = Math.floor(value / 32);
	}
	return out;
}

/** 80 bits → 16 base-32 characters. */
function encodeBits(bytes: Uint8Array): string {
	let out = '';
	let buffer = 0;
	let bits = 0;
	for (const byte of bytes) {
		buffer = (buffer << 8) | byte;
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			out += CROCKFORD[(buffer >> bits) & 31];
		}
		buffer &= (1 << bits) - 1;
	}
	return out;
}

/** Canonical JSON: object keys sorted, so `{a,b}` and `{b,a}` hash the same. */
export function canonicalJson(value: unknown): string {
	if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	const keys = Object.keys(value as Record<string, unknown>).sort();
	return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

export interface EventIdInput {
	/** `email:jane@example.com`, `id:42`, or `anonymous:abc` for anonymous events. */
	person: string;
	name: string;
	/** The values that make this event unique (source event id, order id, from/to…), in a fixed order. */
	key: unknown;
	/** The event's Unix time in seconds, when known; it becomes the ULID's time part. */
	timestampSeconds?: number | null;
}

export function deterministicEventId(input: EventIdInput): string {
	const digest = createHash('sha256').update(canonicalJson(['customerio-event/1', input.person, input.name, input.key])).digest();
	let time: number;
	if (typeof input.timestampSeconds === 'number' && Number.isFinite(input.timestampSeconds) && input.timestampSeconds >= 0 && input.timestampSeconds * 1000 <= MAX_TIME) {
		time = Math.floor(input.timestampSeconds * 1000);
	} else {
		// No event time: 48 more bits of the hash, still deterministic.
		time = digest.readUIntBE(10, 6);
	}
	return encodeTime(time) + encodeBits(digest.subarray(0, 10));
}
