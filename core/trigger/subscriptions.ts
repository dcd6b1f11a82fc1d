/**
 * Webhook subscriptions at the store, for "automatic" registration: which to keep, create and
 * remove so that exactly the needed topics point at this trigger's URL. Pure planning and URL
 * building; the node's transport makes the calls.
 * - Shopify REST Admin API, Webhook resource: https://shopify.dev/docs/api/admin-rest/latest/resources/webhook
 * - WooCommerce REST API v3, Webhooks: https://woocommerce.github.io/woocommerce-rest-api-docs/#webhooks
 */

export interface StoreSubscription {
	id: string;
	topic: string;
	address: string;
	/** WooCommerce only: active | paused | disabled. */
	status?: string;
}

export interface SubscriptionPlan {
	/** Subscriptions that already point here with a needed topic. */
	keep: StoreSubscription[];
	/** Needed topics without a subscription. */
	create: string[];
	/** Subscriptions pointing here whose topic is no longer needed, or duplicates, or (WooCommerce) not active. */
	remove: StoreSubscription[];
}

/** Compares delivery URLs the way a store stores them (no trailing slash, case-insensitive host). */
export function sameAddress(a: string, b: string): boolean {
	const canonical = (url: string) => {
		try {
			const parsed = new URL(url.trim());
			return `${parsed.protocol}//${parsed.host.toLowerCase()}${parsed.pathname.replace(/\/+$/, '')}${parsed.search}`;
		} catch {
			return url.trim().replace(/\/+$/, '');
		}
	};
	return canonical(a) === canonical(b);
}

export function planSubscriptions(
	existing: ReadonlyArray<StoreSubscription>,
	topics: ReadonlyArray<string>,
	address: string,
	options: { requireActive?: boolean; trusted?: (subscription: StoreSubscription) => boolean } = {},
): SubscriptionPlan {
	const wanted = new Set(topics);
	const keep: StoreSubscription[] = [];
	const remove: StoreSubscription[] = [];
	const covered = new Set<string>();
	for (const subscription of existing) {
		if (!sameAddress(subscription.address, address)) continue;
		const usable =
			wanted.has(subscription.topic) &&
			!covered.has(subscription.topic) &&
			(!options.requireActive || subscription.status === undefined || subscription.status === 'active') &&
			(!options.trusted || options.trusted(subscription));
		if (usable) {
			keep.push(subscription);
			covered.add(subscription.topic);
		} else {
			remove.push(subscription);
		}
	}
	return { keep, create: topics.filter((topic) => !covered.has(topic)), remove };
}

export function isPlanSatisfied(plan: SubscriptionPlan): boolean {
	return plan.create.length === 0 && plan.remove.length === 0;
}

/**
 * The Admin API base for a shop given as "my-store", "my-store.myshopify.com", or a full URL
 * (a full URL is used as is, which is how tests point the credential at a local server).
 */
export function shopifyBaseUrl(shop: string): string {
	const text = shop.trim().replace(/\/+$/, '');
	if (/^https?:\/\//i.test(text)) return text.replace(/\/admin(\/.*)?$/i, '');
	const handle = text.replace(/\.myshopify\.com$/i, '');
	return `https://${handle}.myshopify.com`;
}

export function shopifyAdminUrl(shop: string, apiVersion: string, path: string): string {
	return `${shopifyBaseUrl(shop)}/admin/api/${apiVersion.trim()}/${path.replace(/^\//, '')}`;
}

export function wooApiUrl(storeUrl: string, path: string): string {
	return `${storeUrl.trim().replace(/\/+$/, '')}/wp-json/wc/v3/${path.replace(/^\//, '')}`;
}

/** Reads Shopify's `{ webhooks: [...] }` list answer. */
export function readShopifyWebhooks(response: unknown): StoreSubscription[] {
	const list = (response as { webhooks?: unknown } | null)?.webhooks;
	if (!Array.isArray(list)) return [];
	return list
		.filter((hook): hook is Record<string, unknown> => typeof hook === 'object' && hook !== null)
		.map((hook) => ({ id: String(hook.id), topic: String(hook.topic ?? ''), address: String(hook.address ?? '') }));
}

/** Reads WooCommerce's webhook list (an array of webhook objects). */
export function readWooWebhooks(response: unknown): StoreSubscription[] {
	if (!Array.isArray(response)) return [];
	return response
		.filter((hook): hook is Record<string, unknown> => typeof hook === 'object' && hook !== null)
		.map((hook) => ({
			id: String(hook.id),
			topic: String(hook.topic ?? ''),
			address: String(hook.delivery_url ?? ''),
			status: typeof hook.status === 'string' ? hook.status : undefined,
		}));
}
