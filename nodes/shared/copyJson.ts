import type { IDataObject } from 'n8n-workflow';

/**
 * A shallow copy of an item's json to extend with a node's output fields. `Object.assign` copies
 * fastest in V8 (measured on 100,000+ items: a spread followed by more fields was several times slower),
 * but it sets an own "__proto__" key (JSON.parse makes one from user data) as the copy's prototype, so
 * the key would vanish and its fields be inherited. Such items take the spread, which keeps it as data.
 */
export function copyJson(json: IDataObject): IDataObject {
	return Object.prototype.hasOwnProperty.call(json, '__proto__') ? { ...json } : Object.assign({}, json);
}
