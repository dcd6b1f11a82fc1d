import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { NormalizationError } from '../../../core/model/errors';
import type { ZohoClient } from '../../../core/zoho/client';
import { DEFAULT_CONCURRENCY, TRIGGERS } from '../../../core/zoho/constants';
import type { ZohoTrigger } from '../../../core/zoho/constants';
import type { ItemFailure, ItemResult, PlannedCall } from '../../../core/zoho/flows/common';
import { ZohoAuthError, failure } from '../../../core/zoho/types';
import type { ZohoConnection } from '../transport/zohoApi';
import { connect, createClient } from '../transport/zohoApi';

/** What every operation returns: [Success, Failed]. */
export type NodeOutputs = [INodeExecutionData[], INodeExecutionData[]];

export const writeOptions = (operations: string[], resource: string, kind: 'write' | 'read' = 'write'): INodeProperties => ({
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	displayOptions: { show: { resource: [resource], operation: operations } },
	options: ([
		{
			displayName: 'Dry Run',
			name: 'dryRun',
			type: 'boolean',
			default: false,
			description: 'Whether to output the requests the node would send (one item per call, with the items it serves) without sending anything to Zoho CRM',
		},
		{
			displayName: 'Max Concurrent Calls',
			name: 'concurrency',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 25 },
			default: DEFAULT_CONCURRENCY,
			description: 'Calls to Zoho CRM in flight at once. Zoho limits concurrent calls per organisation by edition (Free 5, Standard 10, Professional 15, Enterprise 20, Ultimate 25) and answers 429 beyond that.',
		},
		{
			displayName: 'Max Retries',
			name: 'maxRetries',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 10 },
			default: 5,
			description: 'How often a call that failed with 429, a 5xx error or a dropped connection is repeated (with exponential backoff and jitter) before its records go to the Failed output',
		},
		{
			displayName: 'First Retry Delay (Ms)',
			name: 'retryDelayMs',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 500,
			description: 'Upper bound of the wait before the first retry; each further retry doubles it (up to 30 s), with random jitter. A Retry-After from Zoho takes precedence.',
		},
		{
			displayName: 'Run Zoho Automations',
			name: 'trigger',
			type: 'multiOptions',
			options: [
				{ name: 'Workflow Rules', value: 'workflow' },
				{ name: 'Approval Processes', value: 'approval' },
				{ name: 'Blueprints', value: 'blueprint' },
			],
			default: ['workflow', 'approval', 'blueprint'],
			description: 'Which Zoho CRM automations run for the records this node writes (Zoho\'s "trigger" list). Empty: none run.',
		},
	] as INodeProperties[]).filter((option) => kind === 'write' || option.name !== 'trigger'),
});

export interface CommonOptions {
	dryRun: boolean;
	concurrency: number;
	maxRetries: number;
	retryDelayMs: number;
	trigger: ZohoTrigger[];
}

export function readOptions(ctx: IExecuteFunctions): CommonOptions {
	const raw = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const trigger = Array.isArray(raw.trigger) ? (raw.trigger as string[]).filter((t): t is ZohoTrigger => (TRIGGERS as readonly string[]).includes(t)) : [...TRIGGERS];
	return {
		dryRun: raw.dryRun === true,
		concurrency: typeof raw.concurrency === 'number' && raw.concurrency >= 1 ? Math.floor(raw.concurrency) : DEFAULT_CONCURRENCY,
		maxRetries: typeof raw.maxRetries === 'number' && raw.maxRetries >= 0 ? Math.floor(raw.maxRetries) : 5,
		retryDelayMs: typeof raw.retryDelayMs === 'number' && raw.retryDelayMs >= 0 ? raw.retryDelayMs : 500,
		trigger,
	};
}

export function stringParam(ctx: IExecuteFunctions, name: string, fallback = ''): string {
	const value = ctx.getNodeParameter(name, 0, fallback);
	return typeof value === 'string' ? value.trim() : fallback;
}

/** An item whose input could not be read: its failure, naming the item and the field. */
export function inputFailure(itemIndex: number, error: unknown): ItemFailure {
	if (error instanceof NormalizationError) {
		return { itemIndex, ok: false, stage: 'input', failure: failure('INVALID_INPUT', `Item ${itemIndex}: field "${error.field}" ${error.message.slice(error.field.length + 2)}`, { field: error.field }) };
	}
	const message = error instanceof Error ? error.message : String(error);
	return { itemIndex, ok: false, stage: 'input', failure: failure('INVALID_INPUT', `Item ${itemIndex}: ${message}`) };
}

