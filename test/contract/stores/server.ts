/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
/**
 * A contract-faithful store for the Commerce Trigger's webhook lifecycle: the Shopify Admin REST
 * webhook subscriptions and the WooCommerce REST v3 webhooks, on one local HTTP server. It can also
 * fire events the way the stores do, signed, to every subscription of a topic.
 *
 * Shopify (https://shopify.dev/docs/api/admin-rest/latest/resources/webhook), under /admin/api/{version}/:
 * - GET webhooks.json?address=&topic=&limit= (default 50, max 250) → 200 { webhooks: [...] }
 * - GET webhooks/count.json → { count }
 * - POST webhooks.json { webhook: { topic, address, format } } → 201 { webhook }; unknown topic → 422
 *   { errors: { topic: ["Invalid topic specified: …"] } }; same topic+address → 422
 *   { errors: { address: ["for this topic has already been taken"] } }
 * - GET/DELETE webhooks/{id}.json → 200 { webhook } / 200 {}; unknown id → 404 { errors: "Not Found" }
 * - GET shop.json (the credential test)
 * - Auth: X-Shopify-Access-Token; wrong or missing → 401 { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" }
 * Deviation: real Shopify only accepts https:// addresses; this server accepts http:// too (option
 * `requireHttps` restores the 422) because n8n under test listens on plain http.
 *
 * WooCommerce (https://woocommerce.github.io/woocommerce-rest-api-docs/#webhooks), under /wp-json/wc/v3/:
 * - GET webhooks?status=all|active|paused|disabled&per_page (default 10, max 100)&page → 200 [...] with
 *   X-WP-Total / X-WP-TotalPages
 * - POST webhooks { name, topic, delivery_url, secret, status } → 201 webhook; invalid topic → 400
 *   woocommerce_rest_webhook_invalid_topic; invalid delivery_url → 400 woocommerce_rest_invalid_delivery_url
 * - GET webhooks/{id}; DELETE webhooks/{id}?force=true → 200 webhook; without force → 501
 *   woocommerce_rest_trash_not_supported; unknown id → 404 woocommerce_rest_webhook_invalid_id
 * - Auth: HTTP Basic consumer key/secret (or consumer_key/consumer_secret query) → else 401
 *   woocommerce_rest_cannot_view
 * - Creating an active webhook can send WooCommerce's ping (`webhook_id=N`) to the delivery URL (option `wooPingOnCreate`).
 *
 * Control API under /__control/: POST reset, GET state, POST config, POST fault ({ status, times, route }),
 * POST fire ({ store: 'shopify'|'woocommerce', topic, payload, webhookId?, eventId? }) → delivers to every
 * matching subscription and returns each delivery's status, GET calls.
 *
 * Standalone: node scripts/run-ts.js test/contract/stores/server.ts --port 8788
 */
import http from 'node:http';
import { randomUUID } from 'node:crypto';

import { ContractHttpServer, argValue, runStandalone } from '../httpServer';
import { type SignedDelivery, postDelivery, signShopifyDelivery, signWooDelivery, wooPing } from './signer';

export const SHOPIFY_TOPICS = [
	'orders/create', 'orders/updated', 'orders/paid', 'orders/cancelled', 'orders/fulfilled', 'orders/partially_fulfilled',
	'orders/delete', 'orders/edited', 'refunds/create', 'checkouts/create', 'checkouts/update', 'checkouts/delete',
	'carts/create', 'carts/update', 'customers/create', 'customers/update', 'customers/delete', 'customers/enable',
	'customers/disable', 'products/create', 'products/update', 'products/delete', 'app/uninstalled',
];

export const WOO_TOPICS = [
	'coupon.created', 'coupon.updated', 'coupon.deleted', 'coupon.restored',
	'customer.created', 'customer.updated', 'customer.deleted',
	'order.created', 'order.updated', 'order.deleted', 'order.restored',
	'product.created', 'product.updated', 'product.deleted', 'product.restored',
];

export interface StoreServerOptions {
	port?: number;
	host?: string;
	shopifyAccessToken?: string;
	/** The app client secret Shopify signs deliveries with (used by "fire"). */
	shopifyClientSecret?: string;
	wooConsumerKey?: string;
	wooConsumerSecret?: string;
	requireHttps?: boolean;
	wooPingOnCreate?: boolean;
}

