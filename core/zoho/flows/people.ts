import type { ZohoClient } from '../client';
import type { ZohoTrigger } from '../constants';
import type { Person, PostalAddress } from '../inputs';
import type { RecordOutcome, ZohoRecord } from '../types';

/**
 * Field API names for a person record (Contact or Lead). An empty name means "do not write".
 * Defaults are Zoho's standard Contact fields.
 */
export interface PersonFieldNames {
	email: string;
	firstName: string;
	lastName: string;
	phone: string;
	street: string;
	city: string;
	state: string;
	zip: string;
	country: string;
	leadSource: string;
	customerId: string;
}

export const DEFAULT_CONTACT_FIELDS: PersonFieldNames = {
	email: 'Email',
	firstName: 'First_Name',
	lastName: 'Last_Name',
	phone: 'Phone',
	street: 'Mailing_Street',
	city: 'Mailing_City',
	state: 'Mailing_State',
	zip: 'Mailing_Zip',
	country: 'Mailing_Country',
	leadSource: 'Lead_Source',
	customerId: '',
};

export const DEFAULT_LEAD_FIELDS: PersonFieldNames = {
	email: 'Email',
	firstName: 'First_Name',
	lastName: 'Last_Name',
	phone: 'Phone',
	street: 'Street',
	city: 'City',
	state: 'State',
	zip: 'Zip_Code',
	country: 'Country',
	leadSource: 'Lead_Source',
	customerId: '',
};

function put(record: ZohoRecord, field: string, value: unknown): void {
	if (field && value !== null && value !== undefined && value !== '') record[field] = value;
}

/**
 * A person record: only values the store actually has are sent, so an order without a phone never
 * blanks the phone already in Zoho CRM. Last_Name is left out when unknown; the flows add a fallback
 * only when Zoho says the record is new and needs one (MANDATORY_NOT_FOUND).
 */
export function personRecord(person: Person, address: PostalAddress | null, names: PersonFieldNames, leadSourceValue: string): ZohoRecord {
	const record: ZohoRecord = {};
	put(record, names.email, person.email);
	put(record, names.firstName, person.firstName);
	put(record, names.lastName, person.lastName);
	put(record, names.phone, person.phone);
	if (address) {
		put(record, names.street, address.street);
		put(record, names.city, address.city);
		put(record, names.state, address.region);
		put(record, names.zip, address.postalCode);
		put(record, names.country, address.country);
	}
	put(record, names.leadSource, leadSourceValue);
	put(record, names.customerId, person.customerId);
	return record;
}

/**
 * Upserts person records by email. Zoho requires a last name on new Contacts and Leads; records
 * without one go out without it first (so an existing person's real last name is never replaced by
 * a guess), and only those Zoho reports as new and missing a last name are sent again with the
 * fallback (first name, else the email's local part).
 */
export async function upsertPeople(
	client: ZohoClient,
	module: string,
	groups: Array<{ record: ZohoRecord; fallbackLastName: string | null }>,
	names: PersonFieldNames,
	trigger?: ZohoTrigger[],
): Promise<RecordOutcome[]> {
	if (groups.length === 0) return [];
	const options = { duplicateCheckFields: [names.email], trigger };
	const outcomes = await client.write('upsert', module, groups.map((g) => g.record), options);
	const again = groups
		.map((group, index) => ({ group, index }))
		.filter(({ group, index }) => {
			const outcome = outcomes[index];
			return group.fallbackLastName !== null && !outcome.ok && outcome.code === 'MANDATORY_NOT_FOUND' && outcome.field === names.lastName;
		});
	if (again.length === 0) return outcomes;
	const retried = await client.write('upsert', module, again.map(({ group }) => ({ ...group.record, [names.lastName]: group.fallbackLastName })), options);
	const merged = [...outcomes];
	again.forEach(({ index }, k) => (merged[index] = retried[k]));
	return merged;
}
