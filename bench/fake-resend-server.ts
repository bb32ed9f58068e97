// The fake Resend API in a process of its own, as the real one would be: prints its URL, then serves until killed.
import { startFakeResend } from '../tests/support/fake-resend';

const fake = await startFakeResend();
process.stdout.write(`${fake.url}\n`);
