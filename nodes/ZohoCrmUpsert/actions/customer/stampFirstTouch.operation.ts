import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ItemResult } from '../../../../core/zoho/flows/common';
import type { FirstTouchConfig, FirstTouchEntry } from '../../../../core/zoho/flows/firstTouch';
import { planStampFirstTouch, runStampFirstTouch } from '../../../../core/zoho/flows/firstTouch';
import { DEFAULT_CONTACT_FIELDS } from '../../../../core/zoho/flows/people';
import { readOrder } from '../../../../core/zoho/inputs';
import type { NodeOutputs } from '../common';
import { dryRunOutputs, inputFailure, readOptions, runOperation, stringParam, toOutputs } from '../common';
import { leadSourceValueParameter, personFieldsParameter, readPersonFields, readUtmFields, utmFieldsParameter } from './fields';

const properties: INodeProperties[] = [
	{
		displayName: 'Order Field',
		name: 'orderField',
		type: 'string',
		default: '',
		placeholder: 'order',
		description: 'Where the order is in each item. Empty: the item is a canonical order, or a Commerce Trigger order event.',
	},
	utmFieldsParameter(),
	personFieldsParameter('contactFields', 'Contact Field Names', DEFAULT_CONTACT_FIELDS, 'Contact'),
	leadSourceValueParameter,
];

export const description = updateDisplayOptions({ show: { resource: ['customer'], operation: ['stampFirstTouch'] } }, properties);

export async function execute(this: IExecuteFunctions): Promise<NodeOutputs> {
	const items = this.getInputData();
	const config: FirstTouchConfig = {
		utm: readUtmFields(this),
		contactFields: readPersonFields(this, 'contactFields', DEFAULT_CONTACT_FIELDS),
		leadSourceValue: stringParam(this, 'leadSourceValue', 'Online Store'),
		trigger: readOptions(this).trigger,
	};
	const orderField = stringParam(this, 'orderField');
	const entries: FirstTouchEntry[] = [];
	const failures: ItemResult[] = [];
	items.forEach((item, itemIndex) => {
		try {
			entries.push({ itemIndex, order: readOrder(item.json, orderField) });
		} catch (error) {
			failures.push(inputFailure(itemIndex, error));
		}
	});
	return await runOperation(this, {
		plan: ({ apiDomain }) => dryRunOutputs(items, apiDomain, planStampFirstTouch(entries, config).calls, failures),
		run: async (client) => toOutputs(items, [...failures, ...(await runStampFirstTouch(client, entries, config))]),
	});
}
