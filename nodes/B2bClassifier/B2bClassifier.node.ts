import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import type { ClassificationMode } from '../../core/classifier/classify';
import { SettingError } from '../../core/classifier/settingError';
import { errorJson, toItemError } from '../shared/itemErrors';
import { classifiedJson } from './classifiedJson';
import { properties } from './description';
import { settingsReader } from './settings';

export class B2bClassifier implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'B2B Classifier',
		name: 'b2bClassifier',
		icon: { light: 'file:b2bClassifier.svg', dark: 'file:b2bClassifier.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["mode"] === "thresholdRule" ? "Threshold rule" : "Weighted score" }}',
		description: 'Decide whether each order or customer is B2B or B2C, with a score, the reasons and an account key',
		defaults: { name: 'B2B Classifier' },
		inputs: [NodeConnectionTypes.Main],
		outputs: `={{ $parameter["output"] === "split" ? [{ "type": "${NodeConnectionTypes.Main}", "displayName": "B2B" }, { "type": "${NodeConnectionTypes.Main}", "displayName": "B2C" }] : [{ "type": "${NodeConnectionTypes.Main}" }] }}`,
		usableAsTool: true,
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const split = this.getNodeParameter('output', 0, 'annotate') === 'split';
		const b2b: INodeExecutionData[] = [];
		const b2c: INodeExecutionData[] = [];
		const outputs = split ? [b2b, b2c] : [b2b];
		if (items.length === 0) return outputs;

		const node = this.getNode();
		const mode = this.getNodeParameter('mode', 0, 'weightedScore') as ClassificationMode;
		const settingsFor = settingsReader(mode, node.parameters ?? {}, (name, itemIndex, fallback) => this.getNodeParameter(name, itemIndex, fallback));
		const continueOnFail = this.continueOnFail();

		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			const item = items[itemIndex];
			try {
				const settings = settingsFor(itemIndex);
				const result = settings.classify(settings.read(item.json));
				if (settings.strictInput && result.problems.length > 0) {
					throw new NodeOperationError(node, `Item ${itemIndex}: ${result.problems.map((problem) => problem.message).join('; ')}`, {
						itemIndex,
						description: `Fix the field${result.problems.length > 1 ? 's' : ''} ${result.problems.map((problem) => `"${problem.field}"`).join(', ')}, or turn off "Strict Input" to classify such items on the remaining signals.`,
					});
				}
				const json = classifiedJson(item.json, result.fields);
				const output: INodeExecutionData = { json, pairedItem: { item: itemIndex } };
				if (item.binary) output.binary = item.binary;
				(split && !result.fields.isB2B ? b2c : b2b).push(output);
			} catch (error) {
				const failure =
					error instanceof SettingError
						? new NodeOperationError(node, `Item ${itemIndex}: setting "${error.parameter}" ${error.message.slice(error.parameter.length + 2)}`, {
								itemIndex,
								description: `Fix "${error.parameter}" in the node's parameters.`,
							})
						: toItemError(node, error, itemIndex);
				// Failed items leave on the first output, marked with `error`, so none is lost.
				if (continueOnFail) b2b.push({ json: errorJson(failure, { ...item.json }), pairedItem: { item: itemIndex } });
				else throw failure;
			}
		}
		return outputs;
	}
}
