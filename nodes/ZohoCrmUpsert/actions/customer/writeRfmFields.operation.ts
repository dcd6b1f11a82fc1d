import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { NormalizationError, describeValue } from '../../../../core/model/errors';
import { normalizeEmail } from '../../../../core/model/email';
import { LIFECYCLE_STAGES } from '../../../../core/model/segments';
import type { ItemResult } from '../../../../core/zoho/flows/common';
import type { RfmEntry } from '../../../../core/zoho/flows/writeRfm';
import { planWriteRfmFields, runWriteRfmFields } from '../../../../core/zoho/flows/writeRfm';
import { getPath } from '../../../../core/zoho/inputs';
import type { NodeOutputs } from '../common';
import { dryRunOutputs, inputFailure, readOptions, runOperation, stringParam, toOutputs } from '../common';
import { overrides } from './fields';

/** RFM Scorer output field (RfmCustomerFields) → default Contact field (custom fields the templates expect). */
export const DEFAULT_RFM_FIELDS: Record<string, string> = {
	segment: 'RFM_Segment',
	rfmCode: 'RFM_Score',
	rScore: 'R_Score',
	fScore: 'F_Score',
	mScore: 'M_Score',
	lifecycleStage: 'Lifecycle_Stage',
	historicalClv: 'Historical_CLV',
	predictedClv: 'Predicted_CLV',
	monetary: '',
	frequency: '',
	recencyDays: '',
	averageOrderValue: '',
	probabilityAlive: '',
	lastOrderAt: '',
};


const properties: INodeProperties[] = [
	{
		displayName: 'Match Contacts By',
		name: 'matchBy',
		type: 'options',
		options: [
			{ name: 'Email', value: 'email', description: 'Find each Contact by email (one lookup per 50 customers), then update it by ID' },
			{ name: 'Contact ID', value: 'id', description: 'The items carry the Zoho Contact ID (e.g. zohoContactId from "Sync Customer From Order")' },
		],
		default: 'email',
	},
	{
		displayName: 'Email Field',
		name: 'emailInputField',
		type: 'string',
		default: 'customerKey',
		displayOptions: { show: { matchBy: ['email'] } },
		description: 'Input field with the customer\'s email (the RFM Scorer\'s customerKey when it keys customers by email)',
	},
	{
		displayName: 'Contact ID Field',
		name: 'contactIdInputField',
		type: 'string',
		default: 'zohoContactId',
		displayOptions: { show: { matchBy: ['id'] } },
	},
	{
		displayName: 'Write Segment As',
		name: 'segmentAs',
		type: 'options',
		options: [
			{ name: 'Label', value: 'label', description: 'For example "At Risk"' },
			{ name: 'Machine Value', value: 'value', description: 'For example "at_risk"' },
		],
		default: 'label',
		description: 'How the segment and lifecycle stage are written',
	},
	{
		displayName: 'Contact Field Names',
		name: 'rfmFields',
		type: 'collection',
		placeholder: 'Write Another RFM Field',
		default: {},
		description: 'Contact fields for the RFM Scorer\'s output, by Zoho API name. Defaults: RFM_Segment, RFM_Score, R_Score, F_Score, M_Score, Lifecycle_Stage, Historical_CLV, Predicted_CLV (custom fields to create). Empty: not written.',
		options: [
			{ displayName: 'Average Order Value Field', name: 'averageOrderValue', type: 'string', default: 'AverageOrderValue' },
			{ displayName: 'F Score Field', name: 'fScore', type: 'string', default: 'F_Score' },
			{ displayName: 'Frequency Field', name: 'frequency', type: 'string', default: 'Frequency' },
			{ displayName: 'Historical CLV Field', name: 'historicalClv', type: 'string', default: 'Historical_CLV' },
			{ displayName: 'Last Order At Field', name: 'lastOrderAt', type: 'string', default: 'Last_Order_Date' },
			{ displayName: 'Lifecycle Stage Field', name: 'lifecycleStage', type: 'string', default: 'Lifecycle_Stage' },
			{ displayName: 'M Score Field', name: 'mScore', type: 'string', default: 'M_Score' },
			{ displayName: 'Monetary Field', name: 'monetary', type: 'string', default: 'Monetary' },
			{ displayName: 'Predicted CLV Field', name: 'predictedClv', type: 'string', default: 'Predicted_CLV' },
			{ displayName: 'Probability Alive Field', name: 'probabilityAlive', type: 'string', default: 'Probability_Alive' },
			{ displayName: 'R Score Field', name: 'rScore', type: 'string', default: 'R_Score' },
			{ displayName: 'Recency Days Field', name: 'recencyDays', type: 'string', default: 'Recency_Days' },
			{ displayName: 'RFM Code Field', name: 'rfmCode', type: 'string', default: 'RFM_Score' },
			{ displayName: 'Segment Field', name: 'segment', type: 'string', default: 'RFM_Segment' },
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['customer'], operation: ['writeRfmFields'] } }, properties);

