import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useRouteError,
  useRouteLoaderData,
  UNSAFE_RemixContext,
} from "@remix-run/react";
import { useContext, useEffect, useState, type ReactNode } from "react";
import { UNSAFE_DataRouterStateContext } from "react-router-dom";
import { NotificationBanner } from "#app/components/govuk";
import { isPageOutOfRange, PageOutOfRangeMessage } from "#app/components/Pagination";
import { useNonce } from "#app/components/nonce";
import { roleList } from "#app/modules/identity/roles";
import { navigationFor } from "#app/web/navigation";
import { errorTitle, pageTitle, SERVICE_NAME, showsErrors } from "#app/web/page-title";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: "/portal.css" },
  { rel: "icon", href: "/favicon.ico", sizes: "48x48" },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

// Pages name themselves; this is for the error pages the boundary below shows.
export const meta: MetaFunction = ({ error }) => [{ title: error === undefined ? SERVICE_NAME : pageTitle(errorPageHeading(error)) }];

export async function loader({ context }: LoaderFunctionArgs) {
  const { portal } = context;
  const actor = portal.actor;
  return {
    csrfToken: portal.csrfToken,
    requestId: portal.requestId,
    development: portal.development,
    flash: portal.flash,
    navigation: navigationFor(actor),
    actor: actor
      ? { name: actor.name, organisationName: actor.organisationName, roles: roleList(actor.roles) }
      : null,
  };
}

type RootData = Awaited<ReturnType<typeof loader>>;

/**
 * GOV.UK service navigation on a phone: the links fold behind a "Menu"
 * button, as govuk-frontend's own script does, so a page's content is not
 * pushed below a stack of links. The server and a browser without JavaScript
 * always show the list (the button stays hidden); once React runs, narrower
 * than govuk-frontend's tablet breakpoint (40.0625em, so also a 1280 px window
 * at 200% zoom) the list is hidden until the button opens it, and it closes
 * again on the next page.
 */
function useCollapsibleMenu(pathname: string) {
  const [narrow, setNarrow] = useState(false);
  const [open, setOpen] = useState(false);
  useEffect(() => {
    const wide = window.matchMedia("(min-width: 40.0625em)");
    const check = () => setNarrow(!wide.matches);
    check();
    wide.addEventListener("change", check);
    return () => wide.removeEventListener("change", check);
  }, []);
  useEffect(() => setOpen(false), [pathname]);
  return { collapsible: narrow, open, toggle: () => setOpen((o) => !o) };
}

function ServiceHeader({ data }: { data: RootData | undefined }) {
  const location = useLocation();
  const navigation = data?.navigation ?? [];
  const current = navigation
    .filter((item) => (item.href === "/" ? location.pathname === "/" : location.pathname.startsWith(item.href)))
    .at(-1)?.href;
  const menu = useCollapsibleMenu(location.pathname);
  return (
    <>
      <div className="govuk-generic-header">
        <div className="govuk-generic-header__container govuk-width-container">
          <div className="govuk-generic-header__logo">
            <a href="/" className="govuk-generic-header__homepage-link">
              {SERVICE_NAME}
            </a>
          </div>
        </div>
      </div>
      {navigation.length > 0 ? (
        <div className="govuk-service-navigation" data-module="govuk-service-navigation">
          <div className="govuk-width-container">
            <div className="govuk-service-navigation__container">
              <nav aria-label="Menu" className="govuk-service-navigation__wrapper">
                <button
                  type="button"
                  className="govuk-service-navigation__toggle govuk-js-service-navigation-toggle"
                  aria-controls="navigation"
                  aria-expanded={menu.collapsible ? menu.open : undefined}
                  hidden={!menu.collapsible}
                  aria-hidden={menu.collapsible ? undefined : true}
                  onClick={menu.toggle}
                >
                  Menu
                </button>
                <ul className="govuk-service-navigation__list" id="navigation" hidden={menu.collapsible && !menu.open}>
                  {navigation.map((item) => (
                    <li
                      key={item.href}
                      className={`govuk-service-navigation__item${item.href === current ? " govuk-service-navigation__item--active" : ""}`}
                    >
                      <Link className="govuk-service-navigation__link" to={item.href} aria-current={item.href === current ? "page" : undefined}>
                        {item.href === current ? <strong className="govuk-service-navigation__active-fallback">{item.label}</strong> : item.label}
                      </Link>
                    </li>
                  ))}
                </ul>
              </nav>
            </div>
          </div>
        </div>
      ) : null}
    </>
  );
}

function AccountBar({ data }: { data: RootData | undefined }) {
  if (!data?.actor) return null;
  return (
    <div className="govuk-grid-row govuk-!-margin-top-3">
      <div className="govuk-grid-column-full">
        <div className="govuk-body-s govuk-!-margin-bottom-0 portal-account">
          Signed in as <strong>{data.actor.name}</strong>, {data.actor.organisationName} ({data.actor.roles}).{" "}
          <Form method="post" action="/sign-out" className="portal-inline-form">
            <input type="hidden" name="_csrf" value={data.csrfToken} />
            <button type="submit" className="portal-link-button govuk-link">
              Sign out
            </button>
          </Form>
        </div>
      </div>
    </div>
  );
}

/**
 * The page's <title>, in place of Remix's <Meta>: the name the page's route
 * gives in its `meta` export, with "Error: " in front while the page shows
 * errors (a form or filter sent back, or an error page). <Meta> cannot add
 * that: a route's `meta` sees its loader data but not its action data, where
 * a form sent back with errors keeps them. So this reads the router state, as
 * <Meta> and useActionData do, on the server and in the browser alike. Only
 * `title` is taken from `meta`: the portal's routes set nothing else there.
 */
