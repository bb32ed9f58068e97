// Wallet SMS as the wallets send them, each with the public project it was taken from (repository and path). Where
// a sample is ours (Bengali digits, odd spacing, a forged reference), it says which real sample it was made from.
import type { WalletSms } from '../../src/lib/server/payments/wallet/sms';

export interface ReceivedSample {
	source: string;
	sender: string;
	text: string;
	expected: WalletSms;
}

export interface RefusedSample {
	source: string;
	why: string;
	sender: string;
	text: string;
}

const SAJIB_BKASH =
	'mdsajib1473/expense-tracker-bd app/src/test/java/com/sajib/smsexpensetracker/parser/institutions/BkashParserTest.kt';
const SAJIB_NAGAD =
	'mdsajib1473/expense-tracker-bd app/src/test/java/com/sajib/smsexpensetracker/parser/institutions/NagadParserTest.kt';
const SAJIB_DBBL =
	'mdsajib1473/expense-tracker-bd app/src/test/java/com/sajib/smsexpensetracker/parser/institutions/DutchBanglaParserTest.kt';
const NIHONOVA = 'mrahmann0010/Nihonova-Payment-Gateway README.md';
const TASK = (file: string): string => `ahasanulislam973/Task BkashSMS/${file}`;

export const received: ReceivedSample[] = [
	// bKash: Send Money received
	{
		source: SAJIB_BKASH,
		sender: 'bKash',
		text: 'You have received Tk 5,075.00 from 01735814791. Fee Tk 0.00. Balance Tk 6,075.50. TrxID BLU1H6X87P at 30/12/2024 13:22',
		expected: {
			method: 'bkash',
			amount: 507500,
			from: '01735814791',
			trxId: 'BLU1H6X87P',
			sentAt: '2024-12-30T13:22:00+06:00'
		}
	},
	{
		source: SAJIB_BKASH,
		sender: 'bKash',
		text: 'You have received Tk 20,172.00 from 01815474012.Ref jazakallah vai. Fee Tk 0.00. Balance Tk 20,329.00. TrxID CAK845MSGS at 20/01/2025 10:53',
		expected: {
			method: 'bkash',
			amount: 2017200,
			from: '01815474012',
			trxId: 'CAK845MSGS',
			sentAt: '2025-01-20T10:53:00+06:00'
		}
	},
	{
		source: NIHONOVA,
		sender: 'bKash',
		text: 'You have received Tk 500.00 from 01712345678. Fee Tk 0.00.\nBalance Tk 1,200.00. TrxID AB1234CDEF at 08/06/2026 14:32',
		expected: {
			method: 'bkash',
			amount: 50000,
			from: '01712345678',
			trxId: 'AB1234CDEF',
			sentAt: '2026-06-08T14:32:00+06:00'
		}
	},
	{
		source: TASK('4.php'),
		sender: 'bKash',
		text: 'you have received tk 750.00 from 01816297770. ref inv001248. fee tk 0.00. balance tk 144,142.60. trxid 7127209752 at 28/04/2017 12:36',
		expected: {
			method: 'bkash',
			amount: 75000,
			from: '01816297770',
			trxId: '7127209752',
			sentAt: '2017-04-28T12:36:00+06:00'
		}
	},
	// bKash: Payment received on a merchant account
	{
		source: TASK('1.php'),
		sender: 'bKash',
		text: 'You have received payment Tk 200.00 from 01818723483. Ref inv104335. Counter 1. Fee Tk 0.00. Balance Tk 1,250.00. TrxID 4EN44X4ALW at 23/05/2017 13:54',
		expected: {
			method: 'bkash',
			amount: 20000,
			from: '01818723483',
			trxId: '4EN44X4ALW',
			sentAt: '2017-05-23T13:54:00+06:00'
		}
	},
	// bKash: Cash In at an agent
	{
		source: SAJIB_BKASH,
		sender: 'bKash',
		text: 'Cash In Tk 1,000.00 from 01835908735 successful. Fee Tk 0.00. Balance Tk 1,607.90. TrxID CK710WRNDB at 07/11/2025 22:21. Download App: https://bKa.sh/8app',
		expected: {
			method: 'bkash',
			amount: 100000,
			from: '01835908735',
			trxId: 'CK710WRNDB',
			sentAt: '2025-11-07T22:21:00+06:00'
		}
	},
	{
		source: TASK('2.php'),
		sender: 'bKash',
		text: 'cash in tk 1,020.00 from 01755654142 successful. fee tk 0.00. balance tk 138,698.49. trxid 7121591740 at 27/04/2017 16:58',
		expected: {
			method: 'bkash',
			amount: 102000,
			from: '01755654142',
			trxId: '7121591740',
			sentAt: '2017-04-27T16:58:00+06:00'
		}
	},
	// Nagad: Money Received (Send Money) and Cash In Received (from an Uddokta), one field a line
	{
		source: NIHONOVA,
		sender: 'NAGAD',
		text: 'Money Received.\nAmount: Tk 99.00\nSender: 01634358056\nRef: Saom\nTxnID: 75HKUOBF\nBalance: Tk 1289.43\n08/06/2026 19:00',
		expected: {
			method: 'nagad',
			amount: 9900,
			from: '01634358056',
			trxId: '75HKUOBF',
			sentAt: '2026-06-08T19:00:00+06:00'
		}
	},
	{
		source: SAJIB_NAGAD,
		sender: 'NAGAD',
		text: 'Money Received.\nAmount: Tk 20300.00\nSender: 01700000003\nRef: N/A\nTxnID: 73CCCCCC\nBalance: Tk 20300.32\n23/01/2025 20:58',
		expected: {
			method: 'nagad',
			amount: 2030000,
			from: '01700000003',
			trxId: '73CCCCCC',
			sentAt: '2025-01-23T20:58:00+06:00'
		}
	},
	{
		source: SAJIB_NAGAD,
		sender: 'NAGAD',
		text: 'Cash In Received.\nAmount: Tk 5000.00\nUddokta: 01700000001\nTxnID: 72AAAAAA\nBalance: 5032.90\n11/01/2024 16:47',
		expected: {
			method: 'nagad',
			amount: 500000,
			from: '01700000001',
			trxId: '72AAAAAA',
			sentAt: '2024-01-11T16:47:00+06:00'
		}
	},
	{
		// A promotion line first, short labels and no space after the colons.
		source: SAJIB_NAGAD,
		sender: 'NAGAD',
		text: 'WIN LAND IN DHAKA! CLICK NOW  nagad.io/xyz\nCash In Received.\nAmt:Tk 200.00\nUddokta:01700000002\nTxnID: 72BBBBBB\nBal:208.65\n27/03/2024 15:54',
		expected: {
			method: 'nagad',
			amount: 20000,
			from: '01700000002',
			trxId: '72BBBBBB',
			sentAt: '2024-03-27T15:54:00+06:00'
		}
	},
	// Rocket (DBBL): Send Money received; the sender's account comes masked
	{
		source: NIHONOVA,
		sender: '16216',
		text: 'Tk99.00 received from A/C:***515 Fee:Tk0, Your A/C Balance: Tk1,145.85\nTxnId:6606781284 Date:08-JUN-26 06:21:43 am. Download https://bit.ly/nexuspay',
		expected: {
			method: 'rocket',
			amount: 9900,
			from: '***515',
			trxId: '6606781284',
			sentAt: '2026-06-08T06:21:43+06:00'
		}
	},
	{
		// Made from the Cash-Out sample of the same source ("Cash-Out to A/C:***336Tk902.00Fee:…TxnId:5762726721Date:…"),
		// with the wording of the Cash-In side; the fields run together as in the real message.
		source: `${SAJIB_DBBL} (Cash-Out sample, turned into a Cash-In)`,
		sender: 'DBBL',
		text: 'Cash-In from A/C:***336Tk902.00Fee:Tk0 Your A/C Balance: Tk1,228.89.TxnId:5762726722Date:27-SEP-25 12:05:38 pm. Please download https://bit.ly/nexuspay',
		expected: {
			method: 'rocket',
			amount: 90200,
			from: '***336',
			trxId: '5762726722',
			sentAt: '2025-09-27T12:05:38+06:00'
		}
	}
];

