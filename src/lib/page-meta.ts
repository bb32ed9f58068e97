/** What a page tells link previews (Open Graph, Twitter cards) and search engines about itself. */
export interface PageMeta {
	title: string;
	description: string;
	/** The canonical address, absolute (from ORIGIN). */
	url: string;
	type: 'website' | 'article';
	siteName: string;
	/** Only for pages whose preview may show a picture: never a paid lesson. */
	image?: { url: string; width: number; height: number; alt: string };
}
