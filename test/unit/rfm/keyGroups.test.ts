/**
 * groupKeys against the definition it replaces (a Map from normalised key to group, numbered by first
 * appearance), including texts whose 32-bit hashes collide: those must stay apart.
 */
import fc from 'fast-check';

import { groupKeys, hashText } from '../../../core/rfm/keyGroups';
import { customerKeyOf } from '../../../core/rfm/readers';

const normalize = (text: string) => customerKeyOf(text) as string;

function reference(texts: string[], normal: (text: string) => string) {
	const groupByKey = new Map<string, number>();
	const groupOf = texts.map((text) => {
		const key = normal(text);
		if (!groupByKey.has(key)) groupByKey.set(key, groupByKey.size);
		return groupByKey.get(key) as number;
	});
	const members = [...groupByKey.keys()].map((_, g) => groupOf.flatMap((group, position) => (group === g ? [position] : [])));
	return { groupOf, keys: [...groupByKey.keys()], members };
}

function grouped(texts: string[], normal: (text: string) => string) {
	const result = groupKeys(texts, texts.length, normal);
	const members = result.keys.map((_, g) => Array.from(result.members.subarray(result.groupStart[g], result.groupStart[g + 1])));
	return { groupOf: Array.from(result.groupOf), keys: result.keys, members };
}

/** Distinct texts in pairs whose hashes are equal, found by a birthday search. */
function collidingPairs(wanted: number): Array<[string, string]> {
	const byHash = new Map<number, string>();
	const pairs: Array<[string, string]> = [];
	for (let i = 0; pairs.length < wanted; i++) {
		const text = `buyer${i}@example.com`;
		const hash = hashText(text);
		const earlier = byHash.get(hash);
		if (earlier === undefined) byHash.set(hash, text);
		else pairs.push([earlier, text]);
	}
	return pairs;
}

describe('groupKeys', () => {
	it('numbers groups by first appearance and lists each group\'s positions in input order, whatever the spelling', () => {
		const spellings = ['ann@x.com', 'Ann@X.com', ' ann@x.com', 'bob@y.org', 'BOB@y.org ', 'carl', 'carl ', 'Carl'];
		fc.assert(
			fc.property(fc.array(fc.constantFrom(...spellings), { maxLength: 60 }), (texts) => {
				expect(grouped(texts, normalize)).toEqual(reference(texts, normalize));
			}),
		);
	});

	it('keeps texts whose hashes collide apart, in runs and repeated in any order', () => {
		const pairs = collidingPairs(3);
		for (const [a, b] of pairs) {
			expect(a).not.toBe(b);
			expect(hashText(a)).toBe(hashText(b));
		}
		const pool = pairs.flat();
		fc.assert(
			fc.property(fc.array(fc.constantFrom(...pool, 'other@x.com', 'OTHER@x.com'), { maxLength: 80, size: 'max' }), (texts) => {
				expect(grouped(texts, normalize)).toEqual(reference(texts, normalize));
			}),
		);
	});

	it('groups texts as they are when told to (account keys)', () => {
		const texts = ['Acme', 'acme', 'Acme', 'a@b.c', 'A@B.C'];
		expect(grouped(texts, (text) => text)).toEqual(reference(texts, (text) => text));
	});

	it('handles no texts and a long run of one text', () => {
		expect(grouped([], normalize)).toEqual({ groupOf: [], keys: [], members: [] });
		const texts = Array.from({ length: 1000 }, () => 'same@x.com');
		expect(grouped(texts, normalize)).toEqual(reference(texts, normalize));
	});
});
