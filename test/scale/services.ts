/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- project tooling (runs n8n, databases, browsers), never part of the package */
/**
 * PostgreSQL and Redis from Debian's packages, started on 127.0.0.1 in throw-away folders for n8n's
 * queue mode (scripts/scale.sh installs the packages on a fresh machine). PostgreSQL refuses to run as
 * root, so as root the cluster runs as the `postgres` system user the Debian package creates.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Service {
	port: number;
	stop: () => Promise<void>;
}

function pgBinDir(): string {
	const root = '/usr/lib/postgresql';
	const versions = fs.existsSync(root) ? fs.readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
	if (!versions.length) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql)');
	return path.join(root, versions[0], 'bin');
}

function asPostgres(command: string, args: string[]): [string, string[]] {
	return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`${what} did not come up in ${timeoutMs} ms`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	return new Promise((resolve) => {
		const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
		child.once('exit', () => {
			clearTimeout(timer);
			resolve();
		});
		child.kill(signal);
	});
}

export async function startPostgres(port: number, database = 'n8n'): Promise<Service & { user: string; password: string; database: string }> {
	const bin = pgBinDir();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scale-pg-'));
	fs.chmodSync(dir, 0o777);
	const dataDir = path.join(dir, 'data');
	const socketDir = path.join(dir, 'run');
	fs.mkdirSync(socketDir, { mode: 0o777 });
	fs.chmodSync(socketDir, 0o777);
	if (process.getuid?.() === 0) execFileSync('chown', ['-R', 'postgres', dir]);
	const [initCmd, initArgs] = asPostgres(path.join(bin, 'initdb'), ['-D', dataDir, '-U', 'n8n', '--auth=trust', '-E', 'UTF8', '--no-sync']);
	execFileSync(initCmd, initArgs, { stdio: 'ignore' });
	const [cmd, args] = asPostgres(path.join(bin, 'postgres'), [
		'-D', dataDir, '-p', String(port), '-k', socketDir, '-c', 'listen_addresses=127.0.0.1',
		'-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'max_connections=200',
	]);
	const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
	let log = '';
	child.stderr?.on('data', (data: Buffer) => (log += data.toString()));
	await waitFor(() => /ready to accept connections/.test(log), 'PostgreSQL');
	const [createCmd, createArgs] = asPostgres(path.join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'n8n', database]);
	execFileSync(createCmd, createArgs, { stdio: 'inherit' });
	return {
		port,
		user: 'n8n',
		password: '',
		database,
		stop: async () => {
			await stopChild(child, 'SIGINT');
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}

export async function startRedis(port: number): Promise<Service> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scale-redis-'));
	const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
	let log = '';
	child.stdout?.on('data', (data: Buffer) => (log += data.toString()));
	await waitFor(() => /Ready to accept connections/i.test(log), 'Redis');
	return {
		port,
		stop: async () => {
			await stopChild(child);
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}
