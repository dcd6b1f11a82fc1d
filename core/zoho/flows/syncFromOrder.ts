import type { RollupFieldNames } from '../rollups';
import { computeRollup, rollupFields, rollupsMapped } from '../rollups';
import type { UtmFieldNames, FirstTouchDecision } from '../attribution';
import { activeUtmFields, decideFirstTouch } from '../attribution';
import { chunk, mergeRecordsByKey } from '../batching';
import type { ZohoClient } from '../client';
import { MAX_RECORDS_PER_WRITE } from '../constants';
import type { ZohoTrigger } from '../constants';
import type { B2bFacts, OrderFacts } from '../inputs';
import { fallbackLastName } from '../inputs';
import { buildCoqlRequest, buildCoqlSelectIn, buildUpdateRequest, buildUpsertRequest, toZohoDateTime } from '../requests';
import type { RecordOutcome, ZohoRecord } from '../types';
import { failure } from '../types';
import type { ItemResult, PlannedCall } from './common';
import { ResultBook, outcomeSummary } from './common';
import type { PersonFieldNames } from './people';
import { personRecord, upsertPeople } from './people';

/**
 * "Sync customer from order", the connector flow, for a whole run of items at once:
 *
 *  1. B2B orders: upsert the Account by account key (or name) — one record per company.
 *  2. Read the existing Contacts' first-touch UTM fields (COQL, 50 emails per query) when first-touch is on.
 *  3. Upsert the Contact by email — one record per email — linked to its Account (`Account_Name: {id}`),
 *     with the UTM of the customer's first order only when the Contact has none yet.
 *  4. Upsert the Order linked to the Contact (and Account), deduplicated by order number.
 *  5. When roll-up fields are mapped: recompute lifetime spend, order count, last order date and
 *     average order value from the Order records in Zoho CRM and update the Contacts by id.
 *
 * Each step batches up to 100 records per call. Every step is an upsert by duplicate key, a read, or an
 * update by id with absolute values, so repeating any call (after a dropped connection, or a whole re-run)
 * converges on the same records: nothing is created twice.
 */

export interface AccountConfig {
	/** Field holding the B2B Classifier's account key (a custom unique field, e.g. Account_Key). */
	keyField: string;
	/** Account_Name (mandatory in Zoho). */
	nameField: string;
	/** Match existing Accounts on the key field or on the name. */
	matchBy: 'key' | 'name';
}

export interface OrderConfig {
	module: string;
	numberField: string;
	nameField: string;
	contactLookupField: string;
	accountLookupField: string;
	totalField: string;
	dateField: string;
	statusField: string;
	currencyField: string;
	sourceField: string;
	/** Sales_Orders only: the Product every order line points at (Zoho requires a product per line). */
	lineItemProductId: string;
	lineItemsField: string;
}

/** Defaults for the custom module the templates use (`Store_Orders`) and for Zoho's Sales_Orders. */
export function defaultOrderConfig(module: string): OrderConfig {
	if (module === 'Sales_Orders') {
		return {
			module, numberField: 'Order_Number', nameField: 'Subject', contactLookupField: 'Contact_Name', accountLookupField: 'Account_Name',
			totalField: 'Order_Total', dateField: 'Order_Date', statusField: 'Order_Status', currencyField: 'Order_Currency', sourceField: 'Source_Store',
			lineItemProductId: '', lineItemsField: 'Ordered_Items',
		};
	}
	return {
		module, numberField: 'Order_Number', nameField: 'Name', contactLookupField: 'Contact', accountLookupField: 'Account',
		totalField: 'Order_Total', dateField: 'Order_Date', statusField: 'Order_Status', currencyField: 'Order_Currency', sourceField: 'Source_Store',
		lineItemProductId: '', lineItemsField: '',
	};
}

export interface SyncConfig {
	contactFields: PersonFieldNames;
	/** The Contact's lookup to its Account (standard: Account_Name). Empty: do not link. */
	contactAccountField: string;
	leadSourceValue: string;
	account: AccountConfig;
	order: OrderConfig;
	/** First-touch UTM fields on the Contact; null to switch first-touch off. */
	firstTouch: UtmFieldNames | null;
	rollups: RollupFieldNames;
	trigger?: ZohoTrigger[];
}

export interface SyncEntry {
	itemIndex: number;
	order: OrderFacts;
	b2b: B2bFacts;
}

type IdRef = { id: string };
type IdResolver = (itemIndex: number) => IdRef | null;

// ---- planning (shared by the run and the dry run) ----

