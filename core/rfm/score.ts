/**
 * From the customer table to scored customers: R/F/M values, 1–5 scores, RFM code, segment,
 * lifecycle stage, simple and predictive CLV and segment changes, plus a summary of the population.
 */
import type { Zone } from 'luxon';
import { DateTime } from 'luxon';

import { currencyDecimals, roundToDecimals } from '../model/money';
import type { LifecycleStage, RfmCustomerFields } from '../model/segments';
import { LIFECYCLE_STAGES, RF_GRID_SEGMENTS, RFM_SEGMENTS, THRESHOLD_SEGMENTS } from '../model/segments';
import type { CustomerTable } from './aggregate';
import type { PredictiveOptions, PredictiveResult, SimpleClvOptions } from './clv';
import { DAYS_PER_MONTH, predictCustomers, simpleClv } from './clv';
import type { LifecycleOptions } from './lifecycle';
import { lifecycleStages } from './lifecycle';
import { ModelFitError } from './modelFitError';
import { quantileEdges, scoreColumn } from './quantiles';
import { createIsoFormatter } from '../model/timestamps';
import { createDayNumberer } from './readers';
import type { SegmentScheme, ThresholdRules } from './segmentMaps';
import { rfGridSegment, rfm11Segment, thresholdSegment } from './segmentMaps';

export type ScoringMethod =
	| { method: 'quantiles' }
	/** Four ascending cut points per dimension; a value equal to a cut point falls in the lower band. */
	| { method: 'thresholds'; recency: number[]; frequency: number[]; monetary: number[] };

export interface ScoreOptions {
	scoring: ScoringMethod;
	segmentScheme: SegmentScheme;
	thresholdRules: ThresholdRules;
	/** Display labels by machine key, overriding the defaults of core/model/segments.ts. */
	segmentLabels: Record<string, string>;
	lifecycle: LifecycleOptions;
	simpleClv: SimpleClvOptions;
	/** null: predictive CLV off. */
	predictive: PredictiveOptions | null;
	zone: Zone;
	referenceMillis: number;
	/** Currency for rounding money (two decimals when unknown or mixed). */
	currency: string | null;
}

export type RfmCustomerRow = RfmCustomerFields & { contactKeys?: string[] };

export interface PredictiveSummary {
	timeUnit: 'days';
	horizonMonths: number;
	horizonDays: number;
	annualDiscountRate: number;
	bgNbd: { r: number; alpha: number; a: number; b: number; logLikelihood: number; customers: number; repeatCustomers: number };
	gammaGamma: { p: number; q: number; gamma: number; logLikelihood: number; customers: number; frequencySpendCorrelation: number };
}

export interface ScoreSummary {
	referenceDate: string;
	timezone: string;
	customers: number;
	scoring: {
		method: ScoringMethod['method'];
		recencyEdges: number[] | null;
		frequencyEdges: number[] | null;
		monetaryEdges: number[] | null;
	};
	segmentScheme: SegmentScheme;
	segments: Record<string, number>;
	lifecycleStages: Record<string, number>;
	averageDaysBetweenOrders: { population: number | null; bySegment: Record<string, number | null> };
	totals: { monetary: number; simpleClv: number; predictedClv: number | null };
	predictive: PredictiveSummary | null;
	predictiveError: string | null;
}

export interface ScoreResult {
	rows: RfmCustomerRow[];
	summary: ScoreSummary;
	/** The fit failure, when predictive CLV was asked for and could not be computed. */
	predictiveError: ModelFitError | null;
}

const SCHEME_KEYS: Record<SegmentScheme, string[]> = {
	rfm11: Object.keys(RFM_SEGMENTS),
	rfGrid: Object.keys(RF_GRID_SEGMENTS),
	threshold: Object.keys(THRESHOLD_SEGMENTS),
};

const SCHEME_LABELS: Record<SegmentScheme, Record<string, string>> = {
	rfm11: RFM_SEGMENTS,
	rfGrid: RF_GRID_SEGMENTS,
	threshold: THRESHOLD_SEGMENTS,
};

const RFM_CODES: string[] = Array.from({ length: 125 }, (_, i) => `${Math.floor(i / 25) + 1}${Math.floor(i / 5) % 5 + 1}${(i % 5) + 1}`);

const round = (value: number, decimals: number): number => {
	const factor = 10 ** decimals;
	return Math.round(value * factor) / factor;
};

/** Never lets NaN or ±Infinity out: such a value becomes null. */
const finiteOrNull = (value: number): number | null => (Number.isFinite(value) ? value : null);