function rfmValues(json: IDataObject, mapping: Record<string, string>, segmentAs: string): Record<string, unknown> {
	const values: Record<string, unknown> = {};
	for (const [source, field] of Object.entries(mapping)) {
		if (!field) continue;
		let value: unknown = json[source];
		if (source === 'segment' && segmentAs === 'label' && typeof json.segmentLabel === 'string') value = json.segmentLabel;
		if (source === 'lifecycleStage' && segmentAs === 'label' && typeof value === 'string') value = (LIFECYCLE_STAGES as Record<string, string>)[value] ?? value;
		if (source === 'lastOrderAt' && typeof value === 'string') value = value.slice(0, 10);
		if (value === undefined || value === null) continue;
		if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
			throw new NormalizationError(source, `should be a number or text for Zoho field "${field}", got ${describeValue(value)}`, value);
		}
		values[field] = value;
	}
	return values;
}

export async function execute(this: IExecuteFunctions): Promise<NodeOutputs> {
	const items = this.getInputData();
	const matchBy = stringParam(this, 'matchBy', 'email') === 'id' ? 'id' : 'email';
	const emailInputField = stringParam(this, 'emailInputField', 'customerKey');
	const idInputField = stringParam(this, 'contactIdInputField', 'zohoContactId');
	const segmentAs = stringParam(this, 'segmentAs', 'label');
	const mapping = overrides(this, 'rfmFields', DEFAULT_RFM_FIELDS);
	const config = { matchBy, emailField: 'Email', trigger: readOptions(this).trigger } as const;
	const entries: RfmEntry[] = [];
	const failures: ItemResult[] = [];
	items.forEach((item, itemIndex) => {
		try {
			let email: string | null = null;
			let contactId: string | null = null;
			if (matchBy === 'email') {
				const raw = getPath(item.json, emailInputField);
				const normalized = normalizeEmail(raw);
				if (!normalized.email) throw new NormalizationError(emailInputField, raw === undefined || raw === null || raw === '' ? 'is empty — map "Email Field" to the customer\'s email' : `is not a valid email address (${describeValue(raw)})`, raw);
				email = normalized.email;
			} else {
				const raw = getPath(item.json, idInputField);
				if ((typeof raw !== 'string' && typeof raw !== 'number') || !/^\d+$/.test(String(raw))) throw new NormalizationError(idInputField, `should hold a Zoho Contact id (digits), got ${describeValue(raw)}`, raw);
				contactId = String(raw);
			}
			const values = rfmValues(item.json, mapping, segmentAs);
			if (Object.keys(values).length === 0) throw new Error('none of the mapped RFM fields has a value — is this item from the RFM Scorer?');
			entries.push({ itemIndex, email, contactId, values });
		} catch (error) {
			failures.push(inputFailure(itemIndex, error));
		}
	});
	return await runOperation(this, {
		plan: ({ apiDomain }) => dryRunOutputs(items, apiDomain, planWriteRfmFields(entries, config).calls, failures),
		run: async (client) => toOutputs(items, [...failures, ...(await runWriteRfmFields(client, entries, config))]),
	});
}