/** The real samples again, as forwarding phones and Bengali keyboards change them. */
export const variants: ReceivedSample[] = [
	{
		source: `${SAJIB_BKASH} (Bengali digits)`,
		sender: 'bKash',
		text: 'You have received Tk ৫,০৭৫.০০ from ০১৭৩৫৮১৪৭৯১. Fee Tk ০.০০. Balance Tk ৬,০৭৫.৫০. TrxID BLU1H6X87P at ৩০/১২/২০২৪ ১৩:২২',
		expected: {
			method: 'bkash',
			amount: 507500,
			from: '01735814791',
			trxId: 'BLU1H6X87P',
			sentAt: '2024-12-30T13:22:00+06:00'
		}
	},
	{
		source: `${SAJIB_BKASH} (no space after Tk, doubled and no-break spaces, CRLF, lower-case TrxID, +88 number)`,
		sender: 'BKASH',
		text: 'You  have received Tk5,075.00 from +8801735814791.\r\nFee Tk 0.00.\u00a0Balance Tk 6,075.50.  TrxID  blu1h6x87p  at  30/12/2024  13:22',
		expected: {
			method: 'bkash',
			amount: 507500,
			from: '01735814791',
			trxId: 'BLU1H6X87P',
			sentAt: '2024-12-30T13:22:00+06:00'
		}
	},
	{
		source: `${NIHONOVA} (Bengali digits, fields on one line as some forwarders send them)`,
		sender: 'Nagad',
		text: 'Money Received. Amount: Tk ১,৫৩০.০০ Sender: ০১৬৩৪৩৫৮০৫৬ Ref: Saom TxnID: 75HKUOBF Balance: Tk ১২৮৯.৪৩ ০৮/০৬/২০২৬ ১৯:০০',
		expected: {
			method: 'nagad',
			amount: 153000,
			from: '01634358056',
			trxId: '75HKUOBF',
			sentAt: '2026-06-08T19:00:00+06:00'
		}
	},
	{
		source: `${NIHONOVA} (the sender typed a fake TrxID and time into the reference)`,
		sender: 'bKash',
		text: 'You have received Tk 500.00 from 01712345678. Ref TrxID FAKE000001 at 01/01/2020 00:00. Fee Tk 0.00. Balance Tk 1,200.00. TrxID AB1234CDEF at 08/06/2026 14:32',
		expected: {
			method: 'bkash',
			amount: 50000,
			from: '01712345678',
			trxId: 'AB1234CDEF',
			sentAt: '2026-06-08T14:32:00+06:00'
		}
	},
	{
		source: `${NIHONOVA} (Rocket, with the sender's account unmasked: mobile number and check digit)`,
		sender: 'Rocket',
		text: 'Tk1,530.00 received from A/C:017123456789 Fee:Tk0, Your A/C Balance: Tk1,145.85 TxnId:6606781285 Date:08-JUN-26 12:21:43 am.',
		expected: {
			method: 'rocket',
			amount: 153000,
			from: '01712345678',
			trxId: '6606781285',
			sentAt: '2026-06-08T00:21:43+06:00'
		}
	},
	{
		source: `${SAJIB_BKASH} (a date that does not exist: the money is read, the time is not)`,
		sender: 'bKash',
		text: 'You have received Tk 5,075.00 from 01735814791. Fee Tk 0.00. Balance Tk 6,075.50. TrxID BLU1H6X87P at 31/02/2024 13:22',
		expected: { method: 'bkash', amount: 507500, from: '01735814791', trxId: 'BLU1H6X87P', sentAt: null }
	}
];

