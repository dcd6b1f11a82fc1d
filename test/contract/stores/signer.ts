/**
 * Builds webhook deliveries exactly as the stores send them (headers, raw body, signature) and POSTs
 * them. Used by the unit tests, the contract server's "fire" control, and the real-n8n e2e and scale
 * suites. The signature is computed here with node:crypto independently of core/trigger, so a test that
 * passes proves our verifier agrees with the stores' documented algorithm, not with itself.
 *
 * - Shopify: https://shopify.dev/docs/apps/build/webhooks/delivery-structure#headers — X-Shopify-Topic,
 *   X-Shopify-Hmac-Sha256 (base64 HMAC-SHA256 of the raw body, app client secret), X-Shopify-Shop-Domain,
 *   X-Shopify-API-Version, X-Shopify-Webhook-Id (same on retries), X-Shopify-Event-Id, X-Shopify-Triggered-At.
 * - WooCommerce: WC_Webhook::deliver — X-WC-Webhook-Source/Topic/Resource/Event/Signature/ID/Delivery-ID,
 *   Content-Type application/json, body trim(wp_json_encode(payload)); the signature is
 *   base64(hash_hmac('sha256', body, secret, true)). WC_Webhook::deliver_ping — unsigned form body
 *   `webhook_id=N` (Content-Type application/x-www-form-urlencoded, as wp_remote_post sends a string body).
 * - Zoho Commerce: https://www.zoho.com/commerce/api/webhooks.html — X-ZOHO-Event header, form-encoded
 *   body carrying the entity JSON (JSONString=...); unsigned, so the trigger URL carries ?token=.
 */
import { createHmac, randomUUID } from 'node:crypto';

export interface SignedDelivery {
	headers: Record<string, string>;
	/** The exact bytes to send (the signature covers these). */
	body: string;
	/** Query parameters to append to the trigger URL (Zoho Commerce token). */
	query?: Record<string, string>;
}

function bodyText(payload: unknown): string {
	return typeof payload === 'string' ? payload : JSON.stringify(payload);
}

export function hmac(algorithm: 'sha256' | 'sha1' | 'sha512', secret: string, body: string, encoding: 'base64' | 'hex'): string {
	return createHmac(algorithm, secret).update(Buffer.from(body, 'utf8')).digest(encoding);
}

export interface ShopifyDeliveryOptions {
	topic: string;
	payload: unknown;
	/** The app's client secret; a different one produces a forged delivery. */
	secret: string;
	shopDomain?: string;
	apiVersion?: string;
	webhookId?: string;
	eventId?: string;
	triggeredAt?: string;
}

export function signShopifyDelivery(options: ShopifyDeliveryOptions): SignedDelivery {
	const body = bodyText(options.payload);
	return {
		body,
		headers: {
			'Content-Type': 'application/json',
			'X-Shopify-Topic': options.topic,
			'X-Shopify-Hmac-Sha256': hmac('sha256', options.secret, body, 'base64'),
			'X-Shopify-Shop-Domain': options.shopDomain ?? 'retention-test.myshopify.com',
			'X-Shopify-API-Version': options.apiVersion ?? '2025-07',
			'X-Shopify-Webhook-Id': options.webhookId ?? randomUUID(),
			'X-Shopify-Event-Id': options.eventId ?? randomUUID(),
			'X-Shopify-Triggered-At': options.triggeredAt ?? new Date().toISOString(),
		},
	};
}

export interface WooDeliveryOptions {
	topic: string;
	payload: unknown;
	secret: string;
	webhookId?: number | string;
	deliveryId?: string;
	source?: string;
}

