// Every page works as plain HTML forms and links: no JavaScript is shipped to readers on mobile data.
export const csr = false;
