/**
 * Customer.io Track API limits and hosts, as documented. Every number here comes from Customer.io's
 * published Track API reference (the OpenAPI document behind https://docs.customer.io/api/track/,
 * downloadable at https://docs.customer.io/files/journeys-track.json), section "Rate Limits" and
 * the payload limit tables, unless a comment says otherwise.
 */

/** Region hosts — https://docs.customer.io/api/track/#section/Overview (Server addresses: US and EU). */
export const TRACK_HOSTS = {
	us: 'https://track.customer.io',
	eu: 'https://track-eu.customer.io',
} as const;
export type TrackRegion = keyof typeof TRACK_HOSTS;

/**
 * "/batch is limited to requests 500kb or smaller. Each of the requests within a batch must also be
 * 32kb or smaller." and "/entity is limited to requests 32kb or smaller."
 * — https://docs.customer.io/api/track/#tag/track_v2/operation/batch
 * The docs do not say whether "kb" means 1,000 or 1,024 bytes; we pack to the smaller reading
 * (500,000 and 32,000 bytes of UTF-8 JSON), so a request is under the limit either way.
 */
export const V2_BATCH_MAX_BYTES = 500_000;
export const V2_ITEM_MAX_BYTES = 32_000;

/**
 * Customer limits — https://docs.customer.io/api/track/#section/Overview (Customer limits):
 * ID 150 bytes, attribute name 150 bytes, attribute value 1000 bytes, 300 attributes per identify.
 * Error texts Customer.io returns for them: https://docs.customer.io/journeys/invalid-api-requests
 */
export const MAX_ID_BYTES = 150;
export const MAX_ATTRIBUTE_NAME_BYTES = 150;
export const MAX_ATTRIBUTE_VALUE_BYTES = 1000;
export const MAX_ATTRIBUTES_PER_CALL = 300;

/** Event limits (same section): event name 100 bytes, event data 100,000 bytes. */
export const MAX_EVENT_NAME_BYTES = 100;
export const MAX_EVENT_DATA_BYTES = 100_000;

/**
 * Rate: "The Track API has a rate limit of 1000 requests per second for both active data integrations
 * and historical backfill scripts. This limit applies to both our v1 and v2 APIs. While this rate is
 * not strictly enforced, consistently exceeding it may lead to throttling" (Track API reference,
 * "Rate Limits"). Older versions of the same page, still widely quoted, said 100 per second; we pace
 * to that lower figure by default and let the operator raise it. Exceeding it is answered with 429.
 */
export const DOCUMENTED_RATE_PER_SECOND = 1000;
export const DEFAULT_RATE_PER_SECOND = 100;
export const DEFAULT_CONCURRENCY = 4;

/**
 * The retention vocabulary the node offers as event names (free text stays allowed). The templates and
 * the Customer.io campaigns they drive use these exact names.
 */
export const RETENTION_EVENT_NAMES = [
	'order_completed',
	'cart_abandoned',
	'refund_issued',
	'subscription_renewed',
	'deal_won',
	'segment_changed',
	'lifecycle_stage_changed',
] as const;

/**
 * Attributes that record a person's consent. Customer.io sets `unsubscribed` and
 * `cio_subscription_preferences` itself when a person uses an unsubscribe link
 * (https://docs.customer.io/api/track/#operation/identify, attribute descriptions); a sync from a
 * store or CRM must not overwrite them unless the operator says that source owns consent.
 */
export const DEFAULT_CONSENT_ATTRIBUTES = ['unsubscribed', 'cio_subscription_preferences', 'email_marketing_consent', 'sms_marketing_consent', 'accepts_marketing', 'marketing_opt_in'];

/** Attribute names Customer.io reserves for identity, which the node sets itself or refuses. */
export const IDENTIFIER_ATTRIBUTES = ['id', 'email', 'cio_id'] as const;

/** Length in bytes of a string as UTF-8, the unit of every Customer.io limit. */
export function utf8Bytes(text: string): number {
	let bytes = 0;
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		if (code < 0x80) bytes += 1;
		else if (code < 0x800) bytes += 2;
		else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
			const next = text.charCodeAt(i + 1);
			if (next >= 0xdc00 && next <= 0xdfff) {
				bytes += 4;
				i++;
			} else bytes += 3;
		} else bytes += 3;
	}
	return bytes;
}

/** Bytes of a value as JSON would send it. */
export function jsonBytes(value: unknown): number {
	return utf8Bytes(JSON.stringify(value) ?? '');
}
