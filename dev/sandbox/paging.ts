/** ARM's paged lists: a page of `value` and, while more remain, a `nextLink` the client follows as it is. */

/** One page of `items` for the request `url` (its `$skip`), with the link to the next page if there is one. */
export function pageOf<T>(items: readonly T[], url: URL, origin: string, pageSize: number): { value: T[]; count: number; nextLink?: string } {
  const skip = Math.max(0, Number(url.searchParams.get('$skip') ?? 0) || 0);
  const value = items.slice(skip, skip + pageSize);
  if (skip + pageSize >= items.length) return { value, count: items.length };
  const next = new URL(`${origin}${url.pathname}${url.search}`);
  next.searchParams.set('$skip', String(skip + pageSize));
  return { value, count: items.length, nextLink: next.href };
}
