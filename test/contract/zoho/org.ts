/**
 * The Zoho CRM organisation the contract server starts with: standard modules with the fields this
 * package writes, the custom fields the templates expect the operator to create (marked `custom`),
 * and the custom module `Store_Orders`. Mandatory fields per module follow Zoho's "Insert Records"
 * page (Leads/Contacts: Last_Name, Accounts: Account_Name, Products: Product_Name, Sales_Orders:
 * Subject and the line items, custom modules: Name):
 * https://www.zoho.com/crm/developer/docs/api/v8/insert-records.html
 * System-defined duplicate-check fields: https://www.zoho.com/crm/developer/docs/api/v8/upsert-records.html
 */

export type FieldType =
	| 'text'
	| 'textarea'
	| 'email'
	| 'phone'
	| 'website'
	| 'picklist'
	| 'lookup'
	| 'ownerlookup'
	| 'currency'
	| 'double'
	| 'integer'
	| 'boolean'
	| 'date'
	| 'datetime'
	| 'subform';

export interface FieldDef {
	api_name: string;
	field_label?: string;
	data_type: FieldType;
	system_mandatory?: boolean;
	/** "Do not allow duplicate values" (a user-defined unique field). */
	unique?: boolean;
	lookupModule?: string;
	pick_list_values?: string[];
	/** Only listed picklist values are accepted. */
	restricted?: boolean;
	length?: number;
	read_only?: boolean;
	custom?: boolean;
	/** Subform rows: their fields. */
	subformFields?: FieldDef[];
}

export interface ModuleDef {
	api_name: string;
	module_name?: string;
	singular_label: string;
	plural_label: string;
	generated_type: 'default' | 'custom';
	/** The system-defined duplicate-check field (custom modules: Name). */
	systemDuplicateField: string;
	fields: FieldDef[];
}

const f = (api_name: string, data_type: FieldType, extra: Partial<FieldDef> = {}): FieldDef => ({ api_name, data_type, field_label: api_name.replace(/_/g, ' '), ...extra });
const custom = (api_name: string, data_type: FieldType, extra: Partial<FieldDef> = {}) => f(api_name, data_type, { custom: true, ...extra });

const systemFields = (): FieldDef[] => [
	f('Owner', 'ownerlookup', { read_only: true }),
	f('Created_Time', 'datetime', { read_only: true }),
	f('Modified_Time', 'datetime', { read_only: true }),
];

const LEAD_SOURCES = ['Advertisement', 'Cold Call', 'Employee Referral', 'External Referral', 'Online Store', 'Partner', 'Public Relations', 'Sales Email Alias', 'Seminar Partner', 'Internal Seminar', 'Trade Show', 'Web Download', 'Web Research', 'Chat'];

/** Contact fields the templates use for first-touch, roll-ups, RFM and the Customer.io sync. */
const CONTACT_CUSTOM_FIELDS: FieldDef[] = [
	custom('UTM_Source', 'text'),
	custom('UTM_Medium', 'text'),
	custom('UTM_Campaign', 'text'),
	custom('Lifetime_Spend', 'currency'),
	custom('Order_Count', 'integer'),
	custom('Last_Order_Date', 'date'),
	custom('Average_Order_Value', 'currency'),
	custom('RFM_Segment', 'text'),
	custom('RFM_Score', 'text', { length: 3 }),
	custom('R_Score', 'integer'),
	custom('F_Score', 'integer'),
	custom('M_Score', 'integer'),
	custom('Lifecycle_Stage', 'text'),
	custom('Historical_CLV', 'currency'),
	custom('Predicted_CLV', 'currency'),
	custom('VIP_Tier', 'text'),
	custom('Store_Customer_ID', 'text'),
];

