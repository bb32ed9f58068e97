export const PERIOD_LABELS: Record<string, string> = {
	today: 'আজ',
	'7': 'গত ৭ দিন',
	'30': 'গত ৩০ দিন',
	'90': 'গত ৯০ দিন'
};
