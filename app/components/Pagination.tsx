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