export const refused: RefusedSample[] = [
	// Money that went out
	{
		source: SAJIB_BKASH,
		why: 'Send Money sent',
		sender: 'bKash',
		text: 'Send Money Tk 510.00 to 01813738081 successful. Ref Sajib. Fee Tk 5.00. Balance Tk 4,479.65. TrxID DCK1B9P81H at 20/03/2026 00:08'
	},
	{
		source: TASK('5.php'),
		why: 'Send Money sent (lower case)',
		sender: 'bKash',
		text: 'send money tk 3,000.00 to 01611272324 successful. ref technobd. fee tk 5.00. balance tk 145,722.60. trxid 7161422330 at 02/05/2017 23:34'
	},
	{
		source: SAJIB_BKASH,
		why: 'a failed Send Money, returned',
		sender: 'bKash',
		text: 'Sorry, your Send Money request to 01765992095 is unsuccessful! Tk 30 has been returned. Balance Tk 73.50. TrxID BKA96AB813 at 10/11/2024 14:00'
	},
	{
		source: SAJIB_BKASH,
		why: 'a payment made to a merchant',
		sender: 'bKash',
		text: 'Payment Tk 100.00 to KAHF BANGLADESH LTD-RM67912 is successful. Balance Tk 601.81. TrxID DG705TRZHM at 07/07/2026 20:36'
	},
	{
		source: SAJIB_BKASH,
		why: 'a payment made to a merchant ("Payment of")',
		sender: 'bKash',
		text: 'Payment of Tk 1,015.50 to AS-SUNNAH FOUNDATION-RM56187 is successful. Balance Tk 1,115.15. TrxID DCD92UO50N at 13/03/2026 15:30'
	},
	{
		source: NIHONOVA,
		why: 'a payment made, with the payer\'s number after "from"',
		sender: 'bKash',
		text: 'Payment Tk 1,000.00 to Some Merchant from 01712345678.\nFee Tk 0.00. Balance Tk 200.00. TrxID XY9876GHIJ at 08/06/2026 15:10'
	},
	{
		source: TASK('3.php'),
		why: 'a payment made (lower case)',
		sender: 'bKash',
		text: 'payment tk 50,000.00 to 01713131327 successful. ref loan2. counter 1. fee tk 0.00. balance tk 90,528.49. trxid 7188191193 at 06/05/2017 17:34'
	},
	{
		source: TASK('6a.php'),
		why: 'an airtime request',
		sender: 'bKash',
		text: 'received airtime request of tk 300.00 for 01750000327. fee tk 0.00. balance tk 140,457.60. trxid 7149856453 at 01/05/2017 15:13. wait for confirmation.'
	},
	{
		source: SAJIB_NAGAD,
		why: 'a Nagad payment made',
		sender: 'NAGAD',
		text: "Payment to 'Sample Ministry' is Successful.\nAmount: Tk  107.07\nTxnID: 72DDDDDD\nBalance: Tk 32.90\n03/11/2023 13:58"
	},
	{
		source: SAJIB_DBBL,
		why: 'a Rocket Cash-Out',
		sender: '16216',
		text: 'Cash-Out to A/C:***336Tk902.00Fee:Tk15.06 Your A/C Balance: Tk326.89.TxnId:5762726721Date:27-SEP-25 05:59:38 pm. Please download https://bit.ly/nexuspay'
	},
	// Money in, but from no wallet number a buyer could have paid from
	{
		source: SAJIB_BKASH,
		why: 'a disbursement from a business name',
		sender: 'bKash',
		text: 'You have received Tk 63.00 from OnnorokomWeb. Balance Tk 1,082.65. TrxID DE971UR13F at 09/05/2026 21:32'
	},
	{
		source: SAJIB_BKASH,
		why: 'a deposit from a bank account',
		sender: 'bKash',
		text: 'You have received a deposit of Tk 1,000.00 from Sonali Bank Account. Fee Tk 0.00. Balance Tk 1,140.34. TrxID CGJ2RQENX4 at 19/07/2025 15:43'
	},
	{
		source: NIHONOVA,
		why: 'a deposit from iBanking',
		sender: 'bKash',
		text: 'You have received deposit from iBanking of Tk 99.00 from Prime Bank.\nFee Tk 0.00. Balance Tk 23,324.44. TrxID DF844EE7SM at 08/06/2026 21:41'
	},
	{
		source: SAJIB_DBBL,
		why: 'a bank account credit, not Rocket',
		sender: '16216',
		text: 'Dear Sir, your A/C ***0045 credited (ATM A/C to A/C Transfer Credit) by Tk50,000.00 on 01-02-2025 02:55:44 PM C/B Tk50,459.01. NexusPay https://bit.ly/nexuspay'
	},
	// Codes, notices and promotions
	{
		source: SAJIB_BKASH,
		why: 'an OTP',
		sender: 'bKash',
		text: 'Your bKash verification code is 956586. Expires in 2 minutes.'
	},
	{
		source: SAJIB_NAGAD,
		why: 'an OTP',
		sender: 'NAGAD',
		text: 'Your One Time Password (OTP) for Nagad ECOM is 000000. Validity for OTP is 10 minutes. Helpline 16167.'
	},
	{
		source: SAJIB_NAGAD,
		why: 'a device registration code',
		sender: 'NAGAD',
		text: 'Never Share Any Code.\nDevice registration request.\nUsername:01700000009\nOTP/Code: 000000\nExpiry time:09:51:32\nUID: AAAAAAAAAAA'
	},
	{
		source: SAJIB_NAGAD,
		why: 'a warning in Bengali',
		sender: 'NAGAD',
		text: 'সতর্কতা: আপনার পিন বা কোড কাউকে দেবেন না।'
	},
	{
		source: SAJIB_NAGAD,
		why: 'a cashback notice',
		sender: 'NAGAD',
		text: "Congrats! You've received Cashback 5.0 Tk for Mobile Recharge of 100.0 Tk. | 01/02/2024 10:00 | For Details Call 16167"
	},
	{
		source: SAJIB_DBBL,
		why: 'a card OTP',
		sender: '16216',
		text: 'Dear Customer, 671016 is your OTP for e-com transaction of Debit Card no# 4840****7242 which will be valid for 5 minutes.'
	},
	{
		source: SAJIB_DBBL,
		why: 'a balance inquiry',
		sender: '16216',
		text: 'Balance of your A/C:***0045 is BDT 45,755.13 as on 30/06/25. To download statement click https://app.dutchbanglabank.com/cbsstatement . For query call 16216'
	},
	// A genuine text from the wrong sender: anyone can send an SMS that reads like bKash
	{
		source: `${SAJIB_BKASH} (sent from a phone number)`,
		why: 'a bKash text from an ordinary number',
		sender: '+8801712345678',
		text: 'You have received Tk 5,075.00 from 01735814791. Fee Tk 0.00. Balance Tk 6,075.50. TrxID BLU1H6X87P at 30/12/2024 13:22'
	},
	{
		source: `${NIHONOVA} (under another wallet's name)`,
		why: 'a Nagad text from bKash',
		sender: 'bKash',
		text: 'Money Received.\nAmount: Tk 99.00\nSender: 01634358056\nRef: Saom\nTxnID: 75HKUOBF\nBalance: Tk 1289.43\n08/06/2026 19:00'
	},
	{
		source: `${NIHONOVA} (under no sender at all)`,
		why: 'no sender',
		sender: '',
		text: 'Tk99.00 received from A/C:***515 Fee:Tk0, Your A/C Balance: Tk1,145.85\nTxnId:6606781284 Date:08-JUN-26 06:21:43 am.'
	},
	// Malformed
	{
		source: `${SAJIB_BKASH} (cut short before the TrxID)`,
		why: 'no TrxID',
		sender: 'bKash',
		text: 'You have received Tk 5,075.00 from 01735814791. Fee Tk 0.00. Balance Tk 6,075.50.'
	},
	{
		source: `${SAJIB_BKASH} (a sender number one digit short)`,
		why: 'a ten-digit sender',
		sender: 'bKash',
		text: 'You have received Tk 5,075.00 from 0173581479. Fee Tk 0.00. Balance Tk 6,075.50. TrxID BLU1H6X87P at 30/12/2024 13:22'
	},
	{
		source: `${SAJIB_BKASH} (nothing received)`,
		why: 'a zero amount',
		sender: 'bKash',
		text: 'You have received Tk 0.00 from 01735814791. Fee Tk 0.00. Balance Tk 6,075.50. TrxID BLU1H6X87P at 30/12/2024 13:22'
	},
	{
		source: `${SAJIB_BKASH} (three decimals)`,
		why: 'an amount finer than a poisha',
		sender: 'bKash',
		text: 'You have received Tk 5,075.005 from 01735814791. Fee Tk 0.00. Balance Tk 6,075.50. TrxID BLU1H6X87P at 30/12/2024 13:22'
	},
	{
		source: 'ours',
		why: 'empty',
		sender: 'bKash',
		text: ''
	}
];