function failedJson(result: ItemFailure): IDataObject {
	const f = result.failure;
	const zohoError: IDataObject = { stage: result.stage, code: f.code, message: f.message, field: f.field, jsonPath: f.jsonPath, httpStatus: f.httpStatus, retryable: f.retryable, zohoMessage: f.zohoMessage };
	if (f.details && Object.keys(f.details).length > 0) zohoError.details = f.details as IDataObject;
	return zohoError;
}

/** Routes each item to Success (with what was written under `zoho`) or Failed (with `zohoError`). */
export function toOutputs(items: INodeExecutionData[], results: ItemResult[], decorate?: (json: IDataObject, result: ItemResult) => void): NodeOutputs {
	const success: INodeExecutionData[] = [];
	const failed: INodeExecutionData[] = [];
	const byIndex = new Map(results.map((r) => [r.itemIndex, r]));
	items.forEach((item, itemIndex) => {
		const result = byIndex.get(itemIndex) ?? ({ itemIndex, ok: false, stage: 'run', failure: failure('NOT_PROCESSED', `Item ${itemIndex} was not processed — this is a bug; please report it`) } as ItemFailure);
		const json: IDataObject = { ...item.json };
		if (result.ok) {
			json.zoho = result.zoho as IDataObject;
		} else {
			if (result.zoho) json.zoho = result.zoho as IDataObject;
			json.zohoError = failedJson(result);
		}
		decorate?.(json, result);
		const out: INodeExecutionData = { json, pairedItem: { item: itemIndex } };
		if (item.binary) out.binary = item.binary;
		(result.ok ? success : failed).push(out);
	});
	return [success, failed];
}

/** A dry run's output: one item per call that would be made, paired with the items it serves. */
export function dryRunOutputs(items: INodeExecutionData[], apiDomain: string, calls: PlannedCall[], failures: ItemResult[]): NodeOutputs {
	const success: INodeExecutionData[] = calls.map((call, index) => ({
		json: {
			dryRun: true,
			call: index + 1,
			stage: call.stage,
			purpose: call.request.purpose,
			method: call.request.method,
			url: `${apiDomain}${call.request.path}`,
			qs: (call.request.qs ?? {}) as IDataObject,
			headers: { Authorization: 'Zoho-oauthtoken <access token>', ...(call.request.headers ?? {}) },
			body: (call.request.body ?? null) as IDataObject,
			items: call.itemIndexes,
			...(call.note ? { note: call.note } : {}),
		},
		pairedItem: call.itemIndexes.length > 0 ? call.itemIndexes.map((item) => ({ item })) : { item: 0 },
	}));
	const failed: INodeExecutionData[] = failures
		.filter((r): r is ItemFailure => !r.ok)
		.map((r) => ({ json: { ...items[r.itemIndex].json, zohoError: failedJson(r) }, pairedItem: { item: r.itemIndex } }));
	return [success, failed];
}

/**
 * Runs an operation with the shared plumbing: connection, client, dry run, and what happens when the
 * whole run fails (credential refused, a bug): the error is thrown, or — under "Continue On Fail" —
 * every item goes to the Failed output with the error, so nothing is lost.
 */
export async function runOperation(
	ctx: IExecuteFunctions,
	handlers: {
		plan: (connection: ZohoConnection) => Promise<NodeOutputs> | NodeOutputs;
		run: (client: ZohoClient, connection: ZohoConnection) => Promise<NodeOutputs>;
	},
): Promise<NodeOutputs> {
	const items = ctx.getInputData();
	const options = readOptions(ctx);
	try {
		const connection = await connect(ctx);
		if (options.dryRun) return await handlers.plan(connection);
		const client = createClient(ctx, connection.transport, options);
		return await handlers.run(client, connection);
	} catch (error) {
		const nodeError = toNodeError(ctx, error);
		if (!ctx.continueOnFail()) throw nodeError;
		return [
			[],
			items.map((item, itemIndex) => ({
				json: { ...item.json, error: nodeError.message, zohoError: { stage: 'run', code: error instanceof ZohoAuthError ? 'INVALID_TOKEN' : 'RUN_FAILED', message: nodeError.message, description: nodeError.description ?? null } },
				pairedItem: { item: itemIndex },
			})),
		];
	}
}

export function toNodeError(ctx: IExecuteFunctions, error: unknown): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	if (error instanceof ZohoAuthError) {
		return new NodeApiError(ctx.getNode(), (error.body ?? {}) as never, {
			message: error.message,
			description: 'n8n refreshed the access token once and Zoho CRM still refused it. Open the Zoho CRM credential, check the data centre, and reconnect.',
			httpCode: String(error.status),
		});
	}
	return new NodeOperationError(ctx.getNode(), error instanceof Error ? error : new Error(String(error)));
}
