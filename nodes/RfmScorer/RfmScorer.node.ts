import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription, IPairedItemData } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import type { AggregationResult } from '../../core/rfm/aggregate';
import { INVALID_INPUT_REASONS, aggregateCustomers, aggregateOrders } from '../../core/rfm/aggregate';
import { scoreCustomers } from '../../core/rfm/score';
import { rfmScorerProperties } from './description';
import type { RfmParameters } from './parameters';
import { readParameters } from './parameters';

/**
 * RFM Scorer: all input items are scored together (quantiles need the whole population), so the node
 * reads its parameters once and works on the whole batch. Three outputs:
 *   Customers — one item per customer (RfmCustomerFields of core/model/segments.ts), pairedItem = its orders;
 *   Summary   — one item: population, exclusions by reason, score edges, segment counts, fitted models;
 *   Excluded  — one item per input item that did not contribute, with the reason and the item index.
 */
// Not offered as an AI tool: it scores a whole batch of orders at once (quantiles need the population),
// which a single tool call with a few arguments cannot supply.
// eslint-disable-next-line @n8n/community-nodes/node-usable-as-tool
export class RfmScorer implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'RFM Scorer',
		name: 'rfmScorer',
		icon: { light: 'file:rfmScorer.svg', dark: 'file:rfmScorer.dark.svg' },
		group: ['transform'],
		version: [1],
		subtitle: '={{ { rfm11: "11 segments", rfGrid: "R-F grid", threshold: "threshold rules" }[$parameter["segmentScheme"]] }}',
		description: 'Scores customers by recency, frequency and monetary value, segments them and estimates their lifetime value',
		defaults: { name: 'RFM Scorer' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Customers', 'Summary', 'Excluded'],
		properties: rfmScorerProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const node = this.getNode();
		const parameters = readParameters(this);
		const records = new Array<unknown>(items.length);
		for (let i = 0; i < items.length; i++) records[i] = items[i].json;

		const context = { zone: parameters.zone, referenceMillis: parameters.referenceMillis, rollUp: parameters.rollUpToAccounts ? ('account' as const) : ('customer' as const) };
		const aggregation =
			parameters.inputShape === 'orders'
				? aggregateOrders(records, parameters.orderFields, parameters.hygiene, context)
				: aggregateCustomers(records, parameters.customerFields, parameters.money, context);

		if (parameters.failOnInvalidItems && !this.continueOnFail()) {
			const invalid = aggregation.exclusions.find((exclusion) => INVALID_INPUT_REASONS.has(exclusion.reason));
			if (invalid) {
				throw new NodeOperationError(node, invalid.message, {
					itemIndex: invalid.index,
					description: `Fix the item, or set Options → "Invalid Items" to "Send to Excluded Output" to score the others and list this one there.`,
				});
			}
		}

		const currencyCodes = Object.keys(aggregation.currencies);
		const result = scoreCustomers(aggregation.table, {
			scoring: parameters.scoring,
			segmentScheme: parameters.segmentScheme,
			thresholdRules: parameters.thresholdRules,
			segmentLabels: parameters.segmentLabels,
			lifecycle: parameters.lifecycle,
			simpleClv: parameters.simpleClv,
			predictive: parameters.predictive,
			zone: parameters.zone,
			referenceMillis: parameters.referenceMillis,
			currency: currencyCodes.length === 1 ? currencyCodes[0] : null,
		});
		if (result.predictiveError && !this.continueOnFail()) {
			throw new NodeOperationError(node, `Predictive CLV could not be computed. ${result.predictiveError.message}`, {
				description:
					'Turn off "Predictive CLV", give the node a longer order history or more customers, or turn on "Continue On Fail" to get the other scores with empty predictive fields.',
			});
		}

		const { sourceStart, sourceIndex } = aggregation.table;
		const customers: INodeExecutionData[] = new Array(result.rows.length);
		for (let k = 0; k < result.rows.length; k++) {
			const paired: IPairedItemData[] = new Array(sourceStart[k + 1] - sourceStart[k]);
			for (let j = sourceStart[k]; j < sourceStart[k + 1]; j++) paired[j - sourceStart[k]] = { item: sourceIndex[j] };
			customers[k] = { json: result.rows[k] as unknown as IDataObject, pairedItem: paired };
		}

		const excluded: INodeExecutionData[] = aggregation.exclusions.map((exclusion) => ({
			json: {
				reason: exclusion.reason,
				error: exclusion.message,
				field: exclusion.field,
				itemIndex: exclusion.index,
				customerKey: exclusion.customerKey,
				orderId: exclusion.orderId,
			},
			pairedItem: { item: exclusion.index },
		}));

		// The summary describes the whole input; it is paired with the first item rather than with
		// every item, which would cost one object per order.
		const summary: INodeExecutionData = {
			json: summaryJson(parameters, aggregation, result.summary as unknown as IDataObject),
			pairedItem: items.length > 0 ? { item: 0 } : [],
		};
		return [customers, [summary], excluded];
	}
}

function summaryJson(parameters: RfmParameters, aggregation: AggregationResult, score: IDataObject): IDataObject {
	const warnings: string[] = [];
	const currencies = Object.keys(aggregation.currencies);
	if (currencies.length > 1) {
		warnings.push(`The orders are in ${currencies.length} currencies (${currencies.join(', ')}); monetary values were added without conversion. Convert amounts first or run the node per currency.`);
	}
	if (aggregation.overRefundedOrders > 0) warnings.push(`${aggregation.overRefundedOrders} orders had refunds larger than their total; their net value was taken as 0.`);
	if (aggregation.negativeNetCustomers > 0) warnings.push(`${aggregation.negativeNetCustomers} customers had more refunds than spend; their monetary value was taken as 0.`);
	const predictive = score.predictive as { gammaGamma?: { frequencySpendCorrelation: number } } | null;
	const correlation = predictive?.gammaGamma?.frequencySpendCorrelation;
	if (correlation !== undefined && Math.abs(correlation) > 0.3) {
		warnings.push(`Spend per order correlates with purchase frequency (r = ${correlation.toFixed(2)}); the Gamma-Gamma model assumes they are independent, so expected order values are less reliable.`);
	}
	const excludedItems = aggregation.exclusions.length;
	return {
		inputShape: parameters.inputShape,
		...score,
		itemsRead: aggregation.recordsRead,
		ordersCounted: aggregation.ordersCounted,
		refundsApplied: aggregation.refundsApplied,
		excludedItems,
		exclusions: aggregation.counts as unknown as IDataObject,
		currencies: aggregation.currencies,
		warnings,
	};
}
