import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import type { ItemResult } from '../../../../core/zoho/flows/common';
import { DEFAULT_CONTACT_FIELDS } from '../../../../core/zoho/flows/people';
import type { AccountConfig, OrderConfig, SyncConfig, SyncEntry } from '../../../../core/zoho/flows/syncFromOrder';
import { defaultOrderConfig, planSyncFromOrder, runSyncFromOrder } from '../../../../core/zoho/flows/syncFromOrder';
import type { B2bFieldNames } from '../../../../core/zoho/inputs';
import { DEFAULT_B2B_FIELDS, readB2b, readOrder } from '../../../../core/zoho/inputs';
import { assertApiName } from '../../../../core/zoho/requests';
import type { NodeOutputs } from '../common';
import { dryRunOutputs, inputFailure, readOptions, runOperation, stringParam, toOutputs } from '../common';
import { leadSourceValueParameter, overrides, personFieldsParameter, readPersonFields, readRollupFields, readUtmFields, rollupFieldsParameter, utmFieldsParameter } from './fields';

const properties: INodeProperties[] = [
	{
		displayName: 'Order Field',
		name: 'orderField',
		type: 'string',
		default: '',
		placeholder: 'order',
		description: 'Where the order is in each item. Empty: the item is a canonical order, or a Commerce Trigger order event (the order is read from its "order" field).',
	},
	{
		displayName: 'B2B Input Fields',
		name: 'b2bFields',
		type: 'collection',
		placeholder: 'Use Another Field',
		default: {},
		description: 'Where the B2B Classifier\'s result is in each item (top level, or under "b2b"). Add an entry only to change a default.',
		options: [
			{ displayName: 'Account Key', name: 'accountKey', type: 'string', default: 'accountKey', description: 'The company\'s deduplication key (its domain or normalised name)' },
			{ displayName: 'Account Name', name: 'accountName', type: 'string', default: 'accountName' },
			{ displayName: 'Is B2B', name: 'isB2B', type: 'string', default: 'isB2B', description: 'True when the order should be linked to a company Account' },
		],
	},
	{
		displayName: 'Match Accounts By',
		name: 'accountMatchBy',
		type: 'options',
		options: [
			{ name: 'Account Key (Custom Unique Field)', value: 'key', description: 'Recommended: one Account per company domain, whatever the company calls itself on each order' },
			{ name: 'Account Name', value: 'name', description: 'Zoho\'s system field; two spellings of a name make two Accounts' },
		],
		default: 'key',
	},
	{
		displayName: 'Account Field Names',
		name: 'accountFields',
		type: 'collection',
		placeholder: 'Use Another Field',
		default: {},
		options: [
			{ displayName: 'Account Key Field', name: 'keyField', type: 'string', default: 'Account_Key', description: 'Custom single-line Account field with "Do not allow duplicate values" on' },
			{ displayName: 'Account Name Field', name: 'nameField', type: 'string', default: 'Account_Name' },
			{ displayName: 'Contact\'s Account Lookup', name: 'contactAccountField', type: 'string', default: 'Account_Name', description: 'The Contact field that links to the Account. Empty: Contacts are not linked.' },
		],
	},
	personFieldsParameter('contactFields', 'Contact Field Names', DEFAULT_CONTACT_FIELDS, 'Contact'),
	leadSourceValueParameter,
	{
		displayName: 'Order Module',
		name: 'orderModule',
		type: 'options',
		options: [
			{ name: 'Store Orders (Custom Module)', value: 'Store_Orders', description: 'A custom module "Store Orders" (API name Store_Orders) — see the docs for its fields' },
			{ name: 'Sales Orders', value: 'Sales_Orders', description: 'Zoho\'s Sales Orders; Zoho requires line items that point at a Product' },
			{ name: 'Another Custom Module', value: 'custom' },
		],
		default: 'Store_Orders',
	},
	{
		displayName: 'Custom Module API Name',
		name: 'customOrderModule',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'Shop_Orders',
		displayOptions: { show: { orderModule: ['custom'] } },
	},
	{
		displayName: 'Product ID for Order Lines',
		name: 'salesOrderProductId',
		type: 'string',
		default: '',
		required: true,
		displayOptions: { show: { orderModule: ['Sales_Orders'] } },
		description: 'Zoho requires every Sales Order line to point at a Product. Each order line points at this Product (e.g. one named "Store item"); its SKU and name go into the line\'s description.',
	},
	{
		displayName: 'Order Field Names',
		name: 'orderFields',
		type: 'collection',
		placeholder: 'Use Another Field',
		default: {},
		description: 'Fields of the order module. Defaults: Order_Number (unique, orders are matched on it), Name (Subject for Sales Orders), Contact / Contact_Name, Account / Account_Name, Order_Total, Order_Date, Order_Status, Order_Currency, Source_Store.',
		options: [
			{ displayName: 'Account Lookup', name: 'accountLookupField', type: 'string', default: '' },
			{ displayName: 'Contact Lookup', name: 'contactLookupField', type: 'string', default: '' },
			{ displayName: 'Currency', name: 'currencyField', type: 'string', default: '' },
			{ displayName: 'Name / Subject', name: 'nameField', type: 'string', default: '' },
			{ displayName: 'Order Date', name: 'dateField', type: 'string', default: '' },
			{ displayName: 'Order Number (Unique)', name: 'numberField', type: 'string', default: '' },
			{ displayName: 'Source Store', name: 'sourceField', type: 'string', default: '' },
			{ displayName: 'Status', name: 'statusField', type: 'string', default: '' },
			{ displayName: 'Total', name: 'totalField', type: 'string', default: '' },
		],
	},
	{
		displayName: 'Stamp First-Touch UTM',
		name: 'firstTouch',
		type: 'boolean',
		default: true,
		description: 'Whether to write the UTM source, medium and campaign of the customer\'s first order on the Contact when it has none yet — never overwriting',
	},
	{ ...utmFieldsParameter(), displayOptions: { show: { firstTouch: [true] } } },
	rollupFieldsParameter,
];

