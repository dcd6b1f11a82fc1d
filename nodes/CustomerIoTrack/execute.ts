import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import type { AttributeSettings, FieldMapping, ValueSettings } from '../../core/customerio/attributes';
import { CustomerIoClient } from '../../core/customerio/client';
import type { EnumRule, UnknownEnumPolicy } from '../../core/customerio/enums';
import { EnumNormalizer, parseEnumValues } from '../../core/customerio/enums';
import type { ChangeEventRule, EventSettings } from '../../core/customerio/events';
import type { IdentitySettings } from '../../core/customerio/identity';
import { DEFAULT_CONCURRENCY, DEFAULT_CONSENT_ATTRIBUTES, DEFAULT_RATE_PER_SECOND } from '../../core/customerio/limits';
import type { ItemPlan, ItemResult } from '../../core/customerio/plan';
import { executePlans, planIdentify, planMerge, planPersonAction, planRequests, planTrack, planTrackAnonymous } from '../../core/customerio/plan';
import type { IdentifierType, JsonObject, OperationFailure } from '../../core/customerio/types';
import { CustomerIoAuthError } from '../../core/customerio/types';
import { DEFAULT_RETRY_POLICY } from '../../core/http/retry';
import { CUSTOM_EVENT_NAME } from './description';
import { connect } from './transport/trackApi';

/** What the node returns: [Success, Failed]. */
type NodeOutputs = [INodeExecutionData[], INodeExecutionData[]];

type Operation = 'identify' | 'merge' | 'suppress' | 'unsuppress' | 'delete' | 'track' | 'trackAnonymous';

function text(value: unknown): string {
	return typeof value === 'string' ? value.trim() : value === undefined || value === null ? '' : String(value).trim();
}

function list(value: unknown): string[] {
	return text(value)
		.split(',')
		.map((v) => v.trim())
		.filter((v) => v !== '');
}

function mappings(ctx: IExecuteFunctions, parameter: string, key: string): FieldMapping[] {
	const collection = ctx.getNodeParameter(parameter, 0, {}) as IDataObject;
	const entries = (collection[key] as IDataObject[] | undefined) ?? [];
	return entries
		.map((e, position) => {
			const name = text(e.name);
			const field = text(e.field);
			if (name === '' && field === '') return null;
			if (field === '') throw new NodeOperationError(ctx.getNode(), `"${parameter === 'attributes' ? 'Attributes' : 'Event Data'}" entry ${position + 1} ("${name}") has no "From Field" — name the input field that holds its value`);
			return { name: name === '' ? field.split('.').pop()! : name, field };
		})
		.filter((m): m is FieldMapping => m !== null);
}

function enumNormalizer(ctx: IExecuteFunctions, unknown: UnknownEnumPolicy): EnumNormalizer {
	const collection = ctx.getNodeParameter('enumAttributes', 0, {}) as IDataObject;
	const rules: EnumRule[] = ((collection.enum as IDataObject[] | undefined) ?? [])
		.map((e) => ({ attribute: text(e.attribute), values: parseEnumValues(text(e.values)) }))
		.filter((r) => r.attribute !== '');
	for (const rule of rules) {
		if (rule.values.length === 0) throw new NodeOperationError(ctx.getNode(), `Enum attribute "${rule.attribute}" has no allowed values — list its spellings, separated by commas`);
	}
	try {
		return new EnumNormalizer(rules, unknown);
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), (error as Error).message);
	}
}

function identity(ctx: IExecuteFunctions, typeParameter = 'identifierType', fieldParameter = 'identifierField', label = 'Identifier Field'): IdentitySettings {
	const type = ctx.getNodeParameter(typeParameter, 0, 'email') as IdentifierType;
	const field = text(ctx.getNodeParameter(fieldParameter, 0, ''));
	if (field === '') throw new NodeOperationError(ctx.getNode(), `"${label}" is empty — name the input field that holds each person's identifier (e.g. "email")`);
	return { type, field, parameterLabel: label };
}

function valueSettings(ctx: IExecuteFunctions, options: IDataObject, mappingList: FieldMapping[], sendAll: boolean, enums: EnumNormalizer): ValueSettings {
	const timeZone = text(options.timeZone) || 'UTC';
	return {
		mappings: mappingList,
		sendAllFields: sendAll,
		excludeFields: list(options.excludeFields),
		timestampNames: list(options.timestampNames),
		convertAtSuffix: options.convertAtSuffix !== false,
		timeZone,
		enums,
		emptyValues: options.emptyValues === 'clear' ? 'clear' : 'skip',
	};
}

