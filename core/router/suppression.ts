/**
 * Suppression: customers who must not get a message now, whatever their route. Every check that
 * applies is listed (not just the first), each with a code (`suppressedBy`) and a reason an operator reads.
 * A field that is absent never suppresses (nobody unsubscribed, no open case, never contacted), except
 * marketing consent when "Require Marketing Consent" is on. A present but unreadable value sends the item
 * to Unmatched (raised as ItemFieldError): routing on a guess could break a promise to the customer.
 */
import { DAY_MS, HOUR_MS, ItemFieldError, formatInstant, formatQuantity } from './fields';
import type { FieldReaders, ItemView } from './itemView';
import type { SuppressionReason, SuppressionSettings } from './types';

export interface SuppressionHit {
	code: SuppressionReason;
	reason: string;
}

export type SuppressionCheck = (view: ItemView, hits: SuppressionHit[]) => void;

/** The enabled checks in a fixed order (consent first: it is the one with legal weight). */
export function compileSuppression(settings: SuppressionSettings, readers: FieldReaders): SuppressionCheck[] {
	const checks: SuppressionCheck[] = [];

	if (settings.unsubscribed) {
		const { unsubscribed, marketingConsent } = readers;
		const requireConsent = settings.requireConsent;
		checks.push((view, hits) => {
			if (view.optionalFlag(unsubscribed) === true) {
				hits.push({ code: 'unsubscribed', reason: `Unsubscribed (field "${unsubscribed.path}" is yes)` });
				return;
			}
			const consent = view.optionalFlag(marketingConsent);
			if (consent === false) hits.push({ code: 'noConsent', reason: `No marketing consent (field "${marketingConsent.path}" is no)` });
			else if (consent === null && requireConsent) {
				hits.push({ code: 'noConsent', reason: `No marketing consent on record (field "${marketingConsent.path}" is missing and consent is required)` });
			}
		});
	}

	if (settings.openSupportCase) {
		const reader = readers.openSupportCase;
		checks.push((view, hits) => {
			if (view.optionalFlag(reader) === true) hits.push({ code: 'openSupportCase', reason: `Open support case (field "${reader.path}" is ${describeFlag(view.raw(reader))})` });
		});
	}

	if (settings.activeSubscription) {
		const reader = readers.activeSubscription;
		checks.push((view, hits) => {
			if (view.optionalFlag(reader) === true) {
				hits.push({ code: 'activeSubscription', reason: `Active subscription (field "${reader.path}" is ${describeFlag(view.raw(reader))})` });
			}
		});
	}

	if (settings.recentPurchaseDays !== null) {
		const days = settings.recentPurchaseDays;
		const windowMs = days * DAY_MS;
		const refundReader = readers.lastRefundAt;
		checks.push((view, hits) => {
			const lastOrder = view.lastOrderAt();
			if (lastOrder !== null && view.referenceTime - lastOrder <= windowMs) {
				hits.push({ code: 'recentPurchase', reason: `Purchased ${ago(view.referenceTime - lastOrder)} (${formatInstant(lastOrder)}), within the ${formatQuantity(days)}-day exit window` });
				return;
			}
			const lastRefund = view.optionalTime(refundReader);
			if (lastRefund !== null && view.referenceTime - lastRefund <= windowMs) {
				hits.push({ code: 'recentPurchase', reason: `Refunded ${ago(view.referenceTime - lastRefund)} (${formatInstant(lastRefund)}), within the ${formatQuantity(days)}-day exit window` });
			}
		});
	}

	if (settings.frequencyCapDays !== null) {
		const days = settings.frequencyCapDays;
		const windowMs = days * DAY_MS;
		const reader = readers.lastContactedAt;
		checks.push((view, hits) => {
			const lastContact = view.optionalTime(reader);
			if (lastContact !== null && view.referenceTime - lastContact < windowMs) {
				hits.push({
					code: 'frequencyCap',
					reason: `Contacted ${ago(view.referenceTime - lastContact)} (${formatInstant(lastContact)}), within the ${formatQuantity(days)}-day frequency cap`,
				});
			}
		});
	}

	if (settings.segmentDebounceHours !== null) {
		const hours = settings.segmentDebounceHours;
		const windowMs = hours * HOUR_MS;
		const { segmentChangedAt, segmentChanged } = readers;
		checks.push((view, hits) => {
			const changedAt = view.optionalTime(segmentChangedAt);
			if (changedAt !== null) {
				if (view.referenceTime - changedAt < windowMs) {
					hits.push({
						code: 'segmentDebounce',
						reason: `Segment changed ${formatQuantity((view.referenceTime - changedAt) / HOUR_MS)} hours ago (${formatInstant(changedAt)}), less than ${formatQuantity(hours)} hours: waiting until it settles`,
					});
				}
				return;
			}
			// The RFM Scorer flags a change found in this scoring run: with no change time, that is "just now".
			if (hours > 0 && view.optionalFlag(segmentChanged) === true) {
				hits.push({
					code: 'segmentDebounce',
					reason: `Segment changed in this scoring run (field "${segmentChanged.path}" is yes, no "${segmentChangedAt.path}"): waiting ${formatQuantity(hours)} hours until it settles`,
				});
			}
		});
	}

	if (settings.otherJourney) {
		const reader = readers.activeJourney;
		checks.push((view, hits) => {
			const value = view.raw(reader);
			if (value === undefined || value === null || value === '' || value === false) return;
			if (value === true) {
				hits.push({ code: 'otherJourney', reason: `In another journey (field "${reader.path}" is yes)` });
				return;
			}
			if (Array.isArray(value)) {
				if (value.length > 0) hits.push({ code: 'otherJourney', reason: `In another journey: ${value.map(String).join(', ')}` });
				return;
			}
			if (typeof value === 'string') {
				// "false"/"no"/"0" written as text means not in a journey; any other text names the journey.
				const word = value.trim().toLowerCase();
				if (word === '' || word === 'false' || word === 'no' || word === '0' || word === 'none') return;
				if (word === 'true' || word === 'yes') hits.push({ code: 'otherJourney', reason: `In another journey (field "${reader.path}" is yes)` });
				else hits.push({ code: 'otherJourney', reason: `In another journey: "${value.trim()}"` });
				return;
			}
			if (typeof value === 'number') {
				if (value > 0) hits.push({ code: 'otherJourney', reason: `In another journey (field "${reader.path}" is ${value})` });
				return;
			}
			throw new ItemFieldError(reader.path, reader.setting, 'is an object; expected a journey name, yes/no or a list of journey names', value);
		});
	}

	return checks;
}

function describeFlag(value: unknown): string {
	return value === true ? 'yes' : JSON.stringify(value);
}

function ago(millis: number): string {
	if (millis < 0) return `in the future (${formatQuantity(-millis / DAY_MS)} days ahead)`;
	if (millis < DAY_MS) return `${formatQuantity(millis / HOUR_MS)} hours ago`;
	return `${formatQuantity(millis / DAY_MS)} days ago`;
}
