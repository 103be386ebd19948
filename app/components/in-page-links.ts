import { useNavigate } from "@remix-run/react";
import type { MouseEvent } from "react";

/**
 * Opens the plain links inside an element in the page, as a Remix <Link>
 * would, with one click handler for the whole of it: a <Link> in each of 50
 * table rows took about a tenth of the time the server spent building the
 * page. Clicks that mean something else (a new tab, a download, another site)
 * are left to the browser, and without JavaScript they are plain links.
 * Put the handler on a wrapper: `<div onClick={useInPageLinks()}>`.
 */
export function useInPageLinks() {
  const navigate = useNavigate();
  return (event: MouseEvent<HTMLElement>) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.altKey || event.ctrlKey || event.shiftKey) return;
    const link = event.target instanceof Element ? event.target.closest("a") : null;
    if (!link || (link.target && link.target !== "_self") || link.hasAttribute("download") || link.origin !== window.location.origin) return;
    event.preventDefault();
    navigate(`${link.pathname}${link.search}${link.hash}`);
  };
}