function eventSettings(ctx: IExecuteFunctions, options: IDataObject, enums: EnumNormalizer): EventSettings {
	return {
		...valueSettings(ctx, options, mappings(ctx, 'eventData', 'property'), ctx.getNodeParameter('sendAllFieldsAsData', 0, false) === true, enums),
		timestampField: text(ctx.getNodeParameter('timestampField', 0, '')) || null,
		deduplicate: options.deduplicate !== false,
		dedupeKeyFields: list(ctx.getNodeParameter('dedupeKeyFields', 0, '')),
	};
}

function eventNames(ctx: IExecuteFunctions, count: number): unknown[] {
	return Array.from({ length: count }, (_, i) => {
		const name = ctx.getNodeParameter('eventName', i, 'order_completed');
		return name === CUSTOM_EVENT_NAME ? ctx.getNodeParameter('customEventName', i, '') : name;
	});
}

/** Reads the parameters (once per node) and plans every item. */
function plan(ctx: IExecuteFunctions, operation: Operation, items: JsonObject[], options: IDataObject): ItemPlan[] {
	const unknown: UnknownEnumPolicy = options.unknownEnumValues === 'keep' ? 'keep' : 'error';
	switch (operation) {
		case 'identify': {
			const enums = enumNormalizer(ctx, unknown);
			const attributes: AttributeSettings = {
				...valueSettings(ctx, options, mappings(ctx, 'attributes', 'attribute'), ctx.getNodeParameter('sendAllFields', 0, false) === true, enums),
				sourceOfTruth: text(options.sourceOfTruthValue) ? { name: text(options.sourceOfTruthAttribute) || 'source_of_truth', value: text(options.sourceOfTruthValue) } : null,
				ownsConsent: options.ownsConsent === true,
				consentAttributes: options.consentAttributes === undefined ? DEFAULT_CONSENT_ATTRIBUTES : list(options.consentAttributes),
			};
			const changes = ((ctx.getNodeParameter('changeEvents', 0, {}) as IDataObject).change as IDataObject[] | undefined) ?? [];
			const changeEvents: ChangeEventRule[] = changes.map((c, position) => {
				const rule = {
					name: text(c.name) || 'segment_changed',
					attribute: text(c.attribute) || null,
					previousField: text(c.previousField),
					currentField: text(c.currentField),
					changedFlagField: text(c.changedFlagField) || null,
					emitWithoutPrevious: c.emitWithoutPrevious === true,
				};
				if (!rule.previousField || !rule.currentField) {
					throw new NodeOperationError(ctx.getNode(), `Change event ${position + 1} ("${rule.name}") needs both "Previous Value Field" and "Current Value Field"`);
				}
				return rule;
			});
			return planIdentify(items, {
				identity: identity(ctx),
				attributes,
				updatedAtField: text(options.updatedAtField) || null,
				changeEvents,
				changeTimestampField: text(options.changeTimestampField) || null,
				deduplicate: options.deduplicate !== false,
				enums,
				now: new Date(),
			});
		}
		case 'track':
			return planTrack(items, eventNames(ctx, items.length), { identity: identity(ctx), event: eventSettings(ctx, options, enumNormalizer(ctx, unknown)) });
		case 'trackAnonymous': {
			const anonymousIdField = text(ctx.getNodeParameter('anonymousIdField', 0, 'anonymousId'));
			if (!anonymousIdField) throw new NodeOperationError(ctx.getNode(), '"Anonymous ID Field" is empty — name the input field that holds the visitor\'s anonymous ID');
			return planTrackAnonymous(items, eventNames(ctx, items.length), { anonymousIdField, event: eventSettings(ctx, options, enumNormalizer(ctx, unknown)) });
		}
		case 'merge':
			return planMerge(items, { primary: identity(ctx), secondary: identity(ctx, 'secondaryIdentifierType', 'secondaryIdentifierField', 'Secondary Identifier Field') });
		case 'suppress':
		case 'unsuppress':
		case 'delete':
			return planPersonAction(items, identity(ctx), operation);
		default:
			throw new NodeOperationError(ctx.getNode(), `The operation "${String(operation)}" is not known to this node version`);
	}
}

function failureJson(f: OperationFailure): IDataObject {
	return { code: f.code, message: f.message, field: f.field, httpStatus: f.httpStatus, retryable: f.retryable, apiMessage: f.apiMessage, attempts: f.attempts };
}