function accountRecords(entries: SyncEntry[], config: SyncConfig, book: ResultBook) {
	const keyed: Array<{ itemIndex: number; record: ZohoRecord }> = [];
	for (const { itemIndex, b2b } of entries) {
		if (!b2b.isB2B || book.isFailed(itemIndex)) continue;
		const name = b2b.accountName ?? b2b.accountKey;
		if (!name || (config.account.matchBy === 'key' && !b2b.accountKey)) {
			book.fail(itemIndex, 'account', failure('INVALID_INPUT', `The order is marked B2B but has no ${config.account.matchBy === 'key' ? 'account key' : 'account name'} — run the B2B Classifier before this node, or point "Account Key Field"/"Account Name Field" at the right input fields`, { field: config.account.matchBy === 'key' ? 'accountKey' : 'accountName' }));
			continue;
		}
		const record: ZohoRecord = { [config.account.nameField]: name };
		if (config.account.keyField && b2b.accountKey) record[config.account.keyField] = b2b.accountKey;
		keyed.push({ itemIndex, record });
	}
	const matchField = config.account.matchBy === 'key' ? config.account.keyField : config.account.nameField;
	return { matchField, records: mergeRecordsByKey(keyed, [matchField]) };
}

interface ContactGroup {
	email: string;
	itemIndexes: number[];
	record: ZohoRecord;
	firstTouch: FirstTouchDecision;
	fallbackLastName: string | null;
}

function contactGroups(entries: SyncEntry[], config: SyncConfig, book: ResultBook, accountIdOf: IdResolver, existingUtm: (email: string) => ZohoRecord | undefined): ContactGroup[] {
	const byEmail = new Map<string, SyncEntry[]>();
	for (const entry of entries) {
		if (book.isFailed(entry.itemIndex)) continue;
		const email = entry.order.person.email;
		if (!byEmail.has(email)) byEmail.set(email, []);
		byEmail.get(email)!.push(entry);
	}
	const groups: ContactGroup[] = [];
	for (const [email, group] of byEmail) {
		const record: ZohoRecord = {};
		let lastNameKnown = false;
		for (const { itemIndex, order } of group) {
			Object.assign(record, personRecord(order.person, order.address, config.contactFields, config.leadSourceValue));
			if (order.person.lastName) lastNameKnown = true;
			const account = accountIdOf(itemIndex);
			if (account && config.contactAccountField) record[config.contactAccountField] = account;
		}
		const decision = config.firstTouch ? decideFirstTouch(existingUtm(email), group.map((g) => g.order), config.firstTouch) : ({ write: false, reason: 'not_mapped' } as const);
		if (decision.write) Object.assign(record, decision.fields);
		groups.push({
			email,
			itemIndexes: group.map((g) => g.itemIndex),
			record,
			firstTouch: decision,
			fallbackLastName: lastNameKnown || !config.contactFields.lastName ? null : fallbackLastName(group[group.length - 1].order.person),
		});
	}
	return groups;
}

function orderRecord(order: OrderFacts, config: OrderConfig, contact: IdRef, account: IdRef | null): ZohoRecord {
	const record: ZohoRecord = {};
	const put = (field: string, value: unknown) => {
		if (field && value !== null && value !== undefined && value !== '') record[field] = value;
	};
	put(config.numberField, order.number);
	put(config.nameField, `Order ${order.number}`);
	put(config.contactLookupField, contact);
	if (account) put(config.accountLookupField, account);
	put(config.totalField, order.total);
	put(config.dateField, toZohoDateTime(order.createdAt));
	put(config.statusField, order.status);
	put(config.currencyField, order.currency);
	put(config.sourceField, order.source);
	if (config.lineItemsField && config.lineItemProductId) {
		const lines = order.lineItems.length > 0 ? order.lineItems : [{ sku: null, name: `Order ${order.number}`, quantity: 1, price: order.total, total: order.total }];
		record[config.lineItemsField] = lines.map((line) => ({
			Product_Name: { id: config.lineItemProductId },
			Quantity: line.quantity,
			List_Price: line.price,
			Description: [line.sku, line.name].filter(Boolean).join(' — ') || null,
		}));
	}
	return record;
}

function orderRecords(entries: SyncEntry[], config: SyncConfig, book: ResultBook, contactIdOf: IdResolver, accountIdOf: IdResolver) {
	const keyed: Array<{ itemIndex: number; record: ZohoRecord }> = [];
	for (const { itemIndex, order, b2b } of entries) {
		if (book.isFailed(itemIndex)) continue;
		const contact = contactIdOf(itemIndex);
		if (!contact) continue;
		keyed.push({ itemIndex, record: orderRecord(order, config.order, contact, b2b.isB2B ? accountIdOf(itemIndex) : null) });
	}
	return mergeRecordsByKey(keyed, [config.order.numberField]);
}

// ---- run ----

