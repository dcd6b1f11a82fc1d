/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- project tooling (runs n8n, databases), never part of the package */
/**
 * `npm run test:scale`: the customer-creation template in n8n queue mode (PostgreSQL + Redis, one main
 * process taking webhooks, two workers) under a sale-day burst of signed Shopify order webhooks, 10% of
 * them redelivered. Phase "clean": no faults. Phase "storm": the Zoho and Customer.io contract servers
 * fail 30% of calls (5xx, 429, dropped connections, half of them after the write was committed) and one
 * worker is killed mid-run. Both phases must end with every order's contact and order in Zoho exactly
 * once and every order_completed event in Customer.io exactly once; whatever is missing must equal what
 * the template put on its Failed paths. Prints throughput and webhook-to-CRM latency.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import {
	START_VERSION,
	N8nRest,
	activateWorkflow,
	ensureN8n,
	freePort,
	importTemplates,
	installPackage,
	n8nCli,
	n8nEnv,
	packPackage,
	waitForWebhook,
	PROJECT_ROOT,
} from '../../scripts/n8n/harness';
import { shopifyOrder } from '../contract/stores/payloads';
import { postDelivery, signShopifyDelivery, type SignedDelivery } from '../contract/stores/signer';
import { DEFAULT_STORE_CREDENTIALS } from '../contract/stores/server';
import { startServices, templateCredentials, type Services } from '../e2e/templates/services';
import { failureOf, nodeItems, runDataOf } from '../e2e/templates/n8nRuns';
import { queueEnv, startMain, startWorker, type QueueSettings, type Worker } from './queue';
import { startPostgres, startRedis } from './services';

const VERSION = process.env.N8N_VERSION ?? START_VERSION;
const ORDERS = Number(process.env.SCALE_ORDERS ?? 2000);
const DUPLICATE_SHARE = 0.1;
// Deliveries in flight at once: a burst, but one the 2-core build machine can answer within Shopify's
// 5 s; a store's real sale day on a bigger host takes more.
const SEND_CONCURRENCY = Number(process.env.SCALE_CONCURRENCY ?? 10);
const SHOPIFY_RETRIES = 8;
const TRIGGER_NODE = 'New order';
const FAILURES_NODE = 'Review failures';
const TEMPLATE = path.join(PROJECT_ROOT, 'workflows', 'customer-creation.json');

interface PhaseResult {
	name: string;
	ok: boolean;
	problems: string[];
	figures: Record<string, string | number>;
}

function orderDeliveries(runTag: string): { deliveries: SignedDelivery[]; emails: string[]; orderIds: string[] } {
	const deliveries: SignedDelivery[] = [];
	const emails: string[] = [];
	const orderIds: string[] = [];
	for (let i = 0; i < ORDERS; i++) {
		const id = 7_000_000_000 + i;
		// One customer in five buys twice: contacts must still exist once each.
		const customerNo = i % 5 === 4 ? i - 1 : i;
		const email = `buyer${customerNo}.${runTag}@example.com`;
		emails.push(email);
		orderIds.push(String(id));
		const payload = shopifyOrder({
			id,
			name: `#S${i}`,
			order_number: 100000 + i,
			email,
			contact_email: email,
			created_at: new Date(Date.UTC(2026, 10, 27, 9, 0, 0) + i * 1000).toISOString(),
			customer: { id: 9_000_000 + customerNo, email, first_name: 'Buyer', last_name: `No${customerNo}` },
		});
		deliveries.push(signShopifyDelivery({ topic: 'orders/create', payload, secret: DEFAULT_STORE_CREDENTIALS.shopifyClientSecret, webhookId: `scale-${runTag}-${i}` }));
	}
	// Redeliveries: the same delivery (same X-Shopify-Webhook-Id and body), as Shopify retries.
	const redelivered = Array.from({ length: Math.round(ORDERS * DUPLICATE_SHARE) }, (_, k) => deliveries[(k * 7919) % ORDERS]);
	return { deliveries: [...deliveries, ...redelivered], emails: [...new Set(emails)], orderIds };
}

function percentile(values: number[], p: number): number {
	if (!values.length) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

/** Which orders each execution of the template left on its Failed paths or did not finish. */
async function accountExecutions(rest: N8nRest, workflowId: string): Promise<{ executions: number; notSucceeded: number; failedPathOrders: Set<string>; unfinishedOrders: Set<string>; failureReasons: Map<string, number> }> {
	const failedPathOrders = new Set<string>();
	const unfinishedOrders = new Set<string>();
	const failureReasons = new Map<string, number>();
	const orderIdOf = (json: Record<string, unknown>): string | null => {
		const order = json.order as { id?: unknown } | undefined;
		return order && order.id !== undefined ? String(order.id) : null;
	};
	let executions = 0;
	let notSucceeded = 0;
	let lastId: string | undefined;
	for (;;) {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const page = N8nRest.unwrap<{ results: Array<{ id: string; status: string }> }>(await rest.get(`/rest/executions?filter=${filter}&limit=250${lastId ? `&lastId=${lastId}` : ''}`)).results;
		if (page.length === 0) break;
		for (const execution of page) {
			executions++;
			const runData = await runDataOf(rest, execution.id);
			for (const json of nodeItems(runData, FAILURES_NODE)) {
				const id = orderIdOf(json);
				if (id) failedPathOrders.add(id);
			}
			if (execution.status !== 'success') {
				notSucceeded++;
				const lastNode = (runData.resultData as { lastNodeExecuted?: string }).lastNodeExecuted ?? '?';
				const reason = `${lastNode}: ${(failureOf(runData) ?? execution.status).replace(/\d+/g, 'N').slice(0, 160)}`;
				failureReasons.set(reason, (failureReasons.get(reason) ?? 0) + 1);
				const started = nodeItems(runData, TRIGGER_NODE);
				const stack = (runData as unknown as { executionData?: { nodeExecutionStack?: Array<{ data?: { main?: Array<Array<{ json: Record<string, unknown> }>> } }> } }).executionData?.nodeExecutionStack ?? [];
				const queued = stack.flatMap((entry) => entry.data?.main?.[0] ?? []).map((item) => item.json);
				for (const json of [...started, ...queued]) {
					const id = orderIdOf(json);
					if (id) unfinishedOrders.add(id);
				}
			}
		}
		lastId = page[page.length - 1].id;
	}
	return { executions, notSucceeded, failedPathOrders, unfinishedOrders, failureReasons };
}

