import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { UtmFieldNames } from '../../../../core/zoho/attribution';
import { DEFAULT_UTM_FIELDS } from '../../../../core/zoho/attribution';
import type { PersonFieldNames } from '../../../../core/zoho/flows/people';
import { assertApiName } from '../../../../core/zoho/requests';
import type { RollupFieldNames } from '../../../../core/zoho/rollups';
import { NO_ROLLUP_FIELDS } from '../../../../core/zoho/rollups';

/**
 * Field-name parameters shared by the commerce operations. Each is a collection of overrides: the
 * defaults are Zoho's standard API names (and the custom fields the templates expect), the operator
 * adds an entry only to use another field, and an empty value means "do not write this".
 */

const apiNameOption = (displayName: string, name: string, fallback: string, description: string): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	default: fallback,
	description: `${description ? `${description} ` : ''}Default: ${fallback ? `"${fallback}"` : 'not written'}. Empty: not written.`,
});

export function personFieldsParameter(name: string, displayName: string, defaults: PersonFieldNames, what: string): INodeProperties {
	return {
		displayName,
		name,
		type: 'collection',
		placeholder: 'Use Another Field',
		default: {},
		description: `The ${what} fields to write, by Zoho API name. Add an entry only to change a default.`,
		options: [
			apiNameOption('Email', 'email', defaults.email, `The ${what} is matched on this field.`),
			apiNameOption('First Name', 'firstName', defaults.firstName, ''),
			apiNameOption('Last Name', 'lastName', defaults.lastName, 'Zoho requires it on new records; when the store has none, the first name or the email\'s local part is used for new records only.'),
			apiNameOption('Phone', 'phone', defaults.phone, ''),
			apiNameOption('Street', 'street', defaults.street, ''),
			apiNameOption('City', 'city', defaults.city, ''),
			apiNameOption('State / Region', 'state', defaults.state, ''),
			apiNameOption('Postal Code', 'zip', defaults.zip, ''),
			apiNameOption('Country', 'country', defaults.country, ''),
			apiNameOption('Lead Source', 'leadSource', defaults.leadSource, 'Set to the "Lead Source Value" below.'),
			apiNameOption('Store Customer ID', 'customerId', defaults.customerId, 'A custom field for the store\'s customer id.'),
		].sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}

export const leadSourceValueParameter: INodeProperties = {
	displayName: 'Lead Source Value',
	name: 'leadSourceValue',
	type: 'string',
	default: 'Online Store',
	description: 'Written to the Lead Source field ("Online Store" is one of Zoho\'s standard values). Empty: not written.',
};

export function utmFieldsParameter(name = 'utmFields'): INodeProperties {
	return {
		displayName: 'UTM Field Names',
		name,
		type: 'collection',
		placeholder: 'Use Another Field',
		default: {},
		description: 'Custom Contact fields for first-touch attribution (create them in Zoho CRM as single-line fields). Add an entry only to change a default.',
		options: [
			apiNameOption('UTM Campaign', 'campaign', DEFAULT_UTM_FIELDS.campaign, ''),
			apiNameOption('UTM Medium', 'medium', DEFAULT_UTM_FIELDS.medium, ''),
			apiNameOption('UTM Source', 'source', DEFAULT_UTM_FIELDS.source, ''),
		],
	};
}

export const rollupFieldsParameter: INodeProperties = {
	displayName: 'Order History Roll-Ups',
	name: 'rollupFields',
	type: 'collection',
	placeholder: 'Add Roll-Up Field',
	default: {},
	description: 'Contact fields to keep the customer\'s order history in. They are recomputed from the order records in Zoho CRM after each run, so retries never count an order twice. None is written unless added here.',
	options: [
		{ displayName: 'Average Order Value Field', name: 'averageOrderValue', type: 'string', default: 'Average_Order_Value', description: 'Currency field (left unchanged when the orders are in several currencies)' },
		{ displayName: 'Last Order Date Field', name: 'lastOrderDate', type: 'string', default: 'Last_Order_Date', description: 'Date field' },
		{ displayName: 'Lifetime Spend Field', name: 'lifetimeSpend', type: 'string', default: 'Lifetime_Spend', description: 'Currency field: the sum of the customer\'s counted orders (cancelled, failed and refunded orders are left out)' },
		{ displayName: 'Order Count Field', name: 'orderCount', type: 'string', default: 'Order_Count', description: 'Number field' },
	],
};

function overrides<T extends object>(ctx: IExecuteFunctions, name: string, defaults: T): T {
	const raw = ctx.getNodeParameter(name, 0, {}) as IDataObject;
	const out = { ...defaults } as Record<string, string>;
	for (const [key, value] of Object.entries(raw ?? {})) {
		if (!(key in out) && Object.keys(defaults).length > 0) continue;
		const text = typeof value === 'string' ? value.trim() : '';
		out[key] = text === '' ? '' : assertApiName(text, `"${key}" field`);
	}
	return out as T;
}

export function readPersonFields(ctx: IExecuteFunctions, name: string, defaults: PersonFieldNames): PersonFieldNames {
	const fields = overrides(ctx, name, defaults);
	if (!fields.email) throw new Error('The Email field name cannot be empty: people are matched on it');
	return fields;
}

export function readUtmFields(ctx: IExecuteFunctions, name = 'utmFields'): UtmFieldNames {
	return overrides(ctx, name, DEFAULT_UTM_FIELDS);
}

export function readRollupFields(ctx: IExecuteFunctions): RollupFieldNames {
	return overrides(ctx, 'rollupFields', NO_ROLLUP_FIELDS);
}

export { overrides };
