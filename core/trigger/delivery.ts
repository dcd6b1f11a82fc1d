/**
 * One webhook request in, one decision out: the HTTP answer for the store, the items to emit, and the
 * trigger's new memory. Pure (the clock and the state are passed in), so every path the store can take
 * (valid, forged, replayed, ping, malformed, oversized, unselected, unmappable) is unit-tested here,
 * and the node's `webhook()` only translates n8n's request/response objects.
 *
 * Order of checks: size → WooCommerce ping → signature/token → topic → body → duplicate → map.
 * The signature is checked on the raw bytes before anything is parsed.
 */
import { NormalizationError } from '../model/errors';
import type { Cart, CommerceEvent, CommerceEventType, Customer, Order, Refund, SourceStore } from '../model/types';
import {
	type AbandonmentSettings,
	type OpenCart,
	closeCarts,
	nextDueAt,
	recordCart,
	sweepAbandoned,
} from './abandonment';
import { type EventEntity, TOPIC_MAP, WOO_STATUS_MILESTONES, supportsAbandonment } from './events';
import { type MemoryLimits, hasAny, remember } from './memory';
import { type HmacScheme, secretsEqual, sha256Hex, verifySignature } from './signature';
import type { TriggerState } from './state';

export interface NormalizeOptions {
	keepRaw?: boolean;
	decimalSeparator?: '.' | ',';
	zone?: string;
}

/** The canonical-model normalisers (core/model/normalizers), passed in so this module stays testable on its own. */
export interface EntityMapper {
	order(source: SourceStore, payload: unknown, options?: NormalizeOptions): Order;
	cart(source: SourceStore, payload: unknown, options?: NormalizeOptions): Cart;
	customer(source: SourceStore, payload: unknown, options?: NormalizeOptions): Customer;
	refund(source: SourceStore, payload: unknown, options?: NormalizeOptions): Refund;
	parseZohoCommerceBody(body: unknown, contentType?: string): unknown;
}

export type RequestAuth =
	| { kind: 'hmac'; header: string; secret: string; scheme: HmacScheme }
	| { kind: 'token'; parameter: string; secret: string };

export interface DeliveryConfig {
	source: SourceStore;
	events: ReadonlyArray<CommerceEventType>;
	auth: RequestAuth;
	keepRaw: boolean;
	maxBodyBytes: number;
	dedupe: MemoryLimits;
	/** Set when "Cart Abandoned" is selected (and the store supports it). */
	abandonment: AbandonmentSettings | null;
	/** Token a check request must carry (`checkToken` query parameter); empty: checks need none. */
	checkToken: string;
	normalize: Pick<NormalizeOptions, 'decimalSeparator' | 'zone'>;
	/** Custom source: where the topic and the event id are read from. */
	custom: { topicHeader: string; eventIdHeader: string };
	mapper: EntityMapper;
}

export interface DeliveryRequest {
	/** Header names in lower case (as Node's http module gives them). */
	headers: Record<string, string | string[] | undefined>;
	query: Record<string, unknown>;
	rawBody: Buffer | undefined;
}

export interface MappingErrorItem {
	type: CommerceEventType;
	source: SourceStore;
	topic: string;
	eventId: string;
	receivedAt: string;
	entity: EventEntity;
	mappingError: { message: string; field: string | null };
	raw: unknown;
}

export type TriggerItem = CommerceEvent | MappingErrorItem;

export type DeliveryOutcome =
	| 'emitted'
	| 'recorded'
	| 'duplicate'
	| 'ignored'
	| 'ping'
	| 'checked'
	| 'unauthorized'
	| 'rejected'
	| 'misconfigured';

export interface DeliveryResult {
	status: number;
	outcome: DeliveryOutcome;
	/** The answer for the sender when nothing is emitted (n8n answers itself when an execution starts). */
	body: { status: DeliveryOutcome; message: string; [key: string]: unknown };
	items: TriggerItem[];
	state: TriggerState;
	/** Whether `state` differs from the input (the node writes static data only then). */
	stateChanged: boolean;
}

/** The query parameter value that marks an abandoned-cart check request. */
export const CHECK_QUERY_VALUE = 'abandoned-carts';
/** Topic of the cart.abandoned events (no store topic exists for them). */
export const ABANDONED_TOPIC = 'cart.abandoned';

/**
 * The memory key of an event: its id within its topic (for Shopify the same key as `X-Shopify-Event-Id`
 * per topic). The execution re-records it from the emitted item (see reconcile.ts), so it must be
 * derivable from the item's `topic` and `eventId` alone.
 */
