/**
 * When the first message goes out, and the dates of the sequence's later steps.
 * - now: the reference time.
 * - purchaseCycle: last order + the customer's usual gap between orders (averageDaysBetweenOrders),
 *   or + the default gap when the customer has no usual gap yet (one order); never before the
 *   reference time (a gap already passed means "now"). No last order date: now.
 * - delay: the reference time + N days.
 * Reasons are flat text (flatText): they are kept on every routed item.
 */
import { flatText } from '../model/text';
import type { IsoFormatter } from './fields';
import { DAY_MS, formatInstant, formatQuantity, toIsoString } from './fields';
import type { RoutedStep, SendTiming, SequenceStep } from './types';

export interface PurchaseRhythm {
	lastOrderAt: number | null;
	averageDaysBetweenOrders: number | null;
}

export interface SendTime {
	millis: number;
	reason: string;
}

export function computeSendTime(
	timing: SendTiming,
	rhythm: PurchaseRhythm,
	referenceTime: number,
	defaultGapDays: number,
): SendTime {
	if (timing.mode === 'now') return { millis: referenceTime, reason: 'Send now' };
	if (timing.mode === 'delay') {
		return { millis: referenceTime + timing.days * DAY_MS, reason: flatText(`Send ${formatQuantity(timing.days)} days after the reference time`) };
	}
	const { lastOrderAt, averageDaysBetweenOrders } = rhythm;
	if (lastOrderAt === null) return { millis: referenceTime, reason: 'Send now: no last order date to time the purchase cycle from' };
	let gapDays: number;
	let gapText: string;
	if (averageDaysBetweenOrders !== null && averageDaysBetweenOrders > 0) {
		gapDays = averageDaysBetweenOrders;
		gapText = `usual gap ${formatQuantity(gapDays)} days`;
	} else if (defaultGapDays > 0) {
		gapDays = defaultGapDays;
		gapText = `default gap ${formatQuantity(gapDays)} days (no usual gap yet)`;
	} else {
		return { millis: referenceTime, reason: 'Send now: the customer has no usual gap between orders yet' };
	}
	const due = lastOrderAt + gapDays * DAY_MS;
	if (due <= referenceTime) {
		return { millis: referenceTime, reason: flatText(`Send now: last order ${formatInstant(lastOrderAt)} + ${gapText} is already due`) };
	}
	return { millis: due, reason: flatText(`Send on ${formatInstant(due)}: last order ${formatInstant(lastOrderAt)} + ${gapText}`) };
}

/** The route's sequence with each step's date (first send time + the step's day offset). */
export function scheduleSequence(steps: readonly SequenceStep[], sendAt: number, iso: IsoFormatter = toIsoString): RoutedStep[] {
	const scheduled: RoutedStep[] = new Array(steps.length);
	for (let index = 0; index < steps.length; index++) {
		const step = steps[index];
		scheduled[index] = {
			step: step.step,
			dayOffset: step.dayOffset,
			template: step.template,
			sendAt: iso(sendAt + step.dayOffset * DAY_MS),
		};
	}
	return scheduled;
}
