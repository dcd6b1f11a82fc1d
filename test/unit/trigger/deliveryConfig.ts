/** The secrets, clock and base delivery configuration the Commerce Trigger's core tests share. */
import type { CommerceEventType } from '../../../core/model/types';
import type { DeliveryConfig } from '../../../core/trigger/delivery';
import { entityMapper } from '../../../core/trigger/mapper';
import { SHOPIFY_SCHEME, WOOCOMMERCE_SCHEME } from '../../../core/trigger/signature';

export const SHOPIFY_SECRET = 'shopify-app-client-secret';
export const WOO_SECRET = 'woo-webhook-secret';
export const ZOHO_TOKEN = 'zoho-url-token-for-tests';
export const CUSTOM_SECRET = 'custom-shared-secret';
export const T0 = Date.parse('2024-05-01T10:00:00Z');
export const MINUTE = 60_000;

/** Shopify, orders created, raw payload kept, default limits; `overrides` set the rest. */
export function config(overrides: Partial<DeliveryConfig>): DeliveryConfig {
	return {
		source: 'shopify',
		events: ['order.created'],
		auth: { kind: 'hmac', header: 'x-shopify-hmac-sha256', secret: SHOPIFY_SECRET, scheme: SHOPIFY_SCHEME },
		keepRaw: true,
		maxBodyBytes: 2048 * 1024,
		dedupe: { maxEntries: 10_000, maxAgeMs: 24 * 3_600_000 },
		abandonment: null,
		checkToken: '',
		normalize: {},
		custom: { topicHeader: 'x-commerce-topic', eventIdHeader: 'x-commerce-event-id' },
		mapper: entityMapper,
		...overrides,
	};
}

/** The base configuration per store, as each one verifies its deliveries. */
export const shopify = (events: CommerceEventType[], extra: Partial<DeliveryConfig> = {}) => config({ events, ...extra });
export const woo = (events: CommerceEventType[], extra: Partial<DeliveryConfig> = {}) =>
	config({ source: 'woocommerce', events, auth: { kind: 'hmac', header: 'x-wc-webhook-signature', secret: WOO_SECRET, scheme: WOOCOMMERCE_SCHEME }, ...extra });
export const zoho = (events: CommerceEventType[]) => config({ source: 'zohoCommerce', events, auth: { kind: 'token', parameter: 'token', secret: ZOHO_TOKEN } });
export const custom = (events: CommerceEventType[], extra: Partial<DeliveryConfig> = {}) =>
	config({
		source: 'custom',
		events,
		auth: { kind: 'hmac', header: 'x-signature', secret: CUSTOM_SECRET, scheme: { algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=' } },
		...extra,
	});
