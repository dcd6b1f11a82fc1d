import type {
	IDataObject,
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { handleDelivery } from '../../core/trigger/delivery';
import { readState } from '../../core/trigger/state';
import { readDeliveryConfig } from './config';
import type { NodeStaticData } from './parameters';
import { commerceTriggerProperties } from './description';
import { checkExists, create, remove } from './lifecycle';

export class CommerceTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Commerce Trigger',
		name: 'commerceTrigger',
		icon: { light: 'file:commerceTrigger.svg', dark: 'file:commerceTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["source"] + ": " + [].concat($parameter["events"]).join(", ")}}',
		description:
			'Starts the workflow on verified, deduplicated store events (Shopify, WooCommerce, Zoho Commerce or any store) in one canonical shape, including abandoned carts',
		defaults: { name: 'Commerce Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'shopifyCommerceApi',
				required: true,
				displayOptions: { show: { source: ['shopify'], registration: ['automatic'] } },
			},
			{
				name: 'wooCommerceStoreApi',
				required: true,
				displayOptions: { show: { source: ['woocommerce'], registration: ['automatic'] } },
			},
		],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				// The store gets its 200 as soon as the execution starts; the workflow's work happens after.
				responseMode: 'onReceived',
				path: 'webhook',
			},
		],
		properties: commerceTriggerProperties,
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return await checkExists.call(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return await create.call(this);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return await remove.call(this);
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const request = this.getRequestObject();
		const staticData = this.getWorkflowStaticData('node') as NodeStaticData;
		const config = await readDeliveryConfig(this);
		const result = handleDelivery(
			{ headers: request.headers, query: (request.query ?? {}) as IDataObject, rawBody: request.rawBody },
			config,
			readState(staticData.state),
			Date.now(),
		);
		// Assigned only when changed: n8n saves static data when it sees a change.
		if (result.stateChanged) staticData.state = result.state as unknown as IDataObject;

		if (result.items.length === 0) {
			// Nothing to run: answer the store here and start no execution.
			this.getResponseObject().status(result.status).json(result.body);
			return { noWebhookResponse: true };
		}
		return { workflowData: [result.items.map((item) => ({ json: item as unknown as IDataObject }))] };
	}
}
