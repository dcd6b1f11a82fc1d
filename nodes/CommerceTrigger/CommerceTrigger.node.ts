import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { handleDelivery } from '../../core/trigger/delivery';
import { reconcileState } from '../../core/trigger/reconcile';
import { readState } from '../../core/trigger/state';
import { readDeliveryConfig, readReconcileSettings } from './config';
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
				// webhook() answers the store itself before the workflow runs; the workflow's work happens after.
				responseMode: 'onReceived',
				responseData: 'noData',
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

		// The trigger always answers the store itself, at once. With items, n8n still starts the execution
		// (`workflowData` with `noWebhookResponse`), and having answered first means n8n saves the static
		// data above before it creates the execution (n8n 2.x would otherwise drop the change, see execute()).
		this.getResponseObject().status(result.status).json(result.body);
		if (result.items.length === 0) return { noWebhookResponse: true };
		return { noWebhookResponse: true, workflowData: [result.items.map((item) => ({ json: item as unknown as IDataObject }))] };
	}

	/**
	 * Runs first in every execution this trigger starts: passes the items on unchanged and records
	 * again, in the execution's own static data, what the webhook call remembered about them (n8n 2.x
	 * drops a webhook's static-data changes when it starts an execution; see core/trigger/reconcile.ts).
	 */
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const staticData = this.getWorkflowStaticData('node') as NodeStaticData;
		const result = reconcileState(
			readState(staticData.state),
			items.map((item) => item.json),
			readReconcileSettings(this),
			Date.now(),
		);
		if (result.changed) staticData.state = result.state as unknown as IDataObject;
		return [items.map((item, index) => ({ ...item, pairedItem: { item: index } }))];
	}
}
