/** The secrets, clock and base delivery configuration the Commerce Trigger's core tests share. */
import type { DeliveryConfig } from '../../../core/trigger/delivery';
import { entityMapper } from '../../../core/trigger/mapper';
import { SHOPIFY_SCHEME } from '../../../core/trigger/signature';

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
