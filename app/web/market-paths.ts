// Addresses of a dynamic market's pages, for links on the server and in the
// browser (a *.server module's exports are not there in the browser).
export const applyPath = (tenderId: string, rest = "") => `/tenders/${tenderId}/apply${rest}`;
export const applicationsPath = (tenderId: string, rest = "") => `/tenders/${tenderId}/applications${rest}`;
