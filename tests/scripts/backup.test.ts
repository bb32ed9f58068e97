import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/server';

describe('npm run backup', () => {
	let server: TestServer;
	beforeAll(async () => {
		server = await startServer();
	});
	afterAll(() => server.stop());

	it('copies the live database consistently while the server runs', () => {
		const insert = server.db.prepare('insert into users (email) values (?)');
		server.db.transaction(() => {
			for (let i = 0; i < 500; i++) insert.run(`reader${i}@example.com`);
		})();
		const target = join(server.dir, 'copies', 'backup.db');
		const run = spawnSync('npx', ['tsx', 'scripts/backup.ts', target], {
			env: { ...process.env, DATABASE_PATH: server.dbPath },
			encoding: 'utf8'
		});
		expect(run.status, run.stderr).toBe(0);
		expect(run.stderr).toContain('integrity ok');
		const copy = new Database(target, { readonly: true });
		expect(copy.prepare('select count(*) as n from users').get()).toEqual({ n: 500 });
		copy.close();
	});

	it('refuses to run without a target file', () => {
		const run = spawnSync('npx', ['tsx', 'scripts/backup.ts'], {
			env: { ...process.env, DATABASE_PATH: server.dbPath },
			encoding: 'utf8'
		});
		expect(run.status).toBe(2);
		expect(run.stderr).toContain('usage');
	});
});
