// Public pages are complete without JavaScript: no client bundle is shipped.
export const csr = false;
export const prerender = false;
