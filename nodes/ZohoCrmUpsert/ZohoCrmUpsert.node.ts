import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { router } from './actions/router';
import { properties } from './actions/versionDescription';
import { getModuleFields, getModules } from './methods/loadOptions';
import { getMappingColumns } from './methods/resourceMapping';

export class ZohoCrmUpsert implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Zoho CRM Upsert',
		name: 'zohoCrmUpsert',
		icon: { light: 'file:zohoCrmUpsert.svg', dark: 'file:zohoCrmUpsert.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Write contacts, accounts, leads, orders and RFM fields to Zoho CRM in batches of 100, with retries and per-record results',
		defaults: { name: 'Zoho CRM Upsert' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Success', 'Failed'],
		credentials: [{ name: 'zohoCrmRetentionOAuth2Api', required: true }],
		usableAsTool: true,
		properties,
	};

	methods = {
		loadOptions: { getModules, getModuleFields },
		resourceMapping: { getMappingColumns },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
