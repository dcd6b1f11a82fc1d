/**
 * The two ways the transform nodes build an output item's json (nodes/shared/engine.ts picks the one
 * that is fast on the running engine) must give the same object: same keys in the same order, same
 * values, a plain prototype. Both forms are checked here whichever engine runs the tests.
 */
import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import type { B2bClassification } from '../../../core/classifier/classify';
import type { WinBackRoutingFields } from '../../../core/router';
import { classifiedJson } from '../../../nodes/B2bClassifier/classifiedJson';
import { spreadThenAddIsFast } from '../../../nodes/shared/engine';
import { routedJson } from '../../../nodes/WinBackRouter/routedJson';

describe('spreadThenAddIsFast (which copy form the engine runs fast)', () => {
	it.each([
		['Node.js/24', true],
		['Node.js/22', true],
		['Node.js/30', true],
		['Node.js/21', false],
		['Node.js/', false],
		['Mozilla/5.0 (X11; Linux x86_64)', false],
		[undefined, false],
		[24, false],
	])('%p → %p', (userAgent, expected) => {
		expect(spreadThenAddIsFast(userAgent)).toBe(expected);
	});
});

const routingFields: WinBackRoutingFields = {
	route: 'winBackIncentive',
	routeName: 'Win-back Incentive',
	reasons: ['Route "Win-back Incentive" by segment', 'Send now'],
	matchedRule: 'segment',
	suppressedBy: [],
	offer: null,
	sendAt: '2024-06-01T00:00:00.000Z',
	sequence: [],
};

const classification = {
	isB2B: true,
	score: 0.8,
	reasons: ['company domain'],
	emailDomain: 'acme.example',
	accountKey: 'acme.example',
	accountName: 'Acme',
	disposableEmail: false,
	classificationMode: 'weightedScore',
	signals: [],
	warnings: [],
} as unknown as B2bClassification;

// Items as n8n holds them after JSON: any keys, the nodes' own field names and "__proto__" included.
const itemJson = fc
	.dictionary(fc.oneof(fc.string(), fc.constantFrom('route', 'reasons', 'offer', 'isB2B', 'score', 'email', '__proto__', 'constructor', '0', '10')), fc.jsonValue(), { maxKeys: 12 })
	.map((json) => JSON.parse(JSON.stringify(json)) as IDataObject);

describe.each([
	['routedJson', (json: IDataObject, fast: boolean) => routedJson(json, routingFields, fast), routingFields as unknown as IDataObject],
	['classifiedJson', (json: IDataObject, fast: boolean) => classifiedJson(json, classification, fast), classification as unknown as IDataObject],
])('%s', (_name, build, fields) => {
	it('builds the same object in both forms: the item\'s keys in place, then the node\'s fields with their new values', () => {
		fc.assert(
			fc.property(itemJson, (json) => {
				const viaSpread = build(json, true);
				const viaLiteral = build(json, false);
				expect(Object.keys(viaSpread)).toEqual(Object.keys(viaLiteral));
				expect(viaSpread).toStrictEqual(viaLiteral);
				for (const copy of [viaSpread, viaLiteral]) {
					expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
					expect(copy).not.toBe(json);
					const ownKeys = Object.keys(json);
					expect(Object.keys(copy)).toEqual([...ownKeys, ...Object.keys(fields).filter((key) => !ownKeys.includes(key))]);
					for (const key of Object.keys(fields)) expect(copy[key]).toBe(fields[key]);
					for (const key of ownKeys) if (!(key in fields)) expect(copy[key]).toBe(json[key]);
				}
			}),
			{ numRuns: 300 },
		);
	});

	it('leaves the input item unchanged', () => {
		const json = JSON.parse('{"__proto__":{"polluted":1},"route":"old","email":"a@b.example"}') as IDataObject;
		const before = JSON.stringify(json);
		build(json, true);
		build(json, false);
		expect(JSON.stringify(json)).toBe(before);
	});
});
