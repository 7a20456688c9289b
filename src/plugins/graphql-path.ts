/**
 * Whether a request is for `/graphql` itself, told from its URL's text: most requests are, and
 * the plugins that answer other paths (`/readiness`, `/metrics`, `/inbox`, `/webhooks/`) let them
 * pass without parsing their URL. Only a plain origin followed by exactly `/graphql` qualifies;
 * anything else (a query string, an odd host) is left to the parsed URL.
 */
const GRAPHQL_URL = /^https?:\/\/[^/?#\\]*\/graphql$/;

export function isGraphqlPath(request: Request): boolean {
  return GRAPHQL_URL.test(request.url);
}