export function scoreCustomers(table: CustomerTable, options: ScoreOptions): ScoreResult {
	const n = table.size;
	const dayOf = createDayNumberer(options.zone);
	const referenceDay = dayOf(options.referenceMillis);
	// The currency's minor unit, looked up once rather than by roundMoney(x, currency) for every value.
	const decimals = currencyDecimals(options.currency);
	const roundMoney = (amount: number): number => roundToDecimals(amount, decimals);

	const recency = new Float64Array(n);
	const monetary = new Float64Array(n);
	const averageGap = new Float64Array(n);
	for (let i = 0; i < n; i++) {
		recency[i] = referenceDay - table.lastDay[i];
		monetary[i] = roundMoney(table.monetary[i]);
		averageGap[i] = table.frequency[i] > 1 ? (table.lastDay[i] - table.firstDay[i]) / (table.frequency[i] - 1) : NaN;
	}

	let recencyEdges: number[] | null = null;
	let frequencyEdges: number[] | null = null;
	let monetaryEdges: number[] | null = null;
	if (options.scoring.method === 'thresholds') {
		({ recency: recencyEdges, frequency: frequencyEdges, monetary: monetaryEdges } = options.scoring);
	} else if (n > 0) {
		recencyEdges = quantileEdges(recency);
		frequencyEdges = quantileEdges(table.frequency);
		monetaryEdges = quantileEdges(monetary);
	}
	const rScore = new Uint8Array(n);
	const fScore = new Uint8Array(n);
	const mScore = new Uint8Array(n);
	if (n > 0) {
		scoreColumn(recency, recencyEdges as number[], true, rScore);
		scoreColumn(table.frequency, frequencyEdges as number[], false, fScore);
		scoreColumn(monetary, monetaryEdges as number[], false, mScore);
	}

	const scheme = options.segmentScheme;
	const schemeKeys = SCHEME_KEYS[scheme];
	const segmentNumber = new Map(schemeKeys.map((key, i) => [key, i]));
	const labels = schemeKeys.map((key) => options.segmentLabels[key] ?? SCHEME_LABELS[scheme][key]);
	const segment = new Uint8Array(n);
	for (let i = 0; i < n; i++) {
		const key =
			scheme === 'rfm11'
				? rfm11Segment(rScore[i], fScore[i], mScore[i])
				: scheme === 'rfGrid'
					? rfGridSegment(rScore[i], fScore[i])
					: thresholdSegment(recency[i], table.frequency[i], monetary[i], options.thresholdRules);
		segment[i] = segmentNumber.get(key) as number;
	}

	const lapsedAfterDays = referenceDay - dayOf(DateTime.fromMillis(options.referenceMillis, { zone: options.zone }).minus({ months: options.lifecycle.lapsedAfterMonths }).toMillis());
	const lifecycle = lifecycleStages(
		{ frequency: table.frequency, recencyDays: recency, averageGapDays: averageGap, segment, segmentCount: schemeKeys.length, lapsedAfterDays },
		options.lifecycle,
	);

	let predictive: PredictiveResult | null = null;
	let predictiveError: ModelFitError | null = null;
	if (options.predictive) {
		try {
			predictive = predictCustomers(predictiveInput(table, referenceDay), options.predictive);
		} catch (error) {
			// A numeric failure while scoring (e.g. a series that does not converge) is reported like a failed fit.
			predictiveError =
				error instanceof ModelFitError ? error : new ModelFitError('BG/NBD', 'not_converged', `prediction failed: ${error instanceof Error ? error.message : String(error)}`);
		}
	}

	// Previous segments may come back from a CRM as the machine key or as a label.
	const knownSegment = new Map<string, string>();
	schemeKeys.forEach((key, i) => {
		knownSegment.set(key.toLowerCase(), key);
		knownSegment.set(labels[i].toLowerCase(), key);
		knownSegment.set(SCHEME_LABELS[scheme][key].toLowerCase(), key);
	});

	const isoUtc = createIsoFormatter();
	const { firstAtText, lastAtText } = table;
	const rows: RfmCustomerRow[] = new Array(n);
	let totalMonetary = 0;
	let totalSimple = 0;
	let totalPredicted = 0;
	for (let i = 0; i < n; i++) {
		const frequency = table.frequency[i];
		const aov = roundMoney(monetary[i] / frequency);
		const tenureDays = referenceDay - table.firstDay[i];
		const simple = roundMoney(simpleClv(monetary[i] / frequency, frequency, tenureDays, options.simpleClv));
		const segmentKey = schemeKeys[segment[i]];
		const rawPrevious = table.previousSegments[i];
		const previous = rawPrevious === null ? null : (knownSegment.get(rawPrevious.toLowerCase()) ?? rawPrevious);
		const code = (rScore[i] - 1) * 25 + (fScore[i] - 1) * 5 + (mScore[i] - 1);
		const row: RfmCustomerRow = {
			customerKey: table.keys[i],
			accountKey: table.accountKeys[i],
			segment: segmentKey,
			segmentLabel: labels[segment[i]],
			lifecycleStage: lifecycle.stages[i],
			rfmCode: RFM_CODES[code],
			rScore: rScore[i],
			fScore: fScore[i],
			mScore: mScore[i],
			recencyDays: recency[i],
			frequency,
			monetary: monetary[i],
			averageOrderValue: aov,
			firstOrderAt: firstAtText?.[i] ?? isoUtc(table.firstAt[i]),
			lastOrderAt: lastAtText?.[i] ?? isoUtc(table.lastAt[i]),
			tenureDays,
			averageDaysBetweenOrders: averageGap[i] === averageGap[i] ? round(averageGap[i], 2) : null,
			historicalClv: monetary[i],
			simpleClv: finiteOrNull(simple),
			probabilityAlive: predictive ? finiteOrNull(round(predictive.probabilityAlive[i], 6)) : null,
			expectedPurchases: predictive ? finiteOrNull(round(predictive.expectedPurchases[i], 4)) : null,
			expectedAverageOrderValue: predictive ? finiteOrNull(roundMoney(predictive.expectedAverageOrderValue[i])) : null,
			predictedClv: predictive ? finiteOrNull(roundMoney(predictive.predictedClv[i])) : null,
			previousSegment: previous,
			segmentChanged: previous !== null && previous !== segmentKey,
		};
		if (table.contactKeys) row.contactKeys = table.contactKeys[i];
		rows[i] = row;
		totalMonetary += monetary[i];
		totalSimple += simple;
		if (predictive && row.predictedClv !== null) totalPredicted += row.predictedClv as number;
	}

	const segmentCounts: Record<string, number> = Object.fromEntries(schemeKeys.map((key) => [key, 0]));
	for (let i = 0; i < n; i++) segmentCounts[schemeKeys[segment[i]]]++;
	const stageCounts: Record<string, number> = Object.fromEntries(Object.keys(LIFECYCLE_STAGES).map((key) => [key, 0]));
	for (const stage of lifecycle.stages) stageCounts[stage as LifecycleStage]++;

	return {
		rows,
		predictiveError,
		summary: {
			referenceDate: DateTime.fromMillis(options.referenceMillis, { zone: options.zone }).toISO() as string,
			timezone: options.zone.name,
			customers: n,
			scoring: { method: options.scoring.method, recencyEdges, frequencyEdges, monetaryEdges },
			segmentScheme: scheme,
			segments: segmentCounts,
			lifecycleStages: stageCounts,
			averageDaysBetweenOrders: {
				population: lifecycle.populationAverageGap === null ? null : round(lifecycle.populationAverageGap, 2),
				bySegment: Object.fromEntries(schemeKeys.map((key, s) => [key, lifecycle.segmentAverageGap[s] === null ? null : round(lifecycle.segmentAverageGap[s] as number, 2)])),
			},
			totals: {
				monetary: roundMoney(totalMonetary),
				simpleClv: roundMoney(totalSimple),
				predictedClv: predictive ? roundMoney(totalPredicted) : null,
			},
			predictive: predictive && options.predictive ? predictiveSummary(predictive, options.predictive) : null,
			predictiveError: predictiveError ? predictiveError.message : null,
		},
	};
}

