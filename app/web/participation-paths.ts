// Addresses of a competitive flexible tender's participation pages, for links
// on the server and in the browser.
export const participatePath = (tenderId: string, rest = "") => `/tenders/${tenderId}/participate${rest}`;
export const participationPath = (tenderId: string, rest = "") => `/tenders/${tenderId}/participation${rest}`;
