/**
 * Abandoned-cart detection from the carts and orders the trigger receives.
 *
 * The trigger records each open cart (its latest snapshot and when we last heard of it) and closes it
 * when an order or a completed checkout for it arrives. A cart is abandoned when it is still open, has
 * a contact (email, or email or phone), and nothing was heard of it for the threshold. When it is
 * reported it is closed, so each cart is reported at most once however often it was updated.
 * Time is always passed in (`now`); nothing here reads a clock.
 */
import type { Cart } from '../model/types';
import { type Memory, type MemoryLimits, hasAny, prune, remember } from './memory';

export type AbandonmentContact = 'email' | 'emailOrPhone';

export interface AbandonmentSettings {
	/** Silence after the last update before a cart counts as abandoned. */
	thresholdMs: number;
	contact: AbandonmentContact;
	/** Open carts kept at most; beyond it the longest-silent ones are dropped (see docs). */
	maxOpenCarts: number;
	/** Open carts without a contact are forgotten after this long. */
	openCartMaxAgeMs: number;
	/** How long a completed or reported cart is remembered, so later updates do not reopen it. */
	closedMemory: MemoryLimits;
}

export const DEFAULT_ABANDONMENT: AbandonmentSettings = {
	thresholdMs: 60 * 60_000,
	contact: 'email',
	maxOpenCarts: 1000,
	openCartMaxAgeMs: 7 * 24 * 3_600_000,
	closedMemory: { maxEntries: 20_000, maxAgeMs: 30 * 24 * 3_600_000 },
};

export interface OpenCart {
	/** Every id the store uses for this cart (checkout token, cart token, checkout id). */
	aliases: string[];
	firstSeenAt: number;
	/** When the trigger last received anything about this cart (its own clock, not the store's). */
	lastActivityAt: number;
	/** The store's update time of the snapshot, so an older delivery arriving late does not win. */
	storeUpdatedAt: string | null;
	cart: Cart;
}

export interface CartBook {
	open: Record<string, OpenCart>;
	closed: Memory;
}

export const EMPTY_CART_BOOK: CartBook = { open: {}, closed: {} };

export function hasContact(cart: Cart, contact: AbandonmentContact): boolean {
	if (cart.email) return true;
	return contact === 'emailOrPhone' && typeof cart.phone === 'string' && cart.phone.trim() !== '';
}

function uniqueAliases(cart: Cart, aliases: ReadonlyArray<string | null | undefined>): string[] {
	const all = [cart.id, ...aliases].filter((alias): alias is string => typeof alias === 'string' && alias.trim() !== '');
	return [...new Set(all.map((alias) => alias.trim()))];
}

function findOpen(book: CartBook, aliases: ReadonlyArray<string>): string | undefined {
	if (aliases.some((alias) => book.open[alias])) return aliases.find((alias) => book.open[alias]);
	return Object.keys(book.open).find((key) => book.open[key].aliases.some((alias) => aliases.includes(alias)));
}

/**
 * Records a cart delivery. A completed checkout closes the cart; a cart already closed (completed or
 * reported) stays closed; otherwise the snapshot is stored and the silence clock restarts.
 */
export function recordCart(
	book: CartBook,
	cart: Cart,
	extraAliases: ReadonlyArray<string | null | undefined>,
	now: number,
	settings: AbandonmentSettings,
): CartBook {
	const aliases = uniqueAliases(cart, extraAliases);
	if (aliases.length === 0) return book;
	if (cart.completedAt) return closeCarts(book, aliases, now, settings);
	if (hasAny(book.closed, aliases, now, settings.closedMemory)) return book;

	const open = { ...book.open };
	const key = findOpen(book, aliases);
	const previous = key ? open[key] : undefined;
	if (key) delete open[key];
	const snapshot = { ...cart };
	delete snapshot.raw;
	const storeUpdatedAt = cart.updatedAt ?? cart.createdAt ?? null;
	const newer = !previous || !previous.storeUpdatedAt || !storeUpdatedAt || storeUpdatedAt >= previous.storeUpdatedAt;
	open[cart.id] = {
		aliases: [...new Set([...(previous?.aliases ?? []), ...aliases])],
		firstSeenAt: previous?.firstSeenAt ?? now,
		lastActivityAt: now,
		storeUpdatedAt: newer ? storeUpdatedAt : (previous?.storeUpdatedAt ?? null),
		cart: newer ? snapshot : (previous as OpenCart).cart,
	};
	return { open: boundOpen(open, settings), closed: book.closed };
}

