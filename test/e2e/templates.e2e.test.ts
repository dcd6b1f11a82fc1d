/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
/**
 * The five workflow templates, imported into real n8n and run end to end against the contract servers:
 * webhook-started ones activated and fed real signed store deliveries, manual-trigger ones run with
 * `n8n execute --id` (or, where the editor is the only place a node works, the editor's run through the
 * REST API). Assertions are on what the Zoho CRM and Customer.io contract servers hold afterwards and on
 * the executions n8n stored. One n8n boot serves all templates (N8N_VERSION picks the line).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { templateFiles, waitForWebhook } from '../../scripts/n8n/harness';
import { postAbandonmentCheck, postDelivery, signShopifyDelivery } from '../contract/stores/signer';
import { DEFAULT_STORE_CREDENTIALS } from '../contract/stores/server';
import { N8N_VERSION, bootN8n, executionsOf, type BootedN8n } from './boot';
import { screenshotTemplates } from './canvas';
import {
	ABANDONED_CONSUMER_CART,
	ABANDONED_WHOLESALE_CART,
	ANONYMOUS_CART,
	COMPLETED_CART,
	CONSUMER,
	CONSUMER_ORDER,
	WHOLESALE,
	WHOLESALE_ACCOUNT_KEY,
	WHOLESALE_ORDER,
	checkout,
	order,
} from './templates/fixtures';
import {
	createDataTable,
	dataTableRows,
	editStoredWorkflow,
	executeCli,
	failureOf,
	nodeItems,
	nodeOf,
	personalProjectId,
	prepareTemplates,
	readTemplate,
	runDataOf,
	runFromTrigger,
	waitForExecutions,
	type Template,
} from './templates/n8nRuns';
import { startServices, templateCredentials, type Services } from './templates/services';

const PREFIX = 'n8n-nodes-commerce-retention.';
const byFile = new Map(templateFiles().map((file) => [path.basename(file), readTemplate(file)]));
const template = (file: string): Template => {
	const found = byFile.get(file);
	if (!found) throw new Error(`workflows/${file} is missing`);
	return found;
};
const CUSTOMER_CREATION = template('customer-creation.json');
const CART_ABANDONMENT = template('cart-abandonment.json');
const ATTRIBUTION = template('attribution.json');
const NIGHTLY_RFM = template('nightly-rfm-segmentation.json');
const ZOHO_SYNC = template('zoho-to-customerio-sync.json');

const triggerOf = (workflow: Template) => {
	const trigger = workflow.nodes.find((node) => node.type === `${PREFIX}commerceTrigger`);
	if (!trigger?.webhookId) throw new Error(`${workflow.name} has no Commerce Trigger with a webhookId`);
	return trigger;
};
const webhookPath = (workflow: Template) => `${triggerOf(workflow).webhookId}/webhook`;

/** Abandon After in the cart template, shortened so the run need not wait an hour (an operator's setting). */
const ABANDON_AFTER_MINUTES = 0.1;

const days = (n: number) => n * 86_400_000;
const isoDaysAgo = (n: number) => new Date(Date.now() - days(n)).toISOString().replace(/\.\d{3}Z$/, '+00:00');

