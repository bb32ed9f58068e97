CREATE TABLE `visit_counts` (
	`day` text NOT NULL,
	`page` text NOT NULL,
	`source` text NOT NULL,
	`visitors` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`day`, `page`, `source`),
	CONSTRAINT "visit_counts_page" CHECK("page" in ('sales', 'free', 'checkout'))
);
