/**
 * The canonical commerce model: the one shape every node of this package reads and writes,
 * whatever store the data came from. Plain data (JSON-safe) so it travels as n8n item JSON.
 *
 * Conventions:
 * - times are ISO-8601 strings in UTC (`2024-03-01T10:15:00.000Z`), or null when the store gave none;
 * - money is a JavaScript number in the currency's major unit (12.5 = 12.50 EUR, 1500 = 1500 JPY);
 * - emails are trimmed and lower-cased; an address that is not a valid email is kept in `emailInvalid`
 *   and `email` is null, so no node sends it on as an identity;
 * - `raw` keeps the store's payload untouched for anything the model does not map.
 */

export type SourceStore = 'shopify' | 'woocommerce' | 'zohoCommerce' | 'custom';

export type OrderStatus =
	| 'pending'
	| 'paid'
	| 'processing'
	| 'fulfilled'
	| 'completed'
	| 'cancelled'
	| 'refunded'
	| 'partially_refunded'
	| 'failed'
	| 'on_hold'
	| 'unknown';

export interface Address {
	company: string | null;
	firstName: string | null;
	lastName: string | null;
	line1: string | null;
	line2: string | null;
	city: string | null;
	region: string | null;
	postalCode: string | null;
	/** ISO 3166-1 alpha-2 where the store gives it (upper-case). */
	country: string | null;
	phone: string | null;
}

export interface LineItem {
	id: string | null;
	sku: string | null;
	name: string | null;
	quantity: number;
	/** Unit price in the order's currency. */
	price: number;
	/** Line total after line discounts, when the store gives it; else quantity × price. */
	total: number;
	category: string | null;
	productId: string | null;
	variantId: string | null;
}

export interface Utm {
	source: string | null;
	medium: string | null;
	campaign: string | null;
	term: string | null;
	content: string | null;
}

export interface Consent {
	/** true: opted in; false: opted out / unsubscribed; null: the store did not say. */
	emailMarketing: boolean | null;
	smsMarketing: boolean | null;
}

export interface Customer {
	id: string | null;
	email: string | null;
	/** The address as received, when it was not a valid email (so operators can see and fix it). */
	emailInvalid: string | null;
	firstName: string | null;
	lastName: string | null;
	phone: string | null;
	company: string | null;
	taxId: string | null;
	consent: Consent;
	createdAt: string | null;
	updatedAt: string | null;
	/** Order count and lifetime spend when the store reports them on the customer. */
	ordersCount: number | null;
	totalSpent: number | null;
	tags: string[];
	/** The store's customer payload, on a customer normalised on its own (not on order.customer). */
	raw?: unknown;
}

export interface Order {
	id: string;
	number: string | null;
	source: SourceStore;
	createdAt: string;
	updatedAt: string | null;
	status: OrderStatus;
	financialStatus: string | null;
	currency: string | null;
	total: number;
	subtotal: number | null;
	tax: number | null;
	discount: number | null;
	shipping: number | null;
	refundedTotal: number;
	customer: Customer;
	billingAddress: Address | null;
	shippingAddress: Address | null;
	lineItems: LineItem[];
	coupons: string[];
	utm: Utm;
	landingPage: string | null;
	referrer: string | null;
	cartId: string | null;
	raw?: unknown;
}

export interface Cart {
	id: string;
	source: SourceStore;
	email: string | null;
	emailInvalid: string | null;
	phone: string | null;
	customer: Customer | null;
	currency: string | null;
	total: number;
	lineItems: LineItem[];
	createdAt: string;
	updatedAt: string | null;
	/** Set when the checkout turned into an order. */
	completedAt: string | null;
	recoveryUrl: string | null;
	utm: Utm;
	landingPage: string | null;
	raw?: unknown;
}

export interface Refund {
	id: string;
	orderId: string;
	source: SourceStore;
	createdAt: string;
	currency: string | null;
	/** Positive amount refunded to the buyer. */
	amount: number;
	reason: string | null;
	lineItems: LineItem[];
	raw?: unknown;
}

export type CommerceEventType =
	| 'order.created'
	| 'order.updated'
	| 'order.paid'
	| 'order.cancelled'
	| 'order.refunded'
	| 'order.fulfilled'
	| 'cart.created'
	| 'cart.updated'
	| 'cart.abandoned'
	| 'customer.created'
	| 'customer.updated';

interface EventBase {
	type: CommerceEventType;
	source: SourceStore;
	/** The store's own topic or event name, e.g. `orders/create`, `order.updated`, `salesorder.confirmed`. */
	topic: string;
	/** The delivery's id when the store sends one, else a content hash; used for deduplication. */
	eventId: string;
	receivedAt: string;
}

export interface OrderEvent extends EventBase {
	entity: 'order';
	order: Order;
}
export interface CartEvent extends EventBase {
	entity: 'cart';
	cart: Cart;
}
export interface CustomerEvent extends EventBase {
	entity: 'customer';
	customer: Customer;
}
export interface RefundEvent extends EventBase {
	entity: 'refund';
	refund: Refund;
}

export type CommerceEvent = OrderEvent | CartEvent | CustomerEvent | RefundEvent;