function PageTitle() {
  const remix = useContext(UNSAFE_RemixContext);
  const router = useContext(UNSAFE_DataRouterStateContext);
  const location = useLocation();
  if (!remix || !router) return <title>{SERVICE_NAME}</title>;
  const { matches, loaderData, actionData, errors } = router;
  // On an error page only the routes down to the one whose boundary shows it count.
  const boundary = errors ? matches.findIndex((m) => errors[m.route.id] !== undefined) : -1;
  const active = boundary >= 0 ? matches.slice(0, boundary + 1) : matches;
  const error: unknown = boundary >= 0 ? errors?.[matches[boundary]!.route.id] : undefined;
  const metaMatches = active.map((m) => ({
    id: m.route.id,
    data: loaderData[m.route.id],
    params: m.params,
    pathname: m.pathname,
    handle: m.route.handle,
    meta: [],
    error,
  }));
  let title = SERVICE_NAME;
  for (const m of active) {
    const meta = remix.routeModules[m.route.id]?.meta;
    const descriptors = typeof meta === "function" ? meta({ data: loaderData[m.route.id], params: m.params, location, matches: metaMatches, error }) : meta;
    const found = descriptors?.find((d): d is { title: string } => "title" in d);
    if (found) title = String(found.title);
  }
  const leaf = active.at(-1)?.route.id ?? "";
  const withErrors = error !== undefined || showsErrors(actionData?.[leaf]) || showsErrors(loaderData[leaf]);
  return <title>{withErrors ? errorTitle(title) : title}</title>;
}

function Document({ children, data }: { children: ReactNode; data: RootData | undefined }) {
  const nonce = useNonce();
  return (
    <html lang="en-GB" className="govuk-template govuk-template--rebranded">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover" />
        <meta name="theme-color" content="#1d70b8" />
        <PageTitle />
        <Links />
      </head>
      <body className="govuk-template__body">
        <a href="#main-content" className="govuk-skip-link" data-module="govuk-skip-link">
          Skip to main content
        </a>
        <header>
          <ServiceHeader data={data} />
        </header>
        <div className="govuk-width-container">
          <AccountBar data={data} />
          <main className="govuk-main-wrapper" id="main-content">
            {data?.flash ? <NotificationBanner success title={data.flash.title} body={data.flash.body} /> : null}
            {children}
          </main>
        </div>
        <footer className="govuk-footer">
          <div className="govuk-width-container">
            <div className="govuk-footer__meta">
              <div className="govuk-footer__meta-item govuk-footer__meta-item--grow">
                <h2 className="govuk-visually-hidden">Support links</h2>
                <ul className="govuk-footer__inline-list">
                  <li className="govuk-footer__inline-list-item">
                    <a className="govuk-footer__link" href="/audit/checkpoints">
                      Audit checkpoints
                    </a>
                  </li>
                  <li className="govuk-footer__inline-list-item">
                    <a className="govuk-footer__link" href="/accessibility">
                      Accessibility statement
                    </a>
                  </li>
                </ul>
                <p className="govuk-footer__meta-custom">Run for the councils of the consortium. All content is available under the Open Government Licence v3.0, except where otherwise stated.</p>
              </div>
            </div>
          </div>
        </footer>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  return <Document data={data}>{children}</Document>;
}

export default function App() {
  return <Outlet />;
}

/** The h1 of the page the boundary shows for an error, which is also its title. */
function errorPageHeading(error: unknown): string {
  if (isRouteErrorResponse(error) && error.status === 404) return "Page not found";
  if (isRouteErrorResponse(error) && error.status === 403) return "You do not have permission to do this";
  if (isRouteErrorResponse(error) && error.status === 400) return "There is a problem with that address";
  return "Sorry, there is a problem with the service";
}

export function ErrorBoundary() {
  const error = useRouteError();
  const data = useRouteLoaderData<typeof loader>("root");
  const heading = <h1 className="govuk-heading-l">{errorPageHeading(error)}</h1>;
  if (isRouteErrorResponse(error) && error.status === 404 && isPageOutOfRange(error.data)) {
    return (
      <>
        {heading}
        <PageOutOfRangeMessage {...error.data} />
      </>
    );
  }
  if (isRouteErrorResponse(error) && error.status === 404) {
    return (
      <>
        {heading}
        <p className="govuk-body">If you typed the web address, check it is correct.</p>
        <p className="govuk-body">If you pasted the web address, check you copied the entire address.</p>
        <p className="govuk-body">
          <a className="govuk-link" href="/">
            Go to the home page
          </a>
        </p>
      </>
    );
  }
  if (isRouteErrorResponse(error) && error.status === 403) {
    return (
      <>
        {heading}
        <p className="govuk-body">Your role does not allow this page or action. If you think you need it, ask an administrator at your council.</p>
        <p className="govuk-body">
          <a className="govuk-link" href="/">
            Go to the home page
          </a>
        </p>
      </>
    );
  }
  if (isRouteErrorResponse(error) && error.status === 400) {
    return (
      <>
        {heading}
        <p className="govuk-body">{typeof error.data === "string" ? error.data : "The page could not understand part of the web address."}</p>
      </>
    );
  }
  return (
    <>
      {heading}
      <p className="govuk-body">Try again later. Nothing you did half-way has been saved.</p>
      <p className="govuk-body">
        If you contact support, give this reference: <strong className="portal-nowrap">{data?.requestId ?? "unavailable"}</strong>
      </p>
      {data?.development && error instanceof Error ? <pre className="govuk-body-s">{error.stack}</pre> : null}
    </>
  );
}
