import type { INodeProperties } from 'n8n-workflow';

import { writeOptions } from './common';
import * as abandonedCartToLead from './customer/abandonedCartToLead.operation';
import * as stampFirstTouch from './customer/stampFirstTouch.operation';
import * as syncFromOrder from './customer/syncFromOrder.operation';
import * as writeRfmFields from './customer/writeRfmFields.operation';
import * as getChangedSince from './record/getChangedSince.operation';
import * as upsert from './record/upsert.operation';

/**
 * The node's parameters: resource, operation, and each operation's own parameters (from its
 * *.operation.ts file), in the Discord v2 / Google Sheets v2 layout. The node class holds the rest
 * of the description.
 */
export const properties: INodeProperties[] = [
		{
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Customer (Commerce Flows)', value: 'customer', description: 'Store orders, carts and RFM scores into Contacts, Accounts, Leads and Orders' },
				{ name: 'Record (Any Module)', value: 'record', description: 'Upsert or read records of any module, custom modules included' },
			],
			default: 'customer',
		},
		{
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: ['customer'] } },
			options: [
				{ name: 'Abandoned Cart to Lead', value: 'abandonedCartToLead', action: 'Upsert a lead for an abandoned cart', description: 'Upsert a Lead by email with the abandoned-cart status, cart value and recovery URL' },
				{ name: 'Stamp First-Touch UTM', value: 'stampFirstTouch', action: 'Stamp first touch UTM on a contact', description: 'Write the first order\'s UTM source, medium and campaign on the Contact, only when it has none' },
				{ name: 'Sync Customer From Order', value: 'syncFromOrder', action: 'Sync a customer from an order', description: 'Account (B2B) → Contact → Order, linked, deduplicated, with first-touch UTM and order roll-ups' },
				{ name: 'Write RFM Fields', value: 'writeRfmFields', action: 'Write RFM fields to a contact', description: 'Update Contacts with the RFM Scorer\'s segment, scores and CLV' },
			],
			default: 'syncFromOrder',
		},
		{
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: ['record'] } },
			options: [
				{ name: 'Get Changed Since', value: 'getChangedSince', action: 'Get records changed since a time', description: 'Read the records modified after a time or since the last run, past 2,000 with page tokens' },
				{ name: 'Create or Update', value: 'upsert', action: 'Create or update records', description: 'Create a new record, or update the current one if it already exists (upsert)' },
			],
			default: 'upsert',
		},
		...syncFromOrder.description,
		...abandonedCartToLead.description,
		...writeRfmFields.description,
		...stampFirstTouch.description,
		...upsert.description,
		...getChangedSince.description,
		writeOptions(['syncFromOrder', 'abandonedCartToLead', 'writeRfmFields', 'stampFirstTouch'], 'customer'),
		writeOptions(['upsert'], 'record'),
		writeOptions(['getChangedSince'], 'record', 'read'),
];
