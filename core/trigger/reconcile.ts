/**
 * Re-records, inside the execution, what the webhook call remembered about the items it emitted:
 * their event ids (duplicates), WooCommerce milestones, and the carts they opened, closed or reported.
 *
 * Why: n8n saves a webhook call's static-data changes when the request is answered. n8n 2.x answers an
 * `onReceived` webhook only after it created the execution, and creating it resets n8n's "static data
 * changed" flag on the same object (WorkflowRunner.establishContextForPersistence builds a new Workflow
 * over it), so the change would be dropped whenever an execution starts. The trigger therefore answers
 * the store itself before returning (the save then starts before the execution is created), and as a
 * second line the trigger node, which runs first in its execution, applies the same bookkeeping again
 * here: the execution loads static data when it starts and saves it at its end if a node changed it,
 * so whatever the webhook's save missed (or the execution loaded before that save landed) is kept.
 * Usually everything is already recorded: nothing changes and the execution writes no static data.
 *
 * Pure: every key is derived from the items alone (topic, eventId, the entity, and the store's payload
 * when it was kept under `raw`). Deliveries that start no execution are not seen here; their static
 * data is saved by n8n as before.
 */
import type { Cart, CommerceEventType, Order, SourceStore } from '../model/types';
import { type AbandonmentSettings, type CartBook, closeCarts, recordCart } from './abandonment';
import {
	type EntityMapper,
	type NormalizeOptions,
	MILESTONE_MEMORY,
	WOO_COMPLETED,
	WOO_OPEN_CHECKOUT,
	cartAliases,
	completionKeys,
	eventKey,
	milestoneKey,
} from './delivery';
import { WOO_STATUS_MILESTONES } from './events';
import { type MemoryLimits, hasAny, remember } from './memory';
import type { TriggerState } from './state';

/** The part of the delivery configuration the bookkeeping needs (the same node parameters). */
export interface ReconcileSettings {
	source: SourceStore;
	dedupe: MemoryLimits;
	abandonment: AbandonmentSettings | null;
	mapper: Pick<EntityMapper, 'cart'>;
	normalize: Pick<NormalizeOptions, 'decimalSeparator' | 'zone'>;
}

export interface ReconcileResult {
	state: TriggerState;
	/** Whether anything was missing (the node writes static data only then). */
	changed: boolean;
}

type Item = Record<string, unknown>;

