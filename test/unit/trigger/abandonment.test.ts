import {
	DEFAULT_ABANDONMENT,
	EMPTY_CART_BOOK,
	type CartBook,
	closeCarts,
	nextDueAt,
	recordCart,
	sweepAbandoned,
} from '../../../core/trigger/abandonment';
import { EMPTY_UTM } from '../../../core/model/utm';
import type { Cart } from '../../../core/model/types';

const MINUTE = 60_000;
const settings = { ...DEFAULT_ABANDONMENT, thresholdMs: 60 * MINUTE };
const T0 = Date.parse('2024-05-01T10:00:00Z');

function cart(overrides: Partial<Cart> = {}): Cart {
	return {
		id: 'chk-1',
		source: 'shopify',
		email: 'ana@example.com',
		emailInvalid: null,
		phone: null,
		customer: null,
		currency: 'EUR',
		total: 42.5,
		lineItems: [],
		createdAt: '2024-05-01T10:00:00.000Z',
		updatedAt: '2024-05-01T10:00:00.000Z',
		completedAt: null,
		recoveryUrl: 'https://shop.example.com/recover/chk-1',
		utm: { ...EMPTY_UTM },
		landingPage: null,
		...overrides,
	};
}

describe('abandoned carts', () => {
	it('five updates then silence: exactly one abandonment, timed from the last update', () => {
		let book: CartBook = EMPTY_CART_BOOK;
		for (let i = 0; i < 5; i++) {
			book = recordCart(book, cart({ total: 10 + i, updatedAt: new Date(T0 + i * MINUTE).toISOString() }), [], T0 + i * MINUTE, settings);
		}
		// 59 minutes after the last update: not yet.
		expect(sweepAbandoned(book, T0 + 4 * MINUTE + 59 * MINUTE, settings).abandoned).toHaveLength(0);
		const due = sweepAbandoned(book, T0 + 4 * MINUTE + 60 * MINUTE, settings);
		expect(due.abandoned).toHaveLength(1);
		expect(due.abandoned[0].cart.total).toBe(14); // the latest snapshot
		// Checked again and again later: nothing more.
		expect(sweepAbandoned(due.book, T0 + 10 * 60 * MINUTE, settings).abandoned).toHaveLength(0);
		// An update after the report does not reopen the cart.
		const reopened = recordCart(due.book, cart({ total: 99 }), [], T0 + 3 * 60 * MINUTE, settings);
		expect(sweepAbandoned(reopened, T0 + 10 * 60 * MINUTE, settings).abandoned).toHaveLength(0);
	});

	it('completed within the window: nothing (order arrives with the checkout token)', () => {
		let book = recordCart(EMPTY_CART_BOOK, cart({ id: 'tok-9' }), ['cart-tok-9', '12345'], T0, settings);
		book = closeCarts(book, ['tok-9'], T0 + 30 * MINUTE, settings);
		expect(sweepAbandoned(book, T0 + 5 * 60 * MINUTE, settings).abandoned).toHaveLength(0);
		// A late checkouts/update for the same checkout does not reopen it.
		book = recordCart(book, cart({ id: 'tok-9' }), [], T0 + 40 * MINUTE, settings);
		expect(sweepAbandoned(book, T0 + 5 * 60 * MINUTE, settings).abandoned).toHaveLength(0);
	});

	it('completion by any alias (cart token) closes the checkout recorded under its token', () => {
		let book = recordCart(EMPTY_CART_BOOK, cart({ id: 'tok-9' }), ['cart-tok-9'], T0, settings);
		book = closeCarts(book, ['cart-tok-9'], T0 + MINUTE, settings);
		expect(Object.keys(book.open)).toHaveLength(0);
	});

	it('an order before its checkout delivery: the late checkout stays closed', () => {
		let book = closeCarts(EMPTY_CART_BOOK, ['tok-3'], T0, settings);
		book = recordCart(book, cart({ id: 'tok-3' }), [], T0 + MINUTE, settings);
		expect(sweepAbandoned(book, T0 + 5 * 60 * MINUTE, settings).abandoned).toHaveLength(0);
	});

	it('a checkout delivered as completed closes the cart', () => {
		let book = recordCart(EMPTY_CART_BOOK, cart(), [], T0, settings);
		book = recordCart(book, cart({ completedAt: '2024-05-01T10:20:00Z' }), [], T0 + 20 * MINUTE, settings);
		expect(sweepAbandoned(book, T0 + 5 * 60 * MINUTE, settings).abandoned).toHaveLength(0);
	});

	it('no email: nothing; a phone counts only when configured', () => {
		const book = recordCart(EMPTY_CART_BOOK, cart({ email: null, phone: '+49 30 1234567' }), [], T0, settings);
		expect(sweepAbandoned(book, T0 + 2 * 60 * MINUTE, settings).abandoned).toHaveLength(0);
		expect(sweepAbandoned(book, T0 + 2 * 60 * MINUTE, { ...settings, contact: 'emailOrPhone' }).abandoned).toHaveLength(1);
		const noContact = recordCart(EMPTY_CART_BOOK, cart({ email: null, emailInvalid: 'ana@', phone: null }), [], T0, settings);
		expect(sweepAbandoned(noContact, T0 + 2 * 60 * MINUTE, { ...settings, contact: 'emailOrPhone' }).abandoned).toHaveLength(0);
	});

	it('an email added later starts the clock from that update', () => {
		let book = recordCart(EMPTY_CART_BOOK, cart({ email: null }), [], T0, settings);
		book = recordCart(book, cart({ email: 'ana@example.com' }), [], T0 + 50 * MINUTE, settings);
		expect(sweepAbandoned(book, T0 + 100 * MINUTE, settings).abandoned).toHaveLength(0);
		expect(sweepAbandoned(book, T0 + 110 * MINUTE, settings).abandoned).toHaveLength(1);
	});

	it('an older delivery arriving late does not replace the newer snapshot', () => {
		let book = recordCart(EMPTY_CART_BOOK, cart({ total: 50, updatedAt: '2024-05-01T10:10:00Z' }), [], T0, settings);
		book = recordCart(book, cart({ total: 20, updatedAt: '2024-05-01T10:05:00Z' }), [], T0 + MINUTE, settings);
		expect(book.open['chk-1'].cart.total).toBe(50);
	});

	it('keeps snapshots without the raw payload (static data stays small)', () => {
		const book = recordCart(EMPTY_CART_BOOK, cart({ raw: { huge: 'x'.repeat(10_000) } }), [], T0, settings);
		expect(book.open['chk-1'].cart.raw).toBeUndefined();
	});

	it('bounds the open carts, dropping contactless carts first', () => {
		const small = { ...settings, maxOpenCarts: 2 };
		let book = recordCart(EMPTY_CART_BOOK, cart({ id: 'a', email: null }), [], T0, small);
		book = recordCart(book, cart({ id: 'b' }), [], T0 + 1, small);
		book = recordCart(book, cart({ id: 'c' }), [], T0 + 2, small);
		expect(Object.keys(book.open).sort()).toEqual(['b', 'c']);
	});

	it('forgets contactless carts after openCartMaxAgeMs; reports the next due time', () => {
		let book = recordCart(EMPTY_CART_BOOK, cart({ id: 'x', email: null }), [], T0, settings);
		book = recordCart(book, cart({ id: 'y' }), [], T0 + MINUTE, settings);
		expect(nextDueAt(book, settings)).toBe(T0 + 61 * MINUTE);
		const swept = sweepAbandoned(book, T0 + settings.openCartMaxAgeMs + 2 * MINUTE, settings);
		expect(swept.abandoned.map((record) => record.cart.id)).toEqual(['y']);
		expect(Object.keys(swept.book.open)).toEqual([]);
	});
});