export function eventKey(topic: string, eventId: string): string {
	return `event:${topic}:${eventId}`;
}

const TOPIC_HEADERS: Record<Exclude<SourceStore, 'custom'>, string> = {
	shopify: 'x-shopify-topic',
	woocommerce: 'x-wc-webhook-topic',
	zohoCommerce: 'x-zoho-event',
};

// WooCommerce statuses of an order still being checked out, and of one that was completed.
// https://woocommerce.com/document/managing-orders/order-statuses/
export const WOO_OPEN_CHECKOUT = ['pending', 'checkout-draft'];
export const WOO_COMPLETED = ['processing', 'completed', 'on-hold', 'refunded'];

export function header(request: DeliveryRequest, name: string): string | undefined {
	const value = request.headers[name.toLowerCase()];
	const first = Array.isArray(value) ? value[0] : value;
	return typeof first === 'string' ? first : undefined;
}

function queryValue(request: DeliveryRequest, name: string): string | undefined {
	const value = request.query?.[name];
	const first = Array.isArray(value) ? value[0] : value;
	return typeof first === 'string' ? first : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringOf(value: unknown): string | null {
	if (typeof value === 'string' && value.trim() !== '') return value.trim();
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return null;
}

function answer(
	state: TriggerState,
	status: number,
	outcome: DeliveryOutcome,
	message: string,
	extra: Record<string, unknown> = {},
): DeliveryResult {
	return { status, outcome, body: { status: outcome, message, ...extra }, items: [], state, stateChanged: false };
}

function authenticate(request: DeliveryRequest, raw: Buffer, auth: RequestAuth): { ok: true } | { ok: false; message: string } {
	if (auth.kind === 'hmac') {
		const check = verifySignature(raw, auth.secret, header(request, auth.header), auth.scheme);
		if (check.valid) return { ok: true };
		if (check.reason === 'missing') return { ok: false, message: `Unsigned request: the ${auth.header} header is missing` };
		return { ok: false, message: `The ${auth.header} signature does not match the body` };
	}
	const token = queryValue(request, auth.parameter);
	if (token === undefined) return { ok: false, message: `The "${auth.parameter}" query parameter is missing` };
	return secretsEqual(token, auth.secret) ? { ok: true } : { ok: false, message: `The "${auth.parameter}" token is wrong` };
}

function readTopic(request: DeliveryRequest, config: DeliveryConfig, body: unknown): string | undefined {
	if (config.source === 'custom') {
		const fromHeader = header(request, config.custom.topicHeader);
		if (fromHeader) return fromHeader.trim();
		if (isObject(body)) {
			for (const key of ['type', 'topic', 'event']) if (typeof body[key] === 'string') return (body[key] as string).trim();
		}
		return undefined;
	}
	const fromHeader = header(request, TOPIC_HEADERS[config.source]);
	if (fromHeader) return fromHeader.trim().toLowerCase();
	if (config.source === 'zohoCommerce') return queryValue(request, 'event')?.trim().toLowerCase();
	return undefined;
}

/** The store's own delivery/event ids, most specific first (used for dedupe and as eventId). */
function deliveryIds(request: DeliveryRequest, config: DeliveryConfig, body: unknown, topic: string): { eventId: string | null; keys: string[] } {
	const keys: string[] = [];
	let eventId: string | null = null;
	const add = (kind: string, value: string | undefined | null, isEventId: boolean) => {
		if (!value || value.trim() === '') return;
		keys.push(`${kind}:${value.trim()}`);
		if (isEventId && eventId === null) eventId = value.trim();
	};
	if (config.source === 'shopify') {
		// https://shopify.dev/docs/apps/build/webhooks/ignore-duplicates: the same X-Shopify-Event-Id means the same event.
		add(`event:${topic}`, header(request, 'x-shopify-event-id'), true);
		add('webhook', header(request, 'x-shopify-webhook-id'), true);
	} else if (config.source === 'woocommerce') {
		// X-WC-Webhook-Delivery-ID is new on every attempt (a hash of webhook id and time), so it is no
		// event id: a resend of the same body is recognised by the content hash, which is the eventId.
		add('delivery', header(request, 'x-wc-webhook-delivery-id'), false);
	} else if (config.source === 'custom') {
		add('event', header(request, config.custom.eventIdHeader), true);
		if (isObject(body)) add('event', stringOf(body.eventId) ?? stringOf(body.event_id), true);
	}
	return { eventId, keys };
}

interface ParsedBody {
	body: unknown;
}

function parseBody(request: DeliveryRequest, raw: Buffer, config: DeliveryConfig): ParsedBody | { status: number; message: string } {
	const contentType = header(request, 'content-type') ?? '';
	const text = raw.toString('utf8');
	if (text.trim() === '') return { status: 400, message: 'The body is empty' };
	if (config.source === 'zohoCommerce') {
		try {
			return { body: config.mapper.parseZohoCommerceBody(text, contentType) };
		} catch (error) {
			return { status: 400, message: `The body is not a Zoho Commerce payload: ${(error as Error).message}` };
		}
	}
	if (contentType !== '' && !/[/+]json\b/i.test(contentType)) {
		return { status: 415, message: `Expected a JSON body (Content-Type: application/json), got "${contentType}"` };
	}
	let body: unknown;
	try {
		body = JSON.parse(text);
	} catch (error) {
		return { status: 400, message: `The body is not valid JSON: ${(error as Error).message}` };
	}
	if (!isObject(body)) return { status: 400, message: 'The body must be a JSON object' };
	return { body };
}

function entityPayload(config: DeliveryConfig, body: unknown, entity: EventEntity): unknown {
	if (config.source !== 'custom' || !isObject(body)) return body;
	if (isObject(body.data)) return body.data;
	if (isObject(body[entity])) return body[entity];
	return body;
}

function normalizeEntity(config: DeliveryConfig, entity: EventEntity, payload: unknown): Order | Cart | Customer | Refund {
	const options: NormalizeOptions = { ...config.normalize, keepRaw: config.keepRaw };
	switch (entity) {
		case 'order':
			return config.mapper.order(config.source, payload, options);
		case 'cart':
			return config.mapper.cart(config.source, payload, options);
		case 'customer':
			return config.mapper.customer(config.source, payload, options);
		case 'refund':
			return config.mapper.refund(config.source, payload, options);
	}
}

function buildEvent(
	type: CommerceEventType,
	entity: EventEntity,
	value: Order | Cart | Customer | Refund,
	base: { source: SourceStore; topic: string; eventId: string; receivedAt: string },
): CommerceEvent {
	switch (entity) {
		case 'order':
			return { type, ...base, entity, order: value as Order };
		case 'cart':
			return { type, ...base, entity, cart: value as Cart };
		case 'customer':
			return { type, ...base, entity, customer: value as Customer };
		case 'refund':
			return { type, ...base, entity, refund: value as Refund };
	}
}

function mappingError(
	type: CommerceEventType,
	entity: EventEntity,
	error: unknown,
	payload: unknown,
	base: { source: SourceStore; topic: string; eventId: string; receivedAt: string },
): MappingErrorItem {
	const field = error instanceof NormalizationError ? error.field : null;
	const message = error instanceof Error ? error.message : String(error);
	return { type, ...base, entity, mappingError: { message, field }, raw: payload };
}

/** Ids under which an order's checkout may have been recorded as a cart. */
export function completionKeys(order: Order | null, payload: unknown): string[] {
	const raw = isObject(payload) ? payload : {};
	const keys = [order?.cartId, stringOf(raw.checkout_token), stringOf(raw.cart_token), stringOf(raw.checkout_id), stringOf(raw.cartId), stringOf(raw.cart_id)];
	return keys.filter((key): key is string => typeof key === 'string' && key !== '');
}

export function cartAliases(payload: unknown): string[] {
	const raw = isObject(payload) ? payload : {};
	return [stringOf(raw.token), stringOf(raw.cart_token), stringOf(raw.id)].filter((key): key is string => key !== null);
}

function abandonedEvent(record: OpenCart, source: SourceStore, now: number): CommerceEvent {
	return {
		type: 'cart.abandoned',
		source,
		topic: ABANDONED_TOPIC,
		// Deterministic, so a downstream system that deduplicates by event id sees one abandonment per cart.
		eventId: `cart.abandoned:${source}:${record.cart.id}`,
		receivedAt: new Date(now).toISOString(),
		entity: 'cart',
		cart: record.cart,
	};
}

/** Reports the carts that are due, closing them in the state. */
function sweep(state: TriggerState, config: DeliveryConfig, now: number): { state: TriggerState; items: TriggerItem[]; changed: boolean } {
	if (!config.abandonment) return { state, items: [], changed: false };
	const result = sweepAbandoned(state.carts, now, config.abandonment);
	if (!result.changed) return { state, items: [], changed: false };
	return {
		state: { ...state, carts: result.book },
		items: result.abandoned.map((record) => abandonedEvent(record, config.source, now)),
		changed: true,
	};
}

function finish(state: TriggerState, changed: boolean, items: TriggerItem[], config: DeliveryConfig, now: number, quiet: DeliveryResult): DeliveryResult {
	const swept = sweep(state, config, now);
	const allItems = [...items, ...swept.items];
	const stateChanged = changed || swept.changed;
	if (allItems.length > 0) {
		return {
			status: 200,
			outcome: 'emitted',
			body: { status: 'emitted', message: `Emitted ${allItems.length} event(s)`, events: allItems.length },
			items: allItems,
			state: swept.state,
			stateChanged,
		};
	}
	return { ...quiet, state: swept.state, stateChanged };
}

function handleCheck(request: DeliveryRequest, config: DeliveryConfig, state: TriggerState, now: number): DeliveryResult {
	if (!config.abandonment) {
		return answer(state, 400, 'rejected', 'Abandoned-cart checks are off: select "Cart Abandoned" in the node\'s events');
	}
	if (config.checkToken !== '' && !secretsEqual(queryValue(request, 'checkToken'), config.checkToken)) {
		return answer(state, 401, 'unauthorized', 'The "checkToken" query parameter is missing or wrong');
	}
	const quiet = answer(state, 200, 'checked', 'No cart is due');
	const result = finish(state, false, [], config, now, quiet);
	if (result.outcome === 'checked') {
		const next = nextDueAt(result.state.carts, config.abandonment);
		result.body.openCarts = Object.keys(result.state.carts.open).length;
		result.body.nextDueAt = next === null ? null : new Date(next).toISOString();
	}
	return result;
}

export function handleDelivery(request: DeliveryRequest, config: DeliveryConfig, state: TriggerState, now: number): DeliveryResult {
	if (queryValue(request, 'check') === CHECK_QUERY_VALUE) return handleCheck(request, config, state, now);

	const raw = request.rawBody ?? Buffer.alloc(0);
	if (raw.length > config.maxBodyBytes) {
		const kb = (bytes: number) => Math.ceil(bytes / 1024);
		return answer(state, 413, 'rejected', `The body is ${kb(raw.length)} KB; this trigger accepts at most ${kb(config.maxBodyBytes)} KB (option "Max Body Size")`);
	}

	// WooCommerce pings a new webhook with an unsigned form body `webhook_id=N` and needs a 200 back.
	if (config.source === 'woocommerce' && !header(request, 'x-wc-webhook-topic') && /^webhook_id=\d+$/.test(raw.toString('utf8').trim())) {
		return answer(state, 200, 'ping', 'WooCommerce ping acknowledged');
	}

	if (config.auth.secret === '') {
		// 5xx on purpose: the store retries later, so nothing is lost once the operator sets the secret.
		return answer(state, 500, 'misconfigured', 'The Commerce Trigger has no secret configured, so it cannot verify deliveries');
	}
	const auth = authenticate(request, raw, config.auth);
	if (!auth.ok) return answer(state, 401, 'unauthorized', auth.message);

	const parsed = parseBody(request, raw, config);
	if ('status' in parsed) return answer(state, parsed.status, 'rejected', parsed.message);
	const body = parsed.body;

	const topic = readTopic(request, config, body);
	if (!topic) {
		const where = config.source === 'custom' ? `the ${config.custom.topicHeader} header (or a "type" field)` : `the ${TOPIC_HEADERS[config.source]} header`;
		return answer(state, 400, 'rejected', `The delivery names no topic: ${where} is missing`);
	}

	const contentHash = sha256Hex(Buffer.concat([Buffer.from(`${topic}\n`), raw]));
	const ids = deliveryIds(request, config, body, topic);
	const eventId = ids.eventId ?? `sha256:${contentHash}`;
	const dedupeKeys = [...new Set([eventKey(topic, eventId), ...ids.keys, `sha256:${contentHash}`])];
	const receivedAt = new Date(now).toISOString();
	const base = { source: config.source, topic, eventId, receivedAt };

	if (hasAny(state.seen, dedupeKeys, now, config.dedupe)) {
		return finish(state, false, [], config, now, answer(state, 200, 'duplicate', 'Already received: acknowledged, not emitted again'));
	}

	const mapping = TOPIC_MAP[config.source][topic];
	if (!mapping) {
		return finish(state, false, [], config, now, answer(state, 200, 'ignored', `Topic "${topic}" is not one this trigger maps; acknowledged and ignored`));
	}

	const selected = new Set(config.events);
	const rawPayload = entityPayload(config, body, mapping.entity);
	const wooStatus = config.source === 'woocommerce' && mapping.entity === 'order' && isObject(rawPayload) ? stringOf(rawPayload.status) : null;
	const milestones = wooStatus ? WOO_STATUS_MILESTONES.filter((milestone) => selected.has(milestone.type) && milestone.statuses.includes(wooStatus)) : [];
	// Carts are recorded from cart topics; any order may complete one (Shopify sends orders/create, but an
	// orders/paid or orders/updated that arrives first closes the checkout just as well).
	const tracksCarts =
		config.abandonment !== null && supportsAbandonment(config.source) && (mapping.entity === 'cart' || mapping.entity === 'order');
	const wantsOwn = selected.has(mapping.type);

	if (!wantsOwn && milestones.length === 0 && !tracksCarts) {
		return finish(state, false, [], config, now, answer(state, 200, 'ignored', `Topic "${topic}" (${mapping.type}) is not selected in this trigger; acknowledged and ignored`));
	}

	let next: TriggerState = { ...state, seen: remember(state.seen, dedupeKeys, now, config.dedupe) };
	const items: TriggerItem[] = [];
	let entity: Order | Cart | Customer | Refund | null = null;
	let failure: unknown = null;
	try {
		entity = normalizeEntity(config, mapping.entity, rawPayload);
	} catch (error) {
		failure = error;
	}

	if (wantsOwn) {
		items.push(entity ? buildEvent(mapping.type, mapping.entity, entity, base) : mappingError(mapping.type, mapping.entity, failure, rawPayload, base));
	}

	if (milestones.length > 0) {
		const orderId = (entity as Order | null)?.id ?? (isObject(rawPayload) ? stringOf(rawPayload.id) : null) ?? contentHash;
		const due = milestones.filter((milestone) => !hasAny(next.milestones, [milestoneKey(orderId, milestone.type)], now, MILESTONE_MEMORY));
		for (const milestone of due) {
			const milestoneBase = { ...base, eventId: `${base.eventId}:${milestone.type}` };
			items.push(entity ? buildEvent(milestone.type, 'order', entity, milestoneBase) : mappingError(milestone.type, 'order', failure, rawPayload, milestoneBase));
		}
		if (due.length > 0) {
			next = { ...next, milestones: remember(next.milestones, due.map((milestone) => milestoneKey(orderId, milestone.type)), now, MILESTONE_MEMORY) };
		}
	}

	if (tracksCarts && config.abandonment) {
		next = { ...next, carts: trackCarts(next, config, config.abandonment, mapping.entity, entity, rawPayload, wooStatus, now) };
	}

	const quiet = answer(next, 200, 'recorded', `Topic "${topic}" recorded for abandoned-cart tracking; nothing to emit`);
	return finish(next, true, items, config, now, quiet);
}

export function milestoneKey(orderId: string, type: CommerceEventType): string {
	return `${orderId}|${type}`;
}

/** How long WooCommerce order milestones (paid, cancelled, refunded) are remembered. */
export const MILESTONE_MEMORY: MemoryLimits = { maxEntries: 20_000, maxAgeMs: 90 * 24 * 3_600_000 };

function trackCarts(
	state: TriggerState,
	config: DeliveryConfig,
	settings: AbandonmentSettings,
	entityKind: EventEntity,
	entity: Order | Cart | Customer | Refund | null,
	payload: unknown,
	wooStatus: string | null,
	now: number,
) {
	if (entityKind === 'cart') {
		return entity ? recordCart(state.carts, entity as Cart, cartAliases(payload), now, settings) : state.carts;
	}
	if (entityKind !== 'order') return state.carts;
	if (config.source === 'woocommerce') {
		const order = entity as Order | null;
		const orderId = order?.id ?? (isObject(payload) ? stringOf(payload.id) : null);
		if (wooStatus && WOO_OPEN_CHECKOUT.includes(wooStatus) && order) {
			// The normaliser's WooCommerce cart is the pending order seen as a checkout (payment_url to recover it).
			let cart: Cart;
			try {
				cart = config.mapper.cart('woocommerce', payload, { ...config.normalize, keepRaw: false });
			} catch {
				return state.carts; // not trackable as a cart (e.g. an unreadable date_paid); the order event itself was mapped
			}
			return recordCart(state.carts, cart, [], now, settings);
		}
		if (wooStatus && WOO_COMPLETED.includes(wooStatus) && orderId) return closeCarts(state.carts, [orderId], now, settings);
		return state.carts;
	}
	// Shopify and Custom: an order completes the checkout it came from, even when the order itself did not map.
	return closeCarts(state.carts, completionKeys(entity as Order | null, payload), now, settings);
}
