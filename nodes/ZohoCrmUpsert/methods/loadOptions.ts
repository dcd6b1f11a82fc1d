import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { fetchFields, fetchModules } from './metadata';

/** Modules of the connected org (standard and custom), for the Module dropdowns. */
export async function getModules(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const modules = await fetchModules(this);
	return modules
		.map((m) => ({ name: `${m.plural_label ?? m.api_name}${m.generated_type === 'custom' ? ' (custom)' : ''}`, value: m.api_name, description: `API name: ${m.api_name}` }))
		.sort((a, b) => a.name.localeCompare(b.name));
}

/** Fields of the chosen module, for field dropdowns (e.g. "Fields to Return"). */
export async function getModuleFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const module = String(this.getNodeParameter('module', 'Contacts'));
	const fields = await fetchFields(this, module);
	return fields
		.map((f) => ({ name: f.display_label ?? f.field_label ?? f.api_name, value: f.api_name, description: `${f.api_name} (${f.data_type ?? 'field'})` }))
		.sort((a, b) => a.name.localeCompare(b.name));
}
