// Statements exported from a merchant portal or a bank, read into rows to match against claims; every row that
// cannot be used is reported with its line. No public sample of a bKash or Nagad merchant-portal export could be
// found, so these files are made here: their transactions are the real SMS samples of wallet-sms-samples.ts, laid out
// the ways such exports are (English or Bengali headers, ; or , delimiters, a BOM, quoted amounts, preamble lines).
import { describe, expect, it } from 'vitest';
import { parseStatementCsv, type StatementRow } from '../../src/lib/server/payments/wallet/sms';

const BOM = '\ufeff';

describe('parseStatementCsv', () => {
	it('reads a merchant export with quoted amounts, a BOM and CRLF line ends', () => {
		const csv =
			BOM +
			[
				'Transaction ID,Date,Time,Type,Sender,Amount,Balance',
				'BLU1H6X87P,30/12/2024,13:22,Received,01735814791,"5,075.00","6,075.50"',
				'CAK845MSGS,20/01/2025,10:53 AM,Received,01815474012,"20,172.00","20,329.00"',
				'4en44x4alw,23/05/2017,01:54 PM,Payment,+8801818723483,200.00,"1,250.00"'
			].join('\r\n');
		const { rows, errors } = parseStatementCsv(csv);
		expect(errors).toEqual([]);
		expect(rows).toEqual<StatementRow[]>([
			{ trxId: 'BLU1H6X87P', amount: 507500, from: '01735814791', method: null, at: '2024-12-30T13:22:00+06:00' },
			{ trxId: 'CAK845MSGS', amount: 2017200, from: '01815474012', method: null, at: '2025-01-20T10:53:00+06:00' },
			{ trxId: '4EN44X4ALW', amount: 20000, from: '01818723483', method: null, at: '2017-05-23T13:54:00+06:00' }
		]);
	});

	it('reads ; as the delimiter, with unquoted thousands separators and decimal commas', () => {
		const csv = [
			'TrxID;Amount (BDT);From;Date Time;Wallet',
			'75HKUOBF;1,530.00;01634358056;08/06/2026 19:00;Nagad',
			'73CCCCCC;20300,00;01700000003;23/01/2025 20:58;NAGAD',
			'72AAAAAA;1.000,50;01700000001;2024-01-11 16:47:05;nagad'
		].join('\n');
		const { rows, errors } = parseStatementCsv(csv);
		expect(errors).toEqual([]);
		expect(rows.map((r) => [r.trxId, r.amount, r.method, r.at])).toEqual([
			['75HKUOBF', 153000, 'nagad', '2026-06-08T19:00:00+06:00'],
			['73CCCCCC', 2030000, 'nagad', '2025-01-23T20:58:00+06:00'],
			['72AAAAAA', 100050, 'nagad', '2024-01-11T16:47:05+06:00']
		]);
	});

	it('reads Bengali headers and Bengali digits', () => {
		const csv = [
			'লেনদেন আইডি,তারিখ,প্রেরকের নম্বর,পরিমাণ,মাধ্যম',
			'BLU1H6X87P,৩০/১২/২০২৪ ১৩:২২,০১৭৩৫৮১৪৭৯১,"৳৫,০৭৫.০০",বিকাশ',
			'6606781284,08-JUN-26 06:21:43 am,,৯৯.০০,রকেট'
		].join('\n');
		const { rows, errors } = parseStatementCsv(csv);
		expect(errors).toEqual([]);
		expect(rows).toEqual<StatementRow[]>([
			{ trxId: 'BLU1H6X87P', amount: 507500, from: '01735814791', method: 'bkash', at: '2024-12-30T13:22:00+06:00' },
			{ trxId: '6606781284', amount: 9900, from: null, method: 'rocket', at: '2026-06-08T06:21:43+06:00' }
		]);
	});

	it('matches headers without regard to case, spacing or punctuation', () => {
		for (const header of [
			'TRXID,AMOUNT',
			'trx id,amount',
			' Trx. ID , Amount (Tk) ',
			'"Transaction No","Amount(BDT)"'
		]) {
			const { rows, errors } = parseStatementCsv(`${header}\nDCK1B9P81H,510.00\n`);
			expect(errors, header).toEqual([]);
			expect(rows, header).toEqual([{ trxId: 'DCK1B9P81H', amount: 51000, from: null, method: null, at: null }]);
		}
	});

	it('reads a bank statement after its preamble, taking credits and reporting debits', () => {
		const csv = [
			'Account Name,Example Traders',
			'Account No,1234567890',
			'Statement Period,01/11/2025 to 30/11/2025',
			'',
			'Txn Date,Description,Ref No,Debit,Credit,Balance',
			'02/11/2025,NPSB transfer from 01712345678,FT25306ABCDE,,"1,530.00","11,530.00"',
			'03/11/2025,ATM withdrawal,AT25307XYZ12,"2,000.00",,"9,530.00"',
			'04/11/2025,BEFTN credit,BE25308QWERT,,250.00,"9,780.00"'
		].join('\n');
		const { rows, errors } = parseStatementCsv(csv);
		expect(rows).toEqual<StatementRow[]>([
			{ trxId: 'FT25306ABCDE', amount: 153000, from: null, method: null, at: '2025-11-02' },
			{ trxId: 'BE25308QWERT', amount: 25000, from: null, method: null, at: '2025-11-04' }
		]);
		expect(errors).toEqual([{ line: 7, problem: 'টাকা বেরিয়ে যাওয়ার লেনদেন, আসার নয়' }]);
	});

	it('reports every unusable row with its line, and keeps the good ones around it', () => {
		const csv = [
			'Transaction ID,Amount,Sender,Date', // 1
			'BLU1H6X87P,"5,075.00",01735814791,30/12/2024 13:22', // 2
			',500.00,01712345678,01/12/2025 10:00', // 3: no TrxID
			'CAK845MSGS,,01815474012,20/01/2025 10:53', // 4: no amount
			'DE971UR13F,abc,01712345678,09/05/2026 21:32', // 5: amount unreadable
			'CK710WRNDB,0.00,01835908735,07/11/2025 22:21', // 6: zero
			'DG705TRZHM,-100.00,,07/07/2026 20:36', // 7: money out
			'TRX ID WITH SPACES,100.00,,', // 8: not a TrxID
			',,,', // 9: an empty spreadsheet row, not a row
			'Total,"5,075.00",,', // 10: a total line has no TrxID
			'"CGJ2RQENX4","1,000.00","not a number","31/02/2025"' // 11: kept; sender and impossible date left empty
		].join('\n');
		const { rows, errors } = parseStatementCsv(csv);
		expect(rows).toEqual<StatementRow[]>([
			{ trxId: 'BLU1H6X87P', amount: 507500, from: '01735814791', method: null, at: '2024-12-30T13:22:00+06:00' },
			{ trxId: 'CGJ2RQENX4', amount: 100000, from: null, method: null, at: null }
		]);
		expect(errors.map((e) => e.line)).toEqual([3, 4, 5, 6, 7, 8, 10]);
		expect(errors[0].problem).toBe('TrxID নেই');
		expect(errors[1].problem).toBe('টাকার পরিমাণ নেই');
		expect(errors[2].problem).toContain('পড়া গেল না');
		expect(errors.every((e) => /[\u0980-\u09ff]/.test(e.problem))).toBe(true);
	});

	it('counts lines inside quoted fields that span lines', () => {
		const csv = ['TrxID,Amount,Note', 'AAAAAA1111,100.00,"two', 'lines"', ',200.00,x'].join('\n');
		const { rows, errors } = parseStatementCsv(csv);
		expect(rows.map((r) => r.trxId)).toEqual(['AAAAAA1111']);
		expect(errors).toEqual([{ line: 4, problem: 'TrxID নেই' }]);
	});

	it('says so when it finds no header, or cannot read the file as CSV', () => {
		const none = parseStatementCsv('Date,Description\n01/01/2025,Opening balance\n');
		expect(none.rows).toEqual([]);
		expect(none.errors).toHaveLength(1);
		expect(none.errors[0].problem).toContain('TrxID');
		expect(parseStatementCsv('').errors).toHaveLength(1);
		const binary = parseStatementCsv('PK\u0003\u0004\u0000\u0000 not a csv at all');
		expect(binary.rows).toEqual([]);
		expect(binary.errors.length).toBeGreaterThan(0);
	});

	it('reports rows lost to an unclosed quote instead of dropping them', () => {
		const { rows, errors } = parseStatementCsv('TrxID,Amount\nAAAAAA1111,100\n"BBBBBB2222,200\nCCCCCC3333,300\n');
		expect(rows.map((r) => r.trxId)).toEqual(['AAAAAA1111']);
		expect(errors).toHaveLength(1);
		expect(errors[0].line).toBe(4);
	});

	it('reads tab-separated exports and ISO times with an offset, in Dhaka time', () => {
		const { rows, errors } = parseStatementCsv('TrxID\tAmount\tDate\nAAAAAA1111\t1530\t2025-12-01T17:20:05Z\n');
		expect(errors).toEqual([]);
		expect(rows).toEqual([
			{ trxId: 'AAAAAA1111', amount: 153000, from: null, method: null, at: '2025-12-01T23:20:05+06:00' }
		]);
	});

	it('uses a direction column to report money that went out', () => {
		const csv = ['TrxID,Dr/Cr,Amount', 'AAAAAA1111,CR,100.00', 'BBBBBB2222,DR,100.00', 'CCCCCC3333,Cash Out,50'].join(
			'\n'
		);
		const { rows, errors } = parseStatementCsv(csv);
		expect(rows.map((r) => r.trxId)).toEqual(['AAAAAA1111']);
		expect(errors.map((e) => e.line)).toEqual([3, 4]);
	});
});
