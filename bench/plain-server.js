// The ceiling: a bare node:http server answering every request with the same status, headers and body
// bytes as one of the store's pages, so that the benchmark can say how close the store comes to it.
// Usage: node bench/plain-server.js RESPONSE.json PORT  (the JSON is written by bench/run.ts)
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const [file, port] = process.argv.slice(2);
/** @type {unknown} */
const parsed = JSON.parse(readFileSync(file, 'utf8'));
const saved = /** @type {{ status: number; headers: [string, string][]; body: string }} */ (parsed);
const body = Buffer.from(saved.body, 'base64');
// Node writes its own Date and Connection headers, as it does for the store.
const headers = saved.headers.filter(
	([name]) => !['date', 'connection', 'keep-alive', 'transfer-encoding'].includes(name.toLowerCase())
);

createServer((req, res) => {
	res.writeHead(saved.status, headers.flat());
	res.end(body);
}).listen(Number(port), '127.0.0.1', () => console.log('listening'));