export function signWooDelivery(options: WooDeliveryOptions): SignedDelivery {
	// WooCommerce signs trim(wp_json_encode($payload)); JSON.stringify gives the same bytes for our payloads.
	const body = bodyText(options.payload).trim();
	const [resource, event] = options.topic.split('.');
	return {
		body,
		headers: {
			'Content-Type': 'application/json',
			'User-Agent': 'WooCommerce/9.4.0 Hookshot (WordPress/6.7)',
			'X-WC-Webhook-Source': options.source ?? 'https://shop.example.com/',
			'X-WC-Webhook-Topic': options.topic,
			'X-WC-Webhook-Resource': resource,
			'X-WC-Webhook-Event': event ?? '',
			'X-WC-Webhook-Signature': hmac('sha256', options.secret, body, 'base64'),
			'X-WC-Webhook-ID': String(options.webhookId ?? 1),
			'X-WC-Webhook-Delivery-ID': options.deliveryId ?? createHmac('md5', 'delivery').update(randomUUID()).digest('hex'),
		},
	};
}

/** The activation ping WooCommerce sends to a new webhook's delivery URL. */
export function wooPing(webhookId: number | string): SignedDelivery {
	return {
		body: `webhook_id=${webhookId}`,
		headers: {
			'Content-Type': 'application/x-www-form-urlencoded',
			'User-Agent': 'WooCommerce/9.4.0 Hookshot (WordPress/6.7)',
		},
	};
}

export interface ZohoDeliveryOptions {
	event: string;
	payload: unknown;
	/** The trigger's secret token (goes in the URL, Zoho Commerce signs nothing). */
	token: string;
	/** 'form' (Zoho's default: JSONString=<json>) or 'json'. */
	format?: 'form' | 'json';
}

export function zohoDelivery(options: ZohoDeliveryOptions): SignedDelivery {
	const json = bodyText(options.payload);
	const form = (options.format ?? 'form') === 'form';
	return {
		body: form ? new URLSearchParams({ JSONString: json }).toString() : json,
		headers: {
			'Content-Type': form ? 'application/x-www-form-urlencoded;charset=UTF-8' : 'application/json',
			'X-ZOHO-Event': options.event,
		},
		query: { token: options.token },
	};
}

export interface CustomDeliveryOptions {
	topic: string;
	payload: unknown;
	secret: string;
	header?: string;
	algorithm?: 'sha256' | 'sha1' | 'sha512';
	encoding?: 'base64' | 'hex';
	prefix?: string;
	topicHeader?: string;
	eventIdHeader?: string;
	eventId?: string;
}

export function signCustomDelivery(options: CustomDeliveryOptions): SignedDelivery {
	const body = bodyText(options.payload);
	const signature = (options.prefix ?? '') + hmac(options.algorithm ?? 'sha256', options.secret, body, options.encoding ?? 'hex');
	return {
		body,
		headers: {
			'Content-Type': 'application/json',
			[options.header ?? 'X-Signature']: signature,
			[options.topicHeader ?? 'X-Commerce-Topic']: options.topic,
			[options.eventIdHeader ?? 'X-Commerce-Event-Id']: options.eventId ?? randomUUID(),
		},
	};
}

export interface PostResult {
	status: number;
	text: string;
	json: unknown;
}

/** POSTs a delivery to a trigger URL (e.g. http://127.0.0.1:5678/webhook/<id>/webhook) and reads the answer. */
export async function postDelivery(url: string, delivery: SignedDelivery, init: { timeoutMs?: number } = {}): Promise<PostResult> {
	const target = new URL(url);
	for (const [key, value] of Object.entries(delivery.query ?? {})) target.searchParams.set(key, value);
	const response = await fetch(target, {
		method: 'POST',
		headers: delivery.headers,
		body: delivery.body,
		signal: AbortSignal.timeout(init.timeoutMs ?? 10_000),
	});
	const text = await response.text();
	let json: unknown = null;
	try {
		json = text ? JSON.parse(text) : null;
	} catch {
		json = null;
	}
	return { status: response.status, text, json };
}

/** Sends an abandoned-cart check request (the trigger's clock), optionally with the node's check token. */
export async function postAbandonmentCheck(url: string, checkToken?: string): Promise<PostResult> {
	const target = new URL(url);
	target.searchParams.set('check', 'abandoned-carts');
	if (checkToken) target.searchParams.set('checkToken', checkToken);
	return postDelivery(target.toString(), { headers: {}, body: '' });
}
