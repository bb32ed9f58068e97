// A statement the seller exports from a bKash or Nagad merchant portal or from a bank, read into rows to match
// against claims. csv-parse does the CSV; this module finds the columns and reads money, numbers and times.
import { parse } from 'csv-parse/sync';
import { asciiDigits, dhakaIso, fullYear, hour24, monthNumber, normaliseMobile, parsePoisha } from './text';

export interface StatementRow {
	/** Upper-case. */
	trxId: string;
	/** Poisha, a positive integer. */
	amount: number;
	/** The payer's mobile number as 01XXXXXXXXX, when the statement gives one. */
	from: string | null;
	method: 'bkash' | 'nagad' | 'rocket' | 'bank' | null;
	/** ISO 8601 in Dhaka time (+06:00), or only the date (YYYY-MM-DD) when the statement gives no time. */
	at: string | null;
}

export interface StatementProblem {
	/** The line of the file, counting from 1. */
	line: number;
	problem: string;
}

type Field = 'trxId' | 'amount' | 'debit' | 'from' | 'method' | 'date' | 'time' | 'direction';

// Header names as the exports spell them, compared in lower case with spaces, dots, brackets and # removed.
const HEADERS: Record<Field, string[]> = {
	trxId: [
		'transactionid',
		'trxid',
		'txnid',
		'trnxid',
		'transid',
		'transactionno',
		'transactionnumber',
		'trxno',
		'txnno',
		'transactionreference',
		'transactionref',
		'refno',
		'referenceno',
		'referencenumber',
		'chequerefno',
		'chqrefno',
		'লেনদেনআইডি',
		'লেনদেননম্বর',
		'ট্রানজেকশনআইডি',
		'ট্রানজ্যাকশনআইডি'
	],
	amount: [
		'amount',
		'amountbdt',
		'amounttk',
		'amounttaka',
		'transactionamount',
		'receivedamount',
		'credit',
		'creditamount',
		'deposit',
		'deposits',
		'paidin',
		'cr',
		'পরিমাণ',
		'টাকারপরিমাণ',
		'টাকা',
		'জমা'
	],
	debit: ['debit', 'debitamount', 'withdrawal', 'withdrawals', 'paidout', 'dr', 'উত্তোলন', 'খরচ'],
	from: [
		'sender',
		'from',
		'senderno',
		'sendernumber',
		'senderwallet',
		'senderaccount',
		'fromwallet',
		'fromaccount',
		'fromnumber',
		'customer',
		'customerwallet',
		'customerno',
		'customernumber',
		'customermsisdn',
		'msisdn',
		'walletno',
		'walletnumber',
		'mobileno',
		'mobilenumber',
		'প্রেরক',
		'প্রেরকেরনম্বর',
		'নম্বর',
		'মোবাইলনম্বর'
	],
	method: ['method', 'paymentmethod', 'wallet', 'provider', 'channel', 'মাধ্যম'],
	date: [
		'date',
		'datetime',
		'transactiondate',
		'txndate',
		'trxdate',
		'postingdate',
		'transactiondatetime',
		'transactiontime',
		'createdat',
		'completiontime',
		'valuedate',
		'তারিখ',
		'তারিখওসময়',
		'তারিখসময়'
	],
	time: ['time', 'সময়'],
	direction: ['drcr', 'crdr', 'type', 'transactiontype', 'ধরন']
};

const headerKey = (cell: string): string =>
	cell
		.normalize('NFC')
		.toLowerCase()
		.replace(/[\s._#()[\]/:\-'"]/g, '')
		.replace(/\u09af\u09bc/g, '\u09df'); // য় typed as য + nukta, as some keyboards do

type Columns = Partial<Record<Field, number>>;

/** Each field's column, the earlier names in HEADERS first (a "Transaction ID" beats a bank's "Ref No"). */
function findColumns(record: string[]): Columns {
	const keys = record.map(headerKey);
	const columns: Columns = {};
	for (const field of Object.keys(HEADERS) as Field[]) {
		for (const name of HEADERS[field]) {
			const i = keys.indexOf(name);
			if (i >= 0 && !Object.values(columns).includes(i)) {
				columns[field] = i;
				break;
			}
		}
	}
	return columns;
}

/** The delimiter of the header line: the one of ; , and tab that occurs most outside quotes. */
function delimiterOf(text: string): string {
	const firstLines = text
		.split(/\r?\n/, 30)
		.join('\n')
		.replace(/"[^"]*"/g, '');
	const counts = [';', ',', '\t'].map((d) => [d, firstLines.split(d).length] as const);
	return counts.reduce((a, b) => (b[1] > a[1] ? b : a))[0];
}

function methodOf(text: string): StatementRow['method'] {
	const t = text.toLowerCase();
	if (/bkash|বিকাশ/.test(t)) return 'bkash';
	if (/nagad|নগদ/.test(t)) return 'nagad';
	if (/rocket|dbbl|রকেট/.test(t)) return 'rocket';
	if (/bank|ব্যাংক/.test(t)) return 'bank';
	return null;
}

/** 30/12/2024, 30-12-2024, 2024-12-30, 30-DEC-24, 30 Dec 2024 with an optional 13:22, 1:22:05 pm or ISO time. */
function parseTime(dateText: string, timeText = ''): string | null {
	const text = asciiDigits(`${dateText} ${timeText}`).trim().replace(/\s+/g, ' ');
	if (text === '') return null;
	const iso = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(text);
	if (iso?.[7] !== undefined) {
		const instant = new Date(text.replace(' ', 'T'));
		if (Number.isNaN(instant.getTime())) return null;
		const dhaka = new Date(instant.getTime() + 6 * 3600 * 1000);
		return dhakaIso(
			dhaka.getUTCFullYear(),
			dhaka.getUTCMonth() + 1,
			dhaka.getUTCDate(),
			dhaka.getUTCHours(),
			dhaka.getUTCMinutes(),
			dhaka.getUTCSeconds()
		);
	}
	const date =
		/^(\d{4})-(\d{1,2})-(\d{1,2})/.exec(text) ??
		/^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})/.exec(text) ??
		/^(\d{1,2})[\s-]([a-z]{3,9})[\s,-]*(\d{2,4})/i.exec(text);
	if (!date) return null;
	const [day, monthText, yearText] = date[1].length === 4 ? [date[3], date[2], date[1]] : date.slice(1);
	const month = /^\d+$/.test(monthText) ? Number(monthText) : monthNumber(monthText);
	if (month === null) return null;
	const year = fullYear(Number(yearText));
	const clock = /^(?:[ T,]+)(\d{1,2}):(\d{2})(?::(\d{2}))?(?: ?([ap])\.?m\.?)?/i.exec(text.slice(date[0].length));
	if (!clock) {
		const midnight = dhakaIso(year, month, Number(day), 0, 0);
		return midnight === null ? null : midnight.slice(0, 10);
	}
	const hour = hour24(Number(clock[1]), clock[4]);
	return dhakaIso(year, month, Number(day), hour, Number(clock[2]), Number(clock[3] ?? 0));
}

