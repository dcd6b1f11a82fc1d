import type { FieldType, ILoadOptionsFunctions, ResourceMapperField, ResourceMapperFields } from 'n8n-workflow';

import { systemDuplicateCheckField } from '../../../core/zoho/constants';
import { KIND_MARKERS } from './fieldKinds';
import type { ZohoFieldMeta } from './metadata';
import { fetchFields } from './metadata';

/** Field types the node cannot write through the mapper (computed, files, subforms). */
const NOT_WRITABLE = new Set(['formula', 'autonumber', 'subform', 'fileupload', 'imageupload', 'profileimage', 'rollup_summary', 'multiselectlookup', 'event_reminder', 'consent_lookup']);

function columnFor(field: ZohoFieldMeta, matchField: string): ResourceMapperField {
	const label = field.display_label ?? field.field_label ?? field.api_name;
	let type: FieldType = 'string';
	let marker = '';
	let options: ResourceMapperField['options'];
	switch (field.data_type) {
		case 'currency':
		case 'double':
		case 'integer':
		case 'bigint':
		case 'decimal':
		case 'percent':
			type = 'number';
			break;
		case 'boolean':
			type = 'boolean';
			break;
		case 'date':
			type = 'dateTime';
			marker = KIND_MARKERS.date;
			break;
		case 'datetime':
			type = 'dateTime';
			marker = KIND_MARKERS.datetime;
			break;
		case 'lookup':
		case 'ownerlookup':
		case 'userlookup':
			marker = KIND_MARKERS.lookup;
			break;
		case 'multiselectpicklist':
			type = 'array';
			break;
		case 'picklist':
			if (field.pick_list_values && field.pick_list_values.length > 0) {
				type = 'options';
				options = field.pick_list_values.map((v) => ({ name: v.display_value ?? v.actual_value ?? '', value: v.actual_value ?? v.display_value ?? '' }));
			}
			break;
	}
	const unique = field.unique && Object.keys(field.unique).length > 0;
	return {
		id: field.api_name,
		displayName: `${label}${marker}`,
		required: field.system_mandatory === true,
		defaultMatch: field.api_name === matchField,
		canBeUsedToMatch: unique || field.api_name === matchField,
		display: true,
		type,
		...(options ? { options } : {}),
	};
}

/**
 * The columns of the chosen module for the field mapper. Zoho matches upserts on the module's
 * system-defined duplicate-check field (preselected) or on fields marked "Do not allow duplicate values".
 */
export async function getMappingColumns(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	const module = String(this.getNodeParameter('module', 'Contacts'));
	const fields = await fetchFields(this, module);
	const matchField = systemDuplicateCheckField(module);
	return {
		fields: fields
			.filter((f) => !f.read_only && !f.field_read_only && !NOT_WRITABLE.has(String(f.data_type)) && f.api_name !== 'id')
			.map((f) => columnFor(f, matchField)),
	};
}
