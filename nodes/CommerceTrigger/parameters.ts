import type { IDataObject, IHookFunctions, IWebhookFunctions } from 'n8n-workflow';

import { ALL_EVENT_TYPES } from '../../core/trigger/events';
import type { CommerceEventType, SourceStore } from '../../core/model/types';

/** Reading the parameters every part of the node needs (lifecycle and deliveries). */

export type Registration = 'automatic' | 'manual';

/** Where the node keeps what it must remember, inside its workflow static data. */
export interface NodeStaticData extends IDataObject {
	/** TriggerState (core/trigger/state.ts). */
	state?: IDataObject;
	/** Subscriptions created at the store in automatic mode. */
	subscriptions?: { address: string; ids: string[]; topics: string[] };
	/** The secret this node generated for its WooCommerce webhooks (automatic mode). */
	wooSecret?: string;
}

type AnyContext = IHookFunctions | IWebhookFunctions;

export function getSource(context: AnyContext): SourceStore {
	return context.getNodeParameter('source', 'shopify') as SourceStore;
}

export function getRegistration(context: AnyContext): Registration {
	const source = getSource(context);
	if (source !== 'shopify' && source !== 'woocommerce') return 'manual';
	return context.getNodeParameter('registration', 'automatic') as Registration;
}

export function getEvents(context: AnyContext): CommerceEventType[] {
	const value = context.getNodeParameter('events', []) as unknown;
	const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
	return list.map((event) => String(event).trim()).filter((event): event is CommerceEventType => (ALL_EVENT_TYPES as string[]).includes(event));
}