/** BG/NBD inputs in days: x = distinct purchase days − 1, t_x = last − first day, T = reference − first day. */
export function predictiveInput(table: CustomerTable, referenceDay: number) {
	const n = table.size;
	const x = new Float64Array(n);
	const tx = new Float64Array(n);
	const T = new Float64Array(n);
	const meanRepeatValue = new Float64Array(n);
	for (let i = 0; i < n; i++) {
		x[i] = table.purchaseDays[i] - 1;
		tx[i] = table.lastDay[i] - table.firstDay[i];
		T[i] = referenceDay - table.firstDay[i];
		meanRepeatValue[i] = x[i] > 0 ? table.repeatSpend[i] / x[i] : 0;
	}
	return { x, tx, T, meanRepeatValue };
}

function predictiveSummary(result: PredictiveResult, options: PredictiveOptions): PredictiveSummary {
	const { bgNbd, gammaGamma } = result;
	const months = Math.max(1, Math.round(options.horizonMonths));
	return {
		timeUnit: 'days',
		horizonMonths: months,
		horizonDays: months * DAYS_PER_MONTH,
		annualDiscountRate: options.annualDiscountRate,
		bgNbd: {
			r: bgNbd.r,
			alpha: bgNbd.alpha,
			a: bgNbd.a,
			b: bgNbd.b,
			logLikelihood: bgNbd.logLikelihood,
			customers: bgNbd.customers,
			repeatCustomers: bgNbd.repeatCustomers,
		},
		gammaGamma: {
			p: gammaGamma.p,
			q: gammaGamma.q,
			gamma: gammaGamma.gamma,
			logLikelihood: gammaGamma.logLikelihood,
			customers: gammaGamma.customers,
			frequencySpendCorrelation: gammaGamma.frequencySpendCorrelation,
		},
	};
}
