import type { IDataObject, IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';

import { DEFAULT_ABANDONMENT, type AbandonmentContact } from '../../core/trigger/abandonment';
import type { DeliveryConfig, RequestAuth } from '../../core/trigger/delivery';
import type { ReconcileSettings } from '../../core/trigger/reconcile';
import { supportsAbandonment } from '../../core/trigger/events';
import { entityMapper } from '../../core/trigger/mapper';
import { type HmacAlgorithm, type SignatureEncoding, SHOPIFY_SCHEME, WOOCOMMERCE_SCHEME } from '../../core/trigger/signature';
import type { SourceStore } from '../../core/model/types';
import { type NodeStaticData, type Registration, getEvents, getRegistration, getSource } from './parameters';

function option<T>(options: IDataObject, name: string, fallback: T): T {
	const value = options[name];
	if (value === undefined || value === null || value === '') return fallback;
	return value as T;
}

async function readAuth(context: IWebhookFunctions, source: SourceStore, registration: Registration): Promise<RequestAuth> {
	const secretParameter = () => String(context.getNodeParameter('webhookSecret', '') ?? '');
	const tokenParameter = () => String(context.getNodeParameter('secretToken', '') ?? '');
	if (source === 'shopify') {
		if (registration === 'manual') return { kind: 'hmac', header: 'x-shopify-hmac-sha256', secret: secretParameter(), scheme: SHOPIFY_SCHEME };
		const credentials = await context.getCredentials('shopifyCommerceApi');
		return { kind: 'hmac', header: 'x-shopify-hmac-sha256', secret: String(credentials.clientSecret ?? ''), scheme: SHOPIFY_SCHEME };
	}
	if (source === 'woocommerce') {
		const staticData = context.getWorkflowStaticData('node') as NodeStaticData;
		const secret = registration === 'manual' ? secretParameter() : String(staticData.wooSecret ?? '');
		return { kind: 'hmac', header: 'x-wc-webhook-signature', secret, scheme: WOOCOMMERCE_SCHEME };
	}
	if (source === 'zohoCommerce') return { kind: 'token', parameter: 'token', secret: tokenParameter() };
	const verification = context.getNodeParameter('customVerification', 'hmac') as 'hmac' | 'token';
	if (verification === 'token') return { kind: 'token', parameter: 'token', secret: tokenParameter() };
	return {
		kind: 'hmac',
		header: String(context.getNodeParameter('signatureHeader', 'X-Signature')).trim().toLowerCase(),
		secret: secretParameter(),
		scheme: {
			algorithm: context.getNodeParameter('signatureAlgorithm', 'sha256') as HmacAlgorithm,
			encoding: context.getNodeParameter('signatureEncoding', 'hex') as SignatureEncoding,
			prefix: String(context.getNodeParameter('signaturePrefix', '') ?? ''),
		},
	};
}

type Read = (name: string, fallback: unknown) => unknown;

/** The settings both the webhook call and the execution's bookkeeping (reconcile) need. */
function readShared(read: Read, source: SourceStore, events: string[]): Omit<ReconcileSettings, 'mapper'> {
	const options = (read('options', {}) ?? {}) as IDataObject;
	const abandonmentOn = events.includes('cart.abandoned') && supportsAbandonment(source);
	const minutes = Number(read('abandonAfterMinutes', 60));
	const decimalSeparator = option<string>(options, 'decimalSeparator', '');
	const zone = option<string>(options, 'zone', '').trim();
	return {
		source,
		dedupe: {
			maxEntries: Math.max(100, Math.floor(Number(option(options, 'dedupeMaxEntries', 10_000)))),
			maxAgeMs: Math.max(1, Number(option(options, 'dedupeHours', 24))) * 3_600_000,
		},
		abandonment: abandonmentOn
			? {
					...DEFAULT_ABANDONMENT,
					thresholdMs: (Number.isFinite(minutes) && minutes > 0 ? minutes : 60) * 60_000,
					contact: read('abandonmentContact', 'email') as AbandonmentContact,
					maxOpenCarts: Math.max(10, Math.floor(Number(option(options, 'maxOpenCarts', DEFAULT_ABANDONMENT.maxOpenCarts)))),
				}
			: null,
		normalize: {
			...(decimalSeparator === '.' || decimalSeparator === ',' ? { decimalSeparator } : {}),
			...(zone ? { zone } : {}),
		},
	};
}

/** The execution's bookkeeping settings (parameters read as for item 0: they take no expressions per item). */
export function readReconcileSettings(context: IExecuteFunctions): ReconcileSettings {
	const read: Read = (name, fallback) => context.getNodeParameter(name, 0, fallback);
	const source = read('source', 'shopify') as SourceStore;
	const events = ((read('events', []) as unknown[]) ?? []).map(String);
	return { ...readShared(read, source, events), mapper: entityMapper };
}

/** Reads the node's parameters into the delivery handler's configuration. */
export async function readDeliveryConfig(context: IWebhookFunctions): Promise<DeliveryConfig> {
	const source = getSource(context);
	const registration = getRegistration(context);
	const events = getEvents(context);
	const options = (context.getNodeParameter('options', {}) ?? {}) as IDataObject;
	const shared = readShared((name, fallback) => context.getNodeParameter(name, fallback), source, events);
	return {
		...shared,
		events,
		auth: await readAuth(context, source, registration),
		keepRaw: option<boolean>(options, 'includeRaw', true),
		maxBodyBytes: Math.max(1, Number(option(options, 'maxBodyKb', 2048))) * 1024,
		checkToken: String(context.getNodeParameter('checkToken', '') ?? ''),
		custom: {
			topicHeader: String(context.getNodeParameter('topicHeader', 'X-Commerce-Topic')).trim().toLowerCase(),
			eventIdHeader: String(context.getNodeParameter('eventIdHeader', 'X-Commerce-Event-Id')).trim().toLowerCase(),
		},
		mapper: entityMapper,
	};
}
