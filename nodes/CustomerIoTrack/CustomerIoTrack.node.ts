import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { properties } from './description';
import { execute } from './execute';

export class CustomerIoTrack implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Customer.io Track',
		name: 'customerIoTrack',
		icon: { light: 'file:customerIoTrack.svg', dark: 'file:customerIoTrack.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Identify people and track events in Customer.io with clean identities, normalised attributes and deduplicated events, in batches of up to 500 KB',
		defaults: { name: 'Customer.io Track' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Success', 'Failed'],
		credentials: [{ name: 'customerIoTrackApi', required: true }],
		usableAsTool: true,
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await execute(this);
	}
}