async function runPhase(name: 'clean' | 'storm', tarball: string): Promise<PhaseResult> {
	const problems: string[] = [];
	const figures: Record<string, string | number> = {};
	const pg = await startPostgres(await freePort());
	const redis = await startRedis(await freePort());
	const services: Services = await startServices();
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), `scale-${name}-`));
	const queue: QueueSettings = { postgresPort: pg.port, postgresDatabase: pg.database, redisPort: redis.port };
	const install = ensureN8n(VERSION);
	const workers: Worker[] = [];
	let main: Awaited<ReturnType<typeof startMain>> | undefined;
	try {
		installPackage(userFolder, tarball);
		const env = n8nEnv({ userFolder, port: await freePort(), extra: queueEnv(queue) });
		const credentialsFile = path.join(userFolder, 'credentials.json');
		fs.writeFileSync(credentialsFile, JSON.stringify(templateCredentials(services)));
		n8nCli(install, env, ['import:credentials', `--input=${credentialsFile}`]);
		importTemplates(install, env, [TEMPLATE]);
		const template = JSON.parse(fs.readFileSync(TEMPLATE, 'utf8')) as { id: string; nodes: Array<{ type: string; webhookId?: string }> };
		activateWorkflow(install, env, template.id);
		main = await startMain(install, userFolder, queue);
		workers.push(await startWorker(install, userFolder, queue, 1), await startWorker(install, userFolder, queue, 2));
		const webhookId = template.nodes.find((node) => node.webhookId)!.webhookId!;
		await waitForWebhook(main.baseUrl, `${webhookId}/webhook`);
		const url = `${main.baseUrl}/webhook/${webhookId}/webhook`;

		if (name === 'storm') {
			const storm = { rate: 0.3, kinds: { serverError: 1, tooManyRequests: 1, drop: 1 }, afterCommitShare: 0.5, seed: 42 };
			services.zoho.setFaults(storm);
			services.customerIo.setFaults({ ...storm, seed: 43 });
		}

		const { deliveries, emails, orderIds } = orderDeliveries(name);
		const sentAt = new Map<string, number>();
		const firstSeen = new Map<string, number>();
		const poller = setInterval(() => {
			const now = Date.now();
			for (const record of services.zoho.list('Store_Orders')) {
				const number = String(record.Order_Number ?? record.Name);
				if (!firstSeen.has(number)) firstSeen.set(number, now);
			}
		}, 200);

		const started = Date.now();
		let next = 0;
		let non2xx = 0;
		let retried = 0;
		let undelivered = 0;
		let killed = false;
		await Promise.all(
			Array.from({ length: SEND_CONCURRENCY }, async () => {
				while (next < deliveries.length) {
					const index = next++;
					if (name === 'storm' && !killed && index >= deliveries.length / 2) {
						killed = true;
						console.log(`  [storm] killing worker 1 mid-run (SIGKILL) after ${index} deliveries`);
						void workers[0].kill('SIGKILL');
					}
					const delivery = deliveries[index];
					const orderName = (JSON.parse(delivery.body) as { name: string }).name;
					if (!sentAt.has(orderName)) sentAt.set(orderName, Date.now());
					// As Shopify does: a delivery not answered 2xx within 5 s is retried, 8 times with exponential
					// backoff (over 4 hours there; compressed here), with the original payload and headers.
					// https://shopify.dev/changelog/updates-to-webhook-retry-mechanism
					for (let attempt = 0; ; attempt++) {
						const result = await postDelivery(url, delivery, { timeoutMs: 5_000 }).catch((error: Error) => ({ status: 0, text: error.message, json: null }));
						if (result.status >= 200 && result.status < 300) break;
						non2xx++;
						if (non2xx <= 3) console.log(`  delivery ${index} answered ${result.status || 'no response'}: ${result.text.slice(0, 200)}`);
						if (attempt === SHOPIFY_RETRIES) {
							undelivered++;
							break;
						}
						retried++;
						await new Promise((resolve) => setTimeout(resolve, Math.min(30_000, 1_000 * 2 ** attempt)));
					}
				}
			}),
		);
		const sendSeconds = (Date.now() - started) / 1000;

		// Wait for the executions to settle: the order count stops changing and nothing is running.
		const rest = new N8nRest(main.baseUrl);
		await rest.signIn();
		let stableSince = Date.now();
		let last = -1;
		const deadline = Date.now() + 20 * 60_000;
		while (Date.now() < deadline) {
			const count = services.zoho.list('Store_Orders').length;
			const running = N8nRest.unwrap<{ results: Array<{ status: string }> }>(await rest.get(`/rest/executions?filter=${encodeURIComponent(JSON.stringify({ status: ['running', 'new', 'waiting'] }))}&limit=1`)).results.length;
			if (count !== last || running > 0) {
				last = count;
				stableSince = Date.now();
			}
			if (count >= orderIds.length && running === 0 && Date.now() - stableSince > 3000) break;
			if (Date.now() - stableSince > 60_000) break;
			await new Promise((resolve) => setTimeout(resolve, 1000));
		}
		clearInterval(poller);
		const totalSeconds = (Math.max(...firstSeen.values(), started) - started) / 1000;

		// Exactly once in Zoho: one contact per email, one order per order number.
		const contacts = services.zoho.list('Contacts');
		const contactEmails = contacts.map((contact) => String(contact.Email).toLowerCase());
		const duplicateContacts = contactEmails.length - new Set(contactEmails).size;
		const orders = services.zoho.list('Store_Orders');
		const orderNumbers = orders.map((order) => String(order.Order_Number ?? order.Name));
		const duplicateOrders = orderNumbers.length - new Set(orderNumbers).size;
		const events = services.customerIo.listEvents({ name: 'order_completed' });
		const eventOrders = events.map((event) => String(event.data.order_id));
		const duplicateEvents = eventOrders.length - new Set(eventOrders).size;
		if (duplicateContacts) problems.push(`${duplicateContacts} duplicate Zoho contacts`);
		if (duplicateOrders) problems.push(`${duplicateOrders} duplicate Zoho orders`);
		if (duplicateEvents) problems.push(`${duplicateEvents} duplicate order_completed events`);

		const missingContacts = emails.filter((email) => !contactEmails.includes(email)).length;
		const missingOrders = orderIds.length - new Set(orderNumbers).size;
		const eventOrderSet = new Set(eventOrders);
		const missingEventOrders = orderIds.filter((id) => !eventOrderSet.has(id));

		// Where the missing ones are: on a Failed path (the template's "Review failures"), or in an
		// execution n8n shows as not succeeded (crashed with the killed worker, or failed).
		const accounting = await accountExecutions(rest, template.id);
		figures.executions = accounting.executions;
		figures.notSucceededExecutions = accounting.notSucceeded;
		figures.ordersOnFailedPaths = accounting.failedPathOrders.size;
		figures.ordersInNotSucceededExecutions = accounting.unfinishedOrders.size;
		for (const [reason, count] of [...accounting.failureReasons].sort((p, q) => q[1] - p[1]).slice(0, 5)) console.log(`  not succeeded ×${count}: ${reason}`);
		const accountedFor = new Set([...accounting.failedPathOrders, ...accounting.unfinishedOrders]);
		const unaccounted = missingEventOrders.filter((id) => !accountedFor.has(id));
		if (undelivered) problems.push(`${undelivered} deliveries were never answered 2xx after ${SHOPIFY_RETRIES} retries`);
		if (name === 'clean') {
			if (missingContacts || missingOrders || missingEventOrders.length) problems.push(`missing: ${missingContacts} contacts, ${missingOrders} orders, ${missingEventOrders.length} events`);
			if (accounting.notSucceeded) problems.push(`${accounting.notSucceeded} executions did not succeed`);
			if (accounting.failedPathOrders.size) problems.push(`${accounting.failedPathOrders.size} orders on Failed paths without any fault injected`);
		} else {
			if (unaccounted.length) problems.push(`${unaccounted.length} orders missing in Customer.io with no Failed item and no failed execution to show for them (e.g. ${unaccounted.slice(0, 3).join(', ')})`);
			// A write whose every attempt failed after the vendor had committed it is both delivered and
			// reported Failed: reported, so counted here, but not a loss.
			figures.reportedFailedButDelivered = [...accountedFor].filter((id) => eventOrderSet.has(id)).length;
		}

		const latencies = [...firstSeen.entries()].map(([number, seen]) => seen - (sentAt.get(number) ?? seen)).filter((ms) => ms >= 0);
		Object.assign(figures, {
			deliveries: deliveries.length,
			non2xxAnswers: non2xx,
			retriedDeliveries: retried,
			undeliveredAfterRetries: undelivered,
			sendSeconds: sendSeconds.toFixed(1),
			ordersInCrm: new Set(orderNumbers).size,
			contactsInCrm: new Set(contactEmails).size,
			orderCompletedEvents: new Set(eventOrders).size,
			missingContacts,
			missingOrders,
			missingEvents: missingEventOrders.length,
			throughputOrdersPerSecond: (new Set(orderNumbers).size / Math.max(totalSeconds, 0.001)).toFixed(1),
			p50WebhookToCrmMs: percentile(latencies, 0.5),
			p99WebhookToCrmMs: percentile(latencies, 0.99),
			zohoCalls: services.zoho.callLog().calls.length,
			zohoFaults: services.zoho.callLog().faults,
		});
		return { name, ok: problems.length === 0, problems, figures };
	} finally {
		await Promise.all(workers.map((worker) => worker.kill()));
		await main?.stop();
		await services.close();
		await redis.stop();
		await pg.stop();
		fs.rmSync(userFolder, { recursive: true, force: true });
	}
}

async function main(): Promise<void> {
	console.log(`Scale suite: n8n ${VERSION} in queue mode, ${ORDERS} orders + ${DUPLICATE_SHARE * 100}% redelivered`);
	const tarball = packPackage();
	const phases = (process.env.SCALE_PHASES ?? 'clean,storm').split(',') as Array<'clean' | 'storm'>;
	const results: PhaseResult[] = [];
	for (const phase of phases) {
		console.log(`\n== phase ${phase} ==`);
		const result = await runPhase(phase, tarball);
		results.push(result);
		for (const [key, value] of Object.entries(result.figures)) console.log(`  ${key}: ${value}`);
		for (const problem of result.problems) console.log(`  PROBLEM: ${problem}`);
	}
	const passed = results.filter((result) => result.ok).length;
	console.log(`\nscale: ${passed} passed, ${results.length - passed} failed`);
	process.exit(passed === results.length ? 0 : 1);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
