import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { NodeOutputs } from './common';
import { toNodeError } from './common';
import * as abandonedCartToLead from './customer/abandonedCartToLead.operation';
import * as stampFirstTouch from './customer/stampFirstTouch.operation';
import * as syncFromOrder from './customer/syncFromOrder.operation';
import * as writeRfmFields from './customer/writeRfmFields.operation';
import * as getChangedSince from './record/getChangedSince.operation';
import * as upsert from './record/upsert.operation';

const operations: Record<string, Record<string, (this: IExecuteFunctions) => Promise<NodeOutputs>>> = {
	customer: {
		syncFromOrder: syncFromOrder.execute,
		abandonedCartToLead: abandonedCartToLead.execute,
		writeRfmFields: writeRfmFields.execute,
		stampFirstTouch: stampFirstTouch.execute,
	},
	record: {
		upsert: upsert.execute,
		getChangedSince: getChangedSince.execute,
	},
};

/**
 * Dispatches to the operation. All items are handled together (that is what lets the node batch
 * across items); operation setup errors (an unusable parameter) fail the node with the reason.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const run = operations[resource]?.[operation];
	if (!run) throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
	try {
		return await run.call(this);
	} catch (error) {
		throw toNodeError(this, error);
	}
}
