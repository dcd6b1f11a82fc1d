/**
 * Zoho CRM API facts the client relies on (API v8, the current version).
 * Each value comes from Zoho's published documentation; the URL is next to it.
 */

export const ZOHO_API_VERSION = 'v8';

/** Upsert/insert/update accept at most 100 records per call. https://www.zoho.com/crm/developer/docs/api/v8/upsert-records.html */
export const MAX_RECORDS_PER_WRITE = 100;

/** Get Records: at most 200 per page, pages 1–10 (2,000 records), then `page_token`. https://www.zoho.com/crm/developer/docs/api/v8/get-records.html */
export const MAX_RECORDS_PER_PAGE = 200;
export const DISCRETE_PAGINATION_LIMIT = 2000;

/** COQL `in` takes at most 50 values. https://www.zoho.com/crm/developer/docs/api/v8/COQL-Limitations.html */
export const COQL_IN_LIMIT = 50;
/** COQL returns at most 2,000 rows per call (LIMIT), and 100,000 in all with OFFSET. */
export const COQL_MAX_LIMIT = 2000;

/** Get Records asks for at most 50 field API names. */
export const MAX_FIELDS_PER_GET = 50;

/** Trigger values the write APIs accept; omitting `trigger` runs all of them. */
export const TRIGGERS = ['workflow', 'approval', 'blueprint'] as const;
export type ZohoTrigger = (typeof TRIGGERS)[number];

/**
 * System-defined duplicate check field per module, used by upsert when `duplicate_check_fields` is
 * absent. https://www.zoho.com/crm/developer/docs/api/v8/upsert-records.html (and Kaizen #56).
 * Custom modules use "Name".
 */
export const SYSTEM_DUPLICATE_CHECK_FIELD: Readonly<Record<string, string>> = Object.freeze({
	Leads: 'Email',
	Accounts: 'Account_Name',
	Contacts: 'Email',
	Deals: 'Deal_Name',
	Campaigns: 'Campaign_Name',
	Cases: 'Subject',
	Solutions: 'Solution_Title',
	Products: 'Product_Name',
	Vendors: 'Vendor_Name',
	Price_Books: 'Price_Book_Name',
	Quotes: 'Subject',
	Sales_Orders: 'Subject',
	Purchase_Orders: 'Subject',
	Invoices: 'Subject',
});
export const CUSTOM_MODULE_DUPLICATE_CHECK_FIELD = 'Name';

export function systemDuplicateCheckField(module: string): string {
	return SYSTEM_DUPLICATE_CHECK_FIELD[module] ?? CUSTOM_MODULE_DUPLICATE_CHECK_FIELD;
}

/** Zoho's default edition concurrency floor is 5 calls in flight (Free edition); we default to it. */
export const DEFAULT_CONCURRENCY = 5;
