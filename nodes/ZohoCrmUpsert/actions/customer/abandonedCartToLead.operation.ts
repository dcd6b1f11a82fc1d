import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { CartEntry, LeadConfig } from '../../../../core/zoho/flows/abandonedCart';
import { DEFAULT_LEAD_CART_FIELDS, planAbandonedCartToLead, runAbandonedCartToLead } from '../../../../core/zoho/flows/abandonedCart';
import type { ItemResult } from '../../../../core/zoho/flows/common';
import { DEFAULT_LEAD_FIELDS } from '../../../../core/zoho/flows/people';
import { readCart } from '../../../../core/zoho/inputs';
import type { NodeOutputs } from '../common';
import { dryRunOutputs, inputFailure, readOptions, runOperation, stringParam, toOutputs } from '../common';
import { leadSourceValueParameter, overrides, personFieldsParameter, readPersonFields } from './fields';

const properties: INodeProperties[] = [
	{
		displayName: 'Cart Field',
		name: 'cartField',
		type: 'string',
		default: '',
		placeholder: 'cart',
		description: 'Where the cart is in each item. Empty: the item is a canonical cart, or a Commerce Trigger cart event (read from its "cart" field).',
	},
	{
		displayName: 'Abandoned Cart Status',
		name: 'statusValue',
		type: 'string',
		default: 'Abandoned_Cart',
		description: 'Written to the Lead\'s status field. Add this value to the Lead Status picklist in Zoho CRM (Setup › Modules › Leads › Lead Status).',
	},
	{
		displayName: 'Cart Field Names',
		name: 'leadCartFields',
		type: 'collection',
		placeholder: 'Use Another Field',
		default: {},
		description: 'Lead fields for the cart, by Zoho API name (Cart_Value, Cart_Recovery_URL, Cart_ID and Cart_Abandoned_At are custom fields to create). Empty: not written.',
		options: [
			{ displayName: 'Abandoned At Field', name: 'abandonedAtField', type: 'string', default: 'Cart_Abandoned_At', description: 'Date-time field' },
			{ displayName: 'Cart ID Field', name: 'cartIdField', type: 'string', default: 'Cart_ID' },
			{ displayName: 'Cart Value Field', name: 'cartValueField', type: 'string', default: 'Cart_Value', description: 'Currency field' },
			{ displayName: 'Recovery URL Field', name: 'recoveryUrlField', type: 'string', default: 'Cart_Recovery_URL', description: 'URL field' },
			{ displayName: 'Status Field', name: 'statusField', type: 'string', default: 'Lead_Status' },
		],
	},
	personFieldsParameter('leadFields', 'Lead Field Names', DEFAULT_LEAD_FIELDS, 'Lead'),
	leadSourceValueParameter,
];

export const description = updateDisplayOptions({ show: { resource: ['customer'], operation: ['abandonedCartToLead'] } }, properties);

export async function execute(this: IExecuteFunctions): Promise<NodeOutputs> {
	const items = this.getInputData();
	const cartFields = overrides(this, 'leadCartFields', {
		statusField: DEFAULT_LEAD_CART_FIELDS.statusField,
		cartValueField: DEFAULT_LEAD_CART_FIELDS.cartValueField,
		recoveryUrlField: DEFAULT_LEAD_CART_FIELDS.recoveryUrlField,
		cartIdField: DEFAULT_LEAD_CART_FIELDS.cartIdField,
		abandonedAtField: DEFAULT_LEAD_CART_FIELDS.abandonedAtField,
	});
	const config: LeadConfig = {
		fields: readPersonFields(this, 'leadFields', DEFAULT_LEAD_FIELDS),
		leadSourceValue: stringParam(this, 'leadSourceValue', 'Online Store'),
		statusValue: stringParam(this, 'statusValue', DEFAULT_LEAD_CART_FIELDS.statusValue),
		...cartFields,
		trigger: readOptions(this).trigger,
	};
	const cartField = stringParam(this, 'cartField');
	const entries: CartEntry[] = [];
	const failures: ItemResult[] = [];
	items.forEach((item, itemIndex) => {
		try {
			entries.push({ itemIndex, cart: readCart(item.json, cartField) });
		} catch (error) {
			failures.push(inputFailure(itemIndex, error));
		}
	});
	return await runOperation(this, {
		plan: ({ apiDomain }) => dryRunOutputs(items, apiDomain, planAbandonedCartToLead(entries, config).calls, failures),
		run: async (client) => toOutputs(items, [...failures, ...(await runAbandonedCartToLead(client, entries, config))]),
	});
}