/** An order (or a completed checkout) for these cart ids: the carts are closed and never reported. */
export function closeCarts(book: CartBook, cartIds: ReadonlyArray<string | null | undefined>, now: number, settings: AbandonmentSettings): CartBook {
	const ids = cartIds.filter((id): id is string => typeof id === 'string' && id.trim() !== '').map((id) => id.trim());
	if (ids.length === 0) return book;
	const open = { ...book.open };
	const closing = new Set(ids);
	for (const [key, record] of Object.entries(book.open)) {
		if (closing.has(key) || record.aliases.some((alias) => closing.has(alias))) {
			for (const alias of record.aliases) closing.add(alias);
			delete open[key];
		}
	}
	return { open, closed: remember(book.closed, [...closing], now, settings.closedMemory) };
}

export interface AbandonmentSweep {
	abandoned: OpenCart[];
	book: CartBook;
	changed: boolean;
}

/**
 * The carts due now: open, with a contact, silent for at least the threshold. They are closed in the
 * returned book, which is what makes the report happen once. Carts without a contact that are older
 * than openCartMaxAgeMs are forgotten.
 */
export function sweepAbandoned(book: CartBook, now: number, settings: AbandonmentSettings): AbandonmentSweep {
	const abandoned: OpenCart[] = [];
	const open: Record<string, OpenCart> = {};
	const closing: string[] = [];
	let dropped = 0;
	for (const [key, record] of Object.entries(book.open)) {
		const silentFor = now - record.lastActivityAt;
		if (silentFor >= settings.thresholdMs && hasContact(record.cart, settings.contact)) {
			abandoned.push(record);
			closing.push(...record.aliases);
		} else if (now - record.lastActivityAt > settings.openCartMaxAgeMs) {
			dropped++;
		} else {
			open[key] = record;
		}
	}
	if (abandoned.length === 0 && dropped === 0) return { abandoned, book, changed: false };
	abandoned.sort((a, b) => a.lastActivityAt - b.lastActivityAt);
	const closed = closing.length ? remember(book.closed, closing, now, settings.closedMemory) : prune(book.closed, now, settings.closedMemory);
	return { abandoned, book: { open, closed }, changed: true };
}

/**
 * Keeps at most maxOpenCarts open carts. Carts without a contact go first (they cannot be reported),
 * then the longest-silent ones. Reaching this bound means it is too small for the store's traffic.
 */
function boundOpen(open: Record<string, OpenCart>, settings: AbandonmentSettings): Record<string, OpenCart> {
	const keys = Object.keys(open);
	if (keys.length <= settings.maxOpenCarts) return open;
	const rank = (key: string) => (hasContact(open[key].cart, settings.contact) ? 1 : 0);
	const kept = keys
		.sort((a, b) => rank(b) - rank(a) || open[b].lastActivityAt - open[a].lastActivityAt)
		.slice(0, settings.maxOpenCarts);
	const bounded: Record<string, OpenCart> = {};
	for (const key of kept) bounded[key] = open[key];
	return bounded;
}

/** When the next cart of the book becomes due (for the node's status message), or null. */
export function nextDueAt(book: CartBook, settings: AbandonmentSettings): number | null {
	let next: number | null = null;
	for (const record of Object.values(book.open)) {
		if (!hasContact(record.cart, settings.contact)) continue;
		const due = record.lastActivityAt + settings.thresholdMs;
		if (next === null || due < next) next = due;
	}
	return next;
}
