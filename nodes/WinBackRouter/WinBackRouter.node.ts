import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { SettingError } from '../../core/classifier/settingError';
import type { CompiledRouter } from '../../core/router';
import { DEFAULT_ROUTE_NAMES, compileRouter } from '../../core/router';
import { errorJson, toItemError } from '../shared/itemErrors';
import { winBackRouterProperties } from './description';
import { OUTPUTS_EXPRESSION, SPECIAL_OUTPUT_NAMES, configuredOutputs } from './outputs';
import { routedJson } from './routedJson';
import type { RouterParameters } from './settings';
import { PARAMETER_DEFAULTS, findItemExpressions, settingsFromParameters } from './settings';

// Not offered as an AI tool: n8n's tool wrapper returns only a node's first output, and a router's
// answer is which of its outputs an item took.
// eslint-disable-next-line @n8n/community-nodes/node-usable-as-tool
export class WinBackRouter implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Win-back Router',
		name: 'winBackRouter',
		icon: { light: 'file:winBackRouter.svg', dark: 'file:winBackRouter.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["routing"] === "custom" ? "Own routes" : "Default routes"}}',
		description:
			'Sends each customer down the right retention path (VIP, replenishment, win-back, B2B account manager, ...) with suppression, a CLV-capped offer, a send time and a message sequence',
		defaults: { name: 'Win-back Router' },
		inputs: [NodeConnectionTypes.Main],
		// One output per route, then Suppressed and Unmatched (see outputs.ts).
		outputs: OUTPUTS_EXPRESSION,
		properties: winBackRouterProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const node = this.getNode();

		// Settings are read once per run (from item 0): the same routes apply to every customer.
		const parameters = {} as RouterParameters;
		for (const name of Object.keys(PARAMETER_DEFAULTS) as Array<keyof RouterParameters>) {
			(parameters as unknown as IDataObject)[name] = this.getNodeParameter(name, 0, PARAMETER_DEFAULTS[name]) as IDataObject[keyof IDataObject];
		}

		let router: CompiledRouter;
		try {
			const itemExpressions = findItemExpressions(node.parameters);
			if (itemExpressions.length > 0) {
				throw new NodeOperationError(node, `Parameter "${itemExpressions[0]}" uses item data in an expression ({{ $json... }})`, {
					description:
						'The Win-back Router reads its settings once per run, so they cannot differ per customer. Put the value on the items and test it with a "Field" condition, or use a fixed value.',
				});
			}
			router = compileRouter(settingsFromParameters(parameters, Date.now(), this.getTimezone()));
		} catch (error) {
			const nodeError =
				error instanceof SettingError
					? new NodeOperationError(node, `Setting "${error.parameter}" ${error.message.slice(error.parameter.length + 2)}`, {
							description: 'Fix this setting of the Win-back Router; no customer was routed.',
						})
					: error;
			if (!this.continueOnFail()) throw nodeError;
			// Every item leaves on Unmatched with the error, so none is lost.
			const outputCount = configuredOutputs(parameters as unknown as IDataObject, [...DEFAULT_ROUTE_NAMES], SPECIAL_OUTPUT_NAMES).length;
			const outputs: INodeExecutionData[][] = Array.from({ length: outputCount }, () => []);
			outputs[outputCount - 1] = items.map((item, index) => ({ json: { ...item.json, ...errorJson(nodeError) }, pairedItem: { item: index } }));
			return outputs;
		}

		const outputs: INodeExecutionData[][] = router.outputNames.map(() => []);
		for (let index = 0; index < items.length; index++) {
			const item = items[index];
			try {
				const decision = router.route(item.json as Record<string, unknown>);
				const routed: INodeExecutionData = { json: routedJson(item.json, decision.fields), pairedItem: { item: index } };
				if (item.binary) routed.binary = item.binary;
				outputs[decision.output].push(routed);
			} catch (error) {
				// Only an unexpected failure lands here: unreadable fields already go to Unmatched with a reason.
				if (!this.continueOnFail()) throw toItemError(node, error, index);
				outputs[router.unmatchedOutput].push({ json: { ...item.json, ...errorJson(error) }, pairedItem: { item: index } });
			}
		}
		return outputs;
	}
}
