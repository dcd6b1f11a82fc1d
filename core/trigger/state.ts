/**
 * What the trigger remembers between deliveries, kept in n8n's workflow static data (per node):
 * delivery ids seen (deduplication), WooCommerce order milestones reported, and the cart book for
 * abandonment. Read defensively: static data may come from an older version or be hand-edited.
 */
import { EMPTY_CART_BOOK, type CartBook, type OpenCart } from './abandonment';
import type { Memory } from './memory';

export const STATE_VERSION = 1;

export interface TriggerState {
	version: number;
	/** Delivery ids and content hashes → when seen (epoch ms). */
	seen: Memory;
	/** `order id|event type` → when reported, for events read from a WooCommerce order's status. */
	milestones: Memory;
	carts: CartBook;
}

export function emptyState(): TriggerState {
	return { version: STATE_VERSION, seen: {}, milestones: {}, carts: { open: {}, closed: {} } };
}

function readMemory(value: unknown): Memory {
	const memory: Memory = {};
	if (!value || typeof value !== 'object' || Array.isArray(value)) return memory;
	for (const [key, at] of Object.entries(value as Record<string, unknown>)) {
		if (typeof at === 'number' && Number.isFinite(at)) memory[key] = at;
	}
	return memory;
}

function readOpenCarts(value: unknown): Record<string, OpenCart> {
	const open: Record<string, OpenCart> = {};
	if (!value || typeof value !== 'object' || Array.isArray(value)) return open;
	for (const [key, record] of Object.entries(value as Record<string, unknown>)) {
		const candidate = record as Partial<OpenCart> | null;
		if (
			candidate &&
			typeof candidate === 'object' &&
			typeof candidate.lastActivityAt === 'number' &&
			candidate.cart &&
			typeof candidate.cart === 'object' &&
			Array.isArray(candidate.aliases)
		) {
			open[key] = {
				aliases: candidate.aliases.filter((alias): alias is string => typeof alias === 'string'),
				firstSeenAt: typeof candidate.firstSeenAt === 'number' ? candidate.firstSeenAt : candidate.lastActivityAt,
				lastActivityAt: candidate.lastActivityAt,
				storeUpdatedAt: typeof candidate.storeUpdatedAt === 'string' ? candidate.storeUpdatedAt : null,
				// A plain copy: the stored object may be n8n's change-tracking proxy.
				cart: JSON.parse(JSON.stringify(candidate.cart)),
			};
		}
	}
	return open;
}

/**
 * Reads the state from static data into plain objects (a deep copy: the input may be n8n's proxy).
 * Anything unreadable is dropped rather than failing the delivery.
 */
export function readState(value: unknown): TriggerState {
	if (!value || typeof value !== 'object') return emptyState();
	const raw = value as Record<string, unknown>;
	const carts = (raw.carts ?? EMPTY_CART_BOOK) as Record<string, unknown>;
	return {
		version: STATE_VERSION,
		seen: readMemory(raw.seen),
		milestones: readMemory(raw.milestones),
		carts: { open: readOpenCarts(carts.open), closed: readMemory(carts.closed) },
	};
}
