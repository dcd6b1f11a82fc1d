import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { NormalizationError } from '../../core/model/errors';

/**
 * Turns any error met while handling one input item into the n8n error an operator reads:
 * it names the item (n8n shows "Item N"), the field when known, and keeps API errors as NodeApiError.
 */
export function toItemError(node: INode, error: unknown, itemIndex: number): NodeOperationError | NodeApiError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
		return error;
	}
	if (error instanceof NormalizationError) {
		return new NodeOperationError(node, `Item ${itemIndex}: field "${error.field}" ${error.message.slice(error.field.length + 2)}`, {
			itemIndex,
			description: `Fix the value of "${error.field}" in input item ${itemIndex}, or map a different field in the node's parameters.`,
		});
	}
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(node, `Item ${itemIndex}: ${message}`, { itemIndex });
}

/** The JSON an item carries when it leaves on an error path (continueOnFail or a Failed output). */
export function errorJson(error: unknown, extra: IDataObject = {}): IDataObject {
	const json: IDataObject = { ...extra };
	if (error instanceof NormalizationError) {
		json.error = error.message;
		json.errorField = error.field;
	} else if (error instanceof NodeApiError) {
		json.error = error.message;
		if (error.description) json.errorDescription = error.description;
		if (error.httpCode) json.httpCode = error.httpCode;
	} else if (error instanceof Error) {
		json.error = error.message;
		const description = (error as { description?: unknown }).description;
		if (typeof description === 'string') json.errorDescription = description;
	} else {
		json.error = String(error);
	}
	return json;
}

export function apiError(node: INode, response: unknown, message: string, description?: string, httpCode?: string): NodeApiError {
	return new NodeApiError(node, (response ?? {}) as JsonObject, { message, description, httpCode });
}
