/**
 * Which store topic becomes which canonical event, per store. The one table the trigger, the
 * subscription lifecycle (which topics to subscribe to) and the docs are built from.
 */
import type { CommerceEventType, SourceStore } from '../model/types';

export type EventEntity = 'order' | 'cart' | 'customer' | 'refund';

/** The events an operator can pick in the node, in the order the node lists them. */
export const SELECTABLE_EVENTS: ReadonlyArray<{ value: CommerceEventType; name: string; description: string }> = [
	{ value: 'order.created', name: 'Order Created', description: 'A new order was placed' },
	{ value: 'order.updated', name: 'Order Updated', description: 'An order changed (status, items, addresses)' },
	{ value: 'order.paid', name: 'Order Paid', description: 'An order was paid' },
	{ value: 'order.cancelled', name: 'Order Cancelled', description: 'An order was cancelled or declined' },
	{ value: 'order.refunded', name: 'Order Refunded', description: 'Money was refunded on an order' },
	{ value: 'order.fulfilled', name: 'Order Fulfilled', description: 'An order was fulfilled or shipped' },
	{ value: 'cart.created', name: 'Cart Created', description: 'A shopper started a checkout' },
	{ value: 'cart.updated', name: 'Cart Updated', description: 'A shopper changed a checkout (items, email)' },
	{ value: 'cart.abandoned', name: 'Cart Abandoned', description: 'A checkout with a contact was left unfinished for longer than the threshold' },
	{ value: 'customer.created', name: 'Customer Created', description: 'A customer account was created' },
	{ value: 'customer.updated', name: 'Customer Updated', description: 'A customer account changed' },
];

export const ALL_EVENT_TYPES: ReadonlyArray<CommerceEventType> = SELECTABLE_EVENTS.map((event) => event.value);

export interface TopicMapping {
	/** The canonical event this topic always produces. */
	type: CommerceEventType;
	entity: EventEntity;
}

/**
 * Store topics and their canonical events.
 * - Shopify: https://shopify.dev/docs/api/admin-rest/latest/resources/webhook#event-topics
 * - WooCommerce: https://woocommerce.github.io/woocommerce-rest-api-docs/#webhooks (core topics; paid,
 *   cancelled and refunded are read from the order status, see `wooMilestones`)
 * - Zoho Commerce: https://www.zoho.com/commerce/api/create-webhook.html (X-ZOHO-Event header)
 * - Custom: the canonical event names themselves.
 */
export const TOPIC_MAP: Record<SourceStore, Record<string, TopicMapping>> = {
	shopify: {
		'orders/create': { type: 'order.created', entity: 'order' },
		'orders/updated': { type: 'order.updated', entity: 'order' },
		'orders/paid': { type: 'order.paid', entity: 'order' },
		'orders/cancelled': { type: 'order.cancelled', entity: 'order' },
		'orders/fulfilled': { type: 'order.fulfilled', entity: 'order' },
		'refunds/create': { type: 'order.refunded', entity: 'refund' },
		'checkouts/create': { type: 'cart.created', entity: 'cart' },
		'checkouts/update': { type: 'cart.updated', entity: 'cart' },
		'customers/create': { type: 'customer.created', entity: 'customer' },
		'customers/update': { type: 'customer.updated', entity: 'customer' },
	},
	woocommerce: {
		'order.created': { type: 'order.created', entity: 'order' },
		'order.updated': { type: 'order.updated', entity: 'order' },
		'customer.created': { type: 'customer.created', entity: 'customer' },
		'customer.updated': { type: 'customer.updated', entity: 'customer' },
	},
	zohoCommerce: {
		'salesorder.created': { type: 'order.created', entity: 'order' },
		'salesorder.confirmed': { type: 'order.updated', entity: 'order' },
		'salesorder.cancelled': { type: 'order.cancelled', entity: 'order' },
		'salesorder.declined': { type: 'order.cancelled', entity: 'order' },
		'salesorder.shipped': { type: 'order.fulfilled', entity: 'order' },
		'salesorder.delivered': { type: 'order.updated', entity: 'order' },
	},
	custom: Object.fromEntries(
		ALL_EVENT_TYPES.filter((type) => type !== 'cart.abandoned').map((type) => [type, { type, entity: entityOf(type) }]),
	),
};

export function entityOf(type: CommerceEventType): EventEntity {
	if (type === 'order.refunded') return 'order';
	return type.split('.')[0] as EventEntity;
}

/** WooCommerce has no paid/cancelled/refunded topics: these events come from an order's status. */
export const WOO_STATUS_MILESTONES: ReadonlyArray<{ type: CommerceEventType; statuses: ReadonlyArray<string> }> = [
	{ type: 'order.paid', statuses: ['processing', 'completed'] },
	{ type: 'order.cancelled', statuses: ['cancelled'] },
	{ type: 'order.refunded', statuses: ['refunded'] },
];

/** Which store topics carry the selected events (what automatic registration subscribes to). */
export function topicsForEvents(source: SourceStore, events: ReadonlyArray<CommerceEventType>): string[] {
	const wanted = new Set(events);
	const topics = new Set<string>();
	for (const [topic, mapping] of Object.entries(TOPIC_MAP[source])) {
		if (wanted.has(mapping.type)) topics.add(topic);
	}
	if (source === 'woocommerce' && WOO_STATUS_MILESTONES.some((milestone) => wanted.has(milestone.type))) {
		topics.add('order.created');
		topics.add('order.updated');
	}
	if (wanted.has('cart.abandoned')) for (const topic of ABANDONMENT_TOPICS[source]) topics.add(topic);
	return [...topics].sort();
}

/**
 * Topics the abandonment tracker needs even when their own events are not selected:
 * the carts themselves and the orders that complete them.
 */
export const ABANDONMENT_TOPICS: Record<SourceStore, ReadonlyArray<string>> = {
	shopify: ['checkouts/create', 'checkouts/update', 'orders/create'],
	// WooCommerce has no cart webhooks: an order in "Pending payment" or "Draft" status is the open checkout.
	woocommerce: ['order.created', 'order.updated'],
	zohoCommerce: [],
	custom: ['cart.created', 'cart.updated', 'order.created', 'order.updated', 'order.paid'],
};

export function supportsAbandonment(source: SourceStore): boolean {
	return ABANDONMENT_TOPICS[source].length > 0;
}

/** The events a store can deliver at all (for the node's hints and the docs). */
export function eventsAvailableFor(source: SourceStore): CommerceEventType[] {
	const types = new Set<CommerceEventType>(Object.values(TOPIC_MAP[source]).map((mapping) => mapping.type));
	if (source === 'woocommerce') for (const milestone of WOO_STATUS_MILESTONES) types.add(milestone.type);
	if (supportsAbandonment(source)) types.add('cart.abandoned');
	return ALL_EVENT_TYPES.filter((type) => types.has(type));
}
