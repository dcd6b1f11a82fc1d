import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import type { HighWaterMark } from '../../../../core/zoho/changedSince';
import { readChangedSince, requestSince } from '../../../../core/zoho/changedSince';
import { ZohoReadError } from '../../../../core/zoho/client';
import { MAX_FIELDS_PER_GET } from '../../../../core/zoho/constants';
import { assertApiName, buildGetRecordsRequest } from '../../../../core/zoho/requests';
import type { NodeOutputs } from '../common';
import { dryRunOutputs, runOperation, toNodeError, toOutputs } from '../common';

const properties: INodeProperties[] = [
	{
		displayName: 'Module Name or ID',
		name: 'module',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getModules' },
		default: 'Contacts',
		required: true,
		description: 'The module to read. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Fields to Return',
		name: 'fields',
		type: 'string',
		default: 'Email,First_Name,Last_Name,Owner,Lifecycle_Stage,VIP_Tier',
		required: true,
		placeholder: 'Email,First_Name,Last_Name',
		description: 'Comma-separated field API names (at most 50; Zoho requires the list). The record ID and Modified_Time always come back.',
	},
	{
		displayName: 'Changed Since',
		name: 'since',
		type: 'options',
		options: [
			{ name: 'The Last Run', value: 'lastRun', description: 'Remember the newest change seen and continue from it next time (works in active workflows; manual test runs do not save it)' },
			{ name: 'A Given Time', value: 'time', description: 'Read the changes after a date and time you set (or map with an expression)' },
		],
		default: 'lastRun',
	},
	{
		displayName: 'Time',
		name: 'sinceTime',
		type: 'dateTime',
		default: '',
		required: true,
		displayOptions: { show: { since: ['time'] } },
		description: 'Records modified after this time are returned',
	},
	{
		displayName: 'First Run Looks Back (Hours)',
		name: 'initialLookbackHours',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 24,
		displayOptions: { show: { since: ['lastRun'] } },
		description: 'When the node has no remembered mark yet, read changes from this many hours back (0: everything)',
	},
	{
		displayName: 'Max Records',
		name: 'maxRecords',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description: 'Stop after this many records (0: all, up to the 100,000 Zoho serves through page tokens). With "The Last Run", the next run continues after the last record returned.',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['record'], operation: ['getChangedSince'] } }, properties);

const markKey = (module: string) => `zohoChangedSince:${module}`;

export async function execute(this: IExecuteFunctions): Promise<NodeOutputs> {
	const items = this.getInputData();
	const module = assertApiName(this.getNodeParameter('module', 0), 'Module');
	const fields = String(this.getNodeParameter('fields', 0, ''))
		.split(',')
		.map((f) => f.trim())
		.filter(Boolean)
		.map((f) => assertApiName(f, 'Field'));
	if (fields.length === 0 || fields.length > MAX_FIELDS_PER_GET) {
		throw new NodeOperationError(this.getNode(), `"Fields to Return" must list between 1 and ${MAX_FIELDS_PER_GET} field API names, it lists ${fields.length}`);
	}
	const since = this.getNodeParameter('since', 0) as 'lastRun' | 'time';
	const maxRecords = Number(this.getNodeParameter('maxRecords', 0, 0)) || 0;
	const staticData = this.getWorkflowStaticData('node');
	let mark: HighWaterMark | null = null;
	let initialSince: string;
	if (since === 'time') {
		const raw = this.getNodeParameter('sinceTime', 0) as unknown;
		const millis = Date.parse(String(raw));
		if (!Number.isFinite(millis)) throw new NodeOperationError(this.getNode(), `"Time" must be a date and time, got ${JSON.stringify(raw)}`);
		initialSince = new Date(millis).toISOString();
	} else {
		mark = (staticData[markKey(module)] as HighWaterMark | undefined) ?? null;
		const hours = Number(this.getNodeParameter('initialLookbackHours', 0, 24)) || 0;
		initialSince = hours > 0 ? new Date(Date.now() - hours * 3600_000).toISOString() : '1970-01-01T00:00:00.000Z';
	}
	return await runOperation(this, {
		plan: ({ apiDomain }) =>
			dryRunOutputs(items, apiDomain, [{ stage: 'read', request: buildGetRecordsRequest({ module, fields, modifiedSince: requestSince(mark, initialSince) }), itemIndexes: [0], note: 'further pages follow next_page_token until more_records is false' }], []),
		run: async (client) => {
			try {
				const result = await readChangedSince(client, { module, fields, mark, initialSince, maxRecords });
				if (since === 'lastRun' && result.mark) staticData[markKey(module)] = result.mark as unknown as IDataObject;
				return [result.records.map((record) => ({ json: record as IDataObject, pairedItem: { item: 0 } })), []];
			} catch (error) {
				if (!(error instanceof ZohoReadError)) throw toNodeError(this, error);
				const f = error.failure;
				if (!this.continueOnFail()) throw new NodeOperationError(this.getNode(), f.message, { description: f.zohoMessage ?? undefined });
				return toOutputs(items.slice(0, 1), [{ itemIndex: 0, ok: false, stage: 'read', failure: f }]);
			}
		},
	});
}
