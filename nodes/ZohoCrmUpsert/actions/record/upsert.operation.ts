import type { IDataObject, IExecuteFunctions, INodeProperties, ResourceMapperField, ResourceMapperValue } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { assertApiName } from '../../../../core/zoho/requests';
import type { ItemResult } from '../../../../core/zoho/flows/common';
import type { UpsertEntry } from '../../../../core/zoho/flows/upsertRecords';
import { planUpsertRecords, runUpsertRecords } from '../../../../core/zoho/flows/upsertRecords';
import { fieldKind, shapeValue } from '../../methods/fieldKinds';
import type { NodeOutputs } from '../common';
import { dryRunOutputs, inputFailure, readOptions, runOperation, toOutputs } from '../common';

const properties: INodeProperties[] = [
	{
		displayName: 'Module Name or ID',
		name: 'module',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getModules' },
		default: 'Contacts',
		required: true,
		description: 'The Zoho CRM module to write to, standard or custom. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Fields',
		name: 'columns',
		type: 'resourceMapper',
		noDataExpression: true,
		default: { mappingMode: 'defineBelow', value: null },
		required: true,
		typeOptions: {
			loadOptionsDependsOn: ['module'],
			resourceMapper: {
				resourceMapperMethod: 'getMappingColumns',
				mode: 'upsert',
				fieldWords: { singular: 'field', plural: 'fields' },
				addAllFields: false,
				multiKeyMatch: true,
				supportAutoMap: true,
				matchingFieldsLabels: {
					title: 'Columns to Match On',
					description: 'Zoho CRM updates the existing record whose value in these fields equals the item\'s (tried in this order), and creates a record when none matches. These are Zoho\'s "duplicate check fields": the module\'s system field (e.g. Email for Contacts) or fields marked "Do not allow duplicate values".',
					hint: 'Every item needs a value in one of these fields, so that a retried call updates instead of creating a duplicate',
				},
			},
		},
	},
];

export const description = updateDisplayOptions({ show: { resource: ['record'], operation: ['upsert'] } }, properties);

/** Our own output keys are never sent back to Zoho when fields are mapped automatically. */
const OWN_KEYS = new Set(['zoho', 'zohoError', 'error', 'zohoContactId']);

export function recordFromMapping(json: IDataObject, columns: ResourceMapperValue): Record<string, unknown> {
	const schema = new Map<string, ResourceMapperField>((columns.schema ?? []).map((f) => [f.id, f]));
	const source: Record<string, unknown> =
		columns.mappingMode === 'autoMapInputData'
			? Object.fromEntries(Object.entries(json).filter(([key]) => !OWN_KEYS.has(key) && (schema.size === 0 || schema.has(key))))
			: { ...(columns.value ?? {}) };
	const record: Record<string, unknown> = {};
	for (const [field, value] of Object.entries(source)) {
		if (value === undefined || value === null || value === '') continue;
		if (schema.get(field)?.removed) continue;
		assertApiName(field, 'Field');
		record[field] = shapeValue(fieldKind(schema.get(field)), value, field);
	}
	return record;
}

export async function execute(this: IExecuteFunctions): Promise<NodeOutputs> {
	const items = this.getInputData();
	const options = readOptions(this);
	const entries: UpsertEntry[] = [];
	const failures: ItemResult[] = [];
	items.forEach((item, itemIndex) => {
		try {
			const module = assertApiName(this.getNodeParameter('module', itemIndex), 'Module');
			const columns = this.getNodeParameter('columns', itemIndex) as ResourceMapperValue;
			const record = recordFromMapping(item.json, columns);
			const duplicateCheckFields = (columns.matchingColumns ?? []).map((f) => assertApiName(f, 'Column to match on'));
			entries.push({ itemIndex, module, record, duplicateCheckFields, trigger: options.trigger });
		} catch (error) {
			failures.push(inputFailure(itemIndex, error));
		}
	});
	return await runOperation(this, {
		plan: ({ apiDomain }) => {
			const plan = planUpsertRecords(entries);
			return dryRunOutputs(items, apiDomain, plan.calls, [...failures, ...plan.results]);
		},
		run: async (client) => toOutputs(items, [...failures, ...(await runUpsertRecords(client, entries))]),
	});
}