export const description = updateDisplayOptions({ show: { resource: ['customer'], operation: ['syncFromOrder'] } }, properties);

export function readSyncConfig(ctx: IExecuteFunctions): SyncConfig {
	const options = readOptions(ctx);
	const accountFields = overrides(ctx, 'accountFields', { keyField: 'Account_Key', nameField: 'Account_Name', contactAccountField: 'Account_Name' });
	const account: AccountConfig = { keyField: accountFields.keyField, nameField: accountFields.nameField || 'Account_Name', matchBy: stringParam(ctx, 'accountMatchBy', 'key') === 'name' ? 'name' : 'key' };
	if (account.matchBy === 'key' && !account.keyField) throw new NodeOperationError(ctx.getNode(), '"Account Key Field" is empty but Accounts are matched by key — name the key field or match by Account Name');
	const choice = stringParam(ctx, 'orderModule', 'Store_Orders');
	const module = assertApiName(choice === 'custom' ? stringParam(ctx, 'customOrderModule') : choice, 'Order module');
	const defaults = defaultOrderConfig(module);
	const given = overrides(ctx, 'orderFields', {} as Record<string, string>);
	const order: OrderConfig = { ...defaults };
	for (const [key, value] of Object.entries(given)) if (value && key in order) (order as unknown as Record<string, string>)[key] = value;
	if (module === 'Sales_Orders') {
		order.lineItemProductId = stringParam(ctx, 'salesOrderProductId');
		if (!/^\d+$/.test(order.lineItemProductId)) throw new NodeOperationError(ctx.getNode(), '"Product ID for Order Lines" must be the id (digits) of a Product in Zoho CRM — Zoho requires a Product on every Sales Order line');
	}
	if (!order.numberField) throw new NodeOperationError(ctx.getNode(), 'The order number field cannot be empty: orders are matched on it, which is what keeps a retried run from creating an order twice');
	return {
		contactFields: readPersonFields(ctx, 'contactFields', DEFAULT_CONTACT_FIELDS),
		contactAccountField: accountFields.contactAccountField,
		leadSourceValue: stringParam(ctx, 'leadSourceValue', 'Online Store'),
		account,
		order,
		firstTouch: ctx.getNodeParameter('firstTouch', 0, true) === true ? readUtmFields(ctx) : null,
		rollups: readRollupFields(ctx),
		trigger: options.trigger,
	};
}

export async function execute(this: IExecuteFunctions): Promise<NodeOutputs> {
	const items = this.getInputData();
	const config = readSyncConfig(this);
	const orderField = stringParam(this, 'orderField');
	const b2bFields = overrides(this, 'b2bFields', DEFAULT_B2B_FIELDS as unknown as Record<string, string>) as unknown as B2bFieldNames;
	const entries: SyncEntry[] = [];
	const failures: ItemResult[] = [];
	items.forEach((item, itemIndex) => {
		try {
			entries.push({ itemIndex, order: readOrder(item.json, orderField), b2b: readB2b(item.json, b2bFields) });
		} catch (error) {
			failures.push(inputFailure(itemIndex, error));
		}
	});
	const addContactId = (json: IDataObject) => {
		const contact = (json.zoho as IDataObject | undefined)?.contact as IDataObject | undefined;
		if (contact?.id) json.zohoContactId = contact.id;
	};
	return await runOperation(this, {
		plan: ({ apiDomain }) => {
			const plan = planSyncFromOrder(entries, config);
			return dryRunOutputs(items, apiDomain, plan.calls, [...failures, ...plan.results]);
		},
		run: async (client) => toOutputs(items, [...failures, ...(await runSyncFromOrder(client, entries, config))], (json) => addContactId(json)),
	});
}