describe(`workflow templates on n8n ${N8N_VERSION}`, () => {
	let services: Services;
	let booted: BootedN8n;
	let webhookUrl: (workflow: Template) => string;
	/** The operator-edited copies of the templates that were imported. */
	let copiesDir: string | undefined;
	/** The topics the store holds a subscription for at the workflow's production webhook URL. */
	const topicsAt = (workflow: Template) =>
		services.store.shopifyHooks
			.filter((hook) => hook.address === webhookUrl(workflow))
			.map((hook) => hook.topic)
			.sort();

	beforeAll(async () => {
		services = await startServices();
		copiesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-templates-'));
		const dir = copiesDir;
		const files = prepareTemplates(templateFiles(), dir, {
			'cart-abandonment.json': (cart) => {
				triggerOf(cart).parameters.abandonAfterMinutes = ABANDON_AFTER_MINUTES;
			},
		});
		booted = await bootN8n({
			workflowFiles: files,
			credentials: templateCredentials(services),
			activate: [CUSTOMER_CREATION.id, CART_ABANDONMENT.id, ATTRIBUTION.id],
		});
		webhookUrl = (workflow) => `${booted.n8n.baseUrl}/webhook/${webhookPath(workflow)}`;
		for (const workflow of [CUSTOMER_CREATION, CART_ABANDONMENT, ATTRIBUTION]) await waitForWebhook(booted.n8n.baseUrl, webhookPath(workflow));
		// n8n serves a production webhook path before the trigger's activation hook has subscribed it at the
		// store: a delivery fired before then reaches only the triggers already subscribed.
		const deadline = Date.now() + 60_000;
		while ([CUSTOMER_CREATION, CART_ABANDONMENT, ATTRIBUTION].some((workflow) => !topicsAt(workflow).includes('orders/create'))) {
			if (Date.now() > deadline) throw new Error(`the store triggers did not all subscribe within 60 s: ${JSON.stringify(services.store.shopifyHooks)}`);
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
	}, 600_000);

	afterAll(async () => {
		await booted?.stop();
		await services?.close();
		if (copiesDir) fs.rmSync(copiesDir, { recursive: true, force: true });
	});

	const successes = async (workflow: Template, count: number, timeoutMs = 60_000) => {
		const executions = await waitForExecutions(booted.rest, workflow.id, count, timeoutMs);
		for (const execution of executions.filter((e) => e.status !== 'success')) {
			throw new Error(`${workflow.name}: execution ${execution.id} (${execution.mode}) ended "${execution.status}": ${failureOf(await runDataOf(booted.rest, execution.id))}`);
		}
		expect(executions).toHaveLength(count);
		return executions;
	};

	it('imports every template and renders each on the canvas with no unknown node (screenshot per template)', async () => {
		const files = templateFiles();
		expect(files.map((file) => path.basename(file))).toEqual([...byFile.keys()]);
		const shots = await screenshotTemplates(booted, files);
		expect(shots.map((shot) => ({ template: shot.template, problems: shot.problems }))).toEqual(files.map((file) => ({ template: path.basename(file, '.json'), problems: [] })));
		for (const shot of shots) expect(fs.statSync(shot.file).size).toBeGreaterThan(10_000);
	});

	it('activation registers each store trigger at the store (automatic registration)', () => {
		expect(topicsAt(CUSTOMER_CREATION)).toEqual(['orders/create']);
		expect(topicsAt(ATTRIBUTION)).toEqual(['orders/create']);
		// Abandoned carts need the checkouts, and the orders that complete them.
		expect(topicsAt(CART_ABANDONMENT)).toEqual(expect.arrayContaining(['checkouts/create', 'checkouts/update', 'orders/create']));
	});

	describe('customer creation and attribution (store orders)', () => {
		const wholesaleIds = { webhookId: 'b1f0c6a2-0000-4000-8000-000000002001', eventId: 'e1f0c6a2-0000-4000-8000-000000002001' };
		const consumerIds = { webhookId: 'b1f0c6a2-0000-4000-8000-000000002002', eventId: 'e1f0c6a2-0000-4000-8000-000000002002' };

		it('turns two signed Shopify orders into one Account, two Contacts and two linked Orders, and Customer.io people with order_completed — exactly once', async () => {
			// The store delivers to every subscription of the topic: customer creation, attribution and the cart trigger.
			for (const [spec, ids] of [[WHOLESALE_ORDER, wholesaleIds], [CONSUMER_ORDER, consumerIds]] as const) {
				const fired = await services.store.fire('shopify', 'orders/create', order(spec), ids);
				expect(fired.map((delivery) => delivery.status)).toEqual(fired.map(() => 200));
				// Both order templates start a run; the cart trigger only records the order (it may close a cart).
				const answers = fired.map((delivery) => `${path.basename(path.dirname(delivery.address))} ${JSON.parse(delivery.body).status}`).sort();
				expect(answers).toEqual([`${triggerOf(CART_ABANDONMENT).webhookId} recorded`, `${triggerOf(ATTRIBUTION).webhookId} emitted`, `${triggerOf(CUSTOMER_CREATION).webhookId} emitted`].sort());
			}
			await successes(CUSTOMER_CREATION, 2);
			await successes(ATTRIBUTION, 2);

			const zoho = services.zoho;
			const accounts = zoho.list('Accounts');
			expect(accounts).toEqual([expect.objectContaining({ Account_Key: WHOLESALE_ACCOUNT_KEY, Account_Name: WHOLESALE.company })]);
			const contacts = zoho.list('Contacts');
			expect(contacts.map((contact) => contact.Email).sort()).toEqual([CONSUMER.email, WHOLESALE.email].sort());
			const contactByEmail = new Map(contacts.map((contact) => [contact.Email as string, contact]));
			const wholesaleContact = contactByEmail.get(WHOLESALE.email)!;
			const consumerContact = contactByEmail.get(CONSUMER.email)!;
			expect(wholesaleContact).toMatchObject({ First_Name: WHOLESALE.firstName, Last_Name: WHOLESALE.lastName, Account_Name: expect.objectContaining({ id: accounts[0].id }) });
			expect(consumerContact.Account_Name ?? null).toBeNull();
			// First touch from the order's landing page; roll-ups recomputed from the stored orders.
			expect(wholesaleContact).toMatchObject({ UTM_Source: 'linkedin', UTM_Medium: 'paid_social', UTM_Campaign: 'trade_q2', Lifetime_Spend: 1848, Order_Count: 1 });
			expect(consumerContact).toMatchObject({ UTM_Source: 'newsletter', UTM_Medium: 'email', UTM_Campaign: 'spring', Lifetime_Spend: 49.9, Order_Count: 1 });
			const orders = zoho.list('Store_Orders');
			expect(orders.map((o) => o.Order_Number).sort()).toEqual(['#2001', '#2002']);
			const orderOf = (number: string) => orders.find((o) => o.Order_Number === number)!;
			expect(orderOf('#2001')).toMatchObject({ Order_Total: 1848, Contact: expect.objectContaining({ id: wholesaleContact.id }), Account: expect.objectContaining({ id: accounts[0].id }) });
			expect(orderOf('#2002')).toMatchObject({ Order_Total: 49.9, Contact: expect.objectContaining({ id: consumerContact.id }) });
			expect(orderOf('#2002').Account ?? null).toBeNull();

			const customerIo = services.customerIo;
			expect(customerIo.listPeople().map((person) => person.email).sort()).toEqual([CONSUMER.email, WHOLESALE.email].sort());
			const wholesalePerson = customerIo.findPerson({ email: WHOLESALE.email })!;
			expect(wholesalePerson.attributes).toMatchObject({ first_name: WHOLESALE.firstName, company: WHOLESALE.company, is_b2b: true, zoho_contact_id: wholesaleContact.id, account_key: WHOLESALE_ACCOUNT_KEY });
			expect(customerIo.findPerson({ email: CONSUMER.email })!.attributes).toMatchObject({ first_name: CONSUMER.firstName, is_b2b: false, zoho_contact_id: consumerContact.id });
			const completed = customerIo.listEvents({ name: 'order_completed' });
			expect(completed.map((event) => event.data.order_id).sort()).toEqual([String(WHOLESALE_ORDER.id), String(CONSUMER_ORDER.id)]);
			expect(completed.find((event) => event.data.order_id === String(WHOLESALE_ORDER.id))).toMatchObject({ person: wholesalePerson.cio_id, data: expect.objectContaining({ total: 1848, currency: 'GBP', is_b2b: true }) });
		});

		it('acknowledges a redelivered order without a second execution or a second record', async () => {
			const before = { zoho: services.zoho.state().counts, people: services.customerIo.listPeople().length, events: services.customerIo.listEvents().length };
			const fired = await services.store.fire('shopify', 'orders/create', order(WHOLESALE_ORDER), wholesaleIds);
			expect(fired.map((delivery) => JSON.parse(delivery.body))).toEqual(fired.map(() => expect.objectContaining({ status: 'duplicate' })));
			// Give a wrongly started execution time to show up before counting.
			await new Promise((resolve) => setTimeout(resolve, 2000));
			expect(await executionsOf(booted.rest, CUSTOMER_CREATION.id)).toHaveLength(2);
			expect(await executionsOf(booted.rest, ATTRIBUTION.id)).toHaveLength(2);
			expect(services.zoho.state().counts).toEqual(before.zoho);
			expect({ people: services.customerIo.listPeople().length, events: services.customerIo.listEvents().length }).toEqual({ people: before.people, events: before.events });
		});

		it('refuses a forged delivery with 401 and starts nothing', async () => {
			const forged = signShopifyDelivery({ topic: 'orders/create', payload: order({ ...CONSUMER_ORDER, id: 5559999, number: 2999 }), secret: 'not-the-app-secret' });
			for (const workflow of [CUSTOMER_CREATION, ATTRIBUTION]) {
				const answer = await postDelivery(webhookUrl(workflow), forged);
				expect(answer.status).toBe(401);
			}
			await new Promise((resolve) => setTimeout(resolve, 2000));
			expect(await executionsOf(booted.rest, CUSTOMER_CREATION.id)).toHaveLength(2);
			expect(await executionsOf(booted.rest, ATTRIBUTION.id)).toHaveLength(2);
			expect(services.zoho.list('Store_Orders')).toHaveLength(2);
		});

		it('attribution: the weekly report writes customers, revenue and average CLV per first-touch channel to a Data Table', async () => {
			// Two more customers already in the CRM: one more from the newsletter (with an RFM CLV), one without UTM.
			services.zoho.seed('Contacts', [
				{ Email: 'earlier.buyer@example.org', Last_Name: 'Buyer', UTM_Source: 'newsletter', UTM_Medium: 'email', UTM_Campaign: 'spring', Lifetime_Spend: 150.1, Historical_CLV: 210 },
				{ Email: 'walk.in@example.org', Last_Name: 'In', Lifetime_Spend: 80 },
			]);
			// The operator's setup: a Data Table with the report's columns, picked in "Save report rows".
			const projectId = await personalProjectId(booted.rest);
			const columns = [
				...['reportDate', 'source', 'medium', 'campaign'].map((name) => ({ name, type: 'string' as const })),
				...['customers', 'revenue', 'averageClv'].map((name) => ({ name, type: 'number' as const })),
			];
			const tableId = await createDataTable(booted.rest, projectId, 'LTV by channel', columns);
			await editStoredWorkflow(booted.rest, ATTRIBUTION.id, (workflow) => {
				nodeOf(workflow, 'Save report rows').parameters.dataTableId = { __rl: true, mode: 'id', value: tableId };
			});
			// Data Tables work inside the server only (`n8n execute` has no Data Table module): run it as the editor does.
			await runFromTrigger(booted.rest, ATTRIBUTION.id, 'Run the report now');
			await successes(ATTRIBUTION, 3);

			const rows = (await dataTableRows(booted.rest, projectId, tableId)).map(({ source, medium, campaign, customers, revenue, averageClv, reportDate }) => ({ source, medium, campaign, customers, revenue, averageClv, reportDate }));
			const today = new Date().toISOString().slice(0, 10);
			// Average CLV: the RFM Scorer's Historical_CLV where Zoho has one, else lifetime spend.
			expect(rows).toEqual([
				{ source: 'linkedin', medium: 'paid_social', campaign: 'trade_q2', customers: 1, revenue: 1848, averageClv: 1848, reportDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) },
				{ source: 'newsletter', medium: 'email', campaign: 'spring', customers: 2, revenue: 200, averageClv: 129.95, reportDate: expect.any(String) },
				{ source: '(direct)', medium: '(none)', campaign: '(none)', customers: 1, revenue: 80, averageClv: 80, reportDate: expect.any(String) },
			]);
			expect(Math.abs(Date.parse(rows[0].reportDate as string) - Date.parse(today))).toBeLessThanOrEqual(days(1));
		});
	});

	describe('cart abandonment', () => {
		const carts = [ABANDONED_CONSUMER_CART, ABANDONED_WHOLESALE_CART, COMPLETED_CART, ANONYMOUS_CART];

		it('reports the two silent carts with an e-mail once: Zoho Leads with Abandoned_Cart, cart_abandoned events, the wholesale one on the rep-introduction path', async () => {
			const url = webhookUrl(CART_ABANDONMENT);
			const secret = DEFAULT_STORE_CREDENTIALS.shopifyClientSecret;
			for (const cart of carts) {
				const answer = await postDelivery(url, signShopifyDelivery({ topic: 'checkouts/create', payload: checkout(cart), secret }));
				expect(answer.status).toBe(200);
			}
			// The completed cart's order arrives; its checkout token closes the cart.
			const completing = { ...CONSUMER_ORDER, buyer: COMPLETED_CART.buyer!, id: 5550003, number: 2003, total: COMPLETED_CART.total, checkoutToken: COMPLETED_CART.token };
			expect((await postDelivery(url, signShopifyDelivery({ topic: 'orders/create', payload: order(completing), secret }))).status).toBe(200);
			// Checkouts and the completing order are only recorded: no webhook execution yet (the every-minute
			// schedule's own runs are mode "trigger").
			expect((await executionsOf(booted.rest, CART_ABANDONMENT.id)).filter((execution) => execution.mode === 'webhook')).toHaveLength(0);

			await new Promise((resolve) => setTimeout(resolve, ABANDON_AFTER_MINUTES * 60_000 + 1000));
			// "Check now": Manual Trigger → HTTP Request to the trigger's own production URL with ?check=abandoned-carts.
			// (The every-minute schedule of the active workflow may get there first; either way each cart is reported once.)
			await executeCli(booted, CART_ABANDONMENT.id);
			// The carts arrive a moment apart and fall due a moment apart: a schedule tick between the two due
			// times reports one cart and the next check the other. Wait for both, past the next tick.
			const deadline = Date.now() + 150_000;
			while (Date.now() < deadline && (services.customerIo.listEvents({ name: 'cart_abandoned' }).length < 2 || services.zoho.list('Leads').length < 2)) {
				await new Promise((resolve) => setTimeout(resolve, 500));
			}
			const executions = await waitForExecutions(booted.rest, CART_ABANDONMENT.id, 1);
			const failed = executions.filter((execution) => execution.status !== 'success');
			expect(await Promise.all(failed.map(async (execution) => `${execution.mode}: ${failureOf(await runDataOf(booted.rest, execution.id))}`))).toEqual([]);
			// One trigger execution with both carts, or two with one each when a schedule tick split them.
			const webhookRuns = executions.filter((execution) => execution.mode === 'webhook').length;
			expect(webhookRuns).toBeGreaterThanOrEqual(1);
			expect(webhookRuns).toBeLessThanOrEqual(2);
			// "Check now" from the CLI reached the trigger through the URL built from $execution.resumeUrl.
			const [cliRun] = executions.filter((execution) => execution.mode === 'cli');
			expect(cliRun).toBeDefined();
			const checkAnswers = nodeItems(await runDataOf(booted.rest, cliRun.id), 'Check for abandoned carts');
			expect(checkAnswers).toEqual([expect.objectContaining({ status: expect.stringMatching(/^(emitted|checked)$/) })]);

			const leads = services.zoho.list('Leads');
			expect(leads.map((lead) => lead.Email).sort()).toEqual([ABANDONED_WHOLESALE_CART.buyer!.email, ABANDONED_CONSUMER_CART.buyer!.email].sort());
			for (const cart of [ABANDONED_CONSUMER_CART, ABANDONED_WHOLESALE_CART]) {
				expect(leads.find((lead) => lead.Email === cart.buyer!.email)).toMatchObject({
					Lead_Status: 'Abandoned_Cart',
					Cart_Value: Number(cart.total),
					Cart_Recovery_URL: `https://retention-test.myshopify.com/checkouts/${cart.token}/recover`,
					Last_Name: cart.buyer!.lastName,
				});
			}
			const events = services.customerIo.listEvents({ name: 'cart_abandoned' });
			expect(events).toHaveLength(2);
			const eventFor = (email: string) => events.find((event) => event.person === services.customerIo.findPerson({ email })?.cio_id);
			expect(eventFor(ABANDONED_WHOLESALE_CART.buyer!.email)).toMatchObject({ data: expect.objectContaining({ recovery_path: 'rep_introduction', incentive_percent: 0, is_b2b: true, cart_total: 1540 }) });
			expect(eventFor(ABANDONED_CONSUMER_CART.buyer!.email)).toMatchObject({
				data: expect.objectContaining({ recovery_path: 'discount', incentive_percent: 10, is_b2b: false, cart_total: 64, recovery_url: `https://retention-test.myshopify.com/checkouts/${ABANDONED_CONSUMER_CART.token}/recover`, items: [expect.objectContaining({ sku: 'COFFEE-1KG', quantity: 2 })] }),
			});
		});

		it('reports nothing twice: a later check finds no due cart', async () => {
			const before = (await executionsOf(booted.rest, CART_ABANDONMENT.id)).filter((execution) => execution.mode === 'webhook').length;
			const answer = await postAbandonmentCheck(webhookUrl(CART_ABANDONMENT));
			expect(answer.status).toBe(200);
			expect(answer.json).toMatchObject({ status: 'checked' });
			await new Promise((resolve) => setTimeout(resolve, 2000));
			expect((await executionsOf(booted.rest, CART_ABANDONMENT.id)).filter((execution) => execution.mode === 'webhook')).toHaveLength(before);
			expect(services.zoho.list('Leads')).toHaveLength(2);
			expect(services.customerIo.listEvents({ name: 'cart_abandoned' })).toHaveLength(2);
		});
	});

	describe('nightly RFM segmentation', () => {
		/** Customers with order histories (days ago, totals), the segment Zoho holds for them now, and an account for B2B. */
		const CUSTOMERS: Array<{ email: string; previous?: string; account?: boolean; orders: Array<[number, number]> }> = [
			{ email: 'ava.champion@example.net', previous: 'Champions', orders: [[12, 220], [40, 180], [75, 260], [110, 240], [150, 210], [200, 190]] },
			{ email: 'ben.loyal@example.net', previous: 'Loyal', orders: [[25, 90], [90, 110], [160, 95], [230, 120]] },
			{ email: 'cara.new@example.net', orders: [[14, 60]] },
			{ email: 'dan.atrisk@example.net', previous: 'Loyal', orders: [[210, 300], [280, 260], [340, 280], [400, 310], [470, 290]] },
			{ email: 'eve.lost@example.net', orders: [[700, 25]] },
			{ email: 'finn.sleepy@example.net', previous: 'Promising', orders: [[380, 70], [520, 55]] },
			{ email: 'gia.promising@example.net', orders: [[45, 85]] },
			{ email: 'buyer@harbour-hotels.example.com', account: true, orders: [[60, 900], [150, 1100], [260, 950]] },
		];

		/** The Win-back Router's events (the cart template's every-minute check may still add cart events). */
		const routeEventsNow = () => services.customerIo.listEvents().filter((event) => !['segment_changed', 'order_completed', 'cart_abandoned'].includes(event.name));

		beforeAll(() => {
			services.zoho.reset();
			services.customerIo.reset();
			const [account] = services.zoho.seed('Accounts', [{ Account_Name: 'Harbour Hotels', Account_Key: 'harbour-hotels.example.com' }]);
			const contacts = services.zoho.seed(
				'Contacts',
				CUSTOMERS.map((customer) => ({ Email: customer.email, Last_Name: customer.email.split('@')[0], ...(customer.previous ? { RFM_Segment: customer.previous } : {}), ...(customer.account ? { Account_Name: { id: account.id, name: 'Harbour Hotels' } } : {}) })),
			);
			let number = 3000;
			services.zoho.seed(
				'Store_Orders',
				CUSTOMERS.flatMap((customer, index) =>
					customer.orders.map(([ago, total]) => {
						number += 1;
						return {
							Name: `#${number}`,
							Order_Number: `#${number}`,
							Contact: { id: contacts[index].id, name: customer.email },
							...(customer.account ? { Account: { id: account.id, name: 'Harbour Hotels' } } : {}),
							Order_Total: total,
							Order_Date: isoDaysAgo(ago),
							Order_Status: 'paid',
							Order_Currency: 'GBP',
						};
					}),
				),
			);
		});

		it('scores every customer, writes the RFM fields to Zoho CRM and Customer.io, sends segment_changed, and one route event per routed customer', async () => {
			await executeCli(booted, NIGHTLY_RFM.id);
			const [run] = await successes(NIGHTLY_RFM, 1, 120_000);
			const runData = await runDataOf(booted.rest, run.id);

			const contacts = services.zoho.list('Contacts');
			for (const contact of contacts) {
				expect({ email: contact.Email, segment: typeof contact.RFM_Segment, score: contact.RFM_Score }).toEqual({ email: contact.Email, segment: 'string', score: expect.stringMatching(/^[1-5]{3}$/) });
				expect(contact).toMatchObject({ R_Score: expect.any(Number), F_Score: expect.any(Number), M_Score: expect.any(Number), Lifecycle_Stage: expect.any(String), Historical_CLV: expect.any(Number) });
			}
			// Historical CLV is the customer's spend: checked against the seeded orders.
			for (const customer of CUSTOMERS) {
				const spend = customer.orders.reduce((sum, [, total]) => sum + total, 0);
				expect(contacts.find((contact) => contact.Email === customer.email)).toMatchObject({ Historical_CLV: spend, F_Score: expect.any(Number) });
			}

			const customerIo = services.customerIo;
			expect(customerIo.listPeople().map((person) => person.email).sort()).toEqual(CUSTOMERS.map((customer) => customer.email).sort());
			const segmentKey = (label: unknown) => String(label).toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '').replace(/^can_t/, 'cant');
			for (const contact of contacts) {
				const person = customerIo.findPerson({ email: String(contact.Email) })!;
				expect(person.attributes).toMatchObject({ rfm_segment: segmentKey(contact.RFM_Segment), rfm_score: contact.RFM_Score, historical_clv: contact.Historical_CLV });
			}
			// segment_changed exactly for the customers whose segment in Zoho was different before.
			const changed = CUSTOMERS.filter((customer) => customer.previous && segmentKey(customer.previous) !== segmentKey(contacts.find((c) => c.Email === customer.email)!.RFM_Segment));
			const segmentEvents = customerIo.listEvents({ name: 'segment_changed' });
			expect(segmentEvents.map((event) => customerIo.listPeople().find((p) => p.cio_id === event.person)!.email).sort()).toEqual(changed.map((c) => c.email).sort());
			for (const event of segmentEvents) {
				const email = customerIo.listPeople().find((p) => p.cio_id === event.person)!.email;
				const customer = CUSTOMERS.find((c) => c.email === email)!;
				expect(event.data).toMatchObject({ attribute: 'rfm_segment', from: segmentKey(customer.previous), to: segmentKey(contacts.find((c) => c.Email === email)!.RFM_Segment) });
			}

			// Route events: one per customer the router routed (its outputs before Suppressed and Unmatched).
			const routed = [0, 1, 2, 3, 4, 5].flatMap((output) => nodeItems(runData, 'Win-back Router', output));
			const routeEvents = routeEventsNow();
			expect(routeEvents.map((event) => `${customerIo.listPeople().find((p) => p.cio_id === event.person)!.email} ${event.name}`).sort()).toEqual(routed.map((item) => `${item.customerKey} ${item.route}`).sort());
			expect(routed.length).toBeGreaterThan(0);
			// The B2B customer (an account on its orders) takes the account-manager route unless held back.
			const b2b = routed.find((item) => item.customerKey === 'buyer@harbour-hotels.example.com');
			if (b2b) expect(b2b.route).toBe('b2b_account_manager');
		});

		it('a second night changes nothing it already sent: no repeated segment_changed or route event, and customers held back last night get their route', async () => {
			const segmentEventsBefore = services.customerIo.listEvents({ name: 'segment_changed' }).length;
			const routeKeysBefore = new Set(routeEventsNow().map((event) => `${event.person} ${event.name}`));
			await executeCli(booted, NIGHTLY_RFM.id);
			const [latest] = await successes(NIGHTLY_RFM, 2, 120_000);
			const runData = await runDataOf(booted.rest, latest.id);

			expect(services.customerIo.listEvents({ name: 'segment_changed' })).toHaveLength(segmentEventsBefore);
			const routeEvents = routeEventsNow();
			const keys = routeEvents.map((event) => `${event.person} ${event.name}`);
			// Never the same route twice for a person (the event id is stable per customer, route and last order).
			expect(new Set(keys).size).toBe(keys.length);
			for (const key of routeKeysBefore) expect(keys).toContain(key);
			const routed = [0, 1, 2, 3, 4, 5].flatMap((output) => nodeItems(runData, 'Win-back Router', output));
			expect(routeEvents).toHaveLength(new Set([...routeKeysBefore, ...routed.map((item) => `${services.customerIo.findPerson({ email: String(item.customerKey) })!.cio_id} ${item.route}`)]).size);
		});
	});

	describe('Zoho CRM → Customer.io sync', () => {
		beforeAll(() => {
			services.zoho.reset();
			services.customerIo.reset();
			services.zoho.seed('Contacts', [
				{ Email: 'mia.stage@example.com', First_Name: 'Mia', Last_Name: 'Stage', Lifecycle_Stage: 'Loyal', VIP_Tier: 'Gold', Owner: { name: 'Rita Rep', id: '5725767000000411001', email: 'rita@example.com' } },
				{ Email: 'noah.stage@example.com', First_Name: 'Noah', Last_Name: 'Stage', Lifecycle_Stage: 'new', VIP_Tier: 'VIP', Owner: { name: 'Rita Rep', id: '5725767000000411001', email: 'rita@example.com' } },
			]);
		});

		const updateContact = (email: string, changes: Record<string, unknown>) => {
			const contact = services.zoho.list('Contacts').find((c) => c.Email === email)!;
			services.zoho.advanceClock(60_000);
			// Without its old Modified_Time the contract server stamps the update with its (advanced) clock.
			const updated: Record<string, unknown> = { ...contact, ...changes };
			delete updated.Modified_Time;
			services.zoho.seed('Contacts', [updated]);
		};
		const syncRun = async (count: number) => {
			await executeCli(booted, ZOHO_SYNC.id);
			await successes(ZOHO_SYNC, count, 120_000);
		};
		const stageEvents = () => services.customerIo.listEvents({ name: 'lifecycle_stage_changed' });

		it('first run: every contact becomes a person with normalised enums, owner, zoho_contact_id and source_of_truth; no change event yet', async () => {
			await syncRun(1);
			const contacts = services.zoho.list('Contacts');
			const mia = services.customerIo.findPerson({ email: 'mia.stage@example.com' })!;
			expect(mia.attributes).toMatchObject({ first_name: 'Mia', lifecycle_stage: 'loyal', vip_tier: 'gold', owner: 'Rita Rep', owner_email: 'rita@example.com', zoho_contact_id: contacts.find((c) => c.Email === 'mia.stage@example.com')!.id, source_of_truth: 'zoho_crm' });
			expect(services.customerIo.findPerson({ email: 'noah.stage@example.com' })!.attributes).toMatchObject({ lifecycle_stage: 'new', vip_tier: 'vip' });
			expect(stageEvents()).toHaveLength(0);
		});

		it('a stage change becomes one lifecycle_stage_changed event with from/to; an unchanged re-run sends nothing', async () => {
			updateContact('mia.stage@example.com', { Lifecycle_Stage: 'At Risk' });
			await syncRun(2);
			const mia = services.customerIo.findPerson({ email: 'mia.stage@example.com' })!;
			expect(stageEvents()).toEqual([expect.objectContaining({ person: mia.cio_id, data: expect.objectContaining({ attribute: 'lifecycle_stage', from: 'loyal', to: 'at_risk' }) })]);
			expect(mia.attributes).toMatchObject({ lifecycle_stage: 'at_risk' });
			await syncRun(3);
			expect(stageEvents()).toHaveLength(1);
		});

		it('debounces: a stage changed and changed back between two runs sends no event', async () => {
			updateContact('noah.stage@example.com', { Lifecycle_Stage: 'Loyal' });
			updateContact('noah.stage@example.com', { Lifecycle_Stage: 'New' });
			await syncRun(4);
			expect(stageEvents()).toHaveLength(1);
			expect(services.customerIo.findPerson({ email: 'noah.stage@example.com' })!.attributes).toMatchObject({ lifecycle_stage: 'new' });
		});
	});
});