export function defaultOrg(): ModuleDef[] {
	return [
		{
			api_name: 'Leads', singular_label: 'Lead', plural_label: 'Leads', generated_type: 'default', systemDuplicateField: 'Email',
			fields: [
				...systemFields(),
				f('First_Name', 'text', { length: 40 }), f('Last_Name', 'text', { system_mandatory: true, length: 80 }), f('Email', 'email', { length: 100 }),
				f('Phone', 'phone', { length: 30 }), f('Company', 'text', { length: 200 }), f('Street', 'text'), f('City', 'text'), f('State', 'text'), f('Zip_Code', 'text'), f('Country', 'text'),
				f('Lead_Source', 'picklist', { pick_list_values: LEAD_SOURCES }),
				f('Lead_Status', 'picklist', { pick_list_values: ['Not Contacted', 'Attempted to Contact', 'Contact in Future', 'Contacted', 'Junk Lead', 'Lost Lead', 'Not Qualified', 'Pre-Qualified', 'Abandoned_Cart'] }),
				f('Description', 'textarea', { length: 32000 }),
				custom('Cart_Value', 'currency'), custom('Cart_Recovery_URL', 'website'), custom('Cart_ID', 'text'), custom('Cart_Abandoned_At', 'datetime'),
				custom('UTM_Source', 'text'), custom('UTM_Medium', 'text'), custom('UTM_Campaign', 'text'),
			],
		},
		{
			api_name: 'Contacts', singular_label: 'Contact', plural_label: 'Contacts', generated_type: 'default', systemDuplicateField: 'Email',
			fields: [
				...systemFields(),
				f('First_Name', 'text', { length: 40 }), f('Last_Name', 'text', { system_mandatory: true, length: 80 }), f('Email', 'email', { length: 100 }),
				f('Phone', 'phone', { length: 30 }), f('Mobile', 'phone', { length: 30 }),
				f('Account_Name', 'lookup', { lookupModule: 'Accounts' }),
				f('Mailing_Street', 'text'), f('Mailing_City', 'text'), f('Mailing_State', 'text'), f('Mailing_Zip', 'text'), f('Mailing_Country', 'text'),
				f('Lead_Source', 'picklist', { pick_list_values: LEAD_SOURCES }),
				f('Description', 'textarea', { length: 32000 }),
				...CONTACT_CUSTOM_FIELDS,
			],
		},
		{
			api_name: 'Accounts', singular_label: 'Account', plural_label: 'Accounts', generated_type: 'default', systemDuplicateField: 'Account_Name',
			fields: [
				...systemFields(),
				f('Account_Name', 'text', { system_mandatory: true, length: 200 }), f('Website', 'website'), f('Phone', 'phone'),
				f('Billing_Street', 'text'), f('Billing_City', 'text'), f('Billing_State', 'text'), f('Billing_Code', 'text'), f('Billing_Country', 'text'),
				custom('Account_Key', 'text', { unique: true }),
			],
		},
		{
			api_name: 'Products', singular_label: 'Product', plural_label: 'Products', generated_type: 'default', systemDuplicateField: 'Product_Name',
			fields: [...systemFields(), f('Product_Name', 'text', { system_mandatory: true }), f('Product_Code', 'text'), f('Unit_Price', 'currency')],
		},
		{
			api_name: 'Sales_Orders', module_name: 'SalesOrders', singular_label: 'Sales Order', plural_label: 'Sales Orders', generated_type: 'default', systemDuplicateField: 'Subject',
			fields: [
				...systemFields(),
				f('Subject', 'text', { system_mandatory: true }),
				f('Contact_Name', 'lookup', { lookupModule: 'Contacts' }),
				f('Account_Name', 'lookup', { lookupModule: 'Accounts' }),
				f('Status', 'picklist', { pick_list_values: ['Created', 'Approved', 'Delivered', 'Cancelled'] }),
				f('Ordered_Items', 'subform', {
					system_mandatory: true,
					subformFields: [f('Product_Name', 'lookup', { lookupModule: 'Products', system_mandatory: true }), f('Quantity', 'double', { system_mandatory: true }), f('List_Price', 'currency'), f('Description', 'textarea')],
				}),
				custom('Order_Number', 'text', { unique: true }), custom('Order_Total', 'currency'), custom('Order_Date', 'datetime'), custom('Order_Status', 'text'), custom('Order_Currency', 'text'), custom('Source_Store', 'text'),
			],
		},
		{
			api_name: 'Store_Orders', singular_label: 'Store Order', plural_label: 'Store Orders', generated_type: 'custom', systemDuplicateField: 'Name',
			fields: [
				...systemFields(),
				f('Name', 'text', { system_mandatory: true, length: 120 }),
				custom('Order_Number', 'text', { unique: true }),
				custom('Contact', 'lookup', { lookupModule: 'Contacts' }),
				custom('Account', 'lookup', { lookupModule: 'Accounts' }),
				custom('Order_Total', 'currency'), custom('Order_Date', 'datetime'), custom('Order_Status', 'text'), custom('Order_Currency', 'text'), custom('Source_Store', 'text'),
			],
		},
	];
}
