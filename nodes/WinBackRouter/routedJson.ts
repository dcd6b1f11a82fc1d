import type { IDataObject } from 'n8n-workflow';

import type { WinBackRoutingFields } from '../../core/router';
import { SPREAD_THEN_ADD_IS_FAST } from '../shared/engine';

/**
 * The item's json with the routing fields after its own; an item routed before keeps its keys' places
 * and gets the new values. Each form is one object literal so that V8 gives all 200,000 copies one hidden
 * class (see docs/performance.md); which form is faster depends on the engine (nodes/shared/engine.ts),
 * and both build the same object.
 */
export function routedJson(json: IDataObject, fields: WinBackRoutingFields, spreadThenAddIsFast = SPREAD_THEN_ADD_IS_FAST): IDataObject {
	if (spreadThenAddIsFast) {
		return {
			...json,
			route: fields.route,
			routeName: fields.routeName,
			reasons: fields.reasons,
			matchedRule: fields.matchedRule,
			suppressedBy: fields.suppressedBy,
			offer: fields.offer as IDataObject | null,
			sendAt: fields.sendAt,
			sequence: fields.sequence as unknown as IDataObject[],
		};
	}
	return {
		...{},
		...json,
		route: fields.route,
		routeName: fields.routeName,
		reasons: fields.reasons,
		matchedRule: fields.matchedRule,
		suppressedBy: fields.suppressedBy,
		offer: fields.offer as IDataObject | null,
		sendAt: fields.sendAt,
		sequence: fields.sequence as unknown as IDataObject[],
	};
}