export async function runSyncFromOrder(client: ZohoClient, entries: SyncEntry[], config: SyncConfig): Promise<ItemResult[]> {
	const book = new ResultBook();
	const trigger = config.trigger;

	// 1. Accounts
	const accountIds = new Map<number, IdRef>();
	const accounts = accountRecords(entries, config, book);
	if (accounts.records.length > 0) {
		const outcomes = await client.write('upsert', 'Accounts', accounts.records.map((r) => r.record), { duplicateCheckFields: [accounts.matchField], trigger });
		accounts.records.forEach(({ itemIndexes }, i) => {
			for (const itemIndex of itemIndexes) record(book, itemIndex, 'account', outcomes[i], (id) => accountIds.set(itemIndex, { id }));
		});
	}

	// 2. Existing first-touch values
	const existing = new Map<string, ZohoRecord>();
	const utmFields = config.firstTouch ? activeUtmFields(config.firstTouch).map(([, f]) => f) : [];
	if (utmFields.length > 0) {
		const emails = Array.from(new Set(entries.filter((e) => !book.isFailed(e.itemIndex)).map((e) => e.order.person.email)));
		const lookup = await client.lookup('Contacts', utmFields, config.contactFields.email, emails);
		for (const [email, records] of lookup.found) existing.set(email, mergeExisting(records, utmFields));
		for (const entry of entries) {
			const failed = lookup.failed.get(entry.order.person.email);
			if (failed) book.fail(entry.itemIndex, 'lookup', failed);
		}
	}

	// 3. Contacts
	const contactIds = new Map<number, IdRef>();
	const groups = contactGroups(entries, config, book, (i) => accountIds.get(i) ?? null, (email) => existing.get(email));
	const outcomes = await upsertPeople(client, 'Contacts', groups, config.contactFields, trigger);
	groups.forEach((group, i) => {
		for (const itemIndex of group.itemIndexes) {
			record(book, itemIndex, 'contact', outcomes[i], (id) => contactIds.set(itemIndex, { id }));
			book.note(itemIndex, 'firstTouch', group.firstTouch.write ? 'written' : group.firstTouch.reason);
		}
	});

	// 4. Orders
	const orders = orderRecords(entries, config, book, (i) => contactIds.get(i) ?? null, (i) => accountIds.get(i) ?? null);
	if (orders.length > 0) {
		const orderOutcomes = await client.write('upsert', config.order.module, orders.map((o) => o.record), { duplicateCheckFields: [config.order.numberField], trigger });
		orders.forEach(({ itemIndexes }, i) => {
			for (const itemIndex of itemIndexes) record(book, itemIndex, 'order', orderOutcomes[i]);
		});
	}

	// 5. Roll-ups from the stored orders
	if (rollupsMapped(config.rollups)) await writeRollups(client, entries, config, book, contactIds);

	return book.results(entries.map((e) => e.itemIndex));
}

function record(book: ResultBook, itemIndex: number, stage: string, outcome: RecordOutcome, onId?: (id: string) => void): void {
	if (book.isFailed(itemIndex)) return;
	if (outcome.ok) {
		book.note(itemIndex, stage, outcomeSummary(outcome));
		onId?.(outcome.id);
	} else {
		book.fail(itemIndex, stage, outcome);
	}
}

/** Several Contacts with one email: first-touch counts as set if any of them has it. */
function mergeExisting(records: ZohoRecord[], fields: string[]): ZohoRecord {
	const merged: ZohoRecord = {};
	for (const r of records) for (const f of fields) if (merged[f] === undefined || merged[f] === null || merged[f] === '') merged[f] = r[f];
	return merged;
}

async function writeRollups(client: ZohoClient, entries: SyncEntry[], config: SyncConfig, book: ResultBook, contactIds: Map<number, IdRef>): Promise<void> {
	const o = config.order;
	const ids = Array.from(new Set(entries.filter((e) => !book.isFailed(e.itemIndex) && contactIds.has(e.itemIndex)).map((e) => contactIds.get(e.itemIndex)!.id)));
	if (ids.length === 0) return;
	const lookup = await client.lookup(o.module, [o.totalField, o.dateField, o.statusField, o.currencyField].filter(Boolean), o.contactLookupField, ids);
	const updates: ZohoRecord[] = [];
	const rollupById = new Map<string, ReturnType<typeof computeRollup>>();
	for (const id of ids) {
		if (lookup.failed.has(id)) continue;
		const rows = (lookup.found.get(id) ?? []).map((row) => ({
			total: typeof row[o.totalField] === 'number' ? (row[o.totalField] as number) : Number(row[o.totalField]),
			orderedAt: typeof row[o.dateField] === 'string' ? (row[o.dateField] as string) : null,
			status: o.statusField && typeof row[o.statusField] === 'string' ? (row[o.statusField] as string) : null,
			currency: o.currencyField && typeof row[o.currencyField] === 'string' ? (row[o.currencyField] as string) : null,
		}));
		const rollup = computeRollup(rows);
		rollupById.set(id, rollup);
		updates.push({ id, ...rollupFields(rollup, config.rollups) });
	}
	const outcomes = updates.length > 0 ? await client.write('update', 'Contacts', updates, { trigger: config.trigger }) : [];
	const outcomeById = new Map(updates.map((u, i) => [u.id as string, outcomes[i]]));
	for (const entry of entries) {
		const contact = contactIds.get(entry.itemIndex);
		if (!contact || book.isFailed(entry.itemIndex)) continue;
		const lookupFailure = lookup.failed.get(contact.id);
		if (lookupFailure) {
			book.fail(entry.itemIndex, 'rollup', lookupFailure);
			continue;
		}
		const outcome = outcomeById.get(contact.id);
		if (outcome && !outcome.ok) book.fail(entry.itemIndex, 'rollup', outcome);
		else book.note(entry.itemIndex, 'rollup', rollupById.get(contact.id));
	}
}

