import { randomBytes } from 'node:crypto';
import type { IHookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { topicsForEvents } from '../../core/trigger/events';
import { type StoreSubscription, isPlanSatisfied, planSubscriptions, sameAddress } from '../../core/trigger/subscriptions';
import { type NodeStaticData, getEvents, getRegistration, getSource } from './parameters';
import { type StoreWebhookApi, shopifyWebhookApi, wooWebhookApi } from './transport/storeApi';

/**
 * Webhook lifecycle for automatic registration (Shopify, WooCommerce): n8n calls checkExists on
 * activation, create when it returns false, and delete on deactivation. Manual registration has nothing
 * to manage. WooCommerce webhooks are created with a secret this node generates and keeps in static data,
 * so a webhook created by someone else (whose secret we do not know) is replaced, not adopted.
 */

interface Setup {
	api: StoreWebhookApi;
	address: string;
	topics: string[];
	staticData: NodeStaticData;
	isWoo: boolean;
}

async function setup(context: IHookFunctions): Promise<Setup | null> {
	if (getRegistration(context) !== 'automatic') return null;
	const source = getSource(context);
	const address = context.getNodeWebhookUrl('default');
	if (!address) throw new NodeOperationError(context.getNode(), 'n8n gave no webhook URL for this node');
	const topics = topicsForEvents(source, getEvents(context));
	if (topics.length === 0) {
		throw new NodeOperationError(context.getNode(), 'Select at least one event in "Events" that this store can send', {
			description: 'The selected events have no webhook topic in this store (see the Commerce Trigger docs for what each store sends).',
		});
	}
	const api = source === 'shopify' ? await shopifyWebhookApi(context) : await wooWebhookApi(context);
	return { api, address, topics, staticData: context.getWorkflowStaticData('node') as NodeStaticData, isWoo: source === 'woocommerce' };
}

function plan(current: Setup, existing: StoreSubscription[]) {
	const knownIds = new Set(current.staticData.subscriptions?.ids ?? []);
	return planSubscriptions(
		existing,
		current.topics,
		current.address,
		current.isWoo ? { requireActive: true, trusted: (hook) => Boolean(current.staticData.wooSecret) && knownIds.has(hook.id) } : {},
	);
}

export async function checkExists(this: IHookFunctions): Promise<boolean> {
	const current = await setup(this);
	if (!current) return true;
	const result = plan(current, await current.api.list(current.address));
	if (!isPlanSatisfied(result)) return false;
	current.staticData.subscriptions = { address: current.address, ids: result.keep.map((hook) => hook.id), topics: current.topics };
	return true;
}

export async function create(this: IHookFunctions): Promise<boolean> {
	const current = await setup(this);
	if (!current) return true;
	const result = plan(current, await current.api.list(current.address));
	for (const hook of result.remove) await current.api.remove(hook.id);
	let secret: string | undefined;
	if (current.isWoo) {
		// Reuse the secret of the webhooks we keep; otherwise start afresh with a new one.
		if (!current.staticData.wooSecret || result.keep.length === 0) current.staticData.wooSecret = randomBytes(32).toString('hex');
		secret = current.staticData.wooSecret;
	}
	const ids = result.keep.map((hook) => hook.id);
	for (const topic of result.create) {
		const id = await current.api.create(topic, current.address, secret);
		if (!id) throw new NodeOperationError(this.getNode(), `The store created the "${topic}" webhook but returned no id`);
		ids.push(id);
		// Saved as we go, so a failure half-way still lets delete() clean up what exists.
		current.staticData.subscriptions = { address: current.address, ids: [...ids], topics: current.topics };
	}
	current.staticData.subscriptions = { address: current.address, ids, topics: current.topics };
	return true;
}

export async function remove(this: IHookFunctions): Promise<boolean> {
	const current = await setup(this);
	if (!current) return true;
	const stored = current.staticData.subscriptions;
	const ids = new Set(stored?.ids ?? []);
	for (const hook of await current.api.list(current.address)) {
		if (sameAddress(hook.address, current.address)) ids.add(hook.id);
	}
	for (const id of ids) await current.api.remove(id);
	delete current.staticData.subscriptions;
	delete current.staticData.wooSecret;
	return true;
}
