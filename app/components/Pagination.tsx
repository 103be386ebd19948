import { Link } from "@remix-run/react";

/** GOV.UK pagination: previous and next, and where the reader is. */
export function Pagination({ page, pages, href }: { page: number; pages: number; href: (page: number) => string }) {
  if (pages <= 1) return null;
  return (
    <nav className="govuk-pagination" aria-label="Pagination">
      {page > 1 ? (
        <div className="govuk-pagination__prev">
          <Link className="govuk-link govuk-pagination__link" to={href(page - 1)} rel="prev">
            <span className="govuk-pagination__link-title">Previous page</span>
          </Link>
        </div>
      ) : null}
      <p className="govuk-body govuk-!-margin-bottom-0">
        Page {page} of {pages}
      </p>
      {page < pages ? (
        <div className="govuk-pagination__next">
          <Link className="govuk-link govuk-pagination__link" to={href(page + 1)} rel="next">
            <span className="govuk-pagination__link-title">Next page</span>
          </Link>
        </div>
      ) : null}
    </nav>
  );
}

/**
 * What a list's loader throws, with status 404, when asked for a page after
 * its last (an old bookmark, say): the error page then says which pages there
 * are and links to the last, rather than showing an empty "page 99 of 2".
 */
export interface PageOutOfRange {
  pageOutOfRange: { page: number; pages: number; list: string; lastPageHref: string };
}

export function pageOutOfRange(page: number, pages: number, list: string, href: (page: number) => string): PageOutOfRange {
  return { pageOutOfRange: { page, pages, list, lastPageHref: href(pages) } };
}

export function isPageOutOfRange(data: unknown): data is PageOutOfRange {
  return typeof data === "object" && data !== null && "pageOutOfRange" in data;
}

/** The body of the 404 page for a page after the last. */
export function PageOutOfRangeMessage({ pageOutOfRange: { page, pages, list, lastPageHref } }: PageOutOfRange) {
  return (
    <>
      <p className="govuk-body">
        There is no page {page} of {list}. There {pages === 1 ? "is 1 page" : `are ${pages} pages`}.
      </p>
      <p className="govuk-body">
        <Link className="govuk-link" to={lastPageHref}>
          {pages === 1 ? `Go to ${list}` : `Go to page ${pages}, the last page of ${list}`}
        </Link>
      </p>
    </>
  );
}