// ---- dry run ----

/** The calls a run would make. Ids that only exist after earlier calls appear as placeholders. */
export function planSyncFromOrder(entries: SyncEntry[], config: SyncConfig): { calls: PlannedCall[]; results: ItemResult[] } {
	const book = new ResultBook();
	const calls: PlannedCall[] = [];
	const trigger = config.trigger;
	const accounts = accountRecords(entries, config, book);
	for (const batch of chunk(accounts.records, MAX_RECORDS_PER_WRITE)) {
		calls.push({ stage: 'account', request: buildUpsertRequest('Accounts', batch.map((r) => r.record), { duplicateCheckFields: [accounts.matchField], trigger }), itemIndexes: batch.flatMap((r) => r.itemIndexes) });
	}
	const accountPlaceholder = new Map<number, IdRef>();
	accounts.records.forEach((r) => r.itemIndexes.forEach((i) => accountPlaceholder.set(i, { id: `<id of the Account upserted for item ${r.itemIndexes[0]}>` })));
	const utmFields = config.firstTouch ? activeUtmFields(config.firstTouch).map(([, f]) => f) : [];
	const alive = entries.filter((e) => !book.isFailed(e.itemIndex));
	if (utmFields.length > 0) {
		const emails = Array.from(new Set(alive.map((e) => e.order.person.email)));
		for (const group of chunk(emails, 50)) {
			calls.push({ stage: 'lookup', request: buildCoqlRequest(buildCoqlSelectIn('Contacts', utmFields, config.contactFields.email, group, 2000, 0), `look up ${group.length} Contact(s) by email`), itemIndexes: alive.filter((e) => group.includes(e.order.person.email)).map((e) => e.itemIndex) });
		}
	}
	const groups = contactGroups(entries, config, book, (i) => accountPlaceholder.get(i) ?? null, () => undefined);
	for (const batch of chunk(groups, MAX_RECORDS_PER_WRITE)) {
		calls.push({
			stage: 'contact',
			request: buildUpsertRequest('Contacts', batch.map((g) => g.record), { duplicateCheckFields: [config.contactFields.email], trigger }),
			itemIndexes: batch.flatMap((g) => g.itemIndexes),
			note: utmFields.length > 0 ? 'UTM fields are sent only for Contacts that have none yet (checked by the lookup at run time)' : undefined,
		});
	}
	const contactPlaceholder = new Map<number, IdRef>();
	groups.forEach((g) => g.itemIndexes.forEach((i) => contactPlaceholder.set(i, { id: `<id of the Contact ${g.email}>` })));
	const orders = orderRecords(entries, config, book, (i) => contactPlaceholder.get(i) ?? null, (i) => accountPlaceholder.get(i) ?? null);
	for (const batch of chunk(orders, MAX_RECORDS_PER_WRITE)) {
		calls.push({ stage: 'order', request: buildUpsertRequest(config.order.module, batch.map((r) => r.record), { duplicateCheckFields: [config.order.numberField], trigger }), itemIndexes: batch.flatMap((r) => r.itemIndexes) });
	}
	if (rollupsMapped(config.rollups)) {
		const all = groups.flatMap((g) => g.itemIndexes);
		calls.push({ stage: 'rollup', request: buildCoqlRequest(`select ... from ${config.order.module} where ${config.order.contactLookupField} in (<Contact ids>)`, 'read the stored orders of each Contact (50 Contacts per query)'), itemIndexes: all, note: 'one query per 50 Contacts' });
		calls.push({ stage: 'rollup', request: buildUpdateRequest('Contacts', [{ id: '<Contact id>', ...Object.fromEntries(Object.values(config.rollups).filter(Boolean).map((f) => [f, '<recomputed>'])) }], { trigger }), itemIndexes: all, note: 'one update per 100 Contacts' });
	}
	return { calls, results: book.results(entries.map((e) => e.itemIndex)).filter((r) => !r.ok) };
}