function isObject(value: unknown): value is Item {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringOf(value: unknown): string | null {
	if (typeof value === 'string' && value.trim() !== '') return value.trim();
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return null;
}

/** When the webhook call handled the item: the time it remembered things at. */
function timeOf(item: Item, fallback: number): number {
	const at = typeof item.receivedAt === 'string' ? Date.parse(item.receivedAt) : Number.NaN;
	return Number.isFinite(at) ? at : fallback;
}

const MILESTONE_TYPES = new Set<CommerceEventType>(WOO_STATUS_MILESTONES.map((milestone) => milestone.type));

export function reconcileState(state: TriggerState, items: ReadonlyArray<unknown>, settings: ReconcileSettings, now: number): ReconcileResult {
	let next = state;
	for (const item of items) {
		if (!isObject(item) || typeof item.type !== 'string' || item.source !== settings.source) continue;
		const type = item.type as CommerceEventType;
		const at = timeOf(item, now);

		if (type === 'cart.abandoned') {
			if (settings.abandonment && isObject(item.cart) && typeof item.cart.id === 'string') {
				next = withCarts(next, closedCarts(next.carts, [item.cart.id], at, now, settings.abandonment));
			}
			continue;
		}

		next = seenEvent(next, settings, item, type, at, now);
		const order = item.entity === 'order' && isObject(item.order) ? (item.order as unknown as Order) : null;
		// The store's payload: under `raw` of a mapping-error item, under `order.raw` when "Include Raw Payload" is on.
		const payload = 'mappingError' in item ? item.raw : order?.raw;
		next = reportedMilestone(next, settings, item, type, order, payload, at, now);
		if (settings.abandonment) next = withCarts(next, trackedCarts(next.carts, settings, settings.abandonment, item, order, payload, at, now));
	}
	return { state: next, changed: next !== state };
}

function withCarts(state: TriggerState, carts: CartBook): TriggerState {
	return carts === state.carts ? state : { ...state, carts };
}

/** A WooCommerce milestone's eventId is its delivery's eventId plus `:<type>`. */
function deliveryEventId(source: SourceStore, type: CommerceEventType, eventId: string): string {
	const suffix = `:${type}`;
	return source === 'woocommerce' && MILESTONE_TYPES.has(type) && eventId.endsWith(suffix) ? eventId.slice(0, -suffix.length) : eventId;
}

function seenEvent(state: TriggerState, settings: ReconcileSettings, item: Item, type: CommerceEventType, at: number, now: number): TriggerState {
	if (typeof item.eventId !== 'string' || item.eventId === '' || typeof item.topic !== 'string' || item.topic === '') return state;
	const key = eventKey(item.topic, deliveryEventId(settings.source, type, item.eventId));
	if (hasAny(state.seen, [key], now, settings.dedupe)) return state;
	return { ...state, seen: remember(state.seen, [key], at, settings.dedupe) };
}

function reportedMilestone(
	state: TriggerState,
	settings: ReconcileSettings,
	item: Item,
	type: CommerceEventType,
	order: Order | null,
	payload: unknown,
	at: number,
	now: number,
): TriggerState {
	if (settings.source !== 'woocommerce' || !MILESTONE_TYPES.has(type) || item.entity !== 'order') return state;
	// Without an order id the webhook keyed the milestone by a content hash the item does not carry.
	const orderId = order?.id ?? (isObject(payload) ? stringOf(payload.id) : null);
	if (!orderId) return state;
	const key = milestoneKey(orderId, type);
	if (hasAny(state.milestones, [key], now, MILESTONE_MEMORY)) return state;
	return { ...state, milestones: remember(state.milestones, [key], at, MILESTONE_MEMORY) };
}

/** The order's WooCommerce status: the store's own word when the payload was kept, else the canonical one. */
function wooStatus(order: Order | null, payload: unknown): string | null {
	if (isObject(payload)) return stringOf(payload.status);
	if (!order) return null;
	if (order.status === 'on_hold') return 'on-hold';
	if (order.status === 'partially_refunded') return 'processing'; // only processing/completed orders become it
	return order.status;
}

/** The cart book as the webhook call left it (trackCarts in delivery.ts), from the item. */
function trackedCarts(
	book: CartBook,
	settings: ReconcileSettings,
	abandonment: AbandonmentSettings,
	item: Item,
	order: Order | null,
	payload: unknown,
	at: number,
	now: number,
): CartBook {
	if (item.entity === 'cart') {
		if ('mappingError' in item || !isObject(item.cart)) return book;
		const cart = item.cart as unknown as Cart;
		return openedCart(book, cart, cartAliases(cart.raw), at, now, abandonment);
	}
	if (item.entity !== 'order') return book;
	if (settings.source === 'woocommerce') {
		const status = wooStatus(order, payload);
		if (order && status && WOO_OPEN_CHECKOUT.includes(status)) {
			if (!isObject(payload)) return book; // the cart is read from the store's payload; without it there is none to record
			let cart: Cart;
			try {
				cart = settings.mapper.cart('woocommerce', payload, { ...settings.normalize, keepRaw: false });
			} catch {
				return book; // not trackable as a cart, as in the webhook call
			}
			return openedCart(book, cart, [], at, now, abandonment);
		}
		const orderId = order?.id ?? (isObject(payload) ? stringOf(payload.id) : null);
		if (status && WOO_COMPLETED.includes(status) && orderId) return closedCarts(book, [orderId], at, now, abandonment);
		return book;
	}
	// Shopify and Custom: an order completes the checkout it came from, even when the order itself did not map.
	return closedCarts(book, completionKeys(order, payload), at, now, abandonment);
}

function openedCart(book: CartBook, cart: Cart, aliases: string[], at: number, now: number, abandonment: AbandonmentSettings): CartBook {
	if (cart.completedAt) return closedCarts(book, [cart.id, ...aliases], at, now, abandonment);
	const open = book.open[cart.id];
	// Already recorded by the webhook call (or a newer delivery was): nothing to do.
	if (open && open.lastActivityAt >= at) return book;
	// Completed or reported since: recordCart leaves the book as it is.
	return recordCart(book, cart, aliases, at, abandonment);
}

/** Closes the carts unless every key is already remembered as closed and none is open. */
function closedCarts(book: CartBook, keys: string[], at: number, now: number, abandonment: AbandonmentSettings): CartBook {
	if (keys.length === 0) return book;
	const open = Object.values(book.open);
	const pending = keys.some((key) => book.open[key] !== undefined || open.some((record) => record.aliases.includes(key)));
	const unknown = keys.some((key) => !hasAny(book.closed, [key], now, abandonment.closedMemory));
	return pending || unknown ? closeCarts(book, keys, at, abandonment) : book;
}
