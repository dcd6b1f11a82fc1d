import type { IDataObject } from 'n8n-workflow';

import type { B2bClassification } from '../../core/classifier/classify';
import { SPREAD_THEN_ADD_IS_FAST } from '../shared/engine';

/**
 * The item's json with the classification fields after its own; an item classified before keeps its
 * keys' places and gets the new values. Each form is one object literal so that V8 gives every copy one
 * hidden class (see docs/performance.md); which form is faster depends on the engine
 * (nodes/shared/engine.ts), and both build the same object.
 */
export function classifiedJson(json: IDataObject, fields: B2bClassification, spreadThenAddIsFast = SPREAD_THEN_ADD_IS_FAST): IDataObject {
	if (spreadThenAddIsFast) {
		return {
			...json,
			isB2B: fields.isB2B,
			score: fields.score,
			reasons: fields.reasons,
			emailDomain: fields.emailDomain,
			accountKey: fields.accountKey,
			accountName: fields.accountName,
			disposableEmail: fields.disposableEmail,
			classificationMode: fields.classificationMode,
			signals: fields.signals,
			warnings: fields.warnings,
		};
	}
	return {
		...{},
		...json,
		isB2B: fields.isB2B,
		score: fields.score,
		reasons: fields.reasons,
		emailDomain: fields.emailDomain,
		accountKey: fields.accountKey,
		accountName: fields.accountName,
		disposableEmail: fields.disposableEmail,
		classificationMode: fields.classificationMode,
		signals: fields.signals,
		warnings: fields.warnings,
	};
}
