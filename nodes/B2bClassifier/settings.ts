import type { IDataObject } from 'n8n-workflow';

import type { ClassificationResult, ClassifierInput } from '../../core/classifier';
import { buildRateTable, compileClassifier, compileInputReader } from '../../core/classifier';
import type { ClassificationMode, ClassifierSettings } from '../../core/classifier/classify';
import type { RateEntry } from '../../core/classifier/currency';
import type { FieldMapping } from '../../core/classifier/input';
import { DEFAULT_ORDER_TOTAL_THRESHOLD, DEFAULT_SCORE_THRESHOLD, DEFAULT_WHOLESALE_QUANTITY } from '../../core/classifier/signals';

/** Parameters that shape the classification (everything but Mode and Output, which are fixed per node). */
export const SETTING_PARAMETERS = [
	'orderTotalThreshold',
	'thresholdCurrency',
	'exchangeRates',
	'scoreThreshold',
	'wholesaleQuantity',
	'knownBusinesses',
	'listedConsumers',
	'fieldMapping',
	'options',
] as const;
type SettingParameter = (typeof SETTING_PARAMETERS)[number];

const FALLBACKS: Record<SettingParameter, unknown> = {
	orderTotalThreshold: DEFAULT_ORDER_TOTAL_THRESHOLD,
	thresholdCurrency: 'USD',
	exchangeRates: {},
	scoreThreshold: DEFAULT_SCORE_THRESHOLD,
	wholesaleQuantity: DEFAULT_WHOLESALE_QUANTITY,
	knownBusinesses: '',
	listedConsumers: '',
	fieldMapping: {},
	options: {},
};

export interface CompiledSettings {
	read: (json: IDataObject) => ClassifierInput;
	classify: (input: ClassifierInput) => ClassificationResult;
	strictInput: boolean;
}

type ReadParameter = (name: string, itemIndex: number, fallback: unknown) => unknown;

/** True when a raw parameter value (as stored in the workflow) holds an n8n expression anywhere. */
export function containsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(containsExpression);
	if (value !== null && typeof value === 'object') return Object.values(value).some(containsExpression);
	return false;
}

function text(value: unknown): string {
	return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}

function compile(mode: ClassificationMode, values: Record<SettingParameter, unknown>): CompiledSettings {
	const exchangeRates = (values.exchangeRates ?? {}) as { rates?: RateEntry[] };
	const mappingParameter = (values.fieldMapping ?? {}) as IDataObject;
	const options = (values.options ?? {}) as IDataObject;
	const settings: ClassifierSettings = {
		mode,
		orderTotalThreshold: values.orderTotalThreshold as number,
		rateTable: buildRateTable(values.thresholdCurrency, exchangeRates.rates ?? []),
		scoreThreshold: values.scoreThreshold as number,
		wholesaleQuantity: values.wholesaleQuantity as number,
		knownBusinesses: [text(values.knownBusinesses)],
		listedConsumers: [text(values.listedConsumers)],
		extraFreeMailDomains: [text(options.additionalFreeMailDomains)],
	};
	const mapping: FieldMapping = {
		email: text(mappingParameter.emailField),
		total: text(mappingParameter.orderTotalField),
		currency: text(mappingParameter.currencyField),
		company: text(mappingParameter.companyField),
		taxId: text(mappingParameter.taxIdField),
		lineItems: text(mappingParameter.lineItemsField),
		quantityKey: text(mappingParameter.quantityKey),
		addresses: text(mappingParameter.addressFields).split(','),
	};
	return { read: compileInputReader(mapping), classify: compileClassifier(settings), strictInput: options.strictInput === true };
}

/**
 * Reads the settings once per node run when none of them is an expression, so 100,000 items cost
 * 9 parameter reads, not 900,000 (n8n resolves each getNodeParameter call through its expression
 * engine). When some are expressions, those are read per item and the compiled settings are reused
 * while their values stay the same.
 */
export function settingsReader(
	mode: ClassificationMode,
	rawParameters: IDataObject,
	readParameter: ReadParameter,
): (itemIndex: number) => CompiledSettings {
	const perItem = SETTING_PARAMETERS.filter((name) => containsExpression(rawParameters[name]));
	const fixed = {} as Record<SettingParameter, unknown>;
	let fixedRead = false;
	let cachedKey: string | null = null;
	let cached: CompiledSettings | null = null;

	return (itemIndex) => {
		if (!fixedRead) {
			for (const name of SETTING_PARAMETERS) {
				if (!perItem.includes(name)) fixed[name] = readParameter(name, itemIndex, FALLBACKS[name]);
			}
			fixedRead = true;
		}
		if (perItem.length === 0) return (cached ??= compile(mode, fixed));
		const values = { ...fixed };
		for (const name of perItem) values[name] = readParameter(name, itemIndex, FALLBACKS[name]);
		const key = JSON.stringify(perItem.map((name) => values[name]));
		if (cached === null || key !== cachedKey) {
			cached = compile(mode, values);
			cachedKey = key;
		}
		return cached;
	};
}
