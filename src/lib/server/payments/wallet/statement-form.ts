/** The statement as the /admin/payments form sends it: an uploaded file (preview) or its text again (apply). */
import { STATEMENT_LIMIT } from './statement-match';

export async function readStatement(form: FormData): Promise<string | { problem: string }> {
	const value = form.get('csv') ?? form.get('statement');
	const text = value instanceof File ? (value.size > STATEMENT_LIMIT ? null : await value.text()) : value;
	if (text === null) return { problem: 'ফাইলটি অনেক বড় (৫১২ KB-এর বেশি)। ছোট সময়ের স্টেটমেন্ট নামিয়ে আবার দিন।' };
	if (typeof text !== 'string' || !text.trim()) return { problem: 'একটি CSV স্টেটমেন্ট ফাইল বেছে নিন।' };
	if (text.length > STATEMENT_LIMIT) return { problem: 'স্টেটমেন্টটি অনেক বড় (৫১২ KB-এর বেশি)।' };
	return text;
}