const cell = (record: string[], column: number | undefined): string =>
	column === undefined ? '' : (record[column] ?? '').trim();

// Only words that say the money went out: a merchant's "Payment" or a personal "Send Money" row can be either way.
const OUTGOING = /^(?:dr|debit|withdrawal|cash ?out|out|outgoing|খরচ|উত্তোলন)$/i;

function readRow(record: string[], columns: Columns): StatementRow | string {
	const trxId = cell(record, columns.trxId).toUpperCase();
	const amountText = cell(record, columns.amount);
	const debitText = cell(record, columns.debit);
	if (OUTGOING.test(cell(record, columns.direction)) || (amountText === '' && debitText !== '')) {
		return 'টাকা বেরিয়ে যাওয়ার লেনদেন, আসার নয়';
	}
	if (/^\s*(?:-|\()/.test(amountText)) return 'ঋণাত্মক পরিমাণ: টাকা বেরিয়ে যাওয়ার লেনদেন, আসার নয়';
	if (trxId === '') return 'TrxID নেই';
	if (!/^[A-Z0-9]{6,30}$/.test(asciiDigits(trxId))) return `TrxID "${trxId.slice(0, 40)}" ঠিক নয়`;
	if (amountText === '') return 'টাকার পরিমাণ নেই';
	const amount = parsePoisha(amountText);
	if (amount === null) return `টাকার পরিমাণ "${amountText.slice(0, 40)}" পড়া গেল না`;
	const fromText = cell(record, columns.from);
	return {
		trxId: asciiDigits(trxId),
		amount,
		from: fromText === '' ? null : normaliseMobile(fromText),
		method: methodOf(cell(record, columns.method)),
		at: parseTime(cell(record, columns.date), cell(record, columns.time))
	};
}

interface Parsed {
	record: string[];
	info: { lines: number };
}

/**
 * The rows of a statement with a TrxID and an amount received; every other row after the header (no TrxID, no amount,
 * money going out, unreadable) is a problem with its line, in Bengali, never silently dropped.
 */
export function parseStatementCsv(text: string): { rows: StatementRow[]; errors: StatementProblem[] } {
	const rows: StatementRow[] = [];
	const errors: StatementProblem[] = [];
	const body = text.replace(/^\ufeff/, '');
	let records: Parsed[];
	try {
		// csv-parse's types leave out the { record, info } shape that `info: true` gives.
		records = parse(body, {
			delimiter: delimiterOf(body),
			info: true,
			relax_column_count: true,
			relax_quotes: true,
			skip_empty_lines: true,
			skip_records_with_error: true,
			on_skip: (err) => {
				if (err)
					errors.push({
						line: typeof err.lines === 'number' ? err.lines : 1,
						problem: 'এই লাইন পর্যন্ত CSV পড়া গেল না (কোনো " বন্ধ হয়নি?)'
					});
			}
		}) as unknown as Parsed[];
	} catch (e) {
		const line = (e as { lines?: number }).lines ?? 1;
		return { rows, errors: [...errors, { line, problem: 'ফাইলটি CSV হিসেবে পড়া গেল না (উদ্ধৃতিচিহ্ন বন্ধ হয়নি?)' }] };
	}

	const headerAt = records.slice(0, 30).findIndex(({ record }) => {
		const columns = findColumns(record);
		return columns.trxId !== undefined && columns.amount !== undefined;
	});
	if (headerAt < 0) {
		errors.push({
			line: records[0]?.info.lines ?? 1,
			problem: 'শিরোনামের সারি পাওয়া যায়নি: "TrxID" (বা "Transaction ID") ও "Amount" কলাম লাগবে'
		});
		return { rows, errors };
	}
	const columns = findColumns(records[headerAt].record);
	for (const { record, info } of records.slice(headerAt + 1)) {
		if (record.every((c) => c.trim() === '')) continue; // ",,,," is an empty line in a spreadsheet's export
		const row = readRow(record, columns);
		if (typeof row === 'string') errors.push({ line: info.lines, problem: row });
		else rows.push(row);
	}
	return { rows, errors: errors.sort((a, b) => a.line - b.line) };
}