/** Each item to Success (with what was sent under `customerio`) or Failed (with `error` and `customerioError`). */
function toOutputs(items: INodeExecutionData[], results: ItemResult[]): NodeOutputs {
	const success: INodeExecutionData[] = [];
	const failed: INodeExecutionData[] = [];
	results.forEach((result) => {
		const item = items[result.itemIndex];
		const json: IDataObject = { ...item.json };
		if (result.summary) json.customerio = result.summary as IDataObject;
		if (!result.ok && result.failure) {
			json.error = result.failure.message;
			json.customerioError = failureJson(result.failure);
		}
		const out: INodeExecutionData = { json, pairedItem: { item: result.itemIndex } };
		if (item.binary) out.binary = item.binary;
		(result.ok ? success : failed).push(out);
	});
	return [success, failed];
}

function readRunOptions(options: IDataObject) {
	const number = (value: unknown, fallback: number, min: number) => (typeof value === 'number' && Number.isFinite(value) && value >= min ? value : fallback);
	return {
		dryRun: options.dryRun === true,
		concurrency: Math.floor(number(options.concurrency, DEFAULT_CONCURRENCY, 1)),
		ratePerSecond: number(options.ratePerSecond, DEFAULT_RATE_PER_SECOND, 1),
		maxRetries: Math.floor(number(options.maxRetries, DEFAULT_RETRY_POLICY.maxRetries, 0)),
		retryDelayMs: number(options.retryDelayMs, DEFAULT_RETRY_POLICY.baseDelayMs, 0),
	};
}

export async function execute(ctx: IExecuteFunctions): Promise<NodeOutputs> {
	const items = ctx.getInputData();
	const operation = ctx.getNodeParameter('operation', 0) as Operation;
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const run = readRunOptions(options);
	try {
		const plans = plan(
			ctx,
			operation,
			items.map((item) => item.json as JsonObject),
			options,
		);
		const { baseUrl, transport } = await connect(ctx);
		const client = new CustomerIoClient({
			transport,
			sleep,
			concurrency: run.concurrency,
			ratePerSecond: run.ratePerSecond,
			retryPolicy: { ...DEFAULT_RETRY_POLICY, maxRetries: run.maxRetries, baseDelayMs: run.retryDelayMs },
			onRetry: (request, attempt, delayMs, outcome) => {
				const what = outcome.kind === 'network' ? outcome.code : `HTTP ${outcome.status}`;
				ctx.logger?.debug(`Customer.io: ${request.purpose} failed (${what}); retry ${attempt} in ${delayMs} ms`);
			},
		});
		if (run.dryRun) return dryRunOutputs(items, baseUrl, planRequests(client, plans), plans);
		return toOutputs(items, await executePlans(client, plans));
	} catch (error) {
		const nodeError = toNodeError(ctx, error);
		if (!ctx.continueOnFail()) throw nodeError;
		return [
			[],
			items.map((item, itemIndex) => ({
				json: { ...item.json, error: nodeError.message, customerioError: { code: error instanceof CustomerIoAuthError ? 'UNAUTHORIZED' : 'RUN_FAILED', message: nodeError.message, description: nodeError.description ?? null } },
				pairedItem: { item: itemIndex },
			})),
		];
	}
}

function dryRunOutputs(items: INodeExecutionData[], baseUrl: string, requests: ReturnType<typeof planRequests>, plans: ItemPlan[]): NodeOutputs {
	const success: INodeExecutionData[] = requests.map((planned, index) => ({
		json: {
			dryRun: true,
			request: index + 1,
			purpose: planned.request.purpose,
			method: planned.request.method,
			url: `${baseUrl}${planned.request.path}`,
			headers: { Authorization: 'Basic <site id>:<api key>', 'Content-Type': 'application/json' },
			body: (planned.request.body ?? null) as IDataObject,
			bytes: planned.bytes,
			items: planned.items,
		},
		pairedItem: planned.items.length > 0 ? planned.items.map((item) => ({ item })) : { item: 0 },
	}));
	const failed = toOutputs(
		items,
		plans.filter((p) => !p.ok).map((p) => ({ itemIndex: p.itemIndex, ok: false, summary: null, failure: (p as { failure: OperationFailure }).failure })),
	)[1];
	return [success, failed];
}

function toNodeError(ctx: IExecuteFunctions, error: unknown): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	if (error instanceof CustomerIoAuthError) {
		return new NodeApiError(ctx.getNode(), { status: error.status } as never, {
			message: error.message,
			description: 'Customer.io answered 401 Unauthorized. Use a Track API key (not an App API key), with its own Site ID, and pick the region your account is in.',
			httpCode: String(error.status),
		});
	}
	return new NodeOperationError(ctx.getNode(), error instanceof Error ? error : new Error(String(error)));
}