export const DEFAULT_STORE_CREDENTIALS = {
	shopifyAccessToken: 'shpat_contract_test_token',
	shopifyClientSecret: 'shopify-contract-client-secret',
	wooConsumerKey: 'ck_contract_test_key',
	wooConsumerSecret: 'cs_contract_test_secret',
};

interface ShopifyHook {
	id: number;
	address: string;
	topic: string;
	format: string;
	api_version: string;
	created_at: string;
	updated_at: string;
	fields: string[];
	metafield_namespaces: string[];
	private_metafield_namespaces: string[];
}

interface WooHook {
	id: number;
	name: string;
	status: string;
	topic: string;
	resource: string;
	event: string;
	hooks: string[];
	delivery_url: string;
	secret: string;
	date_created: string;
	date_created_gmt: string;
	date_modified: string;
	date_modified_gmt: string;
}

export interface CallRecord {
	method: string;
	path: string;
	status: number;
	at: string;
}

export interface FiredDelivery {
	store: 'shopify' | 'woocommerce';
	topic: string;
	address: string;
	status: number;
	body: string;
	webhookId: string;
}

interface Fault {
	status: number;
	times: number;
	route?: string;
}

function nowIso(): string {
	return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export class StoreContractServer extends ContractHttpServer {
	private readonly options: Required<StoreServerOptions>;
	shopifyHooks: ShopifyHook[] = [];
	wooHooks: WooHook[] = [];
	calls: CallRecord[] = [];
	deliveries: FiredDelivery[] = [];
	pings: Array<{ address: string; status: number }> = [];
	private faults: Fault[] = [];
	private nextId = 1;

	constructor(options: StoreServerOptions = {}) {
		super();
		this.options = {
			port: options.port ?? 0,
			host: options.host ?? '127.0.0.1',
			shopifyAccessToken: options.shopifyAccessToken ?? DEFAULT_STORE_CREDENTIALS.shopifyAccessToken,
			shopifyClientSecret: options.shopifyClientSecret ?? DEFAULT_STORE_CREDENTIALS.shopifyClientSecret,
			wooConsumerKey: options.wooConsumerKey ?? DEFAULT_STORE_CREDENTIALS.wooConsumerKey,
			wooConsumerSecret: options.wooConsumerSecret ?? DEFAULT_STORE_CREDENTIALS.wooConsumerSecret,
			requireHttps: options.requireHttps ?? false,
			wooPingOnCreate: options.wooPingOnCreate ?? false,
		};
	}

	protected listenAddress(): { host: string; port: number | undefined } {
		return { host: this.options.host, port: this.options.port };
	}

	reset(): void {
		this.shopifyHooks = [];
		this.wooHooks = [];
		this.calls = [];
		this.deliveries = [];
		this.pings = [];
		this.faults = [];
		this.nextId = 1;
	}

	/** Delivers an event to every subscription of the topic, signed as the store signs it. */
	async fire(store: 'shopify' | 'woocommerce', topic: string, payload: unknown, ids: { webhookId?: string; eventId?: string } = {}): Promise<FiredDelivery[]> {
		const fired: FiredDelivery[] = [];
		if (store === 'shopify') {
			for (const hook of this.shopifyHooks.filter((h) => h.topic === topic)) {
				const delivery = signShopifyDelivery({
					topic,
					payload,
					secret: this.options.shopifyClientSecret,
					apiVersion: hook.api_version,
					webhookId: ids.webhookId,
					eventId: ids.eventId,
				});
				fired.push(await this.deliver(store, topic, hook.address, delivery, delivery.headers['X-Shopify-Webhook-Id']));
			}
		} else {
			for (const hook of this.wooHooks.filter((h) => h.topic === topic && h.status === 'active')) {
				const delivery = signWooDelivery({ topic, payload, secret: hook.secret, webhookId: hook.id, deliveryId: ids.webhookId, source: `${this.url}/` });
				fired.push(await this.deliver(store, topic, hook.delivery_url, delivery, delivery.headers['X-WC-Webhook-Delivery-ID']));
			}
		}
		return fired;
	}

	private async deliver(store: FiredDelivery['store'], topic: string, address: string, delivery: SignedDelivery, webhookId: string): Promise<FiredDelivery> {
		let result: FiredDelivery;
		try {
			const response = await postDelivery(address, delivery);
			result = { store, topic, address, status: response.status, body: response.text, webhookId };
		} catch (error) {
			result = { store, topic, address, status: 0, body: (error as Error).message, webhookId };
		}
		this.deliveries.push(result);
		return result;
	}

	private send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
		res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
		res.end(JSON.stringify(body));
	}

	private async readBody(req: http.IncomingMessage): Promise<string> {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		return Buffer.concat(chunks).toString('utf8');
	}

	protected async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://localhost');
		const method = (req.method ?? 'GET').toUpperCase();
		const text = await this.readBody(req);
		let body: Record<string, unknown> = {};
		if (text) {
			try {
				body = JSON.parse(text);
			} catch {
				this.send(res, 400, { errors: 'Invalid JSON' });
				return;
			}
		}
		if (url.pathname.startsWith('/__control/')) {
			await this.control(method, url.pathname.slice('/__control/'.length), body, res);
			return;
		}
		const respond = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
			this.calls.push({ method, path: url.pathname + url.search, status, at: new Date().toISOString() });
			this.send(res, status, payload, headers);
		};
		const route = `${method} ${url.pathname}`;
		const faultIndex = this.faults.findIndex((fault) => !fault.route || route.includes(fault.route));
		if (faultIndex >= 0) {
			const fault = this.faults[faultIndex];
			if (--fault.times <= 0) this.faults.splice(faultIndex, 1);
			respond(fault.status, { errors: `Injected fault ${fault.status}` }, fault.status === 429 ? { 'Retry-After': '0' } : {});
			return;
		}
		const shopify = /^\/admin\/api\/([^/]+)\/(.+)$/.exec(url.pathname);
		if (shopify) return this.shopify(method, shopify[1], shopify[2], url, body, req, respond);
		const woo = /^\/wp-json\/wc\/v3\/(.+)$/.exec(url.pathname);
		if (woo) return this.woo(method, woo[1], url, body, req, respond);
		respond(404, { errors: 'Not Found' });
	}

	private shopify(
		method: string,
		version: string,
		path: string,
		url: URL,
		body: Record<string, unknown>,
		req: http.IncomingMessage,
		respond: (status: number, payload: unknown, headers?: Record<string, string>) => void,
	): void {
		if (req.headers['x-shopify-access-token'] !== this.options.shopifyAccessToken) {
			respond(401, { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
			return;
		}
		if (!/^\d{4}-\d{2}$|^unstable$/.test(version)) {
			respond(404, { errors: 'Not Found' });
			return;
		}
		if (method === 'GET' && path === 'shop.json') {
			respond(200, { shop: { id: 548380009, name: 'Retention Test Shop', domain: 'shop.example.com', myshopify_domain: 'retention-test.myshopify.com', currency: 'USD' } });
			return;
		}
		if (method === 'GET' && path === 'webhooks/count.json') {
			respond(200, { count: this.shopifyHooks.length });
			return;
		}
		if (path === 'webhooks.json' && method === 'GET') {
			const limit = Math.min(250, Math.max(1, Number(url.searchParams.get('limit') ?? 50)));
			const address = url.searchParams.get('address');
			const topic = url.searchParams.get('topic');
			const list = this.shopifyHooks.filter((hook) => (!address || hook.address === address) && (!topic || hook.topic === topic)).slice(0, limit);
			respond(200, { webhooks: list });
			return;
		}
		if (path === 'webhooks.json' && method === 'POST') {
			const input = (body.webhook ?? {}) as Record<string, unknown>;
			const topic = String(input.topic ?? '');
			const address = String(input.address ?? '');
			const errors: Record<string, string[]> = {};
			if (!SHOPIFY_TOPICS.includes(topic)) errors.topic = [`Invalid topic specified: ${topic}. Topics allowed: ${SHOPIFY_TOPICS.join(', ')}`];
			let parsed: URL | null = null;
			try {
				parsed = new URL(address);
			} catch {
				errors.address = ["can't be blank"];
			}
			if (parsed && this.options.requireHttps && parsed.protocol !== 'https:') errors.address = [`protocol ${parsed.protocol}// is not supported`];
			if (!errors.address && this.shopifyHooks.some((hook) => hook.topic === topic && hook.address === address)) {
				errors.address = ['for this topic has already been taken'];
			}
			if (Object.keys(errors).length) {
				respond(422, { errors });
				return;
			}
			const at = nowIso();
			const hook: ShopifyHook = {
				id: 4759306 + this.nextId++,
				address,
				topic,
				format: String(input.format ?? 'json'),
				api_version: version,
				created_at: at,
				updated_at: at,
				fields: [],
				metafield_namespaces: [],
				private_metafield_namespaces: [],
			};
			this.shopifyHooks.push(hook);
			respond(201, { webhook: hook });
			return;
		}
		const one = /^webhooks\/(\d+)\.json$/.exec(path);
		if (one) {
			const index = this.shopifyHooks.findIndex((hook) => hook.id === Number(one[1]));
			if (index < 0) {
				respond(404, { errors: 'Not Found' });
				return;
			}
			if (method === 'GET') {
				respond(200, { webhook: this.shopifyHooks[index] });
				return;
			}
			if (method === 'DELETE') {
				this.shopifyHooks.splice(index, 1);
				respond(200, {});
				return;
			}
		}
		respond(404, { errors: 'Not Found' });
	}

	private wooAuthorized(req: http.IncomingMessage, url: URL): boolean {
		const header = req.headers.authorization ?? '';
		if (header.startsWith('Basic ')) {
			const [key, secret] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
			return key === this.options.wooConsumerKey && secret === this.options.wooConsumerSecret;
		}
		return url.searchParams.get('consumer_key') === this.options.wooConsumerKey && url.searchParams.get('consumer_secret') === this.options.wooConsumerSecret;
	}

	private wooView(hook: WooHook): Omit<WooHook, 'secret'> & { _links: unknown } {
		const rest: Partial<WooHook> = { ...hook };
		// WooCommerce does not echo the secret back.
		delete rest.secret;
		return { ...(rest as Omit<WooHook, 'secret'>), _links: { self: [{ href: `${this.url}/wp-json/wc/v3/webhooks/${hook.id}` }], collection: [{ href: `${this.url}/wp-json/wc/v3/webhooks` }] } };
	}

	private async woo(
		method: string,
		path: string,
		url: URL,
		body: Record<string, unknown>,
		req: http.IncomingMessage,
		respond: (status: number, payload: unknown, headers?: Record<string, string>) => void,
	): Promise<void> {
		if (!this.wooAuthorized(req, url)) {
			respond(401, { code: 'woocommerce_rest_cannot_view', message: 'Sorry, you cannot list resources.', data: { status: 401 } });
			return;
		}
		if (path === 'webhooks' && method === 'GET') {
			const status = url.searchParams.get('status') ?? 'all';
			const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 10)));
			const page = Math.max(1, Number(url.searchParams.get('page') ?? 1));
			const all = this.wooHooks.filter((hook) => status === 'all' || hook.status === status);
			const list = all.slice((page - 1) * perPage, page * perPage).map((hook) => this.wooView(hook));
			respond(200, list, { 'X-WP-Total': String(all.length), 'X-WP-TotalPages': String(Math.max(1, Math.ceil(all.length / perPage))) });
			return;
		}
		if (path === 'webhooks' && method === 'POST') {
			const topic = String(body.topic ?? '');
			if (!WOO_TOPICS.includes(topic) && !topic.startsWith('action.')) {
				respond(400, { code: 'woocommerce_rest_webhook_invalid_topic', message: 'Webhook topic is required and must be valid.', data: { status: 400 } });
				return;
			}
			const deliveryUrl = String(body.delivery_url ?? '');
			if (!/^https?:\/\/\S+$/.test(deliveryUrl)) {
				respond(400, { code: 'woocommerce_rest_invalid_delivery_url', message: 'Webhook delivery URL must be a valid URL starting with http:// or https://.', data: { status: 400 } });
				return;
			}
			const at = nowIso().replace('Z', '');
			const [resource, event] = topic.split('.');
			const hook: WooHook = {
				id: this.nextId++,
				name: String(body.name ?? `Webhook created on ${at}`),
				status: String(body.status ?? 'active'),
				topic,
				resource,
				event,
				hooks: [`woocommerce_${event}_${resource}`],
				delivery_url: deliveryUrl,
				// WooCommerce generates a secret when none is given.
				secret: typeof body.secret === 'string' && body.secret !== '' ? body.secret : randomUUID(),
				date_created: at,
				date_created_gmt: at,
				date_modified: at,
				date_modified_gmt: at,
			};
			this.wooHooks.push(hook);
			if (this.options.wooPingOnCreate && hook.status === 'active') {
				const ping = wooPing(hook.id);
				const result = await postDelivery(hook.delivery_url, ping).catch(() => ({ status: 0 }));
				this.pings.push({ address: hook.delivery_url, status: result.status });
			}
			respond(201, this.wooView(hook));
			return;
		}
		const one = /^webhooks\/(\d+)$/.exec(path);
		if (one) {
			const index = this.wooHooks.findIndex((hook) => hook.id === Number(one[1]));
			if (index < 0) {
				respond(404, { code: 'woocommerce_rest_webhook_invalid_id', message: 'Invalid ID.', data: { status: 404 } });
				return;
			}
			if (method === 'GET') {
				respond(200, this.wooView(this.wooHooks[index]));
				return;
			}
			if (method === 'DELETE') {
				if (url.searchParams.get('force') !== 'true') {
					respond(501, { code: 'woocommerce_rest_trash_not_supported', message: 'Webhooks do not support trashing.', data: { status: 501 } });
					return;
				}
				const [removed] = this.wooHooks.splice(index, 1);
				respond(200, this.wooView(removed));
				return;
			}
		}
		respond(404, { code: 'rest_no_route', message: 'No route was found matching the URL and request method.', data: { status: 404 } });
	}

	private async control(method: string, action: string, body: Record<string, unknown>, res: http.ServerResponse): Promise<void> {
		if (method === 'POST' && action === 'reset') {
			this.reset();
			this.send(res, 200, { ok: true });
		} else if (method === 'GET' && action === 'state') {
			this.send(res, 200, { shopify: { webhooks: this.shopifyHooks }, woocommerce: { webhooks: this.wooHooks }, deliveries: this.deliveries, pings: this.pings });
		} else if (method === 'GET' && action === 'calls') {
			this.send(res, 200, { calls: this.calls });
		} else if (method === 'POST' && action === 'config') {
			for (const key of Object.keys(this.options) as Array<keyof StoreServerOptions>) {
				if (key in body && key !== 'port' && key !== 'host') (this.options as Record<string, unknown>)[key] = body[key];
			}
			this.send(res, 200, { ok: true });
		} else if (method === 'POST' && action === 'fault') {
			this.faults.push({ status: Number(body.status ?? 500), times: Number(body.times ?? 1), route: typeof body.route === 'string' ? body.route : undefined });
			this.send(res, 200, { ok: true });
		} else if (method === 'POST' && action === 'fire') {
			const store = body.store === 'woocommerce' ? 'woocommerce' : 'shopify';
			const fired = await this.fire(store, String(body.topic ?? ''), body.payload, {
				webhookId: typeof body.webhookId === 'string' ? body.webhookId : undefined,
				eventId: typeof body.eventId === 'string' ? body.eventId : undefined,
			});
			this.send(res, 200, { deliveries: fired });
		} else {
			this.send(res, 404, { error: `unknown control ${method} ${action}` });
		}
	}
}

/** Starts the store contract server on 127.0.0.1 (port 0 = any free port) and returns it, listening. */
export async function startStoreServer(options: StoreServerOptions = {}): Promise<StoreContractServer> {
	const server = new StoreContractServer(options);
	await server.listen();
	return server;
}

if (require.main === module || process.argv[1] === __filename) {
	runStandalone(
		(args) => startStoreServer({ port: Number(argValue(args, 'port') ?? 0), host: argValue(args, 'host') ?? '127.0.0.1', wooPingOnCreate: args.includes('--woo-ping') }),
		(server) => [`Store contract server (Shopify + WooCommerce) listening on ${server.url}`, JSON.stringify({ url: server.url, ...DEFAULT_STORE_CREDENTIALS })],
	);
}
