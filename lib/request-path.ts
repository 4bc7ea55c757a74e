/** The request header carrying the path (and query) of the page being rendered; see proxy.ts. */
export const REQUEST_PATH_HEADER = "x-parley-request-path";
