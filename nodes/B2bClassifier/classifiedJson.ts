import type { IDataObject } from 'n8n-workflow';

import type { B2bClassification } from '../../core/classifier/classify';
import { NOTHING_TO_SPREAD, SPREAD_THEN_ADD_IS_FAST } from '../shared/engine';

/**
 * The item's json with the classification fields after its own; an item classified before keeps its
 * keys' places and gets the new values. One object literal, so that V8 gives every copy one hidden
 * class; the json is cloned by the first spread where the engine adds fields to a clone fast, else
 * spread into the empty literal by the second (nodes/shared/engine.ts, docs/performance.md).
 */
export function classifiedJson(json: IDataObject, fields: B2bClassification, spreadThenAddIsFast = SPREAD_THEN_ADD_IS_FAST): IDataObject {
	return {
		...(spreadThenAddIsFast ? json : NOTHING_TO_SPREAD),
		...(spreadThenAddIsFast ? NOTHING_TO_SPREAD : json),
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
